package file

import (
	"context"
	"fmt"
	"strings"

	"github.com/journeydata/journey/internal/duck"
	"github.com/journeydata/journey/sources"
)

// lineDelimiter is a control character that valid JSON text never holds
// unescaped, so reading NDJSON as one-column "CSV" with it as the delimiter
// yields each physical line whole.
const lineDelimiter = "\x1e"

// extractNDJSON reads newline-delimited JSON: each line whole (so the raw
// record is kept verbatim and its line number known), then every top-level
// key of the objects as a text column. Blank lines are not records; lines
// that are not JSON objects are parse rejects.
func (s *Source) extractNDJSON(ctx context.Context, db *duck.DB, raw string, files []string) (sources.Extracted, error) {
	lines, scan := "_lines_"+raw, "_scan_"+raw
	var a duck.Args
	q := fmt.Sprintf(`CREATE OR REPLACE TEMP TABLE %s AS SELECT * FROM read_csv(%s, columns = {'_json': 'VARCHAR'},
		delim = %s, quote = '', escape = '', header = false, filename = '_file', compression = %s, strict_mode = false)`,
		duck.Ident(scan), a.Add(files), a.Add(lineDelimiter), a.Add(compression(files)))
	if _, err := db.ExecContext(ctx, q, a.Values()...); err != nil {
		return sources.Extracted{}, err
	}
	defer db.ExecContext(context.WithoutCancel(ctx), "DROP TABLE IF EXISTS "+duck.Ident(scan))
	a = duck.Args{}
	q = fmt.Sprintf(`CREATE OR REPLACE TEMP TABLE %s AS
		SELECT %s AS _file, rowid - min(rowid) OVER (PARTITION BY _file) + 1 AS _line, _json,
		       CASE WHEN json_valid(_json) THEN json_type(_json) = 'OBJECT' ELSE false END AS _ok
		FROM %s`, duck.Ident(lines), s.relExpr("_file", &a), duck.Ident(scan))
	if _, err := db.ExecContext(ctx, q, a.Values()...); err != nil {
		return sources.Extracted{}, err
	}
	defer db.ExecContext(context.WithoutCancel(ctx), "DROP TABLE IF EXISTS "+duck.Ident(lines))
	rejected, err := s.collectJSONRejects(ctx, db, lines)
	if err != nil {
		return sources.Extracted{}, err
	}
	keys, err := jsonKeys(ctx, db, lines)
	if err != nil {
		return sources.Extracted{}, err
	}
	var sel []string
	for _, k := range keys {
		path := duck.Literal(`$."` + strings.ReplaceAll(k, `"`, `\"`) + `"`)
		sel = append(sel, fmt.Sprintf("json_extract_string(_json, %s) AS %s", path, duck.Ident(k)))
	}
	sel = append(sel, "_file", "_line", "_json AS _raw")
	q = fmt.Sprintf("CREATE OR REPLACE TABLE %s AS SELECT %s FROM %s WHERE _ok",
		duck.Ident(raw), strings.Join(sel, ", "), duck.Ident(lines))
	if _, err := db.ExecContext(ctx, q); err != nil {
		return sources.Extracted{}, fmt.Errorf("extract JSON fields: %w", err)
	}
	return sources.Extracted{Columns: keys, HasRawText: true, ParseRejected: rejected}, nil
}

func (s *Source) collectJSONRejects(ctx context.Context, db *duck.DB, lines string) (int64, error) {
	var a duck.Args
	q := fmt.Sprintf(`INSERT INTO %s SELECT %s, _file, _line, _json, 'unreadable JSON line: not a JSON object'
		FROM %s WHERE NOT _ok AND trim(coalesce(_json, '')) <> ''`,
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
		`SELECT DISTINCT unnest(json_keys(_json)) AS k FROM %s WHERE _ok ORDER BY k`, duck.Ident(lines)))
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
