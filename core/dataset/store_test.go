package dataset

import (
	"math"
	"math/rand/v2"
	"testing"
)

// sameBits fails unless a and b are equal bit for bit.
func sameBits(t *testing.T, what string, a, b []float64) {
	t.Helper()
	if len(a) != len(b) {
		t.Fatalf("%s: %d values, want %d", what, len(a), len(b))
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			t.Fatalf("%s: value %d is %v (%#x), want %v (%#x)", what, i, a[i], math.Float64bits(a[i]), b[i], math.Float64bits(b[i]))
		}
	}
}

func names(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = prefix + string(rune('A'+i%26)) + string(rune('a'+i/26%26)) + string(rune('0'+i/676))
	}
	return out
}

// special are values that must not be held as uint32.
var special = []float64{math.MaxUint32, math.MaxUint32 + 1, 1e15, 0.5, 2.25, -1, math.Copysign(0, -1), math.NaN(),
	math.Inf(1), math.Inf(-1), 1e300, 5e-324}

// TestStoreRoundTrip: matrices of whole counts with a sprinkling of values that
// are not (fractions, 2^32-1 and above, negatives, -0, NaN, Inf) come back from a
// Store bit for bit through every accessor, with 4 bytes per whole cell.
func TestStoreRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for _, tc := range []struct {
		rows, cols int
		frac       float64 // share of special cells
	}{{0, 3, 0}, {3, 0, 0}, {1, 1, 0}, {50, 7, 0}, {50, 7, 0.05}, {200, 33, 0.01}, {2000, 5, 0.1}, {1, 1, 1}} {
		m := NewMatrix(Counts, names("g", tc.rows), names("s", tc.cols))
		nsp := 0
		for i := range m.Data {
			switch u := rng.Float64(); {
			case u < tc.frac:
				m.Data[i] = special[rng.IntN(len(special))]
				nsp++
			case u < 0.5:
				m.Data[i] = float64(rng.IntN(20))
			case u < 0.55:
				m.Data[i] = MaxWhole
			default:
				m.Data[i] = float64(rng.Uint32N(MaxWhole + 1))
			}
		}
		s := CompactMatrix(m)
		if err := s.Validate(); err != nil {
			t.Fatal(err)
		}
		if s.Kind != m.Kind || s.Rows() != tc.rows || s.Cols() != tc.cols || !s.Compact() || s.Spilled() != nsp {
			t.Fatalf("%dx%d: kind %v compact %v spilled %d (want %d)", tc.rows, tc.cols, s.Kind, s.Compact(), s.Spilled(), nsp)
		}
		if want := int64(4*len(m.Data) + 16*nsp); s.Bytes() != want {
			t.Fatalf("Bytes %d, want %d", s.Bytes(), want)
		}
		sameBits(t, "Matrix", s.Matrix().Data, m.Data)
		row := make([]float64, tc.cols)
		for g := 0; g < tc.rows; g++ {
			sameBits(t, "RowInto", s.RowInto(g, row), m.Row(g))
			for j := 0; j < tc.cols; j++ {
				sameBits(t, "At", []float64{s.At(g, j)}, []float64{m.At(g, j)})
			}
		}
		idx := make([]int, 0, tc.cols+2)
		for j := tc.cols - 1; j >= 0; j -= 2 {
			idx = append(idx, j)
		}
		if tc.cols > 0 {
			idx = append(idx, 0, 0)
		}
		sub := s.SubsetCols(idx)
		sameBits(t, "SubsetCols", sub.Data, m.SubsetCols(idx).Data)
		if len(sub.Samples) != len(idx) {
			t.Fatal("SubsetCols names")
		}
		all := make([]int, tc.cols)
		for j := range all {
			all[j] = j
		}
		sel := s.SelectCols(all)
		sameBits(t, "SelectCols", sel.Data, m.Data)
		if tc.rows*tc.cols > 0 && &sel.Data[0] == &m.Data[0] {
			t.Fatal("SelectCols shares the caller's data")
		}
		// ColSums: in gene order, as a loop over the matrix.
		want := make([]float64, tc.cols)
		for g := 0; g < tc.rows; g++ {
			for j, v := range m.Row(g) {
				want[j] += v
			}
		}
		sameBits(t, "ColSums", s.ColSums(), want)
	}
}

