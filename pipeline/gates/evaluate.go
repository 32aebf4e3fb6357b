package gates

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/journeydata/journey/internal/duck"
)

// Inputs are what the run knows beside its tables.
type Inputs struct {
	// Sources are the extract's counts per source name; every source is
	// reconciled against the staging and rejects tables.
	Sources map[string]SourceCounts
	// PreviousRows are the row counts per table recorded in the previous
	// snapshot's manifest; nil on the first snapshot, which skips the
	// row-count gate.
	PreviousRows map[string]int64
	// Rows are this run's row counts per table where the caller knows them;
	// a table missing here is counted with a query.
	Rows map[string]int64
	// Reconciled, when not nil, are reconciliation results computed
	// earlier, where the staging tables were (the shards of a sharded
	// run); they are reported instead of reconciling again.
	Reconciled []Result
}

// SourceCounts are one source's counts from the extract.
type SourceCounts struct {
	Entity   string // the canonical entity; its rows are in stg_<entity>
	Read     int64
	Loaded   int64
	Rejected int64
}

// Evaluate runs every gate of cfg against the run's tables in db and
// returns one Result per gate, in this order: the built-in table rules
// (Builtin), the rules of cfg.Tables (tables in name order), then, when the
// built-ins are on, reconciliation per source (name order), the row-count
// change per table (name order) and the unmatched identity share.
//
// cfg should have passed Validate; defaults are applied to a copy of it, so
// a zero Config runs the built-ins. An error means a gate could not be evaluated (a missing table
// or column, a failing query); it names the gate.
func Evaluate(ctx context.Context, db *duck.DB, cfg Config, in Inputs) (Report, error) {
	cfg = cfg.withDefaults()
	e := &evaluator{db: db, columns: map[string][]string{}}
	var rep Report
	for _, tr := range plan(cfg) {
		rs, err := e.tableRule(ctx, tr)
		if err != nil {
			return Report{}, err
		}
		rep.Results = append(rep.Results, rs...)
	}
	if !*cfg.Defaults {
		return rep, nil
	}
	for _, gate := range []func(context.Context, Config, Inputs) ([]Result, error){
		e.reconcile, e.rowCountChange, e.unmatchedIdentity,
	} {
		rs, err := gate(ctx, cfg, in)
		if err != nil {
			return Report{}, err
		}
		rep.Results = append(rep.Results, rs...)
	}
	return rep, nil
}

// plan lists the table rules to evaluate: the built-ins when on, then the
// configured ones by table name.
func plan(cfg Config) []TableRule {
	var rs []TableRule
	if *cfg.Defaults {
		rs = Builtin()
	}
	for _, name := range sortedKeys(cfg.Tables) {
		for _, r := range cfg.Tables[name] {
			rs = append(rs, TableRule{Table: name, Rule: r})
		}
	}
	return rs
}

// evaluator runs gates against one database, remembering table columns.
type evaluator struct {
	db      *duck.DB
	columns map[string][]string
}

// require checks that table exists with the named columns, so that a
// misnamed column is reported by name rather than as a SQL binder error.
func (e *evaluator) require(ctx context.Context, gate, table string, cols ...string) error {
	have, ok := e.columns[table]
	if !ok {
		var err error
		if have, err = e.db.Columns(ctx, table); err != nil {
			return wrapGate(gate, err)
		}
		e.columns[table] = have
	}
	if len(have) == 0 {
		return fmt.Errorf("evaluate quality gate %s: table %s does not exist", gate, table)
	}
	for _, c := range cols {
		if !slices.Contains(have, c) {
			return fmt.Errorf("evaluate quality gate %s: column %q does not exist in %s (its columns: %s)",
				gate, c, table, strings.Join(have, ", "))
		}
	}
	return nil
}

// tableRule evaluates one configured or built-in rule; not_null gives one
// result per column.
func (e *evaluator) tableRule(ctx context.Context, tr TableRule) ([]Result, error) {
	if tr.Rule.Rule != RuleNotNull {
		r, err := e.rowRule(ctx, tr)
		return []Result{r}, err
	}
	var rs []Result
	for _, c := range tr.Columns {
		one := tr
		one.Columns = []string{c}
		r, err := e.rowRule(ctx, one)
		if err != nil {
			return nil, err
		}
		rs = append(rs, r)
	}
	return rs, nil
}

// rowRule evaluates a rule that checks rows of one table with one query.
func (e *evaluator) rowRule(ctx context.Context, tr TableRule) (Result, error) {
	res := Result{Table: tr.Table, Column: tr.Column, Rule: tr.Rule.Rule, Severity: tr.Severity}
	if len(tr.Columns) > 0 {
		res.Column = strings.Join(tr.Columns, ", ")
	}
	q, err := build(tr)
	if err != nil {
		return Result{}, wrapGate(res.Name(), err)
	}
	if err := e.require(ctx, res.Name(), tr.Table, q.columns...); err != nil {
		return Result{}, err
	}
	if q.refTable != "" {
		if err := e.require(ctx, res.Name(), q.refTable, q.refColumn); err != nil {
			return Result{}, err
		}
	}
	row := e.db.QueryRowContext(ctx, q.sql, q.args.Values()...)
	if err := row.Scan(&res.Offending, &res.Total); err != nil {
		return Result{}, wrapGate(res.Name(), err)
	}
	res.Passed = res.Offending == 0
	if res.Passed {
		return res, nil
	}
	var examples any
	if err := e.db.QueryRowContext(ctx, q.examples, q.args.Values()...).Scan(&examples); err != nil {
		return Result{}, wrapGate(res.Name(), fmt.Errorf("list examples: %w", err))
	}
	res.Detail = q.detail(res.Offending, exampleList(examples))
	return res, nil
}
