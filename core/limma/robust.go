package limma

import "errors"

// RobustFit is the value of FitFDistRobustly.
type RobustFit struct {
	Scale     []float64
	Df2       float64
	Df2Shrunk []float64
}

// FitFDistRobustly is limma's fitFDistRobustly (robust = TRUE in eBayes).
// Not yet implemented: it returns an error.
func FitFDistRobustly(x, df1, covariate []float64, winsorTailP [2]float64) (*RobustFit, error) {
	return nil, errors.New("limma: robust eBayes (fitFDistRobustly) is not implemented yet")
}
