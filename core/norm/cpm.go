package norm

import (
	"fmt"
	"math"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/fmath"
)

// LibSizes returns the library sizes of a count matrix: the column sums
// (edgeR's DGEList default lib.size = colSums(counts)). It returns an error for
// negative or NaN counts. An empty matrix gives zeros.
func LibSizes(m *dataset.Matrix) ([]float64, error) {
	if err := checkCounts(m, "LibSizes"); err != nil {
		return nil, err
	}
	return colSums(m), nil
}

// EffectiveLibSizes returns lib.size * norm.factors elementwise, edgeR's
// "normalized library sizes" used by cpm(), rpkm() and filterByExpr() on a DGEList.
// It panics if the lengths differ (a programming error).
func EffectiveLibSizes(libSize, normFactors []float64) []float64 {
	if len(libSize) != len(normFactors) {
		panic("norm: EffectiveLibSizes: length mismatch")
	}
	out := make([]float64, len(libSize))
	for j := range out {
		out[j] = libSize[j] * normFactors[j]
	}
	return out
}

// libSizesFor returns lib (checked) or the column sums when lib is nil.
func libSizesFor(m *dataset.Matrix, lib []float64, who string) ([]float64, error) {
	if lib == nil {
		return colSums(m), nil
	}
	if len(lib) != m.Cols() {
		return nil, fmt.Errorf("norm: %s: %d library sizes for %d samples", who, len(lib), m.Cols())
	}
	for j, v := range lib {
		if !(v > 0) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("norm: %s: library size of sample %q is %v; library sizes must be finite and positive", who, m.Samples[j], v)
		}
	}
	return lib, nil
}

func checkLibPositive(m *dataset.Matrix, lib []float64, who string) error {
	for j, v := range lib {
		if !(v > 0) || math.IsInf(v, 0) {
			return fmt.Errorf("norm: %s: library size of sample %q is %v; library sizes must be finite and positive", who, m.Samples[j], v)
		}
	}
	return nil
}

// CPM returns counts per million, cpm_gj = y_gj * 1e6 / L_j, as edgeR 3.40
// cpm(y, lib.size = L) (C code calc_cpm_raw). libSize nil means the column sums;
// pass EffectiveLibSizes(lib, normFactors) for edgeR's normalized CPM of a DGEList.
//
// Errors: NaN or negative counts, a library size that is not finite and positive
// (edgeR: "library sizes should be finite and non-negative"), wrong length.
func CPM(m *dataset.Matrix, libSize []float64) (*dataset.Matrix, error) {
	if err := checkCounts(m, "CPM"); err != nil {
		return nil, err
	}
	lib, err := libSizesFor(m, libSize, "CPM")
	if err != nil {
		return nil, err
	}
	if err := checkLibPositive(m, lib, "CPM"); err != nil {
		return nil, err
	}
	out := newLike(m)
	n := m.Cols()
	for i, v := range m.Data {
		out.Data[i] = v * 1e6 / lib[i%n]
	}
	return out, nil
}

// LogCPM returns edgeR's log2 counts per million with a library-size-scaled prior
// count, as edgeR 3.40 cpm(y, lib.size = L, log = TRUE, prior.count = prior)
// (C code calc_cpm_log / compute_offsets):
//
//	p_j  = prior * L_j / mean(L)
//	logCPM_gj = (log(y_gj + p_j) - log(L_j + 2 p_j) + log(1e6)) / log(2)
//
// and NaN when y_gj + p_j <= 0 (only possible with prior 0 and a zero count).
// edgeR's default prior is 2; voom uses a different rule (+0.5 / +1).
// libSize nil means the column sums. Errors as CPM, and for a negative or NaN prior.
func LogCPM(m *dataset.Matrix, libSize []float64, prior float64) (*dataset.Matrix, error) {
	return logCPM(m, false, libSize, prior, "LogCPM")
}

// LogCPMInPlace is LogCPM writing the log-CPM values over m's counts (the same
// values, bit for bit) and setting m.Kind to dataset.Expression, for a caller
// that owns m and needs only the log-CPM afterwards: at 60,000 genes x 1,000
// samples it saves LogCPM's second 480 MB matrix (issue 11's browser heap).
// On an error m is unchanged.
func LogCPMInPlace(m *dataset.Matrix, libSize []float64, prior float64) error {
	_, err := logCPM(m, true, libSize, prior, "LogCPMInPlace")
	return err
}

// logCPM is LogCPM into a new matrix, or over m's values inPlace (each cell is
// read before it is written, and by nothing after), returning the result.
func logCPM(m *dataset.Matrix, inPlace bool, libSize []float64, prior float64, who string) (*dataset.Matrix, error) {
	if err := checkCounts(m, who); err != nil {
		return nil, err
	}
	if !(prior >= 0) || math.IsInf(prior, 0) {
		return nil, fmt.Errorf("norm: %s: prior count %v; prior counts must be finite non-negative values", who, prior)
	}
	lib, err := libSizesFor(m, libSize, who)
	if err != nil {
		return nil, err
	}
	if err := checkLibPositive(m, lib, who); err != nil {
		return nil, err
	}
	n := m.Cols()
	p, off := priorOffsets(lib, prior)
	out := m
	if inPlace {
		m.Kind = dataset.Expression
	} else {
		out = newLike(m)
	}
	// The value depends only on the sample and the count, so whole counts
	// below logCPMTab take it from a per-sample table filled on first use
	// (the same expression, so the same bits): blocks of logCPMBlock
	// samples, each block's row segments in memory order.
	tab := make([]float64, min(n, logCPMBlock)*logCPMTab)
	for j0 := 0; j0 < n; j0 += logCPMBlock {
		j1 := min(j0+logCPMBlock, n)
		t := tab[:(j1-j0)*logCPMTab]
		for i := range t {
			t[i] = math.NaN()
		}
		for g := 0; g < m.Rows(); g++ {
			logCPMRow(m.Data[g*n+j0:g*n+j1], out.Data[g*n+j0:g*n+j1], p[j0:j1], off[j0:j1], t)
		}
	}
	return out, nil
}

