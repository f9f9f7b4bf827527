package deseq

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/her2het/her2het/core/dataset"
	"gonum.org/v1/gonum/stat/distuv"
)

// simCounts draws a seeded negative binomial count matrix (gamma-Poisson)
// with a DESeq2-like dispersion trend, random size factors and 10% of genes
// changed by group (group[j] in {0,1}) and a patient effect (patient[j] >= 0).
func simCounts(G int, group, patient []int, seed uint64) *dataset.Matrix {
	m := len(group)
	src := rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)
	rng := rand.New(src)
	genes := make([]string, G)
	samples := make([]string, m)
	for g := range genes {
		genes[g] = fmt.Sprintf("g%05d", g)
	}
	for j := range samples {
		samples[j] = fmt.Sprintf("s%03d", j)
	}
	sf := make([]float64, m)
	for j := range sf {
		sf[j] = math.Exp(rng.Float64() - 0.5)
	}
	npat := 0
	for _, p := range patient {
		if p+1 > npat {
			npat = p + 1
		}
	}
	pe := make([]float64, npat)
	for i := range pe {
		pe[i] = 0.4 * rng.NormFloat64()
	}
	cm := dataset.NewMatrix(dataset.Counts, genes, samples)
	for g := 0; g < G; g++ {
		base := math.Exp(3.5 + 2*rng.NormFloat64())
		disp := (0.04 + 2/base) * math.Exp(0.5*rng.NormFloat64())
		lfc := 0.0
		if rng.Float64() < 0.1 {
			lfc = 1.5 * rng.NormFloat64()
		}
		row := cm.Row(g)
		for j := 0; j < m; j++ {
			mu := sf[j] * base * math.Exp2(lfc*float64(group[j]))
			if patient != nil {
				mu *= math.Exp(pe[patient[j]])
			}
			ga := distuv.Gamma{Alpha: 1 / disp, Beta: 1 / (disp * mu), Src: src}
			po := distuv.Poisson{Lambda: ga.Rand(), Src: src}
			row[j] = po.Rand()
		}
	}
	return cm
}

// groupDesign is ~ group with an intercept.
func groupDesign(group []int) ([]float64, []string) {
	X := make([]float64, 2*len(group))
	for j, g := range group {
		X[2*j] = 1
		X[2*j+1] = float64(g)
	}
	return X, []string{"(Intercept)", "timepointpost"}
}

// pairedDesign is ~ patient + timepoint (treatment coding).
func pairedDesign(patient, tp []int) ([]float64, []string) {
	np := 0
	for _, p := range patient {
		if p+1 > np {
			np = p + 1
		}
	}
	p := np + 1
	X := make([]float64, len(patient)*p)
	cols := []string{"(Intercept)"}
	for i := 1; i < np; i++ {
		cols = append(cols, fmt.Sprintf("patientP%d", i))
	}
	cols = append(cols, "timepointpost")
	for j := range patient {
		X[j*p] = 1
		if patient[j] > 0 {
			X[j*p+patient[j]] = 1
		}
		X[j*p+np] = float64(tp[j])
	}
	return X, cols
}

// studyGroups returns the study's 285-sample timepoint split (242 pre, 43 post) or
// a smaller balanced one.
func timepoints(m int) []int {
	g := make([]int, m)
	npost := m * 43 / 285
	if m <= 12 {
		npost = m / 2
	}
	for j := m - npost; j < m; j++ {
		g[j] = 1
	}
	return g
}

// studySheet is bench/gen's MakeSheet: for n samples about 129/285 of n
// patients and 43/285 of n post-treatment biopsies (n <= 12: n/2 patients
// with one pre and one post biopsy), the pre biopsies one per patient then a
// second one for the first patients, in bench/gen's sample order.
func studySheet(n int) (pat []int, post []bool) {
	var npat, npost int
	if n <= 12 {
		npat, npost = n/2, n/2
	} else {
		npat = int(math.Round(float64(n) * 129 / 285))
		npost = int(math.Round(float64(n) * 43 / 285))
	}
	npre := n - npost
	for p := 0; p < npat; p++ {
		pat, post = append(pat, p), append(post, false)
		if p < npre-npat {
			pat, post = append(pat, p), append(post, false)
		}
		if p < npost {
			pat, post = append(pat, p), append(post, true)
		}
	}
	return pat, post
}

