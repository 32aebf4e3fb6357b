package transforms

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/journeydata/journey/internal/duck"
)

// SpoolDir is the parameter naming the folder where batched steps spool
// their rows; the caller owns it (the run's work folder). Without it they
// use the system's temporary folder.
const SpoolDir = "spool_dir"

// runBatches runs a batched step in n batches (n from the step's Batches
// parameter). Its rows query runs once: with one batch into a temporary
// table, with more into Parquet files partitioned by the hash of the batch
// key modulo n, written in one pass. The per-batch statement then runs once
// per non-empty batch with batch_rows holding that batch's rows, the first
// creating the table and the others inserting into it, or, for a step kept
// in files, each writing its own files (see batchOutput).
//
// Each batch reads only its own rows, so the total work grows with the
// rows, not with rows × batches as it would if every batch queried the
// inputs again. The order of rows in batch_rows is unspecified.
func runBatches(ctx context.Context, db *duck.DB, s Step, params map[string]any) error {
	n, ok := params[s.Batches].(int)
	if !ok || n < 1 {
		return fmt.Errorf("parameter %s (the number of batches) is %v, not a positive int", s.Batches, params[s.Batches])
	}
	// A newline ends the query, so that a comment on its last line cannot
	// swallow what follows it.
	rows := strings.TrimSuffix(s.Rows, ";") + "\n"
	defer dropBatchRows(context.WithoutCancel(ctx), db)
	out, err := newBatchOutput(ctx, db, s, params)
	if err != nil {
		return err
	}
	if n == 1 {
		if err := exec(ctx, db, "CREATE OR REPLACE TEMP TABLE "+batchRows+" AS "+rows, params); err != nil {
			return fmt.Errorf("collect the rows: %w", err)
		}
		if err := out.write(ctx, db, 0, params); err != nil {
			return err
		}
		return out.finish(ctx, db, params)
	}
	spool, err := spoolDir(params, s.Table)
	if err != nil {
		return err
	}
	defer os.RemoveAll(spool)
	parts, err := db.Split(ctx, fmt.Sprintf("SELECT *, hash(%s) %% %d AS _batch FROM (%s)", duck.Ident(s.BatchKey), n, rows),
		namedArgs(rows, params), "_batch", filepath.Join(spool, "rows"))
	if err != nil {
		return fmt.Errorf("spool the rows in %d batches: %w", n, err)
	}
	written := false
	for b := range n {
		from, ok := parts[strconv.Itoa(b)]
		if !ok {
			continue // no rows hash to this batch
		}
		if err := exec(ctx, db, "CREATE OR REPLACE TEMP VIEW "+batchRows+" AS SELECT * FROM "+from, nil); err != nil {
			return fmt.Errorf("batch %d of %d: %w", b+1, n, err)
		}
		if err := out.write(ctx, db, b, params); err != nil {
			return fmt.Errorf("batch %d of %d: %w", b+1, n, err)
		}
		written = true
	}
	if written {
		return out.finish(ctx, db, params)
	}
	// No rows at all: build the empty table with the rows' columns.
	dropBatchRows(ctx, db)
	if err := exec(ctx, db, "CREATE TEMP TABLE "+batchRows+" AS SELECT * FROM ("+rows+") LIMIT 0", params); err != nil {
		return fmt.Errorf("collect the rows: %w", err)
	}
	return exec(ctx, db, s.Batch, params)
}

// exec runs stmt with the parameters it mentions.
func exec(ctx context.Context, db *duck.DB, stmt string, params map[string]any) error {
	_, err := db.ExecContext(ctx, stmt, namedArgs(stmt, params)...)
	return err
}

// dropBatchRows removes batch_rows, a view or a table.
func dropBatchRows(ctx context.Context, db *duck.DB) {
	_, _ = db.ExecContext(ctx, "DROP VIEW IF EXISTS "+batchRows)
	_, _ = db.ExecContext(ctx, "DROP TABLE IF EXISTS "+batchRows)
}

// spoolDir creates a fresh folder for one step's spooled rows.
func spoolDir(params map[string]any, table string) (string, error) {
	root, _ := params[SpoolDir].(string)
	if root == "" {
		root = os.TempDir()
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return "", fmt.Errorf("create the spool folder: %w", err)
	}
	dir, err := os.MkdirTemp(root, table+"-")
	if err != nil {
		return "", fmt.Errorf("create the spool folder: %w", err)
	}
	return dir, nil
}
