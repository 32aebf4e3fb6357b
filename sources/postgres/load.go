package postgres

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/duckdb/duckdb-go/v2"

	"github.com/journeydata/journey/internal/duck"
)

// loader appends Arrow batches to the raw table. It holds the run's only
// DuckDB connection (duck.DB allows one) from open to close: every
// statement of the read goes through it, never through the *sql.DB.
//
// The whole load is one DuckDB transaction, so a failed read rolls back
// and other statements never see a half-loaded raw table; DuckDB writes
// full row groups to the database file while the transaction is open, so
// its memory stays bounded too.
type loader struct {
	conn  *sql.Conn
	tx    *sql.Tx
	arrow *duckdb.Arrow
	raw   string // quoted raw table
	view  string // name of the per-batch Arrow view
}

// openLoader takes the DuckDB connection and creates the (empty) raw table:
// one VARCHAR column per source column, then _file, _line and _location.
func openLoader(ctx context.Context, db *duck.DB, raw string, columns []string) (*loader, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("take the duckdb connection: %w", err)
	}
	l := &loader{conn: conn, raw: duck.Ident(raw), view: "_pg_batch_" + raw}
	// Take the driver connection inside Raw and use it after: running SQL on
	// conn inside the callback would deadlock.
	err = conn.Raw(func(dc any) error {
		var err error
		l.arrow, err = duckdb.NewArrowFromConn(dc.(driver.Conn))
		return err
	})
	if err != nil {
		_ = conn.Close()
		return nil, fmt.Errorf("open the duckdb arrow interface: %w", err)
	}
	defs := make([]string, 0, len(columns)+3)
	for _, c := range columns {
		defs = append(defs, duck.Ident(c)+" VARCHAR")
	}
	defs = append(defs, "_file VARCHAR", "_line BIGINT", "_location VARCHAR")
	// Not bound to ctx: database/sql would roll back from another goroutine
	// on cancellation, racing the Arrow calls that bypass it. Statements
	// still take ctx, and discard rolls back.
	if l.tx, err = conn.BeginTx(context.WithoutCancel(ctx), nil); err != nil {
		_ = conn.Close()
		return nil, fmt.Errorf("begin duckdb transaction: %w", err)
	}
	if _, err := l.tx.ExecContext(ctx, "CREATE OR REPLACE TABLE "+l.raw+" ("+strings.Join(defs, ", ")+")"); err != nil {
		_ = l.tx.Rollback()
		_ = conn.Close()
		return nil, fmt.Errorf("create raw table %s: %w", raw, err)
	}
	return l, nil
}

// append inserts one batch into the raw table through a view over the
// batch, which DuckDB can read once; the view is dropped before its Arrow
// stream is released. The caller still owns (and releases) rec.
func (l *loader) append(ctx context.Context, rec arrow.RecordBatch) error {
	rdr, err := array.NewRecordReader(rec.Schema(), []arrow.RecordBatch{rec})
	if err != nil {
		return fmt.Errorf("load batch into duckdb: %w", err)
	}
	release, err := l.arrow.RegisterView(rdr, l.view)
	rdr.Release() // the exported stream holds its own reference
	if err != nil {
		return fmt.Errorf("load batch into duckdb: %w", err)
	}
	_, err = l.tx.ExecContext(ctx, "INSERT INTO "+l.raw+" SELECT * FROM "+duck.Ident(l.view))
	_, derr := l.tx.ExecContext(context.WithoutCancel(ctx), "DROP VIEW IF EXISTS "+duck.Ident(l.view))
	release()
	if err = errors.Join(err, derr); err != nil {
		return fmt.Errorf("load batch into duckdb: %w", err)
	}
	return nil
}

// commit makes the raw table and its rows permanent.
func (l *loader) commit() error {
	if err := l.tx.Commit(); err != nil {
		return fmt.Errorf("commit raw table: %w", err)
	}
	return nil
}

// discard rolls the load back after a failed read and drops any raw table
// of that name (one from an earlier read comes back with the rollback); a
// failure is returned for the caller to join to the read's error.
func (l *loader) discard(ctx context.Context) error {
	if err := l.tx.Rollback(); err != nil && !errors.Is(err, sql.ErrTxDone) {
		return fmt.Errorf("roll back raw table after the failed read: %w", err)
	}
	if _, err := l.conn.ExecContext(context.WithoutCancel(ctx), "DROP TABLE IF EXISTS "+l.raw); err != nil {
		return fmt.Errorf("drop raw table after the failed read: %w", err)
	}
	return nil
}

// close gives the connection back to the database.
func (l *loader) close() error { return l.conn.Close() }
