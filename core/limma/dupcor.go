package limma

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/design"
	"github.com/her2het/her2het/core/fmath"
	"github.com/her2het/her2het/core/pool"
	"github.com/her2het/her2het/core/stats"
)

// DupCorOptions are the optional arguments of DuplicateCorrelation.
type DupCorOptions struct {
	// Weights (genes x samples, e.g. voom's) or nil; weights <= 0 drop the
	// observation.
	Weights []float64
	// Trim of the trimmed mean on the atanh scale (default 0.15).
	Trim    float64
	Workers int
	// Pool, when set, runs the gene-wise REML fits as "limma.dupcor" tasks
	// over gene ranges; nil keeps them on Workers goroutines. Bitwise the same.
	Pool pool.Pool
}

// DupCor is duplicateCorrelation's value.
type DupCor struct {
	Consensus float64
	// AtanhCorrelations are the clipped gene-wise correlations on the atanh
	// scale; NaN where a gene could not be fitted.
	AtanhCorrelations []float64
	// Reason is set when the consensus was set to 0 without fitting.
	Reason string
}

// DuplicateCorrelation estimates the intra-block correlation of a blocked
// design (e.g. two biopsies per patient), like limma's duplicateCorrelation
// with block (limma 3.54.1, R/dups.R) using statmod 1.5.0's mixedModel2Fit
// and glmgam.fit (Smyth, Michaud & Scott 2005, doi:10.1093/bioinformatics/bti270).
//
// For each gene with nobs > ncol(X)+2 finite, positively weighted values in
// 1 < #blocks < nobs-1 blocks, the REML variance components (σ²_res, σ²_block)
// of sqrt(w)·y = sqrt(w)·Xβ + Zb + ε are found by the Gamma-GLM (identity
// link, Levenberg-damped Fisher scoring, tol 1e-6, maxit 20) of the squared
// rotated residuals dy on the squared singular values d of the residual-space
// block matrix, started from the least-squares line (or (mean dy, 0)); the
// line itself is used when mq <= 2 or d has fewer than two non-zero values.
// ρ_g = σ²_block/(σ²_res+σ²_block); any failure gives NaN, and so does a
// gene whose residual sum of squares is 0 to rounding (R returns a value
// driven by rounding noise there). ρ is clipped to
// [1/(1-max block size)+0.01, 0.99] and
//
//	consensus = tanh(mean(atanh ρ, trim = 0.15, NaN removed)).
//
// The eigenstructure of the residual-space block matrix is obtained from the
// small matrix it reduces to (block indicators are unweighted, so it is a
// diagonal of block sizes minus a rank-ncol(X) term), not from a full SVD;
// the GLM depends only on that eigenstructure, so the results are R's to
// rounding.
//
// If all blocks have one sample, or the block factor is already in the design,
// the consensus is 0 (limma warns) and Reason says why.
//
// Errors: block or weights of the wrong length, design rows not matching.
func DuplicateCorrelation(y *dataset.Matrix, X *design.Matrix, block []string, opt *DupCorOptions) (*DupCor, error) {
	o := DupCorOptions{}
	if opt != nil {
		o = *opt
	}
	if o.Trim == 0 {
		o.Trim = 0.15
	}
	if err := y.Validate(); err != nil {
		return nil, err
	}
	G, n := y.Rows(), y.Cols()
	if G == 0 {
		return nil, ErrNoGenes
	}
	if X == nil {
		ones := make([]float64, n)
		for i := range ones {
			ones[i] = 1
		}
		X, _ = design.FromValues([]string{"GrandMean"}, n, ones)
	}
	if X.Rows != n {
		return nil, fmt.Errorf("limma: the design has %d rows but the data have %d samples", X.Rows, n)
	}
	if len(block) != n {
		return nil, fmt.Errorf("limma: block has %d values for %d samples", len(block), n)
	}
	if o.Weights != nil && len(o.Weights) != G*n {
		return nil, fmt.Errorf("limma: %d weights for %d genes x %d samples", len(o.Weights), G, n)
	}
	p := X.Cols()
	bl := newBlocking(block)
	maxBlock := 0
	for _, m := range bl.members {
		if len(m) > maxBlock {
			maxBlock = len(m)
		}
	}
	zero := func(reason string) *DupCor {
		return &DupCor{Consensus: 0, AtanhCorrelations: make([]float64, G), Reason: reason}
	}
	if maxBlock == 1 {
		return zero("blocks all of size 1: intrablock correlation set to zero"), nil
	}
	// Is the block factor already in the design? (qr.qty of the indicators
	// of all levels but the first, in sorted order.)
	{
		q := design.NewQR(X.X, n, p, design.Tol)
		levels := make([]string, 0, len(bl.members))
		for _, m := range bl.members {
			levels = append(levels, block[m[0]])
		}
		sort.Strings(levels)
		mx := 0.0
		col := make([]float64, n)
		for _, l := range levels[1:] {
			for i := range col {
				col[i] = 0
				if block[i] == l {
					col[i] = 1
				}
			}
			q.QtY(col)
			for _, v := range col[q.Rank:] {
				mx = math.Max(mx, math.Abs(v))
			}
		}
		if mx < 1e-8 {
			return zero("block factor already encoded in the design matrix: intrablock correlation set to zero"), nil
		}
	}
	rho := make([]float64, G)
	if o.Pool != nil {
		if err := dupCorPool(o.Pool, y, X.X, n, p, o.Weights, bl.of, rho); err != nil {
			return nil, err
		}
	} else {
		parallel(G, o.Workers, func(lo, hi int) {
			var w []float64
			if o.Weights != nil {
				w = o.Weights[lo*n : hi*n]
			}
			newDupWork(n, p, len(bl.members)).rhoRange(y.Data[lo*n:hi*n], w, X.X, bl, rho[lo:hi])
		})
	}
	rhomax := 0.99
	rhomin := 1/(1-float64(maxBlock)) + 0.01
	arho := make([]float64, G)
	var fin []float64
	for g, r := range rho {
		if !math.IsNaN(r) {
			if r < rhomin {
				r = rhomin
			}
			if r > rhomax {
				r = rhomax
			}
		}
		arho[g] = math.Atanh(r)
		if !math.IsNaN(r) {
			fin = append(fin, arho[g])
		}
	}
	if len(fin) == 0 {
		return &DupCor{Consensus: math.NaN(), AtanhCorrelations: arho, Reason: "no gene could be fitted"}, nil
	}
	return &DupCor{Consensus: fmath.Tanh(stats.TrimmedMean(fin, o.Trim)), AtanhCorrelations: arho}, nil
}

