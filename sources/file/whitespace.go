package file

import (
	"context"
	"fmt"
	"strings"

	"github.com/journeydata/journey/internal/duck"
	"github.com/journeydata/journey/sources"
)

// extractWhitespace reads text whose fields are separated by runs of spaces
// or tabs (csv.delimiter: whitespace), as research data sets and mainframe
// exports often are. Column names come from the header line or csv.names; a
// line with another number of fields is a parse reject.
func (s *Source) extractWhitespace(ctx context.Context, db *duck.DB, raw string, files fileSet) (sources.Extracted, error) {
	lines := "_lines_" + raw
	if err := s.readLines(ctx, db, lines, files, ""); err != nil {
		return sources.Extracted{}, err
	}
	defer db.ExecContext(context.WithoutCancel(ctx), "DROP TABLE IF EXISTS "+duck.Ident(lines))
	first := int64(1)
	names := s.spec.CSV.Names
	if s.header() {
		first = 2
		var header string
		err := db.QueryRowContext(ctx, fmt.Sprintf("SELECT _text FROM %s WHERE _line = 1 ORDER BY _file LIMIT 1", duck.Ident(lines))).Scan(&header)
		if err != nil {
			return sources.Extracted{}, fmt.Errorf("read header line: %w", err)
		}
		names = strings.Fields(header)
	}
	if len(names) == 0 {
		return sources.Extracted{}, fmt.Errorf("no column names: set csv.header: true or list csv.names")
	}
	var a duck.Args
	fields := fmt.Sprintf(`(SELECT *, regexp_split_to_array(_text, '\s+') AS _f FROM %s WHERE _text IS NOT NULL AND _line >= %s)`,
		duck.Ident(lines), a.Add(first))
	rej, err := db.ExecContext(ctx, fmt.Sprintf(`INSERT INTO %s SELECT %s, _file, _line, _text,
		'unreadable line: expected %d fields separated by whitespace, found ' || len(_f)
		FROM %s WHERE len(_f) <> %d`, sources.ParseRejectsTable, a.Add(s.spec.Name), len(names), fields, len(names)), a.Values()...)
	if err != nil {
		return sources.Extracted{}, fmt.Errorf("collect unreadable lines: %w", err)
	}
	rejected, _ := rej.RowsAffected()
	var sel []string
	for i, n := range names {
		sel = append(sel, fmt.Sprintf("_f[%d] AS %s", i+1, duck.Ident(n)))
	}
	a = duck.Args{}
	fields = strings.Replace(fields, "$1", a.Add(first), 1)
	q := fmt.Sprintf("CREATE OR REPLACE TABLE %s AS SELECT %s, _file, _line, _text AS _raw FROM %s WHERE len(_f) = %d",
		duck.Ident(raw), strings.Join(sel, ", "), fields, len(names))
	if _, err := db.ExecContext(ctx, q, a.Values()...); err != nil {
		return sources.Extracted{}, fmt.Errorf("split fields: %w", err)
	}
	return sources.Extracted{Columns: names, HasRawText: true, ParseRejected: rejected}, nil
}
