package pam50

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/fmath"
	"github.com/her2het/her2het/core/refdata"
)

// Method names accepted in Options.Method.
const (
	Robust = "pam50.robust" // genefu pam50.robust: robust rescaling (default)
	None   = "pam50"        // genefu pam50: no standardisation
	Scale  = "pam50.scale"  // genefu pam50.scale: centre and scale
	UNC    = "unc"          // UNC/hoadley-lab: median-centred genes
)

// DefaultMinGenes is the default Options.MinGenes.
const DefaultMinGenes = 40

// Options configure Predict.
type Options struct {
	// Method is Robust (""), None, Scale or UNC.
	Method string
	// MinGenes is the fewest of the 50 genes that must be mapped; 0 means
	// DefaultMinGenes. genefu itself has no such limit (it needs one gene).
	MinGenes int
	// Entrez, if not nil, gives the Entrez ID of each matrix row (genefu's annot;
	// "", "NA" for none). Otherwise row identifiers are resolved with core/genemap.
	Entrez []string
}

// Gene is one centroid gene and the matrix row used for it.
type Gene struct {
	Probe  string // centroid probe (published symbol)
	Symbol string // published symbol
	Entrez string
	Row    int    // matrix row, -1 if missing
	ID     string // the matrix identifier of Row
}

// Result is the PAM50 assignment of every sample.
type Result struct {
	Method   string
	Subtypes []string // Basal, Her2, LumA, LumB, Normal
	Samples  []string
	Calls    []string    // subtype per sample; "" when no correlation could be computed
	Cor      [][]float64 // [sample][subtype] Spearman correlations
	Proba    [][]float64 // [sample][subtype] genefu probabilities
	Genes    []Gene      // the 50 centroid genes, in centroid order
	Missing  []string    // probes of the centroid genes not found
	NUsed    int         // genes used
}

