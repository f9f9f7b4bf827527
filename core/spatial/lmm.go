package spatial

import (
	"errors"
	"fmt"
	"math"

	"github.com/her2het/her2het/core/dist"
	"github.com/her2het/her2het/core/fmath"
)

// LMM is a linear mixed model with one random intercept per group (patient):
//
//	y = X β + Z b + ε,  b ~ N(0, σ_b² I),  ε ~ N(0, σ² I),
//
// fitted by REML as lme4::lmer(y ~ X + (1 | group), REML = TRUE) (lme4 1.1-31)
// with Satterthwaite degrees of freedom as lmerTest 3.1-3 computes them.
//
// Estimation. lme4's relative covariance factor θ = σ_b/σ is the only
// non-linear parameter. With s = θ², the covariance of y is σ² H with
// H = I + s Z Zᵀ, which is block diagonal with blocks I + s J (J all ones) for
// each group of size n_g, so H⁻¹ = I − c_g J with c_g = s / (1 + n_g s) and
// log|H| = Σ_g log(1 + n_g s). For fixed θ the GLS estimate
// β̂(θ) = (XᵀH⁻¹X)⁻¹ XᵀH⁻¹y and the penalised residual sum of squares
// r²(θ) = (y − Xβ̂)ᵀH⁻¹(y − Xβ̂) are closed forms in per-group sums, and the
// profiled REML criterion (lme4's REMLcrit, −2 × restricted log-likelihood) is
//
//	d(θ) = Σ_g log(1 + n_g θ²) + log|XᵀH⁻¹X| + (n − p) (1 + log(2π r²(θ) / (n − p))).
//
// d is minimised over θ ≥ 0 by a grid in log θ followed by bisection on the
// sign of the analytic derivative d′(s) = Σ_g n_g/(1+n_g s) + tr(A⁻¹ ∂A/∂s) +
// (n−p) (∂r²/∂s)/r² (A = XᵀH⁻¹X), to machine precision; lme4 stops earlier
// (nloptwrap, ftol_abs 1e-8), which the goldens avoid by running lmer with a
// tight tolerance. σ² = r²/(n − p) as in lme4 for REML.
//
// Satterthwaite. lmerTest evaluates, by numDeriv, the Hessian h of the
// unprofiled REML deviance D(θ, σ) = Σ log(1+n_g θ²) + r²(θ)/σ² + (n−p) log(2πσ²)
// + log|A| and the Jacobian of Cov(β̂) = σ² A⁻¹ with respect to (θ, σ); here
// both are analytic (with β̂ profiled: ∂²r²/∂s² = f_ss − f_sβᵀ(2A)⁻¹f_sβ).
// Cov(θ, σ) = 2 h⁺ (Moore–Penrose, eigenvalues ≤ 1e-8 dropped, as lmerTest).
// For a contrast L: v = LᵀCov(β̂)L, g_k = Lᵀ(∂Cov/∂φ_k)L,
// df = 2 v² / (gᵀ Cov(θ, σ) g), t = Lᵀβ̂/√v, p = 2 P(T_df > |t|).
type LMM struct {
	n, p   int
	x      []float64 // n x p row-major
	group  []int     // 0..G-1
	size   []float64 // n_g
	tg     []float64 // G x p: column sums of X within each group
	xtx    []float64 // p x p
	Groups []string  // group names in order of first appearance
}

// LMMFit is the REML fit of one response.
type LMMFit struct {
	Beta  []float64 // fixed effects, in column order of X
	SE    []float64 // standard errors √diag Cov(β̂)
	DF    []float64 // Satterthwaite degrees of freedom per coefficient
	T     []float64 // t statistics
	P     []float64 // two-sided p-values
	Theta float64   // σ_b / σ (lme4's theta)
	Sigma float64   // residual standard deviation σ
	// VarGroup and VarResidual are σ_b² and σ².
	VarGroup, VarResidual float64
	// REML is lme4's REMLcrit: −2 × the restricted log-likelihood at the optimum.
	REML float64
	// Singular is true when θ = 0 (no between-group variance, lme4's singular fit).
	Singular bool
	N        int
	Cov      [][]float64 // Cov(β̂) = σ² A⁻¹
	jac      [2][]float64
	vcovVar  [2][2]float64
	p        int
}

