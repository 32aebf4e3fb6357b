package gen

import (
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"
)

// rng is a seeded random stream with the draws the generator needs.
type rng struct{ *rand.Rand }

// Streams of one customer block: the clean data and, apart, the dirt, so
// that changing --dirt leaves the clean records as they were.
const (
	streamData = iota
	streamDirt
)

// newRNG returns the stream of a block: a PCG seeded with the data set's seed
// and a mix of the block number and the stream, so that blocks can be
// generated in any order, in parallel, with the same result.
func newRNG(seed uint64, block, stream int) rng {
	return rng{rand.New(rand.NewPCG(seed, splitmix(uint64(block)<<8|uint64(stream))))}
}

// splitmix is the SplitMix64 finaliser: neighbouring inputs give unrelated
// outputs.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// between returns a whole number in [lo, hi].
func (r rng) between(lo, hi int) int { return lo + r.IntN(hi-lo+1) }

func (r rng) chance(p float64) bool { return r.Float64() < p }

// weighted returns an index of w with probability proportional to its weight.
func (r rng) weighted(w []int) int {
	total := 0
	for _, x := range w {
		total += x
	}
	n := r.IntN(total)
	for i, x := range w {
		if n < x {
			return i
		}
		n -= x
	}
	return len(w) - 1
}

func pick[T any](r rng, xs []T) T { return xs[r.IntN(len(xs))] }

// clock returns a time of day, in seconds, from loH:00:00 to hiH:59:59.
func (r rng) clock(loH, hiH int) int {
	return loH*3600 + r.IntN((hiH-loH+1)*3600)
}

// gamma draws from Gamma(shape, rate).
func (r rng) gamma(shape, rate float64) float64 {
	return distuv.Gamma{Alpha: shape, Beta: rate, Src: r.Rand}.Rand()
}

// beta draws from Beta(a, b).
func (r rng) beta(a, b float64) float64 {
	return distuv.Beta{Alpha: a, Beta: b, Src: r.Rand}.Rand()
}
