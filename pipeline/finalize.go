package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/journeydata/journey/internal/duck"
	"github.com/journeydata/journey/pipeline/gates"
	"github.com/journeydata/journey/sinks"
	"github.com/journeydata/journey/store"
	"github.com/journeydata/journey/transforms"
)

// FinalizeLockWait is how long a finalize step waits for the output root's
// publish lock while another run publishes (a backfill, another group).
const FinalizeLockWait = 30 * time.Minute

// ErrPartsMissing marks a finalize step started before every shard of its
// group handed its part over.
var ErrPartsMissing = errors.New("shard parts missing")

// loadParts reads the parts of every shard of the group into the run's
// database: each table is the union of the shards' tables. The parts must
// come from one configuration and program version and must have read the
// same inputs; the manifest takes their source counts.
func (r *run) loadParts(ctx context.Context) error {
	f := *r.opt.Finalize
	out, err := r.output(ctx)
	if err != nil {
		return err
	}
	parts, _, err := readParts(ctx, out, r.asOf, f)
	if err != nil {
		return err
	}
	if err := r.checkParts(parts); err != nil {
		return err
	}
	r.parts = parts
	var attached []string
	defer func() {
		for _, a := range attached {
			_, _ = r.db.ExecContext(context.WithoutCancel(ctx), "DETACH "+a)
		}
	}()
	for i, p := range parts {
		file, ok := out.LocalPath(p.Database)
		if !ok {
			file = filepath.Join(r.workDir, "parts", path.Base(p.Database))
			if err := out.Download(ctx, p.Database, file); err != nil {
				return fmt.Errorf("load the part of shard %s: %w", p.Shard, err)
			}
		}
		alias := fmt.Sprintf("part_%d", i)
		if _, err := r.db.ExecContext(ctx, fmt.Sprintf("ATTACH %s AS %s (READ_ONLY)", duck.Literal(file), alias)); err != nil {
			return fmt.Errorf("load the part of shard %s from %s: %w", p.Shard, p.Database, err)
		}
		attached = append(attached, alias)
	}
	for _, t := range partTables {
		var sel []string
		for i, p := range parts {
			if _, ok := p.Rows[t]; ok {
				sel = append(sel, fmt.Sprintf("SELECT * FROM part_%d.%s", i, duck.Ident(t)))
			}
		}
		if len(sel) == 0 {
			return fmt.Errorf("load the shards' parts: no part holds %s", t)
		}
		union := strings.Join(sel, " UNION ALL BY NAME ")
		if by := filesBy(t); by != "" {
			// As in an unsharded run, the table is kept in files by the
			// column it is published by, so that publishing reads each
			// partition's files rather than the whole table once per
			// partition or a copy of it split first.
			dir := filepath.Join(r.workDir, "parts-files", t)
			if err := transforms.KeepInFiles(ctx, r.db, t, union, by, dir); err != nil {
				return fmt.Errorf("load the shards' parts into %s: %w", t, err)
			}
			continue
		}
		q := fmt.Sprintf("CREATE TABLE %s AS %s", duck.Ident(t), union)
		if _, err := r.db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("load the shards' parts into %s: %w", t, err)
		}
	}
	r.manifest.Sources = mergedSources(parts)
	for _, p := range parts {
		for _, st := range []string{"extract", "transform", "check", "publish"} {
			r.manifest.Durations[fmt.Sprintf("shard.%d.%s", p.Shard.Index, st)] = p.Durations[st]
		}
	}
	return nil
}

// filesBy is the column a part table is kept in files by when finalizing:
// the partition column of a published table partitioned by its rows'
// values (see sinks.Partitioning.FromData), else "".
func filesBy(table string) string {
	for _, t := range sinks.Tables() {
		if t.Name == table && t.Partition.FromData() {
			return string(t.Partition)
		}
	}
	return ""
}