// ErrLMM is returned (wrapped) for designs and responses the model cannot fit.
var ErrLMM = errors.New("spatial: mixed model")

// NewLMM prepares the design: x has one row per observation (n rows of p
// columns, usually starting with an intercept column of ones) and group the
// group (patient) of each row. It returns an error if the rows differ in
// length, a value is not finite, there are fewer than 2 groups, or X is not of
// full column rank.
func NewLMM(x [][]float64, group []string) (*LMM, error) {
	n := len(x)
	if n != len(group) {
		return nil, fmt.Errorf("%w: %d design rows but %d groups", ErrLMM, n, len(group))
	}
	if n == 0 {
		return nil, fmt.Errorf("%w: no observations", ErrLMM)
	}
	p := len(x[0])
	m := &LMM{n: n, p: p, x: make([]float64, n*p), group: make([]int, n)}
	idx := map[string]int{}
	for i, r := range x {
		if len(r) != p {
			return nil, fmt.Errorf("%w: design row %d has %d columns, want %d", ErrLMM, i+1, len(r), p)
		}
		for j, v := range r {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("%w: design value (%d,%d) is not finite", ErrLMM, i+1, j+1)
			}
			m.x[i*p+j] = v
		}
		g, ok := idx[group[i]]
		if !ok {
			g = len(m.Groups)
			idx[group[i]] = g
			m.Groups = append(m.Groups, group[i])
			m.size = append(m.size, 0)
		}
		m.group[i] = g
		m.size[g]++
	}
	G := len(m.Groups)
	if G < 2 {
		return nil, fmt.Errorf("%w: %d group(s); need at least 2", ErrLMM, G)
	}
	if G >= n {
		// lme4: "number of levels of each grouping factor must be < number of observations"
		return nil, fmt.Errorf("%w: %d groups for %d observations; a random intercept needs fewer groups than observations", ErrLMM, G, n)
	}
	if n-p < 1 {
		return nil, fmt.Errorf("%w: %d observations for %d fixed effects", ErrLMM, n, p)
	}
	m.tg = make([]float64, G*p)
	m.xtx = make([]float64, p*p)
	for i := 0; i < n; i++ {
		r := m.x[i*p : (i+1)*p]
		t := m.tg[m.group[i]*p : (m.group[i]+1)*p]
		for j := 0; j < p; j++ {
			t[j] += r[j]
			for k := 0; k <= j; k++ {
				m.xtx[j*p+k] += r[j] * r[k]
			}
		}
	}
	for j := 0; j < p; j++ {
		for k := 0; k < j; k++ {
			m.xtx[k*p+j] = m.xtx[j*p+k]
		}
	}
	if _, ok := cholesky(m.xtx, p); !ok {
		return nil, fmt.Errorf("%w: the fixed-effects design is rank deficient", ErrLMM)
	}
	return m, nil
}

// N returns the number of observations and P the number of fixed effects.
func (m *LMM) N() int { return m.n }

// P returns the number of fixed effects.
func (m *LMM) P() int { return m.p }

// state is the model at one s = θ².
type state struct {
	s     float64
	a     []float64 // A = XᵀH⁻¹X
	chol  []float64
	beta  []float64
	e     []float64 // per-group residual sums E_g
	r2    float64
	ldA   float64
	ldH   float64
	ainv  []float64
	inner []float64 // scratch
}

