package norm

import (
	"fmt"
	"testing"

	"github.com/her2het/her2het/core/dataset"
)

// fuzzMatrix builds a small genes x samples count matrix from bytes.
func fuzzMatrix(data []byte, ng, ns int) *dataset.Matrix {
	g := make([]string, ng)
	s := make([]string, ns)
	for i := range g {
		g[i] = fmt.Sprint("g", i)
	}
	for j := range s {
		s[j] = fmt.Sprint("s", j)
	}
	m := dataset.NewMatrix(dataset.Counts, g, s)
	for i := range m.Data {
		if len(data) > 0 {
			m.Data[i] = float64(data[i%len(data)] % 17)
			if data[i%len(data)]&0x80 != 0 {
				m.Data[i] *= 97
			}
		}
	}
	return m
}

// FuzzNormalise checks that no function panics on any small count matrix; errors
// and NaN are allowed.
func FuzzNormalise(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9}, uint8(3), uint8(3))
	f.Add([]byte{0, 0, 0, 0}, uint8(2), uint8(2))
	f.Add([]byte{0x81, 0, 3, 0, 0, 200, 7}, uint8(7), uint8(4))
	f.Fuzz(func(t *testing.T, data []byte, ngb, nsb uint8) {
		ng, ns := int(ngb%12)+1, int(nsb%6)+1
		m := fuzzMatrix(data, ng, ns)
		for _, meth := range []Method{TMM, TMMwsp, RLE, UpperQuartile, NoNorm} {
			NormFactors(m, NormOptions{Method: meth})
		}
		LogCPM(m, nil, 2)
		CPM(m, nil)
		FilterByExpr(m, FilterOptions{})
		sf, err := SizeFactors(m, SizeFactorOptions{Type: PosCounts})
		if err == nil {
			ok := true
			for _, v := range sf {
				if !(v > 0) {
					ok = false
				}
			}
			if ok {
				VST(m, sf, DispersionFit{Type: Mean, MeanDisp: 0.1})
				VST(m, sf, DispersionFit{Type: Local, Func: func(x float64) float64 { return 0.1 + 1/x }})
			}
		}
		batch := make([]string, ns)
		for j := range batch {
			batch[j] = fmt.Sprint(j % 2)
		}
		l, err := LogCPM(m, nil, 1)
		if err == nil {
			ComBat(l, batch, ComBatOptions{})
			RemoveBatchEffect(l, BatchOptions{Batch: batch})
		}
	})
}
