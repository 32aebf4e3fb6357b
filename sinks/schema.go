package sinks

import (
	"fmt"
	"slices"
)

// SchemaVersion is the version of the published schemas, written into every
// Parquet file as journey.schema_version. Bump it whenever a column is added,
// removed, renamed, retyped or reordered, or its nullability changes: BI
// users key their models on it (TestSchemaVersion pins the declaration to it).
const SchemaVersion = 2

// Type is the DuckDB type a column is written as. Every type here maps onto a
// plain Parquet type that BI tools read without extensions.
type Type string

// The column types of the published tables.
const (
	Varchar     Type = "VARCHAR"       // Parquet BYTE_ARRAY (STRING)
	Bigint      Type = "BIGINT"        // Parquet INT64
	Integer     Type = "INTEGER"       // Parquet INT32
	Double      Type = "DOUBLE"        // Parquet DOUBLE
	Money       Type = "DECIMAL(18,4)" // Parquet INT64 (DECIMAL(18,4)), exact
	Date        Type = "DATE"          // Parquet INT32 (DATE)
	TimestampTZ Type = "TIMESTAMPTZ"   // Parquet INT64 (TIMESTAMP, UTC, microseconds)
	Boolean     Type = "BOOLEAN"       // Parquet BOOLEAN
)

// Types lists every column type, in the order the dictionary shows them.
func Types() []Type {
	return []Type{Varchar, Bigint, Integer, Double, Money, Date, TimestampTZ, Boolean}
}

// Parquet is the Parquet physical type (and logical type) t is stored as;
// "" for a type that is not one of Types.
func (t Type) Parquet() string {
	switch t {
	case Varchar:
		return "BYTE_ARRAY (STRING)"
	case Bigint:
		return "INT64"
	case Integer:
		return "INT32"
	case Double:
		return "DOUBLE"
	case Money:
		return "INT64 (DECIMAL(18,4))"
	case Date:
		return "INT32 (DATE)"
	case TimestampTZ:
		return "INT64 (TIMESTAMP, adjusted to UTC, microseconds)"
	case Boolean:
		return "BOOLEAN"
	}
	return ""
}

// Column is one declared column of a published table.
type Column struct {
	Name     string
	Type     Type
	Nullable bool
	// Description is one sentence for BI users: what the value means, its
	// unit and when it is NULL.
	Description string
}

// notNull declares a column that never holds NULL; writing fails if it does.
func notNull(name string, t Type, description string) Column {
	return Column{Name: name, Type: t, Description: description}
}

// nullable declares a column that may hold NULL.
func nullable(name string, t Type, description string) Column {
	return Column{Name: name, Type: t, Nullable: true, Description: description}
}

// Column returns the declared column called name.
func (t Table) Column(name string) (Column, bool) {
	i := slices.IndexFunc(t.Columns, func(c Column) bool { return c.Name == name })
	if i < 0 {
		return Column{}, false
	}
	return t.Columns[i], true
}

// FileColumns are the declared columns stored inside the Parquet files, in
// order: every column but the partition column, which lives in the folder
// names (Hive layout) and which readers append after these.
func (t Table) FileColumns() []Column {
	var cols []Column
	for _, c := range t.Columns {
		if c.Name != string(t.Partition) {
			cols = append(cols, c)
		}
	}
	return cols
}

// validate checks the declaration itself: unique names, known types, a
// description for everything, the partition column declared last, sort keys
// and metrics that exist.
func (t Table) validate() error {
	if t.Description == "" || t.Grain == "" {
		return fmt.Errorf("table %s: description and grain are required", t.Name)
	}
	if err := t.validateColumns(); err != nil {
		return err
	}
	if len(t.Columns) == 0 || t.Columns[len(t.Columns)-1].Name != string(t.Partition) {
		return fmt.Errorf("table %s: the partition column %s must be declared last", t.Name, t.Partition)
	}
	for _, k := range t.OrderBy {
		if _, ok := t.Column(k); !ok {
			return fmt.Errorf("table %s: sort key %s is not a declared column", t.Name, k)
		}
	}
	for _, m := range t.Metrics {
		if _, ok := metricByKey(m); !ok {
			return fmt.Errorf("table %s: unknown metric %q", t.Name, m)
		}
	}
	return nil
}

func (t Table) validateColumns() error {
	seen := map[string]bool{}
	for _, c := range t.Columns {
		if seen[c.Name] {
			return fmt.Errorf("table %s: column %s declared twice", t.Name, c.Name)
		}
		seen[c.Name] = true
		if c.Type.Parquet() == "" {
			return fmt.Errorf("table %s: column %s: unknown type %q", t.Name, c.Name, c.Type)
		}
		if c.Description == "" {
			return fmt.Errorf("table %s: column %s has no description", t.Name, c.Name)
		}
	}
	return nil
}