// rhoRange computes ρ for the genes of y (row-major, len(rho) genes).
func (ws *dupWork) rhoRange(y, w, X []float64, bl *blocking, rho []float64) {
	n := ws.n
	for g := range rho {
		var wg []float64
		if w != nil {
			wg = w[g*n : (g+1)*n]
		}
		rho[g] = ws.geneRho(y[g*n:(g+1)*n], wg, X, bl)
	}
}

// dupCorPool runs rhoRange as "limma.dupcor" tasks over gene ranges, in
// rounds of pool.Size() small tasks (see lmFitPool).
func dupCorPool(pl pool.Pool, y *dataset.Matrix, X []float64, n, p int, weights []float64, blockOf []int, rho []float64) error {
	G := y.Rows()
	parts := poolParts(pl, G, n, weights != nil)
	return pool.RunRounds(pl, "limma.dupcor", parts, func(lo, hi int) []byte {
		return geneTask(y, X, n, p, weights, blockOf, nil, lo, hi)
	}, func(i, lo, hi int, out []byte) error {
		rd := pool.NewReader(out)
		r := rd.Blob()
		if err := rd.Done(); err != nil {
			return err
		}
		if len(r) != 8*(hi-lo) {
			return fmt.Errorf("limma: dupcor task %d returned %d values for %d genes", i, len(r)/8, hi-lo)
		}
		pool.DecodeFloat64s(rho[lo:hi], r)
		return nil
	})
}

func init() { pool.Register("limma.dupcor", dupCorKernel) }

