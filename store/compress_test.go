package store

import (
	"bytes"
	"io"
	"strings"
	"testing"
)

// closeRecorder is an io.ReadCloser that records Close.
type closeRecorder struct {
	io.Reader
	closed bool
}

func (c *closeRecorder) Close() error { c.closed = true; return nil }

func decompressAll(t *testing.T, name string, data []byte) (string, *closeRecorder, error) {
	t.Helper()
	src := &closeRecorder{Reader: bytes.NewReader(data)}
	rc, err := Decompress(name, src)
	if err != nil {
		return "", src, err
	}
	b, err := io.ReadAll(rc)
	if cerr := rc.Close(); cerr != nil {
		t.Fatal(cerr)
	}
	return string(b), src, err
}

func TestDecompress(t *testing.T) {
	plain := []byte("a,b\n1,2\n")
	gz, zst := compressed(t, plain, "gzip"), compressed(t, plain, "zstd")
	tests := []struct {
		name string
		data []byte
	}{
		{"x.csv.gz", gz},
		{"x.CSV.GZ", gz},
		{"x.ndjson.gzip", gz},
		{"x.csv.zst", zst},
		{"x.csv.zstd", zst},
		{"x.csv", gz},   // mislabelled: magic bytes decide
		{"x.data", zst}, // no telling extension
		{"x.csv", plain},
		{"concat.gz", append(append([]byte{}, gz...), gz...)},
		{"two-frames.zst", append(append([]byte{}, zst...), zst...)},
	}
	for _, tc := range tests {
		got, src, err := decompressAll(t, tc.name, tc.data)
		want := string(plain)
		if strings.HasPrefix(tc.name, "concat") || strings.HasPrefix(tc.name, "two-frames") {
			want += want
		}
		if err != nil || got != want || !src.closed {
			t.Errorf("%s: got %q, err %v, source closed %v", tc.name, got, err, src.closed)
		}
	}
}

func TestDecompressEmptyAndShort(t *testing.T) {
	for _, data := range []string{"", "a", "\x1f"} {
		if got, _, err := decompressAll(t, "f.csv", []byte(data)); err != nil || got != data {
			t.Errorf("%q: got %q, %v", data, got, err)
		}
	}
}

func TestDecompressErrorsNameTheFile(t *testing.T) {
	src := &closeRecorder{Reader: strings.NewReader("not gzip at all")}
	if _, err := Decompress("in/orders.csv.gz", src); err == nil ||
		!strings.Contains(err.Error(), "store: decompress in/orders.csv.gz: gzip: invalid header") || !src.closed {
		t.Fatalf("err = %v, source closed %v", err, src.closed)
	}
	gz := compressed(t, []byte(strings.Repeat("row\n", 1000)), "gzip")
	_, _, err := decompressAll(t, "in/cut.csv.gz", gz[:len(gz)/2])
	if err == nil || !strings.Contains(err.Error(), "store: decompress in/cut.csv.gz: ") {
		t.Fatalf("truncated gzip: err = %v", err)
	}
	_, _, err = decompressAll(t, "in/bad.zst", []byte("definitely not zstd"))
	if err == nil || !strings.Contains(err.Error(), "store: decompress in/bad.zst: ") {
		t.Fatalf("bad zstd: err = %v", err)
	}
}
