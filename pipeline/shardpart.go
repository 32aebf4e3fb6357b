package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/journeydata/journey/internal/duck"
	"github.com/journeydata/journey/pipeline/gates"
	"github.com/journeydata/journey/sinks"
	"github.com/journeydata/journey/sources"
	"github.com/journeydata/journey/store"
)

// A shard hands its part of the snapshot to the finalize step under the
// output root, in the group's folder:
//
//	_shards/snapshot_date=D/group=G/part-0002-of-0004.duckdb  the tables
//	_shards/snapshot_date=D/group=G/part-0002-of-0004.json    shardPart, written last
//	_shards/snapshot_date=D/group=G/finalize.json             who finalizes
//
// The tables travel as a DuckDB database file, which keeps every column's
// type exactly (Parquet has no HUGEINT, for one). A shard run again replaces
// its part. The finalize step removes the group's folder once the snapshot
// is published.

// shardPart describes one shard's handed-over part.
type shardPart struct {
	RunID      string           `json:"run_id"`
	AsOf       string           `json:"as_of"`
	Shard      Shard            `json:"shard"`
	ConfigHash string           `json:"config_hash"`
	Version    string           `json:"version"`
	FinishedAt string           `json:"finished_at"`
	Database   string           `json:"database"` // object name of the tables' database
	Rows       map[string]int64 `json:"rows"`
	// Pushed are the sources this shard read for its own customers alone
	// (shard_by); their counts and rejects are the shard's share.
	Pushed     []string                    `json:"pushed,omitempty"`
	Sources    map[string]sinks.SourceInfo `json:"sources"`
	Identity   sinks.IdentityStats         `json:"identity"`
	Reconciled []gates.Result              `json:"reconciled"`
	Durations  map[string]float64          `json:"durations_seconds"`
}

// shardFolder is the folder of a group's parts for one date.
func shardFolder(asOf, group string) string {
	return fmt.Sprintf("_shards/snapshot_date=%s/group=%s/", asOf, group)
}

// partName is the object name of shard s's part without extension.
func partName(asOf string, s Shard) string {
	return fmt.Sprintf("%spart-%04d-of-%04d", shardFolder(asOf, s.Group), s.Index, s.Count)
}

// checkShard reconciles every source against the staging and rejects
// tables, which only the shard has; the other gates run when finalizing.
func (r *run) checkShard(ctx context.Context) error {
	in := gates.Inputs{Sources: map[string]gates.SourceCounts{}}
	for name, s := range r.manifest.Sources {
		in.Sources[name] = gates.SourceCounts{Entity: s.Entity, Read: s.Read, Loaded: s.Loaded, Rejected: s.Rejected}
	}
	res, err := gates.Reconcile(ctx, r.db, in)
	if err != nil {
		return err
	}
	if err := r.checkShardBy(ctx); err != nil {
		return err
	}
	rep := gates.Report{Results: res}
	r.gates = &rep
	if rep.Failed() {
		return fmt.Errorf("quality gates failed in shard %s, nothing was handed over:\n%s%w", r.opt.Shard, rep.Text(), errGateMarker{})
	}
	return nil
}

// identityRecords are the record type in customer_identity, the id field
// and the time field of each entity with a customer.
var identityRecords = map[string]struct{ kind, id, at string }{
	"interactions":     {"interaction", "interaction_id", "occurred_at"},
	"orders":           {"order", "order_id", "ordered_at"},
	"survey_responses": {"survey", "response_id", "responded_at"},
}

// checkShardBy holds a source read by shard to its promise: each of its
// records of the snapshot resolved to the customer its shard_by field
// names, so it was read by that customer's shard. A record resolving
// elsewhere (an id that is no CRM contact but whose email is one, or no
// id) would be missing from the right shard: the run fails.
func (r *run) checkShardBy(ctx context.Context) error {
	for _, name := range r.pushed {
		var spec sources.Spec
		for _, s := range r.cfg.Sources {
			if s.Name == name {
				spec = s
			}
		}
		rec := identityRecords[spec.Entity]
		q := fmt.Sprintf(`SELECT count(*), min(s._file || ':' || s._line)
			FROM %s s LEFT JOIN customer_identity ci ON ci.record_type = $1 AND ci.record_id = s.%s
			WHERE s._source = $2 AND s.%s < $3 AND ci.customer_id IS DISTINCT FROM s.customer_id`,
			duck.Ident(sources.StagingTable(spec.Entity)), duck.Ident(rec.id), duck.Ident(rec.at))
		var n int64
		var first *string
		if err := r.db.QueryRowContext(ctx, q, rec.kind, name, r.cutoff).Scan(&n, &first); err != nil {
			return fmt.Errorf("check shard_by of source %s: %w", name, err)
		}
		if n > 0 {
			return sourceError{fmt.Errorf("source %s: shard_by customer_id does not hold for %d records (the first at %s): "+
				"each resolves to a customer other than its customer_id (the id is no CRM contact but the email is, or it is empty), "+
				"so it belongs to another shard; remove shard_by from the source to read it in every shard", name, n, deref(first))}
		}
	}
	return nil
}