// dupCorKernel is the "limma.dupcor" task (see dupCorPool).
func dupCorKernel(in []byte) ([]byte, error) {
	rd := pool.NewReader(in)
	n, p := rd.Int(), rd.Int()
	X := rd.Float64s()
	blockOf := rd.Ints()
	y := rd.Blob()
	var w []byte
	if rd.Bool() {
		w = rd.Blob()
	}
	if err := rd.Done(); err != nil {
		return nil, err
	}
	if n <= 0 || p <= 0 || len(X) != n*p || len(y)%(8*n) != 0 || (w != nil && len(w) != len(y)) || len(blockOf) != n {
		return nil, fmt.Errorf("limma: dupcor task: inconsistent sizes")
	}
	for _, b := range blockOf {
		if b < 0 || b >= n {
			return nil, fmt.Errorf("limma: dupcor task: bad block index")
		}
	}
	bl := blockingOf(blockOf)
	rho := make([]float64, len(y)/(8*n))
	ws := newDupWork(n, p, len(bl.members))
	rowChunks(y, w, n, func(lo, hi int, yc, wc []float64) {
		ws.rhoRange(yc, wc, X, bl, rho[lo:hi])
	})
	out := pool.NewWriter(8*len(rho) + 16)
	out.Float64Blob(rho)
	return out.Bytes(), nil
}

// dupWork is one worker's scratch for geneRho.
type dupWork struct {
	n, p int
	ls   *wls
	blk  []int
	res  []float64
	e    []float64
	bidx []int
	size []int
	g, b []float64
	spec specWork
}

// grow returns (*buf)[:n] zeroed, reallocating when too short.
func grow(buf *[]float64, n int) []float64 {
	if cap(*buf) < n {
		*buf = make([]float64, n)
	}
	s := (*buf)[:n]
	for i := range s {
		s[i] = 0
	}
	return s
}

func newDupWork(n, p, nb int) *dupWork {
	return &dupWork{n: n, p: p, ls: newWLS(n, p), blk: make([]int, n), res: make([]float64, n), e: make([]float64, n)}
}

// obsGroup is a set of GLM observations sharing d: count of them, their sum of dy.
type obsGroup struct {
	d, sum float64
	n      int
}

var errGLM = errors.New("glm failed")

// geneRho returns ρ for one gene, or NaN.
func (ws *dupWork) geneRho(y, w, X []float64, bl *blocking) float64 {
	// Observed rows, scaled by sqrt(w).
	f := ws.ls
	mx := f.load(y, w, X)
	rows := f.rows
	// Blocks present among the observed rows, renumbered in order.
	if len(ws.bidx) < len(bl.members) {
		ws.bidx = make([]int, len(bl.members))
	}
	bidx := ws.bidx
	for i := range bidx {
		bidx[i] = -1
	}
	size := ws.size[:0]
	for k, i := range rows {
		b := bl.of[i]
		j := bidx[b]
		if j < 0 {
			j = len(size)
			bidx[b] = j
			size = append(size, 0)
		}
		size[j]++
		ws.blk[k] = j
	}
	ws.size = size
	nz := len(size)
	if !(mx > ws.p+2 && nz > 1 && nz < mx-1) {
		return math.NaN()
	}
	yss := f.sumSquares()
	r := f.decompose()
	q := &f.qr
	yw := f.y[:mx] // the effects
	mq := mx - r
	if mq == 0 {
		return math.NaN()
	}
	rss := f.rss()
	if !(rss > 1e-24*yss) {
		// The fit is exact up to rounding (e.g. a constant gene): the
		// variance components are not identified. R returns a value driven
		// by rounding noise here; NaN is returned instead.
		return math.NaN()
	}
	// Residual vector and g = Zᵀ res.
	res := ws.res[:mx]
	copy(res, yw)
	for i := 0; i < r; i++ {
		res[i] = 0
	}
	q.QY(res)
	g := grow(&ws.g, nz)
	blk := ws.blk[:mx]
	for k, b := range blk {
		g[b] += res[k]
	}
	// B = Q1ᵀ Z (r x nz).
	B := grow(&ws.b, r*nz)
	e := ws.e[:mx]
	for c := 0; c < r; c++ {
		for i := range e {
			e[i] = 0
		}
		e[c] = 1
		q.QY(e)
		Bc := B[c*nz : (c+1)*nz]
		for k, b := range blk {
			Bc[b] += e[k]
		}
	}
	groups, err := ws.spec.residualSpectrum(size, B, g, r, mq, rss)
	if err != nil {
		return math.NaN()
	}
	vc, err := ws.spec.fitVarComp(groups, mq)
	if err != nil || math.IsNaN(vc[0]) || math.IsNaN(vc[1]) {
		return math.NaN()
	}
	return vc[1] / (vc[0] + vc[1])
}

