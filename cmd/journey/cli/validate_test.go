package cli_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/journeydata/journey/cmd/journey/cli"
)

// TestValidateBrokenConfigs runs `journey validate` on every
// testdata/validate/NAME.yaml and compares its output with NAME.want.
func TestValidateBrokenConfigs(t *testing.T) {
	configs, _ := filepath.Glob("../../../testdata/validate/*.yaml")
	if len(configs) == 0 {
		t.Fatal("no configs in testdata/validate")
	}
	for _, cfg := range configs {
		name := strings.TrimSuffix(filepath.Base(cfg), ".yaml")
		t.Run(name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := cli.Run(context.Background(), []string{"validate", "--config", cfg}, nil, &stdout, &stderr)
			got := strings.ReplaceAll(stderr.String(), filepath.Dir(cfg), "CONFIGDIR")
			got = strings.ReplaceAll(got, cfg, "CONFIG")
			if code == 0 {
				t.Fatalf("exit 0 for a broken config; stdout: %s", stdout.String())
			}
			compareGolden(t, strings.TrimSuffix(cfg, ".yaml")+".want", []byte(got))
		})
	}
}

func TestValidateDemo(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := cli.Run(context.Background(), []string{"validate"}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	for _, want := range []string{"configuration ok", "source shop_orders", "rejected"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, stdout.String())
		}
	}
}

func TestValidateExitCodes(t *testing.T) {
	for args, want := range map[string]int{
		"validate --config ../../../testdata/validate/bad_settings.yaml":   cli.ExitUsage,
		"validate --config ../../../testdata/validate/missing_column.yaml": cli.ExitSource,
		"validate --config /nonexistent/journey.yaml":                      cli.ExitUsage,
		"frobnicate": cli.ExitUsage,
	} {
		code := cli.Run(context.Background(), strings.Fields(args), nil, new(bytes.Buffer), new(bytes.Buffer))
		if code != want {
			t.Errorf("journey %s: exit %d, want %d", args, code, want)
		}
	}
	_ = os.Stdout
}
