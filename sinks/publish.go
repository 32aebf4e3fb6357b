package sinks

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/journeydata/journey/internal/duck"
)

// Snapshot is one run's output on its way to the output root: Write puts
// every table into a local staging folder, Commit publishes it.
type Snapshot struct {
	// Out is the output root.
	Out *Root
	// Staging is a local folder of this run's own (inside its work
	// folder, never under the output root) where DuckDB writes the tables.
	Staging string
	RunID   string
	AsOf    string // YYYY-MM-DD
	// KeepSnapshots is how many of the newest snapshots Commit keeps; 0
	// keeps all.
	KeepSnapshots int
	// Written, when set, is told how long Write took for each table.
	Written func(table string, d time.Duration)
}

// partDir is the folder a table's rows of this snapshot live in, relative to
// the table's folder; "" for a table replaced whole.
func (s Snapshot) partDir(t Table) string {
	switch t.Partition {
	case BySnapshot:
		return "snapshot_date=" + s.AsOf
	case ByRun:
		return "run_id=" + s.RunID
	}
	return ""
}

// Write writes every table from db into the staging folder and returns what
// it wrote, with each file's name relative to the staging folder, which is
// also its name under the output root. Nothing is visible under the output
// root yet. A table whose columns differ from its declaration in Tables, or
// that holds a NULL in a column declared not null, fails the write.
func (s Snapshot) Write(ctx context.Context, db *duck.DB) (map[string]TableStats, error) {
	if err := os.RemoveAll(s.Staging); err != nil {
		return nil, fmt.Errorf("clear staging folder: %w", err)
	}
	stats := map[string]TableStats{}
	for _, t := range Tables() {
		start := time.Now()
		st, err := s.writeTable(ctx, db, t)
		if err != nil {
			return nil, err
		}
		stats[t.Name] = st
		if s.Written != nil {
			s.Written(t.Name, time.Since(start))
		}
	}
	return stats, nil
}

// writeTable checks that the table in db conforms to t's declaration and
// writes it into the staging folder as Parquet, one file per partition.
func (s Snapshot) writeTable(ctx context.Context, db *duck.DB, t Table) (TableStats, error) {
	if err := t.validate(); err != nil {
		return TableStats{}, fmt.Errorf("write %s: bad declaration: %w", t.Name, err)
	}
	if err := conform(ctx, db, t); err != nil {
		return TableStats{}, fmt.Errorf("write %s: %w", t.Name, err)
	}
	from := map[string]string{s.partDir(t): duck.Ident(t.Name)}
	if t.Partition.FromData() {
		spool := s.Staging + ".spool"
		defer os.RemoveAll(spool)
		view, err := db.IsView(ctx, t.Name)
		if err == nil && view {
			from, err = filterParts(ctx, db, t)
		} else if err == nil {
			from, err = split(ctx, db, t, spool)
		}
		if err != nil {
			return TableStats{}, fmt.Errorf("write %s: %w", t.Name, err)
		}
	}
	st := TableStats{CRC32C: map[string]string{}}
	for _, part := range slices.Sorted(maps.Keys(from)) {
		name := t.Name + "/" + part + "/part-0.parquet"
		sum, err := s.writeFile(ctx, db, t, from[part], name)
		if err != nil {
			return TableStats{}, fmt.Errorf("write %s: %w", t.Name, err)
		}
		st.Files = append(st.Files, name)
		st.CRC32C[name] = sum
	}
	var err error
	if st.Rows, err = db.Int64(ctx, "SELECT count(*) FROM "+duck.Ident(t.Name)); err != nil {
		return TableStats{}, fmt.Errorf("write %s: count rows: %w", t.Name, err)
	}
	return st, nil
}

// writeFile writes the rows of t in relation from as the staged file name
// and returns its CRC32C in hex.
func (s Snapshot) writeFile(ctx context.Context, db *duck.DB, t Table, from, name string) (string, error) {
	path := s.staged(name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", err
	}
	if _, err := db.ExecContext(ctx, copyStatement(t, from, path)); err != nil {
		return "", fmt.Errorf("copy to parquet: %w", err)
	}
	_, sum, err := fileCRC(path)
	if err != nil {
		return "", fmt.Errorf("checksum: %w", err)
	}
	return fmt.Sprintf("%08x", sum), nil
}

// staged is the local path of a file named as under the output root.
func (s Snapshot) staged(name string) string {
	return filepath.Join(s.Staging, filepath.FromSlash(name))
}

// split writes a table partitioned by its data into the folder spool, one
// pass over the table, and returns each partition folder
// ("event_month=2025-06") with the relation reading that partition's rows.
// (Writing the published files with COPY … PARTITION_BY directly would be
// shorter, but the same rows would not give the same bytes twice.)
func split(ctx context.Context, db *duck.DB, t Table, spool string) (map[string]string, error) {
	if err := os.RemoveAll(spool); err != nil {
		return nil, fmt.Errorf("clear the partition spool: %w", err)
	}
	col := string(t.Partition)
	q := fmt.Sprintf("SELECT %s, CAST(%s AS VARCHAR) AS %s FROM %s", fileColumns(t), duck.Ident(col), duck.Ident(col), duck.Ident(t.Name))
	parts, err := db.Split(ctx, q, nil, col, spool)
	if err != nil {
		return nil, err
	}
	from := map[string]string{}
	for value, rel := range parts {
		from[col+"="+value] = rel
	}
	return from, nil
}

// filterParts returns each partition folder of a table partitioned by its
// data with the relation selecting that partition's rows. It is for views:
// a view over files partitioned by the same column (a step kept in files)
// reads only the partition's files, where a table would be read whole for
// every partition (see split).
func filterParts(ctx context.Context, db *duck.DB, t Table) (map[string]string, error) {
	col := duck.Ident(string(t.Partition))
	rows, err := db.QueryContext(ctx, fmt.Sprintf("SELECT DISTINCT CAST(%s AS VARCHAR) FROM %s", col, duck.Ident(t.Name)))
	if err != nil {
		return nil, fmt.Errorf("list the partitions: %w", err)
	}
	defer rows.Close()
	from := map[string]string{}
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("list the partitions: %w", err)
		}
		from[string(t.Partition)+"="+v] = fmt.Sprintf("(SELECT * FROM %s WHERE CAST(%s AS VARCHAR) = %s)", duck.Ident(t.Name), col, duck.Literal(v))
	}
	return from, rows.Err()
}

func quoteAll(names []string) []string {
	var q []string
	for _, n := range names {
		q = append(q, duck.Ident(n))
	}
	return q
}
