package dataset

import (
	"fmt"
	"math"
	"sort"
)

// Store is a genes x samples matrix held compactly: a raw count table (whole,
// non-negative numbers below 2^32-1) takes 4 bytes per cell instead of Matrix's 8.
//
// Every cell is a uint32, row-major like Matrix.Data. A cell whose value is not a
// whole number in [0, MaxWhole] (a fraction such as an estimated count, NaN, a
// negative number, -0, 2^32-1 or more) holds the marker spill and its float64
// value is kept, exactly, in a short side list ordered by cell index. When more
// than one cell in eight would spill (a TPM or log-CPM table), the store holds
// plain float64 values instead (dense), so it is never more than about 8 bytes
// per cell plus the builder's chunk.
//
// A Store is read-only once built. The float64 form comes back bit for bit: a
// whole number below 2^32 converts to float64 exactly, and every other value is
// the float64 that was stored. Analyses take a Matrix from it (Matrix, SubsetCols,
// SelectCols, RowInto), only for what they use.
type Store struct {
	Kind    Kind
	Genes   []string
	Samples []string

	whole   []uint32  // compact form: one per cell (nil when dense)
	spillAt []int     // cell indices of spilled cells, increasing
	spillV  []float64 // their values
	dense   []float64 // dense form (nil when compact)
}

// MaxWhole is the largest value a Store holds as a uint32 (2^32-2; 2^32-1 marks
// a spilled cell).
const MaxWhole = math.MaxUint32 - 1

const spill = math.MaxUint32

// asWhole returns v as a uint32 and true when v is a whole number in [0,
// MaxWhole] whose float64 form is exactly float64(uint32) (so not -0).
func asWhole(v float64) (uint32, bool) {
	if v >= 0 && v <= MaxWhole {
		u := uint32(v)
		if float64(u) == v && (u != 0 || !math.Signbit(v)) {
			return u, true
		}
	}
	return 0, false
}

// Rows returns the number of genes.
func (s *Store) Rows() int { return len(s.Genes) }

// Cols returns the number of samples.
func (s *Store) Cols() int { return len(s.Samples) }

// Compact reports whether the store holds 4-byte whole numbers (true) or plain
// float64 values (false).
func (s *Store) Compact() bool { return s.dense == nil }

// Spilled returns the number of cells kept as float64 beside the compact form (0
// when dense).
func (s *Store) Spilled() int { return len(s.spillAt) }

// Bytes returns the memory the values occupy (not the names): 4 per cell plus 16
// per spilled cell when compact, 8 per cell when dense.
func (s *Store) Bytes() int64 {
	if s.dense != nil {
		return 8 * int64(len(s.dense))
	}
	return 4*int64(len(s.whole)) + 16*int64(len(s.spillAt))
}

// Validate checks that the dimensions agree.
func (s *Store) Validate() error {
	n := len(s.dense)
	if s.dense == nil {
		n = len(s.whole)
	}
	if n != len(s.Genes)*len(s.Samples) {
		return fmt.Errorf("dataset: store has %d values for %d genes x %d samples", n, len(s.Genes), len(s.Samples))
	}
	return nil
}

// At returns the value of gene g in sample j.
func (s *Store) At(g, j int) float64 {
	i := g*len(s.Samples) + j
	if s.dense != nil {
		return s.dense[i]
	}
	if u := s.whole[i]; u != spill {
		return float64(u)
	}
	return s.spillV[sort.SearchInts(s.spillAt, i)]
}

// firstSpill returns the position in spillAt of the first spilled cell at index
// i or later.
func (s *Store) firstSpill(i int) int {
	if len(s.spillAt) == 0 {
		return 0
	}
	return sort.SearchInts(s.spillAt, i)
}

