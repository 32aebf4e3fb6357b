// Package file is the source kind for local CSV, NDJSON and Parquet files:
// one file or a glob, read by DuckDB's own parallel readers. Gzip and zstd
// compressed files (".gz", ".zst") are read transparently.
//
// Every record read is accounted for: CSV lines the parser rejects are taken
// from DuckDB's reject tables and NDJSON lines that are not JSON objects are
// set aside, both into the parse-rejects table with file, line, raw text and
// reason.
package file

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/journeydata/journey/internal/duck"
	"github.com/journeydata/journey/sources"
)

// Kind is the registry name of this source kind.
const Kind = "file"

// Register adds the file kind to r.
func Register(r *sources.Registry) { r.Register(Kind, New) }

// Source reads local files.
type Source struct {
	spec    sources.Spec
	baseDir string
	format  string
}

// New validates spec and returns the source; it touches no file.
func New(spec sources.Spec, baseDir string) (sources.Source, error) {
	f := spec.EffectiveFormat()
	switch f {
	case "csv", "ndjson", "parquet":
	default:
		return nil, fmt.Errorf("source %s: cannot read format %q; set format to csv, ndjson or parquet", spec.Name, f)
	}
	if spec.Path == "" {
		return nil, fmt.Errorf("source %s: path is empty", spec.Name)
	}
	return &Source{spec: spec, baseDir: baseDir, format: f}, nil
}

// Extract implements sources.Source.
func (s *Source) Extract(ctx context.Context, db *duck.DB, req sources.Request) (sources.Extracted, error) {
	raw := req.Raw
	files, inputs, err := s.files()
	if err != nil {
		return sources.Extracted{}, err
	}
	var ex sources.Extracted
	switch s.format {
	case "csv":
		ex, err = s.extractCSV(ctx, db, raw, files)
	case "ndjson":
		ex, err = s.extractNDJSON(ctx, db, raw, files)
	default:
		ex, err = s.extractParquet(ctx, db, raw, files)
	}
	if err != nil {
		return sources.Extracted{}, fmt.Errorf("source %s: read %s: %w", s.spec.Name, s.spec.Path, err)
	}
	ex.Inputs = inputs
	return ex, nil
}

// files expands the path (relative to the config) into a sorted file list.
func (s *Source) files() ([]string, []sources.Input, error) {
	pattern := s.spec.Path
	if !filepath.IsAbs(pattern) {
		pattern = filepath.Join(s.baseDir, pattern)
	}
	matches, err := filepath.Glob(pattern)
	if err != nil {
		return nil, nil, fmt.Errorf("source %s: path %q is not a valid glob: %w", s.spec.Name, s.spec.Path, err)
	}
	var files []string
	var inputs []sources.Input
	for _, m := range matches {
		st, err := os.Stat(m)
		if err != nil {
			return nil, nil, fmt.Errorf("source %s: stat %s: %w", s.spec.Name, m, err)
		}
		if st.IsDir() {
			continue
		}
		files = append(files, m)
		inputs = append(inputs, sources.Input{Name: s.rel(m), Size: st.Size(), ModTime: st.ModTime().UTC().Format(time.RFC3339)})
	}
	if len(files) == 0 {
		return nil, nil, fmt.Errorf("source %s: no file matches path %q (looked for %s); check sources[].path, which is relative to the config file",
			s.spec.Name, s.spec.Path, pattern)
	}
	slices.Sort(files)
	return files, inputs, nil
}

// rel names a file relative to the configuration's folder when it is inside it.
func (s *Source) rel(path string) string {
	if r, err := filepath.Rel(s.baseDir, path); err == nil && !strings.HasPrefix(r, "..") {
		return filepath.ToSlash(r)
	}
	return filepath.ToSlash(path)
}

// relExpr is the SQL expression turning the reader's absolute file name
// column into the relative name, with the folder as a parameter.
func (s *Source) relExpr(col string, args *duck.Args) string {
	prefix := filepath.ToSlash(filepath.Clean(s.baseDir)) + "/"
	p := args.Add(prefix)
	return fmt.Sprintf("CASE WHEN starts_with(%s, %s) THEN substr(%s, length(%s) + 1) ELSE %s END", col, p, col, p, col)
}

func compression(files []string) string {
	for _, f := range files {
		switch {
		case strings.HasSuffix(f, ".gz"):
			return "gzip"
		case strings.HasSuffix(f, ".zst"):
			return "zstd"
		}
	}
	return "auto"
}