// readParts reads the descriptions of the parts of group f.Group for asOf
// and returns them by shard index, and how many there are; every one of the
// f.Count shards must be there (else ErrPartsMissing), and no part of
// another shard count.
func readParts(ctx context.Context, out *sinks.Root, asOf string, f Shard) ([]shardPart, int, error) {
	objs, err := out.List(ctx, shardFolder(asOf, f.Group))
	if err != nil {
		return nil, 0, fmt.Errorf("list the shards' parts: %w", err)
	}
	parts := make([]shardPart, f.Count)
	found := make([]bool, f.Count)
	for _, o := range objs {
		if !strings.HasSuffix(o.Name, ".json") || !strings.HasPrefix(path.Base(o.Name), "part-") {
			continue
		}
		b, err := out.ReadFile(ctx, o.Name)
		if err != nil {
			return nil, 0, fmt.Errorf("read shard part %s: %w", o.Name, err)
		}
		var p shardPart
		if err := json.Unmarshal(b, &p); err != nil {
			return nil, 0, fmt.Errorf("read shard part %s: %w", o.Name, err)
		}
		if p.Shard.Count != f.Count {
			return nil, 0, fmt.Errorf("shard part %s belongs to %d shards, not %d: finalize with --shards %d, or use another shard group",
				o.Name, p.Shard.Count, f.Count, p.Shard.Count)
		}
		parts[p.Shard.Index], found[p.Shard.Index] = p, true
	}
	var missing []string
	for i, ok := range found {
		if !ok {
			missing = append(missing, fmt.Sprint(i))
		}
	}
	present := f.Count - len(missing)
	if len(missing) > 0 {
		return nil, present, fmt.Errorf("%w: snapshot %s, group %s: no part yet from shard %s of %d (run them with --shard i/%d --shard-group %s)",
			ErrPartsMissing, asOf, f.Group, strings.Join(missing, ", "), f.Count, f.Count, f.Group)
	}
	return parts, present, nil
}

// checkParts refuses parts that cannot make one snapshot together: they
// must come from one configuration and version, read the same sources by
// shard, and have read the same data from the sources every shard reads.
func (r *run) checkParts(parts []shardPart) error {
	for _, p := range parts {
		if p.ConfigHash != r.cfg.Hash {
			return fmt.Errorf("shard %s ran with another configuration (hash %.12s, this one %.12s): run it again with this configuration",
				p.Shard, p.ConfigHash, r.cfg.Hash)
		}
		if p.Version != r.opt.Version {
			return fmt.Errorf("shard %s ran journey %s, this is %s: finalize with the version the shards ran", p.Shard, p.Version, r.opt.Version)
		}
		if !slices.Equal(p.Pushed, parts[0].Pushed) {
			return fmt.Errorf("shards %s and %s read different sources by shard (%v and %v): run the shards again in a new group",
				parts[0].Shard, p.Shard, parts[0].Pushed, p.Pushed)
		}
		if got, want := fullSources(p), fullSources(parts[0]); !bytes.Equal(got, want) {
			return fmt.Errorf("shards %s and %s read different data (their counts or input files differ; an input changed while they ran): run the shards again in a new group",
				parts[0].Shard, p.Shard)
		}
	}
	return nil
}

// fullSources is the part's counts of the sources every shard reads whole,
// with the inputs of all sources, as comparable bytes.
func fullSources(p shardPart) []byte {
	m := map[string]sinks.SourceInfo{}
	for name, s := range p.Sources {
		if slices.Contains(p.Pushed, name) {
			var names []string
			for _, in := range s.Inputs {
				names = append(names, in.Name)
			}
			s = sinks.SourceInfo{Entity: s.Entity, Inputs: []sinks.InputInfo{{Name: strings.Join(names, "\n")}}}
		}
		m[name] = s
	}
	b, _ := json.Marshal(m)
	return b
}

// mergedSources are the snapshot's source counts: those of a source read by
// shard add up over the shards, and so do the sizes of its inputs that
// differ by shard (a PostgreSQL source's bytes read); the others are any
// shard's.
func mergedSources(parts []shardPart) map[string]sinks.SourceInfo {
	m := map[string]sinks.SourceInfo{}
	for name, s := range parts[0].Sources {
		if slices.Contains(parts[0].Pushed, name) {
			s.Inputs = slices.Clone(s.Inputs)
			sizes := make([]int64, len(s.Inputs))
			same := make([]bool, len(s.Inputs))
			for i, in := range s.Inputs {
				sizes[i], same[i] = in.Size, true
			}
			for _, p := range parts[1:] {
				o := p.Sources[name]
				s.Read += o.Read
				s.Loaded += o.Loaded
				s.Rejected += o.Rejected
				for i, in := range o.Inputs {
					if i < len(sizes) {
						sizes[i] += in.Size
						same[i] = same[i] && in.Size == s.Inputs[i].Size
					}
				}
			}
			for i := range s.Inputs {
				if !same[i] {
					s.Inputs[i].Size = sizes[i]
				}
			}
		}
		m[name] = s
	}
	return m
}

