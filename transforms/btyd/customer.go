package btyd

import (
	"fmt"
	"math"
)

// Customer is one customer's purchase summary at the end of the calibration
// period, the input of every model in this package.
type Customer struct {
	// X is the frequency: the number of repeat purchase days (purchase
	// days after the first one). A whole number, zero or more.
	X float64
	// TX is the recency: the time from the first to the last purchase,
	// between 0 and T. It is ignored when X is 0.
	TX float64
	// T is the customer's age: the time from the first purchase to the end
	// of the calibration period, zero or more.
	T float64
	// M is the mean value of the repeat purchase days; 0 when X is 0.
	// Customers with X > 0 and M <= 0 are left out of the Gamma-Gamma fit.
	M float64
}

// Validate reports whether c is a valid summary: finite fields, X a whole
// number >= 0, T >= 0 and, when X > 0, 0 <= TX <= T. The error wraps
// ErrInvalidInput.
func (c Customer) Validate() error {
	switch {
	case !isFinite(c.X) || !isFinite(c.TX) || !isFinite(c.T) || !isFinite(c.M):
		return fmt.Errorf("%w: non-finite field in %+v", ErrInvalidInput, c)
	case c.X < 0 || c.X != math.Trunc(c.X):
		return fmt.Errorf("%w: frequency %g is not a whole number >= 0", ErrInvalidInput, c.X)
	case c.T < 0:
		return fmt.Errorf("%w: negative age %g", ErrInvalidInput, c.T)
	case c.X > 0 && (c.TX < 0 || c.TX > c.T):
		return fmt.Errorf("%w: recency %g outside [0, age %g]", ErrInvalidInput, c.TX, c.T)
	}
	return nil
}

// validateCustomers checks every customer and names the first invalid one.
func validateCustomers(cs []Customer) error {
	for i, c := range cs {
		if err := c.Validate(); err != nil {
			return fmt.Errorf("customer %d: %w", i, err)
		}
	}
	return nil
}

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// allPositive reports whether every value is finite and > 0.
func allPositive(vs ...float64) bool {
	for _, v := range vs {
		if !isFinite(v) || v <= 0 {
			return false
		}
	}
	return true
}
