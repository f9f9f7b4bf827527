package stats_test

import (
	"fmt"

	"github.com/her2het/her2het/core/stats"
)

func ExampleWilcoxTest() {
	x := []float64{1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30}
	y := []float64{0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29}
	r, _ := stats.WilcoxTest(x, y, stats.WilcoxOptions{Correct: true})
	fmt.Printf("%s: W = %g, p-value = %.4f\n", r.Method, r.Statistic, r.PValue)
	// Output: Wilcoxon rank sum test with continuity correction: W = 58, p-value = 0.1329
}

func ExampleFisherTest() {
	r, _ := stats.FisherTest([][]float64{{3, 1}, {1, 3}}, stats.FisherOptions{})
	fmt.Printf("p-value = %.4f, odds ratio = %.4f, 95%% CI %.5f-%.4f\n", r.PValue, r.Estimate, r.ConfInt[0], r.ConfInt[1])
	// Output: p-value = 0.4857, odds ratio = 6.4083, 95% CI 0.21173-621.9338
}

func ExamplePAdjust() {
	p := []float64{0.01, 0.02, 0.03, 0.04, 0.05}
	fmt.Println(stats.PAdjust(p, stats.BH))
	// Output: [0.05 0.05 0.05 0.05 0.05]
}

func ExampleROC() {
	controls := []float64{0.1, 0.4, 0.35, 0.8}
	cases := []float64{0.9, 0.6, 0.75, 0.3}
	r, _ := stats.ROC(controls, cases)
	fmt.Printf("direction %s, AUC = %.4f\n", r.Direction, r.AUC)
	// Output: direction <, AUC = 0.6875
}

func ExampleKruskalTest() {
	r, _ := stats.KruskalTest([][]float64{{2.9, 3.0, 2.5, 2.6, 3.2}, {3.8, 2.7, 4.0, 2.4}, {2.8, 3.4, 3.7, 2.2, 2.0}})
	fmt.Printf("%s = %.4f, df = %g, p-value = %.4f\n", r.StatisticName, r.Statistic, r.DF, r.PValue)
	// Output: Kruskal-Wallis chi-squared = 0.7714, df = 2, p-value = 0.6800
}

func ExampleCorTest() {
	x := []float64{1.2, 2.3, 0.7, 4.1, 3.3}
	y := []float64{2.1, 2.9, 1.1, 3.8, 4.5}
	r, _ := stats.CorTest(x, y, stats.CorOptions{Method: stats.Spearman})
	fmt.Printf("rho = %.1f, S = %.4g, p-value = %.4f\n", r.Estimate, r.Statistic, r.PValue)
	// Output: rho = 0.9, S = 2, p-value = 0.0833
}

func ExampleGLMBinomial() {
	x := [][]float64{{1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}}
	y := []float64{0, 0, 0, 1, 0, 1, 1, 1}
	fit, _ := stats.GLMBinomial(x, y)
	fmt.Printf("slope %.4f (SE %.4f), AIC %.3f\n", fit.Coef[1], fit.SE[1], fit.AIC)
	// Output: slope 1.2823 (SE 0.8604), AIC 9.006
}
