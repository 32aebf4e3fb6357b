package sources

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/journeydata/journey/internal/check"
)

// Spec is the configuration of one source: where its rows come from and how
// its columns map onto a canonical entity. It is the `sources[]` element of
// journey.yaml.
type Spec struct {
	// Name identifies the source in rejects, logs and the manifest.
	Name string `yaml:"name"`
	// Entity is the canonical entity the rows become (customers,
	// interactions, orders, survey_responses).
	Entity string `yaml:"entity"`
	// Kind selects the reader: "file" (local or gs:// files) or "postgres".
	Kind string `yaml:"kind"`
	// Path is a file or glob, relative to the configuration file (kind file).
	Path string `yaml:"path"`
	// DSNEnv names the environment variable that holds the PostgreSQL
	// connection string (kind postgres); the DSN never sits in the config.
	DSNEnv string `yaml:"dsn_env"`
	// Table is a table or view to read whole (kind postgres), e.g. public.orders.
	Table string `yaml:"table"`
	// Query is a SELECT to read instead of Table (kind postgres).
	Query string `yaml:"query"`
	// Watermark is a column of the source that grows with every change
	// (e.g. updated_at): when set, a run reads only rows above the watermark
	// of the last published snapshot (kind postgres).
	Watermark string `yaml:"watermark"`
	// Format is csv, ndjson or parquet; empty means "from the file extension".
	Format string `yaml:"format"`
	// CSV holds the dialect of CSV files.
	CSV CSVOptions `yaml:"csv"`
	// Timezone is the zone of timestamps that carry no offset (default UTC).
	Timezone string `yaml:"timezone"`
	// TimestampFormat is the strptime format of every timestamp field
	// without an entry in Formats; empty accepts ISO 8601.
	TimestampFormat string `yaml:"timestamp_format"`
	// Formats gives a strptime format per canonical field.
	Formats map[string]string `yaml:"formats"`
	// Columns maps canonical field -> source column (CSV header, JSON key or
	// Parquet column).
	Columns map[string]string `yaml:"columns"`
	// Values maps, per canonical field, source values to canonical ones
	// (e.g. status: {"Closed Won": delivered}). Unlisted values pass through.
	Values map[string]map[string]string `yaml:"values"`
	// Constants sets canonical fields to a fixed value for every row
	// (e.g. survey_type: nps for a file that holds only NPS answers).
	Constants map[string]string `yaml:"constants"`
	// Include keeps only records whose value of each listed canonical field
	// (after value maps) is one of the listed values.
	Include map[string][]string `yaml:"include"`
	// Exclude leaves out records whose value of a listed canonical field
	// (after value maps) is one of the listed values. Records left out by
	// Include or Exclude are kept in rejects with the reason "excluded by
	// filter" and do not count against MaxRejectRatio.
	Exclude map[string][]string `yaml:"exclude"`
	// MaxRejectRatio fails the run, before anything is published, when more
	// than this share of the records read is rejected (filters aside).
	// Default 0.5; 1 turns the check off.
	MaxRejectRatio *float64 `yaml:"max_reject_ratio"`
	// ShardBy names the canonical field (customer_id) by which a sharded run
	// may filter the source where it is read: each shard then reads only its
	// customers' rows (kind postgres, or Parquet files). It promises that
	// the field holds the customer's resolved identity on every row (a CRM
	// customer id, never NULL, never changing for a record); a shard that
	// finds a row resolving to another customer fails.
	ShardBy string `yaml:"shard_by"`
}

// DefaultMaxRejectRatio is the reject share that fails a run when a source
// sets none: a mapping that rejects most rows is broken, not dirty.
const DefaultMaxRejectRatio = 0.5

// RejectLimit is the source's MaxRejectRatio or the default.
func (s Spec) RejectLimit() float64 {
	if s.MaxRejectRatio == nil {
		return DefaultMaxRejectRatio
	}
	return *s.MaxRejectRatio
}

// CSVOptions is the dialect of a CSV source.
type CSVOptions struct {
	Delimiter string   `yaml:"delimiter"` // default ","; "whitespace" = runs of spaces or tabs
	Quote     string   `yaml:"quote"`     // default `"`
	Escape    string   `yaml:"escape"`    // default: same as quote
	Header    *bool    `yaml:"header"`    // default true
	Names     []string `yaml:"names"`     // column names of a file without a header line
	Nulls     []string `yaml:"nulls"`     // strings read as NULL; default [""]
}

