package demo

import (
	"errors"
	"fmt"

	"github.com/her2het/her2het/core/pool"
)

// Kernels of the count generation on a pool.Pool (Options.Pool). Both phases of
// geneModel.counts are gene-wise and every gene draws from its own streams, so
// the cohort's bytes do not depend on how the genes are split.
const (
	kernelAbundance = "demo.abundance"
	kernelCounts    = "demo.counts"
)

// minGenesPerTask is the smallest gene range worth a task (tests lower it to
// force many small tasks).
var minGenesPerTask = 1000

func init() {
	pool.Register(kernelAbundance, abundanceKernel)
	pool.Register(kernelCounts, countsKernel)
}

// Gene flags of the "demo.abundance" task encoding.
const (
	flagCoding = 1 << iota
	flagRibo
	flagChrY
	flagFixed
)

// abundanceOnPool runs the first phase of counts on p, filling data, bases and jit.
//
// Task: seed, lo, hi, number of patients, the samples' patient indices, z
// (samples x nPrograms, row-major), then per gene: flags, fixed base, loads
// (programs as Ints, weights as Float64s). Result: bases, jitters, rows.
func (gm *geneModel) abundanceOnPool(p pool.Pool, seed uint64, nPts int, patientOf []int, z [][nPrograms]float64, data, bases, jit []float64) error {
	nG, nS := len(gm.symbols), len(patientOf)
	zf := make([]float64, 0, nS*nPrograms)
	for s := range z {
		zf = append(zf, z[s][:]...)
	}
	parts := pool.Ranges(p, nG, minGenesPerTask)
	tasks := make([][]byte, len(parts))
	for i, rg := range parts {
		w := pool.NewWriter(0)
		w.Uvarint(seed)
		w.Int(rg[0])
		w.Int(rg[1])
		w.Int(nPts)
		w.Ints(patientOf)
		w.Float64s(zf)
		progs, ws := []int{}, []float64{}
		for g := rg[0]; g < rg[1]; g++ {
			sp := gm.spec(g)
			f := uint64(0)
			for _, b := range []struct {
				on  bool
				bit uint64
			}{{sp.coding, flagCoding}, {sp.ribo, flagRibo}, {sp.chrY, flagChrY}, {sp.hasFixed, flagFixed}} {
				if b.on {
					f |= b.bit
				}
			}
			w.Uvarint(f)
			w.Float64(sp.fixed)
			progs, ws = progs[:0], ws[:0]
			for _, l := range sp.loads {
				progs = append(progs, l.prog)
				ws = append(ws, l.w)
			}
			w.Ints(progs)
			w.Float64s(ws)
		}
		tasks[i] = w.Bytes()
	}
	out, err := p.Run(kernelAbundance, tasks)
	if err != nil {
		return err
	}
	for i, rg := range parts {
		lo, hi := rg[0], rg[1]
		r := pool.NewReader(out[i])
		b, j, rows := r.Float64s(), r.Float64s(), r.Float64s()
		if err := r.Done(); err != nil {
			return err
		}
		if len(b) != hi-lo || len(j) != hi-lo || len(rows) != (hi-lo)*nS {
			return fmt.Errorf("demo: %s result of genes [%d,%d): %w", kernelAbundance, lo, hi, pool.ErrCorrupt)
		}
		copy(bases[lo:hi], b)
		copy(jit[lo:hi], j)
		copy(data[lo*nS:hi*nS], rows)
	}
	return nil
}

func abundanceKernel(in []byte) ([]byte, error) {
	r := pool.NewReader(in)
	seed := r.Uvarint()
	lo, hi, nPts := r.Int(), r.Int(), r.Int()
	patientOf := r.Ints()
	zf := r.Float64s()
	if r.Err() != nil {
		return nil, r.Err()
	}
	nS := len(patientOf)
	if lo < 0 || hi < lo || nPts < 0 || len(zf) != nS*nPrograms {
		return nil, errors.New("demo: bad abundance task")
	}
	for _, p := range patientOf {
		if p < 0 || p >= nPts {
			return nil, errors.New("demo: bad abundance task: patient index out of range")
		}
	}
	z := make([][nPrograms]float64, nS)
	for s := range z {
		copy(z[s][:], zf[s*nPrograms:(s+1)*nPrograms])
	}
	specs := make([]geneSpec, hi-lo)
	for i := range specs {
		f := r.Uvarint()
		fixed := r.Float64()
		progs, ws := r.Ints(), r.Float64s()
		if r.Err() != nil {
			return nil, r.Err()
		}
		if len(progs) != len(ws) {
			return nil, errors.New("demo: bad abundance task: loads")
		}
		var ld []load
		for k, pr := range progs {
			if pr < 0 || pr >= nPrograms {
				return nil, errors.New("demo: bad abundance task: program out of range")
			}
			ld = append(ld, load{pr, ws[k]})
		}
		specs[i] = geneSpec{coding: f&flagCoding != 0, ribo: f&flagRibo != 0, chrY: f&flagChrY != 0,
			hasFixed: f&flagFixed != 0, fixed: fixed, loads: ld}
	}
	if err := r.Done(); err != nil {
		return nil, err
	}
	n := hi - lo
	rows := make([]float64, n*nS)
	bases, jit := make([]float64, n), make([]float64, n)
	abundance(seed, lo, specs, nPts, patientOf, z, rows, bases, jit)
	w := pool.NewWriter(8 * (len(rows) + 2*n + 3))
	w.Float64s(bases)
	w.Float64s(jit)
	w.Float64s(rows)
	return w.Bytes(), nil
}

// countsOnPool runs the second phase of counts on p, replacing data's rows.
//
// Task: seed, lo, the sample scales, the genes' jitters, their rows. Result: rows.
func countsOnPool(p pool.Pool, seed uint64, scale, jit, data []float64) error {
	nG, nS := len(jit), len(scale)
	parts := pool.Ranges(p, nG, minGenesPerTask)
	tasks := make([][]byte, len(parts))
	for i, rg := range parts {
		lo, hi := rg[0], rg[1]
		w := pool.NewWriter(8 * ((hi-lo)*(nS+1) + nS + 4))
		w.Uvarint(seed)
		w.Int(lo)
		w.Float64s(scale)
		w.Float64s(jit[lo:hi])
		w.Float64s(data[lo*nS : hi*nS])
		tasks[i] = w.Bytes()
	}
	out, err := p.Run(kernelCounts, tasks)
	if err != nil {
		return err
	}
	for i, rg := range parts {
		lo, hi := rg[0], rg[1]
		r := pool.NewReader(out[i])
		rows := r.Float64s()
		if err := r.Done(); err != nil {
			return err
		}
		if len(rows) != (hi-lo)*nS {
			return fmt.Errorf("demo: %s result of genes [%d,%d): %w", kernelCounts, lo, hi, pool.ErrCorrupt)
		}
		copy(data[lo*nS:hi*nS], rows)
	}
	return nil
}

func countsKernel(in []byte) ([]byte, error) {
	r := pool.NewReader(in)
	seed := r.Uvarint()
	lo := r.Int()
	scale, jit, rows := r.Float64s(), r.Float64s(), r.Float64s()
	if err := r.Done(); err != nil {
		return nil, err
	}
	if lo < 0 || len(rows) != len(jit)*len(scale) {
		return nil, errors.New("demo: bad counts task")
	}
	drawCounts(seed, lo, scale, jit, rows)
	w := pool.NewWriter(8*len(rows) + 8)
	w.Float64s(rows)
	return w.Bytes(), nil
}
