// Package btyd fits and scores the "buy till you die" customer-base models
// used for the customer_metrics table: the BG/NBD model of repeat purchasing,
// the Gamma-Gamma model of spend per transaction, and the customer lifetime
// value (CLV) that combines them.
//
// # Data
//
// Every model works on per-customer summaries (Customer): the number of repeat
// purchase days X (purchases on the same day merged, the first purchase not
// counted), the recency TX (time from the first to the last purchase), the age
// T (time from the first purchase to the end of the calibration period) and the
// mean value M of the repeat purchase days. The package is unit-agnostic, but
// the pipeline uses weeks (days / 7), and WeeksPerMonth converts months.
//
// # BG/NBD
//
// Fader, Hardie and Lee (2005), "Counting Your Customers the Easy Way: An
// Alternative to the Pareto/NBD Model", Marketing Science 24(2): while alive, a
// customer buys as a Poisson process with rate λ ~ Gamma(r, α) (shape r, rate
// α); after every purchase the customer drops out with probability
// p ~ Beta(a, b). FitBGNBD maximises the likelihood of equation (6) of the
// paper. Following Fader and Hardie's note "Overcoming the BG/NBD Model's #NUM!
// Error Problem" (2013), the per-customer likelihood is computed in log space and
// its two terms are combined with log-sum-exp. The optimiser (gonum BFGS) works
// on the logarithms of the parameters, so they stay positive, with the analytic
// gradient.
//
// P(alive) follows Fader, Hardie and Lee's note "Computing P(alive) Using the
// BG/NBD Model" (2008); the expected number of purchases in a future period,
// unconditionally and conditionally on a customer's history, are equations
// (7) and (10) of the paper. Both need the Gaussian hypergeometric function
// 2F1 (Hyp2F1). The closed forms carry a factor 1/(a-1) that the paper's
// derivation restricts to a > 1; the expressions are analytic in a and hold
// for a < 1 too (the published CDNOW figures use a = 0.79), while a = 1 is a
// removable singularity. See BGNBD.Expected for how it is handled.
//
// # Gamma-Gamma
//
// Fader and Hardie (2013), "The Gamma-Gamma Model of Monetary Value": a
// customer's transaction values are Gamma(p, ν) with ν ~ Gamma(q, γ) across
// customers, independent of the purchase process. FitGammaGamma fits it on the
// customers with at least one repeat purchase day and a positive mean value;
// GammaGamma.ExpectedAOV is the posterior mean value per transaction.
//
// # CLV
//
// CLV discounts, month by month, the expected purchases of the month (from the
// BG/NBD) times the expected value per purchase (from the Gamma-Gamma), as in
// Fader, Hardie and Lee (2005), "RFM and CLV: Using Iso-Value Curves for
// Customer Base Analysis", Journal of Marketing Research 42(4).
// ScoreCustomers computes every per-customer figure the pipeline publishes.
//
// # Numerics
//
// Nothing returns NaN or an infinity without an error: inputs are validated
// (Customer.Validate, BGNBD.Validate, GammaGamma.Validate), undefined
// quantities wrap ErrUndefined, and series that do not converge wrap
// ErrNotConverged.
//
// A fit has converged when the gradient of the log-likelihood is within
// tolerance and the likelihood is curved downwards in every direction, the
// curvature (a numerical Hessian of the analytic gradient) also giving the
// parameters' standard errors; otherwise the fit says why and its error wraps
// ErrNotConverged. Fits are deterministic: the likelihood is evaluated in
// parallel over fixed-size chunks of customers whose partial sums are added
// in chunk order, so the same input gives bit-identical parameters whatever
// the number of goroutines. Identical summaries are collapsed into weighted
// rows first, which makes day-grained real data much cheaper to fit.
//
// The package does no I/O.
package btyd
