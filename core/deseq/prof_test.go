package deseq

import "testing"

func BenchmarkProf(b *testing.B) {
	g := timepoints(285)
	cm := simCounts(2000, g, nil, 1)
	X, cols := groupDesign(g)
	benchRun(b, cm, X, cols)
}
