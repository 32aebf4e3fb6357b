package sources

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/journeydata/journey/internal/duck"
)

// Map turns a source's raw table into its mapped table: one row per raw
// record with the entity's canonical columns typed, plus _src (the source's
// position in the config), _source, _rid (the raw row), _file, _line,
// _reason (NULL when the record passes every row rule, else every reason it
// fails, joined with "; "), and for a rejected record its raw record and
// location (_reject_raw, _reject_location), so that recording the rejects
// need not look them up in the raw relation again.
func Map(ctx context.Context, db *duck.DB, spec Spec, src int, raw, mapped string, ex Extracted) error {
	e, ok := EntityByName(spec.Entity)
	if !ok {
		return fmt.Errorf("source %s: unknown entity %q", spec.Name, spec.Entity)
	}
	if err := checkColumns(spec, ex.Columns); err != nil {
		return err
	}
	m := mapper{spec: spec, entity: e, ex: ex}
	q := m.statement(src, raw, ex.RowID(), mapped)
	if _, err := db.ExecContext(ctx, q, m.args.Values()...); err != nil {
		return fmt.Errorf("source %s: map columns onto %s: %w", spec.Name, e.Name, err)
	}
	return nil
}

// Pseudo-columns every source has, which columns may map: the file (or
// table) a record came from and its line (or row) number, e.g. to use the
// line number as an order id when an export has none.
const (
	PseudoFile = "_file"
	PseudoLine = "_line"
)

// checkColumns fails when a mapped column is not in the source, naming the
// columns that do exist.
func checkColumns(spec Spec, have []string) error {
	var missing []string
	for _, f := range mappedFields(spec) {
		if c := spec.Columns[f]; !slices.Contains(have, c) && c != PseudoFile && c != PseudoLine {
			missing = append(missing, fmt.Sprintf("%q (mapped to %s)", spec.Columns[f], f))
		}
	}
	if len(missing) == 0 {
		return nil
	}
	has := "the source has columns: " + strings.Join(have, ", ")
	if len(have) == 0 {
		has = "the source has no columns"
	}
	return fmt.Errorf("source %s: column %s not found in %s; %s; fix sources[].columns",
		spec.Name, strings.Join(missing, ", "), spec.Path, has)
}

func mappedFields(spec Spec) []string {
	e, _ := EntityByName(spec.Entity)
	var fs []string
	for _, f := range e.Fields {
		if _, ok := spec.Columns[f.Name]; ok {
			fs = append(fs, f.Name)
		}
	}
	return fs
}

type mapper struct {
	spec   Spec
	entity Entity
	ex     Extracted // what the source read; its Types are the typed columns (typed.go)
	args   duck.Args
}

// statement builds four levels: the source text of each field (t_<field>;
// a field taken from its typed column holds the column's value there), the
// typed value (<field>), the mapped row with its reject reasons, and, for
// a rejected row, its raw record and location.
func (m *mapper) statement(src int, raw, rowID, mapped string) string {
	var texts, typed, out []string
	for _, f := range m.entity.Fields {
		t := duck.Ident("t_" + f.Name)
		if col, v, ok := m.fromColumn(f, t); ok {
			texts = append(texts, duck.Ident(col)+" AS "+t)
			typed = append(typed, v+" AS "+duck.Ident(f.Name))
			out = append(out, duck.Ident(f.Name))
			continue
		}
		texts = append(texts, m.text(f)+" AS "+t)
		typed = append(typed, m.typed(f, t)+" AS "+duck.Ident(f.Name))
		out = append(out, duck.Ident(f.Name))
	}
	// The raw columns a reject's raw record and location are made of pass
	// through under aliases (_file and _line already do, and a source
	// column of either name is that column); the outermost level builds
	// them for the rejected records alone.
	pass := map[string]string{"_file": "_file", "_line": "_line"}
	var aliases []string
	for i, c := range rawColumns(m.ex) {
		if _, ok := pass[c]; ok {
			continue
		}
		a := duck.Ident(fmt.Sprintf("_r%d", i))
		pass[c] = a
		texts = append(texts, duck.Ident(c)+" AS "+a)
		aliases = append(aliases, a)
	}
	col := func(c string) string { return pass[c] }
	exclude := ""
	if len(aliases) > 0 {
		exclude = " EXCLUDE (" + strings.Join(aliases, ", ") + ")"
	}
	return fmt.Sprintf(`CREATE OR REPLACE TABLE %s AS
SELECT *%s, CASE WHEN _reason IS NOT NULL THEN %s END AS _reject_raw,
       CASE WHEN _reason IS NOT NULL THEN %s END AS _reject_location
FROM (SELECT %d AS _src, %s AS _source, _rid, _file, _line, %s,
       coalesce(%s, nullif(concat_ws('; ', %s), '')) AS _reason%s
FROM (SELECT *, %s FROM (SELECT %s AS _rid, _file, _line, %s FROM %s)))`,
		duck.Ident(mapped), exclude, rawRecord(m.ex, col), location(m.ex, col),
		src, m.args.Add(m.spec.Name), strings.Join(out, ", "), m.excluded(),
		strings.Join(m.reasons(), ",\n       "), prefixed(aliases), strings.Join(typed, ", "), rowID, strings.Join(texts, ", "), duck.Ident(raw))
}

