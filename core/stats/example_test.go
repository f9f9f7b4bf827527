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
