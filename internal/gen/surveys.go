package gen

import (
	"cmp"
	"math"
	"slices"
)

// Survey kinds and the chances that a touch is followed by an answer.
const (
	kindNPS = iota
	kindCSAT
	kindCES
)

const (
	npsAfterOrder   = 0.04 // post-purchase NPS per delivered (or returned) order
	csatAfterOrder  = 0.06 // CSAT per delivery
	npsAfterSupport = 0.20 // support NPS per ticket, complaint, call or chat
	cesAfterSupport = 0.25 // CES per support contact
)

// Score model per kind: the mean by customer type (prospect, regular,
// loyal, churner), what each negative experience in the previous 60 days
// (up to two) and the experience that triggered the survey take off, how
// much a churner's mood sours towards the end, the noise and the scale.
var scoreModel = [3]struct {
	base                    [4]float64
	perNeg, badHit, souring float64
	noise                   float64
	lo, hi                  int
}{
	kindNPS:  {[4]float64{7.8, 8.4, 9.2, 7.6}, 1.7, 0.8, 1.2, 1.3, 0, 10},
	kindCSAT: {[4]float64{4.2, 4.3, 4.6, 4.0}, 0.9, 0.6, 0.5, 0.7, 1, 5},
	kindCES:  {[4]float64{5.2, 5.4, 5.8, 4.9}, 0.7, 1.3, 0.6, 1.0, 1, 7},
}

// surveys generates NPS answers after deliveries, returns and support
// contacts, CSAT answers after deliveries and CES answers after support
// contacts. Scores fall after negative experiences.
func (m *maker) surveys() {
	m.npss, m.cxs = m.npss[:0], m.cxs[:0]
	for i := range m.ords {
		m.orderSurveys(&m.ords[i])
	}
	for i := range m.inter {
		m.supportSurveys(&m.inter[i])
	}
	slices.SortStableFunc(m.npss, func(a, b nps) int { return cmp.Compare(a.ts, b.ts) })
	slices.SortStableFunc(m.cxs, func(a, b cx) int { return cmp.Compare(a.ts, b.ts) })
	for i := range m.npss {
		m.npss[i].seq = i + 1
	}
	for i := range m.cxs {
		m.cxs[i].seq = i + 1
	}
}

// orderSurveys asks about a delivered (or returned) order.
func (m *maker) orderSurveys(o *order) {
	r := m.r
	if o.delivered == 0 {
		return
	}
	bad := o.late || o.returned != 0
	ref := o.delivered
	if o.returned != 0 {
		ref = o.returned
	}
	if r.chance(npsAfterOrder) {
		m.addNPS(at(ref.day()+r.between(1, 7), r.clock(8, 21)), "post_purchase", bad)
	}
	if r.chance(csatAfterOrder) {
		if t := at(o.delivered.day()+r.between(0, 3), r.clock(9, 21)); t > o.delivered {
			m.addCX(t, kindCSAT, o.late, o.seq)
		}
	}
}

// supportSurveys asks about a ticket, complaint, call or chat.
func (m *maker) supportSurveys(it *interaction) {
	r := m.r
	if it.kind == "visit" || it.kind == "newsletter_click" {
		return
	}
	bad := it.kind == "complaint" || it.resolved == 0
	if r.chance(npsAfterSupport) {
		m.addNPS(at(it.ts.day()+r.between(1, 4), r.clock(8, 21)), "support", bad)
	}
	if r.chance(cesAfterSupport) {
		if t := at(it.ts.day()+r.between(0, 2), r.clock(8, 21)); t > it.ts {
			m.addCX(t, kindCES, bad, 0)
		}
	}
}

func (m *maker) addNPS(t stamp, touchpoint string, bad bool) {
	if t.day() > m.cal.to {
		return
	}
	s := m.score(kindNPS, t.day(), bad)
	m.npss = append(m.npss, nps{email: m.p.email, ts: t, score: s, comment: m.comment(s), touchpoint: touchpoint})
	m.p.touched(t)
}

func (m *maker) addCX(t stamp, kind int, bad bool, orderSeq int) {
	if t.day() > m.cal.to {
		return
	}
	q := "CSAT"
	if kind == kindCES {
		q = "CES"
	}
	m.cxs = append(m.cxs, cx{customer: m.p.id, ts: t, question: q, rating: m.score(kind, t.day(), bad), orderSeq: orderSeq})
	m.p.touched(t)
}

// score draws an answer on the kind's scale for a survey answered on day.
func (m *maker) score(kind, day int, bad bool) int {
	p, sm := &m.p, &scoreModel[kind]
	typ := 1 // regular
	switch {
	case !p.buyer:
		typ = 0
	case p.died:
		typ = 3
	case len(p.days) >= 10:
		typ = 2
	}
	mean := sm.base[typ] - sm.perNeg*float64(min(2, p.negBefore(day))) - sm.souring*m.progress(day)
	if bad {
		mean -= sm.badHit
	}
	v := int(math.Round(mean + sm.noise*m.r.NormFloat64()))
	return max(sm.lo, min(sm.hi, v))
}

// progress is how far into a dropout's life day is: 0 at the first
// purchase, 1 at the last one plus 60 days; 0 for everybody else.
func (m *maker) progress(day int) float64 {
	p := &m.p
	if !p.died {
		return 0
	}
	a, b := p.days[0], p.days[len(p.days)-1]+60
	return math.Max(0, math.Min(1, float64(day-a)/float64(b-a)))
}

// comment writes a free-text comment for 45 % of the answers.
func (m *maker) comment(score int) string {
	r := m.r
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
