// Command gen writes the bundled demo data set in testdata/demo:
//
//	crm_contacts.csv     customers    (CRM export, ';', Europe/Berlin local times)
//	orders.csv           orders       (shop export, ',', UTC with Z)
//	interactions.ndjson  interactions (one JSON object per line, Berlin local naive)
//	nps_responses.csv    surveys, NPS (email only, UTC +00:00)
//	csat_ces.parquet     surveys, CSAT and CES (naive Berlin local TIMESTAMP)
//	README.md            shapes, the dirt table and summary counts (from gen/README.md.tmpl)
//
// Run it from the module root:
//
//	go run -tags duckdb_arrow ./testdata/demo/gen
//
// All randomness comes from math/rand/v2 PCG streams with fixed seeds, so the
// text files are byte-for-byte stable; the Parquet file is stable for a given
// DuckDB version (the version is recorded in its footer). The clean data is
// random (but seeded); the DIRT is not: every dirty row is injected explicitly
// by the inject* functions below, at fixed positions chosen by fixed rules, and
// every one of them is listed with its line number in the generated README.md.
// Nothing is ever iterated in map order.
package main

import (
	"bytes"
	"database/sql"
	_ "embed"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"time"
	_ "time/tzdata" // Europe/Berlin without relying on the host's zoneinfo

	_ "github.com/duckdb/duckdb-go/v2"
)

//go:embed README.md.tmpl
var readmeTemplate string

const (
	seedA      = 20240101
	seedB      = 20251231
	nCustomers = 300
)

var (
	berlin    *time.Location
	dataStart time.Time // 2024-01-01 00:00:00 Europe/Berlin
	dataEnd   time.Time // 2025-12-31 23:59:59 Europe/Berlin
	churnCut  time.Time // churners place no order after this day
)

// ---------------------------------------------------------------------------
// randomness and time helpers

type rng struct{ *rand.Rand }

// newRNG returns an independent, seeded stream; one per generation phase so
// that tuning one phase does not reshuffle the others.
func newRNG(stream uint64) rng { return rng{rand.New(rand.NewPCG(seedA, seedB+stream))} }

func (r rng) between(lo, hi int) int { return lo + r.IntN(hi-lo+1) }

func (r rng) chance(p float64) bool { return r.Float64() < p }

func (r rng) weighted(w []int) int {
	total := 0
	for _, x := range w {
		total += x
	}
	n := r.IntN(total)
	for i, x := range w {
		if n < x {
			return i
		}
		n -= x
	}
	return len(w) - 1
}

func pick[T any](r rng, xs []T) T { return xs[r.IntN(len(xs))] }

// at returns a random instant on the Berlin calendar day of d, with the hour
// in [loH, hiH]. All generated times are in daytime hours, so the Berlin and
// the UTC calendar dates always agree and no DST gap or overlap is touched.
func (r rng) at(d time.Time, loH, hiH int) time.Time {
	y, m, dd := d.In(berlin).Date()
	return time.Date(y, m, dd, r.between(loH, hiH), r.IntN(60), r.IntN(60), 0, berlin)
}

// addDays returns Berlin midnight n calendar days after t's Berlin date.
func addDays(t time.Time, n int) time.Time {
	y, m, d := t.In(berlin).Date()
	return time.Date(y, m, d+n, 0, 0, 0, 0, berlin)
}

func day(t time.Time) time.Time { return addDays(t, 0) }

// daysBetween counts calendar days between the Berlin dates of a and b.
func daysBetween(a, b time.Time) int {
	ya, ma, da := a.In(berlin).Date()
	yb, mb, db := b.In(berlin).Date()
	return int(time.Date(yb, mb, db, 0, 0, 0, 0, time.UTC).Sub(time.Date(ya, ma, da, 0, 0, 0, 0, time.UTC)).Hours() / 24)
}

func minutes(n int) time.Duration { return time.Duration(n) * time.Minute }

func round2(v float64) float64 { return math.Round(v*100) / 100 }

func clamp(v, lo, hi int) int { return max(lo, min(hi, v)) }

// output formats, one per source (real exports never agree)
func fmtCRMDate(t time.Time) string  { return t.In(berlin).Format("02.01.2006") }
func fmtCRMStamp(t time.Time) string { return t.In(berlin).Format("02.01.2006 15:04") }
func fmtISOZ(t time.Time) string     { return t.UTC().Format("2006-01-02T15:04:05Z") }
func fmtDate(t time.Time) string     { return t.In(berlin).Format("2006-01-02") }
func fmtLocal(t time.Time) string    { return t.In(berlin).Format("2006-01-02 15:04:05") }
func fmtUTCOff(t time.Time) string   { return t.UTC().Format("2006-01-02 15:04:05") + "+00:00" }
func fmtMoney(v float64) string      { return strconv.FormatFloat(v, 'f', 2, 64) }

// csvLine joins fields with delim, quoting (RFC 4180 style) only the fields
// that contain the delimiter, a comma, a quote or a line break.
func csvLine(delim string, fields ...string) string {
	out := make([]string, len(fields))
	for i, f := range fields {
		if strings.ContainsAny(f, delim+",\"\r\n") {
			f = `"` + strings.ReplaceAll(f, `"`, `""`) + `"`
		}
		out[i] = f
	}
	return strings.Join(out, delim)
}

// ---------------------------------------------------------------------------
// reference data

var (
	countries = []string{"DE", "AT", "CH", "NL", "FR"}
	countryW  = []int{55, 15, 12, 10, 8}
	leads     = []string{"Google Ads", "Newsletter", "Referral", "Instagram", "Walk-in"}
	leadW     = []int{30, 20, 15, 20, 15}
	tiers     = []string{"Gold", "Silver", "Bronze"}

	germanFirst = []string{"Anna", "Jan", "Lukas", "Leon", "Felix", "Paul", "Jonas", "Maximilian", "Tim", "Niklas",
		"Laura", "Lea", "Sophie", "Marie", "Julia", "Lena", "Hannah", "Katharina", "Sarah", "Johanna", "Moritz",
		"Florian", "Tobias", "Sebastian", "Stefan", "Thomas", "Andreas", "Sabine", "Claudia", "Petra", "Monika",
		"Jürgen", "Uwe", "Jörg", "Björn", "Lisa", "Nina", "Eva", "Clara", "Emma", "Mia", "Elias", "Noah", "Luca",
		"Fabian", "David", "Ömer", "Zoë"}
	germanLast = []string{"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
		"Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz",
		"Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner", "Krause", "Meier",
		"Lehmann", "Jäger", "Groß", "Fuchs", "Kaiser", "Yılmaz", "Nowak"}
	austrianLast = []string{"Huber", "Gruber", "Wimmer", "Pichler", "Moser", "Steiner", "Mayer", "Hofer", "Bauer", "Wagner"}
	swissLast    = []string{"Keller", "Frei", "Brunner", "Meier", "Baumann", "Zürcher", "Gerber", "Widmer", "Müller", "Huber"}
	dutchFirst   = []string{"Daan", "Sem", "Lucas", "Bram", "Thijs", "Emma", "Julia", "Sanne", "Fleur", "Anouk", "Lotte", "Ruben", "Jesse", "Femke"}
	dutchLast    = []string{"de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "Bos", "Vos", "Peters"}
	frenchFirst  = []string{"Camille", "Léa", "Chloé", "Manon", "Louis", "Hugo", "Lucas", "Jules", "Gabriel", "Inès", "Élodie", "Théo", "Julien", "Mathilde", "Marie"}
	frenchLast   = []string{"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Dupont", "Fontaine"}

	domains = map[string][]string{ // looked up by key only, never iterated
		"DE": {"example.de", "example.com", "example.net"},
		"AT": {"example.at", "example.com"},
		"CH": {"example.ch", "example.com"},
		"NL": {"example.nl", "example.com"},
		"FR": {"example.fr", "example.com"},
	}

	translit = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "Ä", "Ae", "Ö", "Oe", "Ü", "Ue", "ß", "ss",
		"é", "e", "è", "e", "ê", "e", "ë", "e", "É", "E", "à", "a", "â", "a", "ç", "c", "ï", "i", "î", "i",
		"ô", "o", "ı", "i", " ", "", "'", "")

	promoterComments = []string{"Fast delivery and great quality", "Love the app, ordering is super easy",
		"Alles bestens, gerne wieder!", "Great service, friendly staff in the store", "Everything arrived well packed",
		"Quick, simple, reliable", "Best shop for this, I recommend it to friends", "Super Beratung im Laden"}
	passiveComments = []string{"Good products, delivery could be faster", "OK overall, prices a bit high",
		"Fine, nothing special", "Website is slow sometimes but the products are good", "Decent; the size guide was confusing"}
	detractorComments = []string{"Parcel arrived late, no update from support", "Returned it, the refund took weeks",
		"Support never answered my ticket", "Item damaged, box was crushed", "Too expensive for the quality",
		"Lieferung zu spät, Kundenservice nicht erreichbar", `The "express" shipping took 6 days`,
		"Wrong size sent twice, very annoying"}
)

