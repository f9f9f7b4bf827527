package stats

import "math"

// Gram returns the n x n cross-product matrix of the rows of x (n = len(x),
// all of length m), row-major: G[a*n+b] = Σ_{k=0}^{m-1} x[a][k]·x[b][k], summed
// in k order with one accumulator per entry, so every entry is bitwise the plain
// loop's whatever the blocking (four entries share each pass over x[a]). G is
// symmetric (computed for b >= a, mirrored). NaN propagates; empty x gives an
// empty matrix. It panics if the rows differ in length.
func Gram(x [][]float64) []float64 {
	n := len(x)
	g := make([]float64, n*n)
	if n == 0 {
		return g
	}
	m := len(x[0])
	for _, r := range x {
		if len(r) != m {
			panic("stats: Gram rows differ in length")
		}
	}
	for a := 0; a < n; a++ {
		xa := x[a]
		b := a
		for ; b+3 < n; b += 4 {
			x0, x1, x2, x3 := x[b][:m], x[b+1][:m], x[b+2][:m], x[b+3][:m]
			var s0, s1, s2, s3 float64
			for k, v := range xa {
				s0 += v * x0[k]
				s1 += v * x1[k]
				s2 += v * x2[k]
				s3 += v * x3[k]
			}
			g[a*n+b], g[a*n+b+1], g[a*n+b+2], g[a*n+b+3] = s0, s1, s2, s3
		}
		for ; b < n; b++ {
			xb := x[b][:m]
			var s float64
			for k, v := range xa {
				s += v * xb[k]
			}
			g[a*n+b] = s
		}
		for b := a + 1; b < n; b++ {
			g[b*n+a] = g[a*n+b]
		}
	}
	return g
}

// CorMatrix returns the n x n Pearson correlation matrix of the rows of x
// (R's cor(t(x)) for complete data), row-major. Each row is centred on its mean
// (Mean, R's two-pass mean) and scaled to unit length (the sum of squares
// compensated), z_a = (x_a - m_a)/sqrt(Σ(x_a - m_a)²); then
// r_ab = Σ_k z_a[k]·z_b[k] (Gram), clamped to [-1, 1]. This is cov/(sd·sd) of
// Cor rearranged: the same value up to rounding (|difference| <= m·2.2e-16,
// below 1e-12 for the QC heatmap's 1000 genes; Cor and R's cor differ from each
// other by as much), at a fraction of the cost of Cor on every pair (one pass
// per pair instead of three, no allocation). A row with zero variance, fewer
// than two values or a NaN gives NaN in its row and column (R: NA with a
// warning).
func CorMatrix(x [][]float64) []float64 {
	n := len(x)
	z := make([][]float64, n)
	bad := make([]bool, n)
	for a, r := range x {
		m := len(r)
		za := make([]float64, m)
		z[a] = za
		mu := Mean(r)
		if m < 2 || math.IsNaN(mu) || math.IsInf(mu, 0) {
			bad[a] = true
			continue
		}
		for k, v := range r {
			za[k] = v - mu
		}
		sq := make([]float64, m)
		for k, d := range za {
			sq[k] = d * d
		}
		ss := sum(sq)
		if ss == 0 || math.IsNaN(ss) || math.IsInf(ss, 0) {
			bad[a] = true
			continue
		}
		s := math.Sqrt(ss)
		for k := range za {
			za[k] /= s
		}
	}
	g := Gram(z)
	for a := 0; a < n; a++ {
		for b := 0; b < n; b++ {
			v := &g[a*n+b]
			switch {
			case bad[a] || bad[b]:
				*v = math.NaN()
			case *v > 1:
				*v = 1
			case *v < -1:
				*v = -1
			}
		}
	}
	return g
}
