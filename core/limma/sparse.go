package limma

import (
	"math"
	"sort"
)

// Sparse least squares for designs with many indicator columns (e.g.
// ~ patient + timepoint, where each row has two or three non-zero entries
// among a hundred columns).
//
// The weighted design sqrt(w)·X of a gene has the zero pattern of X, so a
// row-by-row Givens QR (George & Heath 1980, doi:10.1016/0024-3795(80)90166-4)
// with the columns ordered by increasing number of non-zeros touches only the
// structural non-zeros of R, which are found once for the design (the row
// structures of R and the elimination tree, as in sparse QR codes). A gene
// then costs O(rows x path length) instead of Householder's O(n·p²). Givens
// and Householder QR are both backward stable: the coefficients, their
// unscaled standard deviations and the residual sum of squares agree with
// R's dqrdc2 to rounding (about 1e-13 relative for these designs).
//
// R's rank decision (dqrdc2, tolerance 1e-7) is not reproduced by this
// path, so it is used only when every column is far from the span of the
// others: ||x_j - proj_{others} x_j|| = 1/sqrt(((XᵀWX)⁻¹)_jj) must be at least
// sparseRankMargin·||x_j||. dqrdc2 then keeps every column whatever its
// order (the norm it tests is at least that distance), so its rank is p and
// the least-squares solution is unique; otherwise the gene is refitted by the
// dense dqrdc2 path.

// sparseRankMargin is 100 times dqrdc2's tolerance.
const sparseRankMargin = 1e-5

// sparseMinP is the smallest number of columns for which the sparse path is
// considered; sparseForce (for tests) takes it whenever it is possible.
var (
	sparseMinP  = 8
	sparseForce = false
)

// sparsePlan is the symbolic factorisation of a design, shared read-only by
// the workers.
type sparsePlan struct {
	p      int
	perm   []int     // perm[k] = design column at position k
	rowNZ  [][]int32 // per design row: positions of its non-zeros, increasing
	rowVal [][]float64
	rs     [][]int32 // per position k: positions j >= k of R's row k, increasing (k first)
	parent []int32   // elimination tree: min(rs[k] \ {k}), -1 at a root
	path   [][]int32 // per position k: k, parent(k), parent(parent(k)), ...
}

// newSparsePlan returns the plan for the row-major n x p design X, or nil
// when the sparse path would not be markedly cheaper than dense Householder
// QR (estimated operation counts) or p < sparseMinP.
func newSparsePlan(X []float64, n, p int) *sparsePlan {
	if (p < sparseMinP && !sparseForce) || p < 2 || n == 0 {
		return nil
	}
	nnz := make([]int, p)
	for i := 0; i < n; i++ {
		for j := 0; j < p; j++ {
			if X[i*p+j] != 0 {
				nnz[j]++
			}
		}
	}
	perm := make([]int, p)
	for j := range perm {
		perm[j] = j
	}
	sort.SliceStable(perm, func(a, b int) bool { return nnz[perm[a]] < nnz[perm[b]] })
	pos := make([]int, p)
	for k, j := range perm {
		pos[j] = k
	}
	pl := &sparsePlan{p: p, perm: perm, rowNZ: make([][]int32, n), rowVal: make([][]float64, n)}
	for i := 0; i < n; i++ {
		var nz []int32
		for j := 0; j < p; j++ {
			if X[i*p+j] != 0 {
				nz = append(nz, int32(pos[j]))
			}
		}
		sort.Slice(nz, func(a, b int) bool { return nz[a] < nz[b] })
		vals := make([]float64, len(nz))
		for t, k := range nz {
			vals[t] = X[i*p+perm[k]]
		}
		pl.rowNZ[i], pl.rowVal[i] = nz, vals
	}
	// Symbolic row merging: R's row k collects the structure of every row
	// whose leading position is k, and passes the rest on to its parent.
	sets := make([]map[int32]bool, p)
	for k := range sets {
		sets[k] = map[int32]bool{}
	}
	pl.parent = make([]int32, p)
	for k := range pl.parent {
		pl.parent[k] = -1
	}
	for i := 0; i < n; i++ {
		if len(pl.rowNZ[i]) == 0 {
			continue
		}
		k := pl.rowNZ[i][0]
		for _, j := range pl.rowNZ[i] {
			sets[k][j] = true
		}
	}
	pl.rs = make([][]int32, p)
	for k := 0; k < p; k++ {
		sets[k][int32(k)] = true
		s := make([]int32, 0, len(sets[k]))
		for j := range sets[k] {
			s = append(s, j)
		}
		sort.Slice(s, func(a, b int) bool { return s[a] < s[b] })
		pl.rs[k] = s
		if len(s) > 1 {
			par := s[1]
			pl.parent[k] = par
			for _, j := range s[1:] {
				sets[par][j] = true
			}
		}
	}
	pl.path = make([][]int32, p)
	for k := 0; k < p; k++ {
		for a := int32(k); a >= 0; a = pl.parent[a] {
			pl.path[k] = append(pl.path[k], a)
		}
	}
	// Operation counts per gene: Givens rotations along each row's path,
	// versus Householder's 2·n·p².
	var sparse, dense float64
	for i := 0; i < n; i++ {
		if len(pl.rowNZ[i]) == 0 {
			continue
		}
		for _, k := range pl.path[pl.rowNZ[i][0]] {
			sparse += 6 * float64(len(pl.rs[k])+1)
		}
	}
	for k := 0; k < p; k++ {
		l := float64(len(pl.path[k]))
		sparse += 2*l*l + 2*float64(len(pl.rs[k]))
	}
	dense = 2 * float64(n) * float64(p) * float64(p)
	if sparse*3 > dense && !sparseForce {
		return nil
	}
	return pl
}

