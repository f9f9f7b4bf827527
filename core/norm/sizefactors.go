package norm

import (
	"errors"
	"fmt"
	"math"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/fmath"
)

// SizeFactorType selects DESeq2's size-factor estimator.
type SizeFactorType int

const (
	// Ratio is the median-of-ratios estimator (DESeq2's default type = "ratio").
	Ratio SizeFactorType = iota
	// PosCounts uses geometric means over positive counts with n in the denominator,
	// then renormalises (type = "poscounts").
	PosCounts
)

func (t SizeFactorType) String() string {
	switch t {
	case Ratio:
		return "ratio"
	case PosCounts:
		return "poscounts"
	}
	return fmt.Sprintf("SizeFactorType(%d)", int(t))
}

// SizeFactorOptions are the arguments of DESeq2's estimateSizeFactors.
type SizeFactorOptions struct {
	Type SizeFactorType
	// ControlGenes are 0-based gene indices; when set, the median is taken over them only.
	ControlGenes []int
	// GeoMeans are user-supplied geometric means (one per gene); when set, Type is
	// ignored and the factors are renormalised to geometric mean 1, as DESeq2 does.
	GeoMeans []float64
}

// ErrAllGenesZero is returned by SizeFactors when every gene has a zero count, so no
// log geometric mean is finite (DESeq2: "every gene contains at least one zero").
var ErrAllGenesZero = errors.New("norm: every gene contains at least one zero, cannot compute log geometric means (use type poscounts)")

// SizeFactors estimates DESeq2 1.38.3 size factors (estimateSizeFactors /
// estimateSizeFactorsForMatrix; Anders & Huber 2010, doi:10.1186/gb-2010-11-10-r106):
//
//	ratio:      lg_g = mean_j log y_gj                      (-Inf if any zero)
//	poscounts:  lg_g = log(exp(sum_{y_gj>0} log y_gj / n))  (-Inf if all zero)
//	s_j = exp(median{ log y_gj - lg_g : lg_g finite, y_gj > 0, g in control genes })
//
// Ratio factors are NOT renormalised. Poscounts factors and factors from
// user-supplied GeoMeans are divided by exp(mean(log s)).
//
// Errors: NaN or negative counts, ErrAllGenesZero, a control index out of range,
// GeoMeans of the wrong length. A sample with no usable gene gets NaN (R: NA).
func SizeFactors(m *dataset.Matrix, opt SizeFactorOptions) ([]float64, error) {
	if err := checkCounts(m, "SizeFactors"); err != nil {
		return nil, err
	}
	ng, ns := m.Rows(), m.Cols()
	lgm := make([]float64, ng)
	renorm := false
	switch {
	case opt.GeoMeans != nil:
		if len(opt.GeoMeans) != ng {
			return nil, fmt.Errorf("norm: SizeFactors: geoMeans should be as long as the number of rows of counts (%d, got %d)", ng, len(opt.GeoMeans))
		}
		for g, v := range opt.GeoMeans {
			lgm[g] = fmath.Log(v)
		}
		renorm = true
	case opt.Type == PosCounts:
		// estimateSizeFactors.DESeqDataSet computes geoMeans then passes them in.
		for g, v := range posGeoMeans(m) {
			lgm[g] = fmath.Log(v)
		}
		renorm = true
	case opt.Type == Ratio:
		lc := make([]float64, ns)
		for g := 0; g < ng; g++ {
			for j, v := range m.Row(g) {
				lc[j] = fmath.Log(v)
			}
			lgm[g] = sumK(lc) / float64(ns)
		}
	default:
		return nil, fmt.Errorf("norm: SizeFactors: unknown type %v", opt.Type)
	}
	allInf := true
	for _, v := range lgm {
		if !math.IsInf(v, 0) {
			allInf = false
			break
		}
	}
	if allInf {
		return nil, ErrAllGenesZero
	}
	genes := opt.ControlGenes
	if genes == nil {
		genes = make([]int, ng)
		for g := range genes {
			genes[g] = g
		}
	}
	for _, g := range genes {
		if g < 0 || g >= ng {
			return nil, fmt.Errorf("norm: SizeFactors: control gene index %d out of range 0..%d", g, ng-1)
		}
	}
	sf := make([]float64, ns)
	r := make([]float64, 0, len(genes))
	for j := 0; j < ns; j++ {
		r = r[:0]
		for _, g := range genes {
			y := m.Data[g*ns+j]
			if math.IsInf(lgm[g], 0) || math.IsNaN(lgm[g]) || !(y > 0) {
				continue
			}
			r = append(r, fmath.Log(y)-lgm[g])
		}
		sf[j] = fmath.Exp(medianR(r))
	}
	if renorm {
		ls := make([]float64, ns)
		for j, v := range sf {
			ls[j] = fmath.Log(v)
		}
		gm := fmath.Exp(meanR(ls))
		for j := range sf {
			sf[j] /= gm
		}
	}
	return sf, nil
}

