package deseq

import (
	"math"

	"github.com/her2het/her2het/core/dist"
)

// Dispersion estimation: the log posterior of log α with the Cox–Reid
// adjustment, its derivative, DESeq2's Armijo line search (C++ fitDisp) and
// the two-stage grid search (fitDispGrid), DESeq2 1.38.3 src/DESeq2.cpp.

// design holds the model matrix and its per-sample outer products x_j x_jᵀ in a
// sparse form (only non-zero products, upper triangle), so that XᵀWX costs
// O(non-zeros) per evaluation.
type design struct {
	m, p      int
	X         []float64 // m x p row-major
	pairStart []int32   // m+1 offsets into pairIdx/pairVal
	pairIdx   []int32   // k*p+l with k <= l
	pairVal   []float64 // x_jk * x_jl
}

func newDesign(X []float64, m, p int) *design {
	d := &design{m: m, p: p, X: X, pairStart: make([]int32, m+1)}
	for j := 0; j < m; j++ {
		row := X[j*p : (j+1)*p]
		for k := 0; k < p; k++ {
			if row[k] == 0 {
				continue
			}
			for l := k; l < p; l++ {
				if row[l] == 0 {
					continue
				}
				d.pairIdx = append(d.pairIdx, int32(k*p+l))
				d.pairVal = append(d.pairVal, row[k]*row[l])
			}
		}
		d.pairStart[j+1] = int32(len(d.pairIdx))
	}
	return d
}

// dispWork is the per-worker scratch space for the dispersion routines.
type dispWork struct {
	d                 *design
	B, dB, L, inv, tm []float64
	ly                []float64 // per-sample cache: unused slot kept for symmetry
}

func newDispWork(d *design) *dispWork {
	p := d.p
	return &dispWork{d: d, B: make([]float64, p*p), dB: make([]float64, p*p), L: make([]float64, p*p),
		inv: make([]float64, p*p), tm: make([]float64, p)}
}

// accumulate B = Xᵀ diag(w) X into dst (symmetric, both triangles filled).
func (dw *dispWork) xtwx(dst []float64, w func(j int) float64) {
	d := dw.d
	p := d.p
	for i := range dst[:p*p] {
		dst[i] = 0
	}
	for j := 0; j < d.m; j++ {
		wj := w(j)
		for q := d.pairStart[j]; q < d.pairStart[j+1]; q++ {
			dst[d.pairIdx[q]] += wj * d.pairVal[q]
		}
	}
	for k := 0; k < p; k++ {
		for l := k + 1; l < p; l++ {
			dst[l*p+k] = dst[k*p+l]
		}
	}
}

// logDetB returns log det(B) of the symmetric B in dw.B via Cholesky (copy in
// dw.L); if B is not positive definite it falls back to LU.
func (dw *dispWork) logDetB() float64 {
	p := dw.d.p
	copy(dw.L, dw.B)
	if cholesky(dw.L, p) {
		var s float64
		for k := 0; k < p; k++ {
			s += math.Log(dw.L[k*p+k])
		}
		return 2 * s
	}
	copy(dw.L, dw.B)
	ld, sign := luLogDet(dw.L, p)
	if sign <= 0 {
		return math.NaN() // log of a non-positive determinant
	}
	return ld
}

// logPost is DESeq2's log_posterior: the NB log likelihood of raw counts y at
// means mu with dispersion α = exp(la), minus ½ log det(XᵀWX) with
// W = diag(1/(1/μ + α)), plus the normal prior on log α when usePrior.
func (dw *dispWork) logPost(la float64, y, mu []float64, priorMean, priorVar float64, usePrior bool) float64 {
	alpha := math.Exp(la)
	r := 1 / alpha
	lgr := dist.Lgamma(r)
	var ll float64
	for j, yj := range y {
		m := mu[j]
		var lgy float64
		if yj == 0 {
			lgy = lgr
		} else {
			lgy = dist.Lgamma(yj + r)
		}
		ll += lgy - lgr - yj*math.Log(m+r) - r*math.Log(1.0+m*alpha)
	}
	dw.xtwx(dw.B, func(j int) float64 { return 1 / (1/mu[j] + alpha) })
	cr := -0.5 * dw.logDetB()
	prior := 0.0
	if usePrior {
		dd := la - priorMean
		prior = -0.5 * dd * dd / priorVar
	}
	return ll + prior + cr
}