// Formats a file source reads.
var fileFormats = []string{"csv", "ndjson", "parquet"}

// Validate checks the spec without touching any file and records every
// problem under l (whose prefix names this source).
func (s Spec) Validate(l check.List) {
	if s.Name == "" {
		l.Add("name", "give the source a short unique name such as orders_csv", "is empty")
	}
	e, ok := EntityByName(s.Entity)
	if !ok {
		l.Add("entity", "use one of "+strings.Join(EntityNames(), ", "), "unknown entity %q", s.Entity)
	}
	switch s.Kind {
	case "file", "":
		s.validateFile(l)
	case "postgres":
		s.validatePostgres(l)
	}
	if s.Timezone != "" {
		if _, err := time.LoadLocation(s.Timezone); err != nil {
			l.Add("timezone", "use an IANA zone name such as Europe/Berlin or UTC", "unknown time zone %q", s.Timezone)
		}
	}
	s.CSV.validate(l.Under("csv"))
	if ok {
		s.validateMapping(l, e)
	}
	s.validateShardBy(l)
}

func (s Spec) validateFile(l check.List) {
	if s.Path == "" {
		l.Add("path", "give a file, a glob such as exports/*.csv, relative to the config file", "is empty")
	}
	if s.Format != "" && !slices.Contains(fileFormats, s.Format) {
		l.Add("format", "use one of csv, ndjson, parquet, or leave it empty to use the file extension", "unknown format %q", s.Format)
	}
	if s.Format == "" && s.Path != "" && FormatOf(s.Path) == "" {
		l.Add("format", "set format: csv, ndjson or parquet", "cannot tell the format of %q from its extension", s.Path)
	}
}

func (s Spec) validatePostgres(l check.List) {
	if s.DSNEnv == "" {
		l.Add("dsn_env", "name the environment variable that holds the connection string, e.g. dsn_env: SHOP_DSN", "is empty")
	}
	if (s.Table == "") == (s.Query == "") {
		l.Add("table", "set either table (e.g. public.orders) or query (a SELECT), not both", "exactly one of table and query is needed")
	}
	if s.Path != "" {
		l.Add("path", "remove path; a postgres source reads table or query", "is set on a postgres source")
	}
}

func (o CSVOptions) validate(l check.List) {
	for _, f := range []struct{ name, v string }{{"delimiter", o.Delimiter}, {"quote", o.Quote}, {"escape", o.Escape}} {
		if len(f.v) > 1 && !(f.name == "delimiter" && f.v == "whitespace") {
			l.Add(f.name, "use a single character (or whitespace, for the delimiter)", "%q is more than one character", f.v)
		}
	}
	if o.Header != nil && !*o.Header && o.Delimiter == "whitespace" && len(o.Names) == 0 {
		l.Add("names", "list the column names, e.g. names: [customer_id, date, amount]", "a whitespace-separated file without a header needs names")
	}
	if o.Header != nil && *o.Header && len(o.Names) > 0 {
		l.Add("names", "remove names, or set header: false", "names are for files without a header line")
	}
}

