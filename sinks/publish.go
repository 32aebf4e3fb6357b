package sinks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/journeydata/journey/internal/duck"
)

// Snapshot is one run's output on its way to the output root.
type Snapshot struct {
	Root  string // the output root (a local folder)
	RunID string
	AsOf  string // YYYY-MM-DD
}

func (s Snapshot) staging() string { return filepath.Join(s.Root, "_staging", s.RunID) }
func (s Snapshot) trash() string   { return filepath.Join(s.Root, "_trash", s.RunID) }

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

// Write writes every table from db into the snapshot's staging folder and
// returns what it wrote. Nothing is visible under the output root yet.
func (s Snapshot) Write(ctx context.Context, db *duck.DB) (map[string]TableStats, error) {
	if err := os.RemoveAll(s.staging()); err != nil {
		return nil, fmt.Errorf("clear staging folder: %w", err)
	}
	stats := map[string]TableStats{}
	for _, t := range Tables() {
		st, err := s.writeTable(ctx, db, t)
		if err != nil {
			return nil, fmt.Errorf("write %s: %w", t.Name, err)
		}
		stats[t.Name] = st
	}
	return stats, nil
}

func (s Snapshot) writeTable(ctx context.Context, db *duck.DB, t Table) (TableStats, error) {
	dir := filepath.Join(s.staging(), t.Name, s.partDir(t))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return TableStats{}, err
	}
	order := strings.Join(quoteAll(t.OrderBy), ", ")
	opts := "FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880"
	var q string
	switch t.Partition {
	case ByEventMonth:
		q = fmt.Sprintf(`COPY (SELECT * FROM %s ORDER BY %s) TO %s (%s, PARTITION_BY (event_month), FILENAME_PATTERN 'part-{i}')`,
			duck.Ident(t.Name), order, duck.Literal(dir), opts)
	default:
		q = fmt.Sprintf(`COPY (SELECT * EXCLUDE (%s) FROM %s ORDER BY %s) TO %s (%s)`,
			duck.Ident(string(t.Partition)), duck.Ident(t.Name), order, duck.Literal(filepath.Join(dir, "part-0.parquet")), opts)
	}
	if _, err := db.ExecContext(ctx, q); err != nil {
		return TableStats{}, err
	}
	n, err := db.Int64(ctx, "SELECT count(*) FROM "+duck.Ident(t.Name))
	if err != nil {
		return TableStats{}, err
	}
	files, err := listFiles(filepath.Join(s.staging(), t.Name))
	if err != nil {
		return TableStats{}, err
	}
	for i, f := range files {
		files[i] = filepath.ToSlash(filepath.Join(t.Name, f))
	}
	return TableStats{Rows: n, Files: files}, nil
}

// Commit moves the staged tables into place and writes the manifest last.
// A table replaced whole (journey_events) and a snapshot partition that
// already exists are swapped folder by folder.
func (s Snapshot) Commit(m *Manifest) error {
	for _, t := range Tables() {
		src := filepath.Join(s.staging(), t.Name, s.partDir(t))
		dst := filepath.Join(s.Root, t.Name, s.partDir(t))
		if err := s.replace(src, dst, t.Name); err != nil {
			return fmt.Errorf("publish %s: %w", t.Name, err)
		}
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("encode manifest: %w", err)
	}
	if err := writeFileAtomic(ManifestPath(s.Root, s.AsOf), append(b, '\n')); err != nil {
		return fmt.Errorf("write manifest: %w", err)
	}
	return s.Cleanup()
}

func (s Snapshot) replace(src, dst, name string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	if _, err := os.Stat(dst); err == nil {
		old := filepath.Join(s.trash(), name)
		if err := os.MkdirAll(filepath.Dir(old), 0o755); err != nil {
			return err
		}
		if err := os.Rename(dst, old); err != nil {
			return err
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return os.Rename(src, dst)
}

// Cleanup removes the run's staging and trash folders.
func (s Snapshot) Cleanup() error {
	err := os.RemoveAll(s.staging())
	if terr := os.RemoveAll(s.trash()); err == nil {
		err = terr
	}
	for _, d := range []string{"_staging", "_trash"} {
		_ = os.Remove(filepath.Join(s.Root, d)) // only when empty
	}
	return err
}

func listFiles(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		out = append(out, rel)
		return err
	})
	slices.Sort(out)
	return out, err
}

func quoteAll(names []string) []string {
	var q []string
	for _, n := range names {
		q = append(q, duck.Ident(n))
	}
	return q
}
