package demo

import (
	"errors"
	"fmt"

	"github.com/her2het/her2het/core/pool"
)

// Kernels of the count generation on a pool.Pool (Options.Pool). Both phases of
// geneModel.counts are gene-wise and every gene draws from its own streams, so
// the cohort's bytes do not depend on how the genes are split.
//
// The tasks carry only what defines the genes (a few bytes each: flags, fixed
// baseline, loads) plus the sample scores, never the abundance rows: the rows of
// the first phase come back to the caller (their per-sample sums in gene order
// set the library scaling), and the "demo.counts" kernel recomputes its genes'
// rows (the same draws from the same streams) instead of receiving them, which
// costs less than shipping 20,000 x 127 float64 values to the workers.
const (
	kernelAbundance = "demo.abundance"
	kernelCounts    = "demo.counts"
)

// minGenesPerTask is the smallest gene range worth a task (tests lower it to
// force many small tasks).
var minGenesPerTask = 1000

// abundanceOnPoolToo makes the first phase run on the pool as well (else the
// caller's goroutine computes it and only the second phase is shipped). On: the
// caller then waits for half of each phase plus the decoding of the rows that
// come back, instead of the whole first phase; in Chromium with 2 workers the
// two choices (and the goroutine path) measured the same within the machine's
// noise (generate step 4.3-5.2 s under load).
var abundanceOnPoolToo = true

func init() {
	pool.Register(kernelAbundance, abundanceKernel)
	pool.Register(kernelCounts, countsKernel)
}

// Gene flags of the task encoding.
const (
	flagCoding = 1 << iota
	flagRibo
	flagChrY
	flagFixed
)

// genesTask is the decoded common part of both kernels' tasks.
type genesTask struct {
	seed      uint64
	lo        int
	nPts      int
	patientOf []int
	z         [][nPrograms]float64
	specs     []geneSpec
}

