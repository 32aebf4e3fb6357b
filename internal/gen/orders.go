package gen

import "math"

// Shares of the order process.
const (
	cancelShare    = 0.04 // purchase days with a cancelled order before the real one
	emailOnlyShare = 0.10 // orders that carry only the email
	baseLate       = 0.05 // deliveries that arrive after the promised date
	baseReturn     = 0.04 // delivered orders that are returned
	churnLate      = 0.40 // the same for the last two orders of a customer who drops out
	churnReturn    = 0.30
)

const (
	chWebshop = iota
	chApp
	chStore
	chPhone
)

// purchases draws the customer's purchase days from the BG/NBD process of
// Options.BGNBD, in weeks: λ ~ Gamma(r, α), p ~ Beta(a, b); the first
// purchase follows the first touch (at once for half the walk-ins, else
// after a few days); repeat purchases follow a Poisson process of rate λ
// until the end of the period, and after each one the customer drops out
// with probability p.
//
// The data have a resolution of one business day, which the fit sees as
// whole days from the first purchase day. The process therefore runs in
// continuous time from a uniform instant u within the first purchase day,
// each purchase falls on the day its instant lies in, and the period ends
// at the same instant of the as-of day: the fit's age T (whole days) is
// then exactly the time the process ran, and a recency in whole days is
// unbiased. The fit merges orders of the same day, so a repeat purchase
// that would fall on the day of the previous one moves to the next day
// (merging would lose them instead: 6 % of the repeats at α = 1 and a
// fitted α 16 % high). Moving still caps the busiest buyers at one purchase
// a day, which the continuous model does not; the default parameters keep
// such buyers rare (see DefaultBGNBD).
func (m *maker) purchases() {
	r, p, last := m.r, &m.p, m.cal.to
	if !p.buyer {
		return
	}
	d0 := p.touch.day()
	p.sameDay = leads[p.lead] == "Walk-in" && r.chance(0.5)
	if !p.sameDay {
		d0 += min(60, 1+int(r.ExpFloat64()*12))
	}
	if d0 > last {
		p.buyer = false
		return
	}
	par := m.opts.BGNBD
	p.lambda, p.dropout = r.gamma(par.R, par.Alpha), r.beta(par.A, par.B)
	p.days = append(p.days, d0)
	u := r.Float64()
	span := float64(last-d0) + u
	for t := 0.0; ; {
		t += r.ExpFloat64() / p.lambda
		x := u + 7*t
		if x >= span {
			return
		}
		d := max(d0+int(x), p.days[len(p.days)-1]+1)
		if d > last {
			return
		}
		p.days = append(p.days, d)
		if r.chance(p.dropout) {
			p.died = true
			return
		}
	}
}

// orders turns every purchase day into one order whose total is the day's
// Gamma-Gamma value (Options.GammaGamma: ν ~ Gamma(q, γ) per customer, the
// value ~ Gamma(p, ν)), sometimes preceded by an order cancelled the same
// day, which no purchase count includes.
func (m *maker) orders() {
	r, p := m.r, &m.p
	m.ords = m.ords[:0]
	if !p.buyer {
		return
	}
	gg := m.opts.GammaGamma
	p.nu = r.gamma(gg.Q, gg.Gamma)
	for k, d := range p.days {
		o := m.placeOrder(d, k == 0 && p.sameDay)
		o.cents = max(1, int64(math.Round(r.gamma(gg.P, p.nu)*100)))
		if r.chance(cancelShare) {
			if c, ok := m.cancelled(o); ok {
				m.ords = append(m.ords, c)
			}
		}
		m.fulfil(&o, p.died && k >= len(p.days)-2)
		m.ords = append(m.ords, o)
	}
	for i := range m.ords {
		m.ords[i].seq = i + 1
		p.touched(m.ords[i].updated)
	}
}

// placeOrder picks the order's channel, time, items and identity fields.
func (m *maker) placeOrder(d int, walkIn bool) order {
	r, p := m.r, &m.p
	o := order{ref: p.id, email: p.email, items: 1 + r.weighted([]int{40, 30, 15, 8, 4, 3})}
	w := orderChW
	if leads[p.lead] == "Walk-in" {
		w = walkInChW
	}
	o.channel = r.weighted(w)
	switch {
	case walkIn:
		o.channel, o.ts = chStore, p.touch+stamp(60*r.between(10, 50))
	case o.channel == chStore:
		o.ts = at(d, r.clock(10, 18))
	case o.channel == chPhone:
		o.ts = at(d, r.clock(9, 17))
	default:
		o.ts = at(d, r.clock(7, 21))
	}
	if o.channel == chStore && r.chance(0.5) {
		o.email = "" // a till purchase with the loyalty card: customer_ref only
	}
	if r.chance(emailOnlyShare) {
		o.ref, o.email = "", p.email
	}
	o.promised = d + m.promiseDays(o.channel)
	return o
}

func (m *maker) promiseDays(channel int) int {
	switch channel {
	case chWebshop, chApp:
		return m.r.between(2, 4)
	case chPhone:
		return 5
	}
	return 0 // the store hands it over at the till
}

// cancelled is an order placed earlier on the same day and cancelled
// before the real one.
func (m *maker) cancelled(o order) (order, bool) {
	r := m.r
	c := o
	c.ts = o.ts - stamp(60*r.between(30, 120))
	if c.ts.sec() < 7*3600 {
		return c, false
	}
	c.cents = max(1, int64(float64(o.cents)*(0.5+r.Float64())))
	c.state, c.updated = stCanceled, c.ts+stamp(60*r.between(5, 25))
	return c, true
}

// fulfil delivers, ships or leaves the order open at the end of the
// period, makes it late or returned, and records the negative experiences.
// bad marks the last orders of a customer who drops out.
func (m *maker) fulfil(o *order, bad bool) {
	r, p, last := m.r, &m.p, m.cal.to
	pLate, pRet := baseLate, baseReturn
	if bad {
		pLate, pRet = churnLate, churnReturn
	}
	switch {
	case o.channel == chStore:
		o.delivered = o.ts
	case r.chance(pLate):
		o.late = true
		o.delivered = at(o.promised+r.between(1, 6), r.clock(9, 19))
	default:
		o.delivered = at(o.ts.day()+r.between(1, o.promised-o.ts.day()), r.clock(9, 19))
	}
	if o.delivered.day() > last { // still under way
		o.delivered, o.late = 0, false
		o.state, o.updated = stOpen, o.ts
		if o.ts.day() < last {
			o.state, o.updated = stShipped, at(o.ts.day()+1, r.clock(8, 18))
		}
		return
	}
	o.state, o.updated = stComplete, o.delivered
	if o.channel != chStore {
		o.updated += stamp(60 * r.between(1, 45))
	}
	if o.late {
		pRet += 0.15
		p.bad = append(p.bad, o.delivered.day())
	}
	m.maybeReturn(o, pRet)
}

// maybeReturn returns a delivered order with probability pRet, 4 to 25
// days after delivery, in full or (several items) in part.
func (m *maker) maybeReturn(o *order, pRet float64) {
	r, p := m.r, &m.p
	if !r.chance(pRet) {
		return
	}
	d := o.delivered.day() + r.between(4, 25)
	if d > m.cal.to {
		return
	}
	o.state, o.returned = stReturned, at(d, r.clock(9, 19))
	o.updated = o.returned
	o.refund = o.cents
	if o.items > 1 && r.chance(0.3) {
		o.refund = max(1, o.cents*int64(r.between(1, o.items-1))/int64(o.items))
	}
	p.bad = append(p.bad, d)
}
