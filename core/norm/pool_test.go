package norm

import (
	"math"
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

// TMM through a pool (1, 2, 3 parts; more tasks than workers) and on any
// number of workers equals the serial factors bitwise.
func TestTMMPoolBitwise(t *testing.T) {
	m := simCounts(3000, 37, 5)
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
					t.Fatalf("%+v: sample %d: %v vs %v", q, j, got[j], ref[j])
				}
			}
		}
	}
}

func TestTMMKernelErrors(t *testing.T) {
	for _, in := range [][]byte{nil, {1, 2, 3}} {
		if _, err := tmmKernel(in); err == nil {
			t.Errorf("%v: no error", in)
		}
	}
}
