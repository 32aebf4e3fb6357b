// Package duck opens the run's embedded DuckDB database and holds the small
// helpers every other package uses to build SQL safely: identifier and
// literal quoting, and positional parameter lists.
//
// One database is opened per run, in memory, with the memory limit, thread
// count and spill folder from configuration; operators spill to that folder
// beyond the limit. Extensions that DuckDB
// would download at run time are disabled: a stray remote path fails fast.
package duck

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/journeydata/journey/internal/sysmem"
)

// Settings configures one DuckDB database.
type Settings struct {
	// Path is the database file; empty means in-memory.
	Path string
	// MemoryLimit such as "2GB"; empty means sysmem.DefaultLimit (a
	// quarter of the machine's memory, at most 2 GiB).
	MemoryLimit string
	// Threads; 0 leaves DuckDB's default (one per core).
	Threads int
	// TempDir is where DuckDB spills; empty means "<Path>.tmp".
	TempDir string
	// PreserveInsertionOrder keeps scan order in every statement. Without
	// it DuckDB may write a query's rows in any order, which uses less
	// memory; statements that number rows by their position use Ordered.
	PreserveInsertionOrder bool
}

// DB is the run's database: a *sql.DB limited to one connection, because
// temporary tables (such as the CSV reader's reject tables) belong to the
// connection that created them. DuckDB parallelises each statement itself.
type DB struct {
	*sql.DB
	connector *duckdb.Connector
}

// Open opens (creating if needed) the database described by s. It does no
// work beyond opening and applying the settings.
func Open(ctx context.Context, s Settings) (*DB, error) {
	dsn := s.Path + "?" + s.values().Encode()
	c, err := duckdb.NewConnector(dsn, nil)
	if err != nil {
		return nil, fmt.Errorf("open duckdb %q: %w", s.Path, err)
	}
	db := sql.OpenDB(c)
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	if _, err := db.ExecContext(ctx, "SET TimeZone = 'UTC'"); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("open duckdb %q: set time zone: %w", s.Path, err)
	}
	return &DB{DB: db, connector: c}, nil
}

func (s Settings) values() url.Values {
	v := url.Values{}
	v.Set("autoinstall_known_extensions", "false")
	v.Set("autoload_known_extensions", "false")
	// jemalloc keeps freed memory for reuse unless told to give it back:
	// with its defaults a million customers' run at a 1 GB limit peaked at
	// 2.15 GiB resident, with a background purge and a flush after every
	// task that allocated 32 MB at 1.49 GiB, in the same time.
	v.Set("allocator_background_threads", "true")
	v.Set("allocator_flush_threshold", "32MB")
	v.Set("preserve_insertion_order", strconv.FormatBool(s.PreserveInsertionOrder))
	limit := s.MemoryLimit
	if limit == "" {
		limit = sysmem.Format(sysmem.DefaultLimit())
	}
	v.Set("memory_limit", limit)
	if s.Threads > 0 {
		v.Set("threads", strconv.Itoa(s.Threads))
	}
	tmp := s.TempDir
	if tmp == "" && s.Path != "" {
		tmp = s.Path + ".tmp"
	}
	if tmp != "" {
		v.Set("temp_directory", tmp)
	}
	return v
}

// Ordered runs fn with preserve_insertion_order on, for statements whose
// rows must be stored in the order they were read (numbering the lines of
// a file by rowid), and then restores the database's setting.
func (db *DB) Ordered(ctx context.Context, fn func() error) error {
	var was bool
	if err := db.QueryRowContext(ctx, "SELECT current_setting('preserve_insertion_order')").Scan(&was); err != nil {
		return fmt.Errorf("read preserve_insertion_order: %w", err)
	}
	if !was {
		if _, err := db.ExecContext(ctx, "SET preserve_insertion_order = true"); err != nil {
			return fmt.Errorf("set preserve_insertion_order: %w", err)
		}
		defer db.ExecContext(context.WithoutCancel(ctx), "SET preserve_insertion_order = false")
	}
	return fn()
}

// Close closes the database and its connector.
func (db *DB) Close() error {
	err := db.DB.Close()
	if cerr := db.connector.Close(); err == nil {
		err = cerr
	}
	return err
}

// Ident quotes an identifier (a table or column name), whatever characters it
// holds. Every identifier that comes from configuration or input data goes
// through here.
func Ident(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// Literal quotes a string constant that is part of the program, not of the
// configuration (configuration values travel as parameters, see Args).
func Literal(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// Args collects positional parameters while a statement is being built.
type Args struct {
	vals []any
}

// Add appends v and returns its placeholder ("$1", "$2", …).
func (a *Args) Add(v any) string {
	a.vals = append(a.vals, v)
	return "$" + strconv.Itoa(len(a.vals))
}

// Values returns the parameters in placeholder order.
func (a *Args) Values() []any { return a.vals }

// Int64 runs a query that returns one integer.
func (db *DB) Int64(ctx context.Context, query string, args ...any) (int64, error) {
	var n sql.NullInt64
	if err := db.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
		return 0, err
	}
	return n.Int64, nil
}

// TableExists reports whether a table or view of that name exists.
func (db *DB) TableExists(ctx context.Context, name string) (bool, error) {
	n, err := db.Int64(ctx, `SELECT (SELECT count(*) FROM duckdb_tables() WHERE table_name = $1)
       + (SELECT count(*) FROM duckdb_views() WHERE view_name = $1 AND NOT internal)`, name)
	if err != nil {
		return false, fmt.Errorf("look up table %s: %w", name, err)
	}
	return n > 0, nil
}

// IsView reports whether name is a view.
func (db *DB) IsView(ctx context.Context, name string) (bool, error) {
	n, err := db.Int64(ctx, "SELECT count(*) FROM duckdb_views() WHERE view_name = $1 AND NOT internal", name)
	if err != nil {
		return false, fmt.Errorf("look up view %s: %w", name, err)
	}
	return n > 0, nil
}

// Column is a result column: its name and its DuckDB type as DuckDB
// writes it (such as VARCHAR, DECIMAL(18,4), TIMESTAMP WITH TIME ZONE).
type Column struct{ Name, Type string }

// Describe returns the columns query would return, in order, without
// running it.
func (db *DB) Describe(ctx context.Context, query string, args ...any) ([]Column, error) {
	rows, err := db.QueryContext(ctx, "SELECT column_name, column_type FROM (DESCRIBE "+query+"\n)", args...)
	if err != nil {
		return nil, fmt.Errorf("describe: %w", err)
	}
	defer rows.Close()
	var cols []Column
	for rows.Next() {
		var c Column
		if err := rows.Scan(&c.Name, &c.Type); err != nil {
			return nil, fmt.Errorf("describe: %w", err)
		}
		cols = append(cols, c)
	}
	return cols, rows.Err()
}

// Columns lists a table's column names in order.
func (db *DB) Columns(ctx context.Context, table string) ([]string, error) {
	rows, err := db.QueryContext(ctx,
		"SELECT column_name FROM duckdb_columns() WHERE table_name = $1 ORDER BY column_index", table)
	if err != nil {
		return nil, fmt.Errorf("list columns of %s: %w", table, err)
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, fmt.Errorf("list columns of %s: %w", table, err)
		}
		cols = append(cols, c)
	}
	return cols, rows.Err()
}
