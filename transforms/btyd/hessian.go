package btyd

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
)

const (
	// hessianStep is the central-difference step, in log-parameters, of
	// the numerical Hessian.
	hessianStep = 1e-4
	// maxNewtonStep is the largest change of any log-parameter that a
	// Newton step from a converged point may propose.
	maxNewtonStep = 1e-6
	// maxCondition is the largest accepted condition number of the
	// Hessian at a maximum: beyond it the likelihood is flat in some
	// direction and the parameters are not identified by the data (for
	// example a single customer, whose best fit drifts to infinity).
	maxCondition = 1e6
)

// curvature checks that theta is a strict, well-identified maximum of the
// likelihood whose negative mean per customer over n customers is f, with
// gradient grad at theta. It returns the asymptotic standard errors of the
// log-parameters (the square roots of the diagonal of the inverse observed
// information) and the Newton step H⁻¹ grad, or a reason when the Hessian H
// is not positive definite or is worse conditioned than maxCondition.
func curvature(f negLogLik, theta, grad []float64, n float64) (stdErr, step []float64, reason string) {
	var eig mat.EigenSym
	if !eig.Factorize(hessian(f, theta), true) {
		return nil, nil, "the eigendecomposition of the Hessian failed"
	}
	values := eig.Values(nil) // ascending
	lo, hi := values[0], values[len(values)-1]
	if !(lo > 0) || hi > maxCondition*lo {
		return nil, nil, fmt.Sprintf("the likelihood is flat or curved the wrong way at the optimum "+
			"(Hessian eigenvalues %.3g to %.3g): the parameters are not identified by these data", lo, hi)
	}
	var vectors mat.Dense
	eig.VectorsTo(&vectors)
	stdErr, step = make([]float64, len(theta)), make([]float64, len(theta))
	for k, v := range values {
		proj := 0.0 // component of grad along eigenvector k
		for j := range grad {
			proj += vectors.At(j, k) * grad[j]
		}
		for i := range theta {
			u := vectors.At(i, k)
			stdErr[i] += u * u / v
			step[i] += u * proj / v
		}
	}
	for i := range stdErr {
		stdErr[i] = math.Sqrt(stdErr[i] / n)
	}
	return stdErr, step, ""
}

// hessian returns the Hessian of f at theta by central differences of its
// analytic gradient, symmetrised.
func hessian(f negLogLik, theta []float64) *mat.SymDense {
	dim := len(theta)
	cols := make([][]float64, dim)
	up, down := make([]float64, dim), make([]float64, dim)
	for j := range dim {
		x := slices.Clone(theta)
		x[j] = theta[j] + hessianStep
		f(x, up)
		x[j] = theta[j] - hessianStep
		f(x, down)
		cols[j] = make([]float64, dim)
		for i := range dim {
			cols[j][i] = (up[i] - down[i]) / (2 * hessianStep)
		}
	}
	h := mat.NewSymDense(dim, nil)
	for i := range dim {
		for j := i; j < dim; j++ {
			h.SetSym(i, j, (cols[i][j]+cols[j][i])/2)
		}
	}
	return h
}
