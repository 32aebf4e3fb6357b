package gen

import (
	"strconv"
	"strings"
)

// channelDetail is what a broken shop export appends to the sales channel,
// unquoted: "store, Berlin Mitte".
var channelDetail = []string{"mobile", "iOS", "Berlin Mitte", "hotline"}

// The renderers write one record of each entity in the demo's column
// names and value spellings; the rowWriter decides between CSV and NDJSON.

func (m *maker) renderContact(w *rowWriter, email string, d rowDirt) {
	p := &m.p
	w.begin()
	w.str("Contact ID", p.id, false)
	w.str("E-Mail", email, true)
	if d.malformed {
		w.broken("Full Name", strings.Replace(p.name, " ", "; ", 1))
	} else {
		w.str("Full Name", p.name, false)
	}
	if d.badDate != "" {
		w.str("Created", d.badDate, false)
	} else {
		w.date("Created", p.created.day(), dayDE)
	}
	w.str("Tier", p.tier, false)
	w.str("Country", countries[p.country], false)
	w.str("Lead Source", leads[p.lead], false)
	w.stamp("Last Modified", p.lastMod, tsDEMinute)
	w.end()
}

func (m *maker) renderOrder(w *rowWriter, o *order) {
	w.begin()
	w.id("order_id", "O-", m.p.num, o.seq)
	w.str("customer_ref", o.ref, true)
	w.str("customer_email", o.email, true)
	if o.dirt.badDate != "" {
		w.str("order_ts", o.dirt.badDate, false)
	} else {
		w.stamp("order_ts", o.ts, tsUTCZ)
	}
	w.money("total", o.cents, false)
	w.str("currency", "EUR", false)
	w.str("state", orderStates[o.state], false)
	if o.dirt.malformed {
		w.broken("sales_channel", orderChannels[o.channel]+", "+channelDetail[o.channel])
	} else {
		w.str("sales_channel", orderChannels[o.channel], false)
	}
	w.date("promised_date", o.promised, dayISO)
	w.stampOrNull("delivered_ts", o.delivered, tsUTCZ)
	w.money("refund", o.refund, o.refund == 0)
	w.whole("items", int64(o.items), false)
	w.stamp("updated_ts", o.updated, tsUTCZ)
	w.end()
}

func (m *maker) renderInteraction(w *rowWriter, it *interaction) {
	w.begin()
	w.id("id", "I-", m.p.num, it.seq)
	w.str("contact", it.contact, true)
	w.str("email", it.email, true)
	if it.dirt.badDate != "" {
		w.str("ts", it.dirt.badDate, false)
	} else {
		w.stamp("ts", it.ts, tsLocal)
	}
	w.str("channel", it.channel, false)
	w.str("kind", it.kind, false)
	w.boolean("resolved", it.resolved)
	if it.dirt.malformed { // a decimal comma, unquoted
		w.broken("duration_s", strconv.Itoa(int(max(it.dur, 0)))+",5")
	} else {
		w.whole("duration_s", int64(it.dur), it.dur < 0)
	}
	w.end()
}

func (m *maker) renderNPS(w *rowWriter, s *nps) {
	w.begin()
	w.id("response_id", "R-", m.p.num, s.seq)
	w.str("email", s.email, true)
	if s.dirt.badDate != "" {
		w.str("submitted_at", s.dirt.badDate, false)
	} else {
		w.stamp("submitted_at", s.ts, tsUTCOffset)
	}
	w.whole("score", int64(s.score), false)
	if s.dirt.malformed {
		w.broken("comment", "Nice shop, thanks")
	} else {
		w.str("comment", s.comment, true)
	}
	w.str("touchpoint", s.touchpoint, false)
	w.end()
}

func (m *maker) renderCX(w *rowWriter, s *cx) {
	w.begin()
	w.id("resp_id", "CX-", m.p.num, s.seq)
	w.str("customer_id", s.customer, true)
	if s.dirt.badDate != "" {
		w.str("answered_at", s.dirt.badDate, false)
	} else {
		w.stamp("answered_at", s.ts, tsLocal)
	}
	w.str("question", s.question, false)
	w.whole("rating", int64(s.rating), false)
	switch {
	case s.dirt.malformed: // two references in one unquoted field
		ref := "none"
		if s.orderSeq > 0 {
			ref = "O-" + m.p.num + "-" + strconv.Itoa(s.orderSeq)
		}
		w.broken("order_ref", ref+", n/a")
	case s.orderSeq > 0:
		w.id("order_ref", "O-", m.p.num, s.orderSeq)
	default:
		w.str("order_ref", "", true)
	}
	w.end()
}

// header writes the CSV header line of entity e.
func (m *maker) header(e int, w *rowWriter) {
	w.header = true
	defer func() { w.header = false }()
	switch e {
	case entCustomers:
		m.renderContact(w, "", rowDirt{})
	case entOrders:
		m.renderOrder(w, &order{})
	case entInteractions:
		m.renderInteraction(w, &interaction{})
	case entNPS:
		m.renderNPS(w, &nps{})
	case entCX:
		m.renderCX(w, &cx{})
	}
}
