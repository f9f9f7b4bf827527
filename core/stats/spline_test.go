package stats

import (
	"math"
	"testing"
)

// TestFMMSpline: the fmm spline reproduces a cubic exactly (its end
// conditions match the cubic's third derivative), a line through two
// points, and R's splinefun(x, y, method = "fmm") values on data that are
// not a cubic (R 4.2.2: x <- c(0, 1, 2.5, 3, 4.5, 6); y <- c(1, 3, 2, 5, 4, 0);
// f <- splinefun(x, y, "fmm"); f(c(0.5, 2, 2.75, 4, 5.9))).
func TestFMMSpline(t *testing.T) {
	eval := func(x, y, b, c, d []float64, u float64) float64 {
		i := 0
		for i+1 < len(x) && u >= x[i+1] {
			i++
		}
		s := u - x[i]
		return y[i] + s*(b[i]+s*(c[i]+s*d[i]))
	}
	cases := []struct {
		name string
		x, y []float64
		at   []float64
		want func(u float64) float64
		vals []float64
		tol  float64
	}{
		{name: "cubic", x: []float64{-1, 0, 0.5, 2, 3, 4.25},
			want: func(u float64) float64 { return 2*u*u*u - u*u + 3*u - 5 }, at: []float64{-0.5, 0.25, 1, 2.5, 4}, tol: 1e-12},
		{name: "line", x: []float64{1, 3}, y: []float64{2, 6},
			want: func(u float64) float64 { return 2 * u }, at: []float64{1.5, 2.9}, tol: 1e-15},
		{name: "R splinefun", x: []float64{0, 1, 2.5, 3, 4.5, 6}, y: []float64{1, 3, 2, 5, 4, 0},
			at: []float64{0.5, 2, 2.75, 4, 5.9}, vals: rSplineVals, tol: 1e-13},
	}
	for _, c := range cases {
		y := c.y
		if y == nil {
			y = make([]float64, len(c.x))
			for i, u := range c.x {
				y[i] = c.want(u)
			}
		}
		n := len(c.x)
		b, cc, d := make([]float64, n), make([]float64, n), make([]float64, n)
		FMMSpline(c.x, y, b, cc, d)
		for k, u := range c.at {
			got := eval(c.x, y, b, cc, d, u)
			var want float64
			if c.vals != nil {
				want = c.vals[k]
			} else {
				want = c.want(u)
			}
			if math.Abs(got-want) > c.tol*math.Max(1, math.Abs(want)) {
				t.Errorf("%s: spline(%g) = %.17g, want %.17g", c.name, u, got, want)
			}
		}
	}
}

// rSplineVals are R 4.2.2's splinefun values of TestFMMSpline's last case.
var rSplineVals = []float64{3.1093813593813593, 1.011088499977389, 3.4730667480667479, 5.6940713607380271, 0.0060626780626780175}
