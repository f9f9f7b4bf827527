package edger

import (
	"math"
	"sort"

	"github.com/her2het/her2het/core/design"
	"github.com/her2het/her2het/core/fmath"
)

// unitDeviance is the negative binomial unit deviance of edgeR 3.40.2
// (src/nbdev.cpp, compute_unit_nb_deviance): with y and mu shifted by 1e-8,
//
//	phi < 1e-4:      2(y log(y/mu) - (y-mu) - ½(y-mu)²phi)   (Poisson side; edgeR's
//	                 cubic term is 2/3 in integer arithmetic, i.e. 0, and so is ours)
//	mu·phi > 1e6:    2((y-mu)/mu - log(y/mu))·mu/(1+mu·phi)  (gamma side)
//	otherwise:       2(y log(y/mu) + (y+1/phi) log((mu+1/phi)/(y+1/phi)))
func unitDeviance(y, mu, phi float64) float64 {
	y += 1e-8
	mu += 1e-8
	if phi < 1e-4 {
		r := y - mu
		return 2 * (y*fmath.Log(y/mu) - r - 0.5*r*r*phi*(1+phi*(0*r-y)))
	}
	product := mu * phi
	if product > 1e6 {
		return 2 * ((y-mu)/mu - fmath.Log(y/mu)) * mu / (1 + product)
	}
	inv := 1 / phi
	return 2 * (y*fmath.Log(y/mu) + (y+inv)*fmath.Log((mu+inv)/(y+inv)))
}

// deviance sums the unit deviances of one gene (unit weights).
func deviance(y, mu []float64, phi float64) float64 {
	d := 0.0
	for i := range y {
		d += unitDeviance(y[i], mu[i], phi)
	}
	return d
}

// oneGroup is edgeR's glm_one_group (mglmOneGroup, maxit 50, tol 1e-10): the
// Newton-Raphson estimate of log(mean) of one group of counts with offsets.
// start NaN starts from the log of the weighted mean ratio of counts to library
// sizes; an all-zero group gives -Inf. With phi == 0 and no start logic it is
// the Poisson closed form log(Σy/Σexp(off)) when poisson is true.
//
// eo, when not nil, holds exp(off): the means are then exp(β)·eo_i rather
// than exp(β + off_i) (one exponential per iteration instead of one per
// sample; the two differ by an ulp or two, far below the iteration's
// tolerance). estimateDisp's grid uses it.
func oneGroup(y, off, eo []float64, phi, start float64, poisson bool) float64 {
	const lowValue = 1e-10
	if poisson && phi == 0 {
		sl, sy := 0.0, 0.0
		for i := range off {
			if eo != nil {
				sl += eo[i]
			} else {
				sl += fmath.Exp(off[i])
			}
		}
		for i := range y {
			sy += y[i]
		}
		if sy == 0 {
			return math.Inf(-1)
		}
		return fmath.Log(sy / sl)
	}
	allZero := true
	beta := start
	if math.IsNaN(start) {
		beta = 0
		tot := 0.0
		for i := range y {
			if y[i] > lowValue {
				if eo != nil {
					beta += y[i] / eo[i]
				} else {
					beta += y[i] / fmath.Exp(off[i])
				}
				allZero = false
			}
			tot++
		}
		beta = fmath.Log(beta / tot)
	} else {
		for i := range y {
			if y[i] > lowValue {
				allZero = false
				break
			}
		}
	}
	if allZero {
		return math.Inf(-1)
	}
	for it := 0; it < 50; it++ {
		dl, info := 0.0, 0.0
		eb := 0.0
		if eo != nil {
			eb = fmath.Exp(beta)
		}
		for i := range y {
			var mu float64
			if eo != nil {
				mu = eb * eo[i]
			} else {
				mu = fmath.Exp(beta + off[i])
			}
			den := 1 + mu*phi
			dl += (y[i] - mu) / den
			info += mu / den
		}
		step := dl / info
		beta += step
		if math.Abs(step) < 1e-10 {
			break
		}
	}
	return beta
}

// glmDesign is a design prepared for edgeR's glmFit: column-major X, and the
// one-way layout of designAsFactor when the design is one.
type glmDesign struct {
	n, p int
	x    []float64 // column-major: x[j*n+i]
	// one-way layout (mglmOneWay): group of each sample (levels sorted as
	// R's factor() of the row means), the first row of each group, and
	// whether that matrix is a permutation (edgeR then sets design <- NULL).
	oneway  bool
	group   []int
	ngroups int
	uniq    []float64 // ngroups x p row-major (designunique)
	perm    bool
	// nullStart: least-squares solution v of X v = 1 (Levenberg's "null" start is c·v).
	nullStart []float64
	// sp, for designs with sparseMinP columns or more: the sparse linear
	// algebra of the Levenberg fits and Cox-Reid adjustments.
	sp *sparseDesign
}

