package demo

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/her2het/her2het/core/pool"
)

// TestPoolSameBytes: generating on a pool.Pool (1, 2 or 3 local workers, with the
// default task size and with tasks forced down to a few genes) gives the same
// files as the goroutine path; on the default cohort, the recorded digests.
func TestPoolSameBytes(t *testing.T) {
	small := func(o Options) []string {
		o.Seed, o.Genes = 5, 2500
		c, err := Generate(o)
		if err != nil {
			t.Fatal(err)
		}
		return digests(c)
	}
	want := strings.Join(small(Options{Workers: 1}), "\n")
	defer func(m int, a bool) { minGenesPerTask, abundanceOnPoolToo = m, a }(minGenesPerTask, abundanceOnPoolToo)
	for _, both := range []bool{false, true} {
		for _, minPer := range []int{1000, 7} {
			for _, n := range []int{1, 2, 3} {
				minGenesPerTask, abundanceOnPoolToo = minPer, both
				got := strings.Join(small(Options{Pool: pool.Local(n)}), "\n")
				if got != want {
					t.Errorf("Local(%d), at least %d genes a task, first phase on the pool %v: digests differ\ngot:\n%s\nwant:\n%s", n, minPer, both, got, want)
				}
			}
		}
	}
	minGenesPerTask, abundanceOnPoolToo = 1000, true
	if testSeed() != DefaultSeed || testing.Short() {
		return
	}
	c, err := Generate(Options{Pool: pool.Local(2)})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := os.ReadFile("testdata/sha256.txt")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(digests(c), "\n") + "\n"; got != string(rec) {
		t.Errorf("default cohort on Local(2): digests differ from testdata/sha256.txt\ngot:\n%s", got)
	}
}

// failPool fails every task of one kernel.
type failPool struct {
	pool.Pool
	kernel string
}

var errLost = errors.New("lost")

func (f failPool) Run(name string, tasks [][]byte) ([][]byte, error) {
	if name == f.kernel {
		return nil, errLost
	}
	return f.Pool.Run(name, tasks)
}

// TestPoolError: a failing task fails Generate with its error.
func TestPoolError(t *testing.T) {
	defer func(a bool) { abundanceOnPoolToo = a }(abundanceOnPoolToo)
	abundanceOnPoolToo = true
	for _, k := range []string{kernelAbundance, kernelCounts} {
		_, err := Generate(Options{Genes: 2000, Pool: failPool{pool.Local(1), k}})
		if !errors.Is(err, errLost) {
			t.Errorf("%s failing: err = %v, want %v", k, err, errLost)
		}
	}
}

// TestKernelsBadInput: malformed tasks give errors, not panics.
func TestKernelsBadInput(t *testing.T) {
	w := pool.NewWriter(0)
	w.Uvarint(1)
	w.Int(0)
	w.Int(2)
	w.Int(1)
	w.Ints([]int{3}) // patient 3 of 1
	w.Float64s(make([]float64, nPrograms))
	bad := w.Bytes()
	w2 := pool.NewWriter(0)
	w2.Uvarint(1)
	w2.Int(0)
	w2.Float64s([]float64{1, 2})
	w2.Float64s([]float64{1})
	w2.Float64s([]float64{1}) // 1 value for 2 samples
	for _, tc := range []struct {
		name string
		k    pool.Kernel
		in   []byte
	}{
		{"abundance empty", abundanceKernel, nil},
		{"abundance truncated", abundanceKernel, bad[:len(bad)-3]},
		{"abundance patient out of range", abundanceKernel, bad},
		{"counts empty", countsKernel, nil},
		{"counts short rows", countsKernel, w2.Bytes()},
	} {
		if _, err := pool.Call(tc.k, tc.in); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}
