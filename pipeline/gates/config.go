package gates

// Severity says what a failed gate does to the run.
type Severity string

// The severities.
const (
	// Warn reports the failed gate and lets the run publish.
	Warn Severity = "warn"
	// Error fails the run before anything is published.
	Error Severity = "error"
)

// The rules a gate can apply.
const (
	RuleUnique            = "unique"             // no two rows share the columns' values
	RuleNotNull           = "not_null"           // no NULL in the column
	RuleAcceptedValues    = "accepted_values"    // the column holds only the listed values
	RuleRange             = "range"              // numeric values lie within [min, max]
	RuleExistsIn          = "exists_in"          // every value appears in ref_table.ref_column
	RuleReconcile         = "reconcile"          // a source's read = loaded + rejected
	RuleRowCountChange    = "row_count_change"   // rows changed little since the previous snapshot
	RuleUnmatchedIdentity = "unmatched_identity" // few records match no CRM contact
)

// TableRules are the rules a configuration may name under tables:.
func TableRules() []string {
	return []string{RuleUnique, RuleNotNull, RuleAcceptedValues, RuleRange, RuleExistsIn}
}

// Defaults of the tunable gates.
const (
	DefaultMaxChange = 0.5 // row_count_change.max_change
	DefaultMaxShare  = 0.2 // unmatched_identity.max_share
)

// Config is the gates: section of journey.yaml. The zero value (no section)
// runs the built-in gates with their defaults.
type Config struct {
	// Defaults turns the built-in gates (Builtin, reconciliation, row-count
	// change, unmatched identity) on or off; nil means on.
	Defaults *bool `yaml:"defaults"`
	// RowCountChange tunes the gate on row counts against the previous snapshot.
	RowCountChange RowCountChange `yaml:"row_count_change"`
	// UnmatchedIdentity tunes the gate on the share of unmatched records.
	UnmatchedIdentity UnmatchedIdentity `yaml:"unmatched_identity"`
	// Tables are extra rules per output table, evaluated after the built-ins.
	Tables map[string][]Rule `yaml:"tables"`
}

// RowCountChange fails when a table's rows change by more than MaxChange,
// a fraction of the previous snapshot's rows (0.5: more than ±50 %).
type RowCountChange struct {
	MaxChange *float64 `yaml:"max_change"` // default 0.5
	Severity  Severity `yaml:"severity"`   // default warn
}

// UnmatchedIdentity fails when the share of interactions, orders and survey
// answers that match no CRM contact passes MaxShare.
type UnmatchedIdentity struct {
	MaxShare *float64 `yaml:"max_share"` // default 0.2
	Severity Severity `yaml:"severity"`  // default error
}

// Rule is one gate on one table. Which fields apply depends on Rule:
//
//	unique           columns (together a key; rows with a NULL in it are ignored)
//	not_null         columns (one gate per column)
//	accepted_values  column, values, allow_null
//	range            column, min and/or max (inclusive; NULLs are ignored)
//	exists_in        column, ref_table, ref_column (default: column; NULLs are ignored)
type Rule struct {
	Rule      string   `yaml:"rule" json:"rule"`
	Columns   []string `yaml:"columns,omitempty" json:"columns,omitempty"`
	Column    string   `yaml:"column,omitempty" json:"column,omitempty"`
	Values    []string `yaml:"values,omitempty" json:"values,omitempty"`
	AllowNull bool     `yaml:"allow_null,omitempty" json:"allow_null,omitempty"`
	Min       *float64 `yaml:"min,omitempty" json:"min,omitempty"`
	Max       *float64 `yaml:"max,omitempty" json:"max,omitempty"`
	RefTable  string   `yaml:"ref_table,omitempty" json:"ref_table,omitempty"`
	RefColumn string   `yaml:"ref_column,omitempty" json:"ref_column,omitempty"`
	// Severity defaults to error.
	Severity Severity `yaml:"severity,omitempty" json:"severity,omitempty"`
}

// ApplyDefaults fills in every omitted setting, so that the configuration
// states what will run.
func (c *Config) ApplyDefaults() {
	if c.Defaults == nil {
		c.Defaults = ptr(true)
	}
	if c.RowCountChange.MaxChange == nil {
		c.RowCountChange.MaxChange = ptr(DefaultMaxChange)
	}
	if c.RowCountChange.Severity == "" {
		c.RowCountChange.Severity = Warn
	}
	if c.UnmatchedIdentity.MaxShare == nil {
		c.UnmatchedIdentity.MaxShare = ptr(DefaultMaxShare)
	}
	if c.UnmatchedIdentity.Severity == "" {
		c.UnmatchedIdentity.Severity = Error
	}
	for _, rules := range c.Tables {
		for i := range rules {
			if rules[i].Severity == "" {
				rules[i].Severity = Error
			}
		}
	}
}

// withDefaults returns a copy of c with defaults applied, leaving c and its
// rule slices untouched.
func (c Config) withDefaults() Config {
	tables := make(map[string][]Rule, len(c.Tables))
	for t, rules := range c.Tables {
		tables[t] = append([]Rule(nil), rules...)
	}
	c.Tables = tables
	c.ApplyDefaults()
	return c
}

func ptr[T any](v T) *T { return &v }
