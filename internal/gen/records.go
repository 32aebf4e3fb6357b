package gen

// person is one generated customer: the CRM contact as exported and the
// hidden traits that drive its records (ground truth, not in the files).
type person struct {
	n       int
	num     string // zero-padded customer number, the tail of every id
	id      string // Contact ID
	email   string // canonical: lower case
	name    string // as written in the CRM
	country int    // index of countries
	lead    int    // index of leads
	tier    string
	created stamp
	touch   stamp // first touch
	lastMod stamp

	buyer   bool
	sameDay bool    // a walk-in who bought on the day of the first touch
	lambda  float64 // purchases per week while alive
	dropout float64 // chance of dropping out after a repeat purchase
	nu      float64 // Gamma-Gamma rate of the order values
	days    []int   // purchase days, ascending
	died    bool    // dropped out after its last purchase day
	bad     []int   // days of negative experiences
	last    stamp   // last activity
}

// Order states as the shop spells them.
const (
	stOpen = iota
	stShipped
	stComplete
	stCanceled
	stReturned
)

var orderStates = []string{"open", "shipped", "complete", "canceled", "returned"}

// order is one row of the shop export.
type order struct {
	seq       int
	ref       string // customer_ref as written, "" on email-only rows
	email     string // customer_email as written, may be ""
	ts        stamp
	cents     int64 // total
	state     int
	channel   int // index of orderChannels
	promised  int // day
	delivered stamp
	refund    int64 // cents; 0 = none
	items     int
	updated   stamp
	late      bool
	returned  stamp
	dirt      rowDirt
}

// interaction is one CRM touchpoint.
type interaction struct {
	seq      int
	contact  string // Contact ID, or "" (null)
	email    string // set only when contact is ""
	ts       stamp
	channel  string
	kind     string
	resolved int8  // -1 null, 0 false, 1 true
	dur      int32 // seconds, -1 null
	dirt     rowDirt
}

// nps is one answer of the NPS survey tool (email only).
type nps struct {
	seq        int
	email      string
	ts         stamp
	score      int
	comment    string
	touchpoint string
	dirt       rowDirt
}

// cx is one CSAT or CES answer.
type cx struct {
	seq      int
	customer string // "" is NULL
	ts       stamp
	question string // CSAT or CES
	rating   int
	orderSeq int // CSAT: the order's seq; 0 for CES
	dirt     rowDirt
}

// rowDirt is what dirt makes of a row that cannot live in its fields.
type rowDirt struct {
	badDate   string // written instead of the row's main timestamp
	malformed bool   // written as a broken line
}

// negBefore counts the customer's negative experiences in the 60 days up
// to day.
func (p *person) negBefore(day int) int {
	n := 0
	for _, d := range p.bad {
		if d <= day && day-d < 60 {
			n++
		}
	}
	return n
}

// touched records activity at s.
func (p *person) touched(s stamp) {
	if s > p.last {
		p.last = s
	}
}
