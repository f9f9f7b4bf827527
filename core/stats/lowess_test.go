package stats

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"testing"
)

// TestLowessAgainstDirectPort compares Lowess (one-pass local fits,
// median by selection) with a line-by-line port of R 4.2.2's clowess
// (lowest()'s five passes, full sort for the median) below, on data with
// ties, clusters, outliers and constant stretches, at rel 1e-12 (abs 1e-13
// for values near zero).
func TestLowessAgainstDirectPort(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	type tc struct {
		name  string
		n     int
		f     float64
		iter  int
		delta float64 // < 0: LowessDelta
		gen   func(i int) (float64, float64)
	}
	cases := []tc{
		{"smooth", 500, 2.0 / 3, 3, -1, func(i int) (float64, float64) {
			x := r.Float64() * 10
			return x, math.Sin(x) + 0.3*r.NormFloat64()
		}},
		{"ties", 400, 0.3, 3, -1, func(i int) (float64, float64) {
			x := float64(r.IntN(25))
			return x, x*0.5 + r.NormFloat64()
		}},
		{"outliers", 3000, 0.5, 3, -1, func(i int) (float64, float64) {
			x := r.NormFloat64() * 3
			y := 1 + 0.1*x + 0.05*r.NormFloat64()
			if i%37 == 0 {
				y += 20
			}
			return x, y
		}},
		{"voomlike", 20000, 0.5, 3, -1, func(i int) (float64, float64) {
			x := r.NormFloat64()*3 + 4
			return x, math.Sqrt(0.2+2/(1+math.Exp(x))) + 0.1*r.NormFloat64()
		}},
		{"nodelta", 300, 0.2, 0, 0, func(i int) (float64, float64) {
			x := r.Float64()
			return x, r.Float64()
		}},
		{"constanty", 200, 0.5, 3, -1, func(i int) (float64, float64) {
			return r.Float64(), 2
		}},
		{"twoPoints", 2, 0.5, 3, -1, func(i int) (float64, float64) {
			return float64(i), float64(3 * i)
		}},
		{"oddn", 999, 0.1, 2, 0.05, func(i int) (float64, float64) {
			x := math.Floor(r.Float64()*200) / 10
			return x, x * x / 100 * (1 + 0.1*r.NormFloat64())
		}},
	}
	for _, c := range cases {
		x, y := make([]float64, c.n), make([]float64, c.n)
		for i := range x {
			x[i], y[i] = c.gen(i)
		}
		delta := c.delta
		if delta < 0 {
			delta = LowessDelta(x)
		}
		sx, fit := Lowess(x, y, c.f, c.iter, delta)
		o := Order(x, false)
		rx, ry := make([]float64, c.n), make([]float64, c.n)
		for k, j := range o {
			rx[k], ry[k] = x[j], y[j]
		}
		want := make([]float64, c.n)
		refClowess(rx, ry, c.f, c.iter, delta, want)
		for k := range fit {
			if sx[k] != rx[k] {
				t.Fatalf("%s: sx[%d] = %v, want %v", c.name, k, sx[k], rx[k])
			}
			if d := math.Abs(fit[k] - want[k]); d > 1e-12*math.Abs(want[k]) && d > 1e-13 {
				t.Fatalf("%s: fit[%d] = %.17g, direct port %.17g", c.name, k, fit[k], want[k])
			}
		}
	}
}

// refLowest is R 4.2.2 lowest() ported line by line (the reference for
// TestLowessAgainstDirectPort): the weighted local linear fit at xs using points
// nleft..nright (0-based, inclusive), extending right over ties. It mirrors
// lowest() in R's lowess.c. ok is false when all weights are zero.
func refLowest(x, y []float64, xs float64, nleft, nright int, w []float64, userw bool, rw []float64) (ys float64, ok bool) {
	n := len(x)
	rng := x[n-1] - x[0]
	h := math.Max(xs-x[nleft], x[nright]-xs)
	h9 := 0.999 * h
	h1 := 0.001 * h
	a := 0.0
	j := nleft
	for j < n {
		w[j] = 0
		r := math.Abs(x[j] - xs)
		if r <= h9 {
			if r <= h1 {
				w[j] = 1
			} else {
				q := r / h
				q = 1 - q*q*q
				w[j] = q * q * q
			}
			if userw {
				w[j] *= rw[j]
			}
			a += w[j]
		} else if x[j] > xs {
			break
		}
		j++
	}
	nrt := j - 1
	if a <= 0 {
		return 0, false
	}
	for j := nleft; j <= nrt; j++ {
		w[j] /= a
	}
	if h > 0 {
		a = 0
		for j := nleft; j <= nrt; j++ {
			a += w[j] * x[j]
		}
		b := xs - a
		c := 0.0
		for j := nleft; j <= nrt; j++ {
			d := x[j] - a
			c += w[j] * (d * d)
		}
		if math.Sqrt(c) > 0.001*rng {
			b /= c
			for j := nleft; j <= nrt; j++ {
				w[j] *= b*(x[j]-a) + 1
			}
		}
	}
	ys = 0
	for j := nleft; j <= nrt; j++ {
		ys += w[j] * y[j]
	}
	return ys, true
}