// eval computes β̂(s), r²(s) and the log determinants.
func (m *LMM) eval(y []float64, xty []float64, st *state, s float64) bool {
	p, G := m.p, len(m.size)
	st.s = s
	copy(st.a, m.xtx)
	copy(st.beta, xty)
	ug := st.e
	for g := range ug {
		ug[g] = 0
	}
	for i, v := range y {
		ug[m.group[i]] += v
	}
	st.ldH = 0
	for g := 0; g < G; g++ {
		ng := m.size[g]
		c := s / (1 + ng*s)
		st.ldH += math.Log1p(ng * s)
		if c == 0 {
			continue
		}
		t := m.tg[g*p : (g+1)*p]
		for j := 0; j < p; j++ {
			st.beta[j] -= c * ug[g] * t[j]
			for k := 0; k < p; k++ {
				st.a[j*p+k] -= c * t[j] * t[k]
			}
		}
	}
	if st.chol == nil {
		st.chol = make([]float64, p*p)
	}
	ch, ok := choleskyInto(st.chol, st.a, p)
	if !ok {
		return false
	}
	st.chol = ch
	cholSolve(ch, p, st.beta)
	st.ldA = 0
	for j := 0; j < p; j++ {
		st.ldA += 2 * fmath.Log(ch[j*p+j])
	}
	// r² = Σ e_i² − Σ_g c_g E_g², from the residuals themselves.
	for g := range ug {
		ug[g] = 0
	}
	ss := 0.0
	for i, v := range y {
		r := m.x[i*p : (i+1)*p]
		f := v
		for j := 0; j < p; j++ {
			f -= r[j] * st.beta[j]
		}
		ss += f * f
		ug[m.group[i]] += f
	}
	for g := 0; g < G; g++ {
		ng := m.size[g]
		ss -= s / (1 + ng*s) * ug[g] * ug[g]
	}
	st.r2 = ss
	return true
}

// crit is the profiled REML criterion at st.
func (m *LMM) crit(st *state) float64 {
	nu := float64(m.n - m.p)
	return st.ldH + st.ldA + nu*(1+fmath.Log(2*math.Pi*st.r2/nu))
}

// inverse fills st.ainv with A⁻¹.
func (m *LMM) inverse(st *state) {
	p := m.p
	for j := 0; j < p; j++ {
		col := st.inner[:p]
		for k := range col {
			col[k] = 0
		}
		col[j] = 1
		cholSolve(st.chol, p, col)
		for k := 0; k < p; k++ {
			st.ainv[k*p+j] = col[k]
		}
	}
}

// dcrit is ∂d/∂s at st (needs st.ainv).
func (m *LMM) dcrit(st *state) float64 {
	p, G := m.p, len(m.size)
	nu := float64(m.n - m.p)
	s := st.s
	d1, dr2, tr := 0.0, 0.0, 0.0
	for g := 0; g < G; g++ {
		ng := m.size[g]
		den := 1 + ng*s
		d1 += ng / den
		cp := 1 / (den * den)
		dr2 -= cp * st.e[g] * st.e[g]
		t := m.tg[g*p : (g+1)*p]
		q := 0.0 // tᵀA⁻¹t
		for j := 0; j < p; j++ {
			for k := 0; k < p; k++ {
				q += t[j] * st.ainv[j*p+k] * t[k]
			}
		}
		tr -= cp * q
	}
	return d1 + tr + nu*dr2/st.r2
}

func newState(p, G int) *state {
	return &state{a: make([]float64, p*p), beta: make([]float64, p), e: make([]float64, G),
		ainv: make([]float64, p*p), inner: make([]float64, p)}
}

// thetaGrid is where Fit first evaluates the criterion: θ = 0 and
// 10^(-3..3) in steps of thetaStep in log10.
const thetaStep = 0.2

var thetaGrid = func() []float64 {
	g := []float64{0}
	for k := 0; k <= 30; k++ {
		g = append(g, fmath.Pow(10, -3+thetaStep*float64(k)))
	}
	return g
}()

