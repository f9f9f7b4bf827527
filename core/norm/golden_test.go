package norm

import (
	"bufio"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/her2het/her2het/core/dataset"
)

// Golden files come from testdata/gen/make_goldens.R (R 4.2.2, edgeR 3.40.2,
// DESeq2 1.38.3, limma 3.54.1, sva 3.46.0).

func parseNum(t testing.TB, s string) float64 {
	t.Helper()
	if s == "NA" {
		return math.NaN()
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("bad number %q: %v", s, err)
	}
	return v
}

// readTSV reads a "gene<TAB>sample..." matrix file.
func readTSV(t testing.TB, name string, kind dataset.Kind) *dataset.Matrix {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<20)
	var m *dataset.Matrix
	for {
		line, err := r.ReadString('\n')
		line = strings.TrimRight(line, "\r\n")
		if line != "" {
			fields := strings.Split(line, "\t")
			if m == nil {
				m = &dataset.Matrix{Kind: kind, Samples: fields[1:]}
			} else {
				m.Genes = append(m.Genes, fields[0])
				for _, s := range fields[1:] {
					m.Data = append(m.Data, parseNum(t, s))
				}
			}
		}
		if err != nil {
			break
		}
	}
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	return m
}

var goldenValues map[string][]string

// value returns the fields of key in testdata/values.tsv.
func values(t testing.TB, key string) []string {
	t.Helper()
	if goldenValues == nil {
		b, err := os.ReadFile(filepath.Join("testdata", "values.tsv"))
		if err != nil {
			t.Fatal(err)
		}
		goldenValues = map[string][]string{}
		for _, line := range strings.Split(string(b), "\n") {
			if line == "" {
				continue
			}
			f := strings.Split(line, "\t")
			goldenValues[f[0]] = f[1:]
		}
	}
	v, ok := goldenValues[key]
	if !ok {
		t.Fatalf("golden key %q missing", key)
	}
	return v
}

func valuesF(t testing.TB, key string) []float64 {
	t.Helper()
	s := values(t, key)
	out := make([]float64, len(s))
	for i, x := range s {
		out[i] = parseNum(t, x)
	}
	return out
}

func valuesB(t testing.TB, key string) []bool {
	t.Helper()
	s := values(t, key)
	out := make([]bool, len(s))
	for i, x := range s {
		out[i] = x == "1"
	}
	return out
}

// closeRel reports whether got equals want within rel (relative) or abs (absolute)
// tolerance; NaN matches NaN, infinities must be equal.
func closeRel(got, want, rel, abs float64) bool {
	if math.IsNaN(want) || math.IsNaN(got) {
		return math.IsNaN(want) && math.IsNaN(got)
	}
	if math.IsInf(want, 0) || math.IsInf(got, 0) {
		return got == want
	}
	d := math.Abs(got - want)
	return d <= abs || d <= rel*math.Abs(want)
}

func compareVec(t *testing.T, what string, got, want []float64, rel, abs float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: length %d, want %d", what, len(got), len(want))
	}
	bad := 0
	for i := range got {
		if !closeRel(got[i], want[i], rel, abs) {
			if bad < 5 {
				t.Errorf("%s[%d] = %.17g, want %.17g (rel %.3g)", what, i, got[i], want[i], math.Abs(got[i]-want[i])/math.Abs(want[i]))
			}
			bad++
		}
	}
	if bad > 0 {
		t.Errorf("%s: %d of %d values outside rel %g / abs %g", what, bad, len(got), rel, abs)
	}
}

// compareMat compares the rows of want (a subset of genes) with the same genes of got.
func compareMat(t *testing.T, what string, got, want *dataset.Matrix, rel, abs float64) {
	t.Helper()
	if got.Cols() != want.Cols() {
		t.Fatalf("%s: %d samples, want %d", what, got.Cols(), want.Cols())
	}
	idx := map[string]int{}
	for i, g := range got.Genes {
		idx[g] = i
	}
	n := want.Cols()
	bad := 0
	var worst float64
	for i, g := range want.Genes {
		gi, ok := idx[g]
		if !ok {
			t.Fatalf("%s: gene %s missing", what, g)
		}
		for j := 0; j < n; j++ {
			a, b := got.At(gi, j), want.At(i, j)
			if !closeRel(a, b, rel, abs) {
				if bad < 5 {
					t.Errorf("%s[%s,%s] = %.17g, want %.17g", what, g, want.Samples[j], a, b)
				}
				bad++
			} else if b != 0 && !math.IsNaN(b) && !math.IsInf(b, 0) {
				if r := math.Abs(a-b) / math.Abs(b); r > worst {
					worst = r
				}
			}
		}
	}
	if bad > 0 {
		t.Errorf("%s: %d values outside rel %g / abs %g", what, bad, rel, abs)
	}
	t.Logf("%s: worst relative difference %.3g", what, worst)
}

func counts(t testing.TB, name string) *dataset.Matrix {
	return readTSV(t, "counts_"+name+".tsv", dataset.Counts)
}
