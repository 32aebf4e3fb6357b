package gates

import (
	"context"
	"fmt"
	"sort"

	"github.com/journeydata/journey/internal/duck"
	"github.com/journeydata/journey/sources"
)

// reconcile checks, per source, that read = loaded + rejected in the
// extract's counts and that the staging and rejects tables still hold
// exactly those rows. Offending is the largest disagreement found.
func (e *evaluator) reconcile(ctx context.Context, _ Config, in Inputs) ([]Result, error) {
	if in.Reconciled != nil {
		return in.Reconciled, nil
	}
	if len(in.Sources) == 0 {
		return []Result{{Rule: RuleReconcile, Severity: Error, Passed: true, Skipped: true,
			Detail: "no source counts were given"}}, nil
	}
	var rs []Result
	for _, name := range sortedKeys(in.Sources) {
		r, err := e.reconcileSource(ctx, name, in.Sources[name])
		if err != nil {
			return nil, err
		}
		rs = append(rs, r)
	}
	return rs, nil
}

// Reconcile runs the reconciliation gate alone, one result per source (see
// Evaluate), for a run that hands its staging tables to no later check.
func Reconcile(ctx context.Context, db *duck.DB, in Inputs) ([]Result, error) {
	e := &evaluator{db: db, columns: map[string][]string{}}
	return e.reconcile(ctx, Config{}, Inputs{Sources: in.Sources})
}

func (e *evaluator) reconcileSource(ctx context.Context, name string, c SourceCounts) (Result, error) {
	stg := sources.StagingTable(c.Entity)
	res := Result{Table: stg, Source: name, Rule: RuleReconcile, Severity: Error, Total: c.Read}
	if c.Entity == "" {
		return Result{}, fmt.Errorf("evaluate quality gate %s: the source's entity is not given", res.Name())
	}
	if err := e.require(ctx, res.Name(), stg, "_source"); err != nil {
		return Result{}, err
	}
	if err := e.require(ctx, res.Name(), sources.RejectsTable, "source"); err != nil {
		return Result{}, err
	}
	// Records an incremental source carried over from earlier runs were
	// counted then, not now.
	fresh := ""
	if e.require(ctx, res.Name(), stg, "_carried") == nil {
		fresh = " AND NOT coalesce(_carried, false)"
	}
	q := fmt.Sprintf("SELECT (SELECT count(*) FROM %s WHERE _source = $1%s), (SELECT count(*) FROM %s WHERE source = $1)",
		duck.Ident(stg), fresh, duck.Ident(sources.RejectsTable))
	var staged, rejected int64
	if err := e.db.QueryRowContext(ctx, q, name).Scan(&staged, &rejected); err != nil {
		return Result{}, fmt.Errorf("evaluate quality gate %s: %w", res.Name(), err)
	}
	sum := abs(c.Read - c.Loaded - c.Rejected)
	tables := abs(staged-c.Loaded) + abs(rejected-c.Rejected)
	res.Offending = max(sum, tables)
	res.Passed = res.Offending == 0
	res.Detail = fmt.Sprintf("read %d, loaded %d + rejected %d", c.Read, c.Loaded, c.Rejected)
	if sum != 0 {
		res.Detail += fmt.Sprintf(" = %d: %s unaccounted for", c.Loaded+c.Rejected, plural(sum, "record", "records"))
	}
	if tables != 0 {
		res.Detail += fmt.Sprintf("; but %s holds %d rows of the source and %s %d",
			stg, staged, sources.RejectsTable, rejected)
	}
	return res, nil
}

// rowCountChange compares every table of the previous snapshot (except
// rejects, whose size follows the input's dirt and is bounded by the
// sources' reject limits) with this run's count.
func (e *evaluator) rowCountChange(ctx context.Context, cfg Config, in Inputs) ([]Result, error) {
	sev, limit := cfg.RowCountChange.Severity, *cfg.RowCountChange.MaxChange
	if len(in.PreviousRows) == 0 {
		return []Result{{Rule: RuleRowCountChange, Severity: sev, Passed: true, Skipped: true,
			Detail: "no previous snapshot to compare with"}}, nil
	}
	var rs []Result
	for _, table := range sortedKeys(in.PreviousRows) {
		if table == sources.RejectsTable {
			continue
		}
		res := Result{Table: table, Rule: RuleRowCountChange, Severity: sev, Passed: true}
		cur, ok, err := e.rows(ctx, res.Name(), table, in.Rows)
		if err != nil {
			return nil, err
		}
		if !ok {
			res.Skipped, res.Detail = true, "the table is no longer built"
			rs = append(rs, res)
			continue
		}
		prev := in.PreviousRows[table]
		res.Offending, res.Total = abs(cur-prev), prev
		res.Passed, res.Detail = changeWithin(prev, cur, limit)
		rs = append(rs, res)
	}
	return rs, nil
}

// rows returns this run's row count of table: the caller's, else a count
// query; ok is false when the table does not exist.
func (e *evaluator) rows(ctx context.Context, gate, table string, known map[string]int64) (n int64, ok bool, err error) {
	if n, ok := known[table]; ok {
		return n, true, nil
	}
	if ok, err = e.db.TableExists(ctx, table); err != nil || !ok {
		return 0, false, wrapGate(gate, err)
	}
	n, err = e.db.Int64(ctx, "SELECT count(*) FROM "+duck.Ident(table))
	return n, true, wrapGate(gate, err)
}

// changeWithin judges a change of rows from prev to cur against the limit,
// a fraction of prev, and describes it.
func changeWithin(prev, cur int64, limit float64) (bool, string) {
	if prev == 0 {
		if cur == 0 {
			return true, "rows 0 -> 0"
		}
		return false, fmt.Sprintf("rows 0 -> %d: the previous snapshot had none", cur)
	}
	change := float64(cur-prev) / float64(prev)
	s := fmt.Sprintf("rows %d -> %d (%+.1f %%)", prev, cur, 100*change)
	if max(change, -change) > limit {
		return false, s + fmt.Sprintf(", more than the %.4g %% allowed", 100*limit)
	}
	return true, s
}

// unmatchedIdentity checks the share of records of customer_identity that
// match no CRM contact.
func (e *evaluator) unmatchedIdentity(ctx context.Context, cfg Config, _ Inputs) ([]Result, error) {
	res := Result{Table: "customer_identity", Column: "match_method", Rule: RuleUnmatchedIdentity,
		Severity: cfg.UnmatchedIdentity.Severity}
	if err := e.require(ctx, res.Name(), res.Table, res.Column); err != nil {
		return nil, err
	}
	q := "SELECT count(*) FILTER (WHERE match_method = $1), count(*) FROM " + duck.Ident(res.Table)
	if err := e.db.QueryRowContext(ctx, q, "unmatched").Scan(&res.Offending, &res.Total); err != nil {
		return nil, wrapGate(res.Name(), err)
	}
	limit, share := *cfg.UnmatchedIdentity.MaxShare, 0.0
	if res.Total > 0 {
		share = float64(res.Offending) / float64(res.Total)
	}
	res.Passed = share <= limit
	res.Detail = fmt.Sprintf("%d of %d records match no CRM contact (%.1f %%)", res.Offending, res.Total, 100*share)
	if !res.Passed {
		res.Detail += fmt.Sprintf(", more than the %.4g %% allowed", 100*limit)
	}
	return []Result{res}, nil
}

func wrapGate(gate string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("evaluate quality gate %s: %w", gate, err)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}