// prefixed is ", a, b" for names a and b, and "" for none.
func prefixed(names []string) string {
	if len(names) == 0 {
		return ""
	}
	return ", " + strings.Join(names, ", ")
}

// text is the field's source text after trimming, value maps and constants.
func (m *mapper) text(f Field) string {
	var t string
	if c, ok := m.spec.Constants[f.Name]; ok {
		t = m.args.Add(c) + "::VARCHAR"
	} else if col, ok := m.spec.Columns[f.Name]; ok {
		t = fmt.Sprintf("nullif(trim(CAST(%s AS VARCHAR)), '')", duck.Ident(col))
	} else {
		return "NULL::VARCHAR"
	}
	vm := m.spec.Values[f.Name]
	if len(vm) == 0 {
		return t
	}
	var b strings.Builder
	b.WriteString("CASE " + t)
	for _, from := range sortedKeys(vm) {
		fmt.Fprintf(&b, " WHEN %s THEN %s", m.args.Add(from), m.args.Add(vm[from]))
	}
	b.WriteString(" ELSE " + t + " END")
	return b.String()
}

// typed parses text t into the field's type; a failed parse gives NULL.
func (m *mapper) typed(f Field, t string) string {
	if !m.spec.provides(f.Name) {
		return "NULL::" + SQLType(f.Type)
	}
	switch f.Type {
	case Email:
		return "lower(" + t + ")"
	case Enum:
		return "lower(" + t + ")"
	case Timestamp:
		return m.timestamp(f, t)
	case Double:
		return "try_cast(" + t + " AS DOUBLE)"
	case Decimal:
		return "try_cast(" + t + " AS " + SQLType(Decimal) + ")"
	case Integer:
		return "try_cast(" + t + " AS BIGINT)"
	case Boolean:
		return "try_cast(" + t + " AS BOOLEAN)"
	}
	return t
}

// offsetPattern matches a time of day followed by a UTC offset or Z.
const offsetPattern = `[T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|z|[+-]\d{2}(:?\d{2})?)$`

// timestamp parses an instant: with a format via strptime (a format with %z
// carries its own offset); without one, ISO 8601 text with an offset is an
// instant and naive text is read in the source's time zone.
func (m *mapper) timestamp(f Field, t string) string {
	format := m.spec.Formats[f.Name]
	if format == "" {
		format = m.spec.TimestampFormat
	}
	if format != "" {
		p := fmt.Sprintf("try_strptime(%s, %s)", t, m.args.Add(format))
		if strings.Contains(format, "%z") || strings.Contains(format, "%Z") {
			return p
		}
		return fmt.Sprintf("timezone(%s, %s)", m.args.Add(or(m.spec.Timezone, "UTC")), p)
	}
	return fmt.Sprintf("CASE WHEN regexp_matches(%s, %s) THEN try_cast(%s AS TIMESTAMPTZ) ELSE timezone(%s, try_cast(%s AS TIMESTAMP)) END",
		t, duck.Literal(offsetPattern), t, m.args.Add(or(m.spec.Timezone, "UTC")), t)
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func sortedKeys(m map[string]string) []string {
	var k []string
	for key := range m {
		k = append(k, key)
	}
	slices.Sort(k)
	return k
}