// newGLMDesign prepares a row-major n x p design.
func newGLMDesign(xr []float64, n, p int) *glmDesign {
	d := &glmDesign{n: n, p: p, x: make([]float64, n*p)}
	for i := 0; i < n; i++ {
		for j := 0; j < p; j++ {
			d.x[j*n+i] = xr[i*p+j]
		}
	}
	// designAsFactor: rowMeans(design * z^(col-1)), z = (e+pi)/5.
	z := (math.E + math.Pi) / 5
	means := make([]float64, n)
	for i := 0; i < n; i++ {
		s, zp := 0.0, 1.0
		for j := 0; j < p; j++ {
			s += xr[i*p+j] * zp
			zp *= z
		}
		means[i] = s / float64(p)
	}
	lv := append([]float64(nil), means...)
	sort.Float64s(lv)
	u := lv[:0]
	for i, v := range lv {
		if i == 0 || v != u[len(u)-1] {
			u = append(u, v)
		}
	}
	if len(u) == p {
		d.oneway = true
		d.ngroups = p
		d.group = make([]int, n)
		for i := range means {
			d.group[i] = sort.SearchFloat64s(u, means[i])
		}
		d.uniq = make([]float64, p*p)
		ones, zeros := 0, 0
		for g := 0; g < p; g++ {
			for i := 0; i < n; i++ {
				if d.group[i] == g {
					copy(d.uniq[g*p:(g+1)*p], xr[i*p:(i+1)*p])
					break
				}
			}
		}
		for _, v := range d.uniq {
			if v == 1 {
				ones++
			} else if v == 0 {
				zeros++
			}
		}
		d.perm = ones == p && zeros == (p-1)*p
	}
	if p >= sparseMinP {
		d.sp = newSparseDesign(xr, n, p)
	}
	// Levenberg "null" start: least squares of X v = 1 by Householder QR.
	q := design.NewQR(xr, n, p, 1e-7)
	one := make([]float64, n)
	for i := range one {
		one[i] = 1
	}
	q.QtY(one)
	v := make([]float64, p)
	q.SolveR(one, v)
	d.nullStart = make([]float64, p)
	for k := 0; k < p; k++ {
		d.nullStart[q.Pivot[k]] = v[k]
	}
	return d
}

// glmWork holds per-worker scratch space for gene fits.
type glmWork struct {
	beta, nbeta, dl, db, xtwx, xtwc, mu, nmu, zw, drv, gbeta, gy, goff []float64
	// eoff, when set by the caller, is exp(off) of the offsets passed to
	// fit (the one-way path then multiplies instead of exponentiating per
	// sample); geo is its per-group gather.
	eoff, geo []float64
}

func newGLMWork(n, p int) *glmWork {
	return &glmWork{
		beta: make([]float64, p), nbeta: make([]float64, p), dl: make([]float64, p), db: make([]float64, p),
		xtwx: make([]float64, p*p), xtwc: make([]float64, p*p), mu: make([]float64, n), nmu: make([]float64, n),
		zw: make([]float64, n), drv: make([]float64, n), gbeta: make([]float64, p), gy: make([]float64, n), goff: make([]float64, n),
		geo: make([]float64, n),
	}
}

// fit is edgeR's glmFit for one gene without prior counts (unit weights): the
// one-way fit (mglmOneWay + nbinomDeviance) when the design is a one-way
// layout, Levenberg-damped Fisher scoring (mglmLevenberg, maxit 250,
// tol 1e-6) otherwise. start (length p) may be nil. It writes the
// coefficients to beta and the fitted values to mu and returns the deviance.
// Coefficients of an all-zero gene are NaN under Levenberg (edgeR's NA).
func (d *glmDesign) fit(y, off []float64, phi float64, start, beta, mu []float64, w *glmWork) float64 {
	if d.oneway {
		d.fitOneWay(y, off, phi, start, beta, mu, w)
		return deviance(y, mu, phi)
	}
	return d.fitLevenberg(y, off, phi, start, beta, mu, w)
}

// fitMu is fit when only the coefficients and fitted values are needed
// (adjustedProfileLik): the one-way path skips the deviance.
func (d *glmDesign) fitMu(y, off []float64, phi float64, start, beta, mu []float64, w *glmWork) {
	if d.oneway {
		d.fitOneWay(y, off, phi, start, beta, mu, w)
		return
	}
	d.fitLevenberg(y, off, phi, start, beta, mu, w)
}

