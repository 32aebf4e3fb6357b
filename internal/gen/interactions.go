package gen

import (
	"cmp"
	"slices"
)

// Mean days between background touches: newsletter clicks and browsing
// visits while a customer is around; engaged (fast-buying) customers browse
// more. Tuned so that the medium tier holds about two interactions per
// order.
const (
	newsletterGap   = 75.0
	visitGap        = 100.0
	visitsPerOrder  = 0.2 // extra visit rate, per expected order
	prospectGap     = 120.0
	prospectMonths  = 10
	churnLingerDays = 60 // a customer who drops out still clicks for up to this long
)

// interactions generates the customer's CRM touchpoints: the first touch
// (following the lead source), browsing before the first order, the
// touches around each order (visits, "where is my parcel" tickets,
// complaints after late deliveries and returns, calls, chats) and the
// background of newsletter clicks and visits while the customer is around.
func (m *maker) interactions() {
	p := &m.p
	m.inter = m.inter[:0]
	ch, kind := "Web", "visit" // Google Ads, Referral
	switch leads[p.lead] {
	case "Newsletter":
		ch, kind = "E-Mail", "newsletter_click"
	case "Instagram":
		ch = "Social"
	case "Walk-in":
		ch = "Store"
	}
	m.addI(p.touch, ch, kind, false)
	m.awareness()
	for i := range m.ords {
		m.orderTouches(&m.ords[i])
	}
	m.background()
	slices.SortStableFunc(m.inter, func(a, b interaction) int { return cmp.Compare(a.ts, b.ts) })
	for i := range m.inter {
		m.inter[i].seq = i + 1
		p.touched(m.inter[i].ts)
	}
}

// awareness adds visits between the first touch and the first order.
func (m *maker) awareness() {
	r, p := m.r, &m.p
	if len(m.ords) == 0 {
		return
	}
	first := m.ords[0].ts
	gap := first.day() - p.touch.day()
	for range r.between(0, min(3, gap)) {
		t := at(p.touch.day()+r.between(0, gap), r.clock(8, 21))
		if t > p.touch && t < first {
			m.addI(t, m.browse(), "visit", true)
		}
	}
}

// orderTouches adds the touchpoints an order causes.
func (m *maker) orderTouches(o *order) {
	r, p := m.r, &m.p
	if (o.channel == chWebshop || o.channel == chApp) && r.chance(0.55) {
		m.addI(o.ts-stamp(60*r.between(10, 72*60)), [...]string{"Web", "App"}[o.channel], "visit", true)
	}
	if o.late {
		m.lateTouches(o)
	}
	if o.returned != 0 {
		if r.chance(0.45) { // asking how to return it
			t := o.delivered + stamp(r.Float64()*float64(o.returned-o.delivered))
			if r.chance(0.5) {
				m.addI(t, pick(r, ticketChannels), "ticket", true)
			} else {
				m.addI(t, "Phone", "call", true)
			}
		}
		if (p.died && r.chance(0.45)) || r.chance(0.10) {
			m.addI(at(o.returned.day()+r.between(1, 5), r.clock(9, 20)), pick(r, complaintCh), "complaint", true)
		}
	}
	if o.state == stCanceled && r.chance(0.35) {
		m.addI(o.ts+stamp(r.Float64()*float64(o.updated-o.ts)), "Phone", "call", true)
	}
	if r.chance(0.07) {
		m.addI(at(o.ts.day()+r.between(0, 10), r.clock(9, 21)), "Chat", "chat", true)
	}
	if r.chance(0.04) { // a product or invoice question
		m.addI(at(o.ts.day()+r.between(0, 20), r.clock(8, 20)), pick(r, ticketChannels), "ticket", true)
	}
	if r.chance(0.04) {
		m.addI(at(o.ts.day()+r.between(0, 14), r.clock(9, 17)), "Phone", "call", true)
	}
}

