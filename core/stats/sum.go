package stats

import "math"

// Neumaier is a compensated running sum (Neumaier 1974, "Rundungsfehleranalyse
// einiger Verfahren zur Summation endlicher Summen", ZAMM 54:39-51): Add keeps
// the rounding error of every addition in a second accumulator, so Sum is close
// to the correctly rounded sum whatever the order of magnitudes, as R's long
// double accumulations are. The zero value is an empty sum (Sum 0); NaN or Inf
// terms make Sum NaN or Inf as a plain sum would.
type Neumaier struct{ s, c float64 }

// Add adds v to the sum.
func (a *Neumaier) Add(v float64) {
	t := a.s + v
	if math.Abs(a.s) >= math.Abs(v) {
		a.c += (a.s - t) + v
	} else {
		a.c += (v - t) + a.s
	}
	a.s = t
}

// Sum returns the compensated sum of the terms added so far.
func (a *Neumaier) Sum() float64 { return a.s + a.c }