func (d *glmDesign) fitOneWay(y, off []float64, phi float64, start, beta, mu []float64, w *glmWork) {
	p := d.p
	gb := w.gbeta[:d.ngroups]
	for g := 0; g < d.ngroups; g++ {
		st := math.NaN()
		if start != nil {
			if d.perm {
				st = start[g]
			} else {
				s := 0.0
				for k := 0; k < p; k++ {
					s += start[k] * d.uniq[g*p+k]
				}
				st = s
			}
		}
		ny := 0
		for i := 0; i < d.n; i++ {
			if d.group[i] == g {
				w.gy[ny] = y[i]
				w.goff[ny] = off[i]
				if w.eoff != nil {
					w.geo[ny] = w.eoff[i]
				}
				ny++
			}
		}
		var geo []float64
		if w.eoff != nil {
			geo = w.geo[:ny]
		}
		b := oneGroup(w.gy[:ny], w.goff[:ny], geo, phi, st, true)
		if b < -1e8 {
			b = -1e8
		}
		gb[g] = b
	}
	if w.eoff != nil {
		for g := range gb {
			w.nbeta[g] = fmath.Exp(gb[g])
		}
		for i := 0; i < d.n; i++ {
			mu[i] = w.nbeta[d.group[i]] * w.eoff[i]
		}
	} else {
		for i := 0; i < d.n; i++ {
			mu[i] = fmath.Exp(off[i] + gb[d.group[i]])
		}
	}
	if d.perm {
		copy(beta, gb)
	} else {
		solveSmall(d.uniq, gb, beta, p, w.xtwc)
	}
}

// solveSmall solves A x = b for a p x p row-major A by Gaussian elimination
// with partial pivoting (LAPACK dgesv's LU, as R's solve()); scratch has p*p.
func solveSmall(a, b, x []float64, p int, scratch []float64) {
	lu := scratch[:p*p]
	copy(lu, a)
	copy(x, b)
	for k := 0; k < p; k++ {
		piv := k
		for i := k + 1; i < p; i++ {
			if math.Abs(lu[i*p+k]) > math.Abs(lu[piv*p+k]) {
				piv = i
			}
		}
		if piv != k {
			for j := 0; j < p; j++ {
				lu[k*p+j], lu[piv*p+j] = lu[piv*p+j], lu[k*p+j]
			}
			x[k], x[piv] = x[piv], x[k]
		}
		for i := k + 1; i < p; i++ {
			f := lu[i*p+k] / lu[k*p+k]
			if f == 0 {
				continue
			}
			for j := k + 1; j < p; j++ {
				lu[i*p+j] -= f * lu[k*p+j]
			}
			x[i] -= f * x[k]
		}
	}
	for k := p - 1; k >= 0; k-- {
		s := x[k]
		for j := k + 1; j < p; j++ {
			s -= lu[k*p+j] * x[j]
		}
		x[k] = s / lu[k*p+k]
	}
}

// linPred sets mu = exp(off + X b) in dgemv's column order.
func (d *glmDesign) linPred(b, off, mu []float64) {
	n := d.n
	copy(mu, off)
	for j := 0; j < d.p; j++ {
		bj := b[j]
		col := d.x[j*n : (j+1)*n]
		for i := range mu {
			mu[i] += bj * col[i]
		}
	}
	for i := range mu {
		mu[i] = fmath.Exp(mu[i])
	}
}

