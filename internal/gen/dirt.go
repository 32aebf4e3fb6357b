package gen

import (
	"fmt"
	"strings"
)

// Kinds of dirt. Rejected kinds are extra rows (or lines) that a correct
// pipeline rejects, so the clean data stays whole; the loaded kinds (an
// unknown customer, a mixed-case email) are kept and matched or counted as
// unmatched.
const (
	dirtDuplicate  = iota // exact copy of the row just written
	dirtBadDate           // extra row with an impossible date in its main timestamp
	dirtUnknown           // extra row of a customer the CRM does not know
	dirtMixedCase         // the row's email written in mixed case
	dirtNegative          // extra order with a negative total on a complete order
	dirtOutOfRange        // extra answer with a score outside its scale
	dirtMalformed         // extra line the reader cannot parse
	numDirt
)

// DirtKinds names the kinds as truth.json spells them (read-only).
var DirtKinds = [numDirt]string{"duplicate", "bad_date", "unknown_customer", "mixed_case_email",
	"negative_amount", "out_of_range_score", "malformed_line"}

// DirtRejected tells which kinds a correct pipeline rejects (read-only).
var DirtRejected = [numDirt]bool{true, true, false, false, true, true, true}

// kinds per entity (bit sets); a Parquet file has no text to break and
// typed timestamps cannot hold an impossible date.
var entityDirt = [numEntities]uint{
	entCustomers:    bits(dirtDuplicate, dirtBadDate, dirtMixedCase, dirtMalformed),
	entOrders:       bits(dirtDuplicate, dirtBadDate, dirtUnknown, dirtMixedCase, dirtNegative, dirtMalformed),
	entInteractions: bits(dirtDuplicate, dirtBadDate, dirtUnknown, dirtMixedCase, dirtMalformed),
	entNPS:          bits(dirtDuplicate, dirtBadDate, dirtUnknown, dirtMixedCase, dirtOutOfRange, dirtMalformed),
	entCX:           bits(dirtDuplicate, dirtBadDate, dirtUnknown, dirtOutOfRange, dirtMalformed),
}

const textOnlyDirt = 1<<dirtBadDate | 1<<dirtMalformed

func bits(kinds ...int) uint {
	var s uint
	for _, k := range kinds {
		s |= 1 << k
	}
	return s
}

// dirtFor decides whether a row of entity e gets dirt, and which kind:
// with probability Options.Dirt, a kind drawn evenly from those the file
// and the row allow (a mixed-case email needs an email). It counts the kind.
func (m *maker) dirtFor(e int, hasEmail bool) (int, bool) {
	if m.opts.Dirt == 0 || m.d.Float64() >= m.opts.Dirt {
		return 0, false
	}
	set := m.dirtKinds[e]
	if !hasEmail {
		set &^= 1 << dirtMixedCase
	}
	var ks [numDirt]int
	n := 0
	for k := range numDirt {
		if set&(1<<k) != 0 {
			ks[n] = k
			n++
		}
	}
	k := ks[m.d.IntN(n)]
	m.out.files[e].dirt[k]++
	return k, true
}

// invalid calendar days: month, day
var badDays = [][2]int{{2, 30}, {2, 31}, {4, 31}, {6, 31}, {9, 31}, {11, 31}, {13, 12}, {0, 10}}

// badDate spells an impossible date in the year of day, with the spelling
// (a ts* constant) of the field it replaces; tsDEMinute stands for the
// CRM's German date without a time.
func (m *maker) badDate(day int, spelling int) string {
	md := badDays[m.d.IntN(len(badDays))]
	y := m.cal.year(day)
	h, mi, s := m.d.between(8, 20), m.d.IntN(60), m.d.IntN(60)
	switch spelling {
	case tsDEMinute:
		return fmt.Sprintf("%02d.%02d.%04d", md[1], md[0], y)
	case tsUTCZ:
		return fmt.Sprintf("%04d-%02d-%02dT%02d:%02d:%02dZ", y, md[0], md[1], h, mi, s)
	case tsUTCOffset:
		return fmt.Sprintf("%04d-%02d-%02d %02d:%02d:%02d+00:00", y, md[0], md[1], h, mi, s)
	}
	return fmt.Sprintf("%04d-%02d-%02d %02d:%02d:%02d", y, md[0], md[1], h, mi, s)
}

// mixedCase respells an email: Capitalised.Parts@example.de,
// UPPER.CASE@example.de or Capitalised.Parts@Example.DE.
func (m *maker) mixedCase(email string) string {
	local, domain, _ := strings.Cut(email, "@")
	switch m.d.IntN(3) {
	case 0:
		return capitalise(local) + "@" + domain
	case 1:
		return strings.ToUpper(local) + "@" + domain
	}
	name, tld, _ := strings.Cut(domain, ".")
	return capitalise(local) + "@" + capitalise(name) + "." + strings.ToUpper(tld)
}

// capitalise upper-cases the first letter of every part between '.', '_'
// and digits.
func capitalise(s string) string {
	b := []byte(s)
	for i, c := range b {
		first := i == 0 || b[i-1] == '.' || b[i-1] == '_' || (b[i-1] >= '0' && b[i-1] <= '9')
		if first && c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// unknownID is a Contact ID the CRM does not hold.
func (m *maker) unknownID() string {
	n := m.opts.Customers
	return "C" + pad(n+1+m.d.IntN(max(n, 1000)), m.width)
}

// unknownEmail is an address no CRM contact has.
func (m *maker) unknownEmail() string {
	return fmt.Sprintf("guest%06d@example.org", m.d.IntN(1_000_000))
}