// lateTouches adds a "where is my parcel?" ticket while waiting and a
// complaint after the late delivery.
func (m *maker) lateTouches(o *order) {
	r, p := m.r, &m.p
	if r.chance(0.55) {
		d0 := o.promised + 1
		t := at(d0+r.IntN(o.delivered.day()-d0+1), r.clock(8, 20))
		if t < o.delivered {
			m.addI(t, pick(r, ticketChannels), "ticket", true)
		}
	}
	if (p.died && r.chance(0.5)) || r.chance(0.12) {
		if t := at(o.delivered.day()+r.between(0, 3), r.clock(9, 20)); t > o.delivered {
			m.addI(t, pick(r, complaintCh), "complaint", true)
		}
	}
}

// background adds newsletter clicks and visits from the first touch until
// the end of the period, or until shortly after a dropout's last order, or
// for a few months for a prospect.
func (m *maker) background() {
	r, p := m.r, &m.p
	end, nl, visits := m.cal.to, newsletterGap, visitGap
	switch {
	case !p.buyer:
		end, nl, visits = p.touch.day()+prospectMonths*30, prospectGap, prospectGap
	case p.died:
		end = p.days[len(p.days)-1] + r.between(20, churnLingerDays)
	}
	if p.buyer {
		visits = 1 / (1/visitGap + visitsPerOrder*p.lambda/7)
	}
	m.poisson(end, nl, func(d int) { m.addI(at(d, r.clock(7, 21)), "E-Mail", "newsletter_click", true) })
	m.poisson(end, visits, func(d int) { m.addI(at(d, r.clock(7, 21)), m.browse(), "visit", true) })
}

// poisson calls f on the days of a Poisson process with the given mean gap
// in days, from the first touch to day end.
func (m *maker) poisson(end int, meanDays float64, f func(day int)) {
	end = min(end, m.cal.to)
	for t := float64(m.p.touch); ; {
		t += m.r.ExpFloat64() * meanDays * secondsPerDay
		d := stamp(t).day()
		if d > end {
			return
		}
		f(d)
	}
}

// browse picks a browsing channel following the lead source.
func (m *maker) browse() string {
	w := []int{45, 30, 15, 10}
	switch leads[m.p.lead] {
	case "Instagram":
		w = []int{30, 20, 45, 5}
	case "Walk-in":
		w = []int{30, 15, 10, 45}
	}
	return browseChannels[m.r.weighted(w)]
}

// addI adds a touchpoint at ts (if it lies between the first touch and the
// end of the period), with its duration and, for tickets and complaints,
// whether it was resolved; some carry only the email.
func (m *maker) addI(ts stamp, ch, kind string, mayBeEmailOnly bool) {
	r, p := m.r, &m.p
	if ts < p.touch || ts.day() > m.cal.to {
		return
	}
	it := interaction{contact: p.id, ts: ts, channel: ch, kind: kind, resolved: -1, dur: m.duration(ch, kind)}
	if kind == "ticket" || kind == "complaint" {
		pr := 0.70
		if kind == "ticket" {
			pr = 0.85
		}
		if p.died {
			pr -= 0.25
		}
		it.resolved = 0
		if r.chance(pr) {
			it.resolved = 1
		}
	}
	if kind == "complaint" || (kind == "ticket" && it.resolved == 0) {
		p.bad = append(p.bad, ts.day())
	}
	if mayBeEmailOnly && ((kind == "newsletter_click" && r.chance(0.65)) || r.chance(0.03)) {
		it.contact, it.email = "", p.email
	}
	m.inter = append(m.inter, it)
}

// duration is the touch's length in seconds, or -1 (null) for clicks and
// written tickets or complaints.
func (m *maker) duration(ch, kind string) int32 {
	r := m.r
	var lo, hi int
	switch {
	case kind == "visit" && ch == "Web":
		lo, hi = 15, 900
	case kind == "visit" && ch == "App":
		lo, hi = 10, 600
	case kind == "visit" && ch == "Social":
		lo, hi = 5, 120
	case kind == "visit" && ch == "Store":
		lo, hi = 300, 2400
	case kind == "call" || ch == "Phone":
		lo, hi = 60, 1800
	case kind == "chat" || ch == "Chat":
		lo, hi = 60, 1500
	case kind == "complaint" && ch == "Store":
		lo, hi = 300, 1200
	default:
		return -1
	}
	return int32(r.between(lo, hi))
}