// ---------------------------------------------------------------------------
// model

type ctype int

const (
	ctNone    ctype = iota // prospects: touches, never an order
	ctRegular              // 1-3 orders
	ctLoyal                // 6-15 orders, spread over the whole period
	ctChurner              // 2-5 orders, bad experiences at the end, then silence
)

var ctypeName = []string{"prospect", "regular", "loyal", "churner"}

type customer struct {
	n          int
	id         string
	first      string
	last       string
	name       string // as written in the CRM
	email      string // canonical: trimmed, lower-case
	crmEmail   string // as written in the CRM
	orderEmail string // spelling used on email-only order rows
	created    time.Time
	tier       string
	country    string
	lead       string
	lastMod    time.Time
	typ        ctype
	spend      float64 // mean order value
	forcedN    int     // fixed number of orders (0 = random)
	allEmail   bool    // every order is email-only
	noTouches  bool    // no interactions at all
	firstTouch time.Time
	orders     []*order
	negatives  []time.Time // late deliveries, returns, complaints, unresolved tickets
}

type order struct {
	c         *customer // nil for the unknown customer C9999
	ref       string    // customer_ref as written ("" on email-only rows)
	email     string    // customer_email as written
	emailOnly bool
	ts        time.Time
	promised  time.Time
	delivered time.Time // zero if not delivered
	returned  time.Time // zero if not returned
	updated   time.Time
	total     float64
	items     int
	state     string
	channel   string
	refund    float64
	late      bool
	id        string
	lost      bool // the row is corrupted by injected dirt and must be rejected
}

type interaction struct {
	c         *customer
	emailOnly bool
	ts        time.Time
	channel   string
	kind      string
	resolved  int // -1 null, 0 false, 1 true
	dur       int // -1 null
	id        string
	first     bool // the customer's first touch
	lost      bool
	badTS     string // replaces ts when set
	noID      bool
}

type npsResp struct {
	c          *customer // nil for ghost@example.org
	email      string
	ts         time.Time
	score      int
	comment    string
	touchpoint string
	id         string
	lost       bool
}

type cxResp struct {
	c        *customer
	ts       time.Time
	question string
	rating   int
	orderRef string
	id       string
	lost     bool
	nullCust bool
}

type dirt struct {
	File   string
	Line   string
	Key    string
	Effect string
	Reason string
}

type gen struct {
	rc, ro, ri, rs rng
	cust           []*customer
	orders         []*order
	inter          []*interaction
	nps            []*npsResp
	cx             []*cxResp
	emails         map[string]bool // uniqueness check only, never iterated

	// injected dirt (see inject*)
	ordDup1, ordDup2, ordSuperseded, ordNegative, ordBadTS, ordExtraCol, ordNoID *order
	ordMixed                                                                     []*order
	shipTS                                                                       time.Time
	intTruncated, intBadTS, intDup, intNoID                                      *interaction
	npsOutOfRange, npsDup                                                        *npsResp
	cxCSAT6, cxCES0, cxNullCust                                                  *cxResp

	dirt  []dirt
	stats map[string]int
	facts []fact
}

type fact struct{ File, Name, Value string }

func main() {
	out := flag.String("out", filepath.Join("testdata", "demo"), "output directory (the default assumes the module root as working directory)")
	flag.Parse()
	if st, err := os.Stat(filepath.Join(*out, "gen", "README.md.tmpl")); err != nil || st.IsDir() {
		fatalf("%s does not look like the demo folder (no gen/README.md.tmpl): run from the module root, or pass -out", *out)
	}
	var err error
	if berlin, err = time.LoadLocation("Europe/Berlin"); err != nil {
		fatalf("load Europe/Berlin: %v", err)
	}
	dataStart = time.Date(2024, 1, 1, 0, 0, 0, 0, berlin)
	dataEnd = time.Date(2025, 12, 31, 23, 59, 59, 0, berlin)
	churnCut = time.Date(2025, 6, 30, 0, 0, 0, 0, berlin)

	g := &gen{rc: newRNG(1), ro: newRNG(2), ri: newRNG(3), rs: newRNG(4), stats: map[string]int{}}
	g.genCustomers()
	g.genOrders()
	g.injectOrderDirt()
	g.genInteractions()
	g.injectInteractionDirt()
	g.genSurveys()
	g.injectSurveyDirt()
	g.finishCRM()

	write(filepath.Join(*out, "crm_contacts.csv"), g.crmFile())
	write(filepath.Join(*out, "orders.csv"), g.ordersFile())
	write(filepath.Join(*out, "interactions.ndjson"), g.interactionsFile())
	write(filepath.Join(*out, "nps_responses.csv"), g.npsFile())
	g.writeParquet(filepath.Join(*out, "csat_ces.parquet"))
	g.summarise()
	write(filepath.Join(*out, "README.md"), g.readme())
	fmt.Printf("wrote demo data set to %s\n", *out)
	for _, k := range []string{"crm_records", "orders_records", "interactions_records", "nps_records", "cx_records"} {
		fmt.Printf("  %-22s %d\n", k, g.stats[k])
	}
}

func fatalf(format string, a ...any) {
	fmt.Fprintf(os.Stderr, "gen: "+format+"\n", a...)
	os.Exit(1)
}

func write(path string, lines []string) {
	var b bytes.Buffer
	for _, l := range lines {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		fatalf("%v", err)
	}
}

// ---------------------------------------------------------------------------
// customers

func (g *gen) genCustomers() {
	r := g.rc
	cStart := time.Date(2023, 10, 1, 0, 0, 0, 0, berlin)
	nDays := daysBetween(cStart, time.Date(2025, 10, 31, 0, 0, 0, 0, berlin)) + 1
	days := make([]int, nCustomers)
	for i := range days {
		days[i] = r.IntN(nDays)
	}
	slices.Sort(days) // Contact IDs follow creation order, as CRMs do
	// reserved addresses: the scripted people below, the rejected empty-ID
	// contact and the unknown survey respondent
	g.emails = map[string]bool{"anna.schmidt@example.com": true, "jan.mueller@example.com": true,
		"lena.vogt@example.de": true, "ghost@example.org": true}

	for i := range nCustomers {
		c := &customer{n: i + 1, id: fmt.Sprintf("C%04d", i+1)}
		c.created = r.at(addDays(cStart, days[i]), 8, 20)
		c.country = countries[r.weighted(countryW)]
		c.lead = leads[r.weighted(leadW)]
		c.first, c.last = g.randomName(r, c.country)
		c.typ = typeFor(r, c.created)
		c.spend = 65 * math.Exp(0.45*r.NormFloat64())

		// Scripted customers (fixed, referenced by the dirt table).
		switch c.n {
		case 7: // "Müller, Jan": name with a comma; every order email-only in UPPER case
			c.first, c.last, c.country = "Jan", "Müller", "DE"
			c.email, c.orderEmail = "jan.mueller@example.com", "JAN.MUELLER@example.com"
			c.typ, c.forcedN, c.allEmail = ctRegular, 3, true
		case 23: // CRM holds the mixed-case Anna.Schmidt@Example.COM, her orders the lower-case address
			c.first, c.last, c.country = "Anna", "Schmidt", "DE"
			c.email, c.crmEmail = "anna.schmidt@example.com", "Anna.Schmidt@Example.COM"
			c.typ, c.forcedN, c.allEmail = ctRegular, 3, true
		case 117: // upgraded Silver -> Gold; appears twice in the CRM export
			c.typ = ctLoyal
		case 150: // impossible Created date; kept free of orders and touches
			c.typ, c.noTouches = ctNone, true
		}
		if c.email == "" {
			c.email = g.makeEmail(r, c.first, c.last, c.country)
		}
		if c.crmEmail == "" {
			c.crmEmail = c.email
		}
		if c.orderEmail == "" {
			c.orderEmail = c.email
		}
		c.name = c.first + " " + c.last
		switch c.n {
		case 7, 64, 191, 263: // "Last, First" - quoted in the CSV because of the comma
			c.name = c.last + ", " + c.first
		}
		if c.typ == ctLoyal {
			c.spend *= 1.1
		}
		c.tier = tiers[r.weighted(map[ctype][]int{
			ctNone: {5, 20, 75}, ctRegular: {12, 33, 55}, ctLoyal: {45, 40, 15}, ctChurner: {10, 30, 60},
		}[c.typ])]
		if c.n == 117 {
			c.tier = "Gold"
		}
		// first touch inside the data window: customers created before 2024
		// show up some time in early 2024; newer ones on (or just after) the
		// day they were created
		switch {
		case c.created.Before(dataStart):
			c.firstTouch = r.at(addDays(dataStart, r.between(1, 100)), 8, 21)
		case r.chance(0.6):
			c.firstTouch = c.created.Add(minutes(r.between(0, 90)))
		default:
			c.firstTouch = r.at(addDays(c.created, r.between(1, 7)), 8, 21)
		}
		g.cust = append(g.cust, c)
	}
}

