package norm

import (
	"errors"
	"fmt"
	"math"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/design"
)

// BatchOptions are the arguments of limma's removeBatchEffect.
type BatchOptions struct {
	// Batch and Batch2 are factors (one label per sample), coded by sum-to-zero
	// contrasts (contr.sum). Either may be nil.
	Batch, Batch2 []string
	// Covariates are numeric covariates to remove (samples x k), or nil.
	Covariates *design.Matrix
	// Design is the design of the effects to keep (samples x p); nil means the
	// intercept only. Supply the biological design, or the group effect is removed too.
	Design *design.Matrix
	// Workers fits contiguous gene ranges on that many goroutines (<= 1: serially);
	// every gene is fitted on its own, so results are bitwise identical for any value.
	Workers int
}

// RemoveBatchEffect is limma 3.54.1 removeBatchEffect: with
// Xb = [contr.sum(batch) | contr.sum(batch2) | covariates], it fits the linear model
// y_g = [Design | Xb] β_g by least squares (lmFit: R's pivoted QR with tolerance
// 1e-7; non-estimable coefficients count as 0) and returns y_g - Xb β_batch,g.
// Genes with missing values (NaN) are fitted on their observed samples, as lmFit
// does; the missing values stay NaN. With no batch, batch2 or covariates the data
// are returned unchanged.
//
// Batch levels are sorted, so the last level in sorted order carries the -1 of
// contr.sum; the corrected values do not depend on that choice.
//
// Errors: lengths that do not match the samples, NaN in a design or covariate.
func RemoveBatchEffect(m *dataset.Matrix, opt BatchOptions) (*dataset.Matrix, error) {
	if m == nil {
		return nil, errors.New("norm: RemoveBatchEffect: nil matrix")
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	ns := m.Cols()
	out := m.SubsetRows(seqInts(m.Rows()))
	out.Kind = dataset.Expression
	var xb [][]float64 // columns
	for _, f := range [][]string{opt.Batch, opt.Batch2} {
		if f == nil {
			continue
		}
		if len(f) != ns {
			return nil, fmt.Errorf("norm: RemoveBatchEffect: %d batch labels for %d samples", len(f), ns)
		}
		levels, code := levelsOf(f)
		last := len(levels) - 1
		for l := 0; l < last; l++ {
			c := make([]float64, ns)
			for j, k := range code {
				switch k {
				case l:
					c[j] = 1
				case last:
					c[j] = -1
				}
			}
			xb = append(xb, c)
		}
	}
	if opt.Covariates != nil {
		if opt.Covariates.Rows != ns {
			return nil, fmt.Errorf("norm: RemoveBatchEffect: covariates have %d rows for %d samples", opt.Covariates.Rows, ns)
		}
		for k := 0; k < opt.Covariates.Cols(); k++ {
			xb = append(xb, opt.Covariates.Column(k))
		}
	}
	if opt.Batch == nil && opt.Batch2 == nil && opt.Covariates == nil {
		return out, nil
	}
	var dcols [][]float64
	if opt.Design == nil {
		one := make([]float64, ns)
		for j := range one {
			one[j] = 1
		}
		dcols = [][]float64{one}
	} else {
		if opt.Design.Rows != ns {
			return nil, fmt.Errorf("norm: RemoveBatchEffect: design has %d rows for %d samples", opt.Design.Rows, ns)
		}
		for k := 0; k < opt.Design.Cols(); k++ {
			dcols = append(dcols, opt.Design.Column(k))
		}
	}
	all := append(append([][]float64{}, dcols...), xb...)
	p := len(all)
	pd := len(dcols)
	for _, c := range all {
		for _, v := range c {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, errors.New("norm: RemoveBatchEffect: NAs not allowed in design or covariates")
			}
		}
	}
	X := make([]float64, ns*p)
	for k, c := range all {
		for j, v := range c {
			X[j*p+k] = v
		}
	}
	full := design.NewQR(X, ns, p, design.Tol)
	forSamples(m.Rows(), opt.Workers, func(g int) {
		rbeGene(m.Row(g), out.Data[g*ns:(g+1)*ns], X, ns, p, pd, full)
	})
	return out, nil
}

// rbeGene fits one gene (lmFit's per-gene path when values are missing) and writes
// y - Xb beta_batch into dst.
func rbeGene(row, dst, X []float64, ns, p, pd int, full *design.QR) {
	beta := make([]float64, p)
	complete := true
	for _, v := range row {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			complete = false
			break
		}
	}
	if complete {
		y := append([]float64(nil), row...)
		b := make([]float64, full.Rank)
		full.QtY(y)
		full.SolveR(y, b)
		for k := 0; k < full.Rank; k++ {
			beta[full.Pivot[k]] = b[k]
		}
	} else {
		var obs []int
		for j, v := range row {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				obs = append(obs, j)
			}
		}
		if len(obs) > 0 {
			xs := make([]float64, len(obs)*p)
			ys := make([]float64, len(obs))
			for i, j := range obs {
				copy(xs[i*p:(i+1)*p], X[j*p:(j+1)*p])
				ys[i] = row[j]
			}
			q := design.NewQR(xs, len(obs), p, design.Tol)
			q.QtY(ys)
			bs := make([]float64, q.Rank)
			q.SolveR(ys, bs)
			for k := 0; k < q.Rank; k++ {
				beta[q.Pivot[k]] = bs[k]
			}
		}
	}
	for j := 0; j < ns; j++ {
		var e float64
		for k := pd; k < p; k++ {
			e += beta[k] * X[j*p+k]
		}
		dst[j] = row[j] - e
	}
}
