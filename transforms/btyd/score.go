package btyd

import (
	"context"
	"fmt"
)

// Score holds the model figures of one customer.
type Score struct {
	// PAlive is BGNBD.PAlive of the customer.
	PAlive float64
	// ExpectedPurchases is BGNBD.ConditionalExpected over
	// ScoreOptions.Horizon.
	ExpectedPurchases float64
	// ExpectedAOV is GammaGamma.ExpectedAOV of the customer.
	ExpectedAOV float64
	// CLV is the CLV over ScoreOptions.Months.
	CLV float64
}

// ScoreCustomers returns the Score of every customer, out[i] for cs[i], each
// equal to what the single-customer methods and CLV return for it. The
// customers are scored in parallel and every score depends only on its
// customer. Errors name the lowest-indexed failing customer and wrap that
// customer's error (see CLV); invalid models or options wrap
// ErrInvalidInput; a done ctx returns ctx.Err() wrapped.
func ScoreCustomers(ctx context.Context, bg BGNBD, gg GammaGamma, cs []Customer, opt ScoreOptions) ([]Score, error) {
	opt, err := opt.resolve(bg, gg)
	if err != nil {
		return nil, fmt.Errorf("score customers: %w", err)
	}
	out := make([]Score, len(cs))
	errs := make([]error, numChunks(len(cs)))
	forEachChunk(len(cs), opt.Workers, func(k, lo, hi int) {
		if errs[k] = ctx.Err(); errs[k] != nil {
			return
		}
		for i := lo; i < hi && errs[k] == nil; i++ {
			out[i], errs[k] = scoreOne(bg, gg, cs[i], opt)
			if errs[k] != nil {
				errs[k] = fmt.Errorf("customer %d: %w", i, errs[k])
			}
		}
	})
	for _, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("score customers: %w", err)
		}
	}
	return out, nil
}

// scoreOne scores one customer for resolved options.
func scoreOne(bg BGNBD, gg GammaGamma, c Customer, opt ScoreOptions) (Score, error) {
	if err := c.Validate(); err != nil {
		return Score{}, err
	}
	s := Score{PAlive: bg.pAlive(c.X, c.TX, c.T)}
	var err error
	if s.ExpectedPurchases, err = bg.conditionalExpected(opt.Horizon, c.X, c.TX, c.T, s.PAlive); err != nil {
		return Score{}, err
	}
	if s.ExpectedAOV, err = gg.expectedAOV(c.X, c.M); err != nil {
		return Score{}, fmt.Errorf("expected order value: %w", err)
	}
	if opt.Months > 0 {
		if s.CLV, err = clvSum(bg, c, s.PAlive, s.ExpectedAOV, opt); err != nil {
			return Score{}, err
		}
	}
	return s, nil
}