// partsReconciled are the shards' reconciliations: every shard reconciled
// every source it read; a source read by shard adds up over the shards,
// the others stand for every shard.
func (r *run) partsReconciled() []gates.Result {
	res := append([]gates.Result{}, r.parts[0].Reconciled...)
	for i := range res {
		if !slices.Contains(r.parts[0].Pushed, res[i].Source) {
			if res[i].Detail != "" {
				res[i].Detail += fmt.Sprintf(" (in each of the %d shards)", len(r.parts))
			}
			continue
		}
		for _, p := range r.parts[1:] {
			for _, o := range p.Reconciled {
				if o.Source == res[i].Source {
					res[i].Total += o.Total
					res[i].Offending += o.Offending
					res[i].Passed = res[i].Passed && o.Passed
				}
			}
		}
		s := r.manifest.Sources[res[i].Source]
		res[i].Detail = fmt.Sprintf("read %d, loaded %d + rejected %d over %d shards", s.Read, s.Loaded, s.Rejected, len(r.parts))
	}
	return res
}

// removeParts deletes the group's folder once the snapshot is published.
func (r *run) removeParts(ctx context.Context) {
	prefix := shardFolder(r.asOf, r.opt.Finalize.Group)
	if err := r.out.DeletePrefix(ctx, prefix); err != nil {
		r.opt.Log.Warn().Err(err).Str("folder", prefix).Msg("remove the shards' parts")
	}
}

// finalizeClaim is the object a shard creates to take on the finalize step.
type finalizeClaim struct {
	RunID     string `json:"run_id"`
	Shard     Shard  `json:"shard"`
	ClaimedAt string `json:"claimed_at"`
}

// ClaimFinalize is called by a shard after handing over its part: when the
// parts of every shard of its group are there, it claims the finalize step
// for runID, and reports whether it got it. Exactly one shard of a group
// gets the claim, so the last to finish finalizes, and a retry of the
// claiming shard takes the claim back; present is the number of parts
// handed over so far.
func ClaimFinalize(ctx context.Context, cfg *Config, asOf time.Time, s Shard, runID string) (present int, claimed bool, err error) {
	out, err := sinks.OpenRoot(ctx, cfg.Resolve(cfg.Output), sinks.Policy{RequestTimeout: cfg.Publish.RequestTimeout})
	if err != nil {
		return 0, false, err
	}
	defer out.Close()
	day := asOf.Format(time.DateOnly)
	if _, present, err = readParts(ctx, out, day, s); err != nil {
		if errors.Is(err, ErrPartsMissing) {
			err = nil
		}
		return present, false, err
	}
	name := shardFolder(day, s.Group) + "finalize.json"
	b, _ := json.Marshal(finalizeClaim{RunID: runID, Shard: s, ClaimedAt: time.Now().UTC().Format(time.RFC3339)})
	err = out.WriteFile(ctx, name, b, store.WriteOptions{IfNotExist: true, ContentType: "application/json"})
	if errors.Is(err, store.ErrPrecondition) {
		// A claim of this very shard is an earlier attempt's that died while
		// finalizing (a platform retries a task only after it ended): the
		// retry takes it back. Another shard's claim stands.
		var held finalizeClaim
		if hb, rerr := out.ReadFile(ctx, name); rerr != nil || json.Unmarshal(hb, &held) != nil || held.Shard.Index != s.Index {
			return s.Count, false, nil
		}
		err = out.WriteFile(ctx, name, b, store.WriteOptions{ContentType: "application/json"})
	}
	if err != nil {
		return s.Count, false, fmt.Errorf("claim the finalize step: %w", err)
	}
	return s.Count, true, nil
}

// ReleaseFinalize withdraws a shard's claim on the finalize step after the
// step failed, so that the shard's retry (or any shard run again) can
// finalize the group.
func ReleaseFinalize(ctx context.Context, cfg *Config, asOf time.Time, s Shard) error {
	out, err := sinks.OpenRoot(ctx, cfg.Resolve(cfg.Output), sinks.Policy{RequestTimeout: cfg.Publish.RequestTimeout})
	if err != nil {
		return err
	}
	defer out.Close()
	if err := out.Delete(ctx, shardFolder(asOf.Format(time.DateOnly), s.Group)+"finalize.json"); err != nil {
		return fmt.Errorf("withdraw the claim on the finalize step: %w", err)
	}
	return nil
}
