package gen

// emit renders the customer's rows into the block's buffers. A row that
// draws dirt is followed by its dirty companion (an exact duplicate, or a
// copy with a fresh id and the fault), or, for a mixed-case email, written
// with it; the clean records are never lost.
func (m *maker) emit() {
	m.emitContact()
	m.emitOrders()
	m.emitInteractions()
	m.emitNPS()
	m.emitCX()
}

func (m *maker) writer(e int) *rowWriter { return &m.out.files[e].w }

// emitContact writes the CRM row; its dirty companion keeps the Contact ID
// (a broken re-export of the same contact), which a pipeline rejects
// before looking for duplicates.
func (m *maker) emitContact() {
	w, p := m.writer(entCustomers), &m.p
	email := p.email
	k, ok := m.dirtFor(entCustomers, true)
	if ok && k == dirtMixedCase {
		email = m.mixedCase(email)
	}
	m.renderContact(w, email, rowDirt{})
	if !ok || k == dirtMixedCase {
		return
	}
	var d rowDirt
	switch k {
	case dirtBadDate:
		d.badDate = m.badDate(p.created.day(), tsDEMinute)
	case dirtMalformed:
		d.malformed = true
	}
	m.renderContact(w, email, d)
}

func (m *maker) emitOrders() {
	w, next := m.writer(entOrders), len(m.ords)
	for i := range m.ords {
		o := &m.ords[i]
		k, ok := m.dirtFor(entOrders, o.email != "")
		if ok && k == dirtMixedCase {
			o.email = m.mixedCase(o.email)
		}
		m.renderOrder(w, o)
		if !ok || k == dirtMixedCase {
			continue
		}
		x := *o
		if k != dirtDuplicate {
			next++
			x.seq = next
		}
		switch k {
		case dirtBadDate:
			x.dirt.badDate = m.badDate(o.ts.day(), tsUTCZ)
		case dirtUnknown:
			x.ref, x.email = m.unknownID(), ""
		case dirtNegative:
			x.cents, x.state, x.refund = -x.cents, stComplete, 0
		case dirtMalformed:
			x.dirt.malformed = true
		}
		m.renderOrder(w, &x)
	}
}

func (m *maker) emitInteractions() {
	w, next := m.writer(entInteractions), len(m.inter)
	for i := range m.inter {
		it := &m.inter[i]
		k, ok := m.dirtFor(entInteractions, it.email != "")
		if ok && k == dirtMixedCase {
			it.email = m.mixedCase(it.email)
		}
		m.renderInteraction(w, it)
		if !ok || k == dirtMixedCase {
			continue
		}
		x := *it
		if k != dirtDuplicate {
			next++
			x.seq = next
		}
		switch k {
		case dirtBadDate:
			x.dirt.badDate = m.badDate(it.ts.day(), tsLocal)
		case dirtUnknown:
			x.contact, x.email = m.unknownID(), ""
		case dirtMalformed:
			x.dirt.malformed = true
		}
		m.renderInteraction(w, &x)
	}
}

func (m *maker) emitNPS() {
	w, next := m.writer(entNPS), len(m.npss)
	for i := range m.npss {
		s := &m.npss[i]
		k, ok := m.dirtFor(entNPS, true)
		if ok && k == dirtMixedCase {
			s.email = m.mixedCase(s.email)
		}
		m.renderNPS(w, s)
		if !ok || k == dirtMixedCase {
			continue
		}
		x := *s
		if k != dirtDuplicate {
			next++
			x.seq = next
		}
		switch k {
		case dirtBadDate:
			x.dirt.badDate = m.badDate(s.ts.day(), tsUTCOffset)
		case dirtUnknown:
			x.email = m.unknownEmail()
		case dirtOutOfRange:
			x.score = pick(m.d, []int{-1, 11, 12})
		case dirtMalformed:
			x.dirt.malformed = true
		}
		m.renderNPS(w, &x)
	}
}

func (m *maker) emitCX() {
	w, next := m.writer(entCX), len(m.cxs)
	for i := range m.cxs {
		s := &m.cxs[i]
		k, ok := m.dirtFor(entCX, false)
		m.renderCX(w, s)
		if !ok {
			continue
		}
		x := *s
		if k != dirtDuplicate {
			next++
			x.seq = next
		}
		switch k {
		case dirtBadDate:
			x.dirt.badDate = m.badDate(s.ts.day(), tsLocal)
		case dirtUnknown:
			x.customer, x.orderSeq = m.unknownID(), 0
		case dirtOutOfRange:
			x.rating = 0
			if m.d.chance(0.5) {
				x.rating = 6
				if x.question == "CES" {
					x.rating = 8
				}
			}
		case dirtMalformed:
			x.dirt.malformed = true
		}
		m.renderCX(w, &x)
	}
}