// RowInto writes gene g's values into dst (len(dst) = Cols()) and returns dst.
func (s *Store) RowInto(g int, dst []float64) []float64 {
	n := len(s.Samples)
	dst = dst[:n]
	lo := g * n
	if s.dense != nil {
		copy(dst, s.dense[lo:lo+n])
		return dst
	}
	widen(dst, s.whole[lo:lo+n])
	for k := s.firstSpill(lo); k < len(s.spillAt) && s.spillAt[k] < lo+n; k++ {
		dst[s.spillAt[k]-lo] = s.spillV[k]
	}
	return dst
}

// Matrix returns the whole matrix as float64: a new Matrix whose Data is the
// caller's (for a dense store the values are copied too, so Data may always be
// modified) and whose Genes and Samples are the store's (read-only).
func (s *Store) Matrix() *Matrix {
	m := &Matrix{Kind: s.Kind, Genes: s.Genes, Samples: s.Samples, Data: make([]float64, len(s.Genes)*len(s.Samples))}
	if s.dense != nil {
		copy(m.Data, s.dense)
		return m
	}
	widen(m.Data, s.whole)
	for k, i := range s.spillAt {
		m.Data[i] = s.spillV[k]
	}
	return m
}

// widen sets dst[i] = float64(src[i]) (len(dst) >= len(src)), four at a time.
func widen(dst []float64, src []uint32) {
	dst = dst[:len(src)]
	i := 0
	for ; i+4 <= len(src); i += 4 {
		s := src[i : i+4 : i+4]
		d := dst[i : i+4 : i+4]
		d[0], d[1], d[2], d[3] = float64(s[0]), float64(s[1]), float64(s[2]), float64(s[3])
	}
	for ; i < len(src); i++ {
		dst[i] = float64(src[i])
	}
}

// SubsetCols returns a new float64 Matrix with the samples at idx, in that order
// (Matrix().SubsetCols(idx) without the full-size intermediate).
func (s *Store) SubsetCols(idx []int) *Matrix {
	samples := make([]string, len(idx))
	for j, c := range idx {
		samples[j] = s.Samples[c]
	}
	n, k := len(s.Samples), len(idx)
	out := &Matrix{Kind: s.Kind, Genes: s.Genes, Samples: samples, Data: make([]float64, len(s.Genes)*k)}
	if s.dense != nil {
		for g := range s.Genes {
			src := s.dense[g*n : (g+1)*n]
			dst := out.Data[g*k : (g+1)*k]
			for j, c := range idx {
				dst[j] = src[c]
			}
		}
		return out
	}
	var row []float64
	sp := 0
	for g := range s.Genes {
		src := s.whole[g*n : (g+1)*n]
		dst := out.Data[g*k : (g+1)*k]
		// Rows with a spilled cell go through a float64 row; others convert directly.
		if sp < len(s.spillAt) && s.spillAt[sp] < (g+1)*n {
			if row == nil {
				row = make([]float64, n)
			}
			s.RowInto(g, row)
			for j, c := range idx {
				dst[j] = row[c]
			}
			for sp < len(s.spillAt) && s.spillAt[sp] < (g+1)*n {
				sp++
			}
			continue
		}
		for j, c := range idx {
			dst[j] = float64(src[c])
		}
	}
	return out
}

// SelectCols is SubsetCols; with every column once, in order, it is Matrix(). The
// result is always a new Matrix the caller owns (unlike Matrix.SelectCols).
func (s *Store) SelectCols(idx []int) *Matrix {
	if len(idx) == len(s.Samples) {
		same := true
		for j, c := range idx {
			if c != j {
				same = false
				break
			}
		}
		if same {
			return s.Matrix()
		}
	}
	return s.SubsetCols(idx)
}

// ColSums returns each sample's sum over genes, added in gene order (as a loop over
// Matrix.Data would).
func (s *Store) ColSums() []float64 {
	n := len(s.Samples)
	out := make([]float64, n)
	row := make([]float64, n)
	for g := range s.Genes {
		for j, v := range s.RowInto(g, row) {
			out[j] += v
		}
	}
	return out
}