// NormalizedCounts returns counts divided by the size factors, DESeq2's
// counts(dds, normalized = TRUE) = y_gj / s_j.
func NormalizedCounts(m *dataset.Matrix, sizeFactors []float64) (*dataset.Matrix, error) {
	if len(sizeFactors) != m.Cols() {
		return nil, fmt.Errorf("norm: %d size factors for %d samples", len(sizeFactors), m.Cols())
	}
	for j, v := range sizeFactors {
		if !(v > 0) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("norm: size factor of sample %q is %v; size factors must be finite and positive", m.Samples[j], v)
		}
	}
	out := newLike(m)
	n := m.Cols()
	for i, v := range m.Data {
		out.Data[i] = v / sizeFactors[i%n]
	}
	return out, nil
}

// NormalizationFactors computes DESeq2 1.38.3's gene x sample normalization factors
// from a matrix of per-gene, per-sample scale factors (estimateNormFactors), as
// estimateSizeFactors(dds, normMatrix = nm) does, or, with avgTxLength true, as it
// does for a DESeqDataSet made by DESeqDataSetFromTximport (assay "avgTxLength"),
// whose rows are first divided by their geometric means:
//
//	nm  <- nm / exp(rowMeans(log nm))                  (avgTxLength only)
//	sf  <- size factors of counts / nm                  (SizeFactors with opt)
//	nf  <- nm * sf_j;   nf <- nf / exp(rowMeans(log nf))
//
// With Type PosCounts the geometric means come from the raw counts (as
// estimateSizeFactors computes them before calling estimateNormFactors) and the
// size factors are renormalised. The result is a Counts-shaped Expression matrix
// with the gene and sample names of counts.
//
// Errors: as SizeFactors; a shape mismatch; a non-positive or non-finite entry of nm.
func NormalizationFactors(counts, nm *dataset.Matrix, opt SizeFactorOptions, avgTxLength bool) (*dataset.Matrix, error) {
	if err := checkCounts(counts, "NormalizationFactors"); err != nil {
		return nil, err
	}
	if nm == nil || nm.Rows() != counts.Rows() || nm.Cols() != counts.Cols() || len(nm.Data) != len(counts.Data) {
		return nil, fmt.Errorf("norm: NormalizationFactors: the normalization matrix must be %d x %d like the counts", counts.Rows(), counts.Cols())
	}
	ng, ns := counts.Rows(), counts.Cols()
	for i, v := range nm.Data {
		if !(v > 0) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("norm: NormalizationFactors: value of gene %q in sample %q is %v; it must be finite and positive", counts.Genes[i/ns], counts.Samples[i%ns], v)
		}
	}
	scaled := append([]float64(nil), nm.Data...)
	lrow := make([]float64, ns)
	centre := func(d []float64) {
		for g := 0; g < ng; g++ {
			row := d[g*ns : (g+1)*ns]
			for j, v := range row {
				lrow[j] = fmath.Log(v)
			}
			gm := fmath.Exp(sumK(lrow) / float64(ns))
			for j := range row {
				row[j] /= gm
			}
		}
	}
	if avgTxLength {
		centre(scaled)
	}
	q := &dataset.Matrix{Kind: dataset.Expression, Genes: counts.Genes, Samples: counts.Samples, Data: make([]float64, len(scaled))}
	for i, v := range counts.Data {
		q.Data[i] = v / scaled[i]
	}
	o := opt
	if o.GeoMeans == nil && o.Type == PosCounts {
		o.GeoMeans = posGeoMeans(counts)
	}
	sf, err := SizeFactors(q, o)
	if err != nil {
		return nil, err
	}
	nf := &dataset.Matrix{Kind: dataset.Expression, Genes: counts.Genes, Samples: counts.Samples, Data: scaled}
	for i := range scaled {
		scaled[i] *= sf[i%ns]
	}
	centre(scaled)
	return nf, nil
}

// posGeoMeans is DESeq2's geoMeanNZ per gene: exp(sum(log y[y > 0]) / n), 0 if all zero.
func posGeoMeans(m *dataset.Matrix) []float64 {
	ns := m.Cols()
	out := make([]float64, m.Rows())
	lc := make([]float64, 0, ns)
	for g := range out {
		lc = lc[:0]
		for _, v := range m.Row(g) {
			if v > 0 {
				lc = append(lc, fmath.Log(v))
			}
		}
		if len(lc) > 0 {
			out[g] = fmath.Exp(sumK(lc) / float64(ns))
		}
	}
	return out
}