// specWork holds residualSpectrum's buffers, reused gene after gene.
type specWork struct {
	count, start []int // per block size: blocks of that size, first slot in order
	order        []int // blocks grouped by increasing size, block order within a size
	bt, gs, gq   []float64
	qwork        []float64
	qq           design.QR
	kdelta       []float64 // per K-space column: its block size
	kgrp         []int     // per K-space column: first slot of its size group in order
	km           []int     // per K-space column: number of blocks of its size
	kvec         []float64 // K-space columns, m values each, concatenated
	koff         []int
	bw, h, mk    []float64
	jv, jlam     []float64
	groups       []obsGroup
	vx, vy       []float64 // fitVarComp's least squares
	vq           design.QR
	mu, vv       []float64 // glmgam's mean and variance
}

func growF(buf *[]float64, n int) []float64 {
	if cap(*buf) < n {
		*buf = make([]float64, n)
	}
	*buf = (*buf)[:n]
	return *buf
}

func growI(buf *[]int, n int) []int {
	if cap(*buf) < n {
		*buf = make([]int, n)
	}
	*buf = (*buf)[:n]
	return *buf
}

// residualSpectrum returns the GLM observations (d, dy) of mixedModel2Fit,
// grouped by equal d: M = QtZᵀQtZ = diag(size) - BᵀB has eigenvalue δ on the
// part of each equal-size block subspace orthogonal to B's rows; the rest is
// a small matrix diagonalised by Jacobi rotations. dy for an eigenvector v
// with eigenvalue d > 0 is (vᵀg)²/d; the zero-d group gets the remainder of
// the residual sum of squares. The result is in sw.groups (valid until the
// next call).
func (sw *specWork) residualSpectrum(size []int, B, g []float64, r, mq int, rss float64) ([]obsGroup, error) {
	nz := len(size)
	maxSize := 0
	for _, s := range size {
		maxSize = max(maxSize, s)
	}
	count := growI(&sw.count, maxSize+1)
	start := growI(&sw.start, maxSize+1)
	for i := range count {
		count[i] = 0
	}
	for _, s := range size {
		count[s]++
	}
	pos := 0
	for s := range count {
		start[s] = pos
		pos += count[s]
	}
	order := growI(&sw.order, nz)
	{
		next := growI(&sw.kgrp, maxSize+1) // temporary fill pointers
		copy(next, start)
		for b, s := range size {
			order[next[s]] = b
			next[s]++
		}
	}
	groups := sw.groups[:0]
	sw.kdelta, sw.kgrp, sw.km, sw.koff = sw.kdelta[:0], sw.kgrp[:0], sw.km[:0], sw.koff[:0]
	kvec := sw.kvec[:0]
	npos := 0
	posSum := 0.0
	for sz := 1; sz <= maxSize; sz++ {
		m := count[sz]
		if m == 0 {
			continue
		}
		idx := order[start[sz] : start[sz]+m]
		delta := float64(sz)
		k := 0
		gs := growF(&sw.gs, m)
		gn := 0.0
		for a, b := range idx {
			gs[a] = g[b]
			gn += g[b] * g[b]
		}
		proj := 0.0
		if r > 0 {
			// Bt (m x r, column-major) restricted to these blocks.
			bt := growF(&sw.bt, m*r)
			for c := 0; c < r; c++ {
				btc, Bc := bt[c*m:(c+1)*m], B[c*nz:(c+1)*nz]
				for a, b := range idx {
					btc[a] = Bc[b]
				}
			}
			sw.qq.Decompose(bt, m, r, 1e-13, growF(&sw.qwork, 2*r))
			k = sw.qq.Rank
			if k > 0 {
				gq := growF(&sw.gq, m)
				copy(gq, gs)
				sw.qq.QtY(gq)
				for _, v := range gq[:k] {
					proj += v * v
				}
				for c := 0; c < k; c++ {
					off := len(kvec)
					for a := 0; a < m; a++ {
						kvec = append(kvec, 0)
					}
					v := kvec[off : off+m]
					v[c] = 1
					sw.qq.QY(v)
					sw.kdelta = append(sw.kdelta, delta)
					sw.kgrp = append(sw.kgrp, start[sz])
					sw.km = append(sw.km, m)
					sw.koff = append(sw.koff, off)
				}
			}
		}
		if mult := m - k; mult > 0 {
			sum := (gn - proj) / delta
			if sum < 0 {
				sum = 0
			}
			groups = append(groups, obsGroup{d: delta, sum: sum, n: mult})
			npos += mult
			posSum += sum
		}
	}
	sw.kvec = kvec
	K := len(sw.kdelta)
	if K > 0 {
		// BW (r x K) and h = Wᵀg.
		bw := growF(&sw.bw, r*K)
		h := growF(&sw.h, K)
		for i := range bw {
			bw[i] = 0
		}
		maxd := 0.0
		for c := 0; c < K; c++ {
			h[c] = 0
			vec := kvec[sw.koff[c] : sw.koff[c]+sw.km[c]]
			idx := order[sw.kgrp[c] : sw.kgrp[c]+sw.km[c]]
			vec = vec[:len(idx)]
			hc := 0.0
			for a, b := range idx {
				hc += vec[a] * g[b]
			}
			h[c] = hc
			// bw[t, c] = Σ_a B[t, idx[a]]·vec[a], in the order of a.
			for t := 0; t < r; t++ {
				Bt := B[t*nz : (t+1)*nz]
				s := 0.0
				for a, b := range idx {
					s += Bt[b] * vec[a]
				}
				bw[t*K+c] = s
			}
			maxd = math.Max(maxd, sw.kdelta[c])
		}
		mk := growF(&sw.mk, K*K)
		for a := 0; a < K; a++ {
			for b := 0; b <= a; b++ {
				s := 0.0
				for t := 0; t < r; t++ {
					s += bw[t*K+a] * bw[t*K+b]
				}
				v := -s
				if a == b {
					v += sw.kdelta[a]
				}
				mk[a*K+b] = v
				mk[b*K+a] = v
			}
		}
		lam, vec := jacobiEigenInto(mk, K, growF(&sw.jlam, K), growF(&sw.jv, K*K))
		for j := 0; j < K; j++ {
			if lam[j] <= 1e-10*maxd {
				continue
			}
			pr := 0.0
			for a := 0; a < K; a++ {
				pr += vec[a*K+j] * h[a]
			}
			dy := pr * pr / lam[j]
			groups = append(groups, obsGroup{d: lam[j], sum: dy, n: 1})
			npos++
			posSum += dy
		}
	}
	sw.groups = groups
	n0 := mq - npos
	if n0 < 0 {
		return nil, errGLM
	}
	if n0 > 0 {
		groups = append(groups, obsGroup{d: 0, sum: math.Max(rss-posSum, 0), n: n0})
	}
	sw.groups = groups
	return groups, nil
}

