package duck

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Split writes the rows of query (run with args) into folder dir, which must
// not exist yet, as uncompressed Parquet files partitioned by the query's
// column col, in one pass and in no particular order. It returns, for each
// value of col, a relation reading that value's rows (without col), for use
// in FROM. A query without rows gives none.
//
// It is how a table too large to sort or to scan once per part is divided:
// each part is then read from its own files. DuckDB's partitioned writer
// interleaves its threads' output, so a file's row order is unspecified.
func (db *DB) Split(ctx context.Context, query string, args []any, col, dir string) (map[string]string, error) {
	q := fmt.Sprintf("COPY (%s\n) TO %s (FORMAT parquet, PARTITION_BY (%s), COMPRESSION uncompressed)",
		query, Literal(dir), Ident(col))
	if _, err := db.ExecContext(ctx, q, args...); err != nil {
		return nil, fmt.Errorf("split the rows by %s: %w", col, err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("split the rows by %s: list the parts: %w", col, err)
	}
	parts := map[string]string{}
	for _, e := range entries {
		if value, ok := strings.CutPrefix(e.Name(), col+"="); ok && e.IsDir() {
			files := filepath.Join(dir, e.Name(), "*.parquet")
			parts[value] = fmt.Sprintf("read_parquet(%s, hive_partitioning = false)", Literal(files))
		}
	}
	return parts, nil
}
