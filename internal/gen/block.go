package gen

// blockFile is the rendered rows of one entity of one block.
type blockFile struct {
	w    rowWriter
	dirt [numDirt]int64
}

// blockOut is everything one block of customers produced; the writer takes
// blocks in order and the buffers are reused.
type blockOut struct {
	block  int
	files  [numEntities]blockFile
	counts Counts
}

// newMaker returns a maker for the data set; it draws nothing until run.
func newMaker(o *Options, cal *calendar, l layout) *maker {
	m := &maker{opts: o, cal: cal, width: idWidth(o.Customers)}
	for e := range numEntities {
		m.dirtKinds[e] = l.dirtKinds(e)
		m.json[e] = l.json(e)
	}
	return m
}

// run generates block b into out, whose buffers it resets.
func (m *maker) run(b int, out *blockOut) {
	m.r = newRNG(m.opts.Seed, b, streamData)
	m.d = newRNG(m.opts.Seed, b, streamDirt)
	m.out = out
	out.block, out.counts = b, Counts{}
	for e := range numEntities {
		f := &out.files[e]
		f.w = rowWriter{b: f.w.b[:0], cal: m.cal, json: m.json[e], delim: entitySpecs[e].delim}
		f.dirt = [numDirt]int64{}
	}
	first := b*blockSize + 1
	for n := first; n < first+blockSize && n <= m.opts.Customers; n++ {
		m.newPerson(n)
		m.purchases()
		m.orders()
		m.interactions()
		m.surveys()
		m.finishPerson()
		m.emit()
		m.count()
	}
}

// count adds the customer's clean records to the block's truth counts.
func (m *maker) count() {
	c, p := &m.out.counts, &m.p
	c.Customers++
	c.Prospects += b2i(!p.buyer)
	c.Negative += int64(len(p.bad))
	if p.buyer {
		c.Buyers++
		c.PurchaseDays += int64(len(p.days))
		c.RepeatBuyers += b2i(len(p.days) > 1)
	}
	if p.died {
		c.Dropouts++
		c.NegativeOfDropouts += int64(len(p.bad))
	}
	m.countRecords(c)
}

func (m *maker) countRecords(c *Counts) {
	for i := range m.ords {
		o := &m.ords[i]
		c.Orders++
		c.Cancelled += b2i(o.state == stCanceled)
		c.Late += b2i(o.late)
		c.Returned += b2i(o.state == stReturned)
	}
	for i := range m.inter {
		it := &m.inter[i]
		c.Interactions++
		c.Tickets += b2i(it.kind == "ticket")
		c.Complaints += b2i(it.kind == "complaint")
		c.Unresolved += b2i(it.resolved == 0)
	}
	c.NPS += int64(len(m.npss))
	for i := range m.cxs {
		c.CSAT += b2i(m.cxs[i].question == "CSAT")
		c.CES += b2i(m.cxs[i].question == "CES")
	}
	c.SurveyAnswers += int64(len(m.npss) + len(m.cxs))
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}
