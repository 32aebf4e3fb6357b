package gen

import (
	"strconv"
	"strings"
)

// buyerShare is the share of contacts that ever order; the others are
// prospects who only touch the brand.
const buyerShare = 0.9

// maker generates the customers of one block and renders their rows. A
// worker reuses one maker for many blocks; its slices are scratch space.
type maker struct {
	opts  *Options
	cal   *calendar
	width int // digits of a customer number
	r, d  rng // clean data, dirt
	// per entity: the dirt kinds its files can hold, and NDJSON or CSV
	dirtKinds [numEntities]uint
	json      [numEntities]bool
	p         person
	ords      []order
	inter     []interaction
	npss      []nps
	cxs       []cx
	out       *blockOut
}

// newPerson draws contact n: name, email, country, lead source, the
// acquisition (CRM creation) in the first half of the period, and the first
// touch.
func (m *maker) newPerson(n int) {
	r, cal, p := m.r, m.cal, &m.p
	*p = person{n: n, days: p.days[:0], bad: p.bad[:0]}
	p.num = pad(n, m.width)
	p.id = "C" + p.num
	p.country = r.weighted(countryW)
	p.lead = r.weighted(leadW)
	first, last := pick(r, firstNames[p.country]), pick(r, lastNames[p.country])
	p.name = first + " " + last
	if r.chance(0.03) {
		p.name = last + ", " + first // quoted in the CSV because of the comma
	}
	p.email = m.email(first, last)
	acq := cal.from + r.IntN(max(1, (cal.to-cal.from+1)/2))
	p.created = at(acq, r.clock(8, 20))
	if r.chance(0.6) {
		p.touch = p.created + stamp(60*r.IntN(91))
	} else {
		p.touch = at(min(acq+r.between(1, 7), cal.to), r.clock(8, 21))
	}
	p.last = p.touch
	p.buyer = r.chance(buyerShare)
}

// email returns a unique address: the local part ends in the customer
// number, which no name contains.
func (m *maker) email(first, last string) string {
	r, p := m.r, &m.p
	f, l := asciiName(first), asciiName(last)
	n := strconv.Itoa(p.n)
	var local string
	switch r.weighted([]int{45, 15, 15, 10, 15}) {
	case 0:
		local = f + "." + l + n
	case 1:
		local = f + l + n
	case 2:
		local = f[:1] + "." + l + n
	case 3:
		local = f + "_" + l + n
	default:
		local = l + "." + f + n
	}
	return local + "@" + pick(r, domains[p.country])
}

// finishPerson sets the tier and Last Modified, which follow the
// customer's history.
func (m *maker) finishPerson() {
	r, p := m.r, &m.p
	w := []int{12, 33, 55}
	switch {
	case !p.buyer:
		w = []int{5, 20, 75}
	case p.died:
		w = []int{10, 30, 60}
	case len(p.days) >= 10:
		w = []int{45, 40, 15}
	}
	p.tier = tiers[r.weighted(w)]
	d := min(p.last.day()+r.between(0, 30), m.cal.to)
	p.lastMod = at(d, r.clock(8, 20))
	if p.lastMod <= p.last {
		p.lastMod = p.last + stamp(60+r.IntN(600))
	}
}

// pad writes n with at least width digits.
func pad(n, width int) string {
	s := strconv.Itoa(n)
	if len(s) >= width {
		return s
	}
	return strings.Repeat("0", width-len(s)) + s
}

// idWidth is the number of digits of customer numbers for n customers (at
// least 4, as in the demo's C0001).
func idWidth(n int) int {
	return max(4, len(strconv.Itoa(n)))
}
