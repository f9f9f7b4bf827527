package demo

import (
	"math"

	"gonum.org/v1/gonum/mat"
	"runtime"
	"sort"
	"testing"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/immune"
	"github.com/her2het/her2het/core/norm"
	"github.com/her2het/her2het/core/pam50"
	"github.com/her2het/her2het/core/progeny"
	"github.com/her2het/her2het/core/stats"
)

// analysis holds the project's own analyses of the default cohort.
type analysis struct {
	c      *Cohort
	logcpm *dataset.Matrix // edgeR TMM log2 CPM, prior 2
	pre    []int           // pretreatment sample columns
	prog   *progeny.Result // on all samples
	mcp    *immune.Scores  // on all samples
	pam    *pam50.Result   // pam50.robust on the pretreatment samples
}

func analyse(t *testing.T) *analysis {
	t.Helper()
	if testing.Short() || runtime.GOARCH == "wasm" {
		t.Skip("runs the analyses on the whole cohort")
	}
	c := cohort(t)
	m := c.Counts()
	nf, err := norm.NormFactors(m, norm.NormOptions{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	lib, err := norm.LibSizes(m)
	if err != nil {
		t.Fatal(err)
	}
	lc, err := norm.LogCPM(m, norm.EffectiveLibSizes(lib, nf), 2)
	if err != nil {
		t.Fatal(err)
	}
	a := &analysis{c: c, logcpm: lc}
	for i, s := range c.Samples {
		if !s.Post {
			a.pre = append(a.pre, i)
		}
	}
	if a.prog, err = progeny.Score(lc, progeny.Defaults()); err != nil {
		t.Fatal(err)
	}
	if a.mcp, err = immune.MCPCounter(lc); err != nil {
		t.Fatal(err)
	}
	if a.pam, err = pam50.Predict(lc.SubsetCols(a.pre), pam50.Options{}); err != nil {
		t.Fatal(err)
	}
	return a
}

// gene returns the logCPM of a gene per sample.
func (a *analysis) gene(t *testing.T, sym string) []float64 {
	for g, s := range a.logcpm.Genes {
		if s == sym {
			return append([]float64(nil), a.logcpm.Row(g)...)
		}
	}
	t.Fatalf("no gene %s", sym)
	return nil
}

// setMean returns the mean logCPM of the genes of syms per sample.
func (a *analysis) setMean(t *testing.T, syms []string) []float64 {
	out := make([]float64, a.logcpm.Cols())
	for _, s := range syms {
		for i, v := range a.gene(t, s) {
			out[i] += v / float64(len(syms))
		}
	}
	return out
}

func (a *analysis) pathway(t *testing.T, name string) []float64 {
	for k, p := range a.prog.Pathways {
		if p == name {
			out := make([]float64, len(a.prog.Samples))
			for s := range out {
				out[s] = a.prog.At(s, k)
			}
			return out
		}
	}
	t.Fatalf("no PROGENy pathway %s", name)
	return nil
}

func (a *analysis) population(t *testing.T, name string) []float64 {
	for k, p := range a.mcp.Signatures {
		if p == name {
			out := make([]float64, len(a.mcp.Samples))
			for s := range out {
				out[s] = a.mcp.At(k, s)
			}
			return out
		}
	}
	t.Fatalf("no MCP-counter population %s", name)
	return nil
}

// patientLevel returns, per patient, the mean of v over the patient's
// pretreatment samples (post false) or the residual sample (post true; NaN if none).
func (a *analysis) patientLevel(v []float64, post bool) []float64 {
	sum := make([]float64, len(a.c.Patients))
	n := make([]float64, len(a.c.Patients))
	for i, s := range a.c.Samples {
		if s.Post == post {
			sum[s.Patient] += v[i]
			n[s.Patient]++
		}
	}
	for p := range sum {
		sum[p] /= n[p] // 0/0 = NaN without a sample
	}
	return sum
}

// split returns the values of the patients of each group (NaN dropped).
func (a *analysis) split(v []float64, in func(p *Patient) bool) []float64 {
	var out []float64
	for i := range a.c.Patients {
		if in(&a.c.Patients[i]) && !math.IsNaN(v[i]) {
			out = append(out, v[i])
		}
	}
	return out
}

var (
	isPCR    = func(p *Patient) bool { return p.Group == GroupPCR }
	isNoPCR  = func(p *Patient) bool { return p.Group == GroupNoPCR }
	isHET    = func(p *Patient) bool { return p.HET() }
	isNonHET = func(p *Patient) bool { return !p.HET() }
)

func wilcox(t *testing.T, x, y []float64, alt stats.Alternative) float64 {
	t.Helper()
	r, err := stats.WilcoxTest(x, y, stats.WilcoxOptions{Alternative: alt, Correct: true})
	if err != nil {
		t.Fatal(err)
	}
	return r.PValue
}

// TestPlantedEffects checks that the project's own analyses recover the six
// findings at patient level (mean of the pretreatment biopsies), with the
// direction planted and a p-value below the stated bound. The bounds leave
// room: the effects are moderate and noisy on purpose.
func TestPlantedEffects(t *testing.T) {
	a := analyse(t)
	pre := func(v []float64) []float64 { return a.patientLevel(v, false) }
	erbb2 := pre(a.gene(t, "ERBB2"))
	grb7 := pre(a.gene(t, "GRB7"))
	pi3k := pre(a.pathway(t, "PI3K"))
	egfr := pre(a.pathway(t, "EGFR"))
	tcell := pre(a.population(t, "T cells"))
	cyto := pre(a.population(t, "Cytotoxic lymphocytes"))
	for _, tc := range []struct {
		name string
		x, y []float64
		alt  stats.Alternative
		maxP float64
	}{
		{"1: ERBB2 mRNA pCR > no pCR", a.split(erbb2, isPCR), a.split(erbb2, isNoPCR), stats.Greater, 0.01},
		{"1: GRB7 mRNA pCR > no pCR", a.split(grb7, isPCR), a.split(grb7, isNoPCR), stats.Greater, 0.05},
		{"2: ERBB2 mRNA non-HET > HET", a.split(erbb2, isNonHET), a.split(erbb2, isHET), stats.Greater, 1e-4},
		{"2: ERBB2 mRNA no pCR > HET", a.split(erbb2, isNoPCR), a.split(erbb2, isHET), stats.Greater, 0.05},
		{"2: PROGENy PI3K HET > non-HET", a.split(pi3k, isHET), a.split(pi3k, isNonHET), stats.Greater, 0.01},
		{"2: PROGENy EGFR HET > non-HET", a.split(egfr, isHET), a.split(egfr, isNonHET), stats.Greater, 0.05},
		{"5: MCP T cells pCR > no pCR", a.split(tcell, isPCR), a.split(tcell, isNoPCR), stats.Greater, 0.01},
		{"5: MCP cytotoxic pCR > no pCR", a.split(cyto, isPCR), a.split(cyto, isNoPCR), stats.Greater, 0.01},
		{"5: MCP T cells HET < non-HET", a.split(tcell, isHET), a.split(tcell, isNonHET), stats.Less, 0.05},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := wilcox(t, tc.x, tc.y, tc.alt)
			t.Logf("medians %.3f vs %.3f, n %d vs %d, one-sided p = %.3g", stats.Median(tc.x), stats.Median(tc.y), len(tc.x), len(tc.y), p)
			if !(p < tc.maxP) {
				t.Errorf("p = %.3g, want < %g", p, tc.maxP)
			}
		})
	}
	t.Run("1-2: ERBB2 by group, Kruskal-Wallis", func(t *testing.T) {
		r, err := stats.KruskalTest([][]float64{a.split(erbb2, isPCR), a.split(erbb2, isNoPCR), a.split(erbb2, isHET)})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("chi2 %.2f, p = %.3g", r.Statistic, r.PValue)
		if !(r.PValue < 1e-5) {
			t.Errorf("p = %.3g", r.PValue)
		}
	})
	t.Run("2: PAM50 basal calls enriched in HET", func(t *testing.T) {
		basal := make([]bool, len(a.c.Patients))
		for k, col := range a.pre {
			if a.pam.Calls[k] == "Basal" {
				basal[a.c.Samples[col].Patient] = true
			}
		}
		var tab [2][2]float64 // [HET, non-HET][basal, not]
		for i := range a.c.Patients {
			r, c := 1, 1
			if a.c.Patients[i].HET() {
				r = 0
			}
			if basal[i] {
				c = 0
			}
			tab[r][c]++
		}
		res, err := stats.FisherTest([][]float64{tab[0][:], tab[1][:]}, stats.FisherOptions{Alternative: stats.Greater})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("patients with a basal biopsy: HET %v of %v, non-HET %v of %v; Fisher p = %.3g", tab[0][0], tab[0][0]+tab[0][1], tab[1][0], tab[1][0]+tab[1][1], res.PValue)
		if !(res.PValue < 0.05) {
			t.Errorf("p = %.3g", res.PValue)
		}
		calls := map[string]int{}
		for _, cl := range a.pam.Calls {
			calls[cl]++
		}
		t.Logf("pretreatment PAM50 calls: %v", calls)
		if calls["Her2"] < len(a.pre)/5 {
			t.Errorf("only %d of %d pretreatment samples are HER2-enriched", calls["Her2"], len(a.pre))
		}
	})
}

