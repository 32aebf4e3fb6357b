package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"time"

	"github.com/journeydata/journey/pipeline/gates"
	"github.com/journeydata/journey/sinks"
	"github.com/journeydata/journey/store"
)

// RunRecord is one run's entry in the run ledger, kept with the output in
// _runs/<run_id>.json whether the run published or failed.
type RunRecord struct {
	RunID  string `json:"run_id"`
	AsOf   string `json:"as_of"`
	Status string `json:"status"` // complete | failed | part (a shard handed its part over)
	// Shard is the shard a sharded run built, or for the finalize step the
	// count and group of the shards it finalized (index -1).
	Shard      *Shard                      `json:"shard,omitempty"`
	StartedAt  string                      `json:"started_at"`
	FinishedAt string                      `json:"finished_at"`
	Error      string                      `json:"error,omitempty"`
	Sources    map[string]sinks.SourceInfo `json:"sources,omitempty"`
	Tables     map[string]sinks.TableStats `json:"tables,omitempty"`
	Gates      *gates.Report               `json:"gates,omitempty"`
	// Watermarks are the highest watermark each incremental source read.
	Watermarks map[string]string `json:"watermarks,omitempty"`
}

// RunRecordName is a run's record under the output root.
func RunRecordName(runID string) string { return "_runs/" + runID + ".json" }

// RunRecordPath is where a run's record lives under a local output root.
func RunRecordPath(root, runID string) string {
	return filepath.Join(root, filepath.FromSlash(RunRecordName(runID)))
}

// record writes the run's ledger entry; err is the run's outcome. It is
// written even when ctx was cancelled (an interrupted run is recorded as
// failed), within the output root's request deadlines.
func (r *run) record(ctx context.Context, err error) error {
	rec := RunRecord{RunID: r.opt.RunID, AsOf: r.asOf, Status: "complete", StartedAt: r.manifest.StartedAt,
		FinishedAt: r.opt.Now().UTC().Format(time.RFC3339), Sources: r.manifest.Sources, Tables: r.manifest.Tables, Gates: r.gates}
	switch {
	case r.opt.Shard != nil:
		rec.Shard = r.opt.Shard
		rec.Status = "part"
	case r.opt.Finalize != nil:
		f := *r.opt.Finalize
		f.Index = -1
		rec.Shard = &f
	}
	if err != nil {
		rec.Status, rec.Error = "failed", err.Error()
	}
	for i, wm := range r.watermarks {
		if wm != "" {
			if rec.Watermarks == nil {
				rec.Watermarks = map[string]string{}
			}
			rec.Watermarks[r.cfg.Sources[i].Name] = wm
		}
	}
	b, merr := json.MarshalIndent(rec, "", "  ")
	if merr != nil {
		return fmt.Errorf("encode run record: %w", merr)
	}
	ctx = context.WithoutCancel(ctx)
	out, oerr := r.output(ctx)
	if oerr != nil {
		return fmt.Errorf("write run record: %w", oerr)
	}
	if werr := out.WriteFile(ctx, RunRecordName(r.opt.RunID), append(b, '\n'), store.WriteOptions{ContentType: "application/json"}); werr != nil {
		return fmt.Errorf("write run record: %w", werr)
	}
	return nil
}