func typeFor(r rng, created time.Time) ctype {
	var w []int // none, regular, loyal, churner
	switch {
	case created.Before(time.Date(2024, 7, 1, 0, 0, 0, 0, berlin)):
		w = []int{12, 35, 28, 25}
	case created.Before(time.Date(2025, 3, 1, 0, 0, 0, 0, berlin)):
		w = []int{15, 57, 8, 20}
	default:
		w = []int{22, 78, 0, 0}
	}
	return ctype(r.weighted(w))
}

func (g *gen) randomName(r rng, country string) (string, string) {
	switch country {
	case "NL":
		return pick(r, dutchFirst), pick(r, dutchLast)
	case "FR":
		return pick(r, frenchFirst), pick(r, frenchLast)
	case "AT":
		return pick(r, germanFirst), pick(r, append(slices.Clone(austrianLast), germanLast[:12]...))
	case "CH":
		return pick(r, germanFirst), pick(r, append(slices.Clone(swissLast), germanLast[:12]...))
	}
	return pick(r, germanFirst), pick(r, germanLast)
}

func (g *gen) makeEmail(r rng, first, last, country string) string {
	f, l := strings.ToLower(translit.Replace(first)), strings.ToLower(translit.Replace(last))
	for try := 1; ; try++ {
		var local string
		switch r.weighted([]int{45, 15, 15, 10, 15}) {
		case 0:
			local = f + "." + l
		case 1:
			local = f + l
		case 2:
			local = f[:1] + "." + l
		case 3:
			local = f + "_" + l
		default:
			local = fmt.Sprintf("%s.%s%02d", f, l, r.IntN(100))
		}
		if try > 1 {
			local += strconv.Itoa(try)
		}
		e := local + "@" + pick(r, domains[country])
		if !g.emails[e] {
			g.emails[e] = true
			return e
		}
	}
}

// finishCRM sets Last Modified from the customer's last activity.
func (g *gen) finishCRM() {
	r := g.rc
	for _, c := range g.cust {
		last := c.created
		for _, o := range c.orders {
			if o.updated.After(last) {
				last = o.updated
			}
		}
		for _, it := range g.inter {
			if it.c == c && it.ts.After(last) {
				last = it.ts
			}
		}
		c.lastMod = r.at(addDays(last, r.between(0, 30)), 8, 20)
		if !c.lastMod.After(last) || c.lastMod.After(dataEnd) {
			// somewhere between the last activity and the end of the export
			c.lastMod = last.Add(time.Duration(r.Float64() * float64(dataEnd.Sub(last)))).Truncate(time.Minute).Add(time.Minute)
		}
	}
}

// ---------------------------------------------------------------------------
// orders

func (g *gen) genOrders() {
	r := g.ro
	for _, c := range g.cust {
		if c.typ == ctNone {
			continue
		}
		dates, sameDay := orderDates(r, c)
		for k, d := range dates {
			o := g.makeOrder(r, c, k, len(dates), d, k == 0 && sameDay)
			c.orders = append(c.orders, o)
			g.orders = append(g.orders, o)
		}
	}
	// One order of a customer the CRM does not know (C9999), no email.
	ts := time.Date(2025, 5, 14, 11, 32, 7, 0, berlin)
	unknown := &order{ref: "C9999", ts: ts, promised: addDays(ts, 3), total: 89.90, items: 2,
		state: "complete", channel: "webshop", delivered: time.Date(2025, 5, 16, 14, 5, 41, 0, berlin)}
	unknown.updated = unknown.delivered.Add(12 * time.Minute)
	g.orders = append(g.orders, unknown)

	slices.SortStableFunc(g.orders, func(a, b *order) int { return a.ts.Compare(b.ts) })
	for i, o := range g.orders {
		o.id = fmt.Sprintf("O-%06d", 100001+i)
	}
}

// orderDates returns the Berlin calendar days of a customer's orders.
func orderDates(r rng, c *customer) ([]time.Time, bool) {
	sameDay := c.lead == "Walk-in" && r.chance(0.5) // walked in and bought at once
	first := day(c.firstTouch)
	if !sameDay {
		first = addDays(c.firstTouch, min(60, 1+int(r.ExpFloat64()*12)))
	}
	var n int
	var gap func() int
	switch c.typ {
	case ctRegular:
		n = 1 + r.weighted([]int{25, 40, 35})
		if c.forcedN > 0 {
			n = c.forcedN
		}
		gap = func() int { return 14 + int(r.ExpFloat64()*85) }
	case ctLoyal:
		// a steady rhythm up to the end of the period: gaps of 0.6-1.2 times
		// span/target give between 6 and 15 orders (capped), the last one
		// recent
		target := r.between(6, 12)
		mean := float64(daysBetween(first, dataEnd)) / float64(target)
		n = 15
		gap = func() int { return max(7, int(mean*(0.6+0.6*r.Float64()))) }
	case ctChurner:
		n = r.between(2, 5)
		gap = func() int { return r.between(25, 90) }
	}
	cut := day(dataEnd)
	if c.typ == ctChurner {
		cut = churnCut
	}
	var dates []time.Time
	for d := first; len(dates) < n && !d.After(cut); d = addDays(d, gap()) {
		dates = append(dates, d)
	}
	return dates, sameDay
}

func (g *gen) makeOrder(r rng, c *customer, k, n int, d time.Time, sameDayStore bool) *order {
	o := &order{c: c, ref: c.id, email: c.email}
	chW := []int{55, 25, 12, 8}
	if c.lead == "Walk-in" {
		chW = []int{25, 15, 55, 5}
	}
	o.channel = []string{"webshop", "app", "store", "phone"}[r.weighted(chW)]
	if sameDayStore {
		o.channel = "store"
	}
	switch {
	case sameDayStore:
		o.ts = c.firstTouch.Add(minutes(r.between(10, 50)))
	case o.channel == "store":
		o.ts = r.at(d, 10, 18)
	case o.channel == "phone":
		o.ts = r.at(d, 9, 17)
	default:
		o.ts = r.at(d, 7, 22)
	}
	o.items = 1 + r.weighted([]int{40, 30, 15, 8, 4, 3})
	o.total = max(9.90, round2(c.spend*math.Exp(0.3*r.NormFloat64())*(0.75+0.2*float64(o.items))))
	if o.channel == "store" && r.chance(0.5) {
		o.email = "" // till purchases with a loyalty card: customer_ref only
	}
	if c.allEmail || r.chance(0.10) {
		o.emailOnly, o.ref, o.email = true, "", c.orderEmail
	}

	var pLate, pRet float64
	switch c.typ {
	case ctLoyal:
		pLate, pRet = 0.045, 0.04
	case ctRegular:
		pLate, pRet = 0.05, 0.05
	case ctChurner:
		pLate, pRet = 0.10, 0.10
		if k >= n-2 { // the experiences that made them leave
			pLate, pRet = 0.45, 0.35
		}
	}
	promisedDays := 0 // store: handed over at the till
	switch o.channel {
	case "webshop", "app":
		promisedDays = r.between(2, 4)
	case "phone":
		promisedDays = 5
	}
	o.promised = addDays(o.ts, promisedDays)

	if r.chance(0.04) {
		o.state = "canceled"
		o.updated = o.ts.Add(minutes(r.between(20, 1800)))
		return o
	}
	if o.channel == "store" {
		o.delivered = o.ts
	} else {
		o.late = r.chance(pLate)
		if o.late {
			o.delivered = r.at(addDays(o.promised, r.between(1, 6)), 9, 19)
		} else {
			o.delivered = r.at(addDays(o.ts, r.between(1, promisedDays)), 9, 19)
		}
	}
	christmas := o.ts.After(time.Date(2025, 12, 20, 0, 0, 0, 0, berlin)) && o.channel != "store" && r.chance(0.7)
	if christmas || o.delivered.After(dataEnd) { // still under way at the end of the export
		o.delivered, o.late = time.Time{}, false
		// not dispatched over the holidays: orders from 29 December on stay open
		holidays := !o.ts.Before(time.Date(2025, 12, 29, 0, 0, 0, 0, berlin))
		if ship := r.at(addDays(o.ts, 1), 8, 18); !ship.After(dataEnd) && !holidays {
			o.state, o.updated = "shipped", ship
		} else {
			o.state, o.updated = "open", o.ts
		}
		return o
	}
	o.state = "complete"
	o.updated = o.delivered
	if o.channel != "store" {
		o.updated = o.delivered.Add(minutes(r.between(1, 45)))
	}
	if o.late {
		pRet += 0.15
		c.negatives = append(c.negatives, o.delivered)
	}
	if r.chance(pRet) {
		if rt := r.at(addDays(o.delivered, r.between(4, 25)), 9, 19); !rt.After(dataEnd) {
			o.state, o.returned, o.updated = "returned", rt, rt
			o.refund = o.total
			if o.items > 1 && r.chance(0.3) {
				o.refund = round2(o.total * float64(r.between(1, o.items-1)) / float64(o.items))
			}
			c.negatives = append(c.negatives, rt)
		}
	}
	return o
}