// sparseWork is one worker's numeric storage for sparsePlan fits.
type sparseWork struct {
	r      []float64 // p x p row-major; only the structure of R is used
	filled []bool
	qty    []float64
	x      []float64 // the row being rotated, by position
	b      []float64
	z      []float64
	norm2  []float64 // squared weighted column norms, by position
}

func newSparseWork(p int) *sparseWork {
	return &sparseWork{r: make([]float64, p*p), filled: make([]bool, p), qty: make([]float64, p),
		x: make([]float64, p), b: make([]float64, p), z: make([]float64, p), norm2: make([]float64, p)}
}

// givens returns c, s and h = sqrt(a²+b²) with c·a + s·b = h, -s·a + c·b = 0
// (h is computed with scaling only when a² + b² could overflow or underflow).
func givens(a, b float64) (c, s, h float64) {
	m := math.Abs(a)
	if ab := math.Abs(b); ab > m {
		m = ab
	}
	if m > 1e-150 && m < 1e150 {
		h = math.Sqrt(a*a + b*b)
	} else {
		a1, b1 := a/m, b/m
		h = m * math.Sqrt(a1*a1+b1*b1)
	}
	inv := 1 / h
	return a * inv, b * inv, h
}

// sparseOp is one step of a row's value through the factorisation: a
// rotation (c, s) with Qᵀy's entry k, or (fill) becoming entry k.
type sparseOp struct {
	k    int32
	fill bool
	c, s float64
}

// reset clears the numeric storage for a new gene.
func (pl *sparsePlan) reset(ws *sparseWork) {
	p := pl.p
	R := ws.r
	for k := 0; k < p; k++ {
		for _, j := range pl.rs[k] {
			R[k*p+int(j)] = 0
		}
		ws.filled[k] = false
		ws.qty[k] = 0
		ws.norm2[k] = 0
	}
}

// addRow rotates design row i, scaled by sw, with value yv into the
// factor; it returns what is left of yv (a residual effect) and, when rec
// is not nil, appends the row's steps to it.
func (pl *sparsePlan) addRow(ws *sparseWork, i int, sw, yv float64, rec *[]sparseOp) float64 {
	p := pl.p
	R, x := ws.r, ws.x
	nz := pl.rowNZ[i]
	if len(nz) == 0 {
		return yv
	}
	for t, k := range nz {
		xv := pl.rowVal[i][t] * sw
		x[k] = xv
		ws.norm2[k] += xv * xv
	}
	for k := nz[0]; k >= 0; k = pl.parent[k] {
		xk := x[k]
		if xk == 0 {
			continue
		}
		rk := R[int(k)*p : int(k)*p+p]
		s := pl.rs[k]
		if !ws.filled[k] {
			for _, j := range s {
				rk[j] = x[j]
				x[j] = 0
			}
			ws.qty[k] = yv
			yv = 0
			ws.filled[k] = true
			if rec != nil {
				*rec = append(*rec, sparseOp{k: k, fill: true})
			}
			break
		}
		c, sn, h := givens(rk[k], xk)
		rk[k] = h
		x[k] = 0
		for _, j := range s[1:] {
			a, b := rk[j], x[j]
			rk[j] = c*a + sn*b
			x[j] = c*b - sn*a
		}
		a := ws.qty[k]
		ws.qty[k] = c*a + sn*yv
		yv = c*yv - sn*a
		if rec != nil {
			*rec = append(*rec, sparseOp{k: k, c: c, s: sn})
		}
	}
	return yv
}

// fit fits one gene: y with optional weights w (observations with NaN y or
// non-positive/NaN/Inf weight dropped, like lmGene). It returns ok = false
// when the design restricted to the gene is not clearly of full rank; the
// caller then uses the dense path.
func (pl *sparsePlan) fit(ws *sparseWork, y, w []float64, coef, sd []float64) (sigma, df float64, ok bool) {
	pl.reset(ws)
	rss := 0.0
	m := 0
	for i, v := range y {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		sw := 1.0
		if w != nil {
			wi := w[i]
			if !(wi > 0) || math.IsInf(wi, 0) {
				continue
			}
			sw = math.Sqrt(wi)
		}
		m++
		yv := pl.addRow(ws, i, sw, v*sw, nil)
		rss += yv * yv
	}
	for j := range coef {
		coef[j] = math.NaN()
		sd[j] = math.NaN()
	}
	if m == 0 {
		return math.NaN(), 0, true
	}
	if !pl.solve(ws, ws.r, ws.qty, coef, sd) {
		return 0, 0, false
	}
	df = float64(m - pl.p)
	if m > pl.p {
		return math.Sqrt(rss / df), df, true
	}
	return math.NaN(), df, true
}

