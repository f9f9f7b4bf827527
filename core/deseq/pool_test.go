package deseq

import (
	"testing"

	"github.com/her2het/her2het/core/pool"
)

// reversePool runs the tasks of a Run last to first on the calling goroutine,
// through the registered kernels (as another worker would), to show that the
// results do not depend on the order in which parts finish.
type reversePool struct{ size int }

func (p reversePool) Size() int { return p.size }

func (p reversePool) Run(name string, tasks [][]byte) ([][]byte, error) {
	k, ok := pool.Lookup(name)
	if !ok {
		return nil, pool.ErrUnknownKernel
	}
	out := make([][]byte, len(tasks))
	for i := len(tasks) - 1; i >= 0; i-- {
		r, err := pool.Call(k, append([]byte(nil), tasks[i]...))
		if err != nil {
			return nil, err
		}
		out[i] = r
	}
	return out, nil
}

// TestPoolPartsBitwiseIdentical runs the gene-wise stages as pool kernels on
// 1, 2 and 3 local workers (so the genes are split into 1, 2 and 3 encoded
// parts, down to one gene per part), on a 5-part pool that runs the parts in
// reverse order and without a pool (the direct path, 1 and 3 goroutines),
// with and without progress batches: every result bit equals the one-part
// run's.
func TestPoolPartsBitwiseIdentical(t *testing.T) {
	defer func(v int) { minGenesPerPart = v }(minGenesPerPart)
	minGenesPerPart = 1 // split even the few genes refitted after outlier replacement
	for _, name := range []string{"rep8", "paired", "threeLRT", "unbal"} {
		var sc scenario
		for _, s := range scenarios {
			if s.name == name {
				sc = s
			}
		}
		t.Run(name, func(t *testing.T) {
			cm, X, cols := loadInput(t, sc)
			run := func(p pool.Pool, progress bool, workers int) (*Fit, *Results) {
				opts := Options{Factors: sc.factors, Workers: workers, Pool: p}
				if sc.lrt {
					opts.Test = LRT
					opts.Reduced = make([]float64, cm.Cols())
					for i := range opts.Reduced {
						opts.Reduced[i] = 1
					}
					opts.ReducedColnames = []string{"Intercept"}
				}
				if progress {
					opts.Progress = func(string, int, int) {}
				}
				fit, err := Run(cm, X, cols, opts)
				if err != nil {
					t.Fatal(err)
				}
				res, err := fit.Results(ResultsOptions{})
				if err != nil {
					t.Fatal(err)
				}
				return fit, res
			}
			f1, r1 := run(pool.Local(1), false, 1)
			if got := len(pool.Split(len(f1.Genes), 3)); got != 3 {
				t.Fatalf("%d parts", got)
			}
			for _, c := range []struct {
				name     string
				p        pool.Pool
				progress bool
				workers  int
			}{
				{"local2", pool.Local(2), false, 1}, {"local3", pool.Local(3), false, 1},
				{"local3+progress", pool.Local(3), true, 1}, {"reverse5", reversePool{5}, true, 1}, {"nil", nil, false, 1},
				// no pool: the direct path on 3 goroutines, with progress batches
				{"nil3+progress", nil, true, 3},
			} {
				f, r := run(c.p, c.progress, c.workers)
				for _, v := range []struct {
					n    string
					a, b []float64
				}{
					{"DispGeneEst", f1.DispGeneEst, f.DispGeneEst},
					{"DispMAP", f1.DispMAP, f.DispMAP},
					{"Dispersion", f1.Dispersion, f.Dispersion},
					{"Beta", f1.Beta, f.Beta},
					{"BetaSE", f1.BetaSE, f.BetaSE},
					{"Cooks", f1.Cooks, f.Cooks},
					{"MaxCooks", f1.MaxCooks, f.MaxCooks},
					{"Deviance", f1.Deviance, f.Deviance},
					{"pvalue", r1.Pvalue, r.Pvalue},
					{"padj", r1.Padj, r.Padj},
					{"log2FoldChange", r1.Log2FoldChange, r.Log2FoldChange},
				} {
					if !sameBits(v.a, v.b) {
						t.Errorf("%s: %s differs from the one-part run", c.name, v.n)
					}
				}
				for g := range f1.DispIter {
					if f1.DispIter[g] != f.DispIter[g] || f1.DispOutlier[g] != f.DispOutlier[g] || f1.BetaIter[g] != f.BetaIter[g] || f1.BetaConv[g] != f.BetaConv[g] {
						t.Errorf("%s: gene %d iterations or flags differ", c.name, g)
						break
					}
				}
			}
		})
	}
}

// TestKernelsRejectMalformedTasks: truncated or inconsistent task bytes give
// an error, never a panic.
func TestKernelsRejectMalformedTasks(t *testing.T) {
	w := pool.NewWriter(0)
	writeDesign(w, 4, 2, []float64{1, 0, 1, 0, 1, 1, 1, 1}, []float64{1, 1, 1, 1})
	w.Float64s([]float64{1, 2, 3}) // not a multiple of 4 samples
	w.Float64s([]float64{1})
	w.Float64s([]float64{1})
	good := w.Bytes()
	for _, name := range []string{kernelGeneWise, kernelMAP, kernelGLM} {
		k, _ := pool.Lookup(name)
		for _, in := range [][]byte{nil, {1, 2, 3}, good, good[:len(good)-3]} {
			if _, err := pool.Call(k, in); err == nil {
				t.Errorf("%s accepted %d malformed bytes", name, len(in))
			}
		}
	}
}
