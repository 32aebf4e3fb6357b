package file

import (
	"context"
	"errors"
	"fmt"
	"os"
	pathpkg "path"
	"path/filepath"
	"strings"
	"time"

	"github.com/journeydata/journey/internal/duck"
	"github.com/journeydata/journey/sources"
	"github.com/journeydata/journey/store"
)

// gcsPath is a parsed gs://bucket/pattern source path.
type gcsPath struct {
	bucket  string
	pattern string // object name glob inside the bucket
}

// isGCS reports whether a source path names GCS objects.
func isGCS(path string) bool {
	return len(path) >= 5 && strings.EqualFold(path[:5], "gs://")
}

// parseGCSPath splits a gs:// path into bucket and pattern, checking the
// bucket name without any request.
func parseGCSPath(path string) (gcsPath, error) {
	bucket, pattern, _ := strings.Cut(path[5:], "/")
	if err := store.ValidateRoot("gs://" + bucket); err != nil {
		return gcsPath{}, fmt.Errorf("path %q: %w", path, err)
	}
	if pattern == "" {
		return gcsPath{}, fmt.Errorf("path %q names a bucket but no objects; add an object name or a glob such as gs://%s/exports/*.csv", path, bucket)
	}
	for _, seg := range strings.Split(pattern, "/") {
		if _, err := pathpkg.Match(seg, ""); err != nil {
			return gcsPath{}, fmt.Errorf("path %q is not a valid glob: %w", path, err)
		}
	}
	return gcsPath{bucket: bucket, pattern: pattern}, nil
}

// root is the store root the objects are listed under.
func (g gcsPath) root() string { return "gs://" + g.bucket }

// url is the full name of an object, as users know it.
func (g gcsPath) url(name string) string { return "gs://" + g.bucket + "/" + name }

// looked says where a listing looked: under the pattern's folder up to its
// first wildcard, or for the one object a literal pattern names.
func (g gcsPath) looked() string {
	if i := strings.IndexAny(g.pattern, `*?[\`); i >= 0 {
		return "objects under " + g.url(g.pattern[:i])
	}
	return g.url(g.pattern)
}

// extractObjects lists the objects the path matches, downloads them into a
// spill folder and reads them like local files, naming them by URL.
func (s *Source) extractObjects(ctx context.Context, db *duck.DB, req sources.Request) (sources.Extracted, error) {
	st, err := store.Open(ctx, s.gcs.root(), store.Options{})
	if err != nil {
		return sources.Extracted{}, fmt.Errorf("source %s: %w", s.spec.Name, err)
	}
	defer st.Close()
	objs, err := s.listObjects(ctx, st)
	if err != nil {
		return sources.Extracted{}, err
	}
	if s.afterList != nil {
		s.afterList()
	}
	dir, err := spillDir(req.WorkDir)
	if err != nil {
		return sources.Extracted{}, fmt.Errorf("source %s: %w", s.spec.Name, err)
	}
	defer os.RemoveAll(dir)
	files, err := s.download(ctx, db, st, objs, dir, req.Raw)
	if err != nil {
		return sources.Extracted{}, fmt.Errorf("source %s: read %s: %w", s.spec.Name, s.spec.Path, err)
	}
	defer db.ExecContext(context.WithoutCancel(ctx), "DROP TABLE IF EXISTS "+duck.Ident(files.names))
	ex, err := s.read(ctx, db, req, files)
	if err != nil {
		return sources.Extracted{}, files.nameErr(err)
	}
	ex.Inputs = s.inputs(objs)
	return ex, nil
}

// listObjects returns the objects matching the path, sorted by name, or an
// error that names the source, the path and the fix.
func (s *Source) listObjects(ctx context.Context, st store.Store) ([]store.ObjectInfo, error) {
	objs, err := st.Glob(ctx, s.gcs.pattern)
	switch {
	case errors.Is(err, store.ErrNotExist):
		return nil, fmt.Errorf("source %s: read %s: %w; check the bucket name in sources[].path", s.spec.Name, s.spec.Path, err)
	case err != nil:
		return nil, fmt.Errorf("source %s: list objects for path %q: %w", s.spec.Name, s.spec.Path, err)
	case len(objs) == 0:
		return nil, fmt.Errorf("source %s: no object matches path %q (looked for %s); check sources[].path",
			s.spec.Name, s.spec.Path, s.gcs.looked())
	}
	return objs, nil
}

// inputs fingerprints the objects as listed.
func (s *Source) inputs(objs []store.ObjectInfo) []sources.Input {
	in := make([]sources.Input, len(objs))
	for i, o := range objs {
		in[i] = sources.Input{Name: s.gcs.url(o.Name), Size: o.Size, ModTime: o.Updated.UTC().Format(time.RFC3339Nano)}
	}
	return in
}

// spillDir creates a fresh folder for downloaded objects inside workDir
// (the system temp folder when workDir is empty).
func spillDir(workDir string) (string, error) {
	if workDir != "" {
		if err := os.MkdirAll(workDir, 0o755); err != nil {
			return "", fmt.Errorf("create spill folder: %w", err)
		}
	}
	dir, err := os.MkdirTemp(workDir, "objects-")
	if err != nil {
		return "", fmt.Errorf("create spill folder: %w", err)
	}
	return filepath.Abs(dir)
}
