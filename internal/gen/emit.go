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

// rowKind tells emitRows how to handle one entity's records.
type rowKind[T any] struct {
	entity   int
	hasEmail func(*T) bool    // whether the record can draw email dirt
	email    func(*T) *string // the email to mix the case of; nil when none
	render   func(*rowWriter, *T)
	seq      func(*T) *int
	// spoil puts dirt of kind k into the companion x of record r.
	spoil func(x, r *T, k int)
}

// emitRows writes every record of one entity and, after a record that
// draws dirt, its dirty companion: an exact duplicate, or a copy with a
// fresh sequence number and the fault. Mixed-case emails are written in the
// record itself.
func emitRows[T any](m *maker, rows []T, kind rowKind[T]) {
	w, next := m.writer(kind.entity), len(rows)
	for i := range rows {
		r := &rows[i]
		k, ok := m.dirtFor(kind.entity, kind.hasEmail(r))
		if ok && k == dirtMixedCase && kind.email != nil {
			e := kind.email(r)
			*e = m.mixedCase(*e)
		}
		kind.render(w, r)
		if !ok || k == dirtMixedCase {
			continue
		}
		x := *r
		if k != dirtDuplicate {
			next++
			*kind.seq(&x) = next
		}
		kind.spoil(&x, r, k)
		kind.render(w, &x)
	}
}

func (m *maker) emitOrders() {
	emitRows(m, m.ords, rowKind[order]{
		entity:   entOrders,
		hasEmail: func(o *order) bool { return o.email != "" },
		email:    func(o *order) *string { return &o.email },
		render:   m.renderOrder,
		seq:      func(o *order) *int { return &o.seq },
		spoil: func(x, o *order, k int) {
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
		},
	})
}

func (m *maker) emitInteractions() {
	emitRows(m, m.inter, rowKind[interaction]{
		entity:   entInteractions,
		hasEmail: func(it *interaction) bool { return it.email != "" },
		email:    func(it *interaction) *string { return &it.email },
		render:   m.renderInteraction,
		seq:      func(it *interaction) *int { return &it.seq },
		spoil: func(x, it *interaction, k int) {
			switch k {
			case dirtBadDate:
				x.dirt.badDate = m.badDate(it.ts.day(), tsLocal)
			case dirtUnknown:
				x.contact, x.email = m.unknownID(), ""
			case dirtMalformed:
				x.dirt.malformed = true
			}
		},
	})
}

func (m *maker) emitNPS() {
	emitRows(m, m.npss, rowKind[nps]{
		entity:   entNPS,
		hasEmail: func(*nps) bool { return true },
		email:    func(s *nps) *string { return &s.email },
		render:   m.renderNPS,
		seq:      func(s *nps) *int { return &s.seq },
		spoil: func(x, s *nps, k int) {
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
		},
	})
}

func (m *maker) emitCX() {
	emitRows(m, m.cxs, rowKind[cx]{
		entity:   entCX,
		hasEmail: func(*cx) bool { return false },
		render:   m.renderCX,
		seq:      func(s *cx) *int { return &s.seq },
		spoil: func(x, s *cx, k int) {
			switch k {
			case dirtBadDate:
				x.dirt.badDate = m.badDate(s.ts.day(), tsLocal)
			case dirtUnknown:
				x.customer, x.orderSeq = m.unknownID(), 0
			case dirtOutOfRange:
				x.rating = m.outOfRangeRating(x.question)
			case dirtMalformed:
				x.dirt.malformed = true
			}
		},
	})
}

// outOfRangeRating is an impossible CSAT or CES rating: 0, or one above the scale.
func (m *maker) outOfRangeRating(question string) int {
	if !m.d.chance(0.5) {
		return 0
	}
	if question == "CES" {
		return 8
	}
	return 6
}
