// Package sinks writes the run's output tables as zstd-compressed Parquet in
// Hive layout under the output root and publishes a snapshot: every table is
// written to a staging folder first, moved into place when all are written,
// and the snapshot's manifest is written last, as the commit point.
package sinks

// Partitioning says how a table is laid out under the output root.
type Partitioning string

// The layouts of the output tables.
const (
	BySnapshot   Partitioning = "snapshot_date" // <table>/snapshot_date=YYYY-MM-DD/
	ByEventMonth Partitioning = "event_month"   // <table>/event_month=YYYY-MM/, replaced whole
	ByRun        Partitioning = "run_id"        // <table>/run_id=<id>/
)

// Table is one published output table.
type Table struct {
	Name      string
	Partition Partitioning
	// OrderBy are the keys rows are sorted by (what dashboards filter on),
	// which also makes the output deterministic.
	OrderBy []string
}

// Tables lists the published tables in publish order.
func Tables() []Table {
	return []Table{
		{Name: "journey_events", Partition: ByEventMonth, OrderBy: []string{"event_month", "customer_id", "sequence_number"}},
		{Name: "customer_journey", Partition: BySnapshot, OrderBy: []string{"customer_id"}},
		{Name: "customer_metrics", Partition: BySnapshot, OrderBy: []string{"customer_id"}},
		{Name: "kpi_daily", Partition: BySnapshot, OrderBy: []string{"dimension", "dimension_value"}},
		{Name: "cohort_retention", Partition: BySnapshot, OrderBy: []string{"cohort_month", "months_since"}},
		{Name: "rejects", Partition: ByRun, OrderBy: []string{"source", "file", "line", "reason"}},
	}
}