// TestTreatmentEffects: residual tumours against the patient's pretreatment mean
// (paired signed-rank tests), strong in non-HET and weak in HET (findings 3, 4).
func TestTreatmentEffects(t *testing.T) {
	a := analyse(t)
	prolifGenes := []string{"BIRC5", "CCNB1", "CDC20", "CEP55", "MKI67", "NDC80", "NUF2", "PTTG1", "RRM2", "TYMS", "UBE2C"}
	luminalGenes := []string{"ESR1", "PGR", "FOXA1", "GATA3", "TFF1", "TFF3", "AGR2", "BCL2", "NAT1", "SLC39A6", "MAPT"}
	for _, tc := range []struct {
		name string
		v    []float64
		alt  stats.Alternative
		weak bool // the change must be much weaker in HET
	}{
		{"proliferation (PAM50 11 genes) down", a.setMean(t, prolifGenes), stats.Less, true},
		{"luminal genes up", a.setMean(t, luminalGenes), stats.Greater, true},
		{"ESR1 up", a.gene(t, "ESR1"), stats.Greater, false},
		{"PROGENy PI3K up", a.pathway(t, "PI3K"), stats.Greater, true},
		{"ERBB2 down", a.gene(t, "ERBB2"), stats.Less, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pre, post := a.patientLevel(tc.v, false), a.patientLevel(tc.v, true)
			var dNon, dHET, xPre, xPost []float64
			for i := range a.c.Patients {
				if math.IsNaN(post[i]) {
					continue
				}
				d := post[i] - pre[i]
				if a.c.Patients[i].HET() {
					dHET = append(dHET, d)
				} else {
					dNon = append(dNon, d)
					xPre, xPost = append(xPre, pre[i]), append(xPost, post[i])
				}
			}
			r, err := stats.WilcoxTest(xPost, xPre, stats.WilcoxOptions{Paired: true, Alternative: tc.alt, Correct: true})
			if err != nil {
				t.Fatal(err)
			}
			mNon, mHET := stats.Median(dNon), stats.Median(dHET)
			t.Logf("median change non-HET %.3f (n %d, paired p = %.3g), HET %.3f (n %d)", mNon, len(dNon), r.PValue, mHET, len(dHET))
			if !(r.PValue < 1e-3) {
				t.Errorf("non-HET paired p = %.3g", r.PValue)
			}
			if tc.weak && !(math.Abs(mHET) < 0.6*math.Abs(mNon)) {
				t.Errorf("HET change %.3f not much weaker than non-HET %.3f", mHET, mNon)
			}
		})
	}
	t.Run("pre-post distance larger in non-HET", func(t *testing.T) {
		// Euclidean distance between a patient's residual tumour and mean pretreatment
		// profile over the 1,000 most variable genes.
		lc := a.logcpm
		vars := make([]float64, lc.Rows())
		for g := range vars {
			vars[g] = stats.Var(lc.Row(g))
		}
		order := stats.Order(vars, true)[:1000]
		pre := make([][]float64, len(order))
		post := make([][]float64, len(order))
		for k, g := range order {
			pre[k] = a.patientLevel(lc.Row(g), false)
			post[k] = a.patientLevel(lc.Row(g), true)
		}
		var dNon, dHET []float64
		for i := range a.c.Patients {
			if !a.c.Patients[i].Residual {
				continue
			}
			d := 0.0
			for k := range order {
				d += (post[k][i] - pre[k][i]) * (post[k][i] - pre[k][i])
			}
			if a.c.Patients[i].HET() {
				dHET = append(dHET, math.Sqrt(d))
			} else {
				dNon = append(dNon, math.Sqrt(d))
			}
		}
		p := wilcox(t, dNon, dHET, stats.Greater)
		sort.Float64s(dNon)
		t.Logf("median distance non-HET %.2f, HET %.2f, p = %.3g", stats.Median(dNon), stats.Median(dHET), p)
		if !(p < 0.01) {
			t.Errorf("p = %.3g", p)
		}
	})
	t.Run("IHC lower after treatment", func(t *testing.T) {
		var pre, post []float64
		for _, s := range a.c.Samples {
			if s.Post {
				post = append(post, float64(s.IHC))
			} else if !a.c.Patients[s.Patient].HET() {
				pre = append(pre, float64(s.IHC))
			}
		}
		if !(stats.Mean(post) < stats.Mean(pre)) {
			t.Errorf("mean IHC post %.2f, pre (non-HET) %.2f", stats.Mean(post), stats.Mean(pre))
		}
	})
}

