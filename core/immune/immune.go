package immune

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/pool"
	"github.com/her2het/her2het/core/refdata"
)

// Scores is a signatures x samples table.
type Scores struct {
	Method     string
	Signatures []string
	Samples    []string
	Values     []float64 // row-major: Values[k*len(Samples)+s]
	NFound     []int     // markers found in the matrix, per signature (0 for derived rows)
	NMarkers   []int     // markers in the signature, per signature
	Missing    [][]string
}

// At returns the score of signature k in sample s.
func (r *Scores) At(k, s int) float64 { return r.Values[k*len(r.Samples)+s] }

// Options configure the methods.
type Options struct {
	// Universe, if not empty, restricts the genes ESTIMATE ranks (e.g. the
	// estimate package's common genes). Ignored by the mean-based methods.
	Universe []string
	// Workers splits ESTIMATE's samples over goroutines (<= 1: one); the
	// numbers are identical whatever the number of workers.
	Workers int
	// Pool runs ESTIMATE's per-sample scores as core/pool tasks (kernel
	// immune.estimate); nil means pool.Local(max(1, Workers)). The numbers do
	// not depend on it.
	Pool pool.Pool
}

// Methods lists the names accepted by Estimate.
var Methods = []string{"mcpcounter", "estimate", "danaher"}

// Estimate runs the named method ("mcpcounter", "estimate" or "danaher").
func Estimate(e *dataset.Matrix, method string, opt Options) (*Scores, error) {
	switch method {
	case "mcpcounter":
		return MCPCounter(e)
	case "estimate":
		return ESTIMATE(e, opt)
	case "danaher":
		return Danaher(e)
	}
	return nil, fmt.Errorf("immune: unknown method %q (want %s)", method, strings.Join(Methods, ", "))
}

func check(e *dataset.Matrix) error {
	if e == nil {
		return errors.New("immune: nil matrix")
	}
	if err := e.Validate(); err != nil {
		return err
	}
	if e.Cols() == 0 || e.Rows() == 0 {
		return errors.New("immune: the expression matrix is empty")
	}
	return nil
}

// signatureRows finds each marker's row (first match; a row is used once per
// set) and lists the published symbols not found.
func signatureRows(e *dataset.Matrix, coll string) ([]refdata.GeneSet, [][]int, [][]string, error) {
	sets, err := refdata.GeneSets(coll)
	if err != nil {
		return nil, nil, nil, err
	}
	mt := refdata.NewMatcher(e.Genes, nil)
	rows := make([][]int, len(sets))
	miss := make([][]string, len(sets))
	for i, s := range sets {
		seen := map[int]bool{}
		for j, sym := range s.Symbols {
			r := mt.Row(sym, s.Entrez[j])
			switch {
			case r < 0:
				miss[i] = append(miss[i], sym)
			case !seen[r]:
				seen[r] = true
				rows[i] = append(rows[i], r)
			}
		}
	}
	return sets, rows, miss, nil
}

// meanScores is MCPcounter's appendSignatures: per sample, the mean of the
// markers' values with NaN dropped; NaN if none.
func meanScores(e *dataset.Matrix, method, coll string, label func(string) string) (*Scores, error) {
	if err := check(e); err != nil {
		return nil, err
	}
	sets, rows, miss, err := signatureRows(e, coll)
	if err != nil {
		return nil, err
	}
	ns := e.Cols()
	res := &Scores{Method: method, Samples: append([]string(nil), e.Samples...), Values: make([]float64, len(sets)*ns)}
	found := 0
	for k, s := range sets {
		res.Signatures = append(res.Signatures, label(s.Name))
		res.NFound = append(res.NFound, len(rows[k]))
		res.NMarkers = append(res.NMarkers, len(s.Symbols))
		res.Missing = append(res.Missing, miss[k])
		found += len(rows[k])
		for j := 0; j < ns; j++ {
			sum, n := 0.0, 0
			var comp float64 // Neumaier compensation, for R's long-double sum
			for _, r := range rows[k] {
				v := e.At(r, j)
				if math.IsNaN(v) {
					continue
				}
				t := sum + v
				if math.Abs(sum) >= math.Abs(v) {
					comp += (sum - t) + v
				} else {
					comp += (v - t) + sum
				}
				sum = t
				n++
			}
			val := math.NaN()
			if n > 0 {
				val = (sum + comp) / float64(n)
			}
			res.Values[k*ns+j] = val
		}
	}
	if found == 0 {
		return nil, fmt.Errorf("immune: %s: none of the marker genes was found among the %d genes of the matrix", method, e.Rows())
	}
	return res, nil
}

// MCPCounter returns the 10 MCP-counter population scores (see the package
// documentation). Population names are MCP-counter's ("T cells", "CD8 T cells",
// "Cytotoxic lymphocytes", "B lineage", "NK cells", "Monocytic lineage",
// "Myeloid dendritic cells", "Neutrophils", "Endothelial cells", "Fibroblasts").
// Unlike MCPcounter.estimate, a population with no marker found is kept, with NaN.
func MCPCounter(e *dataset.Matrix) (*Scores, error) {
	return meanScores(e, "mcpcounter", "mcpcounter", func(n string) string {
		return mcpNames[n]
	})
}

var mcpNames = map[string]string{
	"MCPCOUNTER_T_CELLS": "T cells", "MCPCOUNTER_CD8_T_CELLS": "CD8 T cells",
	"MCPCOUNTER_CYTOTOXIC_LYMPHOCYTES": "Cytotoxic lymphocytes", "MCPCOUNTER_B_LINEAGE": "B lineage",
	"MCPCOUNTER_NK_CELLS": "NK cells", "MCPCOUNTER_MONOCYTIC_LINEAGE": "Monocytic lineage",
	"MCPCOUNTER_MYELOID_DENDRITIC_CELLS": "Myeloid dendritic cells", "MCPCOUNTER_NEUTROPHILS": "Neutrophils",
	"MCPCOUNTER_ENDOTHELIAL_CELLS": "Endothelial cells", "MCPCOUNTER_FIBROBLASTS": "Fibroblasts",
}

// Danaher returns the 14 Danaher 2017 cell-type scores: the per-sample mean of
// the markers' log2 expression (names without the DANAHER2017_ prefix, e.g.
// "CD45", "T_CELLS", "EXHAUSTED_CD8").
func Danaher(e *dataset.Matrix) (*Scores, error) {
	return meanScores(e, "danaher", "danaher", func(n string) string {
		return strings.TrimPrefix(n, "DANAHER2017_")
	})
}
