package file

import (
	"context"
	"fmt"
	"strings"

	"github.com/journeydata/journey/internal/duck"
	"github.com/journeydata/journey/sources"
)

// extractNDJSON reads newline-delimited JSON: each line whole (so the raw
// record is kept verbatim and its line number known), then every top-level
// key of the objects as a text column. Blank lines are not records; lines
// that are not JSON objects are parse rejects.
//
// The raw relation is a view over the lines table, which stays until the
// staging is built: the keys are extracted as the mapping reads them, and
// the run holds each line once rather than twice (its text and its fields).
func (s *Source) extractNDJSON(ctx context.Context, db *duck.DB, raw string, files fileSet) (sources.Extracted, error) {
	lines := "_lines_" + raw
	// A line (trimmed) that starts with { and is valid JSON is an object:
	// one parse, where asking json_type too parsed it twice.
	ok := ", coalesce(starts_with(_text, '{') AND json_valid(_text), false) AS _ok"
	if err := s.readLines(ctx, db, lines, files, ok); err != nil {
		return sources.Extracted{}, err
	}
	done := false
	defer func() {
		if !done {
			db.ExecContext(context.WithoutCancel(ctx), "DROP TABLE IF EXISTS "+duck.Ident(lines))
		}
	}()
	rejected, err := s.collectJSONRejects(ctx, db, lines)
	if err != nil {
		return sources.Extracted{}, err
	}
	keys, err := jsonKeys(ctx, db, lines)
	if err != nil {
		return sources.Extracted{}, err
	}
	// One json_extract_string with the list of all keys' paths parses each
	// line once; a call per key parsed it once per key.
	var paths, sel []string
	for i, k := range keys {
		paths = append(paths, duck.Literal(`$."`+strings.ReplaceAll(k, `"`, `\"`)+`"`))
		sel = append(sel, fmt.Sprintf("_v[%d] AS %s", i+1, duck.Ident(k)))
	}
	sel = append(sel, "_file", "_line", "_raw", "_rid")
	q := fmt.Sprintf(`CREATE OR REPLACE TEMP VIEW %s AS SELECT %s
		FROM (SELECT json_extract_string(_text, [%s]) AS _v, _file, _line, _text AS _raw, rowid AS _rid FROM %s WHERE _ok)`,
		duck.Ident(raw), strings.Join(sel, ", "), strings.Join(paths, ", "), duck.Ident(lines))
	if _, err := db.ExecContext(ctx, q); err != nil {
		return sources.Extracted{}, fmt.Errorf("extract JSON fields: %w", err)
	}
	done = true
	return sources.Extracted{Columns: keys, HasRawText: true, ParseRejected: rejected, View: true, Backing: []string{lines}}, nil
}

func (s *Source) collectJSONRejects(ctx context.Context, db *duck.DB, lines string) (int64, error) {
	var a duck.Args
	q := fmt.Sprintf(`INSERT INTO %s SELECT %s, _file, _line, _text, 'unreadable JSON line: not a JSON object'
		FROM %s WHERE NOT _ok AND _text IS NOT NULL`,
		sources.ParseRejectsTable, a.Add(s.spec.Name), duck.Ident(lines))
	res, err := db.ExecContext(ctx, q, a.Values()...)
	if err != nil {
		return 0, fmt.Errorf("collect unreadable lines: %w", err)
	}
	return res.RowsAffected()
}

// jsonKeys lists the top-level keys of all objects, sorted.
func jsonKeys(ctx context.Context, db *duck.DB, lines string) ([]string, error) {
	rows, err := db.QueryContext(ctx, fmt.Sprintf(
		`SELECT DISTINCT unnest(json_keys(_text)) AS k FROM %s WHERE _ok ORDER BY k`, duck.Ident(lines)))
	if err != nil {
		return nil, fmt.Errorf("list JSON keys: %w", err)
	}
	defer rows.Close()
	var keys []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, fmt.Errorf("list JSON keys: %w", err)
		}
		keys = append(keys, k)
	}
	return keys, rows.Err()
}
