package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseRoot(t *testing.T) {
	abs, _ := filepath.Abs("out")
	tests := []struct {
		in, want string
	}{
		{"gs://bucket", "gs://bucket"},
		{"gs://bucket/", "gs://bucket"},
		{"gs://my-bucket_1/exports/crm/", "gs://my-bucket_1/exports/crm"},
		{"GS://bucket/a", "gs://bucket/a"},
		{"gs://data.example.com/a", "gs://data.example.com/a"},
		{"out", abs},
		{"./out/", abs},
		{"/srv/data", "/srv/data"},
		{"file:///srv/data", "/srv/data"},
	}
	for _, tc := range tests {
		r, err := parseRoot(tc.in)
		if err != nil || r.String() != tc.want {
			t.Errorf("parseRoot(%q) = %q, %v; want %q", tc.in, r, err, tc.want)
		}
	}
}

func TestParseRootErrors(t *testing.T) {
	tests := []struct {
		in, msg string
	}{
		{"", "empty root"},
		{"  ", "empty root"},
		{"gs://", "missing bucket name"},
		{"gs:/bucket/p", "malformed GCS URL; write it as gs://bucket/prefix"},
		{"gs:bucket", "malformed GCS URL"},
		{"s3://bucket/p", `unsupported scheme "s3"; use a local directory or gs://bucket/prefix`},
		{"gs://My_Bucket/p", `invalid bucket name "My_Bucket"`},
		{"gs://ab/p", `invalid bucket name "ab"`},
		{"gs://-bucket/p", "invalid bucket name"},
		{"gs://" + strings.Repeat("b", 64), "invalid bucket name"},
		{"gs://bucket/a//b", "bad prefix"},
		{"gs://bucket/a/../b", "bad prefix"},
		{"gs://bucket/exports/*.csv", "not a pattern; open the folder and use Glob"},
		{"/data/*.csv", "not a pattern"},
		{"file://relative/dir", "absolute path"},
	}
	for _, tc := range tests {
		err := ValidateRoot(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.msg) || !strings.HasPrefix(err.Error(), "store: open") {
			t.Errorf("ValidateRoot(%q) = %v, want an error containing %q", tc.in, err, tc.msg)
		}
	}
}

func TestOpenRejectsNegativeOptions(t *testing.T) {
	_, err := Open(context.Background(), "gs://bucket/p", Options{CallTimeout: -time.Second})
	if err == nil || !strings.Contains(err.Error(), "must not be negative") {
		t.Fatalf("err = %v", err)
	}
}
