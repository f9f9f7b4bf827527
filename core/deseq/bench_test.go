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
// one worker, reporting CPU seconds (cpu-s/op; the build machine is shared).
// Measured 2026-11-29 on the shared 2-core machine (load 5-25): 20000x285
// 3.5-4.5 s CPU, down from 5.4-6.4 s for the session's starting version
// measured alternately in the same conditions (R's DESeq2 1.38.3: 55-93 s
// CPU); 20000x100 about 1.9 s, 20000x12 about 0.7 s. Under wasm (Node, one
// instance) 20000x285 took about 14 s CPU for the whole process.
func BenchmarkRunTimepoint(b *testing.B) {
	for _, m := range []int{12, 100, 285} {
		b.Run(fmt.Sprintf("20000x%d", m), func(b *testing.B) {
			g := timepoints(m)
			cm := simCounts(20000, g, nil, 1)
			X, cols := groupDesign(g)
			benchRun(b, cm, X, cols)
		})
	}
}

// BenchmarkRunPaired is ~ patient + timepoint with every patient sampled
// before and after treatment (6 or 43 patients; p = 7 or 44, the block path
// for the latter). For 142 patients x 2 (p = 143, 20000 genes) TestStageCPU
// with DESEQ_PAIRED=1 DESEQ_STAGES=284 took 27-35 s CPU (2026-11-29).
func BenchmarkRunPaired(b *testing.B) {
	for _, np := range []int{6, 43} {
		b.Run(fmt.Sprintf("20000x%d", 2*np), func(b *testing.B) {
			var pat, tp []int
			for t := 0; t < 2; t++ {
				for i := 0; i < np; i++ {
					pat = append(pat, i)
					tp = append(tp, t)
				}
			}
			cm := simCounts(20000, tp, pat, 2)
			X, cols := pairedDesign(pat, tp)
			benchRun(b, cm, X, cols)
		})
	}
}

// BenchmarkRunSmall is BenchmarkRunTimepoint on 2,000 genes x 285 samples,
// quick enough to compare native and wasm (GOOS=js GOARCH=wasm go test
// -exec $(go env GOROOT)/lib/wasm/go_js_wasm_exec -bench RunSmall).
func BenchmarkRunSmall(b *testing.B) {
	g := timepoints(285)
	cm := simCounts(2000, g, nil, 1)
	X, cols := groupDesign(g)
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
