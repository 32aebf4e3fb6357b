package store

import (
	"fmt"
	"path/filepath"
	"strings"
)

// root is a parsed Open argument: either dir (local) or bucket and prefix.
type root struct {
	dir    string // absolute, cleaned; local roots only
	bucket string // GCS roots only
	prefix string // GCS object prefix without a trailing '/', may be empty
}

// String returns the root as "gs://bucket/prefix" or the local directory.
func (r root) String() string {
	if r.bucket == "" {
		return r.dir
	}
	if r.prefix == "" {
		return "gs://" + r.bucket
	}
	return "gs://" + r.bucket + "/" + r.prefix
}

// ValidateRoot reports whether root is acceptable to Open, without creating
// a client or touching the file system beyond resolving a relative path.
// Configuration validation calls it so that `journey validate` and Open agree.
func ValidateRoot(root string) error {
	_, err := parseRoot(root)
	return err
}

const rootHint = "use a local directory or gs://bucket/prefix"

func parseRoot(s string) (root, error) {
	if strings.TrimSpace(s) == "" {
		return root{}, fmt.Errorf("store: open: empty root; %s", rootHint)
	}
	scheme, rest, hasScheme := strings.Cut(s, "://")
	if !hasScheme {
		if strings.HasPrefix(strings.ToLower(s), "gs:") {
			return root{}, fmt.Errorf("store: open %q: malformed GCS URL; write it as gs://bucket/prefix", s)
		}
		return parseLocal(s, s)
	}
	switch strings.ToLower(scheme) {
	case "gs":
		return parseGCS(s, rest)
	case "file":
		if !strings.HasPrefix(rest, "/") {
			return root{}, fmt.Errorf("store: open %q: a file URL needs an absolute path (file:///dir); or give the path itself", s)
		}
		return parseLocal(s, rest)
	default:
		return root{}, fmt.Errorf("store: open %q: unsupported scheme %q; %s", s, scheme, rootHint)
	}
}

func parseLocal(orig, p string) (root, error) {
	if strings.ContainsAny(p, "*\x00") {
		return root{}, fmt.Errorf("store: open %q: a root must be a directory, not a pattern; open the directory and use Glob", orig)
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return root{}, fmt.Errorf("store: open %q: resolve local path: %w", orig, err)
	}
	return root{dir: abs}, nil
}

func parseGCS(orig, rest string) (root, error) {
	bucket, prefix, _ := strings.Cut(rest, "/")
	if bucket == "" {
		return root{}, fmt.Errorf("store: open %q: missing bucket name; write it as gs://bucket/prefix", orig)
	}
	if err := checkBucketName(bucket); err != nil {
		return root{}, fmt.Errorf("store: open %q: %w", orig, err)
	}
	if strings.ContainsAny(prefix, "*?[") {
		return root{}, fmt.Errorf("store: open %q: a root must be a bucket or folder, not a pattern; open the folder and use Glob", orig)
	}
	prefix = strings.TrimSuffix(prefix, "/")
	if prefix != "" {
		if err := checkName(prefix); err != nil {
			return root{}, fmt.Errorf("store: open %q: bad prefix: %w", orig, err)
		}
	}
	return root{bucket: bucket, prefix: prefix}, nil
}

// checkBucketName applies the GCS bucket naming rules that matter for typos:
// 3-63 characters (222 with dots, 63 per dot-separated part), lower-case
// letters, digits, '-', '_' and '.', starting and ending with a letter or
// digit.
func checkBucketName(b string) error {
	bad := fmt.Errorf("invalid bucket name %q: use 3-63 lower-case letters, digits, '-', '_' or '.', starting and ending with a letter or digit", b)
	if len(b) < 3 || len(b) > 222 || !isAlnum(b[0]) || !isAlnum(b[len(b)-1]) {
		return bad
	}
	for _, part := range strings.Split(b, ".") {
		if len(part) == 0 || len(part) > 63 {
			return bad
		}
	}
	for i := 0; i < len(b); i++ {
		if c := b[i]; !isAlnum(c) && c != '-' && c != '_' && c != '.' {
			return bad
		}
	}
	return nil
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}
