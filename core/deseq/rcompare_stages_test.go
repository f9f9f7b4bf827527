package deseq

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
)

func readRTable(t *testing.T, path string) (map[string]int, [][]string) {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	sc.Scan()
	col := map[string]int{}
	for i, h := range strings.Split(sc.Text(), "\t") {
		col[strings.TrimSpace(h)] = i
	}
	var rows [][]string
	for sc.Scan() {
		rows = append(rows, strings.Split(sc.Text(), "\t"))
	}
	return col, rows
}

func rnum(s string) float64 {
	s = strings.TrimSpace(s)
	if s == "NA" {
		return math.NaN()
	}
	if s == "TRUE" {
		return 1
	}
	if s == "FALSE" {
		return 0
	}
	v, _ := strconv.ParseFloat(s, 64)
	return v
}

// TestAgainstRBenchStages compares every stage of Run on the bench tool's
// 20000 x 285 data (studySim, ~ timepoint) with DESeq2 1.38.3's
// intermediates written by testdata/gen/bench_data_vs_r_mcols.R (set
// DESEQ_R_MCOLS to its output prefix; skipped otherwise, R takes minutes):
// size factors, trend coefficients, prior variance, and per mcols(dds)
// column the number of genes that differ, the worst relative differences
// (log10 for p-values) and the iteration-count mismatches. A measurement
// aid that logs; the acceptance tests are the goldens.
func TestAgainstRBenchStages(t *testing.T) {
	base := os.Getenv("DESEQ_R_MCOLS")
	if base == "" {
		t.Skip("set DESEQ_R_MCOLS to the output prefix of testdata/gen/bench_data_vs_r_mcols.R")
	}
	_, trows := readRTable(t, base+".trend.tsv")
	tr := map[string]float64{}
	for _, r := range trows {
		tr[strings.TrimSpace(r[0])] = rnum(r[1])
	}
	col, rows := readRTable(t, base+".mcols.tsv")
	cm, X, cols, _, _ := studySim(len(rows), 285)
	fit, err := Run(cm, X, cols, Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("trend a0 R %.17g ours %.17g rel %.3g", tr["coef_asymptDisp"], fit.Trend.AsymptDisp, math.Abs(fit.Trend.AsymptDisp/tr["coef_asymptDisp"]-1))
	t.Logf("trend a1 R %.17g ours %.17g rel %.3g", tr["coef_extraPois"], fit.Trend.ExtraPois, math.Abs(fit.Trend.ExtraPois/tr["coef_extraPois"]-1))
	t.Logf("priorVar R %.17g ours %.17g; varLog R %.17g ours %.17g", tr["dispPriorVar"], fit.DispPriorVar, tr["varLogDispEsts"], fit.VarLogDispEsts)
	var wsf float64
	nsf := 0
	for j := range fit.SizeFactors {
		wsf = math.Max(wsf, math.Abs(fit.SizeFactors[j]/tr["sf_"+fit.Samples[j]]-1))
		if fit.SizeFactors[j] != tr["sf_"+fit.Samples[j]] {
			t.Logf("sf %s R %.17g ours %.17g", fit.Samples[j], tr["sf_"+fit.Samples[j]], fit.SizeFactors[j])
			nsf++
		}
	}
	t.Logf("sf rel %.3g, %d differ", wsf, nsf)
	type cmpc struct {
		name string
		get  func(g int) float64
	}
	P := fit.P
	cs := []cmpc{
		{"baseMean", func(g int) float64 { return fit.BaseMean[g] }},
		{"dispGeneEst", func(g int) float64 { return fit.DispGeneEst[g] }},
		{"dispGeneIter", func(g int) float64 { return float64(fit.DispGeneIter[g]) }},
		{"dispFit", func(g int) float64 { return fit.DispFit[g] }},
		{"dispMAP", func(g int) float64 { return fit.DispMAP[g] }},
		{"dispIter", func(g int) float64 { return float64(fit.DispIter[g]) }},
		{"dispersion", func(g int) float64 { return fit.Dispersion[g] }},
		{"Intercept", func(g int) float64 { return fit.Beta[g*P] }},
		{"timepoint_pre_vs_post", func(g int) float64 { return fit.Beta[g*P+1] }},
		{"SE_Intercept", func(g int) float64 { return fit.BetaSE[g*P] }},
		{"SE_timepoint_pre_vs_post", func(g int) float64 { return fit.BetaSE[g*P+1] }},
		{"WaldStatistic_timepoint_pre_vs_post", func(g int) float64 { return fit.WaldStat[g*P+1] }},
		{"WaldPvalue_timepoint_pre_vs_post", func(g int) float64 { return fit.WaldPvalue[g*P+1] }},
		{"betaIter", func(g int) float64 { return float64(fit.BetaIter[g]) }},
		{"maxCooks", func(g int) float64 { return fit.MaxCooks[g] }},
	}
	for _, c := range cs {
		ci, ok := col[c.name]
		if !ok {
			t.Logf("no column %s", c.name)
			continue
		}
		type bad struct {
			g int
			e float64
		}
		var bs []bad
		nmis := 0
		for g, r := range rows {
			rv, ov := rnum(r[ci]), c.get(g)
			if math.IsNaN(rv) != math.IsNaN(ov) {
				nmis++
				continue
			}
			if math.IsNaN(rv) {
				continue
			}
			var e float64
			if strings.HasPrefix(c.name, "WaldP") {
				if rv == 0 && ov == 0 {
					continue
				}
				e = math.Abs(math.Log10(rv) - math.Log10(ov))
			} else if rv != 0 {
				e = math.Abs(ov/rv - 1)
			} else {
				e = math.Abs(ov)
			}
			if e > 0 {
				bs = append(bs, bad{g, e})
			}
		}
		sort.Slice(bs, func(i, j int) bool { return bs[i].e > bs[j].e })
		s := ""
		for i := 0; i < len(bs) && i < 4; i++ {
			s += fmt.Sprintf(" %s:%.3g(R %s ours %.17g)", cm.Genes[bs[i].g], bs[i].e, strings.TrimSpace(rows[bs[i].g][ci]), c.get(bs[i].g))
		}
		t.Logf("%s: NA mismatches %d, differing %d, worst%s", c.name, nmis, len(bs), s)
	}
	// iteration mismatches
	di, gi := col["dispIter"], col["dispGeneIter"]
	nd, ng := 0, 0
	for g, r := range rows {
		if !math.IsNaN(rnum(r[di])) && int(rnum(r[di])) != fit.DispIter[g] {
			nd++
			if nd < 10 {
				t.Logf("dispIter %s R %s ours %d mapRel %.3g", cm.Genes[g], r[di], fit.DispIter[g], math.Abs(fit.DispMAP[g]/rnum(r[col["dispMAP"]])-1))
			}
		}
		if !math.IsNaN(rnum(r[gi])) && int(rnum(r[gi])) != fit.DispGeneIter[g] {
			ng++
		}
	}
	t.Logf("dispIter mismatches %d, dispGeneIter mismatches %d", nd, ng)
}