// ---------------------------------------------------------------------------
// interactions

var (
	ticketCh    = []string{"E-Mail", "Chat", "Web", "App"}
	complaintCh = []string{"Phone", "E-Mail", "Chat", "Store", "Social"}
)

func (g *gen) addI(c *customer, ts time.Time, ch, kind string) *interaction {
	if ts.Before(dataStart) || ts.After(dataEnd) || ts.Before(c.firstTouch) {
		return nil
	}
	r := g.ri
	it := &interaction{c: c, ts: ts, channel: ch, kind: kind, resolved: -1, dur: -1}
	switch {
	case kind == "visit" && ch == "Web":
		it.dur = r.between(15, 900)
	case kind == "visit" && ch == "App":
		it.dur = r.between(10, 600)
	case kind == "visit" && ch == "Social":
		it.dur = r.between(5, 120)
	case kind == "visit" && ch == "Store":
		it.dur = r.between(300, 2400)
	case kind == "call" || ch == "Phone":
		it.dur = r.between(60, 1800)
	case kind == "chat" || ch == "Chat":
		it.dur = r.between(60, 1500)
	case kind == "complaint" && ch == "Store":
		it.dur = r.between(300, 1200)
	}
	pResolved := map[string]float64{"ticket": 0.85, "complaint": 0.70}[kind]
	if c.typ == ctChurner {
		pResolved -= 0.25
	}
	if kind == "ticket" || kind == "complaint" {
		it.resolved = 0
		if r.chance(pResolved) {
			it.resolved = 1
		}
	}
	if kind == "complaint" || (kind == "ticket" && it.resolved == 0) {
		c.negatives = append(c.negatives, ts)
	}
	it.emailOnly = (kind == "newsletter_click" && r.chance(0.65)) || r.chance(0.03)
	g.inter = append(g.inter, it)
	return it
}

func browseChannel(r rng, c *customer) string {
	w := []int{45, 30, 15, 10}
	switch c.lead {
	case "Instagram":
		w = []int{30, 20, 45, 5}
	case "Walk-in":
		w = []int{30, 15, 10, 45}
	}
	return []string{"Web", "App", "Social", "Store"}[r.weighted(w)]
}

func (g *gen) genInteractions() {
	r := g.ri
	for _, c := range g.cust {
		if c.noTouches {
			continue
		}
		// the first touch follows the lead source
		ch, kind := "Web", "visit" // Google Ads, Referral
		switch c.lead {
		case "Newsletter":
			ch, kind = "E-Mail", "newsletter_click"
		case "Instagram":
			ch = "Social"
		case "Walk-in":
			ch = "Store"
		}
		if it := g.addI(c, c.firstTouch, ch, kind); it != nil {
			it.first, it.emailOnly = true, false
		}

		// awareness before the first order (prospects: in the months after sign-up)
		if len(c.orders) == 0 {
			for range r.between(0, 4) {
				g.addI(c, r.at(addDays(c.firstTouch, r.between(1, 200)), 8, 22), browseChannel(r, c), "visit")
			}
		} else if d := daysBetween(c.firstTouch, c.orders[0].ts); d >= 1 {
			for range r.between(0, min(3, d)) {
				t := r.at(addDays(c.firstTouch, r.between(0, d)), 8, 22)
				if t.After(c.firstTouch) && t.Before(c.orders[0].ts) {
					g.addI(c, t, browseChannel(r, c), "visit")
				}
			}
		}

		for _, o := range c.orders {
			if (o.channel == "webshop" || o.channel == "app") && r.chance(0.55) {
				g.addI(c, o.ts.Add(-minutes(r.between(10, 72*60))), map[string]string{"webshop": "Web", "app": "App"}[o.channel], "visit")
			}
			if o.late && r.chance(0.55) { // "where is my parcel?" while waiting
				d0 := addDays(o.promised, 1)
				t := r.at(addDays(d0, r.IntN(daysBetween(d0, o.delivered)+1)), 8, 20)
				if t.Before(o.delivered) {
					g.addI(c, t, pick(r, ticketCh), "ticket")
				}
			}
			if o.late && ((c.typ == ctChurner && r.chance(0.5)) || r.chance(0.12)) {
				if t := r.at(addDays(o.delivered, r.between(0, 3)), 9, 20); t.After(o.delivered) {
					g.addI(c, t, pick(r, complaintCh), "complaint")
				}
			}
			if !o.returned.IsZero() {
				if r.chance(0.45) { // asking how to return
					t := o.delivered.Add(time.Duration(r.Float64() * float64(o.returned.Sub(o.delivered))))
					if r.chance(0.5) {
						g.addI(c, t, pick(r, ticketCh), "ticket")
					} else {
						g.addI(c, t, "Phone", "call")
					}
				}
				if (c.typ == ctChurner && r.chance(0.45)) || r.chance(0.10) {
					g.addI(c, r.at(addDays(o.returned, r.between(1, 5)), 9, 20), pick(r, complaintCh), "complaint")
				}
			}
			if o.state == "canceled" && r.chance(0.35) {
				g.addI(c, o.ts.Add(time.Duration(r.Float64()*float64(o.updated.Sub(o.ts)))), "Phone", "call")
			}
			if r.chance(0.07) {
				g.addI(c, r.at(addDays(o.ts, r.between(0, 10)), 9, 21), "Chat", "chat")
			}
			if r.chance(0.04) { // a product or invoice question
				g.addI(c, r.at(addDays(o.ts, r.between(0, 20)), 8, 20), pick(r, ticketCh), "ticket")
			}
			if r.chance(0.04) {
				g.addI(c, r.at(addDays(o.ts, r.between(0, 14)), 9, 17), "Phone", "call")
			}
		}

		// background: newsletter clicks and browsing while the customer is around
		to := dataEnd
		var nlMean, visMean float64
		switch c.typ {
		case ctLoyal:
			nlMean, visMean = 75, 80
		case ctRegular:
			nlMean, visMean = 250, 270
		case ctChurner:
			nlMean, visMean = 150, 150
			if len(c.orders) > 0 {
				to = addDays(c.orders[len(c.orders)-1].ts, r.between(20, 60))
			}
		case ctNone:
			nlMean, visMean = 200, 250
			to = addDays(c.firstTouch, 300)
		}
		poisson(r, c.firstTouch, to, nlMean, func(d time.Time) { g.addI(c, r.at(d, 7, 22), "E-Mail", "newsletter_click") })
		poisson(r, c.firstTouch, to, visMean, func(d time.Time) { g.addI(c, r.at(d, 7, 22), browseChannel(r, c), "visit") })
	}
	slices.SortStableFunc(g.inter, func(a, b *interaction) int { return a.ts.Compare(b.ts) })
	for i, it := range g.inter {
		it.id = fmt.Sprintf("I-%06d", i+1)
	}
}

func poisson(r rng, from, to time.Time, meanDays float64, f func(time.Time)) {
	for t := from; ; {
		t = t.Add(time.Duration(r.ExpFloat64() * meanDays * 24 * float64(time.Hour)))
		if !t.Before(to) {
			return
		}
		f(day(t))
	}
}