// studySim returns exactly the counts of bench/gen's counts_<n>.tsv (its
// writeCounts with seed 20261129: same generator, same draws, gene-wise
// patient effects) and the model matrices bench/cmd builds from
// samples_<n>.tsv: ~ timepoint (levels post < pre, so the column is
// timepointpre) and ~ patient + timepoint.
func studySim(G, n int) (cm *dataset.Matrix, Xt []float64, colsT []string, Xp []float64, colsP []string) {
	pat, post := studySheet(n)
	src := rand.NewPCG(20261129, uint64(n))
	rng := rand.New(src)
	genes := make([]string, G)
	samples := make([]string, n)
	for g := range genes {
		genes[g] = fmt.Sprintf("GENE%05d", g+1)
	}
	for j := range samples {
		samples[j] = fmt.Sprintf("S%04d", j+1)
	}
	sf := make([]float64, n)
	for j := range sf {
		sf[j] = math.Exp(rng.Float64() - 0.5)
	}
	npat := 0
	for _, p := range pat {
		npat = max(npat, p+1)
	}
	pe := make([]float64, npat)
	cm = dataset.NewMatrix(dataset.Counts, genes, samples)
	for g := 0; g < G; g++ {
		base := math.Exp(3.5 + 2*rng.NormFloat64())
		disp := (0.04 + 2/base) * math.Exp(0.5*rng.NormFloat64())
		lfc := 0.0
		if rng.Float64() < 0.1 {
			lfc = 1.5 * rng.NormFloat64()
		}
		for i := range pe {
			pe[i] = 0.4 * rng.NormFloat64()
		}
		row := cm.Row(g)
		for j := 0; j < n; j++ {
			mu := sf[j] * base * math.Exp(pe[pat[j]])
			if post[j] {
				mu *= math.Exp2(lfc)
			}
			ga := distuv.Gamma{Alpha: 1 / disp, Beta: 1 / (disp * mu), Src: src}
			lam := ga.Rand()
			v := 0.0
			if lam > 0 {
				v = distuv.Poisson{Lambda: lam, Src: src}.Rand()
			}
			row[j] = math.Min(math.Trunc(v), 2e9)
		}
	}
	Xt = make([]float64, 2*n)
	for j := range post {
		Xt[2*j] = 1
		if !post[j] {
			Xt[2*j+1] = 1
		}
	}
	colsT = []string{"(Intercept)", "timepointpre"}
	p := npat + 1
	Xp = make([]float64, n*p)
	colsP = []string{"(Intercept)"}
	for i := 1; i < npat; i++ {
		colsP = append(colsP, fmt.Sprintf("patientP%03d", i+1))
	}
	colsP = append(colsP, "timepointpre")
	for j := range pat {
		Xp[j*p] = 1
		if pat[j] > 0 {
			Xp[j*p+pat[j]] = 1
		}
		if !post[j] {
			Xp[j*p+npat] = 1
		}
	}
	return cm, Xt, colsT, Xp, colsP
}

