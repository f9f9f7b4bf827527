package norm

import (
	"math"
	"sync"
	"testing"

	"github.com/her2het/her2het/core/pool"
)

// splitPool reports size parts but runs on p (more tasks than workers).
type splitPool struct {
	p    pool.Pool
	size int
}

func (s splitPool) Size() int                                     { return s.size }
func (s splitPool) Run(name string, t [][]byte) ([][]byte, error) { return s.p.Run(name, t) }

// recPool runs on p and records the tasks of every Run call.
type recPool struct {
	p     pool.Pool
	mu    sync.Mutex
	calls int
	tasks int
	max   int // largest sum of task bytes in one Run call (a round)
	maxT  int // largest task
}

func (r *recPool) Size() int { return r.p.Size() }
func (r *recPool) Run(name string, t [][]byte) ([][]byte, error) {
	r.mu.Lock()
	sum := 0
	for _, b := range t {
		sum += len(b)
		r.maxT = max(r.maxT, len(b))
	}
	r.calls++
	r.tasks += len(t)
	r.max = max(r.max, sum)
	r.mu.Unlock()
	return r.p.Run(name, t)
}

// forcePool makes the pool path run on small inputs, with tasks of at most
// taskBytes of columns; the returned function restores the defaults.
func forcePool(taskBytes int) func() {
	minV, tb := tmmPoolMin, tmmTaskBytes
	tmmPoolMin, tmmTaskBytes = 0, taskBytes
	return func() { tmmPoolMin, tmmTaskBytes = minV, tb }
}

// TMM through a pool (2, 3 workers; more tasks than workers; tasks of a
// few samples) and on any number of workers equals the serial factors
// bitwise.
func TestTMMPoolBitwise(t *testing.T) {
	m := simCounts(3000, 37, 5)
	for _, tb := range []int{4 << 20, 3 * 8 * 3000} {
		restore := forcePool(tb)
		for _, o := range []NormOptions{{}, {NoWeighting: true}, {RefColumn: 4, LogratioTrim: 0.2}} {
			o.Workers = 1
			ref, err := NormFactors(m, o)
			if err != nil {
				t.Fatal(err)
			}
			var opts []NormOptions
			for _, pl := range []pool.Pool{pool.Local(1), pool.Local(2), pool.Local(3), splitPool{pool.Local(2), 7}} {
				q := o
				q.Pool = pl
				opts = append(opts, q)
			}
			for _, w := range []int{2, 3, 5} {
				q := o
				q.Workers = w
				opts = append(opts, q)
			}
			for _, q := range opts {
				got, err := NormFactors(m, q)
				if err != nil {
					t.Fatal(err)
				}
				for j := range ref {
					if math.Float64bits(got[j]) != math.Float64bits(ref[j]) {
						t.Fatalf("task bytes %d, %+v: sample %d: %v vs %v", tb, q, j, got[j], ref[j])
					}
				}
			}
		}
		restore()
	}
}

// The pool path is lean: each task carries at most tmmTaskBytes of columns
// plus the reference (two columns) and a few numbers, a round at most
// Size() of them; and below tmmPoolMin values the pool is not used.
func TestTMMPoolLean(t *testing.T) {
	const genes, samples = 4000, 60
	m := simCounts(genes, samples, 6)
	want, err := NormFactors(m, NormOptions{})
	if err != nil {
		t.Fatal(err)
	}
	K := 0 // genes with a positive count
	for g := 0; g < genes; g++ {
		for _, v := range m.Row(g) {
			if v > 0 {
				K++
				break
			}
		}
	}
	restore := forcePool(5 * 8 * K) // five samples a task
	rp := &recPool{p: pool.Local(2)}
	got, err := NormFactors(m, NormOptions{Pool: rp})
	if err != nil {
		t.Fatal(err)
	}
	for j := range want {
		if math.Float64bits(got[j]) != math.Float64bits(want[j]) {
			t.Fatalf("sample %d: %v vs %v", j, got[j], want[j])
		}
	}
	limit := 8*(5*K+2*K+5) + 200
	if rp.tasks != samples/5 || rp.maxT > limit || rp.max > 2*limit {
		t.Errorf("%d tasks in %d rounds, largest %d bytes (limit %d), largest round %d bytes", rp.tasks, rp.calls, rp.maxT, limit, rp.max)
	}
	restore()
	// Below the threshold the pool is not asked.
	rp = &recPool{p: pool.Local(2)}
	if _, err := NormFactors(m, NormOptions{Pool: rp}); err != nil {
		t.Fatal(err)
	}
	if rp.calls != 0 {
		t.Errorf("%d x %d values: pool called %d times", K, samples, rp.calls)
	}
}

func TestTMMKernelErrors(t *testing.T) {
	w := pool.NewWriter(0)
	w.Float64(0.3)
	w.Float64(0.05)
	w.Float64(-1e10)
	w.Bool(false)
	w.Float64(100)
	w.Float64Blob([]float64{1, 2, 3})
	w.Float64Blob([]float64{1, 2})
	w.Float64s([]float64{100})
	w.Float64Blob([]float64{1, 2, 3})
	for _, in := range [][]byte{nil, {1, 2, 3}, w.Bytes()} {
		if _, err := tmmKernel(in); err == nil {
			t.Errorf("%v: no error", in)
		}
	}
}