// ---------------------------------------------------------------------------
// surveys

func (c *customer) negBefore(t time.Time, days int) int {
	n := 0
	for _, x := range c.negatives {
		if x.Before(t) && t.Sub(x) < time.Duration(days)*24*time.Hour {
			n++
		}
	}
	return n
}

// progress is how far into a churner's life t is (0 at the first order, 1 at
// the last one plus 60 days); their mood sours along the way.
func (c *customer) progress(t time.Time) float64 {
	if c.typ != ctChurner || len(c.orders) == 0 {
		return 0
	}
	a, b := c.orders[0].ts, c.orders[len(c.orders)-1].ts.Add(60*24*time.Hour)
	return math.Max(0, math.Min(1, float64(t.Sub(a))/float64(b.Sub(a))))
}

func (g *gen) score(kind string, c *customer, t time.Time, bad bool) int {
	r := g.rs
	base := map[string][]float64{ // prospect, regular, loyal, churner
		"nps": {7.8, 8.4, 9.2, 7.6}, "csat": {4.2, 4.3, 4.6, 4.0}, "ces": {5.2, 5.4, 5.8, 4.9}}[kind]
	perNeg := map[string]float64{"nps": 1.7, "csat": 0.9, "ces": 0.7}[kind]
	badHit := map[string]float64{"nps": 0.8, "csat": 0.6, "ces": 1.3}[kind]
	trend := map[string]float64{"nps": 1.2, "csat": 0.5, "ces": 0.6}[kind]
	noise := map[string]float64{"nps": 1.3, "csat": 0.7, "ces": 1.0}[kind]
	bounds := map[string][2]int{"nps": {0, 10}, "csat": {1, 5}, "ces": {1, 7}}[kind]
	mean := base[c.typ] - perNeg*float64(min(2, c.negBefore(t, 60))) - trend*c.progress(t)
	if bad {
		mean -= badHit
	}
	return clamp(int(math.Round(mean+noise*r.NormFloat64())), bounds[0], bounds[1])
}

func (g *gen) comment(score int) string {
	r := g.rs
	if !r.chance(0.45) {
		return ""
	}
	switch {
	case score >= 9:
		return pick(r, promoterComments)
	case score >= 7:
		return pick(r, passiveComments)
	}
	return pick(r, detractorComments)
}

func (g *gen) genSurveys() {
	r := g.rs
	for _, c := range g.cust {
		for _, o := range c.orders {
			if o.lost || o.delivered.IsZero() {
				continue
			}
			bad := o.late || !o.returned.IsZero()
			ref := o.delivered
			if !o.returned.IsZero() {
				ref = o.returned
			}
			if r.chance(0.28) {
				if t := r.at(addDays(ref, r.between(1, 7)), 8, 22); !t.After(dataEnd) {
					s := g.score("nps", c, t, bad)
					g.nps = append(g.nps, &npsResp{c: c, email: c.email, ts: t, score: s, comment: g.comment(s), touchpoint: "post_purchase"})
				}
			}
			if r.chance(0.36) {
				if t := r.at(addDays(o.delivered, r.between(0, 3)), 9, 22); t.After(o.delivered) && !t.After(dataEnd) {
					g.cx = append(g.cx, &cxResp{c: c, ts: t, question: "CSAT", rating: g.score("csat", c, t, o.late), orderRef: o.id})
				}
			}
		}
	}
	for _, it := range g.inter {
		if it.lost || !slices.Contains([]string{"ticket", "complaint", "call", "chat"}, it.kind) {
			continue
		}
		c := it.c
		bad := it.kind == "complaint" || it.resolved == 0
		if r.chance(0.35) {
			if t := r.at(addDays(it.ts, r.between(1, 4)), 8, 22); !t.After(dataEnd) {
				s := g.score("nps", c, t, bad)
				g.nps = append(g.nps, &npsResp{c: c, email: c.email, ts: t, score: s, comment: g.comment(s), touchpoint: "support"})
			}
		}
		if r.chance(0.55) {
			if t := r.at(addDays(it.ts, r.between(0, 2)), 8, 22); t.After(it.ts) && !t.After(dataEnd) {
				g.cx = append(g.cx, &cxResp{c: c, ts: t, question: "CES", rating: g.score("ces", c, t, bad)})
			}
		}
	}
	// An answer from an address nobody knows (kept, counted as unmatched).
	g.nps = append(g.nps, &npsResp{email: "ghost@example.org", ts: time.Date(2025, 3, 14, 19, 5, 33, 0, berlin),
		score: 2, comment: "Never ordered anything here, please remove me", touchpoint: "post_purchase"})

	slices.SortStableFunc(g.nps, func(a, b *npsResp) int { return a.ts.Compare(b.ts) })
	for i, s := range g.nps {
		s.id = fmt.Sprintf("R-%05d", 10001+i)
	}
	slices.SortStableFunc(g.cx, func(a, b *cxResp) int { return a.ts.Compare(b.ts) })
	for i, s := range g.cx {
		s.id = fmt.Sprintf("CX-%05d", i+1)
	}
}

// ---------------------------------------------------------------------------
// dirt injection: fixed positions, fixed rules, no randomness

func firstFrom[T any](xs []T, from int, used []T, ok func(T) bool) T {
	for i := from; i < len(xs); i++ {
		if ok(xs[i]) && !slices.ContainsFunc(used, func(u T) bool { return any(u) == any(xs[i]) }) {
			return xs[i]
		}
	}
	fatalf("no candidate for dirt at or after position %d", from)
	panic("unreachable")
}

func scripted(c *customer) bool { return c == nil || c.n == 7 || c.n == 23 || c.n == 117 || c.n == 150 }

func (g *gen) injectOrderDirt() {
	var used []*order
	take := func(from int, ok func(*order) bool) *order {
		o := firstFrom(g.orders, from, used, ok)
		used = append(used, o)
		return o
	}
	plain := func(o *order) bool { return !scripted(o.c) && !o.emailOnly }
	// safe: an ordinary, on-time, completed order of a customer with at least
	// three orders - losing it to a reject changes nothing else
	safe := func(o *order) bool {
		return plain(o) && len(o.c.orders) >= 3 && o.state == "complete" && !o.late
	}
	g.ordDup1 = take(16, plain)  // exact duplicate right after it (the 17th order)
	g.ordDup2 = take(480, plain) // exact duplicate appended at the end (export overlap)
	g.ordSuperseded = take(250, func(o *order) bool { return safe(o) && o.channel != "store" })
	g.shipTS = g.ordSuperseded.ts.Add(g.ordSuperseded.delivered.Sub(g.ordSuperseded.ts) / 3).Truncate(time.Second)
	g.ordNegative = take(333, safe) // total -45.00 on a completed order: not a refund
	g.ordBadTS = take(420, safe)    // order_ts 2024-13-45T25:61:00Z
	g.ordExtraCol = take(610, func(o *order) bool { return safe(o) && o.channel == "store" && o.email != "" })
	g.ordNoID = take(777, safe) // empty order_id
	for _, o := range []*order{g.ordNegative, g.ordBadTS, g.ordExtraCol, g.ordNoID} {
		o.lost = true
	}
	// two more email-only rows whose address is written in mixed case
	for _, from := range []int{100, 500} {
		o := take(from, func(o *order) bool {
			return o.emailOnly && !scripted(o.c) && strings.Contains(o.email, ".") && strings.Index(o.email, ".") < strings.Index(o.email, "@")
		})
		o.email = mixedCase(o.email)
		g.ordMixed = append(g.ordMixed, o)
	}
}

// mixedCase capitalises every part of the local part: lukas.becker@example.de
// -> Lukas.Becker@example.de.
func mixedCase(e string) string {
	local, dom, _ := strings.Cut(e, "@")
	b := []byte(local)
	for i := range b {
		if i == 0 || b[i-1] == '.' || b[i-1] == '_' {
			b[i] = strings.ToUpper(string(b[i]))[0]
		}
	}
	return string(b) + "@" + dom
}