func benchRun(b *testing.B, cm *dataset.Matrix, X []float64, cols []string) {
	b.ReportAllocs()
	b.ResetTimer()
	c0 := cpuSeconds()
	for i := 0; i < b.N; i++ {
		fit, err := Run(cm, X, cols, Options{Workers: 1})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := fit.Results(ResultsOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	if c := cpuSeconds() - c0; c > 0 {
		b.ReportMetric(c/float64(b.N), "cpu-s/op") // the machine is shared: CPU time is the robust measure
	}
}

// BenchmarkRunTimepoint is DESeq() + results() for ~ timepoint on 20k genes,
// one worker, reporting CPU seconds (cpu-s/op; the build machine is shared),
// on exactly the data and design of bench/cmd's deseq_timepoint step (see
// studySim; n = 12, 100, 285). 20000x285 measured 2026-11-29 on the shared
// 2-core machine at load 8-13, alternating with the session's starting code
// (c8ffa55): 5.3-6.4 s CPU before, 4.05-4.25 s after (GODEBUG=asyncpreemptoff=1
// removes profiler noise); R's DESeq2 1.38.3 took 87 s CPU on the same data
// in the same hour. Under wasm (Node, one instance, CPU of the whole process
// including the simulation) 18.6-21.2 s before, 15.0 s after.
// Session 4 (Armijo rejections proven by dispbound.go's upper bound, same
// outputs bit for bit), 2026-11-29 at load 7-10, base 1d14266 and the new
// code run side by side (GOMAXPROCS=1 each, 3 pairs): 4.63/4.84/4.99 ->
// 4.12/4.13/4.25 s CPU; bench/cmd deseq_timepoint 3.93-4.58 s while R's
// DESeq2 1.38.3 took 86.2 s CPU on the same data; wasm side by side (2
// pairs) 21.0/20.5 -> 18.8/18.7 s.
func BenchmarkRunTimepoint(b *testing.B) {
	for _, m := range []int{12, 100, 285} {
		b.Run(fmt.Sprintf("20000x%d", m), func(b *testing.B) {
			cm, X, cols, _, _ := studySim(20000, m)
			benchRun(b, cm, X, cols)
		})
	}
}

// BenchmarkRunPaired is ~ patient + timepoint on exactly the data and design
// of bench/cmd's deseq_paired step (n = 12: 6 patients, p = 7; n = 285: 129
// patients, p = 130, the block path). 20000x285: 29.7 s CPU at c8ffa55,
// 26.9 s after this session's changes (2026-11-29, load ~12).
func BenchmarkRunPaired(b *testing.B) {
	for _, m := range []int{12, 285} {
		b.Run(fmt.Sprintf("20000x%d", m), func(b *testing.B) {
			cm, _, _, X, cols := studySim(20000, m)
			benchRun(b, cm, X, cols)
		})
	}
}

// BenchmarkRunSmall is BenchmarkRunTimepoint on the first 2,000 genes of the
// 285-sample data, quick enough to compare native and wasm (GOOS=js
// GOARCH=wasm go test -exec $(go env GOROOT)/lib/wasm/go_js_wasm_exec -bench
// RunSmall) or to count instructions under valgrind.
func BenchmarkRunSmall(b *testing.B) {
	cm, X, cols, _, _ := studySim(2000, 285)
	benchRun(b, cm, X, cols)
}

// BenchmarkLogPost is one evaluation of the Cox–Reid adjusted log posterior
// and its derivative for a gene of 285 samples (~ timepoint), the inner step
// of the dispersion line search.
func BenchmarkLogPost(b *testing.B) {
	g := timepoints(285)
	cm := simCounts(1, g, nil, 3)
	X, _ := groupDesign(g)
	dw := newDispWork(newDesign(X, 285, 2))
	y := cm.Row(0)
	mu := make([]float64, 285)
	for j := range mu {
		mu[j] = 20 + float64(j%7)
	}
	dw.prepare(y, mu)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		la := -2 + 1e-9*float64(i%1000)
		dw.logPost(la, y, mu, 0, 1, false)
		dw.dlogPost(la, y, mu, 0, 1, false)
	}
}

// BenchmarkFastLog measures the logarithm used in the inner loops.
func BenchmarkFastLog(b *testing.B) {
	x, s := 1.2345, 0.0
	for i := 0; i < b.N; i++ {
		s += fastLog(x)
		x += 1e-3
	}
	sinkF = s
}

var sinkF float64