// LogCPM's per-sample tables: counts below logCPMTab, logCPMBlock samples at
// a time (a 512 KB table; larger tables or narrower blocks measured slower).
const (
	logCPMTab   = 1024
	logCPMBlock = 64
)

// logCPMRow is LogCPM for one row segment; tab holds logCPMTab values per
// sample of the segment (NaN: not computed yet).
func logCPMRow(src, dst, p, off, tab []float64) {
	dst, p, off = dst[:len(src)], p[:len(src)], off[:len(src)]
	for j, v := range src {
		if i := int(v); v >= 0 && v < logCPMTab && float64(i) == v {
			at := j*logCPMTab + i
			x := tab[at]
			if x != x {
				x = logCPMValue(v, p[j], off[j])
				tab[at] = x
			}
			dst[j] = x
			continue
		}
		dst[j] = logCPMValue(v, p[j], off[j])
	}
}

// logCPMValue is (log(v + p) - off + log(1e6)) / log(2), NaN when v + p <= 0.
func logCPMValue(v, p, off float64) float64 {
	v += p
	if v > 0 {
		return (fmath.Log(v) - off + lnMillion) / lnTwo
	}
	return math.NaN()
}

var lnMillion, lnTwo = fmath.Log(1e6), fmath.Log(2)

// priorOffsets is edgeR's compute_offsets: the scaled prior per library and the log of
// the library size augmented by twice that prior. The average is a plain running sum
// divided by n, as in the C code.
func priorOffsets(lib []float64, prior float64) (p, logLib []float64) {
	var ave float64
	for _, v := range lib {
		ave += v
	}
	ave = ave / float64(len(lib))
	p = make([]float64, len(lib))
	logLib = make([]float64, len(lib))
	for j, v := range lib {
		p[j] = prior * v / ave
		logLib[j] = fmath.Log(v + 2*p[j])
	}
	return p, logLib
}

func checkLengths(m *dataset.Matrix, length []float64, who string) error {
	if len(length) != m.Rows() {
		return fmt.Errorf("norm: %s: %d gene lengths for %d genes", who, len(length), m.Rows())
	}
	for g, v := range length {
		if !(v > 0) || math.IsInf(v, 0) {
			return fmt.Errorf("norm: %s: length of gene %q is %v; gene lengths must be finite and positive", who, m.Genes[g], v)
		}
	}
	return nil
}

// FPKM returns fragments per kilobase per million, edgeR 3.40 rpkm(y, gene.length,
// lib.size = L): FPKM_gj = CPM_gj / (length_g / 1000). libSize nil means the
// column sums; for rpkm() of a TMM-normalised DGEList pass EffectiveLibSizes.
// Gene lengths are in bases and must be positive.
func FPKM(m *dataset.Matrix, libSize, geneLength []float64) (*dataset.Matrix, error) {
	if err := checkLengths(m, geneLength, "FPKM"); err != nil {
		return nil, err
	}
	out, err := CPM(m, libSize)
	if err != nil {
		return nil, err
	}
	n := m.Cols()
	for g := 0; g < m.Rows(); g++ {
		kb := geneLength[g] / 1000
		row := out.Data[g*n : (g+1)*n]
		for j := range row {
			row[j] /= kb
		}
	}
	return out, nil
}

// LogFPKM is edgeR's rpkm(log = TRUE): LogCPM(m, libSize, prior) - log2(length_g/1000).
func LogFPKM(m *dataset.Matrix, libSize, geneLength []float64, prior float64) (*dataset.Matrix, error) {
	if err := checkLengths(m, geneLength, "LogFPKM"); err != nil {
		return nil, err
	}
	out, err := LogCPM(m, libSize, prior)
	if err != nil {
		return nil, err
	}
	n := m.Cols()
	for g := 0; g < m.Rows(); g++ {
		l := fmath.Log2(geneLength[g] / 1000)
		row := out.Data[g*n : (g+1)*n]
		for j := range row {
			row[j] -= l
		}
	}
	return out, nil
}

// TPM returns transcripts per million from counts and gene lengths:
//
//	rate_gj = y_gj / length_g,   TPM_gj = rate_gj / sum_g(rate_gj) * 1e6
//
// (Wagner, Kin & Lynch 2012, doi:10.1007/s12064-012-0162-3; the length is the
// effective length if the caller has it). A sample whose rates all vanish gives NaN
// for that sample.
func TPM(m *dataset.Matrix, geneLength []float64) (*dataset.Matrix, error) {
	if err := checkCounts(m, "TPM"); err != nil {
		return nil, err
	}
	if err := checkLengths(m, geneLength, "TPM"); err != nil {
		return nil, err
	}
	n := m.Cols()
	out := newLike(m)
	cols := make([][]float64, n)
	for j := range cols {
		cols[j] = make([]float64, 0, m.Rows())
	}
	for g := 0; g < m.Rows(); g++ {
		for j := 0; j < n; j++ {
			r := m.Data[g*n+j] / geneLength[g]
			out.Data[g*n+j] = r
			cols[j] = append(cols[j], r)
		}
	}
	tot := make([]float64, n)
	for j := range tot {
		tot[j] = sumK(cols[j])
	}
	for i := range out.Data {
		out.Data[i] = out.Data[i] / tot[i%n] * 1e6
	}
	return out, nil
}
