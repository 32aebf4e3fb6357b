package sinks

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

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
		st, err := s.writeTable(ctx, db, t)
		if err != nil {
			return nil, err
		}
		stats[t.Name] = st
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
	parts := []string{s.partDir(t)}
	if t.Partition.fromData() {
		if err := cluster(ctx, db, t); err != nil {
			return TableStats{}, fmt.Errorf("write %s: %w", t.Name, err)
		}
		var err error
		if parts, err = partitionValues(ctx, db, t); err != nil {
			return TableStats{}, fmt.Errorf("write %s: %w", t.Name, err)
		}
	}
	st := TableStats{CRC32C: map[string]string{}}
	for _, part := range parts {
		name := t.Name + "/" + part + "/part-0.parquet"
		sum, err := s.writeFile(ctx, db, t, part, name)
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

// writeFile writes one partition of t as the staged file name and returns
// its CRC32C in hex.
func (s Snapshot) writeFile(ctx context.Context, db *duck.DB, t Table, part, name string) (string, error) {
	path := s.staged(name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", err
	}
	if _, err := db.ExecContext(ctx, copyStatement(t, part, path)); err != nil {
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

// cluster rewrites a table partitioned by its data in the order of its
// files, partition first, so that each partition's COPY reads only the row
// groups of that partition (DuckDB skips the others by their min/max)
// instead of scanning the whole table once per partition.
func cluster(ctx context.Context, db *duck.DB, t Table) error {
	keys := append([]string{string(t.Partition)}, slices.DeleteFunc(slices.Clone(t.OrderBy), func(k string) bool { return k == string(t.Partition) })...)
	q := fmt.Sprintf("CREATE OR REPLACE TABLE %s AS SELECT * FROM %s ORDER BY %s",
		duck.Ident(t.Name), duck.Ident(t.Name), strings.Join(quoteAll(keys), ", "))
	// The rows must be stored in the sorted order, which DuckDB keeps only
	// with insertion order preserved.
	err := db.Ordered(ctx, func() error {
		_, err := db.ExecContext(ctx, q)
		return err
	})
	if err != nil {
		return fmt.Errorf("order the rows by partition: %w", err)
	}
	return nil
}

// partitionValues lists the partition folders of a table partitioned by
// its data ("event_month=2025-06"), sorted.
func partitionValues(ctx context.Context, db *duck.DB, t Table) ([]string, error) {
	col := duck.Ident(string(t.Partition))
	rows, err := db.QueryContext(ctx, fmt.Sprintf("SELECT DISTINCT CAST(%s AS VARCHAR) FROM %s ORDER BY 1", col, duck.Ident(t.Name)))
	if err != nil {
		return nil, fmt.Errorf("list partitions: %w", err)
	}
	defer rows.Close()
	var parts []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("list partitions: %w", err)
		}
		parts = append(parts, string(t.Partition)+"="+v)
	}
	slices.Sort(parts)
	return parts, rows.Err()
}

func quoteAll(names []string) []string {
	var q []string
	for _, n := range names {
		q = append(q, duck.Ident(n))
	}
	return q
}