func (g *gen) injectInteractionDirt() {
	var used []*interaction
	take := func(from int, ok func(*interaction) bool) *interaction {
		it := firstFrom(g.inter, from, used, ok)
		used = append(used, it)
		return it
	}
	// a browsing visit that is not the customer's first touch
	visit := func(it *interaction) bool {
		return it.kind == "visit" && !it.first && !it.emailOnly && !scripted(it.c)
	}
	g.intTruncated = take(1233, func(*interaction) bool { return true }) // I-001234: a truncated copy precedes it
	g.intBadTS = take(0, func(it *interaction) bool {
		return visit(it) && it.ts.In(berlin).Format("2006-01") == "2025-02"
	})
	g.intBadTS.badTS, g.intBadTS.lost = "2025-02-30 10:00:00", true
	g.intDup = take(1800, visit)
	g.intNoID = take(2100, visit)
	g.intNoID.noID, g.intNoID.lost = true, true
}

func (g *gen) injectSurveyDirt() {
	var usedN []*npsResp
	g.npsOutOfRange = firstFrom(g.nps, 120, usedN, func(s *npsResp) bool { return s.c != nil && s.score == 10 })
	usedN = append(usedN, g.npsOutOfRange)
	g.npsOutOfRange.score, g.npsOutOfRange.lost = 11, true
	g.npsDup = firstFrom(g.nps, 200, usedN, func(s *npsResp) bool { return s.c != nil })

	var usedC []*cxResp
	g.cxCSAT6 = firstFrom(g.cx, 40, usedC, func(s *cxResp) bool { return s.question == "CSAT" && s.rating == 5 })
	usedC = append(usedC, g.cxCSAT6)
	g.cxCSAT6.rating, g.cxCSAT6.lost = 6, true
	g.cxCES0 = firstFrom(g.cx, 150, usedC, func(s *cxResp) bool { return s.question == "CES" })
	usedC = append(usedC, g.cxCES0)
	g.cxCES0.rating, g.cxCES0.lost = 0, true
	g.cxNullCust = firstFrom(g.cx, 300, usedC, func(s *cxResp) bool { return s.question == "CES" })
	g.cxNullCust.nullCust, g.cxNullCust.lost = true, true
}

// ---------------------------------------------------------------------------
// writers; each records the dirt rows with their line numbers

func (g *gen) addDirt(file string, line int, key, effect, reason string) {
	g.dirt = append(g.dirt, dirt{File: file, Line: strconv.Itoa(line), Key: key, Effect: effect, Reason: reason})
}

func (g *gen) crmFile() []string {
	const f = "crm_contacts.csv"
	row := func(c *customer, tier string, created string, mod time.Time) string {
		return csvLine(";", c.id, c.crmEmail, c.name, created, tier, c.country, c.lead, fmtCRMStamp(mod))
	}
	lines := []string{"Contact ID;E-Mail;Full Name;Created;Tier;Country;Lead Source;Last Modified"}
	var c117 *customer
	var line117 int
	for _, c := range g.cust {
		created := fmtCRMDate(c.created)
		switch c.n {
		case 117: // first version: still Silver, modified earlier
			c117 = c
			early := c.lastMod.Add(-time.Duration(daysBetween(c.created, c.lastMod)/2) * 24 * time.Hour)
			lines = append(lines, row(c, "Silver", created, early))
			line117 = len(lines)
			continue
		case 150:
			created = "31.02.2024"
			lines = append(lines, row(c, c.tier, created, c.lastMod))
			g.addDirt(f, len(lines), c.id, "reject", "bad date in Created: 31.02.2024 does not exist")
			continue
		}
		lines = append(lines, row(c, c.tier, created, c.lastMod))
		switch c.n {
		case 23:
			g.addDirt(f, len(lines), c.id, "load (normalise)", fmt.Sprintf(
				"mixed-case email Anna.Schmidt@Example.COM; normalised to anna.schmidt@example.com it matches her %d email-only orders (orders.csv lines %s)",
				len(c.orders), g.orderLines(c)))
		case 42:
			lines = append(lines, lines[len(lines)-1])
			g.addDirt(f, len(lines), c.id, "drop (duplicate)", fmt.Sprintf("exact duplicate of line %d (Contact ID %s)", len(lines)-1, c.id))
		case 200: // a contact somebody created without an ID
			lines = append(lines, csvLine(";", "", "lena.vogt@example.de", "Lena Vogt", "12.06.2025", "Bronze", "DE", "Newsletter", "12.06.2025 09:14"))
			g.addDirt(f, len(lines), "(empty) lena.vogt@example.de", "reject", "missing key: empty Contact ID")
		}
	}
	// the later update of C0117 appended at the end of the export
	lines = append(lines, row(c117, "Gold", fmtCRMDate(c117.created), c117.lastMod))
	g.addDirt(f, line117, c117.id, "drop (superseded)", fmt.Sprintf("older version (Tier Silver); line %d has the same Contact ID with a later Last Modified: latest wins", len(lines)))
	g.addDirt(f, len(lines), c117.id, "load (latest version)", fmt.Sprintf("Tier Gold, Last Modified %s, later than line %d", fmtCRMStamp(c117.lastMod), line117))
	g.stats["crm_lines"] = len(lines)
	return lines
}

// orderLines lists the physical lines of a customer's orders in orders.csv.
func (g *gen) orderLines(c *customer) string {
	var s []string
	for _, o := range c.orders {
		s = append(s, strconv.Itoa(g.lineOfOrder(o)))
	}
	return strings.Join(s, ", ")
}

// lineOfOrder gives the physical line of an order's (first) row in orders.csv:
// header + index + the one extra row (duplicate of ordDup1) inserted before it.
func (g *gen) lineOfOrder(o *order) int {
	i := slices.Index(g.orders, o)
	line := i + 2
	if i > slices.Index(g.orders, g.ordDup1) {
		line++
	}
	return line
}

func (g *gen) orderFields(o *order) []string {
	f := []string{o.id, o.ref, o.email, fmtISOZ(o.ts), fmtMoney(o.total), "EUR", o.state, o.channel,
		fmtDate(o.promised), "", "", strconv.Itoa(o.items), fmtISOZ(o.updated)}
	if !o.delivered.IsZero() {
		f[9] = fmtISOZ(o.delivered)
	}
	if o.refund > 0 {
		f[10] = fmtMoney(o.refund)
	}
	return f
}

func (g *gen) ordersFile() []string {
	const f = "orders.csv"
	lines := []string{"order_id,customer_ref,customer_email,order_ts,total,currency,state,sales_channel,promised_date,delivered_ts,refund,items,updated_ts"}
	var supersededLine int
	for _, o := range g.orders {
		fields := g.orderFields(o)
		switch o {
		case g.ordSuperseded: // the shipped snapshot here, the completed version appended at the end
			fields[6], fields[9], fields[10], fields[12] = "shipped", "", "", fmtISOZ(g.shipTS)
			lines = append(lines, csvLine(",", fields...))
			supersededLine = len(lines)
			continue
		case g.ordNegative:
			fields[4] = "-45.00"
		case g.ordBadTS:
			fields[3] = "2024-13-45T25:61:00Z"
		case g.ordNoID:
			fields[0] = ""
		case g.ordExtraCol:
			fields[7] = "store, Berlin Mitte" // written unquoted: one field too many
			lines = append(lines, strings.Join(fields, ","))
			g.addDirt(f, len(lines), o.id, "reject", `14 fields, expected 13: unquoted comma in sales_channel "store, Berlin Mitte"`)
			continue
		}
		lines = append(lines, csvLine(",", fields...))
		if g.lineOfOrder(o) != len(lines) {
			fatalf("internal: line of %s is %d, lineOfOrder says %d", o.id, len(lines), g.lineOfOrder(o))
		}
		switch o {
		case g.ordNegative:
			g.addDirt(f, len(lines), o.id, "reject", "negative total -45.00 on a complete order (not a refund)")
		case g.ordBadTS:
			g.addDirt(f, len(lines), o.id, "reject", "bad timestamp in order_ts: 2024-13-45T25:61:00Z")
		case g.ordNoID:
			g.addDirt(f, len(lines), "(empty) "+o.ref, "reject", fmt.Sprintf("missing key: empty order_id (the row of customer %s, %s)", o.ref, fmtISOZ(o.ts)))
		case g.ordDup1:
			lines = append(lines, lines[len(lines)-1])
			g.addDirt(f, len(lines), o.id, "drop (duplicate)", fmt.Sprintf("exact duplicate of line %d (order_id %s)", len(lines)-1, o.id))
		}
		if o.ref == "C9999" {
			g.addDirt(f, len(lines), o.id, "load (unmatched)", "unknown customer C9999 (not in the CRM, no email): kept as unmatched")
		}
		if o.emailOnly && o.email != strings.ToLower(o.email) {
			g.addDirt(f, len(lines), o.id, "load (normalise)", fmt.Sprintf("email-only row in mixed case %s: normalised, matched to %s", o.email, o.c.id))
		}
	}
	o := g.ordSuperseded
	lines = append(lines, csvLine(",", g.orderFields(o)...))
	g.addDirt(f, supersededLine, o.id, "drop (superseded)", fmt.Sprintf("state shipped, updated_ts %s; line %d has the same order_id, state complete and a later updated_ts: latest wins", fmtISOZ(g.shipTS), len(lines)))
	g.addDirt(f, len(lines), o.id, "load (latest version)", fmt.Sprintf("state complete, updated_ts %s, later than line %d", fmtISOZ(o.updated), supersededLine))
	lines = append(lines, lines[g.lineOfOrder(g.ordDup2)-1])
	g.addDirt(f, len(lines), g.ordDup2.id, "drop (duplicate)", fmt.Sprintf("exact duplicate of line %d (order_id %s)", g.lineOfOrder(g.ordDup2), g.ordDup2.id))
	g.stats["orders_lines"] = len(lines)
	return lines
}

