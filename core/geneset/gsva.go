package geneset

import (
	_ "embed"
	"encoding/binary"
	"errors"
	"math"

	"github.com/her2het/her2het/core/dist"
	"github.com/her2het/her2het/core/fmath"
	"github.com/her2het/her2het/core/pool"
)

// phiTableBytes is GSVA 1.46's precomputed standard normal CDF,
// pnorm(10*i/10000) for i = 0..10000, as computed by R 4.2.2 (little-endian
// float64; see testdata/gen/phitable.R).
//
//go:embed phitable.bin
var phiTableBytes []byte

// ppoisTableBytes holds R 4.2.2's ppois(y, x + 0.5) for integers x, y in
// [0, ppoisTableSize) at index y*ppoisTableSize + x (little-endian float64; see
// testdata/gen/ppoistable.R).
//
//go:embed ppoistable.bin
var ppoisTableBytes []byte

const ppoisTableSize = 64

var ppoisTable = loadFloats(ppoisTableBytes, ppoisTableSize*ppoisTableSize)

func loadFloats(b []byte, n int) []float64 {
	if len(b) != 8*n {
		panic("geneset: embedded table has the wrong size")
	}
	t := make([]float64, n)
	for i := range t {
		t[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
	}
	return t
}

const (
	phiResolution = 10000
	phiMax        = 10.0
)

var phiTable = loadFloats(phiTableBytes, phiResolution+1)

// phiTilde is GSVA 1.46's truncated lookup of the standard normal CDF at d/bw
// (precomputedCdf in src/kernel_estimation.c): 0 below -10, 1 above 10, else
// the table entry at floor(|v|/10*10000), mirrored for negative v.
func phiTilde(d, bw float64) float64 {
	v := d / bw
	if v < -phiMax {
		return 0
	}
	if v > phiMax {
		return 1
	}
	c := phiTable[int(math.Abs(v)/phiMax*phiResolution)]
	if v < 0 {
		return 1 - c
	}
	return c
}

// ppois is R's ppois(x, lambda, lower.tail=TRUE): P[X <= floor(x)] for X ~
// Poisson(lambda), computed as R does through the upper tail of the gamma
// distribution (src/nmath/ppois.c).
func ppois(x, lambda float64) float64 {
	switch {
	case math.IsNaN(x) || math.IsNaN(lambda) || lambda < 0:
		return math.NaN()
	case x < 0:
		return 0
	case lambda == 0 || math.IsInf(x, 1):
		return 1
	}
	x = math.Floor(x + 1e-7)
	if x < ppoisTableSize {
		if l := lambda - 0.5; l >= 0 && l < ppoisTableSize && l == math.Trunc(l) {
			return ppoisTable[int(x)*ppoisTableSize+int(l)]
		}
	}
	return dist.Pgamma(lambda, x+1, 1, false, false)
}

// twoSum returns s = a+b rounded and the exact error e with a+b = s+e.
func twoSum(a, b float64) (s, e float64) {
	s = a + b
	bb := s - a
	e = (a - (s - bb)) + (b - bb)
	return s, e
}

// ddAdd adds v to the double-double (hi, lo).
func ddAdd(hi, lo, v float64) (float64, float64) {
	s, e := twoSum(hi, v)
	return s, lo + e
}

// ddDiv divides the double-double (hi, lo) by d.
func ddDiv(hi, lo, d float64) (float64, float64) {
	q1 := hi / d
	r := -math.FMA(q1, d, -hi) + lo
	q2 := r / d
	return twoSum(q1, q2)
}

// sdLongDouble is GSVA 1.46's sd() in src/kernel_estimation.c: a two-pass mean
// and a sum of squares accumulated in long double, emulated here with
// double-double arithmetic (the result agrees with the 80-bit version except in
// rare half-way roundings).
func sdLongDouble(x []float64) float64 {
	n := float64(len(x))
	var hi, lo float64
	for _, v := range x {
		hi, lo = ddAdd(hi, lo, v)
	}
	mh, ml := ddDiv(hi, lo, n)
	if !math.IsInf(mh, 0) && !math.IsNaN(mh) {
		var ch, cl float64
		for _, v := range x {
			dh, dl := twoSum(v, -mh)
			dl -= ml
			ch, cl = ddAdd(ch, cl, dh)
			cl += dl
		}
		qh, ql := ddDiv(ch, cl, n)
		mh, ml = twoSum(mh, qh)
		ml += ql
	}
	mean := mh + ml
	var sh, sl float64
	for _, v := range x {
		d := v - mean
		sh, sl = ddAdd(sh, sl, d*d)
	}
	vh, vl := ddDiv(sh, sl, n-1)
	return math.Sqrt(vh + vl)
}

// gsvaKernelRow writes to r the GSVA 1.46 log-odds of the kernel CDF estimate
// of gene values y (row_d in src/kernel_estimation.c, or the ECDF branch of
// compute.gene.density). w is scratch space for the Gaussian kernel.
//
//	Gaussian: F_j = (1/n) Σ_i Φ̃((y_j - y_i)/h), h = sd(y)/4
//	Poisson:  F_j = (1/n) Σ_i ppois(y_j, y_i + 0.5)
//	r_j = -log((1-F_j)/F_j)
//	ECDF:     F_j = #{i: y_i <= y_j}/n, r_j = log(F_j/(1-F_j))
//
// The sums run over i = 1..n in order in plain double, as GSVA's C code does,
// because the lookup table makes exact ties between genes frequent.
func gsvaKernelRow(y, r []float64, kern Kernel, w *kernelWork) {
	n := len(y)
	switch kern {
	case Gaussian:
		if n > maxKernelSamples {
			bw := sdLongDouble(y) / 4
			for j := 0; j < n; j++ {
				lt := 0.0
				for i := 0; i < n; i++ {
					lt += phiTilde(y[j]-y[i], bw)
				}
				r[j] = logOdds(lt / float64(n))
			}
			return
		}
		w.logOddsRow(r, w.gaussian(y))
	case Poisson:
		if n > maxKernelSamples {
			for j := 0; j < n; j++ {
				lt := 0.0
				for i := 0; i < n; i++ {
					lt += ppois(y[j], y[i]+0.5)
				}
				r[j] = logOdds(lt / float64(n))
			}
			return
		}
		w.logOddsRow(r, w.poisson(y))
	case ECDF:
		for j := 0; j < n; j++ {
			c := 0
			for i := 0; i < n; i++ {
				if y[i] <= y[j] {
					c++
				}
			}
			f := float64(c) / float64(n)
			r[j] = fmath.Log(f / (1 - f))
		}
	}
}

// Kernel codes: the Gaussian kernel of a pair is stored as a uint16 code into
// kernTab, 0..10000 for table entries, 10001 for 1 (v > 10), and the same plus
// kernComp for the complement 1 - value (the mirrored pair).
const (
	kernSat  = phiResolution + 1
	kernComp = phiResolution + 2
)

// kernTab is indexed by uint16 codes; its size makes bounds checks unneeded.
var kernTab = func() *[1 << 16]float64 {
	t := new([1 << 16]float64)
	copy(t[:], phiTable)
	t[kernSat] = 1
	for i := 0; i < kernComp; i++ {
		t[kernComp+i] = 1 - t[i]
	}
	return t
}()

// phiCode is the kernel code of d/bw for d >= 0 (precomputedCdf for v >= 0).
func phiCode(d, bw float64) uint16 {
	v := d / bw
	if v > phiMax {
		return kernSat
	}
	return uint16(int(math.Abs(v) / phiMax * phiResolution))
}

// logOdds is GSVA's -1.0 * log((1.0-F)/F).
func logOdds(f float64) float64 { return -1.0 * fmath.Log((1.0-f)/f) }

// gsvaScores fills out (sets x n) with GSVA 1.46 enrichment scores of the
// sets (0-based indices of the p genes, x's rows rows[0..p) of n samples each;
// rows nil means x's first p rows in order). The rows are read where they are,
// not copied (at 60,000 x 1,000 a copy is 480 MB of a browser's wasm heap).
//
// Per sample j, genes are ordered by decreasing kernel log-odds (stable, as
// R's order(decreasing=TRUE)); the gene at position i (1-based) gets the rank
// score |p - i + 1 - p/2| (compute.geneset.es). For a set S of k genes the
// random walk (ks_sample in src/ks_test.c) runs over that order, adding
// s_g^tau/Σ_S s^tau at set genes and subtracting 1/(p-k) elsewhere; with
// ES+ = max(0, walk), ES- = min(0, walk) the score is ES+ + ES- (MaxDiff),
// ES+ - ES- (MaxDiff and AbsRanking) or whichever of ES+, ES- is larger in
// absolute value (not MaxDiff; ES- on ties).
func gsvaScores(pl pool.Pool, x []float64, rows []int, p, n int, sets [][]int, kern Kernel, maxDiff, absRank bool, tau float64, out []float64) error {
	// dens[j] is sample j's log-odds of the p genes (contiguous for the walks),
	// one slice a sample rather than one samples x genes block: at 60,000 x
	// 1,000 a single 480 MB allocation needs that much contiguous free heap,
	// which a browser's wasm heap (it never shrinks) had only by growing.
	dens := make([][]float64, n)
	for j := range dens {
		dens[j] = make([]float64, p)
	}
	err := runWaves(pl, taskDensity, p, 8*n, 64, func(lo, hi int) []byte {
		w := pool.NewWriter(8*n*(hi-lo) + 32)
		w.Int(int(kern))
		w.Int(n)
		if rows == nil {
			w.Float64s(x[lo*n : hi*n])
			return w.Bytes()
		}
		// Float64s of the rows' copy, without the copy.
		parts := make([][]float64, hi-lo)
		for k, g := range rows[lo:hi] {
			parts[k] = x[g*n : (g+1)*n]
		}
		w.Float64sOf(parts...)
		return w.Bytes()
	}, func(lo, hi int, res []byte) error {
		// decoded in place: no copy of the result
		r := pool.NewReader(res)
		if k, ok := beginRows(r, n); !ok || k != hi-lo {
			return errors.New("bad density result")
		}
		for g := lo; g < hi; g++ {
			for j := 0; j < n; j++ {
				dens[j][g] = r.Float64()
			}
		}
		return r.Done()
	})
	if err != nil {
		return err
	}
	ns := len(sets)
	return runWaves(pl, taskWalk, n, 8*p, 4, func(lo, hi int) []byte {
		w := pool.NewWriter(8*p*(hi-lo) + 64)
		w.Int(p)
		w.Float64(tau)
		w.Bool(maxDiff)
		w.Bool(absRank)
		writeSets(w, sets)
		w.Float64sOf(dens[lo:hi]...)
		return w.Bytes()
	}, func(lo, hi int, res []byte) error {
		v, err := decodeFloats(res, ns*(hi-lo))
		if err != nil {
			return err
		}
		for s := 0; s < ns; s++ {
			copy(out[s*n+lo:s*n+hi], v[s*(hi-lo):(s+1)*(hi-lo)])
		}
		return nil
	})
}

// combineES is the end of ks_sample: mx.diff / abs.ranking / larger deviation.
func combineES(mxPos, mxNeg float64, maxDiff, absRank bool) float64 {
	if maxDiff {
		if absRank {
			return mxPos - mxNeg
		}
		return mxPos + mxNeg
	}
	if mxPos > math.Abs(mxNeg) {
		return mxPos
	}
	return mxNeg
}
