package sinks

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/journeydata/journey/internal/duck"
)

// rowGroupSize is the Parquet row group size, in rows. 122,880 rows is
// DuckDB's own row group (60 vectors of 2,048) and its COPY default, stated
// here so that it does not change under us. Larger groups were considered and
// rejected: readers parallelise a file by row group (DuckDB one thread per
// group, BigQuery and Spark one split per group), so a 1M-customer snapshot
// file still scans on 8 threads instead of 1, and the per-group min/max
// statistics on the sort keys stay fine-grained enough to skip most of a file
// on a customer_id or dimension filter. At this size a customer_metrics row
// group is about 7 MB compressed (the demo's file holds 58 bytes a row),
// well above the size where per-group overhead matters.
const rowGroupSize = 122880

// The Parquet key-value metadata keys every file carries.
const (
	MetaTable         = "journey.table"          // the table's name
	MetaSchemaVersion = "journey.schema_version" // SchemaVersion
	MetaDescription   = "journey.description"    // the table's description
	MetaGrain         = "journey.grain"          // what one row is
	MetaColumnPrefix  = "journey.column."        // + column name: its description
)

// Metadata is the Parquet key-value metadata written into every file of t:
// the table's name, schema version, description and grain, and the
// description of every declared column (the partition column included,
// though its values live in the folder names).
func (t Table) Metadata() map[string]string {
	m := map[string]string{
		MetaTable:         t.Name,
		MetaSchemaVersion: strconv.Itoa(SchemaVersion),
		MetaDescription:   t.Description,
		MetaGrain:         t.Grain,
	}
	for _, c := range t.Columns {
		m[MetaColumnPrefix+c.Name] = c.Description
	}
	return m
}

// kvMetadata renders t's metadata as the value of COPY's KV_METADATA option:
// a struct literal of string keys and string values, sorted by key.
func kvMetadata(t Table) string {
	m := t.Metadata()
	var kv []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		kv = append(kv, duck.Literal(k)+": "+duck.Literal(m[k]))
	}
	return "{" + strings.Join(kv, ", ") + "}"
}

// copyStatement is the COPY that writes rows of t from the relation from
// into the file target: the declared columns stored in files, in the
// declared order, each cast to its declared type, sorted by t.OrderBy
// (without the partition column, which from may lack: it is the same for
// every row of a file).
func copyStatement(t Table, from, target string) string {
	order := slices.DeleteFunc(slices.Clone(t.OrderBy), func(k string) bool { return k == string(t.Partition) })
	opts := fmt.Sprintf("FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE %d, KV_METADATA %s", rowGroupSize, kvMetadata(t))
	return fmt.Sprintf("COPY (SELECT %s FROM %s ORDER BY %s) TO %s (%s)",
		fileColumns(t), from, strings.Join(quoteAll(order), ", "), duck.Literal(target), opts)
}

// fileColumns is the select list of t's columns stored in files, in the
// declared order, each cast to its declared type.
func fileColumns(t Table) string {
	var sel []string
	for _, c := range t.FileColumns() {
		sel = append(sel, fmt.Sprintf("CAST(%s AS %s) AS %s", duck.Ident(c.Name), c.Type, duck.Ident(c.Name)))
	}
	return strings.Join(sel, ", ")
}

// conform checks that the table in db has exactly the declared columns and
// no NULL where the declaration says there is none, so that the declaration
// cannot silently drift from the SQL that builds the table.
func conform(ctx context.Context, db *duck.DB, t Table) error {
	have, err := db.Columns(ctx, t.Name)
	if err != nil {
		return err
	}
	if len(have) == 0 {
		return errors.New("no such table in the run's database")
	}
	if err := matchColumns(t, have); err != nil {
		return err
	}
	return checkNotNull(ctx, db, t)
}

// matchColumns compares the table's columns with the declared ones, as sets:
// the order of the files comes from the declaration, not from the table.
func matchColumns(t Table, have []string) error {
	var declared []string
	for _, c := range t.Columns {
		declared = append(declared, c.Name)
	}
	missing := without(declared, have)
	extra := without(have, declared)
	if len(missing) == 0 && len(extra) == 0 {
		return nil
	}
	var problems []string
	if len(missing) > 0 {
		problems = append(problems, "declared but missing from the table: "+strings.Join(missing, ", "))
	}
	if len(extra) > 0 {
		problems = append(problems, "in the table but not declared: "+strings.Join(extra, ", "))
	}
	return fmt.Errorf("columns differ from the declaration in sinks.Tables: %s", strings.Join(problems, "; "))
}

// without returns the names of a that are not in b, in a's order.
func without(a, b []string) []string {
	var out []string
	for _, n := range a {
		if !slices.Contains(b, n) {
			out = append(out, n)
		}
	}
	return out
}

// checkNotNull counts the NULLs of every column declared not null, in one
// scan, and fails naming each column that has any.
func checkNotNull(ctx context.Context, db *duck.DB, t Table) error {
	var cols, counts []string
	for _, c := range t.Columns {
		if !c.Nullable {
			cols = append(cols, c.Name)
			counts = append(counts, fmt.Sprintf("count(*) FILTER (WHERE %s IS NULL)", duck.Ident(c.Name)))
		}
	}
	if len(cols) == 0 {
		return nil
	}
	nulls := make([]int64, len(cols))
	ptrs := make([]any, len(cols))
	for i := range nulls {
		ptrs[i] = &nulls[i]
	}
	q := "SELECT " + strings.Join(counts, ", ") + " FROM " + duck.Ident(t.Name)
	if err := db.QueryRowContext(ctx, q).Scan(ptrs...); err != nil {
		return fmt.Errorf("count nulls: %w", err)
	}
	var bad []string
	for i, n := range nulls {
		if n > 0 {
			bad = append(bad, fmt.Sprintf("%s (%d rows)", cols[i], n))
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("NULL in columns declared not null: %s", strings.Join(bad, ", "))
	}
	return nil
}
