//go:build duckdb_arrow

package duck

import (
	"context"
	"database/sql/driver"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/duckdb/duckdb-go/v2"
)

// LoadArrow creates (or replaces) table with every record of reader,
// through DuckDB's Arrow scan, which is several times faster than row
// inserts. The temporary view the scan needs is dropped before returning.
func (db *DB) LoadArrow(ctx context.Context, table string, reader array.RecordReader) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("load %s: %w", table, err)
	}
	defer conn.Close()
	var ar *duckdb.Arrow
	// Only take the driver connection inside Raw: running SQL there deadlocks.
	err = conn.Raw(func(dc any) error {
		var err error
		ar, err = duckdb.NewArrowFromConn(dc.(driver.Conn))
		return err
	})
	if err != nil {
		return fmt.Errorf("load %s: arrow interface: %w", table, err)
	}
	view := "_arrow_" + table
	release, err := ar.RegisterView(reader, view)
	if err != nil {
		return fmt.Errorf("load %s: register arrow view: %w", table, err)
	}
	defer release()
	_, err = conn.ExecContext(ctx, fmt.Sprintf("CREATE OR REPLACE TABLE %s AS SELECT * FROM %s", Ident(table), Ident(view)))
	if _, derr := conn.ExecContext(context.WithoutCancel(ctx), "DROP VIEW IF EXISTS "+Ident(view)); err == nil && derr != nil {
		err = derr
	}
	if err != nil {
		return fmt.Errorf("load %s: %w", table, err)
	}
	return nil
}
