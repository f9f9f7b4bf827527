package dataset

import "fmt"

// Kind says what the numbers of a Matrix are, which decides the analyses they may feed.
type Kind int

const (
	// Counts are raw, whole, non-negative read counts: valid for DESeq2, edgeR and voom.
	Counts Kind = iota
	// Expression is any other per-sample value (log-CPM, TPM, microarray intensity):
	// valid for scores, PAM50 and plots, not for count models.
	Expression
)

func (k Kind) String() string {
	switch k {
	case Counts:
		return "counts"
	case Expression:
		return "expression"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Matrix is a dense genes x samples matrix.
//
// Data is row-major: the value of gene g in sample s is Data[g*len(Samples)+s].
// Genes and Samples are the row and column names; they are unique.
type Matrix struct {
	Kind    Kind
	Genes   []string
	Samples []string
	Data    []float64
}

// NewMatrix returns a zero matrix with the given names. The slices are kept, not copied.
func NewMatrix(kind Kind, genes, samples []string) *Matrix {
	return &Matrix{Kind: kind, Genes: genes, Samples: samples, Data: make([]float64, len(genes)*len(samples))}
}

// Rows returns the number of genes.
func (m *Matrix) Rows() int { return len(m.Genes) }

// Cols returns the number of samples.
func (m *Matrix) Cols() int { return len(m.Samples) }

// At returns the value of gene g in sample s.
func (m *Matrix) At(g, s int) float64 { return m.Data[g*len(m.Samples)+s] }

// Set sets the value of gene g in sample s.
func (m *Matrix) Set(g, s int, v float64) { m.Data[g*len(m.Samples)+s] = v }

// Row returns gene g's values as a sub-slice of Data (not a copy).
func (m *Matrix) Row(g int) []float64 {
	n := len(m.Samples)
	return m.Data[g*n : (g+1)*n : (g+1)*n]
}

// Col returns a copy of sample s's values.
func (m *Matrix) Col(s int) []float64 {
	out := make([]float64, len(m.Genes))
	n := len(m.Samples)
	for g := range out {
		out[g] = m.Data[g*n+s]
	}
	return out
}

// Validate checks that the dimensions agree; it returns an error describing the first mismatch.
func (m *Matrix) Validate() error {
	if len(m.Data) != len(m.Genes)*len(m.Samples) {
		return fmt.Errorf("dataset: matrix has %d values for %d genes x %d samples", len(m.Data), len(m.Genes), len(m.Samples))
	}
	return nil
}

// SubsetCols returns a new matrix with the samples at idx, in that order.
func (m *Matrix) SubsetCols(idx []int) *Matrix {
	samples := make([]string, len(idx))
	for j, s := range idx {
		samples[j] = m.Samples[s]
	}
	out := &Matrix{Kind: m.Kind, Genes: m.Genes, Samples: samples, Data: make([]float64, len(m.Genes)*len(idx))}
	n, k := len(m.Samples), len(idx)
	for g := range m.Genes {
		src := m.Data[g*n : (g+1)*n]
		dst := out.Data[g*k : (g+1)*k]
		for j, s := range idx {
			dst[j] = src[s]
		}
	}
	return out
}

// SubsetRows returns a new matrix with the genes at idx, in that order.
func (m *Matrix) SubsetRows(idx []int) *Matrix {
	genes := make([]string, len(idx))
	n := len(m.Samples)
	out := &Matrix{Kind: m.Kind, Genes: genes, Samples: m.Samples, Data: make([]float64, len(idx)*n)}
	for i, g := range idx {
		genes[i] = m.Genes[g]
		copy(out.Data[i*n:(i+1)*n], m.Data[g*n:(g+1)*n])
	}
	return out
}