func jsonString(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		fatalf("%v", err)
	}
	return string(b)
}

func (it *interaction) json() string {
	var b strings.Builder
	b.WriteString("{")
	if !it.noID {
		b.WriteString(`"id":` + jsonString(it.id) + ",")
	}
	if it.emailOnly {
		b.WriteString(`"contact":null,"email":` + jsonString(it.c.email))
	} else {
		b.WriteString(`"contact":` + jsonString(it.c.id) + `,"email":null`)
	}
	ts := fmtLocal(it.ts)
	if it.badTS != "" {
		ts = it.badTS
	}
	b.WriteString(`,"ts":` + jsonString(ts) + `,"channel":` + jsonString(it.channel) + `,"kind":` + jsonString(it.kind))
	b.WriteString(`,"resolved":` + [...]string{"null", "false", "true"}[it.resolved+1])
	if it.dur < 0 {
		b.WriteString(`,"duration_s":null}`)
	} else {
		b.WriteString(`,"duration_s":` + strconv.Itoa(it.dur) + "}")
	}
	return b.String()
}

func (g *gen) interactionsFile() []string {
	const f = "interactions.ndjson"
	var lines []string
	for _, it := range g.inter {
		line := it.json()
		if it == g.intTruncated { // an interrupted write, re-written in full on the next line
			cut := strings.Index(line, `"contact":`) + len(`"contact":`)
			lines = append(lines, line[:cut])
			g.addDirt(f, len(lines), it.id, "reject", fmt.Sprintf("malformed JSON: truncated record; the complete %s follows on line %d", it.id, len(lines)+1))
		}
		lines = append(lines, line)
		switch it {
		case g.intBadTS:
			g.addDirt(f, len(lines), it.id, "reject", "bad timestamp in ts: 2025-02-30 10:00:00")
		case g.intNoID:
			g.addDirt(f, len(lines), "(no id) "+it.c.id+" "+fmtLocal(it.ts), "reject", "missing key: no id field")
		case g.intDup:
			lines = append(lines, line)
			g.addDirt(f, len(lines), it.id, "drop (duplicate)", fmt.Sprintf("exact duplicate of line %d (id %s)", len(lines)-1, it.id))
		}
	}
	g.stats["interactions_lines"] = len(lines)
	return lines
}

func (g *gen) npsFile() []string {
	const f = "nps_responses.csv"
	lines := []string{"response_id,email,submitted_at,score,comment,touchpoint"}
	for _, s := range g.nps {
		lines = append(lines, csvLine(",", s.id, s.email, fmtUTCOff(s.ts), strconv.Itoa(s.score), s.comment, s.touchpoint))
		switch {
		case s == g.npsOutOfRange:
			g.addDirt(f, len(lines), s.id, "reject", "score 11 out of range 0–10 for nps")
		case s == g.npsDup:
			lines = append(lines, lines[len(lines)-1])
			g.addDirt(f, len(lines), s.id, "drop (duplicate)", fmt.Sprintf("exact duplicate of line %d (response_id %s)", len(lines)-1, s.id))
		case s.c == nil:
			g.addDirt(f, len(lines), s.id, "load (unmatched)", "unknown person ghost@example.org (no CRM contact): kept as unmatched")
		}
	}
	g.stats["nps_lines"] = len(lines)
	return lines
}

