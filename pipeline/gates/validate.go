package gates

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/journeydata/journey/internal/check"
)

// Validate checks the configuration without touching any database and
// records every problem under l, whose prefix names the section (the
// pipeline passes l.Under("gates")). tables lists the tables rules may name:
// the run's output tables.
func (c Config) Validate(l check.List, tables []string) {
	fraction(l.Under("row_count_change"), "max_change", c.RowCountChange.MaxChange)
	severity(l.Under("row_count_change"), c.RowCountChange.Severity)
	fraction(l.Under("unmatched_identity"), "max_share", c.UnmatchedIdentity.MaxShare)
	severity(l.Under("unmatched_identity"), c.UnmatchedIdentity.Severity)
	for _, name := range sortedKeys(c.Tables) {
		tl := l.Under("tables." + name)
		if !slices.Contains(tables, name) {
			tl.Add("", "use one of "+strings.Join(tables, ", "), "unknown table %q", name)
		}
		for i, r := range c.Tables[name] {
			r.validate(tl.Under(fmt.Sprintf("[%d]", i)), tables)
		}
	}
}

func fraction(l check.List, field string, v *float64) {
	if v != nil && (math.IsNaN(*v) || *v < 0 || *v > 1) {
		l.Add(field, "use a fraction such as 0.5 for 50 %", "%g is not a fraction between 0 and 1", *v)
	}
}

func severity(l check.List, s Severity) {
	if s != "" && s != Warn && s != Error {
		l.Add("severity", "use warn or error", "unknown severity %q", s)
	}
}

// validate records the problems of one rule under l (its own path).
func (r Rule) validate(l check.List, tables []string) {
	severity(l, r.Severity)
	switch r.Rule {
	case RuleUnique, RuleNotNull:
		r.validateColumns(l)
	case RuleAcceptedValues, RuleRange, RuleExistsIn:
		if r.Column == "" {
			l.Add("column", "name the column to check, e.g. column: customer_id", "is empty")
		}
	case "":
		l.Add("rule", "use one of "+strings.Join(TableRules(), ", "), "is empty")
		return
	default:
		l.Add("rule", "use one of "+strings.Join(TableRules(), ", "), "unknown rule %q", r.Rule)
		return
	}
	r.validateSettings(l, tables)
	r.validateUnused(l)
}

func (r Rule) validateColumns(l check.List) {
	if len(r.Columns) == 0 {
		l.Add("columns", "list the columns to check, e.g. columns: [customer_id]", "is empty")
	}
	for i, c := range r.Columns {
		if c == "" {
			l.Add(fmt.Sprintf("columns[%d]", i), "name a column or remove the entry", "is empty")
		}
	}
}

// validateSettings checks the settings a rule needs beyond its columns.
func (r Rule) validateSettings(l check.List, tables []string) {
	switch r.Rule {
	case RuleAcceptedValues:
		if len(r.Values) == 0 {
			l.Add("values", "list the accepted values, e.g. values: [low, medium, high]", "is empty")
		}
	case RuleRange:
		if r.Min == nil && r.Max == nil {
			l.Add("", "add min:, max: or both", "rule range needs min, max or both")
		}
		if r.Min != nil && r.Max != nil && *r.Max < *r.Min {
			l.Add("max", "make max at least min", "%g is less than min %g", *r.Max, *r.Min)
		}
	case RuleExistsIn:
		if r.RefTable == "" {
			l.Add("ref_table", "name the table the values must appear in, e.g. ref_table: customer_journey", "is empty")
		} else if !slices.Contains(tables, r.RefTable) {
			l.Add("ref_table", "use one of "+strings.Join(tables, ", "), "unknown table %q", r.RefTable)
		}
	}
}

// validateUnused reports settings the rule does not read, which are most
// likely a mistake (a range written with values:, a column: for unique).
func (r Rule) validateUnused(l check.List) {
	single, multi := "write column: <name> (this rule checks one column)", "write columns: [<name>, …]"
	for _, f := range []struct {
		name, fix string
		set       bool
		rules     []string
	}{
		{"columns", single, len(r.Columns) > 0, []string{RuleUnique, RuleNotNull}},
		{"column", multi, r.Column != "", []string{RuleAcceptedValues, RuleRange, RuleExistsIn}},
		{"values", "remove it", len(r.Values) > 0, []string{RuleAcceptedValues}},
		{"allow_null", "remove it", r.AllowNull, []string{RuleAcceptedValues}},
		{"min", "remove it", r.Min != nil, []string{RuleRange}},
		{"max", "remove it", r.Max != nil, []string{RuleRange}},
		{"ref_table", "remove it", r.RefTable != "", []string{RuleExistsIn}},
		{"ref_column", "remove it", r.RefColumn != "", []string{RuleExistsIn}},
	} {
		if f.set && !slices.Contains(f.rules, r.Rule) {
			l.Add(f.name, f.fix, "is not used by rule %s", r.Rule)
		}
	}
}
