package gen

import (
	"fmt"
	"time"

	"github.com/journeydata/journey/transforms/btyd"
)

// Format selects the file formats of a generated data set.
type Format string

// The formats. FormatDemo writes every entity in the demo's own format
// (CSV, with NDJSON interactions and Parquet CSAT/CES); the others write
// every entity in one format.
const (
	FormatDemo    Format = "demo"
	FormatCSV     Format = "csv"
	FormatNDJSON  Format = "ndjson"
	FormatParquet Format = "parquet"
)

// Formats lists the valid formats, the default first (read-only).
var Formats = []Format{FormatDemo, FormatCSV, FormatNDJSON, FormatParquet}

// Tier returns the customers of a tier: small 10k, medium 1M, large 10M.
func Tier(name string) (int, bool) {
	switch name {
	case "small":
		return 10_000, true
	case "medium":
		return 1_000_000, true
	case "large":
		return 10_000_000, true
	}
	return 0, false
}

// Defaults of Options (read-only). The BG/NBD parameters give the medium
// tier about 10M orders (10 per customer), 92 % repeat buyers, about 48 %
// dropouts by the end of the period and a mean purchase rate of r/α = 0.27
// a week; a is the CDNOW estimate. The rates vary less between customers
// (r = 0.8) than in CDNOW, so that few customers buy more often than once a
// day, which data of at most one purchase day per day cannot show: with
// r = 0.35, α = 1 8 % of the repeat purchases fell on a day already taken
// and the fit of two million simulated customers put α 1.1 % high, 6
// standard errors; with these parameters every estimate is within 1.4. The
// Gamma-Gamma parameters are CDNOW's, rounded: a mean order value of
// p·γ/(q−1) = 30 EUR.
var (
	DefaultBGNBD      = btyd.BGNBD{R: 0.8, Alpha: 3, A: 0.8, B: 8}
	DefaultGammaGamma = btyd.GammaGamma{P: 6, Q: 4, Gamma: 15}
	DefaultFrom       = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	DefaultTo         = time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)
)

// DefaultDirt is the default share of dirty rows per file.
const DefaultDirt = 0.001

// MaxCustomers bounds Options.Customers (customer ids stay readable, and
// every count fits comfortably in an int).
const MaxCustomers = 100_000_000

// Options describe one generated data set. The same Options give
// byte-identical files (Parquet files: for the same DuckDB version).
type Options struct {
	Customers int    // number of CRM contacts, at least 1
	Seed      uint64 // seed of every random stream
	Out       string // output folder: absent, empty, or an earlier data set
	Format    Format // file formats; "" means FormatDemo
	// Dirt is the share of a file's records that get a dirty companion
	// (or a dirty spelling), in [0, 0.1].
	Dirt float64
	// From and To are the first and last business days (dates; the clock
	// time and zone are ignored). To is the as-of date to fit at.
	From, To   time.Time
	BGNBD      btyd.BGNBD      // purchase process, time unit weeks
	GammaGamma btyd.GammaGamma // order values in EUR
	// PartCustomers is the number of customers per file part, a multiple
	// of 1000; 0 means 100,000. A data set with more customers is split
	// into numbered parts read through a glob.
	PartCustomers int
	// Workers is the number of generating goroutines; 0 means GOMAXPROCS.
	// It does not change the output.
	Workers int
	// Now, when set, times the phases reported in the Summary.
	Now func() time.Time
}

// withDefaults fills the zero fields that have a default.
func (o Options) withDefaults() Options {
	if o.Format == "" {
		o.Format = FormatDemo
	}
	if o.From.IsZero() {
		o.From = DefaultFrom
	}
	if o.To.IsZero() {
		o.To = DefaultTo
	}
	if o.BGNBD == (btyd.BGNBD{}) {
		o.BGNBD = DefaultBGNBD
	}
	if o.PartCustomers == 0 {
		o.PartCustomers = partCustomers
	}
	if o.GammaGamma == (btyd.GammaGamma{}) {
		o.GammaGamma = DefaultGammaGamma
	}
	return o
}

// Validate reports the first invalid option, naming the flag.
func (o Options) Validate() error {
	o = o.withDefaults()
	from, to := civil(o.From), civil(o.To)
	switch {
	case o.Customers < 1 || o.Customers > MaxCustomers:
		return fmt.Errorf("--customers %d: want 1 to %d", o.Customers, MaxCustomers)
	case o.Out == "":
		return fmt.Errorf("--out: the output folder is required")
	case !validFormat(o.Format):
		return fmt.Errorf("--format %q: want one of %v", o.Format, Formats)
	case !(o.Dirt >= 0 && o.Dirt <= 0.1):
		return fmt.Errorf("--dirt %g: want a share between 0 and 0.1", o.Dirt)
	case from.Year() < 1971 || to.Year() > 2199:
		return fmt.Errorf("--from/--to: dates must lie between 1971 and 2199")
	case daysBetween(from, to) < 27:
		return fmt.Errorf("--from %s --to %s: the period must span at least 28 days", from.Format(time.DateOnly), to.Format(time.DateOnly))
	case o.PartCustomers < 0 || o.PartCustomers%blockSize != 0:
		return fmt.Errorf("part customers %d: want a multiple of %d", o.PartCustomers, blockSize)
	case o.Workers < 0:
		return fmt.Errorf("workers %d: want 0 (one per core) or more", o.Workers)
	}
	if err := o.BGNBD.Validate(); err != nil {
		return fmt.Errorf("--bgnbd: %w", err)
	}
	if err := o.GammaGamma.Validate(); err != nil {
		return fmt.Errorf("--gamma-gamma: %w", err)
	}
	return nil
}

func validFormat(f Format) bool {
	for _, v := range Formats {
		if f == v {
			return true
		}
	}
	return false
}

// civil returns the calendar date of t at midnight UTC.
func civil(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// daysBetween counts calendar days from a to b (both civil dates).
func daysBetween(a, b time.Time) int {
	return int(b.Sub(a).Hours() / 24)
}
