// Package sources extracts the configured inputs into the run's DuckDB
// database and turns them into the four canonical staging tables
// (stg_customers, stg_interactions, stg_orders, stg_survey_responses).
//
// The flow for every source kind is the same:
//
//  1. the kind's Source reads its records into a raw table of columns named
//     as in the source (text, or the column's own type for a columnar
//     source), plus _file and _line; records it cannot parse go to the
//     parse-rejects table with their raw text;
//  2. Map applies the source's mapping (column names, value maps, constants,
//     formats, time zones) and the entity's row rules, giving every record
//     either typed canonical columns or a reject reason;
//  3. Stage unions the sources of each entity, resolves duplicates on the
//     entity key (the latest updated_at wins) and writes the rejects table,
//     and Counts reconciles read = loaded + rejected per source.
//
// Sub-packages implement the kinds (file, …); a Registry maps a kind name to
// its constructor. Sources never import each other or the sinks.
package sources

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/journeydata/journey/internal/duck"
)

// ParseRejectsTable is the table a Source appends records it cannot parse
// to. Its columns are (source, file, line, raw_record, reason).
const ParseRejectsTable = "_parse_rejects"

// Source reads one configured input into the run's database.
//
// A Source is built by its kind's Factory, which validates and does no I/O.
// Extract is called once; it opens and reads the input and must either load
// every record into the raw table or account for it in ParseRejectsTable, so
// that nothing read is lost.
type Source interface {
	// Extract creates the table (or view) named req.Raw: one row per
	// record, one column per source column (named as in the source; VARCHAR
	// unless listed in Extracted.Types), plus _file (the file or object relative to the
	// configuration, or the table) and _line (the physical line, or the row
	// number for columnar files and queries). It may add _raw, the record's original text, and _location,
	// a better location than file:line (such as the primary key). It returns
	// the source's columns and what it read. A view (Extracted.View) must
	// read the same rows every time until the run ends, and has a _rid
	// column numbering its rows, since a view has no rowid.
	Extract(ctx context.Context, db *duck.DB, req Request) (Extracted, error)
}

// Request is what the pipeline asks of one Extract call.
type Request struct {
	// Raw is the table to create.
	Raw string
	// Since is the watermark of the last published run (empty: read all);
	// sources with an incremental watermark column read only newer rows.
	Since string
	// WorkDir is a folder of the run's own where a source may spill data
	// (e.g. objects downloaded from a bucket); it is removed after the run.
	WorkDir string
	// Shard, when set, asks for one shard's rows alone (Spec.ShardBy); a
	// source that applies it says so in Extracted.Sharded.
	Shard *ShardFilter
}

// Extracted describes what a Source read.
type Extracted struct {
	// Columns are the source's columns in order (excluding _file, _line,
	// _raw and _location).
	Columns []string
	// Types holds the DuckDB type of each column that is not VARCHAR: a
	// columnar source keeps its typed columns, and the mapping takes a
	// field from its column as is where that gives the value the column's
	// text would (see typed.go).
	Types map[string]string
	// HasRawText is true when the raw table has a _raw column.
	HasRawText bool
	// HasLocation is true when the raw table has a _location column.
	HasLocation bool
	// View is true when the raw relation is a view over data that stays in
	// place for the run (local Parquet files, or Backing): it holds no copy
	// of the data, and its _rid column identifies a row.
	View bool
	// Backing are tables the view reads, dropped with it.
	Backing []string
	// Watermark is the highest watermark value read ("" when the source has
	// no watermark column or read nothing new).
	Watermark string
	// ParseRejected counts records appended to ParseRejectsTable.
	ParseRejected int64
	// Inputs fingerprint what was read (one per file or object).
	Inputs []Input
	// Sharded is true when the source read only Request.Shard's rows.
	Sharded bool
}

// Input fingerprints one file or object that was read.
type Input struct {
	Name    string `json:"name"`
	Size    int64  `json:"size"`
	ModTime string `json:"mod_time,omitempty"`
	SHA256  string `json:"sha256,omitempty"`
}

// Factory builds a Source from its spec; baseDir resolves relative paths.
// It validates and must do no I/O.
type Factory func(spec Spec, baseDir string) (Source, error)

// Registry maps source kinds to their factories. The zero value is not
// usable; call NewRegistry.
type Registry struct {
	factories map[string]Factory
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{factories: map[string]Factory{}} }

// Register adds a kind; registering a kind twice panics (a programming error).
func (r *Registry) Register(kind string, f Factory) {
	if _, dup := r.factories[kind]; dup {
		panic("sources: kind registered twice: " + kind)
	}
	r.factories[kind] = f
}

// Kinds lists the registered kinds, sorted.
func (r *Registry) Kinds() []string {
	var k []string
	for name := range r.factories {
		k = append(k, name)
	}
	slices.Sort(k)
	return k
}

// New builds the Source for spec.
func (r *Registry) New(spec Spec, baseDir string) (Source, error) {
	f, ok := r.factories[spec.Kind]
	if !ok {
		return nil, fmt.Errorf("source %s: unknown kind %q (use one of %s)", spec.Name, spec.Kind, strings.Join(r.Kinds(), ", "))
	}
	return f(spec, baseDir)
}

// CreateParseRejects creates the (empty) parse-rejects table.
func CreateParseRejects(ctx context.Context, db *duck.DB) error {
	_, err := db.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE `+ParseRejectsTable+
		` (source VARCHAR, file VARCHAR, line BIGINT, raw_record VARCHAR, reason VARCHAR)`)
	if err != nil {
		return fmt.Errorf("create parse rejects table: %w", err)
	}
	return nil
}

// RowID is the column of the raw relation that identifies a row: DuckDB's
// rowid for a table, _rid for a view.
func (e Extracted) RowID() string {
	if e.View {
		return "_rid"
	}
	return "rowid"
}
