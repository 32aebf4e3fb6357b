// Package postgres is the source kind for PostgreSQL: a whole table (or
// view) or the result of a SELECT, read with pgx and handed to DuckDB as
// Arrow record batches.
//
// The connection string comes from the environment variable named by the
// source's dsn_env; it never sits in the configuration and never appears in
// an error message. Rows are streamed: pgx receives every value as
// PostgreSQL's own text (so numeric keeps its exact digits), the values are
// copied into Arrow string columns batch by batch, and each batch is
// appended to the raw table through DuckDB's Arrow scan, so memory holds
// one batch at a time however large the table is.
//
// Value text is what PostgreSQL prints with DateStyle ISO and TimeZone UTC:
// timestamptz "2024-03-05 14:22:10.123456+00", timestamp "2024-03-05
// 14:22:10", date "2024-03-05", numeric "1234.50"; booleans become "true" and
// "false"; json and jsonb their text; NULL stays NULL.
//
// With a watermark column, the read is ordered by it, Extracted.Watermark is
// the largest value read, and a later run given that value as Request.Since
// reads only rows whose watermark is greater.
//
// The read runs in one read-only, repeatable-read transaction. A table name
// is "table" or "schema.table", each part quoted as written (case matters).
package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/journeydata/journey/internal/duck"
	"github.com/journeydata/journey/sources"
)

// Kind is the registry name of this source kind.
const Kind = "postgres"

// DefaultBatchSize is the number of rows per Arrow batch.
const DefaultBatchSize = 64 * 1024

// maxBatchBytes ends a batch early when its text grows past this size, so
// wide rows (large json documents) keep memory bounded too.
const maxBatchBytes = 64 << 20

// Option tunes how a source reads.
type Option func(*options)

type options struct {
	batchSize int
	mem       memory.Allocator
	progress  func(rows int64)
}

// WithBatchSize sets the number of rows per Arrow batch (default
// DefaultBatchSize); n < 1 means the default.
func WithBatchSize(n int) Option {
	return func(o *options) {
		if n > 0 {
			o.batchSize = n
		}
	}
}

// WithAllocator sets the allocator of the Arrow buffers (tests pass a
// memory.CheckedAllocator to catch leaks).
func WithAllocator(mem memory.Allocator) Option { return func(o *options) { o.mem = mem } }

// WithProgress calls fn after each batch has been loaded into DuckDB, with
// the number of rows loaded so far. It runs on the reading goroutine: the
// read waits while fn runs. fn must not use the DuckDB database: the read
// holds its only connection.
func WithProgress(fn func(rows int64)) Option { return func(o *options) { o.progress = fn } }

// Register adds the postgres kind to r.
func Register(r *sources.Registry, opts ...Option) { r.Register(Kind, Factory(opts...)) }

// Factory returns the kind's sources.Factory with the given options.
func Factory(opts ...Option) sources.Factory {
	o := options{batchSize: DefaultBatchSize, mem: memory.DefaultAllocator}
	for _, opt := range opts {
		opt(&o)
	}
	return func(spec sources.Spec, _ string) (sources.Source, error) { return newSource(spec, o) }
}

// New validates spec and returns a source with the default options; it does
// not read the environment or connect.
func New(spec sources.Spec, baseDir string) (sources.Source, error) { return Factory()(spec, baseDir) }

// Source reads one PostgreSQL table or query.
type Source struct {
	spec  sources.Spec
	opt   options
	table []string // schema and table, or just the table; nil for a query
	query string   // the user's SELECT without a trailing semicolon
}

func newSource(spec sources.Spec, o options) (*Source, error) {
	s := &Source{spec: spec, opt: o}
	if spec.DSNEnv == "" {
		return nil, fmt.Errorf("source %s: dsn_env is empty; name the environment variable that holds the connection string", spec.Name)
	}
	switch {
	case spec.Table != "" && spec.Query != "":
		return nil, fmt.Errorf("source %s: set either table or query, not both", spec.Name)
	case spec.Table != "":
		s.table = strings.Split(spec.Table, ".")
		if len(s.table) > 2 || strings.Contains(spec.Table, `"`) || hasEmpty(s.table) {
			return nil, fmt.Errorf("source %s: table %q is not a table name; write table or schema.table, unquoted", spec.Name, spec.Table)
		}
	case strings.TrimSpace(spec.Query) != "":
		s.query = strings.TrimRight(strings.TrimSpace(spec.Query), "; \t\r\n")
	default:
		return nil, fmt.Errorf("source %s: set table (e.g. public.orders) or query (a SELECT)", spec.Name)
	}
	if spec.Path != "" {
		return nil, fmt.Errorf("source %s: path is set on a postgres source; remove it", spec.Name)
	}
	return s, nil
}

func hasEmpty(parts []string) bool {
	for _, p := range parts {
		if strings.TrimSpace(p) == "" {
			return true
		}
	}
	return false
}

// Extract implements sources.Source: it reads the table or query into the
// raw table req.Raw, or returns an error and leaves no raw table behind.
func (s *Source) Extract(ctx context.Context, db *duck.DB, req sources.Request) (sources.Extracted, error) {
	ex, err := s.extract(ctx, db, req)
	if err != nil {
		return sources.Extracted{}, fmt.Errorf("source %s: read postgres %s: %w", s.spec.Name, s.what(), err)
	}
	return ex, nil
}

// what names the input in messages: "table public.orders" or "query".
func (s *Source) what() string {
	if s.table != nil {
		return "table " + s.spec.Table
	}
	return "query"
}

// fileName is the raw table's _file value.
func (s *Source) fileName() string {
	if s.table != nil {
		return "postgres:" + s.spec.Table
	}
	return "postgres:query"
}

// input fingerprints what was read: the table, or the query's hash.
func (s *Source) input(bytes int64) sources.Input {
	if s.table != nil {
		return sources.Input{Name: "postgres:" + s.spec.Table, Size: bytes}
	}
	sum := sha256.Sum256([]byte(s.query))
	h := hex.EncodeToString(sum[:])
	return sources.Input{Name: "postgres:query-" + h[:16], Size: bytes, SHA256: h}
}
