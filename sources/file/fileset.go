package file

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/journeydata/journey/internal/duck"
)

// fileSet is what the readers read: the local paths DuckDB opens, and how
// the path DuckDB reports for a record becomes the name users see in _file,
// in rejects and in the manifest.
type fileSet struct {
	// paths are the files DuckDB opens, sorted in reading order.
	paths []string
	// baseDir, for local files, is the configuration's folder: names are
	// paths relative to it when the file is inside it.
	baseDir string
	// names, for downloaded objects, is a temp table (path, name) mapping
	// each spill file to its object URL; empty for local files.
	names string
	// urls, for downloaded objects, are the object URLs of paths.
	urls []string
}

// nameExpr is the SQL expression turning col, a path DuckDB reports, into
// the user-facing name, with any values added to args.
func (f fileSet) nameExpr(col string, args *duck.Args) string {
	if f.names != "" {
		return fmt.Sprintf("(SELECT _n.name FROM %s _n WHERE _n.path = %s)", duck.Ident(f.names), col)
	}
	return f.relative(col, args.Add(f.prefix()))
}

// nameLiteralExpr is nameExpr for local files without parameters, for a
// view.
func (f fileSet) nameLiteralExpr(col string) string {
	return f.relative(col, duck.Literal(f.prefix()))
}

// prefix is the configuration's folder with a trailing slash.
func (f fileSet) prefix() string { return filepath.ToSlash(filepath.Clean(f.baseDir)) + "/" }

// relative is the SQL turning path col into a name relative to the
// configuration's folder, p being prefix() as SQL.
func (f fileSet) relative(col, p string) string {
	return fmt.Sprintf("CASE WHEN starts_with(%s, %s) THEN substr(%s, length(%s) + 1) ELSE %s END", col, p, col, p, col)
}

// nameErr replaces the spill paths in err's message with the object URLs
// they hold, so that a reader's error names what the user knows.
func (f fileSet) nameErr(err error) error {
	if err == nil || len(f.urls) == 0 {
		return err
	}
	pairs := make([]string, 0, 2*len(f.paths))
	for i, p := range f.paths {
		pairs = append(pairs, p, f.urls[i])
	}
	return &renamedError{msg: strings.NewReplacer(pairs...).Replace(err.Error()), err: err}
}

// renamedError is an error with a rewritten message.
type renamedError struct {
	msg string
	err error
}

func (e *renamedError) Error() string { return e.msg }
func (e *renamedError) Unwrap() error { return e.err }

// compression is the read_csv compression of the paths: the one codec
// their extensions share, or "auto" (DuckDB then decides per file by
// extension) when they mix codecs or have none.
func (f fileSet) compression() string {
	codecs := map[string]bool{}
	for _, p := range f.paths {
		switch {
		case strings.HasSuffix(p, ".gz"):
			codecs["gzip"] = true
		case strings.HasSuffix(p, ".zst"):
			codecs["zstd"] = true
		default:
			codecs["none"] = true
		}
	}
	if len(codecs) == 1 {
		for c := range codecs {
			if c != "none" {
				return c
			}
		}
	}
	return "auto"
}
