package dist

import (
	"math"
	"testing"
)

// TestTailComplement: lower + upper = 1 (abs 1e-15) and the log scale
// agrees with the log of the natural scale where that is representable.
func TestTailComplement(t *testing.T) {
	type cdf func(x float64, lower, logp bool) float64
	fns := map[string]cdf{
		"pnorm":  func(x float64, l, g bool) float64 { return Pnorm(x, 0.5, 2, l, g) },
		"pt":     func(x float64, l, g bool) float64 { return Pt(x, 4.5, l, g) },
		"pchisq": func(x float64, l, g bool) float64 { return Pchisq(math.Abs(x), 3, l, g) },
		"pf":     func(x float64, l, g bool) float64 { return Pf(math.Abs(x), 3, 11, l, g) },
		"pbeta":  func(x float64, l, g bool) float64 { return Pbeta(1/(1+math.Exp(-x)), 2.5, 0.7, l, g) },
		"pbinom": func(x float64, l, g bool) float64 { return Pbinom(math.Abs(x)*3, 30, 0.3, l, g) },
		"phyper": func(x float64, l, g bool) float64 { return Phyper(math.Abs(x)*2, 20, 25, 15, l, g) },
	}
	for name, f := range fns {
		for x := -6.0; x <= 6; x += 0.37 {
			lo, up := f(x, true, false), f(x, false, false)
			if math.Abs(lo+up-1) > 2e-15 || lo < 0 || up < 0 {
				t.Errorf("%s(%g): lower %g + upper %g != 1", name, x, lo, up)
			}
			if ll := f(x, true, true); lo > 1e-300 && math.Abs(ll-math.Log(lo)) > 1e-13*math.Max(1, math.Abs(ll)) {
				t.Errorf("%s(%g): log %g vs log(p) %g", name, x, ll, math.Log(lo))
			}
		}
	}
}

// TestQuantileInverse: Q(P(x)) = x for the quantile functions.
func TestQuantileInverse(t *testing.T) {
	for _, x := range []float64{-8, -3.3, -1, -0.2, 0.4, 1.7, 5, 9} {
		lower := x < 0 // invert on the smaller tail, where p carries the information
		if q := Qnorm(Pnorm(x, 0, 1, lower, false), 0, 1, lower, false); math.Abs(q-x) > 1e-12*math.Max(1, math.Abs(x)) {
			t.Errorf("qnorm(pnorm(%g)) = %.17g", x, q)
		}
		if q := Qnorm(Pnorm(x, 0, 1, false, true), 0, 1, false, true); math.Abs(q-x) > 1e-12*math.Max(1, math.Abs(x)) {
			t.Errorf("qnorm(pnorm(%g, upper, log)) = %.17g", x, q)
		}
		for _, df := range []float64{1, 3, 25} {
			if q := Qt(Pt(x, df, lower, false), df, lower, false); math.Abs(q-x) > 1e-10*math.Max(1, math.Abs(x)) {
				t.Errorf("qt(pt(%g, %g)) = %.17g", x, df, q)
			}
			c := math.Abs(x) + 0.01
			cl := c < df
			if q := Qchisq(Pchisq(c, df, cl, false), df, cl, false); math.Abs(q-c) > 1e-10*c {
				t.Errorf("qchisq(pchisq(%g, %g)) = %.17g", c, df, q)
			}
		}
	}
}

// TestClosedForms checks functions against elementary closed forms.
func TestClosedForms(t *testing.T) {
	for _, x := range []float64{0.01, 0.5, 3, 40, 700} {
		// chi-squared with 2 df is exponential with mean 2
		if got, want := Pchisq(x, 2, false, false), math.Exp(-x/2); math.Abs(got-want) > 5e-14*want {
			t.Errorf("pchisq(%g, 2, upper) = %g, want %g", x, got, want)
		}
	}
	for _, x := range []float64{-50, -3, 0.3, 12} {
		// t with 1 df is Cauchy
		if got, want := Pt(x, 1, true, false), 0.5+math.Atan(x)/math.Pi; math.Abs(got-want) > 1e-14*want {
			t.Errorf("pt(%g, 1) = %g, want %g", x, got, want)
		}
	}
	// binomial and hypergeometric probabilities sum to 1; phyper is their
	// cumulative sum.
	s, c := 0.0, 0.0
	for x := 0.0; x <= 40; x++ {
		s += Dbinom(x, 40, 0.37, false)
	}
	if math.Abs(s-1) > 1e-14 {
		t.Errorf("sum dbinom = %.17g", s)
	}
	for x := 0.0; x <= 15; x++ {
		c += Dhyper(x, 20, 25, 15, false)
		if p := Phyper(x, 20, 25, 15, true, false); math.Abs(p-c) > 1e-14 {
			t.Errorf("phyper(%g) = %.17g, cumulative dhyper %.17g", x, p, c)
		}
	}
	if math.Abs(Lchoose(10, 3)-math.Log(120)) > 1e-15 || math.Abs(Lbeta(2, 3)-math.Log(1.0/12)) > 1e-15 {
		t.Error("lchoose/lbeta")
	}
	// digamma recurrence and trigamma at 1
	for _, x := range []float64{0.3, 1.7, 12.5} {
		if math.Abs(Digamma(x+1)-Digamma(x)-1/x) > 1e-14*math.Max(1, 1/x) {
			t.Errorf("digamma recurrence at %g", x)
		}
	}
	if math.Abs(Trigamma(1)-math.Pi*math.Pi/6) > 1e-15 {
		t.Error("trigamma(1)")
	}
	for _, y := range []float64{0.01, 0.7, 3, 250} {
		if got := TrigammaInverse(Trigamma(y)); math.Abs(got-y) > 1e-8*y {
			t.Errorf("trigammaInverse(trigamma(%g)) = %g", y, got)
		}
	}
}

// TestInvalid: invalid parameters give NaN, never a panic.
func TestInvalid(t *testing.T) {
	nan := math.NaN()
	for name, v := range map[string]float64{
		"pnorm sd<0": Pnorm(1, 0, -1, true, false), "qnorm p>1": Qnorm(1.5, 0, 1, true, false),
		"pt df=0": Pt(1, 0, true, false), "qt p<0": Qt(-0.1, 3, true, false), "pchisq df<0": Pchisq(1, -2, true, false),
		"pbeta a<0": Pbeta(0.5, -1, 2, true, false), "pbinom p>1": Pbinom(1, 5, 1.5, true, false),
		"dhyper k>m+n": Dhyper(1, 2, 2, 9, false), "pnorm NaN": Pnorm(nan, 0, 1, true, false),
		"trigammaInverse<0": TrigammaInverse(-1),
	} {
		if !math.IsNaN(v) {
			t.Errorf("%s = %g, want NaN", name, v)
		}
	}
}

func BenchmarkPnorm(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Pnorm(-3.7, 0, 1, true, false)
	}
}

func BenchmarkPt(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Pt(2.3, 17, false, false)
	}
}

func BenchmarkPtLargeDF(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Pt(-3, 1e5, true, false)
	}
}

func BenchmarkQt(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Qt(0.975, 17, true, false)
	}
}

func BenchmarkTrigammaInverse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		TrigammaInverse(0.37)
	}
}
