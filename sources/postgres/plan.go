package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/journeydata/journey/sources"
)

// queryAlias names the user's query when it is wrapped as a subquery.
const queryAlias = "_journey_query"

// reserved are the raw table's own columns (and DuckDB's rowid, which a
// column of that name would hide); a source column may not take them.
var reserved = []string{"_file", "_line", "_location", "_raw", "rowid"}

// plan is what a read needs to know before its first row.
type plan struct {
	sql     string
	args    []any
	columns []string
	isBool  []bool // columns whose text is PostgreSQL's t/f
	pk      []int  // positions of the primary key's columns; nil: locate rows by number
	wm      int    // position of the watermark column, -1 without one
}

// plan probes the table or query with a zero-row read for its columns and
// types, looks up the primary key of a table, and builds the statement.
func (s *Source) plan(ctx context.Context, tx pgx.Tx, since string, shard *sources.ShardFilter) (plan, error) {
	from := s.from()
	fields, err := probe(ctx, tx, "SELECT * FROM "+from+" LIMIT 0")
	if err != nil {
		var pgErr *pgconn.PgError
		if s.table != nil && errors.As(err, &pgErr) && pgErr.Code == "42P01" {
			return plan{}, fmt.Errorf("table %s does not exist or the user cannot see it; check sources[].table: %w", s.spec.Table, err)
		}
		return plan{}, fmt.Errorf("look up columns: %w", err)
	}
	p := plan{wm: -1}
	seen := map[string]string{}
	for i, f := range fields {
		low := strings.ToLower(f.Name)
		if slices.Contains(reserved, low) {
			return plan{}, fmt.Errorf("column %q clashes with the raw table's own %s column; rename it in a query (SELECT %s AS …)", f.Name, low, f.Name)
		}
		if other, dup := seen[low]; dup {
			return plan{}, fmt.Errorf("columns %q and %q have the same name (DuckDB names ignore case); give them distinct aliases in the query", other, f.Name)
		}
		seen[low] = f.Name
		p.columns = append(p.columns, f.Name)
		p.isBool = append(p.isBool, f.DataTypeOID == pgtype.BoolOID)
		if f.Name == s.spec.Watermark {
			p.wm = i
		}
	}
	if s.spec.Watermark != "" && p.wm < 0 {
		return plan{}, fmt.Errorf("watermark column %q not found; the source has columns: %s", s.spec.Watermark, strings.Join(p.columns, ", "))
	}
	if s.table != nil {
		if p.pk, err = primaryKey(ctx, tx, pgx.Identifier(s.table).Sanitize(), p.columns); err != nil {
			return plan{}, err
		}
	}
	p.sql = "SELECT * FROM " + from
	var where []string
	if shard != nil {
		if !slices.Contains(p.columns, shard.Column) {
			return plan{}, fmt.Errorf("shard column %q not found; the source has columns: %s", shard.Column, strings.Join(p.columns, ", "))
		}
		where = append(where, shard.PostgresCondition(pgx.Identifier{shard.Column}.Sanitize()))
	}
	if p.wm >= 0 && since != "" {
		typ, err := typeName(ctx, tx, fields[p.wm].DataTypeOID)
		if err != nil {
			return plan{}, err
		}
		where = append(where, pgx.Identifier{s.spec.Watermark}.Sanitize()+" > CAST(CAST($1 AS text) AS "+typ+")")
		p.args = []any{since}
	}
	if len(where) > 0 {
		p.sql += " WHERE " + strings.Join(where, " AND ")
	}
	if p.wm >= 0 {
		p.sql += " ORDER BY " + pgx.Identifier{s.spec.Watermark}.Sanitize()
	}
	return p, nil
}

// from is the FROM item: the quoted table, or the query as a subquery.
func (s *Source) from() string {
	if s.table != nil {
		return pgx.Identifier(s.table).Sanitize()
	}
	return "(" + s.query + ") AS " + queryAlias
}

// probe runs a statement that returns no rows and returns its columns.
func probe(ctx context.Context, tx pgx.Tx, sql string) ([]pgconn.FieldDescription, error) {
	rows, err := tx.Query(ctx, sql)
	if err != nil {
		return nil, err
	}
	fields := append([]pgconn.FieldDescription(nil), rows.FieldDescriptions()...)
	rows.Close()
	return fields, rows.Err()
}

// primaryKey returns the positions in columns of the table's primary key,
// in key order, or nil when the table (or view) has none.
func primaryKey(ctx context.Context, tx pgx.Tx, table string, columns []string) ([]int, error) {
	rows, err := tx.Query(ctx, `SELECT a.attname FROM pg_index i
		CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
		JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
		WHERE i.indrelid = to_regclass($1) AND i.indisprimary
		ORDER BY k.ord`, table)
	if err != nil {
		return nil, fmt.Errorf("look up primary key: %w", err)
	}
	defer rows.Close()
	var pk []int
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, fmt.Errorf("look up primary key: %w", err)
		}
		i := slices.Index(columns, name)
		if i < 0 {
			return nil, nil
		}
		pk = append(pk, i)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("look up primary key: %w", err)
	}
	return pk, nil
}

// typeName is the SQL name of a type, for a cast.
func typeName(ctx context.Context, tx pgx.Tx, oid uint32) (string, error) {
	var name string
	if err := tx.QueryRow(ctx, "SELECT format_type($1::oid, NULL)", oid).Scan(&name); err != nil {
		return "", fmt.Errorf("look up the watermark column's type: %w", err)
	}
	return name, nil
}
