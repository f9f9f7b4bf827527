package limma

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/her2het/her2het/core/stats"
)

// TopRow is one row of a top table.
type TopRow struct {
	Gene    string
	Index   int // row of the gene in the fit
	LogFC   float64
	AveExpr float64
	T       float64
	PValue  float64
	AdjPVal float64
	B       float64
}

// TopTableOptions are the optional arguments of TopTable.
type TopTableOptions struct {
	// Number of rows; <= 0 means all genes (R's default is 10).
	Number int
	// SortBy: "B" (default), "P", "t", "logFC", "AveExpr" or "none".
	SortBy string
	// PValue keeps rows with adj.P.Val <= PValue (default 1: all).
	PValue float64
	// LFC keeps rows with |logFC| >= LFC.
	LFC float64
}

// TopTable ranks the genes for one coefficient of an EBayes fit, like
// limma's topTable(fit, coef, number, adjust.method = "BH", sort.by)
// (limma 3.54.1, R/toptable.R, .topTableT): adj.P.Val is BH over all genes
// (NaN p-values excluded from n) before any filtering; sorting is stable:
// B decreasing, P increasing, |t| or |logFC| decreasing, AveExpr decreasing;
// NaN keys sort last.
//
// Errors: a fit without EBayes statistics, coef out of range, an unknown
// SortBy.
func TopTable(f *Fit, coef int, opt *TopTableOptions) ([]TopRow, error) {
	o := TopTableOptions{}
	if opt != nil {
		o = *opt
	}
	if f.T == nil || f.PValue == nil || f.Lods == nil {
		return nil, errors.New("limma: need to run EBayes first")
	}
	p := f.NCoef()
	if coef < 0 || coef >= p {
		return nil, fmt.Errorf("limma: coefficient %d out of range (the fit has %d)", coef, p)
	}
	if o.SortBy == "" {
		o.SortBy = "B"
	}
	if o.PValue == 0 {
		o.PValue = 1
	}
	G := f.NGenes()
	pv := make([]float64, G)
	for g := range pv {
		pv[g] = f.PValue[g*p+coef]
	}
	adj := stats.PAdjust(pv, stats.BH)
	rows := make([]TopRow, 0, G)
	for g := 0; g < G; g++ {
		r := TopRow{Gene: f.Genes[g], Index: g, LogFC: f.Coefficients[g*p+coef], T: f.T[g*p+coef],
			PValue: pv[g], AdjPVal: adj[g], B: f.Lods[g*p+coef], AveExpr: math.NaN()}
		if f.Amean != nil {
			r.AveExpr = f.Amean[g]
		}
		if o.PValue < 1 || o.LFC > 0 {
			if !(r.AdjPVal <= o.PValue && math.Abs(r.LogFC) >= o.LFC) {
				continue
			}
		}
		rows = append(rows, r)
	}
	key := make([]float64, len(rows))
	dec := true
	for i, r := range rows {
		switch o.SortBy {
		case "B":
			key[i] = r.B
		case "P", "p":
			key[i], dec = r.PValue, false
		case "t", "T":
			key[i] = math.Abs(r.T)
		case "logFC", "M":
			key[i] = math.Abs(r.LogFC)
		case "AveExpr", "A", "Amean":
			key[i] = r.AveExpr
		case "none":
			key[i], dec = float64(i), false
		default:
			return nil, fmt.Errorf("limma: unknown sort.by %q", o.SortBy)
		}
	}
	ord := stats.Order(key, dec)
	n := len(rows)
	if o.Number > 0 && o.Number < n {
		n = o.Number
	}
	out := make([]TopRow, n)
	for i := 0; i < n; i++ {
		out[i] = rows[ord[i]]
	}
	return out, nil
}

// WriteTopTable writes rows as a tab-separated table with limma's column
// names "gene logFC AveExpr t P.Value adj.P.Val B", numbers with %.17g and
// NA for NaN.
func WriteTopTable(w io.Writer, rows []TopRow) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("gene\tlogFC\tAveExpr\tt\tP.Value\tadj.P.Val\tB\n")
	for _, r := range rows {
		bw.WriteString(r.Gene)
		for _, v := range []float64{r.LogFC, r.AveExpr, r.T, r.PValue, r.AdjPVal, r.B} {
			bw.WriteByte('\t')
			bw.WriteString(FormatFloat(v))
		}
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// FormatFloat formats v like R's format(v, digits = 17) for tables: %.17g,
// "NA" for NaN, "Inf"/"-Inf".
func FormatFloat(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NA"
	case math.IsInf(v, 1):
		return "Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	}
	return strconv.FormatFloat(v, 'g', 17, 64)
}
