package transforms

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/journeydata/journey/internal/duck"
)

// batchOutput is where a batched step's batches go: by default into its
// table in the database, the first batch creating it and the others
// inserting; with a "-- files: partitioned by <column>" header into
// Parquet files (see filesOutput).
type batchOutput interface {
	// write runs the step's statement for batch b, whose rows are in
	// batch_rows.
	write(ctx context.Context, db *duck.DB, b int, params map[string]any) error
	// finish makes the table of the written batches, once they all are.
	finish(ctx context.Context, db *duck.DB, params map[string]any) error
}

func newBatchOutput(ctx context.Context, db *duck.DB, s Step, params map[string]any) (batchOutput, error) {
	if s.FilesBy == "" {
		return &tableOutput{step: s}, nil
	}
	root, _ := params[SpoolDir].(string)
	if root == "" {
		return nil, fmt.Errorf("a step kept in files needs the %s parameter, the folder for them", SpoolDir)
	}
	// The table is made anew as a view, or as a table when empty: drop
	// the one an earlier run on this database left.
	view, err := db.IsView(ctx, s.Table)
	if err != nil {
		return nil, err
	}
	drop := "DROP TABLE IF EXISTS "
	if view {
		drop = "DROP VIEW "
	}
	if err := exec(ctx, db, drop+duck.Ident(s.Table), nil); err != nil {
		return nil, fmt.Errorf("drop the earlier %s: %w", s.Table, err)
	}
	dir, err := spoolDir(params, s.Table+"-files")
	if err != nil {
		return nil, err
	}
	return &filesOutput{step: s, dir: dir}, nil
}

// tableOutput builds the step's table in the database.
type tableOutput struct {
	step    Step
	created bool
}

func (o *tableOutput) write(ctx context.Context, db *duck.DB, _ int, params map[string]any) error {
	stmt := o.step.Batch
	if o.created {
		stmt = strings.Replace(stmt, createPrefix(o.step.Table), "INSERT INTO "+o.step.Table, 1)
	}
	if err := exec(ctx, db, stmt, params); err != nil {
		return err
	}
	o.created = true
	return nil
}

func (o *tableOutput) finish(context.Context, *duck.DB, map[string]any) error { return nil }

// filesOutput writes each batch's rows as Parquet files into a folder of
// the run's spool, partitioned by the step's FilesBy column, and makes the
// table a view over them. The table then holds no memory, and a query that
// filters on the partition column reads only that partition's files: the
// publisher writes each month of events from its own files, where a table
// larger than memory would be scanned whole (from spill) once per month or
// split into files first. The files live as long as the spool folder,
// which is the run's.
type filesOutput struct {
	step    Step
	dir     string
	columns []string // the statement's columns and types, as the view's select list
}

func (o *filesOutput) write(ctx context.Context, db *duck.DB, b int, params map[string]any) error {
	query := o.query()
	if o.columns == nil {
		cols, err := describe(ctx, db, query, params)
		if err != nil {
			return err
		}
		o.columns = cols
	}
	return exec(ctx, db, copyPartitioned(query, o.dir, o.step.FilesBy, fmt.Sprintf("batch%d_{i}", b)), params)
}

// copyPartitioned is the COPY writing the rows of query into dir as Parquet
// files partitioned by the column by, named by pattern.
func copyPartitioned(query, dir, by, pattern string) string {
	return fmt.Sprintf("COPY (%s\n) TO %s (FORMAT parquet, PARTITION_BY (%s), FILENAME_PATTERN %s, COMPRESSION snappy, OVERWRITE_OR_IGNORE)",
		query, duck.Literal(dir), duck.Ident(by), duck.Literal(pattern))
}

// query is the select of the step's per-batch statement, without the
// CREATE TABLE … AS before it.
func (o *filesOutput) query() string {
	stmt := o.step.Batch
	_, q, _ := strings.Cut(stmt, createPrefix(o.step.Table))
	return strings.TrimSuffix(strings.TrimSpace(q), ";")
}

func (o *filesOutput) finish(ctx context.Context, db *duck.DB, params map[string]any) error {
	if !hasFiles(o.dir) {
		// No batch gave a row: the statement builds the empty table from
		// the last (empty) batch.
		return exec(ctx, db, o.step.Batch, params)
	}
	return viewOverFiles(ctx, db, o.step.Table, o.columns, o.dir)
}

// KeepInFiles makes table from the rows of query (run without parameters)
// as a step kept in files does: Parquet files in the folder dir,
// partitioned by the column by, and the table a view over them, with the
// query's column types. Without rows it is an empty table. The caller
// owns dir (created if missing), which must outlive the view.
func KeepInFiles(ctx context.Context, db *duck.DB, table, query, by, dir string) error {
	cols, err := describe(ctx, db, query, nil)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create the folder for %s's files: %w", table, err)
	}
	if err := exec(ctx, db, copyPartitioned(query, dir, by, "part_{i}"), nil); err != nil {
		return fmt.Errorf("write %s into files: %w", table, err)
	}
	if !hasFiles(dir) {
		return exec(ctx, db, fmt.Sprintf("CREATE TABLE %s AS SELECT * FROM (%s\n) LIMIT 0", duck.Ident(table), query), nil)
	}
	return viewOverFiles(ctx, db, table, cols, dir)
}

// hasFiles reports whether a partitioned COPY wrote any file into dir.
func hasFiles(dir string) bool {
	found, _ := filepath.Glob(filepath.Join(dir, "*", "*.parquet"))
	return len(found) > 0
}

// viewOverFiles makes table a view over the partitioned Parquet files in
// dir, selecting columns (see describe).
func viewOverFiles(ctx context.Context, db *duck.DB, table string, columns []string, dir string) error {
	q := fmt.Sprintf("CREATE OR REPLACE VIEW %s AS SELECT %s FROM read_parquet(%s, hive_partitioning = true, hive_types_autocast = false)",
		duck.Ident(table), strings.Join(columns, ", "), duck.Literal(filepath.Join(dir, "*", "*.parquet")))
	return exec(ctx, db, q, nil)
}

// describe returns the select list that gives query's columns their
// types back: each column, cast to its type (the partition column comes
// back from the folder names as text).
func describe(ctx context.Context, db *duck.DB, query string, params map[string]any) ([]string, error) {
	cols, err := db.Describe(ctx, query, namedArgs(query, params)...)
	if err != nil {
		return nil, err
	}
	sel := make([]string, len(cols))
	for i, c := range cols {
		sel[i] = fmt.Sprintf("CAST(%s AS %s) AS %s", duck.Ident(c.Name), c.Type, duck.Ident(c.Name))
	}
	return sel, nil
}