// dlogPost is DESeq2's dlog_posterior, the derivative of logPost with respect
// to log α.
func (dw *dispWork) dlogPost(la float64, y, mu []float64, priorMean, priorVar float64, usePrior bool) float64 {
	alpha := math.Exp(la)
	r := 1 / alpha
	dgr := dist.Digamma(r)
	var s float64
	for j, yj := range y {
		m := mu[j]
		var dgy float64
		if yj == 0 {
			dgy = dgr
		} else {
			dgy = dist.Digamma(yj + r)
		}
		s += dgr + math.Log(1+m*alpha) - m*alpha/(1.0+m*alpha) - dgy + yj/(m+r)
	}
	ll := s / (alpha * alpha)
	p := dw.d.p
	dw.xtwx(dw.B, func(j int) float64 { return 1 / (1/mu[j] + alpha) })
	dw.xtwx(dw.dB, func(j int) float64 { t := 1/mu[j] + alpha; return -1 / (t * t) })
	copy(dw.L, dw.B)
	var tr float64
	if cholesky(dw.L, p) {
		cholInverse(dw.L, p, dw.inv, dw.tm)
		for i := 0; i < p*p; i++ {
			tr += dw.inv[i] * dw.dB[i]
		}
	} else {
		tr = math.NaN()
	}
	cr := -0.5 * tr
	prior := 0.0
	if usePrior {
		prior = -(la - priorMean) / priorVar
	}
	return (ll+cr)*alpha + prior
}

// fitDispResult holds what DESeq2's fitDisp returns for one gene.
type fitDispResult struct {
	logAlpha  float64
	iter      int
	initialLP float64
	lastLP    float64
}

// fitDisp maximises the log posterior over a = log α from a0 by DESeq2's
// backtracking line search along the gradient with the Armijo rule
// (ε = 1e-4; κ grows by 1.1 up to κ0 after an accepted step and halves every
// 5 accepts or on a rejection; log α is kept in [-30, 10]). It stops when the
// increase of the log posterior is below tol, when a < minLogAlpha, or after
// maxit proposals.
func (dw *dispWork) fitDisp(y, mu []float64, a0, priorMean, priorVar, minLogAlpha, kappa0, tol float64, maxit int, usePrior bool) fitDispResult {
	const eps = 1e-4
	a := a0
	lp := dw.logPost(a, y, mu, priorMean, priorVar, usePrior)
	dlp := dw.dlogPost(a, y, mu, priorMean, priorVar, usePrior)
	kappa := kappa0
	res := fitDispResult{initialLP: lp}
	iterAccept := 0
	for t := 0; t < maxit; t++ {
		res.iter++
		aProp := a + kappa*dlp
		if aProp < -30 {
			kappa = (-30 - a) / dlp
		}
		if aProp > 10 {
			kappa = (10 - a) / dlp
		}
		thetaKappa := -dw.logPost(a+kappa*dlp, y, mu, priorMean, priorVar, usePrior)
		thetaHatKappa := -lp - kappa*eps*dlp*dlp
		if thetaKappa <= thetaHatKappa {
			iterAccept++
			a = a + kappa*dlp
			lpnew := dw.logPost(a, y, mu, priorMean, priorVar, usePrior)
			change := lpnew - lp
			if change < tol {
				lp = lpnew
				break
			}
			if a < minLogAlpha {
				break
			}
			lp = lpnew
			dlp = dw.dlogPost(a, y, mu, priorMean, priorVar, usePrior)
			kappa = math.Min(kappa*1.1, kappa0)
			if iterAccept%5 == 0 {
				kappa = kappa / 2
			}
		} else {
			kappa = kappa / 2
		}
	}
	res.lastLP = lp
	res.logAlpha = a
	return res
}

// fitDispGrid is DESeq2's fitDispGrid with its R wrapper: the log posterior on
// 20 points equally spaced in log α over [log 1e-8, log max(10, m)], then on
// 20 points over [â-δ, â+δ] around the best one (δ the coarse spacing); the
// first maximum wins. It returns α.
func (dw *dispWork) fitDispGrid(y, mu []float64, priorMean, priorVar float64, usePrior bool) float64 {
	const n = 20
	lo := math.Log(1e-8)
	hi := math.Log(math.Max(10, float64(dw.d.m)))
	by := (hi - lo) / (n - 1)
	best, bestLP := 0.0, math.Inf(-1)
	for t := 0; t < n; t++ {
		a := lo + float64(t)*by
		if t == n-1 {
			a = hi
		}
		lp := dw.logPost(a, y, mu, priorMean, priorVar, usePrior)
		if lp > bestLP || t == 0 {
			best, bestLP = a, lp
		}
	}
	delta := (lo + by) - lo
	flo, fhi := best-delta, best+delta
	fby := (fhi - flo) / (n - 1)
	fbest, fbestLP := flo, math.Inf(-1)
	for t := 0; t < n; t++ {
		a := flo + float64(t)*fby
		if t == n-1 {
			a = fhi
		}
		lp := dw.logPost(a, y, mu, priorMean, priorVar, usePrior)
		if lp > fbestLP || t == 0 {
			fbest, fbestLP = a, lp
		}
	}
	return math.Exp(fbest)
}
