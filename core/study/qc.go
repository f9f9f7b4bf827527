package study

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/plotdata"
	"github.com/her2het/her2het/core/stats"
)

// PCA is a principal component analysis of samples.
type PCA struct {
	Scores    [][]float64 // [component][sample]
	Explained []float64   // fraction of the total variance per component
}

// SamplePCA computes the first k principal components of the samples of m over the
// genes rows (each gene centred, not scaled; R's prcomp(t(m[rows, ]))). It uses the
// eigendecomposition of the samples x samples cross-product matrix, so its cost is
// O(genes x samples^2). The sign of each component is fixed so that its score of
// largest magnitude is positive (prcomp's sign is arbitrary). Genes containing NaN are
// left out. It returns an error with fewer than 3 samples or 2 genes.
func SamplePCA(m *dataset.Matrix, rows []int, k int) (*PCA, error) {
	n := m.Cols()
	var use [][]float64
	for _, g := range rows {
		x := m.Row(g)
		mu := stats.Mean(x)
		if math.IsNaN(mu) {
			continue
		}
		c := make([]float64, n)
		for j := range x {
			c[j] = x[j] - mu
		}
		use = append(use, c)
	}
	if n < 3 || len(use) < 2 {
		return nil, fmt.Errorf("PCA needs at least 3 samples and 2 genes (have %d and %d)", n, len(use))
	}
	// The cross-product over genes, per pair of samples in gene order (stats.Gram
	// on the samples' centred profiles: contiguous rows, the same sums).
	prof := make([][]float64, n)
	for j := range prof {
		prof[j] = make([]float64, len(use))
		for g, c := range use {
			prof[j][g] = c[j]
		}
	}
	gram := stats.Gram(prof)
	vals, vecs, err := stats.SymEigen(gram, n) // ascending
	if err != nil {
		return nil, fmt.Errorf("PCA: eigendecomposition failed: %v", err)
	}
	var total float64
	for _, v := range vals {
		if v > 0 {
			total += v
		}
	}
	if k > n-1 {
		k = n - 1
	}
	p := &PCA{}
	for c := 0; c < k; c++ {
		col := n - 1 - c
		lam := math.Max(vals[col], 0)
		s := make([]float64, n)
		best := 0
		for j := 0; j < n; j++ {
			s[j] = vecs[j*n+col] * math.Sqrt(lam)
			if math.Abs(s[j]) > math.Abs(s[best]) {
				best = j
			}
		}
		if s[best] < 0 {
			for j := range s {
				s[j] = -s[j]
			}
		}
		p.Scores = append(p.Scores, s)
		p.Explained = append(p.Explained, lam/total)
	}
	return p, nil
}

// Outliers returns, for each sample, whether any of its scores lies outside
// mean +/- nsd standard deviations of its component (the study's rule: 7 of 292
// samples excluded with nsd = 5).
func (p *PCA) Outliers(nsd float64) []bool {
	if len(p.Scores) == 0 {
		return nil
	}
	out := make([]bool, len(p.Scores[0]))
	for _, s := range p.Scores {
		mu, sd := stats.Mean(s), stats.SD(s)
		for j, x := range s {
			if math.Abs(x-mu) > nsd*sd {
				out[j] = true
			}
		}
	}
	return out
}

