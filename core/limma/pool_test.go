package limma

import (
	"fmt"
	"math"
	"runtime"
	"sync"
	"testing"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/design"
	"github.com/her2het/her2het/core/pool"
)

// recordPool runs on p and records the bytes of every task and round.
type recordPool struct {
	p         pool.Pool
	mu        sync.Mutex
	maxTask   int
	maxRound  int
	rounds    int
	taskCount int
}

func (r *recordPool) Size() int { return r.p.Size() }

func (r *recordPool) Run(name string, tasks [][]byte) ([][]byte, error) {
	r.mu.Lock()
	sum := 0
	for _, t := range tasks {
		sum += len(t)
		r.maxTask = max(r.maxTask, len(t))
	}
	r.maxRound = max(r.maxRound, sum)
	r.rounds++
	r.taskCount += len(tasks)
	r.mu.Unlock()
	return r.p.Run(name, tasks)
}

// With tasks of a few genes (many rounds, tasks that end inside and
// across the kernels' decoding chunks) LmFit (plain, weighted, blocked),
// duplicateCorrelation and voom through a pool equal the goroutine path
// bitwise.
func TestPoolSmallTasksBitwise(t *testing.T) {
	fr := pairedFrame(30, 22)
	n := len(fr.Samples)
	counts := simCounts(300, n, 43)
	counts.Samples = fr.Samples
	X, _ := design.ModelMatrix("~ HET", fr)
	v, err := Voom(counts, X, &VoomOptions{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	block := fr.Columns["patient"]
	defer func(b int) { poolTaskBytes = b }(poolTaskBytes)
	for _, genes := range []int{1, 7, 70, 1000} {
		poolTaskBytes = genes * 8 * n
		for _, pl := range []pool.Pool{pool.Local(1), pool.Local(2), splitPool{pool.Local(2), 3}} {
			name := fmt.Sprintf("%d genes per task, pool of %d", genes, pl.Size())
			for _, o := range []LmOptions{{}, {Weights: v.Weights}, {Weights: v.Weights, Block: block, Correlation: 0.4}} {
				o.Workers = 1
				ref, err := LmFit(v.E, X, &o)
				if err != nil {
					t.Fatal(err)
				}
				o.Pool = pl
				got, err := LmFit(v.E, X, &o)
				if err != nil {
					t.Fatal(err)
				}
				if !sameBits(ref.Coefficients, got.Coefficients) || !sameBits(ref.StdevUnscaled, got.StdevUnscaled) ||
					!sameBits(ref.Sigma, got.Sigma) || !sameBits(ref.DfResidual, got.DfResidual) || !sameBits(ref.Amean, got.Amean) {
					t.Fatalf("%s: lmFit (weights %v, block %v) differs", name, o.Weights != nil, o.Block != nil)
				}
			}
			dref, err := DuplicateCorrelation(v.E, X, block, &DupCorOptions{Weights: v.Weights, Workers: 1})
			if err != nil {
				t.Fatal(err)
			}
			dc, err := DuplicateCorrelation(v.E, X, block, &DupCorOptions{Weights: v.Weights, Pool: pl})
			if err != nil {
				t.Fatal(err)
			}
			if !sameBits(dref.AtanhCorrelations, dc.AtanhCorrelations) || math.Float64bits(dref.Consensus) != math.Float64bits(dc.Consensus) {
				t.Fatalf("%s: duplicateCorrelation differs", name)
			}
			vp, err := Voom(counts, X, &VoomOptions{Pool: pl, Block: block, Correlation: 0.3})
			if err != nil {
				t.Fatal(err)
			}
			vr, err := Voom(counts, X, &VoomOptions{Workers: 1, Block: block, Correlation: 0.3})
			if err != nil {
				t.Fatal(err)
			}
			if !sameBits(vp.Weights, vr.Weights) || !sameBits(vp.E.Data, vr.E.Data) {
				t.Fatalf("%s: voom differs", name)
			}
		}
	}
}

// poolCase is a 20,000 x 285 voom result with two biopsies for 120
// patients (the benchmark shape of issue 11).
func poolCase(tb testing.TB) (*EList, *design.Matrix, []string) {
	fr := pairedFrame(165, 120)
	n := len(fr.Samples)
	counts := simCounts(20000, n, 9)
	counts.Samples = fr.Samples
	X, err := design.ModelMatrix("~ HET", fr)
	if err != nil {
		tb.Fatal(err)
	}
	v, err := Voom(counts, X, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return v, X, fr.Columns["patient"]
}

// allocated returns the bytes f allocates (runtime.MemStats.TotalAlloc).
func allocated(f func()) uint64 {
	runtime.GC()
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	f()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}

// The pool path of lmFit and duplicateCorrelation at 20,000 x 285 (issue
// 11): every task holds at most poolTaskBytes of rows, a round at most
// pool.Size() tasks, and the whole call allocates, beyond the goroutine
// path, at most one encoding of the rows (values and weights) plus the
// encoded results: no copy of the matrix or the weights on the kernel side.
func TestPoolPathMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("20,000 x 285")
	}
	v, X, block := poolCase(t)
	G, n := v.E.Rows(), v.E.Cols()
	rows := uint64(8 * G * n * 2) // values and weights
	p := uint64(X.Cols())
	header := 8*n*X.Cols() + 8*n + 64
	for _, st := range []struct {
		name    string
		results uint64 // bytes of the encoded results
		run     func(pl pool.Pool, workers int)
	}{
		{"lmFit", uint64(8*G) * (2*p + 2), func(pl pool.Pool, workers int) {
			if _, err := LmFit(v.E, X, &LmOptions{Weights: v.Weights, Block: block, Correlation: 0.5, Pool: pl, Workers: workers}); err != nil {
				t.Fatal(err)
			}
		}},
		{"duplicateCorrelation", uint64(8 * G), func(pl pool.Pool, workers int) {
			if _, err := DuplicateCorrelation(v.E, X, block, &DupCorOptions{Weights: v.Weights, Pool: pl, Workers: workers}); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		rec := &recordPool{p: pool.Local(2)}
		goroutines := allocated(func() { st.run(nil, 2) })
		pooled := allocated(func() { st.run(rec, 0) })
		extra := int64(pooled) - int64(goroutines)
		t.Logf("%s: goroutines %.1f MB, pool %.1f MB (%d tasks in %d rounds, largest task %.2f MB, largest round %.2f MB)",
			st.name, float64(goroutines)/1e6, float64(pooled)/1e6, rec.taskCount, rec.rounds, float64(rec.maxTask)/1e6, float64(rec.maxRound)/1e6)
		if rec.maxTask > poolTaskBytes+header {
			t.Errorf("%s: a task of %d bytes (bound %d)", st.name, rec.maxTask, poolTaskBytes+header)
		}
		if rec.maxRound > rec.Size()*(poolTaskBytes+header) {
			t.Errorf("%s: a round of %d bytes", st.name, rec.maxRound)
		}
		// One encoding of the rows, the encoded and decoded results, and
		// 20% of the rows for the per-task headers and decoding buffers
		// (a second copy of the rows, as the kernels used to decode, is
		// 100%).
		if bound := int64(float64(rows)*1.2 + float64(3*st.results)); extra > bound {
			t.Errorf("%s: the pool path allocates %d bytes more than goroutines (bound %d)", st.name, extra, bound)
		}
	}
}

// BenchmarkPoolMemory20kx285 reports, for the goroutine and pool paths of
// lmFit (weighted, blocked) and duplicateCorrelation at 20,000 x 285, the
// bytes allocated per call (B/op) and the peak live heap above the data
// (peak-MB).
func BenchmarkPoolMemory20kx285(b *testing.B) {
	v, X, block := poolCase(b)
	for _, path := range []string{"goroutines", "pool"} {
		var pl pool.Pool
		workers := 2
		if path == "pool" {
			pl, workers = pool.Local(2), 0
		}
		for _, st := range []struct {
			name string
			run  func(E *dataset.Matrix)
		}{
			{"lmFit", func(E *dataset.Matrix) {
				LmFit(E, X, &LmOptions{Weights: v.Weights, Block: block, Correlation: 0.5, Pool: pl, Workers: workers})
			}},
			{"dupCor", func(E *dataset.Matrix) {
				DuplicateCorrelation(E, X, block, &DupCorOptions{Weights: v.Weights, Pool: pl, Workers: workers})
			}},
		} {
			b.Run(st.name+"/"+path, func(b *testing.B) {
				b.ReportAllocs()
				runtime.GC()
				base, _ := startHeapPeak().stop()
				h := startHeapPeak()
				c := startCPU(b)
				for i := 0; i < b.N; i++ {
					st.run(v.E)
				}
				c.stop(b)
				live, _ := h.stop()
				b.ReportMetric(float64(live-base)/(1<<20), "peak-MB")
			})
		}
	}
}

// sameBits reports whether a and b are bitwise equal.
func sameBits(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}

// Malformed or inconsistent tasks are errors of the kernels, not panics:
// truncated input, rows that are not whole genes, weights of another
// length, bad block indices.
func TestPoolKernelsRejectBadTasks(t *testing.T) {
	task := func(n, p, yRows, wRows int, blockOf []int, lmfit bool) []byte {
		w := pool.NewWriter(0)
		w.Int(n)
		w.Int(p)
		w.Float64s(make([]float64, n*p))
		w.Ints(blockOf)
		if lmfit {
			w.Float64(0.3)
		}
		w.Float64Blob(make([]float64, yRows))
		w.Bool(wRows > 0)
		if wRows > 0 {
			w.Float64Blob(make([]float64, wRows))
		}
		return w.Bytes()
	}
	for _, lmfit := range []bool{true, false} {
		kernel := dupCorKernel
		if lmfit {
			kernel = lmFitKernel
		}
		good := task(4, 1, 8, 8, []int{0, 0, 1, 1}, lmfit)
		if _, err := kernel(good); err != nil {
			t.Fatalf("lmfit=%v: a good task fails: %v", lmfit, err)
		}
		for name, in := range map[string][]byte{
			"truncated":     good[:len(good)-3],
			"partial gene":  task(4, 1, 7, 0, []int{0, 0, 1, 1}, lmfit),
			"weights":       task(4, 1, 8, 4, []int{0, 0, 1, 1}, lmfit),
			"block index":   task(4, 1, 8, 0, []int{0, 0, 9, 1}, lmfit),
			"block length":  task(4, 1, 8, 0, []int{0, 1}, lmfit),
			"no samples":    task(0, 1, 0, 0, nil, lmfit),
			"trailing data": append(append([]byte(nil), good...), 0),
		} {
			if _, err := kernel(in); err == nil {
				t.Errorf("lmfit=%v, %s: no error", lmfit, name)
			}
		}
	}
}