// refClowess is R 4.2.2 clowess ported line by line, with a full sort for
// the median of the absolute residuals.
func refClowess(x, y []float64, f float64, nsteps int, delta float64, ys []float64) {
	n := len(x)
	if n < 2 {
		ys[0] = y[0]
		return
	}
	rw := make([]float64, n)
	res := make([]float64, n)
	tmp := make([]float64, n)
	ns := int(f*float64(n) + 1e-7)
	if ns > n {
		ns = n
	}
	if ns < 2 {
		ns = 2
	}
	// 1-based indices below follow the reference algorithm; arrays are 0-based.
	for iter := 1; iter <= nsteps+1; iter++ {
		nleft, nright := 1, ns
		last := 0
		i := 1
		for {
			if nright < n {
				d1 := x[i-1] - x[nleft-1]
				d2 := x[nright] - x[i-1]
				if d1 > d2 {
					nleft++
					nright++
					continue
				}
			}
			v, ok := refLowest(x, y, x[i-1], nleft-1, nright-1, res, iter > 1, rw)
			if ok {
				ys[i-1] = v
			} else {
				ys[i-1] = y[i-1]
			}
			if last < i-1 {
				denom := x[i-1] - x[last-1]
				for j := last + 1; j < i; j++ {
					alpha := (x[j-1] - x[last-1]) / denom
					ys[j-1] = alpha*ys[i-1] + (1-alpha)*ys[last-1]
				}
			}
			last = i
			cut := x[last-1] + delta
			for i = last + 1; i <= n; i++ {
				if x[i-1] > cut {
					break
				}
				if x[i-1] == x[last-1] {
					ys[i-1] = ys[last-1]
					last = i
				}
			}
			if last+1 > i-1 {
				i = last + 1
			} else {
				i = i - 1
			}
			if last >= n {
				break
			}
		}
		for k := 0; k < n; k++ {
			res[k] = y[k] - ys[k]
		}
		sc := 0.0
		for k := 0; k < n; k++ {
			sc += math.Abs(res[k])
		}
		sc /= float64(n)
		if iter > nsteps {
			break
		}
		for k := 0; k < n; k++ {
			tmp[k] = math.Abs(res[k])
		}
		sort.Float64s(tmp)
		m1 := n / 2
		var cmad float64
		if n%2 == 0 {
			m2 := n - m1 - 1
			cmad = 3 * (tmp[m1] + tmp[m2])
		} else {
			cmad = 6 * tmp[m1]
		}
		if cmad < 1e-7*sc {
			break
		}
		c9 := 0.999 * cmad
		c1 := 0.001 * cmad
		for k := 0; k < n; k++ {
			r := math.Abs(res[k])
			switch {
			case r <= c1:
				rw[k] = 1
			case r <= c9:
				q := r / cmad
				q = 1 - q*q
				rw[k] = q * q
			default:
				rw[k] = 0
			}
		}
	}
}

// TestLowessWorkersBitwise: LowessWorkers gives the bits of Lowess for any
// number of workers (voom-like data with robustness iterations, ties and a
// window of half the points).
func TestLowessWorkersBitwise(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 2))
	for _, n := range []int{2, 3, 50, 5000} {
		x, y := make([]float64, n), make([]float64, n)
		for i := range x {
			x[i] = math.Round((r.NormFloat64()*3+4)*20) / 20
			y[i] = math.Sqrt(0.2+2/(1+float64(i%7))) + 0.1*r.NormFloat64()
		}
		d := LowessDelta(x)
		sx0, fit0 := Lowess(x, y, 0.5, 3, d)
		for _, w := range []int{0, 2, 3, 7, 1000} {
			sx, fit := LowessWorkers(x, y, 0.5, 3, d, w)
			for k := range fit {
				if sx[k] != sx0[k] || math.Float64bits(fit[k]) != math.Float64bits(fit0[k]) {
					t.Fatalf("n=%d workers=%d: point %d: %v %.17g, one worker %v %.17g", n, w, k, sx[k], fit[k], sx0[k], fit0[k])
				}
			}
		}
	}
}

// BenchmarkLowessVoom: voom's trend (20,000 genes, span 0.5, R's delta).
func BenchmarkLowessVoom(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 4))
	x, y := make([]float64, 20000), make([]float64, 20000)
	for i := range x {
		x[i] = r.NormFloat64()*3 + 4
		y[i] = math.Sqrt(0.2+2/(1+math.Exp(x[i]))) + 0.1*r.NormFloat64()
	}
	d := LowessDelta(x)
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				LowessWorkers(x, y, 0.5, 3, d, w)
			}
		})
	}
}
