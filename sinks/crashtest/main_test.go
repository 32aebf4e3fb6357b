package crashtest

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// bin is the journey binary built with the faultinject tag.
var bin string

func TestMain(m *testing.M) {
	flag.Parse()
	if testing.Short() {
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "journey-crashtest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := 1
	if bin, err = build(dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
	} else {
		code = m.Run()
	}
	os.RemoveAll(dir)
	releaseFixtures()
	os.Exit(code)
}

// build compiles ./cmd/journey with the faultinject tag into dir.
func build(dir string) (string, error) {
	out := filepath.Join(dir, "journey")
	cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-tags", "duckdb_arrow,faultinject", "-o", out, "./cmd/journey")
	cmd.Dir = filepath.Join("..", "..")
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build journey with faultinject: %v\n%s", err, b)
	}
	return out, nil
}

func skipShort(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("runs journey processes")
	}
}

// result is how a journey process ended.
type result struct {
	code           int
	stdout, stderr string
	runID          string
}

// run runs `journey run` for asOf to its end.
func run(t *testing.T, w *world, asOf string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "run", "--config", w.config, "--as-of", asOf)
	cmd.Env = w.env()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	res := result{stdout: stdout.String(), stderr: stderr.String()}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		res.code = exit.ExitCode()
	case err != nil:
		t.Fatalf("journey run: %v", err)
	}
	if _, after, ok := strings.Cut(res.stdout, "(run "); ok {
		res.runID, _, _ = strings.Cut(after, ")")
	}
	return res
}

// mustRun runs `journey run` and fails the test unless it succeeds.
func mustRun(t *testing.T, w *world, asOf string) result {
	t.Helper()
	res := run(t, w, asOf)
	if res.code != 0 {
		t.Fatalf("journey run --as-of %s: exit %d\n%s", asOf, res.code, lastLines(res.stderr, 5))
	}
	return res
}

// stopped is a journey process stopped at a fault point.
type stopped struct {
	cmd  *exec.Cmd
	done chan error
}

// stopAt starts `journey run` for asOf with JOURNEY_FAULT=point and waits
// until the process reports that it reached the point, where it sleeps.
func stopAt(t *testing.T, w *world, asOf, point string) *stopped {
	t.Helper()
	marker := filepath.Join(t.TempDir(), "marker")
	cmd := exec.Command(bin, "run", "--config", w.config, "--as-of", asOf)
	cmd.Env = append(w.env(), "JOURNEY_FAULT="+point, "JOURNEY_FAULT_MARKER="+marker)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &stopped{cmd: cmd, done: make(chan error, 1)}
	go func() { p.done <- cmd.Wait() }()
	t.Cleanup(p.kill)
	deadline := time.After(time.Minute)
	for {
		if _, err := os.Stat(marker); err == nil {
			return p
		}
		select {
		case err := <-p.done:
			p.done <- err
			t.Fatalf("journey ended (%v) before reaching %s:\n%s", err, point, lastLines(stderr.String(), 5))
		case <-deadline:
			t.Fatalf("journey did not reach %s within a minute", point)
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// kill sends SIGKILL and waits until the process is reaped: its pid is then
// free, as after a real crash. Killing twice is harmless.
func (p *stopped) kill() {
	_ = p.cmd.Process.Signal(os.Kill)
	err := <-p.done
	p.done <- err
}

// killAt stops `journey run` for asOf at point and kills it there.
func killAt(t *testing.T, w *world, asOf, point string) {
	t.Helper()
	stopAt(t, w, asOf, point).kill()
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
