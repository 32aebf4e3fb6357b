package sinks

import (
	"context"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// tiny is a small declared table whose DuckDB table has the columns in
// another order and other types than declared.
func tiny() Table {
	return Table{
		Name: "tiny", Description: "A tiny table; it's for tests.", Grain: "one row per id",
		Partition: BySnapshot, OrderBy: []string{"id"},
		Columns: []Column{
			notNull("id", Bigint, "The id."),
			nullable("amount", Money, "An amount, in 'currency'."),
			nullable("seen_at", TimestampTZ, "When it happened."),
			notNull("ok", Boolean, "Whether it is fine."),
			nullable("label", Varchar, "A label."),
			notNull("snapshot_date", Date, "The snapshot's date."),
		},
	}
}

const tinyRows = `CREATE TABLE tiny AS SELECT * FROM (VALUES
	(DATE '2025-06-30', 'b', 2, 20.5, TIMESTAMPTZ '2025-06-30 10:00:00+02', true),
	(DATE '2025-06-30', NULL, 1, 10.25, NULL, false),
	(DATE '2025-06-30', 'c', 3, NULL, TIMESTAMPTZ '2025-06-29 23:00:00+00', true)
) AS v(snapshot_date, label, id, amount, seen_at, ok)`

func TestWriteTableCastsOrdersAndDescribes(t *testing.T) {
	db := openDB(t)
	exec(t, db, tinyRows)
	snap := Snapshot{Staging: t.TempDir(), RunID: "r1", AsOf: "2025-06-30"}
	tbl := tiny()
	st, err := snap.writeTable(context.Background(), db, tbl)
	if err != nil {
		t.Fatal(err)
	}
	if st.Rows != 3 || !slices.Equal(st.Files, []string{"tiny/snapshot_date=2025-06-30/part-0.parquet"}) {
		t.Fatalf("stats = %+v", st)
	}
	file := snap.staged(st.Files[0])
	if got, want := schemaOf(t, db, "SELECT * FROM read_parquet('"+file+"', hive_partitioning = false)"), declaredSchema(t, db, tbl.FileColumns()); !slices.Equal(got, want) {
		t.Errorf("file schema\n got %v\nwant %v", got, want)
	}
	hive := "SELECT * FROM read_parquet('" + filepath.Join(snap.Staging, "tiny", "*", "*.parquet") + "', hive_partitioning = true)"
	if got, want := schemaOf(t, db, hive), declaredSchema(t, db, tbl.Columns); !slices.Equal(got, want) {
		t.Errorf("schema read with hive partitioning\n got %v\nwant %v", got, want)
	}
	got := rows(t, db, "SELECT id, coalesce(CAST(amount AS VARCHAR), 'NULL') FROM read_parquet($1)", file)
	if want := [][]string{{"1", "10.2500"}, {"2", "20.5000"}, {"3", "NULL"}}; !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("rows = %v, want %v (sorted by id, amounts exact)", got, want)
	}
	if meta, want := kv(t, db, file), tbl.Metadata(); !maps.Equal(meta, want) {
		t.Errorf("key-value metadata\n got %v\nwant %v", meta, want)
	}
	if codec := rows(t, db, "SELECT DISTINCT compression FROM parquet_metadata($1)", file); len(codec) != 1 || codec[0][0] != "ZSTD" {
		t.Errorf("compression = %v, want ZSTD", codec)
	}
}

func TestWriteTableMetadataValues(t *testing.T) {
	meta := tiny().Metadata()
	want := map[string]string{
		"journey.table":          "tiny",
		"journey.schema_version": strconv.Itoa(SchemaVersion),
		"journey.column.amount":  "An amount, in 'currency'.",
		"journey.description":    "A tiny table; it's for tests.",
	}
	for k, v := range want {
		if meta[k] != v {
			t.Errorf("%s = %q, want %q", k, meta[k], v)
		}
	}
}