// Fit fits the model to the response y (one value per design row). It returns
// an error if y has the wrong length or a non-finite value (drop those rows
// with Subset first), or if y is constant within every fit (r² = 0).
func (m *LMM) Fit(y []float64) (*LMMFit, error) {
	if len(y) != m.n {
		return nil, fmt.Errorf("%w: %d responses for %d design rows", ErrLMM, len(y), m.n)
	}
	for i, v := range y {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%w: response %d is not finite", ErrLMM, i+1)
		}
	}
	p, G := m.p, len(m.size)
	xty := make([]float64, p)
	for i, v := range y {
		r := m.x[i*p : (i+1)*p]
		for j := 0; j < p; j++ {
			xty[j] += r[j] * v
		}
	}
	st := newState(p, G)
	thetas := append(make([]float64, 0, len(thetaGrid)+8), thetaGrid...)
	best, bestD := -1, math.Inf(1)
	for k := 0; ; k++ {
		if k == len(thetas) {
			// Minimum at the top of the grid: extend it.
			if best == len(thetas)-1 && thetas[best] < 1e12 {
				thetas = append(thetas, thetas[best]*fmath.Pow(10, thetaStep))
			} else {
				break
			}
		}
		th := thetas[k]
		if !m.eval(y, xty, st, th*th) {
			continue
		}
		if st.r2 <= 0 {
			return nil, fmt.Errorf("%w: the response is fitted exactly (zero residual variance)", ErrLMM)
		}
		if d := m.crit(st); d < bestD {
			best, bestD = k, d
		}
	}
	if best < 0 {
		return nil, fmt.Errorf("%w: no variance ratio gives a positive definite XᵀV⁻¹X", ErrLMM)
	}
	deriv := func(s float64) (float64, bool) {
		if !m.eval(y, xty, st, s) {
			return math.NaN(), false
		}
		m.inverse(st)
		return m.dcrit(st), true
	}
	sOpt := 0.0
	var sLo, sHi float64
	bracket := false
	if best == 0 {
		if d0, ok := deriv(0); ok && d0 < 0 {
			sLo, sHi = 0, thetas[1]*thetas[1]
			dh, ok := deriv(sHi)
			bracket = ok && dh > 0
			if !bracket {
				sOpt = m.goldenTheta(y, xty, st, 0, thetas[1])
			}
		}
	} else {
		sLo = thetas[best-1] * thetas[best-1]
		sHi = sLo
		if best+1 < len(thetas) {
			sHi = thetas[best+1] * thetas[best+1]
		}
		sOpt = thetas[best] * thetas[best]
		dl, ok1 := deriv(sLo)
		dh, ok2 := deriv(sHi)
		bracket = ok1 && ok2 && dl < 0 && dh > 0
		if best == 1 && ok1 && dl >= 0 {
			sOpt, bracket = 0, false
		}
	}
	if bracket {
		sOpt = zeroin(sLo, sHi, deriv)
	} else if best > 1 && sOpt > 0 {
		// No sign change of d′ around the best grid point (a non-convex
		// criterion): minimise d itself between the neighbours.
		sOpt = m.goldenTheta(y, xty, st, math.Sqrt(sLo), math.Sqrt(sHi))
	}
	if !m.eval(y, xty, st, sOpt) {
		return nil, fmt.Errorf("%w: XᵀV⁻¹X is not positive definite at the optimum", ErrLMM)
	}
	m.inverse(st)
	return m.finish(st), nil
}

