package geneset

import (
	"errors"
	"fmt"

	"github.com/her2het/her2het/core/pool"
)

// Kernels registered with core/pool (issue 11): the gene-wise and
// sample-wise stages of GSVA and ssGSEA run as byte-encoded tasks, on
// goroutines natively and on other WebAssembly workers in the browser. Each
// gene (kernel stage) or sample (walk stage) is computed by the same
// operations whichever task it falls in, so the scores do not depend on the
// number of workers or tasks.
const (
	taskDensity = "geneset.gsva.density"
	taskWalk    = "geneset.gsva.walk"
	taskSSGSEA  = "geneset.ssgsea"
)

func init() {
	pool.Register(taskDensity, densityTask)
	pool.Register(taskWalk, walkTask)
	pool.Register(taskSSGSEA, ssgseaTask)
}

// waveBytes bounds the encoded input of one Pool.Run call, so that the
// copies made for the tasks stay small next to the data (a variable so that
// tests can force many waves).
var waveBytes = 8 << 20

// runWaves runs kernel name over items [0, total) in waves of at most
// waveBytes of input (itemBytes per item), each wave split into pl.Size()
// contiguous tasks of at least minPer items. enc encodes the task of items
// [lo, hi); dec decodes its result.
func runWaves(pl pool.Pool, name string, total, itemBytes, minPer int, enc func(lo, hi int) []byte, dec func(lo, hi int, res []byte) error) error {
	per := max(1, waveBytes/max(1, itemBytes))
	for w0 := 0; w0 < total; w0 += per {
		w1 := min(total, w0+per)
		parts := min(pl.Size(), max(1, (w1-w0)/max(1, minPer)))
		ranges := pool.Split(w1-w0, parts)
		tasks := make([][]byte, len(ranges))
		for i, r := range ranges {
			tasks[i] = enc(w0+r[0], w0+r[1])
		}
		res, err := pl.Run(name, tasks)
		if err != nil {
			return err
		}
		if len(res) != len(tasks) {
			return fmt.Errorf("geneset: %s: %d results for %d tasks", name, len(res), len(tasks))
		}
		for i, r := range ranges {
			if err := dec(w0+r[0], w0+r[1], res[i]); err != nil {
				return fmt.Errorf("geneset: %s: %w", name, err)
			}
		}
	}
	return nil
}

// densityTask: input kernel, n, genes x n values (writeRows); output the
// genes x n GSVA log-odds (gsvaKernelRow per gene), streamed gene by gene so
// that no copy of the whole task is made.
func densityTask(in []byte) ([]byte, error) {
	r := pool.NewReader(in)
	kern := Kernel(r.Int())
	n := r.Int()
	if kern < Gaussian || kern > ECDF || n < 1 {
		return nil, errors.New("geneset: bad density task")
	}
	genes, ok := beginRows(r, n)
	if !ok {
		return nil, errors.New("geneset: bad density task values")
	}
	y, d := make([]float64, n), make([]float64, n)
	var w kernelWork
	wr := pool.NewWriter(8*genes*n + 10)
	wr.Uvarint(uint64(genes * n))
	for g := 0; g < genes; g++ {
		for j := range y {
			y[j] = r.Float64()
		}
		gsvaKernelRow(y, d, kern, &w)
		for _, v := range d {
			wr.Float64(v)
		}
	}
	if err := r.Done(); err != nil {
		return nil, err
	}
	return wr.Bytes(), nil
}

// beginRows reads the length of a float64 slice written by Writer.Float64s
// (or Uvarint and Float64 calls in the same layout) whose elements are rows
// of per values, and returns the number of rows; the values are then read
// one by one with Reader.Float64.
func beginRows(r *pool.Reader, per int) (int, bool) {
	l := r.Uvarint()
	if r.Err() != nil || per < 1 || l%uint64(per) != 0 || l > uint64(r.Remaining()/8) {
		return 0, false
	}
	return int(l) / per, true
}

func writeSets(w *pool.Writer, sets [][]int) {
	w.Int(len(sets))
	for _, s := range sets {
		w.Ints(s)
	}
}

// readSetList reads sets written by writeSets, checking every index is in [0, p).
func readSetList(r *pool.Reader, p int) ([][]int, error) {
	ns := r.Int()
	if ns < 0 || ns > r.Remaining() {
		return nil, errors.New("geneset: bad set count")
	}
	sets := make([][]int, ns)
	for i := range sets {
		sets[i] = r.Ints()
		if len(sets[i]) > p {
			return nil, errors.New("geneset: set larger than the gene universe")
		}
		for _, g := range sets[i] {
			if g < 0 || g >= p {
				return nil, errors.New("geneset: set gene out of range")
			}
		}
	}
	return sets, r.Err()
}

// walkTask: input p, tau, maxDiff, absRank, sets, samples x p log-odds;
// output the sets x samples GSVA scores (ksSparse per sample and set).
func walkTask(in []byte) ([]byte, error) {
	r := pool.NewReader(in)
	p := r.Int()
	tau := r.Float64()
	maxDiff, absRank := r.Bool(), r.Bool()
	sets, err := readSetList(r, p)
	if err != nil {
		return nil, err
	}
	if p < 2 {
		return nil, errors.New("geneset: bad walk task")
	}
	ns, ok := beginRows(r, p)
	if !ok {
		return nil, errors.New("geneset: bad walk task values")
	}
	out := make([]float64, len(sets)*ns)
	w := newWalkWork(p)
	col := make([]float64, p)
	for j := 0; j < ns; j++ {
		for g := range col {
			col[g] = r.Float64()
		}
		w.rank(col)
		for s, set := range sets {
			out[s*ns+j] = w.ksSparse(set, tau, maxDiff, absRank)
		}
	}
	if err := r.Done(); err != nil {
		return nil, err
	}
	wr := pool.NewWriter(8*len(out) + 10)
	wr.Float64s(out)
	return wr.Bytes(), nil
}

// ssgseaTask: input p, alpha, sets, samples x p values; output the sets x
// samples unnormalised ssGSEA scores.
func ssgseaTask(in []byte) ([]byte, error) {
	r := pool.NewReader(in)
	p := r.Int()
	alpha := r.Float64()
	sets, err := readSetList(r, p)
	if err != nil {
		return nil, err
	}
	ns, ok := beginRows(r, p)
	if !ok {
		return nil, errors.New("geneset: bad ssGSEA task values")
	}
	out := make([]float64, len(sets)*ns)
	w := newSSGSEAWork(p)
	col := make([]float64, p)
	for j := 0; j < ns; j++ {
		for g := range col {
			col[g] = r.Float64()
		}
		w.sample(col, sets, alpha, out[j:], ns)
	}
	if err := r.Done(); err != nil {
		return nil, err
	}
	wr := pool.NewWriter(8*len(out) + 10)
	wr.Float64s(out)
	return wr.Bytes(), nil
}

// decodeFloats reads one float64 slice of length want from res.
func decodeFloats(res []byte, want int) ([]float64, error) {
	r := pool.NewReader(res)
	v := r.Float64s()
	if err := r.Done(); err != nil {
		return nil, err
	}
	if len(v) != want {
		return nil, fmt.Errorf("result of %d values, want %d", len(v), want)
	}
	return v, nil
}
