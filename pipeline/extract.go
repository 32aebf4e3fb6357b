package pipeline

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/journeydata/journey/sinks"
	"github.com/journeydata/journey/sources"
)

// spillDir is the folder a source may spill to, inside the run's work folder.
func (r *run) spillDir(source string) string {
	return filepath.Join(r.workDir, "spill", source)
}

// extract reads every source, maps it onto its entity and builds the staging
// and rejects tables, recording the reconciled counts in the manifest.
func (r *run) extract(ctx context.Context) error {
	if err := sources.CreateParseRejects(ctx, r.db); err != nil {
		return err
	}
	var loaded []sources.Loaded
	r.watermarks = make([]string, len(r.cfg.Sources))
	for i, spec := range r.cfg.Sources {
		src, err := r.opt.Registry.New(spec, r.cfg.Dir())
		if err != nil {
			return sourceError{err}
		}
		l := sources.Loaded{Spec: spec, Src: i, Raw: fmt.Sprintf("raw_%d", i), Mapped: fmt.Sprintf("map_%d", i)}
		t := r.opt.Now()
		var since string
		if l.Carried, since, err = r.carry(ctx, spec, i); err != nil {
			return err
		}
		req := sources.Request{Raw: l.Raw, Since: since, WorkDir: r.spillDir(spec.Name)}
		if r.opt.Shard != nil && spec.ShardBy != "" {
			req.Shard = &sources.ShardFilter{Column: spec.Columns[spec.ShardBy], Index: r.opt.Shard.Index, Count: r.opt.Shard.Count}
		}
		if l.Extracted, err = src.Extract(ctx, r.db, req); err != nil {
			return sourceError{err}
		}
		if l.Extracted.Sharded {
			r.pushed = append(r.pushed, spec.Name)
		}
		r.watermarks[i] = l.Extracted.Watermark
		if err := sources.Map(ctx, r.db, spec, i, l.Raw, l.Mapped, l.Extracted); err != nil {
			return sourceError{err}
		}
		r.logUnmappedColumns(spec, l.Extracted.Columns)
		r.manifest.Durations["extract."+spec.Name] = r.opt.Now().Sub(t).Seconds()
		loaded = append(loaded, l)
	}
	counts, err := sources.Stage(ctx, r.db, loaded)
	if err != nil {
		return err
	}
	r.recordSources(loaded, counts)
	return r.checkRejectRatios(ctx, counts)
}

// recordSources puts the reconciled counts and input fingerprints of every
// source into the manifest.
func (r *run) recordSources(loaded []sources.Loaded, counts map[string]sources.Counts) {
	for _, l := range loaded {
		c := counts[l.Spec.Name]
		info := sinks.SourceInfo{Entity: l.Spec.Entity, Read: c.Read, Loaded: c.Loaded, Rejected: c.Rejected}
		for _, in := range l.Extracted.Inputs {
			info.Inputs = append(info.Inputs, sinks.InputInfo{Name: in.Name, Size: in.Size, ModTime: in.ModTime})
		}
		r.manifest.Sources[l.Spec.Name] = info
		r.opt.Log.Info().Str("source", l.Spec.Name).Int64("read", c.Read).Int64("loaded", c.Loaded).
			Int64("rejected", c.Rejected).Msg("source loaded")
	}
}