func (g *gen) writeParquet(path string) {
	const f = "csat_ces.parquet"
	db, err := sql.Open("duckdb", "")
	if err != nil {
		fatalf("duckdb: %v", err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	exec := func(q string, args ...any) {
		if _, err := db.Exec(q, args...); err != nil {
			fatalf("duckdb: %s: %v", q, err)
		}
	}
	exec("SET threads = 1")
	exec(`CREATE TABLE s (ord INTEGER, resp_id VARCHAR, customer_id VARCHAR, answered_at TIMESTAMP,
		question VARCHAR, rating INTEGER, order_ref VARCHAR)`)
	for i, s := range g.cx {
		var cust, ref any
		if !s.nullCust {
			cust = s.c.id
		}
		if s.orderRef != "" {
			ref = s.orderRef
		}
		exec("INSERT INTO s VALUES (?, ?, ?, CAST(? AS TIMESTAMP), ?, ?, ?)", i, s.id, cust, fmtLocal(s.ts), s.question, s.rating, ref)
		switch s {
		case g.cxCSAT6:
			g.addDirt(f, i+1, s.id, "reject", "rating 6 out of range 1–5 for csat")
		case g.cxCES0:
			g.addDirt(f, i+1, s.id, "reject", "rating 0 out of range 1–7 for ces")
		case g.cxNullCust:
			g.addDirt(f, i+1, s.id, "reject", "missing key: customer_id is NULL and the row has no email or order_ref")
		}
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		fatalf("%v", err)
	}
	_ = os.Remove(abs)
	exec(fmt.Sprintf(`COPY (SELECT resp_id, customer_id, answered_at, question, rating, order_ref FROM s ORDER BY ord)
		TO '%s' (FORMAT parquet, COMPRESSION zstd)`, strings.ReplaceAll(abs, "'", "''")))
	g.stats["cx_records"] = len(g.cx)
}

// ---------------------------------------------------------------------------
// summary for the README

func (g *gen) summarise() {
	s := g.stats
	add := func(file, name string, v any) { g.facts = append(g.facts, fact{file, name, fmt.Sprint(v)}) }

	// customers
	s["crm_records"] = s["crm_lines"] - 1
	typeCount := make([]int, 4)
	for _, c := range g.cust {
		typeCount[c.typ]++
	}

	// orders
	var loaded []*order
	for _, o := range g.orders {
		if !o.lost {
			loaded = append(loaded, o)
		}
	}
	s["orders_records"] = s["orders_lines"] - 1
	states := map[string]int{}
	late, delivered, emailOnly, mixed := 0, 0, 0, 0
	revenue := 0.0
	var orderCust []*customer
	ordersPer := map[*customer]int{}
	for _, o := range loaded {
		states[o.state]++
		if !o.delivered.IsZero() {
			delivered++
			if o.late {
				late++
			}
		}
		if o.emailOnly {
			emailOnly++
			if o.email != strings.ToLower(o.email) {
				mixed++
			}
		}
		if o.c != nil {
			if ordersPer[o.c] == 0 {
				orderCust = append(orderCust, o.c)
			}
			ordersPer[o.c]++
		}
		if o.state != "canceled" {
			revenue += o.total - o.refund
		}
	}
	buckets := make([]int, 5) // 0, 1, 2-3, 4-5, 6+
	for _, c := range g.cust {
		switch n := ordersPer[c]; {
		case n == 0:
			buckets[0]++
		case n == 1:
			buckets[1]++
		case n <= 3:
			buckets[2]++
		case n <= 5:
			buckets[3]++
		default:
			buckets[4]++
		}
	}
	s["orders_loaded"] = len(loaded)
	s["orders_customers"] = len(orderCust)

	// interactions
	var loadedI []*interaction
	for _, it := range g.inter {
		if !it.lost {
			loadedI = append(loadedI, it)
		}
	}
	s["interactions_records"] = s["interactions_lines"]
	kinds := map[string]int{}
	var icust []*customer
	seen := map[*customer]bool{}
	ie, unresolved := 0, 0
	for _, it := range loadedI {
		kinds[it.kind]++
		if it.emailOnly {
			ie++
		}
		if it.resolved == 0 {
			unresolved++
		}
		if !seen[it.c] {
			seen[it.c] = true
			icust = append(icust, it.c)
		}
	}
	s["interactions_loaded"] = len(loadedI)

	// nps
	s["nps_records"] = s["nps_lines"] - 1
	var loadedN []*npsResp
	for _, r := range g.nps {
		if !r.lost {
			loadedN = append(loadedN, r)
		}
	}
	prom, pas, det, ncust := 0, 0, 0, 0
	seen = map[*customer]bool{}
	tp := map[string]int{}
	for _, r := range loadedN {
		switch {
		case r.score >= 9:
			prom++
		case r.score >= 7:
			pas++
		default:
			det++
		}
		tp[r.touchpoint]++
		if r.c != nil && !seen[r.c] {
			seen[r.c] = true
			ncust++
		}
	}
	// does the score fall after negative experiences? (the story the data tells)
	var sumNeg, sumOK float64
	var nNeg, nOK int
	for _, r := range loadedN {
		if r.c == nil {
			continue
		}
		if r.c.negBefore(r.ts, 60) > 0 {
			sumNeg += float64(r.score)
			nNeg++
		} else {
			sumOK += float64(r.score)
			nOK++
		}
	}

	// csat / ces
	var loadedC []*cxResp
	for _, r := range g.cx {
		if !r.lost {
			loadedC = append(loadedC, r)
		}
	}
	csatN, csatTop, cesN, cesSum, ccust := 0, 0, 0, 0, 0
	seen = map[*customer]bool{}
	for _, r := range loadedC {
		if r.question == "CSAT" {
			csatN++
			if r.rating >= 4 {
				csatTop++
			}
		} else {
			cesN++
			cesSum += r.rating
		}
		if !seen[r.c] {
			seen[r.c] = true
			ccust++
		}
	}

	f := "crm_contacts.csv"
	add(f, "physical lines (incl. header)", s["crm_lines"])
	add(f, "data rows", s["crm_records"])
	add(f, "distinct non-empty Contact IDs", nCustomers)
	add(f, "rejected rows (empty Contact ID, Created 31.02.2024)", 2)
	add(f, "dropped: exact duplicate / superseded version", "1 / 1")
	add(f, "customers loaded (C0150 rejected)", nCustomers-1)
	add(f, "not loaded in total (2 rejected + 2 dropped)", 4)
	add(f, "ground truth: prospects / regular / loyal / churners", fmt.Sprintf("%d / %d / %d / %d", typeCount[ctNone], typeCount[ctRegular], typeCount[ctLoyal], typeCount[ctChurner]))

	f = "orders.csv"
	add(f, "physical lines (incl. header)", s["orders_lines"])
	add(f, "data rows", s["orders_records"])
	add(f, "rejected rows (negative total, bad order_ts, 14 fields, empty order_id)", 4)
	add(f, "dropped: exact duplicates / superseded version", "2 / 1")
	add(f, "orders loaded (distinct order_id)", len(loaded))
	add(f, "not loaded in total (4 rejected + 3 dropped)", s["orders_records"]-len(loaded))
	add(f, "  of which unmatched (C9999)", 1)
	add(f, "  of which email-only (customer_ref empty)", emailOnly)
	add(f, "  of which email-only in mixed case", mixed)
	add(f, "  by state open / shipped / complete / canceled / returned", fmt.Sprintf("%d / %d / %d / %d / %d", states["open"], states["shipped"], states["complete"], states["canceled"], states["returned"]))
	add(f, "  delivered (delivered_ts set) / late (delivered date > promised_date)", fmt.Sprintf("%d / %d (%.1f %%)", delivered, late, 100*float64(late)/float64(delivered)))
	add(f, "  net revenue EUR (total − refund, canceled excluded)", fmtMoney(revenue))
	add(f, "distinct known customers with ≥ 1 loaded order", len(orderCust))
	add(f, "customers by loaded orders 0 / 1 / 2–3 / 4–5 / 6+ (of 300)", fmt.Sprintf("%d / %d / %d / %d / %d", buckets[0], buckets[1], buckets[2], buckets[3], buckets[4]))
	var late0 []string // contacts meant to buy whose first order would fall after 2025
	for _, c := range g.cust {
		if c.typ != ctNone && ordersPer[c] == 0 {
			late0 = append(late0, c.id)
		}
	}
	add(f, "  of the 0: prospects / created too late to have ordered by 2025-12-31", fmt.Sprintf("%d / %d %v", buckets[0]-len(late0), len(late0), late0))

	f = "interactions.ndjson"
	add(f, "physical lines (= records, no header)", s["interactions_lines"])
	add(f, "rejected lines (malformed JSON, bad ts, missing id)", 3)
	add(f, "dropped: exact duplicates", 1)
	add(f, "interactions loaded (distinct id)", len(loadedI))
	add(f, "not loaded in total (3 rejected + 1 dropped)", s["interactions_records"]-len(loadedI))
	add(f, "  of which email-only (contact null)", ie)
	add(f, "  by kind visit / newsletter_click / ticket / complaint / call / chat", fmt.Sprintf("%d / %d / %d / %d / %d / %d", kinds["visit"], kinds["newsletter_click"], kinds["ticket"], kinds["complaint"], kinds["call"], kinds["chat"]))
	add(f, "  unresolved tickets + complaints (resolved = false)", unresolved)
	add(f, "distinct customers", len(icust))

	f = "nps_responses.csv"
	add(f, "physical lines (incl. header)", s["nps_lines"])
	add(f, "data rows", s["nps_records"])
	add(f, "rejected rows (score 11)", 1)
	add(f, "dropped: exact duplicates", 1)
	add(f, "responses loaded", len(loadedN))
	add(f, "not loaded in total (1 rejected + 1 dropped)", s["nps_records"]-len(loadedN))
	add(f, "  of which unmatched (ghost@example.org)", 1)
	add(f, "  by touchpoint post_purchase / support", fmt.Sprintf("%d / %d", tp["post_purchase"], tp["support"]))
	add(f, "  promoters / passives / detractors", fmt.Sprintf("%d / %d / %d", prom, pas, det))
	add(f, "  NPS over all loaded responses", fmt.Sprintf("%.1f", 100*float64(prom-det)/float64(len(loadedN))))
	add(f, "  mean score with / without a negative experience in the previous 60 days", fmt.Sprintf("%.2f (n=%d) / %.2f (n=%d)", sumNeg/float64(nNeg), nNeg, sumOK/float64(nOK), nOK))
	add(f, "distinct known customers", ncust)

	f = "csat_ces.parquet"
	add(f, "rows", len(g.cx))
	add(f, "rejected rows (CSAT 6, CES 0, NULL customer_id)", 3)
	add(f, "rows loaded", len(loadedC))
	add(f, "not loaded in total (3 rejected)", len(g.cx)-len(loadedC))
	add(f, "  CSAT rows / CSAT % (4–5)", fmt.Sprintf("%d / %.1f %%", csatN, 100*float64(csatTop)/float64(csatN)))
	add(f, "  CES rows / mean CES", fmt.Sprintf("%d / %.2f", cesN, float64(cesSum)/float64(cesN)))
	add(f, "distinct customers", ccust)

	add("all", "survey rows (nps_responses data rows + csat_ces rows)", s["nps_records"]+len(g.cx))
}

func (g *gen) readme() []string {
	files := []string{"crm_contacts.csv", "orders.csv", "interactions.ndjson", "nps_responses.csv", "csat_ces.parquet"}
	slices.SortStableFunc(g.dirt, func(a, b dirt) int {
		if d := slices.Index(files, a.File) - slices.Index(files, b.File); d != 0 {
			return d
		}
		x, _ := strconv.Atoi(a.Line)
		y, _ := strconv.Atoi(b.Line)
		return x - y
	})
	t := template.Must(template.New("readme").Parse(readmeTemplate))
	var b bytes.Buffer
	err := t.Execute(&b, map[string]any{"Dirt": g.dirt, "Facts": g.facts,
		"Scripted": []string{
			"C0007 `Müller, Jan` (quoted name; all 3 orders email-only as `JAN.MUELLER@example.com`)",
			"C0023 Anna Schmidt (CRM email `Anna.Schmidt@Example.COM`; all 3 orders email-only as `anna.schmidt@example.com`)",
			"C0064, C0191, C0263: `Last, First` names, quoted because of the comma",
			"C0117: loyal, upgraded Silver → Gold (two CRM rows)",
			"C0150: prospect with no orders and no interactions (its CRM row has Created 31.02.2024)",
		}})
	if err != nil {
		fatalf("readme: %v", err)
	}
	return strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
}
