package edger

import (
	"math"
	"sort"
)

// locfitDeg0 is edgeR's locfitByCol(y, x, span, degree = 0) (edgeR 3.40.2):
// for each column, fitted(locfit(y ~ x, alpha = span, deg = 0)) with
// locfit 1.5-9's defaults (family "qgaussian", tricube kernel, ev = rbox():
// the adaptive tree "tree" with cut 0.8). That reduces to:
//
//   - vertices: the data range [min x, max x] is split at midpoints, depth
//     first, while 0.8 < (cell width) / (smallest positive bandwidth at the
//     cell's two vertices) (locfit's atree_grow / atree_split; with no
//     positive bandwidth the score is 2·width/range);
//   - at each vertex v a local-constant fit: bandwidth h = the k-th smallest
//     |x_i - v|, k = (int)(n·span + 1e-12) (locfit's nbhd / kordstat),
//     weights W = (1 - (|x_i - v|/h)³)³ for |x_i - v| < h, and the fit
//     Σ W_i y_i / Σ W_i (reginit; the Gaussian identity-link likelihood
//     takes no Newton step);
//   - fitted values: degree 0 stores no derivatives, so locfit
//     interpolates linearly between the two vertices of the leaf cell that
//     holds x (atree_int, rectcell_interp with nc = 1).
//
// l0 is ns x ncol row-major; the result has the same shape. As in
// locfitByCol, span·ns < 2 or ns <= 1 returns a copy of l0.
func locfitDeg0(l0 []float64, ns, ncol int, x []float64, span float64) []float64 {
	out := make([]float64, len(l0))
	if span*float64(ns) < 2 || ns <= 1 {
		copy(out, l0)
		return out
	}
	t := newLocfitTree(x, span)
	// vertex fits for every column
	nv := len(t.vx)
	coef := make([]float64, nv*ncol)
	w := make([]float64, ns)
	for v := 0; v < nv; v++ {
		t.weights(t.vx[v], t.vh[v], w)
		for c := 0; c < ncol; c++ {
			s0, s1 := 0.0, 0.0
			for i := 0; i < ns; i++ {
				if w[i] > 0 {
					s1 += w[i] * l0[i*ncol+c]
					s0 += w[i]
				}
			}
			coef[v*ncol+c] = s1 / s0
		}
	}
	for i := 0; i < ns; i++ {
		a, b := t.leaf(x[i])
		xa, xb := t.vx[a], t.vx[b]
		d, h := xb-xa, x[i]-xa
		for c := 0; c < ncol; c++ {
			f0, f1 := coef[a*ncol+c], coef[b*ncol+c]
			if d == 0 {
				out[i*ncol+c] = f0
			} else {
				out[i*ncol+c] = ((d-h)*f0 + h*f1) / d
			}
		}
	}
	return out
}

// locfitTree is locfit's adaptive evaluation tree in one dimension.
type locfitTree struct {
	x      []float64
	k      int
	lo, hi float64   // fitting region (data range)
	vx, vh []float64 // vertex positions and bandwidths
	// child: for a cell given by its two vertex indices, the midpoint vertex.
	mid  map[[2]int]int
	dist []float64
}

const locfitCut = 0.8

func newLocfitTree(x []float64, span float64) *locfitTree {
	n := len(x)
	t := &locfitTree{x: x, k: int(float64(n)*span + 1e-12), mid: map[[2]int]int{}, dist: make([]float64, n)}
	t.lo, t.hi = x[0], x[0]
	for _, v := range x {
		t.lo = math.Min(t.lo, v)
		t.hi = math.Max(t.hi, v)
	}
	t.addVertex(t.lo)
	t.addVertex(t.hi)
	t.grow(0, 1)
	return t
}

func (t *locfitTree) addVertex(v float64) int {
	t.vx = append(t.vx, v)
	t.vh = append(t.vh, t.bandwidth(v))
	return len(t.vx) - 1
}

// bandwidth is the k-th smallest distance from v to the data (kordstat).
func (t *locfitTree) bandwidth(v float64) float64 {
	if t.k < 1 {
		return 0
	}
	for i, xi := range t.x {
		t.dist[i] = math.Abs(xi - v)
	}
	sort.Float64s(t.dist)
	return t.dist[t.k-1]
}

// weights sets the tricube weights of the data around v with bandwidth h.
func (t *locfitTree) weights(v, h float64, w []float64) {
	for i, xi := range t.x {
		di := math.Abs(xi - v)
		if h == 0 {
			if di == 0 {
				w[i] = 1
			} else {
				w[i] = 0
			}
			continue
		}
		u := di / h
		if u > 1 {
			w[i] = 0
			continue
		}
		u = 1 - u*u*u
		w[i] = u * u * u
	}
}

// split reports whether the cell between vertices a and b is split.
func (t *locfitTree) split(a, b int) bool {
	hmin := 0.0
	for _, h := range []float64{t.vh[a], t.vh[b]} {
		if h > 0 && (hmin == 0 || h < hmin) {
			hmin = h
		}
	}
	le := t.vx[b] - t.vx[a]
	var score float64
	if hmin == 0 {
		score = 2 * le / (t.hi - t.lo)
	} else {
		score = le / hmin
	}
	return locfitCut < score
}

func (t *locfitTree) grow(a, b int) {
	if !t.split(a, b) {
		return
	}
	m := t.addVertex((t.vx[a] + t.vx[b]) / 2)
	t.mid[[2]int{a, b}] = m
	t.grow(a, m)
	t.grow(m, b)
}

// leaf returns the vertices of the terminal cell that holds x (atree_int:
// the lower half when 2(x - ll) < width).
func (t *locfitTree) leaf(x float64) (int, int) {
	a, b := 0, 1
	for {
		m, ok := t.mid[[2]int{a, b}]
		if !ok {
			return a, b
		}
		if 2*(x-t.vx[a]) < t.vx[b]-t.vx[a] {
			b = m
		} else {
			a = m
		}
	}
}