func deref(s *string) string {
	if s == nil {
		return "?"
	}
	return *s
}

// publishPart writes the shard's tables into a database file in the work
// folder, uploads it, then its description, which makes the part visible.
func (r *run) publishPart(ctx context.Context) error {
	s := *r.opt.Shard
	out, err := r.output(ctx)
	if err != nil {
		return fmt.Errorf("hand over shard %s: %w", s, err)
	}
	r.sweepWork()
	local := filepath.Join(r.workDir, "part.duckdb")
	rows, err := r.writePartDB(ctx, local)
	if err != nil {
		return fmt.Errorf("hand over shard %s: write its tables: %w", s, err)
	}
	name := partName(r.asOf, s)
	part := shardPart{RunID: r.opt.RunID, AsOf: r.asOf, Shard: s, ConfigHash: r.cfg.Hash, Version: r.opt.Version,
		Database: name + ".duckdb", Rows: rows, Pushed: r.pushed, Sources: r.manifest.Sources, Identity: r.manifest.Identity,
		Reconciled: r.gates.Results, Durations: r.manifest.Durations}
	if err := out.Upload(ctx, part.Database, local, store.WriteOptions{ContentType: "application/octet-stream"}); err != nil {
		return fmt.Errorf("hand over shard %s: %w", s, err)
	}
	part.FinishedAt = r.opt.Now().UTC().Format(time.RFC3339)
	r.markPublishTime()
	b, err := json.MarshalIndent(part, "", "  ")
	if err != nil {
		return fmt.Errorf("hand over shard %s: %w", s, err)
	}
	if err := out.WriteFile(ctx, name+".json", append(b, '\n'), store.WriteOptions{ContentType: "application/json"}); err != nil {
		return fmt.Errorf("hand over shard %s: %w", s, err)
	}
	r.manifest.Status = "part"
	r.opt.Log.Info().Str("shard", s.String()).Str("group", s.Group).Str("part", name).Msg("shard handed over")
	return nil
}

// writePartDB copies the part's tables into a new database file at path
// and returns their row counts. Rejects of a source every shard reads in
// full are the same in every shard and travel with shard 0 alone; those
// of a source read by shard travel with each shard.
func (r *run) writePartDB(ctx context.Context, path string) (map[string]int64, error) {
	_ = os.Remove(path)
	if _, err := r.db.ExecContext(ctx, "ATTACH "+duck.Literal(path)+" AS part"); err != nil {
		return nil, err
	}
	detached := false
	defer func() {
		if !detached {
			_, _ = r.db.ExecContext(context.WithoutCancel(ctx), "DETACH part")
		}
	}()
	rows := map[string]int64{}
	for _, t := range partTables {
		q := "SELECT * FROM " + duck.Ident(t)
		var a duck.Args
		switch {
		case t == sources.RejectsTable && r.opt.Shard.Index != 0 && len(r.pushed) == 0:
			continue
		case t == sources.RejectsTable && r.opt.Shard.Index != 0:
			q += " WHERE list_contains(" + a.Add(r.pushed) + ", source)"
		case t == "stg_survey_responses":
			q += " WHERE response_id IN (SELECT record_id FROM customer_identity WHERE record_type = 'survey')"
		}
		if _, err := r.db.ExecContext(ctx, "CREATE TABLE part."+duck.Ident(t)+" AS "+q, a.Values()...); err != nil {
			return nil, fmt.Errorf("copy %s: %w", t, err)
		}
		n, err := r.db.Int64(ctx, "SELECT count(*) FROM part."+duck.Ident(t))
		if err != nil {
			return nil, fmt.Errorf("count %s: %w", t, err)
		}
		rows[t] = n
	}
	detached = true
	if _, err := r.db.ExecContext(ctx, "DETACH part"); err != nil {
		return nil, err
	}
	return rows, nil
}
