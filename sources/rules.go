package sources

import (
	"fmt"
	"slices"
	"strings"

	"github.com/journeydata/journey/internal/duck"
)

// reasons returns one SQL expression per row rule of the entity; each is
// NULL when the record passes the rule and the reason, in words, when not.
//
// The rules, for every source kind alike:
//   - a required field must be present;
//   - text that does not parse as the field's type is a reject (never a
//     silent NULL), naming the field, the source column and the value;
//   - enum fields take only their accepted values (map others under values);
//   - interactions, orders and survey answers need customer_id or email;
//   - order amounts are non-negative unless the order is a refund or return,
//     and refunded amounts are non-negative;
//   - survey scores are whole numbers in range: NPS 0–10, CSAT 1–5, CES 1–7.
func (m *mapper) reasons() []string {
	var rs []string
	for _, f := range m.entity.Fields {
		rs = append(rs, m.fieldRules(f)...)
	}
	if m.entity.HasIdentity() {
		rs = append(rs, `CASE WHEN customer_id IS NULL AND email IS NULL THEN 'missing customer_id and email: the record names no customer' END`)
	}
	switch m.entity.Name {
	case "orders":
		rs = append(rs,
			`CASE WHEN amount < 0 AND coalesce(status, '') NOT IN ('refunded', 'returned') THEN 'negative amount ' || `+m.shown("amount")+` || ' (only refunds and returns may be negative)' END`,
			`CASE WHEN refunded_amount < 0 THEN 'negative refunded_amount ' || `+m.shown("refunded_amount")+` END`)
	case "survey_responses":
		rs = append(rs, scoreRule(m.shown("score")))
	}
	return rs
}

// FilterReason starts the reason of every record left out by a source's
// include or exclude filter.
const FilterReason = "excluded by filter"

// excluded is the SQL giving why a record is left out by the source's
// include/exclude filters, or NULL when it is kept.
func (m *mapper) excluded() string {
	var cs []string
	for _, f := range sortedFields(m.spec.Include) {
		t := duck.Ident("t_" + f)
		cs = append(cs, fmt.Sprintf("CASE WHEN %s IS NULL OR %s NOT IN (%s) THEN '%s: %s ' || coalesce('''' || %s || '''', 'empty') || ' is not listed in include.%s' END",
			t, t, m.params(m.spec.Include[f]), FilterReason, f, t, f))
	}
	for _, f := range sortedFields(m.spec.Exclude) {
		t := duck.Ident("t_" + f)
		cs = append(cs, fmt.Sprintf("CASE WHEN %s IN (%s) THEN '%s: %s ''' || %s || ''' is listed in exclude.%s' END",
			t, m.params(m.spec.Exclude[f]), FilterReason, f, t, f))
	}
	if len(cs) == 0 {
		return "NULL"
	}
	return "nullif(concat_ws('; ', " + strings.Join(cs, ", ") + "), '')"
}

func (m *mapper) params(vs []string) string {
	var ps []string
	for _, v := range vs {
		ps = append(ps, m.args.Add(v))
	}
	return strings.Join(ps, ", ")
}

func sortedFields(m map[string][]string) []string {
	var k []string
	for f := range m {
		k = append(k, f)
	}
	slices.Sort(k)
	return k
}

func (m *mapper) fieldRules(f Field) []string {
	if !m.spec.provides(f.Name) {
		return nil
	}
	t, v := duck.Ident("t_"+f.Name), duck.Ident(f.Name)
	var rs []string
	if f.Required {
		rs = append(rs, fmt.Sprintf("CASE WHEN %s IS NULL THEN 'missing %s' || %s END", t, f.Name, m.origin(f)))
	}
	switch f.Type {
	case Timestamp, Double, Decimal, Integer, Boolean:
		rs = append(rs, fmt.Sprintf("CASE WHEN %s IS NOT NULL AND %s IS NULL THEN 'bad %s in %s' || %s || ': ''' || %s || '''' || %s END",
			t, v, f.Type, f.Name, m.origin(f), m.shown(f.Name), m.expectation(f)))
	case Enum:
		rs = append(rs, fmt.Sprintf("CASE WHEN %s IS NOT NULL AND %s NOT IN (%s) THEN '%s ''' || %s || ''' is not one of %s (map it under values.%s)' END",
			v, v, literals(f.Values), f.Name, m.shown(f.Name), strings.Join(f.Values, ", "), f.Name))
	}
	return rs
}

// origin is an SQL expression naming where a field came from, for messages.
func (m *mapper) origin(f Field) string {
	if col, ok := m.spec.Columns[f.Name]; ok {
		return fmt.Sprintf("' (column ' || %s || ')'", m.args.Add(`"`+col+`"`))
	}
	if _, ok := m.spec.Constants[f.Name]; ok {
		return "' (constant)'"
	}
	return "''"
}

// expectation tells what a parse failure expected.
func (m *mapper) expectation(f Field) string {
	if f.Type != Timestamp {
		return "''"
	}
	format := m.spec.Formats[f.Name]
	if format == "" {
		format = m.spec.TimestampFormat
	}
	if format == "" {
		return "'; expected ISO 8601 such as 2024-03-05T14:22:10Z or 2024-03-05 14:22:10'"
	}
	return "'; expected format ' || " + m.args.Add(format)
}

// scoreRule is the survey score rule; shown is the score's source text.
func scoreRule(shown string) string {
	var cases []string
	for _, st := range surveyTypes {
		lo, hi := ScoreRange(st)
		cases = append(cases, fmt.Sprintf("WHEN survey_type = '%s' AND NOT (score BETWEEN %g AND %g) THEN 'score ' || %s || ' out of range %g–%g for %s'",
			st, lo, hi, shown, lo, hi, st))
	}
	return "CASE WHEN score IS NOT NULL AND score <> floor(score) THEN 'score ' || " + shown + " || ' is not a whole number' " +
		strings.Join(cases, " ") + " END"
}

func literals(vs []string) string {
	var q []string
	for _, v := range vs {
		q = append(q, duck.Literal(v))
	}
	return strings.Join(q, ", ")
}