// finish computes the covariances, Satterthwaite df and tests at the optimum.
func (m *LMM) finish(st *state) *LMMFit {
	p, G := m.p, len(m.size)
	nu := float64(m.n - m.p)
	s := st.s
	theta := math.Sqrt(s)
	sig2 := st.r2 / nu
	sigma := math.Sqrt(sig2)
	f := &LMMFit{Theta: theta, Sigma: sigma, VarResidual: sig2, VarGroup: s * sig2, N: m.n, p: p,
		REML: m.crit(st), Singular: s == 0}
	f.Beta = append([]float64(nil), st.beta...)
	f.Cov = make([][]float64, p)
	for j := range f.Cov {
		f.Cov[j] = make([]float64, p)
		for k := range f.Cov[j] {
			f.Cov[j][k] = sig2 * st.ainv[j*p+k]
		}
	}
	// Derivatives in s of the pieces of D(θ, σ).
	as := make([]float64, p*p)  // ∂A/∂s
	ass := make([]float64, p*p) // ∂²A/∂s²
	fsb := make([]float64, p)   // ∂²f/∂s∂β
	l1s, l1ss, r2s, fss := 0.0, 0.0, 0.0, 0.0
	for g := 0; g < G; g++ {
		ng := m.size[g]
		den := 1 + ng*s
		cp := 1 / (den * den)
		cpp := -2 * ng / (den * den * den)
		l1s += ng / den
		l1ss -= ng * ng / (den * den)
		eg := st.e[g]
		r2s -= cp * eg * eg
		fss -= cpp * eg * eg
		t := m.tg[g*p : (g+1)*p]
		for j := 0; j < p; j++ {
			fsb[j] += 2 * cp * eg * t[j]
			for k := 0; k < p; k++ {
				as[j*p+k] -= cp * t[j] * t[k]
				ass[j*p+k] -= cpp * t[j] * t[k]
			}
		}
	}
	// tr(A⁻¹A_s), tr(A⁻¹A_ss), tr(A⁻¹A_s A⁻¹A_s)
	ai := st.ainv
	bmat := make([]float64, p*p) // A⁻¹ A_s
	for j := 0; j < p; j++ {
		for k := 0; k < p; k++ {
			v := 0.0
			for l := 0; l < p; l++ {
				v += ai[j*p+l] * as[l*p+k]
			}
			bmat[j*p+k] = v
		}
	}
	tr1, tr2, tr3 := 0.0, 0.0, 0.0
	for j := 0; j < p; j++ {
		tr1 += bmat[j*p+j]
		for k := 0; k < p; k++ {
			tr2 += ai[j*p+k] * ass[k*p+j]
			tr3 += bmat[j*p+k] * bmat[k*p+j]
		}
	}
	quad := 0.0 // f_sβᵀ A⁻¹ f_sβ
	for j := 0; j < p; j++ {
		for k := 0; k < p; k++ {
			quad += fsb[j] * ai[j*p+k] * fsb[k]
		}
	}
	r2ss := fss - 0.5*quad
	Ds := l1s + tr1 + r2s/sig2
	Dss := l1ss + tr2 - tr3 + r2ss/sig2
	r2 := st.r2
	h := [2][2]float64{}
	h[0][0] = 4*s*Dss + 2*Ds
	h[0][1] = 2 * theta * (-2 * r2s / (sig2 * sigma))
	h[1][0] = h[0][1]
	h[1][1] = 6*r2/(sig2*sig2) - 2*nu/sig2
	f.vcovVar = pinv2(h, 1e-8)
	for k := range f.vcovVar {
		for l := range f.vcovVar[k] {
			f.vcovVar[k][l] *= 2
		}
	}
	// Jacobians of Cov(β̂): ∂/∂θ = −σ² A⁻¹ (2θ A_s) A⁻¹, ∂/∂σ = 2σ A⁻¹.
	f.jac[0] = make([]float64, p*p)
	f.jac[1] = make([]float64, p*p)
	for j := 0; j < p; j++ {
		for k := 0; k < p; k++ {
			v := 0.0
			for l := 0; l < p; l++ {
				v += bmat[j*p+l] * ai[l*p+k]
			}
			f.jac[0][j*p+k] = -sig2 * 2 * theta * v
			f.jac[1][j*p+k] = 2 * sigma * ai[j*p+k]
		}
	}
	f.SE = make([]float64, p)
	f.DF = make([]float64, p)
	f.T = make([]float64, p)
	f.P = make([]float64, p)
	L := make([]float64, p)
	for j := 0; j < p; j++ {
		for k := range L {
			L[k] = 0
		}
		L[j] = 1
		c := f.Contrast(L)
		f.SE[j], f.DF[j], f.T[j], f.P[j] = c.SE, c.DF, c.T, c.P
	}
	return f
}