// Predict assigns PAM50 subtypes to the samples of e (genes x samples, log
// scale). See the package documentation for the algorithm.
func Predict(e *dataset.Matrix, opt Options) (*Result, error) {
	if e == nil {
		return nil, errors.New("pam50: nil matrix")
	}
	if err := e.Validate(); err != nil {
		return nil, err
	}
	if e.Cols() == 0 {
		return nil, errors.New("pam50: the expression matrix has no samples")
	}
	method := opt.Method
	if method == "" {
		method = Robust
	}
	modelName := method
	if method == UNC {
		modelName = None
	}
	model, err := refdata.PAM50(modelName)
	if err != nil {
		return nil, fmt.Errorf("pam50: unknown method %q (want %s, %s, %s or %s)", method, Robust, None, Scale, UNC)
	}
	std := model.Std
	if method == UNC {
		std = "median"
	}
	if opt.Entrez != nil && len(opt.Entrez) != e.Rows() {
		return nil, fmt.Errorf("pam50: %d Entrez IDs for %d genes", len(opt.Entrez), e.Rows())
	}
	minGenes := opt.MinGenes
	if minGenes <= 0 {
		minGenes = DefaultMinGenes
	}
	ns := e.Cols()
	rowEntrez := opt.Entrez
	if rowEntrez == nil {
		mt := refdata.NewMatcher(e.Genes, nil)
		rowEntrez = make([]string, e.Rows())
		for _, eid := range model.Entrez {
			for _, r := range mt.EntrezRows(eid) {
				rowEntrez[r] = eid
			}
		}
	}
	// Candidate rows per Entrez ID, in matrix order, skipping all-missing rows.
	cand := map[string][]int{}
	for r := 0; r < e.Rows(); r++ {
		id := strings.TrimSpace(rowEntrez[r])
		if id == "" || id == "NA" {
			continue
		}
		allNA := true
		for _, v := range e.Row(r) {
			if !math.IsNaN(v) {
				allNA = false
				break
			}
		}
		if !allNA {
			cand[id] = append(cand[id], r)
		}
	}
	res := &Result{Method: method, Subtypes: model.Subtypes, Samples: append([]string(nil), e.Samples...)}
	seen := map[string]bool{}
	var data [][]float64 // [gene][sample], used genes only
	var cents [][]float64
	for g := range model.Probes {
		gene := Gene{Probe: model.Probes[g], Symbol: model.Symbols[g], Entrez: model.Entrez[g], Row: -1}
		if seen[gene.Entrez] { // genefu drops duplicated centroid Entrez IDs
			continue
		}
		seen[gene.Entrez] = true
		if rows := cand[gene.Entrez]; len(rows) > 0 {
			gene.Row = mostVariable(e, rows)
			gene.ID = e.Genes[gene.Row]
			x := append([]float64(nil), e.Row(gene.Row)...)
			data = append(data, x)
			cents = append(cents, model.Centroids[g])
		} else {
			res.Missing = append(res.Missing, gene.Probe)
		}
		res.Genes = append(res.Genes, gene)
	}
	res.NUsed = len(data)
	if res.NUsed < minGenes {
		return nil, fmt.Errorf("pam50: only %d of the %d PAM50 genes were found in the matrix (missing: %s); at least %d are needed",
			res.NUsed, len(model.Probes), strings.Join(res.Missing, ", "), minGenes)
	}
	for _, x := range data {
		standardise(x, std, model.RescaleQ)
	}
	nk := len(model.Subtypes)
	minComplete := 4 // genefu: sum(complete.cases(x, y)) > 3
	if method == UNC {
		minComplete = 2
	}
	x := make([]float64, 0, len(data))
	y := make([][]float64, nk)
	for s := 0; s < ns; s++ {
		x = x[:0]
		for k := range y {
			y[k] = y[k][:0]
		}
		for g := range data {
			v := data[g][s]
			if math.IsNaN(v) {
				continue
			}
			x = append(x, v)
			for k := 0; k < nk; k++ {
				y[k] = append(y[k], cents[g][k])
			}
		}
		cor := make([]float64, nk)
		for k := range cor {
			cor[k] = math.NaN()
			if len(x) >= minComplete {
				cor[k] = Spearman(x, y[k])
			}
		}
		res.Cor = append(res.Cor, cor)
		res.Proba = append(res.Proba, proba(cor))
		call := ""
		best := math.Inf(-1)
		for k, c := range cor {
			if !math.IsNaN(c) && (call == "" || c > best) {
				best, call = c, model.Subtypes[k]
			}
		}
		res.Calls = append(res.Calls, call)
	}
	return res, nil
}

// mostVariable implements geneid.map's choice among rows of one gene: the
// largest sd(x, na.rm=TRUE) * (log((n+1)/(nNA+1)) + 1), sd taken through R's
// 15-significant-digit character conversion; NaN sd last; first row on ties.
func mostVariable(e *dataset.Matrix, rows []int) int {
	if len(rows) == 1 {
		return rows[0]
	}
	n := e.Cols()
	best, bestV := -1, math.NaN()
	for _, r := range rows {
		row := e.Row(r)
		nNA := 0
		for _, v := range row {
			if math.IsNaN(v) {
				nNA++
			}
		}
		pena := fmath.Log(float64(n+1)/float64(nNA+1)) + 1
		v := sdNA(row) * pena
		v, _ = strconv.ParseFloat(strconv.FormatFloat(v, 'g', 15, 64), 64)
		switch {
		case best < 0:
			best, bestV = r, v
		case math.IsNaN(bestV) && !math.IsNaN(v):
			best, bestV = r, v
		case !math.IsNaN(v) && v > bestV:
			best, bestV = r, v
		}
	}
	return best
}

// sdNA is R's sd(x, na.rm=TRUE): two-pass, denominator n-1; NaN if n < 2.
func sdNA(x []float64) float64 {
	var s float64
	n := 0
	for _, v := range x {
		if !math.IsNaN(v) {
			s += v
			n++
		}
	}
	if n < 2 {
		return math.NaN()
	}
	m := meanNA(x)
	var ss float64
	for _, v := range x {
		if !math.IsNaN(v) {
			d := v - m
			ss += d * d
		}
	}
	return math.Sqrt(ss / float64(n-1))
}

