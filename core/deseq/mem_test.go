package deseq

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"reflect"
	"testing"
)

// TestMemDigest prints a digest of every slice field of the Fit (Cook's
// distances included) and of the results, for ~ timepoint with and without
// all-zero genes and for the paired design (DESEQ_DIGEST=1; a measurement
// aid for bit-identical changes to the stages' buffers).
func TestMemDigest(t *testing.T) {
	if os.Getenv("DESEQ_DIGEST") == "" {
		t.Skip("set DESEQ_DIGEST=1")
	}
	for _, c := range []struct {
		G, n   int
		paired bool
		test   Test
	}{{4000, 285, false, Wald}, {3000, 12, false, Wald}, {1500, 285, true, Wald}, {2000, 100, false, LRT}} {
		cm, X, cols, Xp, colsP := studySim(c.G, c.n)
		if c.paired {
			X, cols = Xp, colsP
		}
		opts := Options{Workers: 1, Test: c.test}
		if c.test == LRT {
			opts.Reduced, opts.ReducedColnames = X[:0:0], []string{"Intercept"}
			for j := 0; j < c.n; j++ {
				opts.Reduced = append(opts.Reduced, 1)
			}
		}
		fit, err := Run(cm, X, cols, opts)
		if err != nil {
			t.Fatal(err)
		}
		res, err := fit.Results(ResultsOptions{})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%dx%d paired=%v test=%v fit %s results %s", c.G, c.n, c.paired, c.test, digestSlices(fit), digestSlices(res))
	}
}

// digestSlices hashes the bits of every []float64, []int and []bool field of
// the struct *v in field order.
func digestSlices(v any) string {
	h := sha256.New()
	rv := reflect.ValueOf(v).Elem()
	for i := 0; i < rv.NumField(); i++ {
		f := rv.Field(i)
		switch f.Kind() {
		case reflect.Slice:
			switch f.Type().Elem().Kind() {
			case reflect.Float64:
				for j := 0; j < f.Len(); j++ {
					binary.Write(h, binary.LittleEndian, math.Float64bits(f.Index(j).Float()))
				}
			case reflect.Int:
				for j := 0; j < f.Len(); j++ {
					binary.Write(h, binary.LittleEndian, f.Index(j).Int())
				}
			case reflect.Bool:
				for j := 0; j < f.Len(); j++ {
					binary.Write(h, binary.LittleEndian, f.Index(j).Bool())
				}
			}
			binary.Write(h, binary.LittleEndian, int64(f.Len()))
		}
	}
	return fmt.Sprintf("%x", h.Sum(nil))[:16]
}