func (d *glmDesign) fitLevenberg(y, off []float64, phi float64, start, beta, mu []float64, w *glmWork) float64 {
	const (
		lowValue  = 1e-10
		millionth = 1e-6
		supLow    = 1e-13
		ridicLow  = 1e-100
		tol       = 1e-6
		maxit     = 250
	)
	n, p := d.n, d.p
	ymax := 0.0
	for _, v := range y {
		if v > ymax {
			ymax = v
		}
	}
	if ymax < lowValue {
		for k := 0; k < p; k++ {
			beta[k] = math.NaN()
		}
		for i := range mu {
			mu[i] = 0
		}
		return 0
	}
	if start != nil {
		copy(beta, start)
	} else {
		sw, se := 0.0, 0.0
		for i := 0; i < n; i++ {
			cn := fmath.Exp(off[i])
			cw := cn / (1 + phi*cn)
			se += y[i] * cw / cn
			sw += cw
		}
		c := fmath.Log(se / sw)
		for k := 0; k < p; k++ {
			beta[k] = c * d.nullStart[k]
		}
	}
	sp := d.sp
	pred := d.linPred
	if sp != nil {
		pred = sp.linPred
	}
	pred(beta, off, mu)
	dev := deviance(y, mu, phi)
	maxInfo, lambda := -1.0, 0.0
	xtwx, xtwc, dl, db, nb, nmu := w.xtwx, w.xtwc, w.dl, w.db, w.nbeta, w.nmu[:n]
	for iter := 1; iter <= maxit; iter++ {
		for i := 0; i < n; i++ {
			den := 1 + mu[i]*phi
			w.zw[i] = mu[i] / den
			w.drv[i] = (y[i] - mu[i]) / den
		}
		if sp != nil {
			// permuted coordinates: XᵀWX upper triangle, dl, the diagonal
			sp.xtwx(w.zw, xtwx)
			for k := range dl {
				dl[k] = 0
			}
			for i := 0; i < n; i++ {
				for t, c := range sp.rowIdx[i] {
					dl[c] += w.drv[i] * sp.rowVal[i][t]
				}
			}
			for a := 0; a < p; a++ {
				if xtwx[a*p+a] > maxInfo {
					maxInfo = xtwx[a*p+a]
				}
			}
		}
		for a := 0; a < p && sp == nil; a++ {
			ca := d.x[a*n : (a+1)*n]
			for b := 0; b <= a; b++ {
				cb := d.x[b*n : (b+1)*n]
				s := 0.0
				for i := 0; i < n; i++ {
					s += ca[i] * cb[i] * w.zw[i]
				}
				xtwx[a*p+b] = s
				xtwx[b*p+a] = s
			}
		}
		for a := 0; a < p && sp == nil; a++ {
			ca := d.x[a*n : (a+1)*n]
			s := 0.0
			for i := 0; i < n; i++ {
				s += w.drv[i] * ca[i]
			}
			dl[a] = s
			if xtwx[a*p+a] > maxInfo {
				maxInfo = xtwx[a*p+a]
			}
		}
		if iter == 1 {
			lambda = maxInfo * millionth
			if lambda < supLow {
				lambda = supLow
			}
		}
		lev, lowDev, failed := 0, false, false
		for {
			lev++
			for {
				if sp != nil {
					sp.copyCells(xtwc, xtwx, lambda)
					if sp.chol(xtwc) {
						break
					}
				} else {
					copy(xtwc, xtwx)
					for a := 0; a < p; a++ {
						xtwc[a*p+a] += lambda
					}
					if cholesky(xtwc, p) {
						break
					}
				}
				lambda *= 10
				if lambda <= 0 {
					lambda = ridicLow
				}
			}
			copy(db, dl)
			if sp != nil {
				sp.solve(xtwc, db)
				for k := 0; k < p; k++ {
					nb[sp.perm[k]] = beta[sp.perm[k]] + db[k]
				}
			} else {
				cholSolve(xtwc, db, p)
				for k := 0; k < p; k++ {
					nb[k] = beta[k] + db[k]
				}
			}
			pred(nb, off, nmu)
			ndev := deviance(y, nmu, phi)
			if ndev/ymax < supLow {
				lowDev = true
			}
			if ndev <= dev || lowDev {
				copy(beta, nb)
				copy(mu, nmu)
				dev = ndev
				break
			}
			lambda *= 2
			if lambda <= 0 {
				lambda = ridicLow
			}
			if lambda/maxInfo > 1/supLow {
				failed = true
				break
			}
		}
		div := 0.0
		for k := 0; k < p; k++ {
			div += dl[k] * db[k]
		}
		if failed || lowDev || div < tol {
			break
		}
		if lev == 1 {
			lambda /= 10
		}
	}
	return dev
}

// cholesky factors a symmetric positive definite p x p row-major matrix in
// place as UᵀU (upper triangle, LAPACK dpotrf with uplo "U"); false when a
// pivot is not positive.
func cholesky(a []float64, p int) bool {
	for j := 0; j < p; j++ {
		s := a[j*p+j]
		for k := 0; k < j; k++ {
			s -= a[k*p+j] * a[k*p+j]
		}
		if !(s > 0) {
			return false
		}
		s = math.Sqrt(s)
		a[j*p+j] = s
		for i := j + 1; i < p; i++ {
			t := a[j*p+i]
			for k := 0; k < j; k++ {
				t -= a[k*p+j] * a[k*p+i]
			}
			a[j*p+i] = t / s
		}
	}
	return true
}

// cholSolve solves UᵀU x = b in place (dpotrs).
func cholSolve(u, b []float64, p int) {
	for i := 0; i < p; i++ {
		s := b[i]
		for k := 0; k < i; k++ {
			s -= u[k*p+i] * b[k]
		}
		b[i] = s / u[i*p+i]
	}
	for i := p - 1; i >= 0; i-- {
		s := b[i]
		for k := i + 1; k < p; k++ {
			s -= u[i*p+k] * b[k]
		}
		b[i] = s / u[i*p+i]
	}
}