// meanNA is R's mean(x, na.rm=TRUE) with its second refinement pass.
func meanNA(x []float64) float64 {
	var s float64
	n := 0
	for _, v := range x {
		if !math.IsNaN(v) {
			s += v
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	m := s / float64(n)
	var t float64
	for _, v := range x {
		if !math.IsNaN(v) {
			t += v - m
		}
	}
	return m + t/float64(n)
}

// standardise transforms one gene's values across samples in place.
func standardise(x []float64, std string, q float64) {
	switch std {
	case "robust":
		// genefu rescale(x, q=q, na.rm=TRUE): quantiles q/2 and 1-q/2.
		ma := quantile7(x, 1-(q/2))
		mi := quantile7(x, q/2)
		for i, v := range x {
			xx := (v - mi) / (ma - mi)
			x[i] = (xx - 0.5) * 2
		}
	case "scale":
		// R scale(): centre by colMeans(na.rm), divide by sqrt(sum(v^2)/(n-1)).
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
	case "median":
		m := quantile7(x, 0.5)
		for i := range x {
			x[i] -= m
		}
	}
}

// quantile7 is R's quantile(x, p, type=7, na.rm=TRUE) for one p: with
// index = 1 + (n-1)p, lo = floor(index), hi = ceil(index), the result is
// (1-h)*x[lo] + h*x[hi], h = index - lo, unless h = 0 or x[hi] == x[lo].
// NaN for no values.
func quantile7(x []float64, p float64) float64 {
	v := make([]float64, 0, len(x))
	for _, a := range x {
		if !math.IsNaN(a) {
			v = append(v, a)
		}
	}
	n := len(v)
	if n == 0 {
		return math.NaN()
	}
	sort.Float64s(v)
	index := 1 + float64(n-1)*p
	lo := math.Floor(index)
	hi := math.Ceil(index)
	qs := v[int(lo)-1]
	xh := v[int(hi)-1]
	if index > lo && xh != qs {
		h := index - lo
		qs = (1-h)*qs + h*xh
	}
	return qs
}

// Spearman is R's cor(x, y, method="spearman") for complete vectors: Pearson
// correlation of the average ranks. NaN if n < 2 or either rank vector is
// constant.
func Spearman(x, y []float64) float64 {
	return pearson(rankAvg(x), rankAvg(y))
}

func rankAvg(x []float64) []float64 {
	n := len(x)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return x[idx[a]] < x[idx[b]] })
	r := make([]float64, n)
	for i := 0; i < n; {
		j := i
		for j+1 < n && x[idx[j+1]] == x[idx[i]] {
			j++
		}
		avg := float64(i+j+2) / 2
		for k := i; k <= j; k++ {
			r[idx[k]] = avg
		}
		i = j + 1
	}
	return r
}

// pearson follows R's C cov/cor for complete data: two-pass means, sums of
// cross-products of deviations, clamped to [-1, 1].
func pearson(x, y []float64) float64 {
	n := len(x)
	if n < 2 {
		return math.NaN()
	}
	mx, my := meanNA(x), meanNA(y)
	var sxy, sxx, syy float64
	for i := range x {
		dx, dy := x[i]-mx, y[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if sxx == 0 || syy == 0 {
		return math.NaN()
	}
	r := sxy / (math.Sqrt(sxx) * math.Sqrt(syy))
	return math.Max(-1, math.Min(1, r))
}

// proba is genefu's subtype.proba: negative correlations set to 0, divided by
// the sum of the non-missing ones; all NaN if every correlation is NaN.
func proba(cor []float64) []float64 {
	out := make([]float64, len(cor))
	var s float64
	have := false
	for k, c := range cor {
		out[k] = c
		if !math.IsNaN(c) {
			have = true
			if c < 0 {
				out[k] = 0
			}
			s += out[k]
		}
	}
	for k := range out {
		if !have {
			out[k] = math.NaN()
		} else {
			out[k] /= s
		}
	}
	return out
}