// solve back-substitutes R b = qty into coef and sets sd to the unscaled
// standard deviations, both by design column; false when a diagonal
// element of R is missing or zero or a column is too close to the span of
// the others (see sparseRankMargin).
func (pl *sparsePlan) solve(ws *sparseWork, R, qty, coef, sd []float64) bool {
	p := pl.p
	for k := 0; k < p; k++ {
		if !ws.filled[k] || R[k*p+k] == 0 {
			return false
		}
	}
	b := ws.b
	pl.backSubst(R, qty, b)
	// diag((RᵀR)⁻¹)_k = ||row k of R⁻¹||², row k of R⁻¹ = z with Rᵀz = e_k,
	// non-zero only on the elimination-tree path from k.
	z := ws.z
	for k := 0; k < p; k++ {
		path := pl.path[k]
		z[k] = 1 / R[k*p+k]
		ss := z[k] * z[k]
		for a := 1; a < len(path); a++ {
			i := int(path[a])
			t := 0.0
			for _, l := range path[:a] {
				t += R[int(l)*p+i] * z[l]
			}
			z[i] = -t / R[i*p+i]
			ss += z[i] * z[i]
		}
		for _, l := range path {
			z[l] = 0
		}
		// Distance of column k from the span of the others is 1/sqrt(ss).
		if ss*ws.norm2[k] > 1/(sparseRankMargin*sparseRankMargin) || math.IsNaN(ss) || math.IsInf(ss, 0) {
			return false
		}
		coef[pl.perm[k]] = b[k]
		sd[pl.perm[k]] = math.Sqrt(ss)
	}
	return true
}

// backSubst solves R b = qty (R's structure from the plan).
func (pl *sparsePlan) backSubst(R, qty, b []float64) {
	p := pl.p
	for k := p - 1; k >= 0; k-- {
		rk := R[k*p : k*p+p]
		t := qty[k]
		for _, j := range pl.rs[k][1:] {
			t -= rk[j] * b[j]
		}
		b[k] = t / rk[k]
	}
}

// sparseShared is the factorisation of the unscaled design, done once for
// the complete genes of an unweighted fit: the rotations depend on the
// design only, so each such gene replays them on its values (no square
// roots or divisions) and shares R and the standard deviations; the
// arithmetic is the same as fit's, so are the results.
type sparseShared struct {
	ops   []sparseOp
	start []int32   // row i's steps are ops[start[i]:start[i+1]]
	r     []float64 // the factor
	sd    []float64 // by design column
}

// shared returns the plan's sparseShared, or nil when the design is not
// clearly of full rank (fit would refuse every complete gene).
func (pl *sparsePlan) shared() *sparseShared {
	n := len(pl.rowNZ)
	ws := newSparseWork(pl.p)
	sh := &sparseShared{start: make([]int32, n+1), r: ws.r, sd: make([]float64, pl.p)}
	pl.reset(ws)
	for i := 0; i < n; i++ {
		sh.start[i] = int32(len(sh.ops))
		pl.addRow(ws, i, 1, 0, &sh.ops)
	}
	sh.start[n] = int32(len(sh.ops))
	if n == 0 || !pl.solve(ws, ws.r, ws.qty, make([]float64, pl.p), sh.sd) {
		return nil
	}
	return sh
}

// fitShared is fit for a complete gene without weights, with sh from
// pl.shared(); ws provides the buffers.
func (pl *sparsePlan) fitShared(sh *sparseShared, ws *sparseWork, y, coef, sd []float64) (sigma, df float64) {
	p := pl.p
	qty := ws.qty
	for k := range qty[:p] {
		qty[k] = 0
	}
	rss := 0.0
	for i, v := range y {
		yv := v * 1.0
		for _, op := range sh.ops[sh.start[i]:sh.start[i+1]] {
			if op.fill {
				qty[op.k] = yv
				yv = 0
				break
			}
			a := qty[op.k]
			qty[op.k] = op.c*a + op.s*yv
			yv = op.c*yv - op.s*a
		}
		rss += yv * yv
	}
	b := ws.b
	pl.backSubst(sh.r, qty, b)
	for k, j := range pl.perm {
		coef[j] = b[k]
	}
	copy(sd, sh.sd)
	m := len(y)
	df = float64(m - p)
	if m > p {
		return math.Sqrt(rss / df), df
	}
	return math.NaN(), df
}
