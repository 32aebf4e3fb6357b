package sinks

// Partitioning says how a table is laid out under the output root. Its value
// is the name of the partition column.
type Partitioning string

// The layouts of the output tables.
const (
	BySnapshot   Partitioning = "snapshot_date" // <table>/snapshot_date=YYYY-MM-DD/
	ByEventMonth Partitioning = "event_month"   // <table>/event_month=YYYY-MM/, replaced whole
	ByRun        Partitioning = "run_id"        // <table>/run_id=<id>/
)

// Layout describes the folders of a table partitioned this way.
func (p Partitioning) Layout() string {
	switch p {
	case BySnapshot:
		return "`snapshot_date=YYYY-MM-DD/`, one folder per snapshot; re-running a date replaces its folder"
	case ByEventMonth:
		return "`event_month=YYYY-MM/`, one folder per month; the latest run replaces the whole table"
	case ByRun:
		return "`run_id=<run id>/`, one folder per run"
	}
	return "`" + string(p) + "=…/`"
}

// FromData reports whether the partition value comes from the rows (written
// with COPY … PARTITION_BY) rather than from the snapshot being written.
func (p Partitioning) FromData() bool { return p == ByEventMonth }

// Table is one published output table and its declared schema.
type Table struct {
	Name string
	// Description says what the table holds, for BI users.
	Description string
	// Grain says what one row is.
	Grain     string
	Partition Partitioning
	// OrderBy are the keys rows are sorted by (what dashboards filter on),
	// which also makes the output deterministic.
	OrderBy []string
	// Columns are every column in the order readers see them: the columns
	// stored in the files, then the partition column (from the folder names).
	Columns []Column
	// Metrics are the keys of the metric definitions (see Metrics) that
	// explain the table's columns.
	Metrics []string
}

// Tables lists the published tables in publish order. It is the single list
// of output tables: publishing, the data dictionary and the tests use it.
func Tables() []Table {
	return []Table{
		journeyEvents(),
		customerJourney(),
		customerMetrics(),
		kpiDaily(),
		cohortRetention(),
		rejects(),
	}
}