// CompactMatrix returns m's values as a Store (names shared, values copied).
func CompactMatrix(m *Matrix) *Store {
	b := NewStoreBuilder(m.Cols(), m.Rows())
	n := m.Cols()
	for g := 0; g < m.Rows(); g++ {
		b.AddFloat(m.Data[g*n : (g+1)*n])
	}
	return b.Build(m.Kind, m.Genes, m.Samples)
}

// StoreBuilder builds a Store row by row. Rows are kept in chunks of about 4 MB,
// so a growing table is never copied more than once (Build joins the chunks)
// unless Grow sized it first, in which case nothing is copied.
type StoreBuilder struct {
	cols   int
	rows   int
	chunks [][]uint32
	cur    []uint32
	fchunk [][]float64 // dense mode
	fcur   []float64
	dense  bool
	at     []int
	val    []float64
}

// spillDenseMin: below this many spilled cells a builder never turns dense.
const spillDenseMin = 4096

// NewStoreBuilder returns a builder for rows of cols values; rowsHint (0 if
// unknown) sizes the first allocation.
func NewStoreBuilder(cols, rowsHint int) *StoreBuilder {
	b := &StoreBuilder{cols: cols}
	if rowsHint > 0 {
		b.Grow(rowsHint)
	}
	return b
}

// Rows returns the number of rows added.
func (b *StoreBuilder) Rows() int { return b.rows }

// Dense reports whether the builder gave up the compact form.
func (b *StoreBuilder) Dense() bool { return b.dense }

// Grow makes room for rows rows in total while nothing beyond the first chunk was
// added (later it does nothing): a table whose size is known is then allocated
// once.
func (b *StoreBuilder) Grow(rows int) {
	n := rows * b.cols
	if n <= 0 || n >= 1<<31 {
		return
	}
	if b.dense {
		if len(b.fchunk) == 0 && cap(b.fcur) < n {
			c := make([]float64, len(b.fcur), n)
			copy(c, b.fcur)
			b.fcur = c
		}
		return
	}
	if len(b.chunks) == 0 && cap(b.cur) < n {
		c := make([]uint32, len(b.cur), n)
		copy(c, b.cur)
		b.cur = c
	}
}

// chunkCells is the size of a new chunk: about 1 Mi cells, whole rows.
func (b *StoreBuilder) chunkCells() int {
	per := max(1, (1<<20)/max(b.cols, 1))
	return per * b.cols
}

// room returns the slice for the next row (compact mode).
func (b *StoreBuilder) room() []uint32 {
	ns := b.cols
	if len(b.cur)+ns > cap(b.cur) {
		if len(b.cur) > 0 {
			b.chunks = append(b.chunks, b.cur)
		}
		b.cur = make([]uint32, 0, b.chunkCells())
	}
	k := len(b.cur)
	b.cur = b.cur[:k+ns]
	return b.cur[k : k+ns : k+ns]
}

// froom returns the slice for the next row (dense mode).
func (b *StoreBuilder) froom() []float64 {
	ns := b.cols
	if len(b.fcur)+ns > cap(b.fcur) {
		if len(b.fcur) > 0 {
			b.fchunk = append(b.fchunk, b.fcur)
		}
		b.fcur = make([]float64, 0, b.chunkCells())
	}
	k := len(b.fcur)
	b.fcur = b.fcur[:k+ns]
	return b.fcur[k : k+ns : k+ns]
}

// AddWhole appends a row of whole counts. Every value must be at most MaxWhole;
// a larger one is kept as a spilled float64 (so the row is still exact).
func (b *StoreBuilder) AddWhole(row []uint32) {
	if b.dense {
		widen(b.froom(), row[:b.cols])
		b.rows++
		return
	}
	dst := b.room()
	copy(dst, row)
	for j, u := range dst {
		if u == spill {
			b.at = append(b.at, b.rows*b.cols+j)
			b.val = append(b.val, float64(u))
		}
	}
	b.rows++
	b.check()
}