func (r *runner) qc() *Section {
	const id, title = "qc", "Sample QC"
	if r.logE == nil {
		return skipped(id, title, "no expression matrix was added")
	}
	sec := &Section{ID: id, Title: title}
	n := len(r.c.Samples)
	var lib, det []float64
	if r.counts != nil {
		lib = make([]float64, n)
		det = make([]float64, n)
		counts := r.counts.reader()
		for g := 0; g < r.counts.Rows(); g++ {
			row := counts(g)
			for j, v := range row {
				lib[j] += v
				if v > 0 {
					det[j]++
				}
			}
		}
	}
	rows := topVariable(r.logE, r.p.PCAGenes)
	pca, err := SamplePCA(r.logE, rows, max(r.p.PCAComponents, 2))
	var outl []bool
	if err != nil {
		sec.Notes = append(sec.Notes, "PCA not computed: "+err.Error())
	} else {
		sc := *pca
		sc.Scores = sc.Scores[:min(r.p.PCAComponents, len(sc.Scores))]
		outl = sc.Outliers(r.p.OutlierSD)
	}
	group, tpt := r.sampleLabels()
	// QC table.
	tab := plotdata.Table{ID: "qc-samples", Title: "Sample QC",
		Columns: []string{"sample", "patient", "timepoint", "group", "library_size", "detected_genes", "PC1", "PC2", "outlier"}}
	var excluded []string
	for j, s := range r.c.Samples {
		row := []string{s, r.c.Patient[j], tpt[j], group[j]}
		if lib != nil {
			row = append(row, fmtNum(lib[j]), fmtNum(det[j]))
		} else {
			row = append(row, "NA", "NA")
		}
		if pca != nil {
			row = append(row, fmtNum(pca.Scores[0][j]), fmtNum(pca.Scores[1][j]))
		} else {
			row = append(row, "NA", "NA")
		}
		o := outl != nil && outl[j]
		row = append(row, fmt.Sprint(o))
		if o {
			excluded = append(excluded, s)
		}
		tab.Rows = append(tab.Rows, row)
	}
	sec.Tables = append(sec.Tables, tab)
	if lib != nil {
		f := r.figure("qc-library", "Library size and detected genes", plotdata.KindScatter,
			"normalisation", "raw counts")
		f.XLabel, f.YLabel = "library size (reads)", "detected genes (count > 0)"
		sp := &plotdata.Scatter{Groups: levelsOf(tpt)}
		for j, s := range r.c.Samples {
			sp.Points = append(sp.Points, plotdata.Point{X: plotdata.Float(lib[j]), Y: plotdata.Float(det[j]),
				Label: s, Sample: s, Patient: r.c.Patient[j], Group: tpt[j]})
		}
		f.Scatter = sp
		sec.Figures = append(sec.Figures, f)
	}
	if pca != nil {
		for _, colour := range []struct {
			by  string
			lab []string
		}{{"group", group}, {"timepoint", tpt}} {
			f := r.figure("qc-pca-"+colour.by, "PCA coloured by "+colour.by, plotdata.KindScatter,
				"genes", fmt.Sprintf("%d most variable", len(rows)), "outlier rule", fmt.Sprintf("mean ± %s SD on PC1..PC%d", fmtNum(r.p.OutlierSD), r.p.PCAComponents))
			f.XLabel = fmt.Sprintf("PC1 (%.1f%%)", 100*pca.Explained[0])
			f.YLabel = fmt.Sprintf("PC2 (%.1f%%)", 100*pca.Explained[1])
			sp := &plotdata.Scatter{Groups: levelsOf(colour.lab)}
			for j, s := range r.c.Samples {
				sp.Points = append(sp.Points, plotdata.Point{X: plotdata.Float(pca.Scores[0][j]), Y: plotdata.Float(pca.Scores[1][j]),
					Label: s, Sample: s, Patient: r.c.Patient[j], Group: colour.lab[j], Emph: outl != nil && outl[j]})
			}
			f.Scatter = sp
			sec.Figures = append(sec.Figures, f)
		}
	}
	// Correlation heatmap over the PCA genes, samples ordered by timepoint, group, name.
	if len(rows) >= 2 && n <= 2000 {
		sub := make([][]float64, n)
		for j := range sub {
			sub[j] = make([]float64, len(rows))
			for k, g := range rows {
				sub[j][k] = r.logE.At(g, j)
			}
		}
		// stats.CorMatrix: Cor of every pair up to rounding (< 1e-13), in one pass per pair.
		cm := stats.CorMatrix(sub)
		vals := make([]plotdata.Float, n*n)
		for i, c := range cm {
			vals[i] = plotdata.Float(c)
		}
		order := make([]int, n)
		for j := range order {
			order[j] = j
		}
		sort.SliceStable(order, func(a, b int) bool {
			x, y := order[a], order[b]
			if tpt[x] != tpt[y] {
				return tpt[x] > tpt[y] // "pre" before "post"
			}
			if group[x] != group[y] {
				return group[x] < group[y]
			}
			return r.c.Samples[x] < r.c.Samples[y]
		})
		f := r.figure("qc-correlation", "Sample correlation (Pearson)", plotdata.KindHeatmap,
			"genes", fmt.Sprintf("%d most variable", len(rows)))
		f.Heatmap = &plotdata.Heatmap{Rows: r.c.Samples, Cols: r.c.Samples, Values: vals, RowOrder: order, ColOrder: order,
			ColTracks: []plotdata.Track{{Name: "group", Values: group}, {Name: "timepoint", Values: tpt}}, Patients: r.c.Patient}
		sec.Figures = append(sec.Figures, f)
	}
	// Marker genes against IHC scores when the sheet has them (per sample).
	if ihc := r.sampleIHC(); ihc != nil {
		for _, g := range []string{"ERBB2", "ESR1", "PGR"} {
			gi, ok := r.geneIdx[g]
			if !ok {
				continue
			}
			levels := levelsOf(ihc)
			var groups []plotdata.BoxGroup
			var vals [][]float64
			for _, l := range levels {
				var v []float64
				var ss, ps []string
				for j := range r.c.Samples {
					if ihc[j] == l {
						v = append(v, r.logE.At(gi, j))
						ss = append(ss, r.c.Samples[j])
						ps = append(ps, r.c.Patient[j])
					}
				}
				vals = append(vals, v)
				groups = append(groups, plotdata.NewBoxGroup(l, v, ss, ps))
			}
			f := r.figure("qc-ihc-"+strings.ToLower(g), g+" mRNA by HER2 IHC score", plotdata.KindBox, "level", "per sample")
			f.XLabel, f.YLabel = "HER2 IHC", g+" (log2 CPM)"
			f.Box = &plotdata.Box{Groups: groups}
			sec.Figures = append(sec.Figures, f)
			_ = vals
		}
	}
	sec.Summary = fmt.Sprintf("%d samples of %d patients; PCA on the %d most variable genes; %d outlier(s) by the mean ± %s SD rule",
		n, len(r.c.Patients), len(rows), len(excluded), fmtNum(r.p.OutlierSD))
	if len(excluded) > 0 {
		sec.Summary += " (" + strings.Join(excluded, ", ") + ")"
		if r.p.ExcludeOutliers {
			sec.Summary += ", excluded from every later analysis"
			keep := make([]int, 0, n)
			for j := range r.c.Samples {
				if !outl[j] {
					keep = append(keep, j)
				}
			}
			if err := r.subset(keep); err != nil {
				sec.Notes = append(sec.Notes, "renormalisation after excluding outliers failed: "+err.Error())
			}
		} else {
			sec.Summary += ", kept (excludeOutliers is off)"
		}
	}
	sec.Summary += "."
	sec.Notes = append(sec.Notes, r.c.Notes...)
	return sec
}

func (r *runner) sampleIHC() []string {
	sh := r.in.sheet
	if sh == nil || sh.Column(dataset.RoleIHC) == nil {
		return nil
	}
	out := make([]string, len(r.c.Samples))
	any := false
	for j, s := range r.c.Samples {
		if i := sh.Index(s); i >= 0 {
			out[j] = sh.Value(dataset.RoleIHC, i)
		}
		if out[j] == "" {
			out[j] = "NA"
		} else {
			any = true
		}
	}
	if !any {
		return nil
	}
	return out
}

// levelsOf returns the distinct values of x sorted, "NA" last.
func levelsOf(x []string) []string {
	seen := map[string]bool{}
	for _, v := range x {
		seen[v] = true
	}
	na := seen["NA"]
	delete(seen, "NA")
	l := sortedKeys(seen)
	if na {
		l = append(l, "NA")
	}
	return l
}
