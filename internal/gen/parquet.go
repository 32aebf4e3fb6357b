package gen

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/journeydata/journey/internal/duck"
)

// typedColumns are the SELECT lists that turn each export's staging CSV
// (read as text, in the demo's spellings) into typed Parquet columns:
// TIMESTAMP (naive Berlin local time, as the demo's csat_ces.parquet),
// TIMESTAMPTZ (the UTC instants of the shop and the survey tool), DATE,
// DOUBLE, INTEGER and BOOLEAN.
var typedColumns = [numEntities]string{
	entCustomers: `"Contact ID", "E-Mail", "Full Name", CAST(strptime("Created", '%d.%m.%Y') AS DATE) AS "Created",
		"Tier", "Country", "Lead Source", strptime("Last Modified", '%d.%m.%Y %H:%M') AS "Last Modified"`,
	entOrders: `order_id, customer_ref, customer_email, CAST(order_ts AS TIMESTAMPTZ) AS order_ts,
		CAST(total AS DOUBLE) AS total, currency, state, sales_channel, CAST(promised_date AS DATE) AS promised_date,
		CAST(delivered_ts AS TIMESTAMPTZ) AS delivered_ts, CAST(refund AS DOUBLE) AS refund,
		CAST(items AS INTEGER) AS items, CAST(updated_ts AS TIMESTAMPTZ) AS updated_ts`,
	entInteractions: `id, contact, email, CAST(ts AS TIMESTAMP) AS ts, channel, kind,
		CAST(resolved AS BOOLEAN) AS resolved, CAST(duration_s AS INTEGER) AS duration_s`,
	entNPS: `response_id, email, CAST(submitted_at AS TIMESTAMPTZ) AS submitted_at, CAST(score AS INTEGER) AS score,
		comment, touchpoint`,
	entCX: `resp_id, customer_id, CAST(answered_at AS TIMESTAMP) AS answered_at, question,
		CAST(rating AS INTEGER) AS rating, order_ref`,
}

// convertParquet turns the staging CSV of every Parquet file into the file
// itself with DuckDB (zstd, row groups of RowGroupRows, rows in file
// order), records the sizes and removes the staging folder.
func convertParquet(ctx context.Context, dir string, files []FileInfo) error {
	staging := filepath.Join(dir, stagingDir)
	var pending []int
	for i, f := range files {
		if f.Format == FormatParquet {
			pending = append(pending, i)
		}
	}
	if len(pending) == 0 {
		return nil
	}
	db, err := duck.Open(ctx, duck.Settings{PreserveInsertionOrder: true, MemoryLimit: "2GB", TempDir: filepath.Join(staging, "duckdb")})
	if err != nil {
		return fmt.Errorf("convert to parquet: %w", err)
	}
	defer db.Close()
	for _, i := range pending {
		if err := convertOne(ctx, db, dir, &files[i]); err != nil {
			return err
		}
	}
	if err := os.RemoveAll(staging); err != nil {
		return fmt.Errorf("convert to parquet: remove %s: %w", staging, err)
	}
	return nil
}

func convertOne(ctx context.Context, db *duck.DB, dir string, f *FileInfo) error {
	e := entityOf(f.Source)
	path := filepath.Join(dir, f.Path)
	q := fmt.Sprintf(`COPY (SELECT %s FROM read_csv(%s, header = true, delim = %s, quote = '"', escape = '"',
		all_varchar = true, auto_detect = false, columns = %s))
		TO %s (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE %d)`,
		typedColumns[e], duck.Literal(f.text), duck.Literal(string(entitySpecs[e].delim)),
		stagingColumns(e), duck.Literal(path), RowGroupRows)
	if _, err := db.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("convert %s to parquet: %w", f.Path, err)
	}
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("convert %s to parquet: %w", f.Path, err)
	}
	f.Bytes, f.text = st.Size(), path
	return nil
}

// stagingColumns is the read_csv columns struct of entity e: its header's
// names, all VARCHAR.
func stagingColumns(e int) string {
	w := rowWriter{delim: entitySpecs[e].delim}
	(&maker{}).header(e, &w)
	names, err := splitHeader(string(w.b[:len(w.b)-1]), entitySpecs[e].delim)
	if err != nil {
		panic("gen: " + err.Error())
	}
	s := "{"
	for i, n := range names {
		if i > 0 {
			s += ", "
		}
		s += duck.Literal(n) + ": 'VARCHAR'"
	}
	return s + "}"
}

// splitHeader splits a header line; column names hold no quotes.
func splitHeader(line string, delim byte) ([]string, error) {
	var out []string
	start := 0
	for i := 0; i <= len(line); i++ {
		if i == len(line) || line[i] == delim {
			out = append(out, line[start:i])
			start = i + 1
		} else if line[i] == '"' {
			return nil, fmt.Errorf("quoted column name in %q", line)
		}
	}
	return out, nil
}

func entityOf(source string) int {
	for e := range numEntities {
		if entitySpecs[e].source == source {
			return e
		}
	}
	panic("gen: unknown source " + source)
}
