package pipeline_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/journeydata/journey/internal/check"
	"github.com/journeydata/journey/internal/testkit"
	"github.com/journeydata/journey/pipeline"
)

var emailRE = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`)

// TestNoRawEmailPublished runs the demo with hashing on and checks that no
// email address of any input appears in any published byte: in the raw
// bytes of every file under the output root, and in every text value of
// every Parquet file once decompressed.
func TestNoRawEmailPublished(t *testing.T) {
	emails := demoEmails(t)
	if len(emails) < 100 {
		t.Fatalf("found only %d emails in the demo inputs", len(emails))
	}
	out := runConfigFile(t, "../testdata/demo/journey.yaml", "2025-12-31")
	var parquet []string
	err := filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		low := bytes.ToLower(b)
		for e := range emails {
			if bytes.Contains(low, []byte(e)) {
				t.Errorf("%s holds the raw email %s", p, e)
			}
		}
		if strings.HasSuffix(p, ".parquet") {
			parquet = append(parquet, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range parquet {
		for _, v := range testkit.Rows(t, "SELECT lower(CAST(COLUMNS(*) AS VARCHAR)) FROM read_parquet($1)", p) {
			for _, cell := range v {
				for _, e := range emailRE.FindAllString(cell, -1) {
					if emails[e] {
						t.Errorf("%s holds the raw email %s", p, e)
					}
				}
			}
		}
	}
}

// demoEmails collects every email address in the demo inputs, lower-cased.
func demoEmails(t *testing.T) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	files, _ := filepath.Glob("../testdata/demo/*.*")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range emailRE.FindAll(b, -1) {
			out[strings.ToLower(string(e))] = true
		}
	}
	return out
}

// TestPIIKeyRequired: hashing without a key is a configuration error that
// names the variable, before anything is read.
func TestPIIKeyRequired(t *testing.T) {
	t.Setenv(pipeline.DefaultPIIKeyEnv, "")
	cfg, err := pipeline.Load("../testdata/demo/journey.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Output, cfg.WorkDir = t.TempDir(), t.TempDir()
	_, err = pipeline.Run(t.Context(), cfg, pipeline.Options{RunID: "nokey", Now: zeroNow, Log: nopLog})
	var ce *check.Error
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "JOURNEY_PII_KEY is empty") {
		t.Fatalf("error %v, want a configuration error naming JOURNEY_PII_KEY", err)
	}
}

// TestPIIKeep: with pii.mode keep, emails and names are published as they are.
func TestPIIKeep(t *testing.T) {
	c := tinyCase("a,Anna@Example.com,s,2024-01-01\n", "o1,a,2024-05-01,10,delivered\n", "", "")
	c.Config += "pii: {mode: keep}\n"
	out, _ := testkit.Run(t, c, "2024-06-30")
	got := testkit.Rows(t, "SELECT email, length(email_hash) FROM read_parquet($1)", testkit.Table(out, "customer_journey"))
	if want := [][]string{{"anna@example.com", "32"}}; !equalRows(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

var nopLog = zerolog.Nop()

func zeroNow() time.Time { return time.Time{} }