// jacobiEigen diagonalises the symmetric n x n matrix a (row-major, not
// kept) by cyclic Jacobi rotations; it returns the eigenvalues and the
// eigenvectors as the columns of a row-major matrix.
func jacobiEigen(a []float64, n int) ([]float64, []float64) {
	return jacobiEigenInto(a, n, make([]float64, n), make([]float64, n*n))
}

// jacobiEigenInto is jacobiEigen with the eigenvalues written to lam (n)
// and the eigenvectors to v (n x n).
func jacobiEigenInto(a []float64, n int, lam, v []float64) ([]float64, []float64) {
	for i := range v {
		v[i] = 0
	}
	for i := 0; i < n; i++ {
		v[i*n+i] = 1
	}
	for sweep := 0; sweep < 100; sweep++ {
		off := 0.0
		diag := 0.0
		for i := 0; i < n; i++ {
			diag += a[i*n+i] * a[i*n+i]
			for j := i + 1; j < n; j++ {
				off += a[i*n+j] * a[i*n+j]
			}
		}
		if off <= 1e-32*diag || off == 0 {
			break
		}
		for p := 0; p < n; p++ {
			for q := p + 1; q < n; q++ {
				apq := a[p*n+q]
				if apq == 0 {
					continue
				}
				theta := (a[q*n+q] - a[p*n+p]) / (2 * apq)
				t := math.Copysign(1, theta) / (math.Abs(theta) + math.Sqrt(theta*theta+1))
				c := 1 / math.Sqrt(t*t+1)
				s := t * c
				for k := 0; k < n; k++ {
					akp, akq := a[k*n+p], a[k*n+q]
					a[k*n+p] = c*akp - s*akq
					a[k*n+q] = s*akp + c*akq
				}
				for k := 0; k < n; k++ {
					apk, aqk := a[p*n+k], a[q*n+k]
					a[p*n+k] = c*apk - s*aqk
					a[q*n+k] = s*apk + c*aqk
				}
				for k := 0; k < n; k++ {
					vkp, vkq := v[k*n+p], v[k*n+q]
					v[k*n+p] = c*vkp - s*vkq
					v[k*n+q] = s*vkp + c*vkq
				}
			}
		}
	}
	for i := range lam {
		lam[i] = a[i*n+i]
	}
	return lam, v
}