func TestWriteTableRejectsSchemaDrift(t *testing.T) {
	cases := []struct {
		name, create string
		want         []string
	}{
		{"missing and undeclared columns",
			"CREATE TABLE tiny AS SELECT 1 AS id, 2.0 AS amount, now() AS seen_at, true AS ok, 'x' AS bogus, 'y' AS extra, DATE '2025-06-30' AS snapshot_date",
			[]string{"write tiny:", "columns differ from the declaration", "declared but missing from the table: label", "in the table but not declared: bogus, extra"}},
		{"null in a not-null column",
			"CREATE TABLE tiny AS SELECT CAST(NULL AS BIGINT) AS id, 2.0 AS amount, now() AS seen_at, NULL::BOOLEAN AS ok, 'x' AS label, DATE '2025-06-30' AS snapshot_date",
			[]string{"write tiny:", "write tiny: NULL in columns declared not null: id (1 rows), ok (1 rows)"}},
		{"no table", "SELECT 1", []string{"write tiny: no such table"}},
		{"value that does not cast",
			"CREATE TABLE tiny AS SELECT 'one' AS id, 2.0 AS amount, now() AS seen_at, true AS ok, 'x' AS label, DATE '2025-06-30' AS snapshot_date",
			[]string{"write tiny: copy to parquet:", "one"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db := openDB(t)
			exec(t, db, c.create)
			snap := Snapshot{Staging: t.TempDir(), RunID: "r1", AsOf: "2025-06-30"}
			_, err := snap.writeTable(context.Background(), db, tiny())
			if err == nil {
				t.Fatal("write succeeded, want an error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

// TestWriteDeclaredTables writes every declared table through Snapshot.Write
// and reads each file back: the casts, the KV_METADATA literal of the real
// descriptions and the layouts all work in DuckDB.
func TestWriteDeclaredTables(t *testing.T) {
	db := openDB(t)
	for _, tbl := range Tables() {
		createDeclared(t, db, tbl)
	}
	snap := Snapshot{Staging: t.TempDir(), RunID: "r1", AsOf: "2025-06-30"}
	stats, err := snap.Write(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	for _, tbl := range Tables() {
		st := stats[tbl.Name]
		if st.Rows != 1 || len(st.Files) != 1 {
			t.Errorf("%s: stats %+v, want one row in one file", tbl.Name, st)
			continue
		}
		want := tbl.Name + "/" + snap.partDir(tbl) + "/part-0.parquet"
		if tbl.Partition.FromData() {
			want = tbl.Name + "/" + string(tbl.Partition) + "=x/part-0.parquet"
		}
		if st.Files[0] != want {
			t.Errorf("%s: file %s, want %s", tbl.Name, st.Files[0], want)
		}
		file := snap.staged(st.Files[0])
		if got, want := schemaOf(t, db, "SELECT * FROM read_parquet('"+file+"', hive_partitioning = false)"), declaredSchema(t, db, tbl.FileColumns()); !slices.Equal(got, want) {
			t.Errorf("%s: file schema\n got %v\nwant %v", tbl.Name, got, want)
		}
		if meta := kv(t, db, file); !maps.Equal(meta, tbl.Metadata()) {
			t.Errorf("%s: key-value metadata differs from the declaration: %v", tbl.Name, meta)
		}
	}
}

func TestWriteTableRowGroups(t *testing.T) {
	db := openDB(t)
	exec(t, db, "CREATE TABLE tiny AS SELECT range AS id, NULL AS amount, NULL AS seen_at, true AS ok, NULL AS label, DATE '2025-06-30' AS snapshot_date FROM range(2 * 122880 + 1)")
	snap := Snapshot{Staging: t.TempDir(), RunID: "r1", AsOf: "2025-06-30"}
	st, err := snap.writeTable(context.Background(), db, tiny())
	if err != nil {
		t.Fatal(err)
	}
	file := snap.staged(st.Files[0])
	got := rows(t, db, "SELECT CAST(count(DISTINCT row_group_id) AS VARCHAR) FROM parquet_metadata($1)", file)
	if got[0][0] != "3" {
		t.Errorf("row groups = %s, want 3 of at most %d rows", got[0][0], rowGroupSize)
	}
}