// TestNoPCAOutliers: the study's QC rule (PCA on the 1,000 most variable genes of
// the log-CPM, a sample is an outlier when a score on PC1 or PC2 lies outside
// mean +/- 5 SD) keeps all 285 samples, as the paper's 285 are the ones kept.
func TestNoPCAOutliers(t *testing.T) {
	a := analyse(t)
	lc := a.logcpm
	vars := make([]float64, lc.Rows())
	for g := range vars {
		vars[g] = stats.Var(lc.Row(g))
	}
	rows := stats.Order(vars, true)[:1000]
	// PCA of the samples (genes centred, as prcomp) from the eigenvectors of the
	// samples x samples cross-product of the centred data.
	n := lc.Cols()
	x := mat.NewDense(len(rows), n, nil)
	for i, g := range rows {
		row := lc.Row(g)
		m := stats.Mean(row)
		for s, v := range row {
			x.Set(i, s, v-m)
		}
	}
	var cp mat.SymDense
	cp.SymOuterK(1, x.T())
	var eig mat.EigenSym
	if !eig.Factorize(&cp, true) {
		t.Fatal("eigendecomposition failed")
	}
	var vec mat.Dense
	eig.VectorsTo(&vec)
	vals := eig.Values(nil) // ascending
	var best float64
	for k := 1; k <= 2; k++ {
		col := n - k
		sc := make([]float64, n)
		for s := range sc {
			sc[s] = vec.At(s, col) * math.Sqrt(math.Max(vals[col], 0))
		}
		m, sd := stats.Mean(sc), stats.SD(sc)
		var pre, post []float64
		for s, v := range sc {
			if math.Abs(v-m) > 5*sd {
				t.Errorf("sample %s is a PCA outlier on PC%d", lc.Samples[s], k)
			}
			if a.c.Samples[s].Post {
				post = append(post, v)
			} else {
				pre = append(pre, v)
			}
		}
		// Treatment is a main source of variation (as in the paper).
		best = math.Max(best, math.Abs(stats.Mean(post)-stats.Mean(pre))/sd)
	}
	t.Logf("largest pre/post shift on PC1/PC2: %.2f SD", best)
	if best < 0.75 {
		t.Errorf("pre and post differ by only %.2f SD on PC1/PC2", best)
	}
}
