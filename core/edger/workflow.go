package edger

import (
	"errors"
	"fmt"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/design"
	"github.com/her2het/her2het/core/fmath"
	"github.com/her2het/her2het/core/norm"
)

// Options are the choices of QLWorkflow.
type Options struct {
	// Contrast, when set, tests this contrast vector (glmQLFTest(contrast=));
	// otherwise Coef (0-based; negative = the last column, edgeR's default).
	Contrast []float64
	Coef     int
	// Robust is glmQLFit(robust = TRUE).
	Robust bool
	// Workers runs gene-wise work on that many goroutines (<= 1: serially;
	// results are bitwise the same for any value).
	Workers int
}

// Result is the value of QLWorkflow.
type Result struct {
	// Kept are the row indices (in the input) of the genes kept by
	// filterByExpr, Genes their names; every per-gene slice below follows them.
	Kept        []int
	Genes       []string
	LibSize     []float64 // column sums of the kept genes
	NormFactors []float64 // TMM
	Disp        *Dispersions
	Fit         *QLFit
	Table       *QLResult
}

// QLWorkflow runs edgeR 3.40.2's default quasi-likelihood pipeline:
//
//	y <- DGEList(counts); keep <- filterByExpr(y, design)
//	y <- y[keep, , keep.lib.sizes = FALSE]; y <- calcNormFactors(y)
//	y <- estimateDisp(y, design); fit <- glmQLFit(y, design)
//	glmQLFTest(fit, coef = / contrast = ); topTags(n = Inf, sort.by = "none")
//
// counts is genes x samples; X's rows are the samples in the same order.
// Errors: invalid counts (negative, NaN), a design of the wrong size or not
// of full rank, no residual degrees of freedom, no gene kept.
func QLWorkflow(counts *dataset.Matrix, X *design.Matrix, opt *Options) (*Result, error) {
	if opt == nil {
		opt = &Options{Coef: -1}
	}
	n := counts.Cols()
	if X.Rows != n {
		return nil, fmt.Errorf("edger: design has %d rows for %d samples", X.Rows, n)
	}
	if err := X.CheckRank(); err != nil {
		return nil, err
	}
	p := X.Cols()
	if p >= n {
		return nil, errors.New("edger: no residual degrees of freedom (as many coefficients as samples)")
	}
	keep, err := norm.FilterByExpr(counts, norm.FilterOptions{Design: X})
	if err != nil {
		return nil, err
	}
	var kept []int
	for g, k := range keep {
		if k {
			kept = append(kept, g)
		}
	}
	if len(kept) == 0 {
		return nil, errors.New("edger: filterByExpr kept no gene")
	}
	m := counts.SubsetRows(kept)
	lib, err := norm.LibSizes(m)
	if err != nil {
		return nil, err
	}
	nf, err := norm.NormFactors(m, norm.NormOptions{Method: norm.TMM, LibSize: lib, Workers: opt.Workers})
	if err != nil {
		return nil, err
	}
	offset := make([]float64, n)
	for i := range offset {
		offset[i] = fmath.Log(lib[i] * nf[i])
	}
	ng := len(kept)
	disp, err := EstimateDisp(m.Data, ng, n, X.X, p, offset, opt.Workers)
	if err != nil {
		return nil, err
	}
	fit, err := GLMQLFit(m.Data, ng, n, X.X, p, offset, disp.Trended, disp.AveLogCPM, opt.Robust, opt.Workers)
	if err != nil {
		return nil, err
	}
	var tab *QLResult
	if opt.Contrast != nil {
		tab, err = fit.TestContrast(opt.Contrast)
	} else {
		k := opt.Coef
		if k < 0 {
			k = p - 1
		}
		tab, err = fit.TestCoef(k)
	}
	if err != nil {
		return nil, err
	}
	return &Result{Kept: kept, Genes: m.Genes, LibSize: lib, NormFactors: nf, Disp: disp, Fit: fit, Table: tab}, nil
}
