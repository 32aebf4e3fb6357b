package sources

import "fmt"

// ShardFilter asks a source to read only one shard's rows: those whose
// Column (a source column holding the customer id) hashes to Index among
// Count shards, with the hash of the pipeline's shards (the first four
// bytes of the MD5 of the value's text, big-endian, modulo Count). Rows
// whose column is NULL go to shard 0.
type ShardFilter struct {
	Column string
	Index  int
	Count  int
}

// DuckDBCondition is the filter as a DuckDB condition on the column
// expression col (already quoted).
func (f ShardFilter) DuckDBCondition(col string) string {
	return f.condition(fmt.Sprintf("CAST(('0x' || left(md5(CAST(%s AS VARCHAR)), 8)) AS UBIGINT)", col), col)
}

// PostgresCondition is the filter as a PostgreSQL condition on the column
// expression col (already quoted).
func (f ShardFilter) PostgresCondition(col string) string {
	return f.condition(fmt.Sprintf("('x' || left(md5(CAST(%s AS text)), 8))::bit(32)::bigint", col), col)
}

func (f ShardFilter) condition(hash, col string) string {
	c := fmt.Sprintf("%s %% %d = %d", hash, f.Count, f.Index)
	if f.Index == 0 {
		c = fmt.Sprintf("(%s IS NULL OR %s)", col, c)
	}
	return c
}
