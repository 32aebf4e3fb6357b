package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/journeydata/journey/internal/duck"
	"github.com/journeydata/journey/internal/fsutil"
	"github.com/journeydata/journey/sources"
)

// sourceState is what an incremental source (one with a watermark column)
// carries from one published run to the next: the highest watermark read and
// the records loaded so far, so that a run reading only the changed rows
// still sees the whole history.
type sourceState struct {
	Watermark string `json:"watermark"`
	Rows      string `json:"rows"` // Parquet file, relative to the output root
	RunID     string `json:"run_id"`
}

// incrementalState is the file _state/sources.json under the output root.
type incrementalState struct {
	Sources map[string]sourceState `json:"sources"`
}

func statePath(root string) string { return filepath.Join(root, "_state", "sources.json") }

// loadState reads the incremental state; a missing file is an empty state.
func loadState(root string) (incrementalState, error) {
	st := incrementalState{Sources: map[string]sourceState{}}
	b, err := os.ReadFile(statePath(root))
	if errors.Is(err, os.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return st, fmt.Errorf("read incremental state: %w", err)
	}
	if err := json.Unmarshal(b, &st); err != nil {
		return st, fmt.Errorf("read incremental state %s: %w", statePath(root), err)
	}
	if st.Sources == nil {
		st.Sources = map[string]sourceState{}
	}
	return st, nil
}

// carry loads the records an incremental source loaded in earlier runs and
// returns the table and the watermark to read from ("" and "" for a full read).
func (r *run) carry(ctx context.Context, spec sources.Spec, src int) (table, since string, err error) {
	st, ok := r.state.Sources[spec.Name]
	if spec.Watermark == "" || !ok || st.Rows == "" {
		return "", "", nil
	}
	table = fmt.Sprintf("carried_%d", src)
	q := fmt.Sprintf("CREATE OR REPLACE TABLE %s AS SELECT * REPLACE (%d AS _src) FROM read_parquet($1)", duck.Ident(table), src)
	if _, err := r.db.ExecContext(ctx, q, filepath.Join(r.root(), st.Rows)); err != nil {
		return "", "", sourceError{fmt.Errorf("source %s: load the records of earlier runs from %s: %w", spec.Name, st.Rows, err)}
	}
	return table, st.Watermark, nil
}

// saveState records, after the snapshot is published, every incremental
// source's records and watermark. The rows file is new for every run and the
// state file is replaced atomically, so a crash leaves the previous state
// whole; a state older than the published snapshot only makes the next run
// read some rows again, which duplicate resolution absorbs.
func (r *run) saveState(ctx context.Context) error {
	changed := false
	for i, spec := range r.cfg.Sources {
		if spec.Watermark == "" {
			continue
		}
		rel := filepath.ToSlash(filepath.Join("_state", "sources", spec.Name, r.opt.RunID+".parquet"))
		if err := r.writeCarried(ctx, spec, filepath.Join(r.root(), rel)); err != nil {
			return err
		}
		wm := r.watermarks[i]
		if wm == "" {
			wm = r.state.Sources[spec.Name].Watermark
		}
		r.state.Sources[spec.Name] = sourceState{Watermark: wm, Rows: rel, RunID: r.opt.RunID}
		changed = true
	}
	if !changed {
		return nil
	}
	b, err := json.MarshalIndent(r.state, "", "  ")
	if err != nil {
		return fmt.Errorf("encode incremental state: %w", err)
	}
	if err := fsutil.WriteFileAtomic(statePath(r.root()), append(b, '\n')); err != nil {
		return fmt.Errorf("write incremental state: %w", err)
	}
	return r.pruneState()
}

func (r *run) writeCarried(ctx context.Context, spec sources.Spec, path string) error {
	e, _ := sources.EntityByName(spec.Entity)
	var cols []string
	for _, f := range e.Fields {
		cols = append(cols, duck.Ident(f.Name))
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("source %s: save records: %w", spec.Name, err)
	}
	q := fmt.Sprintf("COPY (SELECT %s, _src, _source, _file, _line FROM %s WHERE _source = $1) TO %s (FORMAT parquet, COMPRESSION zstd)",
		strings.Join(cols, ", "), duck.Ident(sources.StagingTable(spec.Entity)), duck.Literal(path))
	if _, err := r.db.ExecContext(ctx, q, spec.Name); err != nil {
		return fmt.Errorf("source %s: save records: %w", spec.Name, err)
	}
	return nil
}

// pruneState removes rows files no longer named by the state.
func (r *run) pruneState() error {
	for name, st := range r.state.Sources {
		dir := filepath.Join(r.root(), "_state", "sources", name)
		entries, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, e := range entries {
			if rel := filepath.ToSlash(filepath.Join("_state", "sources", name, e.Name())); rel != st.Rows {
				if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
					return fmt.Errorf("prune incremental state: %w", err)
				}
			}
		}
	}
	return nil
}