// fitVarComp is mixedModel2Fit's variance-component step on grouped
// observations: the least-squares line of dy on [1, d], then glmgam.fit.
func fitVarComp(groups []obsGroup, mq int) ([2]float64, error) {
	return (&specWork{}).fitVarComp(groups, mq)
}

// fitVarComp is fitVarComp with sw's buffers.
func (sw *specWork) fitVarComp(groups []obsGroup, mq int) ([2]float64, error) {
	nan := [2]float64{math.NaN(), math.NaN()}
	// Least squares with the groups' counts as weights on their means
	// (column-major k x 2 design).
	k := len(groups)
	x := growF(&sw.vx, 2*k)
	yv := growF(&sw.vy, k)
	for i, gr := range groups {
		s := math.Sqrt(float64(gr.n))
		x[i], x[k+i] = s, s*gr.d
		yv[i] = gr.sum / s
	}
	q := &sw.vq
	q.Decompose(x, k, 2, design.Tol, growF(&sw.qwork, 4))
	if q.Rank < 2 {
		return nan, nil
	}
	q.QtY(yv)
	var bb [2]float64
	q.SolveR(yv, bb[:])
	ls := [2]float64{}
	ls[q.Pivot[0]], ls[q.Pivot[1]] = bb[0], bb[1]
	// Conditions for the GLM.
	npos := 0
	mean := 0.0
	total := 0.0
	for _, gr := range groups {
		if math.Abs(gr.d) > 1e-15 {
			npos += gr.n
		}
		mean += float64(gr.n) * gr.d
		total += gr.sum
	}
	mean /= float64(mq)
	vd := 0.0
	for _, gr := range groups {
		vd += float64(gr.n) * (gr.d - mean) * (gr.d - mean)
	}
	if mq > 1 {
		vd /= float64(mq - 1)
	} else {
		vd = math.NaN()
	}
	if !(mq > 2 && npos > 1 && vd > 1e-15) {
		return ls, nil
	}
	start := ls
	for _, gr := range groups {
		if ls[0]+ls[1]*gr.d < 0 {
			start = [2]float64{total / float64(mq), 0}
			break
		}
	}
	beta, err := glmgamGroupedBuf(groups, start, 1e-6, 20, growF(&sw.mu, len(groups)), growF(&sw.vv, len(groups)))
	if err != nil {
		return nan, nil
	}
	return beta, nil
}

