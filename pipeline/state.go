package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/journeydata/journey/internal/duck"
	"github.com/journeydata/journey/sources"
	"github.com/journeydata/journey/store"
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

// incrementalState is the object _state/sources.json under the output root.
type incrementalState struct {
	Sources map[string]sourceState `json:"sources"`
}

// stateName is the state's object under the output root.
const stateName = "_state/sources.json"

// loadState reads the incremental state; a missing object is an empty state.
func (r *run) loadState(ctx context.Context) error {
	r.state = incrementalState{Sources: map[string]sourceState{}}
	out, err := r.output(ctx)
	if err != nil {
		return err
	}
	b, err := out.ReadFile(ctx, stateName)
	if errors.Is(err, store.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read incremental state: %w", err)
	}
	if err := json.Unmarshal(b, &r.state); err != nil {
		return fmt.Errorf("read incremental state %s/%s: %w", out, stateName, err)
	}
	if r.state.Sources == nil {
		r.state.Sources = map[string]sourceState{}
	}
	return nil
}

// carry loads the records an incremental source loaded in earlier runs and
// returns the table and the watermark to read from ("" and "" for a full
// read). On GCS the rows file is downloaded into the work folder first, for
// DuckDB reads local files only.
func (r *run) carry(ctx context.Context, spec sources.Spec, src int) (table, since string, err error) {
	st, ok := r.state.Sources[spec.Name]
	if spec.Watermark == "" || !ok || st.Rows == "" {
		return "", "", nil
	}
	file, err := r.stateFile(ctx, st.Rows)
	if err != nil {
		return "", "", sourceError{fmt.Errorf("source %s: load the records of earlier runs from %s: %w", spec.Name, st.Rows, err)}
	}
	table = fmt.Sprintf("carried_%d", src)
	q := fmt.Sprintf("CREATE OR REPLACE TABLE %s AS SELECT * REPLACE (%d AS _src) FROM read_parquet($1)", duck.Ident(table), src)
	if _, err := r.db.ExecContext(ctx, q, file); err != nil {
		return "", "", sourceError{fmt.Errorf("source %s: load the records of earlier runs from %s: %w", spec.Name, st.Rows, err)}
	}
	return table, st.Watermark, nil
}

// stateFile is a local path holding the state object name.
func (r *run) stateFile(ctx context.Context, name string) (string, error) {
	out, err := r.output(ctx)
	if err != nil {
		return "", err
	}
	if p, ok := out.LocalPath(name); ok {
		return p, nil
	}
	local := filepath.Join(r.workDir, filepath.FromSlash(name))
	return local, out.Download(ctx, name, local)
}

// saveState records, after the snapshot is published and under the publish
// lock, every incremental source's records and watermark. The rows object is
// new for every run and the state object is replaced atomically, so a crash
// leaves the previous state whole; a state older than the published snapshot
// only makes the next run read some rows again, which duplicate resolution
// absorbs.
func (r *run) saveState(ctx context.Context) error {
	changed := false
	for i, spec := range r.cfg.Sources {
		if spec.Watermark == "" {
			continue
		}
		name := path.Join("_state", "sources", spec.Name, r.opt.RunID+".parquet")
		if err := r.writeCarried(ctx, spec, name); err != nil {
			return err
		}
		wm := r.watermarks[i]
		if wm == "" {
			wm = r.state.Sources[spec.Name].Watermark
		}
		r.state.Sources[spec.Name] = sourceState{Watermark: wm, Rows: name, RunID: r.opt.RunID}
		changed = true
	}
	if !changed {
		return nil
	}
	b, err := json.MarshalIndent(r.state, "", "  ")
	if err != nil {
		return fmt.Errorf("encode incremental state: %w", err)
	}
	if err := r.out.WriteFile(ctx, stateName, append(b, '\n'), store.WriteOptions{ContentType: "application/json"}); err != nil {
		return fmt.Errorf("write incremental state: %w", err)
	}
	return r.pruneState(ctx)
}

// writeCarried writes a source's loaded records into the work folder and
// uploads them as the state object name.
func (r *run) writeCarried(ctx context.Context, spec sources.Spec, name string) error {
	e, _ := sources.EntityByName(spec.Entity)
	var cols []string
	for _, f := range e.Fields {
		cols = append(cols, duck.Ident(f.Name))
	}
	local := filepath.Join(r.workDir, "state-out", spec.Name+".parquet")
	q := fmt.Sprintf("COPY (SELECT %s, _src, _source, _file, _line FROM %s WHERE _source = $1) TO %s (FORMAT parquet, COMPRESSION zstd)",
		strings.Join(cols, ", "), duck.Ident(sources.StagingTable(spec.Entity)), duck.Literal(local))
	if err := os.MkdirAll(filepath.Dir(local), 0o755); err != nil {
		return fmt.Errorf("source %s: save records: %w", spec.Name, err)
	}
	if _, err := r.db.ExecContext(ctx, q, spec.Name); err != nil {
		return fmt.Errorf("source %s: save records: %w", spec.Name, err)
	}
	if err := r.out.Upload(ctx, name, local, store.WriteOptions{}); err != nil {
		return fmt.Errorf("source %s: save records: %w", spec.Name, err)
	}
	return nil
}

// pruneState removes rows objects no longer named by the state.
func (r *run) pruneState(ctx context.Context) error {
	for name, st := range r.state.Sources {
		objs, err := r.out.List(ctx, "_state/sources/"+name+"/")
		if err != nil {
			return fmt.Errorf("prune incremental state: %w", err)
		}
		for _, o := range objs {
			if o.Name == st.Rows {
				continue
			}
			if err := r.out.Delete(ctx, o.Name); err != nil {
				return fmt.Errorf("prune incremental state: %w", err)
			}
		}
	}
	return nil
}