// AddFloat appends a row of float64 values (any value: NaN, negative and
// fractional ones are kept exactly).
func (b *StoreBuilder) AddFloat(row []float64) {
	if b.dense {
		copy(b.froom(), row[:b.cols])
		b.rows++
		return
	}
	dst := b.room()
	base := b.rows * b.cols
	for j, v := range row[:b.cols] {
		if u, ok := asWhole(v); ok {
			dst[j] = u
			continue
		}
		dst[j] = spill
		b.at = append(b.at, base+j)
		b.val = append(b.val, v)
	}
	b.rows++
	b.check()
}

// check turns the builder dense when more than one cell in eight spilled.
func (b *StoreBuilder) check() {
	if len(b.at) < spillDenseMin || len(b.at)*8 <= b.rows*b.cols {
		return
	}
	// Rewrite what was added as float64, in chunks, freeing the compact ones.
	total := b.rows * b.cols
	out := make([]float64, 0, max(total+b.chunkCells(), cap(b.cur)+sumCap(b.chunks)))
	k := 0
	add := func(c []uint32) {
		base := len(out)
		out = out[:base+len(c)]
		widen(out[base:], c)
		for k < len(b.at) && b.at[k] < base+len(c) {
			out[b.at[k]] = b.val[k]
			k++
		}
	}
	for i, c := range b.chunks {
		add(c)
		b.chunks[i] = nil
	}
	add(b.cur)
	b.chunks, b.cur, b.at, b.val = nil, nil, nil, nil
	b.fcur = out
	b.dense = true
}

func sumCap(cs [][]uint32) int {
	n := 0
	for _, c := range cs {
		n += cap(c)
	}
	return n
}

// Undo takes back the last row added.
func (b *StoreBuilder) Undo() {
	if b.rows == 0 {
		return
	}
	b.rows--
	base := b.rows * b.cols
	if b.dense {
		if len(b.fcur) >= b.cols {
			b.fcur = b.fcur[:len(b.fcur)-b.cols]
		} else {
			last := b.fchunk[len(b.fchunk)-1]
			b.fchunk = b.fchunk[:len(b.fchunk)-1]
			b.fcur = last[:len(last)-b.cols]
		}
		return
	}
	if len(b.cur) >= b.cols {
		b.cur = b.cur[:len(b.cur)-b.cols]
	} else {
		last := b.chunks[len(b.chunks)-1]
		b.chunks = b.chunks[:len(b.chunks)-1]
		b.cur = last[:len(last)-b.cols]
	}
	for len(b.at) > 0 && b.at[len(b.at)-1] >= base {
		b.at, b.val = b.at[:len(b.at)-1], b.val[:len(b.val)-1]
	}
}

// Build returns the Store of the rows added, with the given names (kept, not
// copied; len(genes) must be Rows()). The builder must not be used afterwards.
func (b *StoreBuilder) Build(kind Kind, genes, samples []string) *Store {
	s := &Store{Kind: kind, Genes: genes, Samples: samples}
	if b.dense {
		s.dense = joinChunks(b.fchunk, b.fcur, b.rows*b.cols)
		if s.dense == nil {
			s.dense = []float64{}
		}
	} else {
		s.whole = joinChunks(b.chunks, b.cur, b.rows*b.cols)
		if s.whole == nil {
			s.whole = []uint32{}
		}
		if len(b.at) > 0 {
			s.spillAt, s.spillV = b.at, b.val
		}
	}
	*b = StoreBuilder{}
	return s
}

// joinChunks returns the chunks and cur as one slice of n values; with no chunk it
// returns cur itself (trimmed of spare capacity only when that is most of it).
func joinChunks[T uint32 | float64](chunks [][]T, cur []T, n int) []T {
	if len(chunks) == 0 {
		if cap(cur) > 2*len(cur)+1024 {
			return append([]T(nil), cur...)
		}
		return cur[:len(cur):len(cur)]
	}
	out := make([]T, 0, n)
	for i, c := range chunks {
		out = append(out, c...)
		chunks[i] = nil
	}
	return append(out, cur...)
}