func (s Spec) validateMapping(l check.List, e Entity) {
	if r := s.RejectLimit(); r < 0 || r > 1 {
		l.Add("max_reject_ratio", "use a share between 0 and 1, such as 0.05 for 5 %", "%g is not between 0 and 1", r)
	}
	for _, fl := range []struct {
		name   string
		filter map[string][]string
	}{{"include", s.Include}, {"exclude", s.Exclude}} {
		name, filter := fl.name, fl.filter
		for _, f := range slices.Sorted(maps.Keys(filter)) {
			if _, ok := e.Field(f); !ok || !s.provides(f) {
				l.Add(name+"."+f, "filter on a field the source maps: "+strings.Join(mappedOrConstant(s), ", "), "%q is not a mapped field of %s", f, e.Name)
			} else if len(filter[f]) == 0 {
				l.Add(name+"."+f, "list the values, e.g. ["+f+"_value]", "has no values")
			}
		}
	}
	for _, f := range slices.Sorted(maps.Keys(s.Columns)) {
		if _, ok := e.Field(f); !ok {
			l.Add("columns."+f, "use one of the fields of "+e.Name+": "+fieldNames(e), "%q is not a field of %s", f, e.Name)
		} else if s.Columns[f] == "" {
			l.Add("columns."+f, "name the source column that holds "+f, "is empty")
		}
	}
	for _, f := range slices.Sorted(maps.Keys(s.Constants)) {
		if _, ok := e.Field(f); !ok {
			l.Add("constants."+f, "use one of the fields of "+e.Name+": "+fieldNames(e), "%q is not a field of %s", f, e.Name)
		} else if _, both := s.Columns[f]; both {
			l.Add("constants."+f, "remove either the column mapping or the constant", "%s is both mapped to a column and set to a constant", f)
		}
	}
	for _, f := range slices.Sorted(maps.Keys(s.Values)) {
		if _, ok := e.Field(f); !ok {
			l.Add("values."+f, "use one of the fields of "+e.Name+": "+fieldNames(e), "%q is not a field of %s", f, e.Name)
		}
	}
	for _, f := range slices.Sorted(maps.Keys(s.Formats)) {
		if fd, ok := e.Field(f); !ok || fd.Type != Timestamp {
			l.Add("formats."+f, "formats apply to timestamp fields: "+timestampFields(e), "%q is not a timestamp field of %s", f, e.Name)
		} else if err := CheckFormat(s.Formats[f]); err != nil {
			l.Add("formats."+f, "use strptime specifiers such as %Y-%m-%d %H:%M:%S", "%v", err)
		}
	}
	if err := CheckFormat(s.TimestampFormat); err != nil {
		l.Add("timestamp_format", "use strptime specifiers such as %Y-%m-%d %H:%M:%S", "%v", err)
	}
	for _, f := range e.Fields {
		if f.Required && !s.provides(f.Name) {
			l.Add("columns."+f.Name, fmt.Sprintf("add `%s: <source column>` under columns (or under constants)", f.Name),
				"required field %s of %s is not mapped", f.Name, e.Name)
		}
	}
	if e.HasIdentity() && !s.provides("customer_id") && !s.provides("email") {
		l.Add("columns", "map customer_id or email (or both) to the source columns that identify the customer",
			"%s rows need customer_id or email", e.Name)
	}
}

func (s Spec) provides(field string) bool {
	_, c := s.Columns[field]
	_, k := s.Constants[field]
	return c || k
}

// validateShardBy checks that the source can be filtered by shard_by.
func (s Spec) validateShardBy(l check.List) {
	if s.ShardBy == "" {
		return
	}
	switch {
	case s.ShardBy != "customer_id":
		l.Add("shard_by", "use customer_id, or leave it out", "%q cannot select a shard: shards split customers", s.ShardBy)
	case s.Entity == "customers":
		l.Add("shard_by", "leave it out: every shard needs every CRM contact to resolve emails", "a customers source cannot be split by shard")
	case s.Columns["customer_id"] == "":
		l.Add("shard_by", "map customer_id to a source column under columns", "customer_id is not read from a column")
	case s.Kind != "postgres" && s.EffectiveFormat() != "parquet":
		l.Add("shard_by", "leave it out: only PostgreSQL sources and Parquet files filter by shard", "a %s file cannot filter by shard where it is read", s.EffectiveFormat())
	}
}

// FormatOf guesses a file format from a path's extension (ignoring .gz and
// .zst); it returns "" when it cannot tell.
func FormatOf(path string) string {
	p := strings.TrimSuffix(strings.TrimSuffix(strings.ToLower(path), ".gz"), ".zst")
	switch {
	case strings.HasSuffix(p, ".csv"), strings.HasSuffix(p, ".tsv"), strings.HasSuffix(p, ".txt"):
		return "csv"
	case strings.HasSuffix(p, ".ndjson"), strings.HasSuffix(p, ".jsonl"), strings.HasSuffix(p, ".json"):
		return "ndjson"
	case strings.HasSuffix(p, ".parquet"):
		return "parquet"
	}
	return ""
}

// EffectiveFormat is Format, or the format guessed from Path.
func (s Spec) EffectiveFormat() string {
	if s.Format != "" {
		return s.Format
	}
	return FormatOf(s.Path)
}

func mappedOrConstant(s Spec) []string {
	var fs []string
	for f := range s.Columns {
		fs = append(fs, f)
	}
	for f := range s.Constants {
		fs = append(fs, f)
	}
	slices.Sort(fs)
	return slices.Compact(fs)
}

func fieldNames(e Entity) string {
	var n []string
	for _, f := range e.Fields {
		n = append(n, f.Name)
	}
	return strings.Join(n, ", ")
}

func timestampFields(e Entity) string {
	var n []string
	for _, f := range e.Fields {
		if f.Type == Timestamp {
			n = append(n, f.Name)
		}
	}
	return strings.Join(n, ", ")
}