// ContrastResult is the Satterthwaite t-test of one linear combination Lᵀβ.
type ContrastResult struct {
	Estimate, SE, DF, T, P float64
}

// Contrast tests Lᵀβ = 0 with Satterthwaite's df (lmerTest contest1D). L must
// have one entry per fixed effect; otherwise every field is NaN.
func (f *LMMFit) Contrast(L []float64) ContrastResult {
	nan := math.NaN()
	if len(L) != f.p {
		return ContrastResult{nan, nan, nan, nan, nan}
	}
	p := f.p
	est, v := 0.0, 0.0
	var g [2]float64
	for j := 0; j < p; j++ {
		est += L[j] * f.Beta[j]
		for k := 0; k < p; k++ {
			v += L[j] * f.Cov[j][k] * L[k]
			g[0] += L[j] * f.jac[0][j*p+k] * L[k]
			g[1] += L[j] * f.jac[1][j*p+k] * L[k]
		}
	}
	den := 0.0
	for a := 0; a < 2; a++ {
		for b := 0; b < 2; b++ {
			den += g[a] * f.vcovVar[a][b] * g[b]
		}
	}
	df := 2 * v * v / den
	se := math.Sqrt(v)
	t := est / se
	pv := 2 * dist.Pt(-math.Abs(t), df, true, false)
	return ContrastResult{Estimate: est, SE: se, DF: df, T: t, P: pv}
}

// pinv2 is the Moore–Penrose inverse of a symmetric 2x2 matrix, dropping
// eigenvalues not above tol (lmerTest keeps only eigenvalues > tol).
func pinv2(h [2][2]float64, tol float64) [2][2]float64 {
	a, b, c := h[0][0], h[0][1], h[1][1]
	var out [2][2]float64
	if b == 0 {
		if a > tol {
			out[0][0] = 1 / a
		}
		if c > tol {
			out[1][1] = 1 / c
		}
		return out
	}
	mean := 0.5 * (a + c)
	rad := fmath.Hypot(0.5*(a-c), b)
	l1, l2 := mean+rad, mean-rad
	if l2 != 0 && math.Abs(l2) < math.Abs(l1) {
		l2 = (a*c - b*b) / l1 // avoid cancellation
	}
	for _, l := range []float64{l1, l2} {
		if l <= tol {
			continue
		}
		// eigenvector of [[a b][b c]] for l
		v0, v1 := b, l-a
		if math.Abs(l-c) > math.Abs(l-a) {
			v0, v1 = l-c, b
		}
		nrm := fmath.Hypot(v0, v1)
		v0, v1 = v0/nrm, v1/nrm
		out[0][0] += v0 * v0 / l
		out[0][1] += v0 * v1 / l
		out[1][0] += v0 * v1 / l
		out[1][1] += v1 * v1 / l
	}
	return out
}

// cholesky returns the lower Cholesky factor (row-major p x p) of a, and false
// when a is not numerically positive definite.
func cholesky(a []float64, p int) ([]float64, bool) {
	return choleskyInto(make([]float64, p*p), a, p)
}