// TestStoreBuilder: whole rows (AddWhole) and float rows (AddFloat) mixed, over
// several chunks, with Undo; the marker value 2^32-1 given to AddWhole is kept
// exactly; Grow before the rows gives one allocation.
func TestStoreBuilder(t *testing.T) {
	const cols = 3
	rows := (1<<20)/cols*2 + 17 // three chunks
	rng := rand.New(rand.NewPCG(3, 4))
	want := make([]float64, 0, rows*cols)
	b := NewStoreBuilder(cols, 0)
	w := make([]uint32, cols)
	f := make([]float64, cols)
	for r := 0; r < rows; r++ {
		if r%1000 == 7 {
			for j := range f {
				f[j] = float64(rng.IntN(100)) + 0.5*float64(j%2)
			}
			b.AddFloat(f)
			want = append(want, f...)
		} else {
			for j := range w {
				w[j] = rng.Uint32()
				if r == 5 && j == 1 {
					w[j] = math.MaxUint32
				}
			}
			b.AddWhole(w)
			for _, u := range w {
				want = append(want, float64(u))
			}
		}
		if r%100000 == 99 {
			b.Undo() // and add it again
			b.AddFloat(want[len(want)-cols:])
		}
	}
	// Undo over a chunk boundary.
	b.AddFloat([]float64{0.25, 1, 2})
	b.Undo()
	if b.Rows() != rows || b.Dense() {
		t.Fatalf("rows %d dense %v", b.Rows(), b.Dense())
	}
	s := b.Build(Counts, names("g", rows), names("s", cols))
	sameBits(t, "built", s.Matrix().Data, want)
	if !s.Compact() {
		t.Fatal("dense")
	}

	g := NewStoreBuilder(4, 1000)
	for r := 0; r < 1000; r++ {
		g.AddWhole([]uint32{1, 2, 3, uint32(r)})
	}
	gs := g.Build(Counts, names("g", 1000), names("s", 4))
	if gs.Bytes() != 16000 || cap(gs.whole) != 4000 {
		t.Fatalf("Grow: bytes %d cap %d", gs.Bytes(), cap(gs.whole))
	}
}

// TestStoreDense: once more than one cell in eight spills (and at least 4096
// did), the builder holds float64 values; the result is exact, 8 bytes per cell.
func TestStoreDense(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	m := NewMatrix(Expression, names("g", 5000), names("s", 6))
	for i := range m.Data {
		m.Data[i] = rng.NormFloat64()
		if i%10 == 0 {
			m.Data[i] = float64(i % 77)
		}
		if i%1001 == 0 {
			m.Data[i] = math.NaN()
		}
	}
	s := CompactMatrix(m)
	if s.Compact() || s.Bytes() != 8*int64(len(m.Data)) || s.Spilled() != 0 {
		t.Fatalf("compact %v bytes %d", s.Compact(), s.Bytes())
	}
	sameBits(t, "dense Matrix", s.Matrix().Data, m.Data)
	sameBits(t, "dense SubsetCols", s.SubsetCols([]int{5, 0}).Data, m.SubsetCols([]int{5, 0}).Data)
	row := make([]float64, 6)
	sameBits(t, "dense RowInto", s.RowInto(4321, row), m.Row(4321))
	if s.At(10, 3) != m.At(10, 3) {
		t.Fatal("At")
	}
	// A few spills stay compact.
	m.Data = m.Data[:0]
	for i := 0; i < 5000*6; i++ {
		v := float64(i % 1000)
		if i%9 == 0 {
			v += 0.5
		}
		m.Data = append(m.Data, v)
	}
	if s := CompactMatrix(m); !s.Compact() || s.Spilled() != (5000*6+8)/9 {
		t.Fatalf("compact %v spilled %d", s.Compact(), s.Spilled())
	}
}

// BenchmarkStoreMatrix is the expansion an analysis pays to get float64 counts
// back (60,000 x 300).
func BenchmarkStoreMatrix(b *testing.B) {
	m := NewMatrix(Counts, names("g", 60000), names("s", 300))
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range m.Data {
		m.Data[i] = float64(rng.IntN(5000))
	}
	s := CompactMatrix(m)
	b.SetBytes(int64(len(m.Data)) * 8)
	b.ReportAllocs()
	for b.Loop() {
		_ = s.Matrix()
	}
	b.ReportMetric(float64(s.Bytes())/float64(len(m.Data)), "B/cell")
}

// BenchmarkStoreBuilderDense adds 60,000 x 300 whole-count rows to a builder
// that gave up the compact form after its first rows (fractional values): the
// switch rewrites what was added as float64, later rows are widened as added.
func BenchmarkStoreBuilderDense(b *testing.B) {
	const genes, cols = 60000, 300
	rng := rand.New(rand.NewPCG(3, 4))
	frac := make([]float64, cols)
	for j := range frac {
		frac[j] = float64(rng.IntN(5000)) + 0.25
	}
	whole := make([][]uint32, 64)
	for i := range whole {
		whole[i] = make([]uint32, cols)
		for j := range whole[i] {
			whole[i][j] = uint32(rng.IntN(5000))
		}
	}
	b.SetBytes(genes * cols * 8)
	b.ReportAllocs()
	for b.Loop() {
		bl := NewStoreBuilder(cols, genes)
		for g := 0; g < 1000; g++ { // whole rows, then fractional ones until it turns dense
			bl.AddWhole(whole[g%len(whole)])
		}
		for !bl.Dense() {
			bl.AddFloat(frac)
		}
		for bl.Rows() < genes {
			bl.AddWhole(whole[bl.Rows()%len(whole)])
		}
		if s := bl.Build(Counts, names("g", genes), names("s", cols)); s.Compact() {
			b.Fatal("the builder stayed compact")
		}
	}
}
