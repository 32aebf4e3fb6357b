package gen

import "strconv"

// rowWriter appends records to a buffer as CSV lines or NDJSON objects.
// Each entity's renderer calls one method per field, naming the column; the
// writer spells the value (or, in header mode, the column name) in its
// syntax. Every line ends with "\n".
type rowWriter struct {
	b      []byte
	cal    *calendar
	json   bool
	delim  byte
	header bool // write the column names instead of values
	n      int  // fields written on this line
	cut    bool // the line was broken off (malformed NDJSON): ignore the rest
	rows   int  // records written (header lines not counted)
}

// timestamp spellings
const (
	tsUTCZ      = iota // 2006-01-02T15:04:05Z
	tsUTCOffset        // 2006-01-02 15:04:05+00:00
	tsLocal            // 2006-01-02 15:04:05 (Berlin)
	tsDEMinute         // 02.01.2006 15:04 (Berlin)
)

// date spellings
const (
	dayISO = iota // 2006-01-02
	dayDE         // 02.01.2006
)

func (w *rowWriter) begin() {
	w.n, w.cut = 0, false
	if w.json && !w.header {
		w.b = append(w.b, '{')
	}
}

func (w *rowWriter) end() {
	if w.json && !w.header && !w.cut {
		w.b = append(w.b, '}')
	}
	if !w.header {
		w.rows++
	}
	w.b = append(w.b, '\n')
}

// field starts a field: the separator and, for JSON, the key. It reports
// whether the value is to be written.
func (w *rowWriter) field(key string) bool {
	if w.cut {
		return false
	}
	if w.n > 0 {
		if w.json {
			w.b = append(w.b, ',')
		} else {
			w.b = append(w.b, w.delim)
		}
	}
	w.n++
	if w.header {
		w.b = appendCSV(w.b, key, w.delim)
		return false
	}
	if w.json {
		w.b = append(appendJSONString(w.b, key), ':')
	}
	return true
}

// str writes text; "" is written as an empty field or JSON null when null is set.
func (w *rowWriter) str(key, v string, null bool) {
	switch {
	case !w.field(key):
	case w.json && null && v == "":
		w.b = append(w.b, "null"...)
	case w.json:
		w.b = appendJSONString(w.b, v)
	default:
		w.b = appendCSV(w.b, v, w.delim)
	}
}

// id writes prefix + num + "-" + seq as text.
func (w *rowWriter) id(key, prefix, num string, seq int) {
	if !w.field(key) {
		return
	}
	if w.json {
		w.b = append(w.b, '"')
	}
	w.b = append(append(append(w.b, prefix...), num...), '-')
	w.b = strconv.AppendInt(w.b, int64(seq), 10)
	if w.json {
		w.b = append(w.b, '"')
	}
}

// stamp writes a time in one of the ts* spellings.
func (w *rowWriter) stamp(key string, s stamp, spelling int) {
	if !w.field(key) {
		return
	}
	if w.json {
		w.b = append(w.b, '"')
	}
	switch spelling {
	case tsUTCZ:
		w.b = w.cal.appendUTCZ(w.b, s)
	case tsUTCOffset:
		w.b = w.cal.appendUTCOffset(w.b, s)
	case tsLocal:
		w.b = w.cal.appendLocal(w.b, s)
	default:
		w.b = w.cal.appendDEMinute(w.b, s)
	}
	if w.json {
		w.b = append(w.b, '"')
	}
}

// stampOrNull writes s, or a null when it is 0.
func (w *rowWriter) stampOrNull(key string, s stamp, spelling int) {
	if s == 0 {
		w.str(key, "", true)
		return
	}
	w.stamp(key, s, spelling)
}

// date writes a day in one of the day* spellings.
func (w *rowWriter) date(key string, day, spelling int) {
	if !w.field(key) {
		return
	}
	if w.json {
		w.b = append(w.b, '"')
	}
	if spelling == dayDE {
		w.b = w.cal.appendDEDate(w.b, day)
	} else {
		w.b = w.cal.appendISODate(w.b, day)
	}
	if w.json {
		w.b = append(w.b, '"')
	}
}

// whole writes a whole number, or a null when null is set.
func (w *rowWriter) whole(key string, v int64, null bool) {
	switch {
	case !w.field(key):
	case null && w.json:
		w.b = append(w.b, "null"...)
	case !null:
		w.b = strconv.AppendInt(w.b, v, 10)
	}
}

// money writes cents as a decimal with two places, or a null when null is set.
func (w *rowWriter) money(key string, cents int64, null bool) {
	switch {
	case !w.field(key):
	case null && w.json:
		w.b = append(w.b, "null"...)
	case !null:
		w.b = appendCents(w.b, cents)
	}
}

// boolean writes true/false for 1/0 and a null for -1.
func (w *rowWriter) boolean(key string, v int8) {
	switch {
	case !w.field(key):
	case v < 0 && w.json:
		w.b = append(w.b, "null"...)
	case v == 0:
		w.b = append(w.b, "false"...)
	case v > 0:
		w.b = append(w.b, "true"...)
	}
}

// broken writes a malformed field: in CSV the text unquoted although it
// holds the delimiter, so the line has too many fields (the line must not
// end in an empty field: DuckDB's reader forgives trailing delimiters), in
// NDJSON the key and then the end of the line (a truncated record).
func (w *rowWriter) broken(key, csvText string) {
	if !w.field(key) {
		return
	}
	if w.json {
		w.cut = true
		return
	}
	w.b = append(w.b, csvText...)
}

func appendCents(b []byte, cents int64) []byte {
	if cents < 0 {
		b = append(b, '-')
		cents = -cents
	}
	b = strconv.AppendInt(b, cents/100, 10)
	return append2(append(b, '.'), int(cents%100))
}

// appendCSV appends a field, quoted (quotes doubled) only when it holds the
// delimiter, a comma, a quote or a line break, as the demo's exports do.
func appendCSV(b []byte, s string, delim byte) []byte {
	quote := false
	for i := 0; i < len(s) && !quote; i++ {
		c := s[i]
		quote = c == delim || c == ',' || c == '"' || c == '\n' || c == '\r'
	}
	if !quote {
		return append(b, s...)
	}
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			b = append(b, '"')
		}
		b = append(b, s[i])
	}
	return append(b, '"')
}

// appendJSONString appends s as a JSON string (UTF-8 kept as is).
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20:
			b = append(b, `\u00`...)
			b = append(b, "0123456789abcdef"[c>>4], "0123456789abcdef"[c&15])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}
