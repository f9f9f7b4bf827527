package study

import "github.com/her2het/her2het/core/dataset"

// countRows are the raw counts of the cohort's samples. A count matrix the
// Inputs keep compact (dataset.Store, 4 bytes a count) is read from there, by
// sample, when an analysis needs it, instead of being held as float64 for the
// whole run: at 60,000 genes x 1,000 samples that copy is 480 MB, next to the
// Store's 240 MB and logE's 480 MB in a browser engine whose wasm heap must stay
// under 2 GB (issue 11). Values are the same exact whole numbers either way.
type countRows struct {
	m     *dataset.Matrix // float64 counts (merged files, rows summed to symbols), or nil
	store *dataset.Store  // otherwise the Inputs' Store (shared, read-only)
	cols  []int           // the store column of each cohort sample
	genes []string        // row names (symbols)
}

// newCountRows returns the counts of m (a count matrix whose rows are those of
// the loaded matrix st, in order, with columns among st's samples, or any count
// matrix when st is nil) reading from st where it can.
func newCountRows(m *dataset.Matrix, st *dataset.Store) *countRows {
	if st == nil || st.Rows() != m.Rows() {
		return &countRows{m: m}
	}
	at := make(map[string]int, st.Cols())
	for j, s := range st.Samples {
		if _, dup := at[s]; dup {
			return &countRows{m: m}
		}
		at[s] = j
	}
	cols := make([]int, m.Cols())
	for j, s := range m.Samples {
		c, ok := at[s]
		if !ok {
			return &countRows{m: m}
		}
		cols[j] = c
	}
	return &countRows{store: st, cols: cols, genes: m.Genes}
}

// Rows returns the number of genes.
func (c *countRows) Rows() int {
	if c.m != nil {
		return c.m.Rows()
	}
	return len(c.genes)
}

// Cols returns the number of samples.
func (c *countRows) Cols() int {
	if c.m != nil {
		return c.m.Cols()
	}
	return len(c.cols)
}

// Genes returns the row names (read-only).
func (c *countRows) Genes() []string {
	if c.m != nil {
		return c.m.Genes
	}
	return c.genes
}

// reader returns a function that gives gene g's counts over the cohort's
// samples, read-only and valid until its next call. Each reader has its own
// buffers (readers may run on different goroutines).
func (c *countRows) reader() func(g int) []float64 {
	if c.m != nil {
		return c.m.Row
	}
	full := make([]float64, c.store.Cols())
	row := make([]float64, len(c.cols))
	return func(g int) []float64 {
		full = c.store.RowInto(g, full)
		for j, s := range c.cols {
			row[j] = full[s]
		}
		return row
	}
}

// SubsetCols returns a new float64 count matrix of the cohort's samples at idx.
func (c *countRows) SubsetCols(idx []int) *dataset.Matrix {
	if c.m != nil {
		return c.m.SubsetCols(idx)
	}
	out := c.store.SubsetCols(c.storeCols(idx))
	out.Genes = c.genes
	return out
}

// storeCols returns the Store columns of the cohort's samples at idx.
func (c *countRows) storeCols(idx []int) []int {
	sc := make([]int, len(idx))
	for j, i := range idx {
		sc[j] = c.cols[i]
	}
	return sc
}

// keep returns the counts of the cohort's samples at idx (the cohort after
// outlier removal) and them as a new float64 matrix (to normalise).
func (c *countRows) keep(idx []int) (*countRows, *dataset.Matrix) {
	m := c.SubsetCols(idx)
	if c.m != nil {
		return &countRows{m: m}, m
	}
	return &countRows{store: c.store, cols: c.storeCols(idx), genes: c.genes}, m
}

// subsetColsInto is SubsetCols with the values written to buf (its first
// genes x len(idx) values) when buf is large enough and the counts are read
// from the Store; otherwise SubsetCols. The same values either way.
func (c *countRows) subsetColsInto(idx []int, buf []float64) *dataset.Matrix {
	G, k := c.Rows(), len(idx)
	if c.m != nil || cap(buf) < G*k {
		return c.SubsetCols(idx)
	}
	sc := c.storeCols(idx)
	samples := make([]string, k)
	for j, s := range sc {
		samples[j] = c.store.Samples[s]
	}
	out := &dataset.Matrix{Kind: c.store.Kind, Genes: c.genes, Samples: samples, Data: buf[:G*k]}
	full := make([]float64, c.store.Cols())
	for g := 0; g < G; g++ {
		full = c.store.RowInto(g, full)
		dst := out.Data[g*k : (g+1)*k]
		for j, s := range sc {
			dst[j] = full[s]
		}
	}
	return out
}