// glmgamGrouped is statmod's glmgam.fit (Gamma GLM, identity link,
// Levenberg-damped Fisher scoring) for the design rows (1, d) given as
// groups of identical rows. Scores and information depend only on the
// groups' sums; the deviance is computed up to a constant that cancels in
// every comparison glmgam.fit makes.
func glmgamGrouped(groups []obsGroup, start [2]float64, tol float64, maxit int) ([2]float64, error) {
	allZero := true
	for _, gr := range groups {
		if gr.sum > 0 {
			allZero = false
		}
	}
	if allZero {
		return [2]float64{0, 0}, nil
	}
	k := len(groups)
	return glmgamGroupedBuf(groups, start, tol, maxit, make([]float64, k), make([]float64, k))
}

// glmgamGroupedBuf is glmgamGrouped with buffers mu and v (len(groups)).
func glmgamGroupedBuf(groups []obsGroup, start [2]float64, tol float64, maxit int, mu, v []float64) ([2]float64, error) {
	allZero := true
	for _, gr := range groups {
		if gr.sum > 0 {
			allZero = false
		}
	}
	if allZero {
		return [2]float64{0, 0}, nil
	}
	beta := start
	setMu := func(b [2]float64) {
		for i, gr := range groups {
			mu[i] = b[0] + b[1]*gr.d
		}
	}
	// dev returns the deviance up to a constant, and whether the full
	// deviance could be below 1e-15·max(mu) (only when every observation fits
	// exactly, which grouped sums cannot show; treated as never).
	dev := func() float64 {
		d := 0.0
		for i, gr := range groups {
			if mu[i] < 0 {
				return math.Inf(1)
			}
			m := float64(gr.n)
			ybar := gr.sum / m
			if ybar < 1e-15 && mu[i] < 1e-15 {
				continue
			}
			d += 2 * m * ((ybar-mu[i])/mu[i] + fmath.Log(mu[i]))
		}
		return d
	}
	setMu(beta)
	for _, m := range mu {
		if m < 0 {
			return beta, errGLM
		}
	}
	devCur := dev()
	var lambda float64
	for iter := 1; ; iter++ {
		vmax := 0.0
		for i := range mu {
			v[i] = mu[i] * mu[i]
			vmax = math.Max(vmax, v[i])
		}
		var a00, a01, a11, dl0, dl1 float64
		for i, gr := range groups {
			vi := math.Max(v[i], vmax/1e3)
			m := float64(gr.n)
			a00 += m / vi
			a01 += m * gr.d / vi
			a11 += m * gr.d * gr.d / vi
			r := (gr.sum - m*mu[i]) / vi
			dl0 += r
			dl1 += gr.d * r
		}
		maxinfo := math.Max(a00, a11)
		if iter == 1 {
			lambda = math.Abs((a00+a11)/2) / 2
		}
		old := beta
		devOld := devCur
		lev := 0
		var db [2]float64
		for {
			lev++
			// Cholesky solve of (XVX + λI) db = dl.
			b00, b01, b11 := a00+lambda, a01, a11+lambda
			if !(b00 > 0) {
				return beta, errGLM
			}
			l00 := math.Sqrt(b00)
			l10 := b01 / l00
			t := b11 - l10*l10
			if !(t > 0) {
				return beta, errGLM
			}
			l11 := math.Sqrt(t)
			z0 := dl0 / l00
			z1 := (dl1 - l10*z0) / l11
			db[1] = z1 / l11
			db[0] = (z0 - l10*db[1]) / l00
			beta = [2]float64{old[0] + db[0], old[1] + db[1]}
			setMu(beta)
			devCur = dev()
			if devCur <= devOld {
				break
			}
			if lambda/maxinfo > 1e15 {
				beta = old
				break
			}
			lambda *= 2
		}
		if lambda/maxinfo > 1e15 {
			break
		}
		if lev == 1 {
			lambda /= 10
		}
		if dl0*db[0]+dl1*db[1] < tol {
			break
		}
		if iter > maxit {
			break
		}
	}
	return beta, nil
}
