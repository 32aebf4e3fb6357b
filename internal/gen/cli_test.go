package gen_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/journeydata/journey/cmd/journey/cli"
	"github.com/journeydata/journey/internal/gen"
)

// TestCLI runs `journey gen` in-process: bad flags exit 2 with a one-line
// reason; a good run prints a line per file and writes the data set.
func TestCLI(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	bad := [][]string{
		{"--out", dir},
		{"--customers", "10", "--tier", "small", "--out", dir},
		{"--tier", "huge", "--out", dir},
		{"--customers", "10"},
		{"--customers", "10", "--out", dir, "--format", "xml"},
		{"--customers", "10", "--out", dir, "--from", "2024-13-01"},
		{"--customers", "10", "--out", dir, "--from", "2025-01-01", "--to", "2024-01-01"},
		{"--customers", "10", "--out", dir, "--bgnbd", "1,2,3"},
		{"--customers", "10", "--out", dir, "--dirt", "2"},
		{"--customers", "10", "--out", dir, "extra"},
	}
	for _, args := range bad {
		var stdout, stderr bytes.Buffer
		code := cli.Run(context.Background(), append([]string{"gen"}, args...), nil, &stdout, &stderr)
		msg := strings.TrimSpace(stderr.String())
		if code != cli.ExitUsage || !strings.HasPrefix(msg, "journey gen: ") || strings.Contains(msg, "\n") {
			t.Errorf("gen %v: exit %d, stderr %q; want exit 2 and one line", args, code, msg)
		}
	}
	var stdout, stderr bytes.Buffer
	args := []string{"gen", "--customers", "300", "--seed", "3", "--out", dir, "--format", "ndjson", "--bgnbd", "0.5,2,0.8,6"}
	if code := cli.Run(context.Background(), args, nil, &stdout, &stderr); code != cli.ExitOK {
		t.Fatalf("gen: exit %d: %s", code, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(lines) != 8 || !strings.HasPrefix(lines[0], "crm_contacts.ndjson") || !strings.HasPrefix(lines[7], "generated 300 customers") {
		t.Errorf("output:\n%s\nwant a line per file, truth.json, journey.yaml and a total", stdout.String())
	}
	truth, err := gen.ReadTruth(dir)
	if err != nil || truth.BGNBD.R != 0.5 || truth.Seed != 3 {
		t.Errorf("truth %+v, %v: want the flags' seed and parameters", truth, err)
	}
	other := t.TempDir()
	if err := os.WriteFile(filepath.Join(other, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	stderr.Reset()
	if code := cli.Run(context.Background(), []string{"gen", "--customers", "5", "--out", other}, nil, &stdout, &stderr); code != cli.ExitUsage {
		t.Errorf("gen into a folder with other files: exit %d (%s), want 2", code, stderr.String())
	}
}
