package file

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/journeydata/journey/internal/duck"
	"github.com/journeydata/journey/sources"
)

// extractParquet reads Parquet files. Columns keep their types (listed in
// Extracted.Types when not VARCHAR): the mapping takes a field from a typed
// column as is where that is exact and reads the column's text otherwise,
// so every format maps alike (a naive TIMESTAMP column is read in the
// source's time zone). The "line" of
// a record is its 1-based row number in its file. With shard set, only the
// shard's rows are kept.
//
// Local files are read through a view rather than copied into a table:
// Parquet is read fast and by column, so the mapping reads the files
// directly and the run holds no text copy of the source, which at a
// million customers was a third of the extract stage's memory and spill.
// A row's _rid is the reader's file_index times 2^40 plus its row number
// in the file. Downloaded objects are copied into a table,
// since their spill files are removed when Extract returns.
func (s *Source) extractParquet(ctx context.Context, db *duck.DB, raw string, files fileSet, shard *sources.ShardFilter) (sources.Extracted, error) {
	var a duck.Args
	described, err := db.Describe(ctx, fmt.Sprintf("SELECT * FROM read_parquet(%s)", a.Add(files.paths)), a.Values()...)
	if err != nil {
		return sources.Extracted{}, err
	}
	var cols, sel []string
	types := map[string]string{}
	for _, c := range described {
		cols = append(cols, c.Name)
		sel = append(sel, duck.Ident(c.Name))
		if c.Type != "VARCHAR" {
			types[c.Name] = c.Type
		}
	}
	where := ""
	if shard != nil {
		if !slices.Contains(cols, shard.Column) {
			return sources.Extracted{}, fmt.Errorf("shard column %q not found; the files have columns: %s", shard.Column, strings.Join(cols, ", "))
		}
		where = " WHERE " + shard.DuckDBCondition(duck.Ident(shard.Column))
	}
	if files.names == "" {
		q := fmt.Sprintf(`CREATE OR REPLACE VIEW %s AS SELECT %s, %s AS _file, file_row_number + 1 AS _line,
			(CAST(file_index AS BIGINT) << 40) + file_row_number AS _rid
			FROM read_parquet(%s, filename = '_file', file_row_number = true)%s`,
			duck.Ident(raw), strings.Join(sel, ", "), files.nameLiteralExpr("_file"), pathList(files.paths), where)
		if _, err := db.ExecContext(ctx, q); err != nil {
			return sources.Extracted{}, err
		}
		return sources.Extracted{Columns: cols, Types: types, Sharded: shard != nil, View: true}, nil
	}
	a = duck.Args{}
	q := fmt.Sprintf(`CREATE OR REPLACE TABLE %s AS SELECT %s, %s AS _file, file_row_number + 1 AS _line
		FROM read_parquet(%s, filename = '_file', file_row_number = true)%s`,
		duck.Ident(raw), strings.Join(sel, ", "), files.nameExpr("_file", &a), a.Add(files.paths), where)
	if _, err := db.ExecContext(ctx, q, a.Values()...); err != nil {
		return sources.Extracted{}, err
	}
	return sources.Extracted{Columns: cols, Types: types, Sharded: shard != nil}, nil
}

// pathList is paths as a SQL list literal, for a view, which cannot hold
// parameters.
func pathList(paths []string) string {
	ls := make([]string, len(paths))
	for i, p := range paths {
		ls[i] = duck.Literal(p)
	}
	return "[" + strings.Join(ls, ", ") + "]"
}
