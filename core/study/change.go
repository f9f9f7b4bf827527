package study

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/her2het/her2het/core/plotdata"
	"github.com/her2het/her2het/core/stats"
)

// pair is a patient with pre and post samples.
type pair struct {
	pt      *patient
	stratum string // HET / non-HET / ""
}

func (r *runner) pairs() []pair {
	var out []pair
	for _, pt := range r.c.Patients {
		if len(pt.Pre) == 0 || len(pt.Post) == 0 {
			continue
		}
		out = append(out, pair{pt, byHETLabel(unit{Patient: pt})})
	}
	return out
}

// meanOver returns the mean of x over the samples idx.
func meanOver(x []float64, idx []int) float64 {
	v := make([]float64, len(idx))
	for k, i := range idx {
		v[k] = x[i]
	}
	return stats.Mean(v)
}

// change measures the treatment-induced change per patient: 1 - Pearson
// correlation between the mean pretreatment profile and the post-treatment profile
// (over the PCA genes), the number of DE genes pre vs post in each stratum, and the
// change of key pathway scores, compared between HET and non-HET.
func (r *runner) change() *Section {
	const id, title = "change", "Treatment-induced change"
	if r.logE == nil {
		return skipped(id, title, "no expression matrix was added")
	}
	prs := r.pairs()
	if len(prs) == 0 {
		return skipped(id, title, "no patient has both pretreatment and post-treatment samples")
	}
	sec := &Section{ID: id, Title: title}
	rows := topVariable(r.logE, r.p.PCAGenes)
	dist := make([]float64, len(prs))
	rms := make([]float64, len(prs))
	diff := make([][]float64, len(prs))
	for k, p := range prs {
		pre := make([]float64, len(rows))
		post := make([]float64, len(rows))
		var ss float64
		for j, g := range rows {
			x := r.logE.Row(g)
			mu := stats.Mean(x)
			pre[j] = meanOver(x, p.pt.Pre) - mu
			post[j] = meanOver(x, p.pt.Post) - mu
			ss += (post[j] - pre[j]) * (post[j] - pre[j])
		}
		dist[k] = 1 - stats.Cor(pre, post)
		rms[k] = math.Sqrt(ss / float64(len(rows)))
		diff[k] = make([]float64, len(rows))
		for j := range rows {
			diff[k][j] = post[j] - pre[j]
		}
	}
	proj := treatmentProjection(diff)
	ids := make([]string, len(prs))
	for k, p := range prs {
		ids[k] = p.pt.ID
	}
	r.pt.set("pre_post_distance", ids, dist)
	r.pt.set("pre_post_rms", ids, rms)
	r.pt.set("pre_post_projection", ids, proj)
	strata := []string{"non-HET", "HET"}
	split := func(x []float64) ([][]float64, [][]string) {
		v := make([][]float64, 2)
		s := make([][]string, 2)
		for k, p := range prs {
			for g, st := range strata {
				if p.stratum == st {
					v[g] = append(v[g], x[k])
					s[g] = append(s[g], p.pt.ID)
				}
			}
		}
		return v, s
	}
	v, s := split(dist)
	trows := groupTests("treatment change", "pre_post_distance", strata, v)
	vr, _ := split(rms)
	rrows := groupTests("treatment change", "pre_post_rms", strata, vr)
	vp, _ := split(proj)
	prows := groupTests("treatment change", "pre_post_projection", strata, vp)
	if len(trows) == 1 && len(rrows) == 1 && len(prows) == 1 {
		padj := stats.PAdjust([]float64{trows[0].PValue, rrows[0].PValue, prows[0].PValue}, stats.BH)
		trows[0].PAdj, rrows[0].PAdj, prows[0].PAdj = padj[0], padj[1], padj[2]
	}
	sec.Tests = append(sec.Tests, prows...)
	sec.Tests = append(sec.Tests, trows...)
	sec.Tests = append(sec.Tests, rrows...)
	f0 := r.figure("change-projection", "Change along the cohort's treatment direction by HET", plotdata.KindBox,
		"genes", fmt.Sprintf("%d most variable", len(rows)), "direction", "mean post - pre change of the other patients (leave one out)")
	f0.YLabel = "projection of post - pre on the treatment direction (log2)"
	b0 := &plotdata.Box{Tests: annotations(prows)}
	for g, st := range strata {
		b0.Groups = append(b0.Groups, plotdata.NewBoxGroup(st, vp[g], s[g], s[g]))
	}
	f0.Box = b0
	sec.Figures = append(sec.Figures, f0)
	f := r.figure("change-distance", "Pre to post distance (1 - Pearson r of gene-centred profiles) by HET", plotdata.KindBox,
		"genes", fmt.Sprintf("%d most variable, centred over all samples", len(rows)), "pretreatment profile", "mean of biopsies")
	f.YLabel = "1 - Pearson r (pre, post)"
	b := &plotdata.Box{Tests: annotations(trows)}
	for g, st := range strata {
		b.Groups = append(b.Groups, plotdata.NewBoxGroup(st, v[g], s[g], s[g]))
	}
	f.Box = b
	sec.Figures = append(sec.Figures, f)
	f2 := r.figure("change-rms", "Pre to post root-mean-square log2 change by HET", plotdata.KindBox,
		"genes", fmt.Sprintf("%d most variable", len(rows)), "pretreatment profile", "mean of biopsies")
	f2.YLabel = "RMS log2 change"
	b2 := &plotdata.Box{Tests: annotations(rrows)}
	for g, st := range strata {
		b2.Groups = append(b2.Groups, plotdata.NewBoxGroup(st, vr[g], s[g], s[g]))
	}
	f2.Box = b2
	sec.Figures = append(sec.Figures, f2)
	var summary []string
	med := func(x []float64) string { return fmt.Sprintf("%.3f", median(x)) }
	summary = append(summary, fmt.Sprintf("%d patients with pre and post samples; median distance non-HET %s (n=%d), HET %s (n=%d)",
		len(prs), med(v[0]), len(v[0]), med(v[1]), len(v[1])))
	if len(trows) > 0 {
		summary[0] += ", Wilcoxon p = " + fmtP(trows[0].PValue)
	}
	summary = append(summary, fmt.Sprintf("median RMS log2 change non-HET %s, HET %s", med(vr[0]), med(vr[1])))
	if len(rrows) > 0 {
		summary[1] += ", Wilcoxon p = " + fmtP(rrows[0].PValue)
	}
	summary = append(summary, fmt.Sprintf("median change along the treatment direction non-HET %s, HET %s", med(vp[0]), med(vp[1])))
	if len(prows) > 0 {
		summary[2] += ", Wilcoxon p = " + fmtP(prows[0].PValue)
	}
	// DE genes per stratum.
	tab := plotdata.Table{ID: "change-de", Title: "DE genes post vs pre per stratum",
		Columns: []string{"stratum", "patients", "samples", "de_genes", "up", "down", "fdr"}}
	for _, k := range []struct{ id, st string }{{"de-prepost-nonhet", "non-HET"}, {"de-prepost-het", "HET"}} {
		if d := r.de[k.id]; d != nil {
			tab.Rows = append(tab.Rows, []string{k.st, fmtInt(d.Patients), fmtInt(d.Samples), fmtInt(d.NDE), fmtInt(d.NUp), fmtInt(d.NDown), fmtNum(r.p.FDR)})
			summary = append(summary, fmt.Sprintf("%s: %d DE genes", k.st, d.NDE))
		}
	}
	if len(tab.Rows) > 0 {
		sec.Tables = append(sec.Tables, tab)
	}
	// HER2 protein (IHC score) pre vs post, when the sheet gives it per sample.
	if ihc := r.sampleIHC(); ihc != nil {
		x := make([]float64, len(ihc))
		for j, v := range ihc {
			x[j] = math.NaN()
			switch v {
			case "0":
				x[j] = 0
			case "1+":
				x[j] = 1
			case "2+":
				x[j] = 2
			case "3+":
				x[j] = 3
			}
		}
		var pre, post []float64
		ln := &plotdata.Lines{XTicks: []string{"pre", "post"}, Groups: strata}
		for _, p := range prs {
			a, b := meanOver(x, p.pt.Pre), meanOver(x, p.pt.Post)
			if math.IsNaN(a) || math.IsNaN(b) {
				continue
			}
			pre = append(pre, a)
			post = append(post, b)
			ln.Series = append(ln.Series, plotdata.Series{Name: p.pt.ID, Patient: p.pt.ID, Group: p.stratum,
				X: []plotdata.Float{0, 1}, Y: []plotdata.Float{plotdata.Float(a), plotdata.Float(b)}})
		}
		if len(pre) >= 2 {
			if t, err := stats.WilcoxTest(post, pre, stats.WilcoxOptions{Paired: true, Correct: true}); err == nil {
				sec.Tests = append(sec.Tests, TestRow{"treatment change", "HER2 IHC score", "post vs pre", "Wilcoxon signed-rank (paired)",
					t.Statistic, t.PValue, t.PValue, t.N})
				summary = append(summary, fmt.Sprintf("HER2 IHC score mean %.2f pre, %.2f post (paired Wilcoxon p = %s)",
					stats.Mean(pre), stats.Mean(post), fmtP(t.PValue)))
			}
			lf := r.figure("change-ihc", "HER2 IHC score pre and post", plotdata.KindLines, "pretreatment", "mean of biopsies")
			lf.YLabel = "HER2 IHC score"
			lf.Lines = ln
			sec.Figures = append(sec.Figures, lf)
		}
	}
	// Pathway score changes.
	if err := r.computeScores(); err == nil {
		type sc struct {
			name string
			x    []float64
		}
		var vars []sc
		for _, k := range r.p.KeySets {
			if x, ok := r.scores.row(k); ok {
				vars = append(vars, sc{r.scores.Method + ":" + k, x})
			}
		}
		for _, k := range sortedKeys(r.progeny) {
			if keyProgeny[k] {
				vars = append(vars, sc{"progeny:" + k, r.progeny[k]})
			}
		}
		var omni []int
		for _, vr := range vars {
			pre := make([]float64, len(prs))
			post := make([]float64, len(prs))
			delta := make([]float64, len(prs))
			for k, p := range prs {
				pre[k] = meanOver(vr.x, p.pt.Pre)
				post[k] = meanOver(vr.x, p.pt.Post)
				delta[k] = post[k] - pre[k]
			}
			r.pt.set("delta:"+vr.name, ids, delta)
			dv, _ := split(delta)
			rows := groupTests("score change", "delta "+vr.name, strata, dv)
			if len(rows) > 0 {
				omni = append(omni, len(sec.Tests))
				sec.Tests = append(sec.Tests, rows...)
			}
			// Paired signed-rank within each stratum.
			for _, st := range strata {
				var a, bb []float64
				for k, p := range prs {
					if p.stratum == st {
						a = append(a, post[k])
						bb = append(bb, pre[k])
					}
				}
				if len(a) < 2 {
					continue
				}
				t, err := stats.WilcoxTest(a, bb, stats.WilcoxOptions{Paired: true, Correct: true})
				if err != nil {
					continue
				}
				sec.Tests = append(sec.Tests, TestRow{"score change", vr.name, st + ": post vs pre", "Wilcoxon signed-rank (paired)",
					t.Statistic, t.PValue, math.NaN(), len(a)})
			}
			lf := r.figure("change-"+slug(vr.name), vr.name+" pre and post", plotdata.KindLines, "pretreatment", "mean of biopsies")
			lf.YLabel = vr.name
			ln := &plotdata.Lines{XTicks: []string{"pre", "post"}, Groups: strata}
			for k, p := range prs {
				ln.Series = append(ln.Series, plotdata.Series{Name: p.pt.ID, Patient: p.pt.ID, Group: p.stratum,
					X: []plotdata.Float{0, 1}, Y: []plotdata.Float{plotdata.Float(pre[k]), plotdata.Float(post[k])}})
			}
			lf.Lines = ln
			sec.Figures = append(sec.Figures, lf)
		}
		adjustOmnibus(sec.Tests, omni)
	}
	sec.Summary = strings.Join(summary, "; ") + "."
	return sec
}

var _ = sort.Ints

// treatmentProjection returns, for each patient k, the length of the projection of
// its change vector d[k] (post - pre over genes) on the cohort's treatment
// direction estimated without it: s_k = mean_{l != k} d[l], score_k = <d[k], s_k> /
// ||s_k||. A patient whose tumour moves like the others' scores high; one that does
// not change scores near 0. With fewer than 2 patients, or a zero direction, the
// score is NaN.
func treatmentProjection(d [][]float64) []float64 {
	n := len(d)
	out := make([]float64, n)
	if n < 2 {
		for k := range out {
			out[k] = math.NaN()
		}
		return out
	}
	m := len(d[0])
	tot := make([]float64, m)
	for _, v := range d {
		for j, x := range v {
			tot[j] += x
		}
	}
	for k, v := range d {
		var dot, nn float64
		for j, x := range v {
			s := (tot[j] - x) / float64(n-1)
			dot += x * s
			nn += s * s
		}
		if nn == 0 || math.IsNaN(nn) {
			out[k] = math.NaN()
			continue
		}
		out[k] = dot / math.Sqrt(nn)
	}
	return out
}
