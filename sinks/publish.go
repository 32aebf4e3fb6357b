package sinks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

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
// returns what it wrote. Nothing is visible under the output root yet. A
// table whose columns differ from its declaration in Tables, or that holds a
// NULL in a column declared not null, fails the write, naming the columns.
func (s Snapshot) Write(ctx context.Context, db *duck.DB) (map[string]TableStats, error) {
	if err := os.RemoveAll(s.staging()); err != nil {
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
// writes it into the staging folder as Parquet (see copyStatement).
func (s Snapshot) writeTable(ctx context.Context, db *duck.DB, t Table) (TableStats, error) {
	if err := t.validate(); err != nil {
		return TableStats{}, fmt.Errorf("write %s: bad declaration: %w", t.Name, err)
	}
	if err := conform(ctx, db, t); err != nil {
		return TableStats{}, fmt.Errorf("write %s: %w", t.Name, err)
	}
	dir := filepath.Join(s.staging(), t.Name, s.partDir(t))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return TableStats{}, fmt.Errorf("write %s: %w", t.Name, err)
	}
	if _, err := db.ExecContext(ctx, copyStatement(t, dir)); err != nil {
		return TableStats{}, fmt.Errorf("write %s: copy to parquet: %w", t.Name, err)
	}
	n, err := db.Int64(ctx, "SELECT count(*) FROM "+duck.Ident(t.Name))
	if err != nil {
		return TableStats{}, fmt.Errorf("write %s: count rows: %w", t.Name, err)
	}
	files, err := listFiles(filepath.Join(s.staging(), t.Name))
	if err != nil {
		return TableStats{}, fmt.Errorf("write %s: list files: %w", t.Name, err)
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
