package gsea

import (
	"fmt"
	"slices"

	"github.com/her2het/her2het/core/pool"
)

// kernelNull is the pool kernel of the permutation null: one task computes the
// null ES of a contiguous range of permutations for every distinct set size.
const kernelNull = "gsea.null"

func init() { pool.Register(kernelNull, nullKernel) }

// nullTask is the input of one gsea.null task: the weights, the distinct set
// sizes (ascending, the last is the drawn size K), the number of permutations
// nb and the Mersenne Twister state before the first of them.
type nullTask struct {
	w        []float64
	distinct []int
	nb       int
	rng      *mt19937
}

func (t *nullTask) encode() []byte {
	wr := pool.NewWriter(8*len(t.w) + 8*len(t.distinct) + 5*624 + 32)
	wr.Float64s(t.w)
	wr.Ints(t.distinct)
	wr.Int(t.nb)
	wr.Int(t.rng.i)
	for _, s := range t.rng.s {
		wr.Uvarint(uint64(s))
	}
	return wr.Bytes()
}

func decodeNullTask(in []byte) (*nullTask, error) {
	r := pool.NewReader(in)
	t := &nullTask{w: r.Float64s(), distinct: r.Ints(), nb: r.Int(), rng: &mt19937{}}
	t.rng.i = r.Int()
	for k := range t.rng.s {
		v := r.Uvarint()
		if v > 1<<32-1 {
			return nil, fmt.Errorf("gsea.null: generator state out of range")
		}
		t.rng.s[k] = uint32(v)
	}
	if err := r.Done(); err != nil {
		return nil, err
	}
	N := len(t.w)
	if len(t.distinct) == 0 || t.nb < 0 || t.rng.i < 0 || t.rng.i > 624 || !slices.IsSorted(t.distinct) ||
		t.distinct[0] < 1 || t.distinct[len(t.distinct)-1] >= N {
		return nil, fmt.Errorf("gsea.null: inconsistent task (%d weights, sizes %v, %d permutations)", N, t.distinct, t.nb)
	}
	return t, nil
}

// nullKernel draws the task's nb permutations from its generator state and
// returns, per permutation, the null ES of the prefix of every distinct size
// (nb*len(distinct) float64, permutation-major).
func nullKernel(in []byte) ([]byte, error) {
	t, err := decodeNullTask(in)
	if err != nil {
		return nil, err
	}
	N, K := len(t.w), t.distinct[len(t.distinct)-1]
	used := make([]bool, N)
	draw := make([]int, 0, K)
	sorted := make([]int, 0, K)
	next := make([]int, 0, K)
	chunk := make([]int, 0, K)
	out := pool.NewWriter(8*t.nb*len(t.distinct) + 8)
	out.Uvarint(uint64(t.nb * len(t.distinct)))
	for b := 0; b < t.nb; b++ {
		draw = t.rng.combination(0, N-1, K, used, draw)
		// the prefixes of the draw nest (sizes ascending): sort each
		// increment and merge it into the sorted previous prefix
		sorted = sorted[:0]
		prev := 0
		for _, k := range t.distinct {
			chunk = append(chunk[:0], draw[prev:k]...)
			slices.Sort(chunk)
			next = mergeSorted(next[:0], sorted, chunk)
			sorted, next = next, sorted
			prev = k
			out.Float64(nullES(t.w, sorted))
		}
	}
	return out.Bytes(), nil
}

// mergeSorted appends to dst the merge of the ascending slices a and b.
func mergeSorted(dst, a, b []int) []int {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if a[i] <= b[j] {
			dst = append(dst, a[i])
			i++
		} else {
			dst = append(dst, b[j])
			j++
		}
	}
	dst = append(dst, a[i:]...)
	return append(dst, b[j:]...)
}

// skip advances m past nb permutations of K positions out of N, as nullKernel
// draws them.
func (m *mt19937) skip(N, K, nb int, used []bool, v []int) []int {
	for b := 0; b < nb; b++ {
		v = m.combination(0, N-1, K, used, v)
	}
	return v
}