// encodeGenes writes the common part of a task for the genes [lo, hi): seed, lo,
// hi, number of patients, the samples' patient indices, z (samples x nPrograms,
// row-major), then per gene: flags, fixed base, loads (programs as Ints, weights
// as Float64s).
func (gm *geneModel) encodeGenes(w *pool.Writer, seed uint64, lo, hi, nPts int, patientOf []int, zf []float64) {
	w.Uvarint(seed)
	w.Int(lo)
	w.Int(hi)
	w.Int(nPts)
	w.Ints(patientOf)
	w.Float64s(zf)
	var progs []int
	var ws []float64
	for g := lo; g < hi; g++ {
		sp := gm.spec(g)
		f := uint64(0)
		if sp.coding {
			f |= flagCoding
		}
		if sp.ribo {
			f |= flagRibo
		}
		if sp.chrY {
			f |= flagChrY
		}
		if sp.hasFixed {
			f |= flagFixed
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
}

// decodeGenes reads what encodeGenes wrote.
func decodeGenes(r *pool.Reader) (*genesTask, error) {
	t := &genesTask{seed: r.Uvarint()}
	lo, hi := r.Int(), r.Int()
	t.lo, t.nPts = lo, r.Int()
	t.patientOf = r.Ints()
	zf := r.Float64s()
	if r.Err() != nil {
		return nil, r.Err()
	}
	nS := len(t.patientOf)
	if lo < 0 || hi < lo || hi-lo > r.Remaining() || t.nPts < 0 || len(zf) != nS*nPrograms {
		return nil, errors.New("demo: bad gene task")
	}
	for _, p := range t.patientOf {
		if p < 0 || p >= t.nPts {
			return nil, errors.New("demo: bad gene task: patient index out of range")
		}
	}
	t.z = make([][nPrograms]float64, nS)
	for s := range t.z {
		copy(t.z[s][:], zf[s*nPrograms:(s+1)*nPrograms])
	}
	t.specs = make([]geneSpec, hi-lo)
	for i := range t.specs {
		f := r.Uvarint()
		fixed := r.Float64()
		progs, ws := r.Ints(), r.Float64s()
		if r.Err() != nil {
			return nil, r.Err()
		}
		if len(progs) != len(ws) {
			return nil, errors.New("demo: bad gene task: loads")
		}
		var ld []load
		for k, pr := range progs {
			if pr < 0 || pr >= nPrograms {
				return nil, errors.New("demo: bad gene task: program out of range")
			}
			ld = append(ld, load{pr, ws[k]})
		}
		t.specs[i] = geneSpec{coding: f&flagCoding != 0, ribo: f&flagRibo != 0, chrY: f&flagChrY != 0,
			hasFixed: f&flagFixed != 0, fixed: fixed, loads: ld}
	}
	return t, nil
}

// rows computes the task's abundance rows (first phase) with their bases and jitters.
func (t *genesTask) rows() (rows, bases, jit []float64) {
	n, nS := len(t.specs), len(t.patientOf)
	rows = make([]float64, n*nS)
	bases, jit = make([]float64, n), make([]float64, n)
	abundance(t.seed, t.lo, t.specs, t.nPts, t.patientOf, t.z, rows, bases, jit)
	return rows, bases, jit
}

// flatZ returns z row-major.
func flatZ(z [][nPrograms]float64) []float64 {
	zf := make([]float64, 0, len(z)*nPrograms)
	for s := range z {
		zf = append(zf, z[s][:]...)
	}
	return zf
}

// genesTaskSize estimates the encoded size of encodeGenes' part.
func (gm *geneModel) genesTaskSize(lo, hi, nS int) int {
	n := 0
	for _, ld := range gm.loads[lo:hi] {
		n += len(ld)
	}
	return 8*(nS*nPrograms+nS+4*(hi-lo)+8) + 16*n
}

// abundanceOnPool runs the first phase of counts on p, filling data, bases and
// jit. Task: encodeGenes. Result: bases, jitters, rows.
func (gm *geneModel) abundanceOnPool(p pool.Pool, seed uint64, nPts int, patientOf []int, z [][nPrograms]float64, data, bases, jit []float64) error {
	nG, nS := len(gm.symbols), len(patientOf)
	zf := flatZ(z)
	parts := pool.Ranges(p, nG, minGenesPerTask)
	tasks := make([][]byte, len(parts))
	for i, rg := range parts {
		w := pool.NewWriter(gm.genesTaskSize(rg[0], rg[1], nS))
		gm.encodeGenes(w, seed, rg[0], rg[1], nPts, patientOf, zf)
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
	t, err := decodeGenes(r)
	if err != nil {
		return nil, err
	}
	if err := r.Done(); err != nil {
		return nil, err
	}
	rows, bases, jit := t.rows()
	w := pool.NewWriter(8 * (len(rows) + 2*len(bases) + 3))
	w.Float64s(bases)
	w.Float64s(jit)
	w.Float64s(rows)
	return w.Bytes(), nil
}

// countsOnPool runs the second phase of counts on p, writing data's rows.
// Task: encodeGenes, then the sample scales. Result: the count rows.
func (gm *geneModel) countsOnPool(p pool.Pool, seed uint64, nPts int, patientOf []int, z [][nPrograms]float64, scale, data []float64) error {
	nG, nS := len(gm.symbols), len(patientOf)
	zf := flatZ(z)
	parts := pool.Ranges(p, nG, minGenesPerTask)
	tasks := make([][]byte, len(parts))
	for i, rg := range parts {
		w := pool.NewWriter(gm.genesTaskSize(rg[0], rg[1], nS) + 8*(nS+1))
		gm.encodeGenes(w, seed, rg[0], rg[1], nPts, patientOf, zf)
		w.Float64s(scale)
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
	t, err := decodeGenes(r)
	if err != nil {
		return nil, err
	}
	scale := r.Float64s()
	if err := r.Done(); err != nil {
		return nil, err
	}
	if len(scale) != len(t.patientOf) {
		return nil, errors.New("demo: bad counts task: scales")
	}
	rows, _, jit := t.rows()
	drawCounts(t.seed, t.lo, scale, jit, rows)
	w := pool.NewWriter(8*len(rows) + 8)
	w.Float64s(rows)
	return w.Bytes(), nil
}
