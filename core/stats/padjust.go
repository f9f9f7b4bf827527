package stats

import (
	"fmt"
	"math"
)

// AdjustMethod selects a multiple-testing correction for PAdjust.
type AdjustMethod int

const (
	// BH is Benjamini & Hochberg (1995) false discovery rate.
	BH AdjustMethod = iota
	// BY is Benjamini & Yekutieli (2001) false discovery rate under dependence.
	BY
	// Holm is Holm's (1979) step-down family-wise error control.
	Holm
	// Hochberg is Hochberg's (1988) step-up family-wise error control.
	Hochberg
	// Bonferroni multiplies by n.
	Bonferroni
	// Hommel is Hommel's (1988) method.
	Hommel
	// None returns the p-values unchanged.
	None
)

func (m AdjustMethod) String() string {
	switch m {
	case BH:
		return "BH"
	case BY:
		return "BY"
	case Holm:
		return "holm"
	case Hochberg:
		return "hochberg"
	case Bonferroni:
		return "bonferroni"
	case Hommel:
		return "hommel"
	case None:
		return "none"
	}
	return fmt.Sprintf("AdjustMethod(%d)", int(m))
}

// PAdjust adjusts p-values for multiple testing exactly as R's p.adjust(p,
// method) (stats/R/p.adjust.R, R 4.2.2). NaN entries are R's NA: they stay NaN
// and are excluded from the number of tests n. With the non-NaN values p(i)
// sorted decreasingly and i = m..1 their ranks,
//
//	BH:       cummin(n/i * p(i)), capped at 1 (operand order n/i*p as in R)
//	BY:       cummin(q*n/i * p(i)), q = Σ_{k=1..n} 1/k
//	Holm:     cummax((n+1-i) * p(i)) over increasing p
//	Hochberg: cummin((n+1-i) * p(i)) over decreasing p
//	Bonferroni: min(1, n*p)
//
// The input is not modified. An empty input gives an empty result; n <= 1
// returns a copy of p.
func PAdjust(p []float64, m AdjustMethod) []float64 {
	n := 0
	for _, v := range p {
		if !math.IsNaN(v) {
			n++
		}
	}
	return PAdjustN(p, m, n)
}

// PAdjustN is PAdjust with an explicit number of tests n, R's p.adjust(p,
// method, n). n must be at least the number of non-NaN p-values; if it is
// smaller, every entry of the result is NaN.
func PAdjustN(p []float64, m AdjustMethod, n int) []float64 {
	out := append([]float64(nil), p...)
	var idx []int
	var q []float64
	for i, v := range p {
		if !math.IsNaN(v) {
			idx = append(idx, i)
			q = append(q, v)
		}
	}
	lp := len(q)
	if n < lp {
		for i := range out {
			out[i] = math.NaN()
		}
		return out
	}
	if n <= 1 {
		return out
	}
	if n == 2 && m == Hommel {
		m = Hochberg
	}
	fn := float64(n)
	adj := make([]float64, lp)
	switch m {
	case None:
		copy(adj, q)
	case Bonferroni:
		for i, v := range q {
			adj[i] = math.Min(1, fn*v)
		}
	case Holm:
		o := Order(q, false)
		cm := math.Inf(-1)
		for k, j := range o {
			v := float64(n-k) * q[j] // (n+1-i)*p with i = k+1
			if v > cm || math.IsNaN(v) {
				cm = v
			}
			adj[j] = math.Min(1, cm)
		}
	case Hochberg, BH, BY:
		o := Order(q, true)
		c := 1.0
		if m == BY {
			s := make([]float64, n)
			for k := range s {
				s[k] = 1 / float64(k+1)
			}
			c = sum(s)
		}
		cm := math.Inf(1)
		for k, j := range o {
			i := lp - k // i = lp:1
			var v float64
			switch m {
			case Hochberg:
				v = float64(n+1-i) * q[j]
			case BH:
				v = fn / float64(i) * q[j]
			case BY:
				v = c * fn / float64(i) * q[j]
			}
			if v < cm {
				cm = v
			}
			adj[j] = math.Min(1, cm)
		}
	case Hommel:
		adj = hommel(q, n)
	default:
		panic("stats: unknown AdjustMethod")
	}
	for k, i := range idx {
		out[i] = adj[k]
	}
	return out
}

// hommel implements p.adjust's "hommel" branch for lp = len(q) <= n values,
// padding with ones as R does.
func hommel(q []float64, n int) []float64 {
	lp := len(q)
	p := make([]float64, n)
	copy(p, q)
	for i := lp; i < n; i++ {
		p[i] = 1
	}
	o := Order(p, false)
	ps := make([]float64, n)
	for k, j := range o {
		ps[k] = p[j]
	}
	minv := math.Inf(1)
	for i := 0; i < n; i++ {
		v := float64(n) * ps[i] / float64(i+1)
		if v < minv {
			minv = v
		}
	}
	qv := make([]float64, n)
	pa := make([]float64, n)
	for i := range qv {
		qv[i] = minv
		pa[i] = minv
	}
	for mm := n - 1; mm >= 2; mm-- {
		// i1 = 1..n-mm+1, i2 = n-mm+2..n (1-based)
		q1 := math.Inf(1)
		for k := 2; k <= mm; k++ {
			v := float64(mm) * ps[n-mm+k-1] / float64(k)
			if v < q1 {
				q1 = v
			}
		}
		for i := 0; i < n-mm+1; i++ {
			qv[i] = math.Min(float64(mm)*ps[i], q1)
		}
		for i := n - mm + 1; i < n; i++ {
			qv[i] = qv[n-mm]
		}
		for i := range pa {
			if qv[i] > pa[i] {
				pa[i] = qv[i]
			}
		}
	}
	res := make([]float64, n)
	for k, j := range o {
		res[j] = math.Max(pa[k], ps[k])
	}
	return res[:lp]
}
