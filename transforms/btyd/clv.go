package btyd

import (
	"fmt"
	"math"
)

// WeeksPerMonth is the mean number of weeks in a month, 52/12: the default
// month length when the model's time unit is weeks.
const WeeksPerMonth = 52.0 / 12

// CLV returns the discounted value of customer c over the next months
// months:
//
//	Σ_{i=1..months} (E(i w) - E((i-1) w)) × V / (1+monthlyDiscount)^i,
//
// where E(t) = bg.ConditionalExpected(t, c.X, c.TX, c.T) is the expected
// purchases in (T, T+t], V = gg.ExpectedAOV(c.X, c.M) the expected value per
// purchase and w = weeksPerMonth the length of a month in the model's time
// unit (0 means WeeksPerMonth). The value is 0 when months is 0 or when
// P(alive) is 0, in which case no order value is computed. Errors wrap
// ErrInvalidInput (invalid models or customer, months < 0, a discount rate
// <= -1, a negative month length, non-finite values), ErrUndefined (an
// infinite expected order value, see ExpectedAOV) or come from the 2F1
// evaluation.
func CLV(bg BGNBD, gg GammaGamma, c Customer, months int, monthlyDiscount float64, weeksPerMonth float64) (float64, error) {
	opt := ScoreOptions{Months: months, MonthlyDiscount: monthlyDiscount, WeeksPerMonth: weeksPerMonth}
	opt, err := opt.resolve(bg, gg)
	if err == nil {
		err = c.Validate()
	}
	if err != nil {
		return 0, fmt.Errorf("clv: %w", err)
	}
	pAlive := bg.pAlive(c.X, c.TX, c.T)
	if pAlive == 0 || months == 0 {
		return 0, nil
	}
	aov, err := gg.expectedAOV(c.X, c.M)
	if err != nil {
		return 0, fmt.Errorf("clv: expected order value: %w", err)
	}
	v, err := clvSum(bg, c, pAlive, aov, opt)
	if err != nil {
		return 0, fmt.Errorf("clv: %w", err)
	}
	return v, nil
}

// clvSum is the CLV of a valid customer given its P(alive) and expected
// order value, for resolved options.
func clvSum(bg BGNBD, c Customer, pAlive, aov float64, opt ScoreOptions) (float64, error) {
	if pAlive == 0 {
		return 0, nil
	}
	total, prev := 0.0, 0.0
	for i := 1; i <= opt.Months; i++ {
		e, err := bg.conditionalExpected(float64(i)*opt.WeeksPerMonth, c.X, c.TX, c.T, pAlive)
		if err != nil {
			return 0, err
		}
		total += (e - prev) * aov / math.Pow(1+opt.MonthlyDiscount, float64(i))
		prev = e
	}
	return finiteResult(total)
}

// ScoreOptions configures ScoreCustomers (and, through its arguments, CLV).
type ScoreOptions struct {
	// Horizon is the period, in the model's time unit, of
	// Score.ExpectedPurchases; it must be finite and >= 0.
	Horizon float64
	// Months is the CLV horizon in months, >= 0.
	Months int
	// MonthlyDiscount is the CLV's discount rate per month, finite and
	// > -1 (0.01 is 1 %).
	MonthlyDiscount float64
	// WeeksPerMonth is the length of a month in the model's time unit; 0
	// means the constant WeeksPerMonth.
	WeeksPerMonth float64
	// Workers is the number of goroutines; 0 means runtime.GOMAXPROCS(0).
	// The scores do not depend on it.
	Workers int
}

// DefaultScoreOptions returns the product's defaults for weekly data:
// expected purchases over the next 90 days (90/7 weeks) and a 12-month CLV
// discounted at 1 % a month.
func DefaultScoreOptions() ScoreOptions {
	return ScoreOptions{Horizon: 90.0 / 7, Months: 12, MonthlyDiscount: 0.01, WeeksPerMonth: WeeksPerMonth}
}

// resolve validates o and the models and fills in the defaults.
func (o ScoreOptions) resolve(bg BGNBD, gg GammaGamma) (ScoreOptions, error) {
	if err := bg.Validate(); err != nil {
		return o, err
	}
	if err := gg.Validate(); err != nil {
		return o, err
	}
	if !isFinite(o.Horizon) || o.Horizon < 0 || o.Months < 0 || o.Workers < 0 ||
		!isFinite(o.MonthlyDiscount) || o.MonthlyDiscount <= -1 ||
		!isFinite(o.WeeksPerMonth) || o.WeeksPerMonth < 0 {
		return o, fmt.Errorf("%w: score options %+v", ErrInvalidInput, o)
	}
	if o.WeeksPerMonth == 0 {
		o.WeeksPerMonth = WeeksPerMonth
	}
	o.Workers = defaultWorkers(o.Workers)
	return o, nil
}