// choleskyInto is cholesky writing the factor into l (length p*p).
func choleskyInto(l, a []float64, p int) ([]float64, bool) {
	for i := range l {
		l[i] = 0
	}
	for j := 0; j < p; j++ {
		d := a[j*p+j]
		for k := 0; k < j; k++ {
			d -= l[j*p+k] * l[j*p+k]
		}
		if !(d > 1e-12*math.Abs(a[j*p+j])) || d <= 0 {
			return nil, false
		}
		l[j*p+j] = math.Sqrt(d)
		for i := j + 1; i < p; i++ {
			v := a[i*p+j]
			for k := 0; k < j; k++ {
				v -= l[i*p+k] * l[j*p+k]
			}
			l[i*p+j] = v / l[j*p+j]
		}
	}
	return l, true
}

// cholSolve solves (L Lᵀ) x = b in place.
func cholSolve(l []float64, p int, b []float64) {
	for i := 0; i < p; i++ {
		v := b[i]
		for k := 0; k < i; k++ {
			v -= l[i*p+k] * b[k]
		}
		b[i] = v / l[i*p+i]
	}
	for i := p - 1; i >= 0; i-- {
		v := b[i]
		for k := i + 1; k < p; k++ {
			v -= l[k*p+i] * b[k]
		}
		b[i] = v / l[i*p+i]
	}
}

// goldenTheta minimises the profiled criterion over θ in [a, b] by golden
// section search and returns the optimal s = θ².
func (m *LMM) goldenTheta(y, xty []float64, st *state, a, b float64) float64 {
	f := func(th float64) float64 {
		if !m.eval(y, xty, st, th*th) {
			return math.Inf(1)
		}
		return m.crit(st)
	}
	const r = 0.6180339887498949
	c, d := b-r*(b-a), a+r*(b-a)
	fc, fd := f(c), f(d)
	for it := 0; it < 200 && b-a > 1e-15*math.Max(1, math.Abs(a)); it++ {
		if fc < fd {
			b, d, fd = d, c, fc
			c = b - r*(b-a)
			fc = f(c)
		} else {
			a, c, fc = c, d, fd
			d = a + r*(b-a)
			fd = f(d)
		}
	}
	th := 0.5 * (a + b)
	return th * th
}

// zeroin finds a root of f in [a, b], where f(a) < 0 < f(b), by Brent's
// method (Brent 1973, as R's uniroot / zeroin.c) to machine precision in s;
// if f cannot be evaluated at a trial point it falls back to bisection there.
func zeroin(a, b float64, f func(float64) (float64, bool)) float64 {
	fa, _ := f(a)
	fb, _ := f(b)
	c, fc := a, fa
	d := b - a
	e := d
	for it := 0; it < 200; it++ {
		if math.Abs(fc) < math.Abs(fb) {
			a, b, c = b, c, b
			fa, fb, fc = fb, fc, fb
		}
		tol := 2*0x1p-52*math.Abs(b) + 1e-300
		m := 0.5 * (c - b)
		if math.Abs(m) <= tol || fb == 0 {
			return b
		}
		if math.Abs(e) < tol || math.Abs(fa) <= math.Abs(fb) {
			d, e = m, m
		} else {
			var p, q float64
			s := fb / fa
			if a == c {
				p, q = 2*m*s, 1-s
			} else {
				qq, r := fa/fc, fb/fc
				p = s * (2*m*qq*(qq-r) - (b-a)*(r-1))
				q = (qq - 1) * (r - 1) * (s - 1)
			}
			if p > 0 {
				q = -q
			} else {
				p = -p
			}
			if 2*p < math.Min(3*m*q-math.Abs(tol*q), math.Abs(e*q)) {
				e, d = d, p/q
			} else {
				d, e = m, m
			}
		}
		a, fa = b, fb
		if math.Abs(d) > tol {
			b += d
		} else if m > 0 {
			b += tol
		} else {
			b -= tol
		}
		var ok bool
		fb, ok = f(b)
		if !ok {
			b = a + 0.5*(c-a)
			fb, _ = f(b)
		}
		if (fb > 0) == (fc > 0) {
			c, fc = a, fa
			d = b - a
			e = d
		}
	}
	return b
}
