package stats

// FMMSpline sets b, c and d (each of len(x)) to the coefficients of R's
// "fmm" interpolating cubic spline through (x_i, y_i), x strictly increasing:
// on [x_i, x_{i+1}] the spline is y_i + b_i t + c_i t² + d_i t³ with
// t = x - x_i. The end conditions are Forsythe, Malcolm & Moler's (Computer
// Methods for Mathematical Computations, 1977): the third derivative at each
// end matches that of the cubic through the four end points, so a cubic is
// reproduced exactly.
//
// Source: R 4.2 src/library/stats/src/splines.c, fmm_spline (used by
// splinefun(method = "fmm"), DESeq2's local dispersion fit via VST, and
// edgeR's maximizeInterpolant, whose fmm_spline.c is the same code); the
// arithmetic is the same, operation for operation.
//
// With fewer than two points nothing is set; with two, the line through them
// (b constant, c = d = 0).
func FMMSpline(x, y, b, c, d []float64) {
	n := len(x)
	if n < 2 {
		return
	}
	if n < 3 {
		t := y[1] - y[0]
		b[0] = t / (x[1] - x[0])
		b[1] = b[0]
		c[0], c[1], d[0], d[1] = 0, 0, 0, 0
		return
	}
	nm1 := n - 1
	// 0-based transcription of fmm_spline: index i here is i+1 in the C code.
	d[0] = x[1] - x[0]
	c[1] = (y[1] - y[0]) / d[0]
	for i := 1; i < nm1; i++ {
		d[i] = x[i+1] - x[i]
		b[i] = 2 * (d[i-1] + d[i])
		c[i+1] = (y[i+1] - y[i]) / d[i]
		c[i] = c[i+1] - c[i]
	}
	b[0] = -d[0]
	b[nm1] = -d[nm1-1]
	c[0], c[nm1] = 0, 0
	if n > 3 {
		c[0] = c[2]/(x[3]-x[1]) - c[1]/(x[2]-x[0])
		c[nm1] = c[nm1-1]/(x[nm1]-x[nm1-2]) - c[nm1-2]/(x[nm1-1]-x[nm1-3])
		c[0] = c[0] * d[0] * d[0] / (x[3] - x[0])
		c[nm1] = -c[nm1] * d[nm1-1] * d[nm1-1] / (x[nm1] - x[nm1-3])
	}
	// Gaussian elimination and back substitution of the tridiagonal system.
	for i := 1; i <= nm1; i++ {
		t := d[i-1] / b[i-1]
		b[i] = b[i] - t*d[i-1]
		c[i] = c[i] - t*c[i-1]
	}
	c[nm1] = c[nm1] / b[nm1]
	for i := nm1 - 1; i >= 0; i-- {
		c[i] = (c[i] - d[i]*c[i+1]) / b[i]
	}
	// The cubic's coefficients.
	b[nm1] = (y[nm1]-y[nm1-1])/d[nm1-1] + d[nm1-1]*(c[nm1-1]+2*c[nm1])
	for i := 0; i < nm1; i++ {
		b[i] = (y[i+1]-y[i])/d[i] - d[i]*(c[i+1]+2*c[i])
		d[i] = (c[i+1] - c[i]) / d[i]
		c[i] = 3 * c[i]
	}
	c[nm1] = 3 * c[nm1]
	d[nm1] = d[nm1-1]
}
