package sources

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/journeydata/journey/internal/duck"
)

// Typed source columns.
//
// A columnar source (Parquet) keeps its columns' own types in the raw
// relation. A field whose column already holds its value, or a value that
// converts to it exactly, is taken from the column without going through
// text: this gives the same value as printing the column and parsing the
// text, and saves both at every row. Everything else goes through the text:
// value maps, include and exclude filters and timestamp formats work on
// text, and so do the conversions where printing and parsing differ (a
// DOUBLE read as DECIMAL rounds its shortest decimal text, 0.00015 to
// 0.0002, where a direct cast rounds the binary value, to 0.0001; a FLOAT
// printed as 1.1 is not the DOUBLE of the same bits).
//
// Messages still show the column's text: a typed field's text is its cast
// to VARCHAR, computed only for the rows a message is written for.

// direct returns the SQL converting column value v of DuckDB type colType
// to field f's type, and whether the conversion is exact; tz is the time
// zone naive timestamps are read in.
func direct(f Field, colType, v, tz string) (string, bool) {
	colType = strings.ToUpper(colType)
	switch f.Type {
	case Timestamp:
		switch colType {
		case "TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ":
			return v, true
		case "TIMESTAMP":
			return fmt.Sprintf("timezone(%s, %s)", tz, v), true
		case "DATE":
			return fmt.Sprintf("timezone(%s, CAST(%s AS TIMESTAMP))", tz, v), true
		}
	case Double:
		if isInteger(colType) || colType == "DOUBLE" {
			return "CAST(" + v + " AS DOUBLE)", true
		}
	case Decimal:
		if isInteger(colType) || decimalScale(colType) <= 4 {
			return "try_cast(" + v + " AS " + SQLType(Decimal) + ")", true
		}
	case Integer:
		if isInteger(colType) {
			return "try_cast(" + v + " AS BIGINT)", true
		}
	case Boolean:
		if colType == "BOOLEAN" {
			return v, true
		}
	}
	return "", false
}

func isInteger(t string) bool {
	switch t {
	case "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT":
		return true
	}
	return false
}

// decimalScale is the scale of a DECIMAL(p,s) type, or 99 for other types.
func decimalScale(t string) int {
	inner, ok := strings.CutPrefix(t, "DECIMAL(")
	if !ok {
		return 99
	}
	_, s, ok := strings.Cut(strings.TrimSuffix(inner, ")"), ",")
	if !ok {
		return 99
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 99
	}
	return n
}

// fromColumn returns, for a field taken from its typed column as is, the
// column and the SQL converting the column's value (named v) to the field;
// ok is false for a field that goes through text.
func (m *mapper) fromColumn(f Field, v string) (col, conv string, ok bool) {
	col, ok = m.spec.Columns[f.Name]
	if !ok || col == PseudoFile || col == PseudoLine {
		return "", "", false
	}
	if _, k := m.spec.Constants[f.Name]; k {
		return "", "", false
	}
	if len(m.spec.Values[f.Name]) > 0 || len(m.spec.Include[f.Name]) > 0 || len(m.spec.Exclude[f.Name]) > 0 {
		return "", "", false
	}
	if f.Type == Timestamp && (m.spec.Formats[f.Name] != "" || m.spec.TimestampFormat != "") {
		return "", "", false
	}
	t, typed := m.ex.Types[col]
	if !typed {
		return "", "", false
	}
	conv, ok = direct(f, t, v, duck.Literal(or(m.spec.Timezone, "UTC")))
	return col, conv, ok
}

// shown is the SQL for field f's source text in a message: the text
// column, or the typed column's cast to VARCHAR.
func (m *mapper) shown(name string) string {
	t := duck.Ident("t_" + name)
	if f, ok := m.entity.Field(name); ok {
		if _, _, direct := m.fromColumn(f, t); direct {
			return "CAST(" + t + " AS VARCHAR)"
		}
	}
	return t
}
