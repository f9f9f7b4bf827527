package progeny

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/refdata"
)

// Options configure Score. The zero value is not the R default: use Defaults().
type Options struct {
	Top   int  // genes per pathway (progeny's top); 1..refdata.MaxProgenyTop
	Scale bool // centre and scale each pathway across samples (progeny's scale)
}

// Defaults returns progeny's defaults: top=100, scale=TRUE.
func Defaults() Options { return Options{Top: 100, Scale: true} }

// Result holds the scores, samples x pathways.
type Result struct {
	Samples  []string
	Pathways []string  // Androgen, EGFR, Estrogen, Hypoxia, JAK-STAT, MAPK, NFkB, p53, PI3K, TGFb, TNFa, Trail, VEGF, WNT
	Scores   []float64 // row-major samples x pathways: Scores[s*len(Pathways)+k]
	Used     []int     // model genes found in the matrix, per pathway
	Model    []int     // model genes per pathway
	Scaled   bool      // false when Scale was asked but there was only one sample
}

// At returns the score of sample s for pathway k.
func (r *Result) At(s, k int) float64 { return r.Scores[s*len(r.Pathways)+k] }

// Score computes PROGENy scores of expression matrix e (genes x samples, log
// scale). NaN in e propagate to the affected sample's pathway scores (R's %*%
// does the same); with scaling, a pathway with any NaN becomes NaN for every
// sample, and a pathway that is constant across samples gives NaN (0/0), as
// R's scale() does. It is an error if no model gene is found in e or e has no
// samples.
func Score(e *dataset.Matrix, opt Options) (*Result, error) {
	if e == nil {
		return nil, errors.New("progeny: nil matrix")
	}
	if err := e.Validate(); err != nil {
		return nil, err
	}
	if e.Cols() == 0 {
		return nil, errors.New("progeny: the expression matrix has no samples")
	}
	model, err := refdata.Progeny(opt.Top)
	if err != nil {
		return nil, fmt.Errorf("progeny: %v", err)
	}
	mt := refdata.NewMatcher(e.Genes, nil)
	np, ns := len(model.Pathways), e.Cols()
	res := &Result{Samples: append([]string(nil), e.Samples...), Pathways: model.Pathways,
		Scores: make([]float64, ns*np), Used: make([]int, np), Model: make([]int, np)}
	// Rows in matrix order, as R's intersect(rownames(expr), rownames(model)).
	type hit struct{ row, gene int }
	var hits []hit
	seenRow := map[int]bool{}
	for g := range model.Genes {
		for k := 0; k < np; k++ {
			if model.Weights[g][k] != 0 {
				res.Model[k]++
			}
		}
		r := mt.Row(model.Genes[g], model.Entrez[g])
		if r < 0 || seenRow[r] {
			continue
		}
		seenRow[r] = true
		hits = append(hits, hit{r, g})
		for k := 0; k < np; k++ {
			if model.Weights[g][k] != 0 {
				res.Used[k]++
			}
		}
	}
	if len(hits) == 0 {
		return nil, fmt.Errorf("progeny: none of the %d PROGENy genes (top %d) was found among the %d genes of the matrix", len(model.Genes), opt.Top, e.Rows())
	}
	sort.Slice(hits, func(a, b int) bool { return hits[a].row < hits[b].row })
	for _, h := range hits {
		row := e.Row(h.row)
		w := model.Weights[h.gene]
		for s := 0; s < ns; s++ {
			x := row[s]
			out := res.Scores[s*np : (s+1)*np]
			for k, wk := range w {
				out[k] += float64(x * wk)
			}
		}
	}
	if opt.Scale && ns > 1 {
		res.Scaled = true
		col := make([]float64, ns)
		for k := 0; k < np; k++ {
			for s := 0; s < ns; s++ {
				col[s] = res.Scores[s*np+k]
			}
			scale(col)
			for s := 0; s < ns; s++ {
				res.Scores[s*np+k] = col[s]
			}
		}
	}
	return res, nil
}

// scale is R's scale(x) on one column: centre by the mean of the non-missing
// values (colMeans(x, na.rm=TRUE)), divide by sqrt(sum(v^2)/max(1, n-1)) over
// the n non-missing centred values v; missing values stay NaN.
func scale(x []float64) {
	var s float64
	n := 0
	for _, v := range x {
		if !math.IsNaN(v) {
			s += v
			n++
		}
	}
	m := s / float64(n)
	var ss float64
	for i, v := range x {
		x[i] = v - m
		if !math.IsNaN(v) {
			ss += x[i] * x[i]
		}
	}
	sd := math.Sqrt(ss / math.Max(1, float64(n-1)))
	for i := range x {
		x[i] /= sd
	}
}
