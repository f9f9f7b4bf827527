package geneset

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

// readTable reads a tab-separated table with a header of column names and row
// names in the first column (testdata format); "NA" is NaN.
func readTable(t testing.TB, path string) (rows, cols []string, data []float64) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	first := true
	for sc.Scan() {
		fields := strings.Split(sc.Text(), "\t")
		if first {
			cols = fields[1:]
			first = false
			continue
		}
		rows = append(rows, fields[0])
		for _, s := range fields[1:] {
			s = strings.TrimSpace(s)
			if s == "NA" {
				data = append(data, math.NaN())
				continue
			}
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			data = append(data, v)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows, cols, data
}

func readMatrix(t testing.TB, path string) *dataset.Matrix {
	g, s, d := readTable(t, path)
	m := &dataset.Matrix{Kind: dataset.Expression, Genes: g, Samples: s, Data: d}
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	return m
}

func readSets(t testing.TB, path string) []Set {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sets, err := ReadGMT(filepath.Base(path), f)
	if err != nil {
		t.Fatal(err)
	}
	return sets
}

// TestGoldenGSVA compares every method with GSVA 1.46.0 on R 4.2.2
// (testdata/gen/gsva.R). Tolerance: abs 1e-8 (issue 5); PLAGE up to sign.
func TestGoldenGSVA(t *testing.T) {
	expr := readMatrix(t, "testdata/expr.tsv")
	counts := readMatrix(t, "testdata/counts.tsv")
	counts.Kind = dataset.Counts
	sets := readSets(t, "testdata/sets.gmt")
	with := func(m Method, f func(*Options)) Options {
		o := DefaultOptions(m)
		if f != nil {
			f(&o)
		}
		return o
	}
	tests := []struct {
		name   string
		file   string
		m      *dataset.Matrix
		opt    Options
		upSign bool
	}{
		{"gsva gaussian mx.diff", "gsva_gaussian.tsv", expr, with(GSVA, nil), false},
		{"gsva gaussian no mx.diff", "gsva_gaussian_nomxdiff.tsv", expr, with(GSVA, func(o *Options) { o.MaxDiff = false }), false},
		{"gsva gaussian abs.ranking", "gsva_gaussian_absrank.tsv", expr, with(GSVA, func(o *Options) { o.AbsRanking = true }), false},
		{"gsva gaussian tau 0.5 size 5-100", "gsva_gaussian_tau05_5_100.tsv", expr, with(GSVA, func(o *Options) { o.Tau = 0.5; o.MinSize = 5; o.MaxSize = 100 }), false},
		{"gsva ecdf (kcdf none)", "gsva_ecdf.tsv", expr, with(GSVA, func(o *Options) { o.Kernel = ECDF }), false},
		{"gsva poisson mx.diff", "gsva_poisson.tsv", counts, with(GSVA, func(o *Options) { o.Kernel = Poisson }), false},
		{"gsva poisson no mx.diff", "gsva_poisson_nomxdiff.tsv", counts, with(GSVA, func(o *Options) { o.Kernel = Poisson; o.MaxDiff = false }), false},
		{"ssgsea norm", "ssgsea.tsv", expr, with(SSGSEA, nil), false},
		{"ssgsea no norm", "ssgsea_nonorm.tsv", expr, with(SSGSEA, func(o *Options) { o.Normalize = false }), false},
		{"zscore", "zscore.tsv", expr, with(ZScore, nil), false},
		{"plage", "plage.tsv", expr, with(PLAGE, func(o *Options) { o.MinSize = 2 }), true},
	}
	const tol = 1e-8
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantSets, wantSamples, want := readTable(t, filepath.Join("testdata", tc.file))
			for _, workers := range []int{1, 3} {
				tc.opt.Workers = workers
				got, err := Score(tc.m, sets, tc.opt)
				if err != nil {
					t.Fatal(err)
				}
				if strings.Join(got.Matrix.Genes, ",") != strings.Join(wantSets, ",") {
					t.Fatalf("sets %v, want %v", got.Matrix.Genes, wantSets)
				}
				if strings.Join(got.Matrix.Samples, ",") != strings.Join(wantSamples, ",") {
					t.Fatalf("samples %v", got.Matrix.Samples)
				}
				n := len(wantSamples)
				worst := 0.0
				for i := range wantSets {
					sign := 1.0
					if tc.upSign && got.Matrix.At(i, 0)*want[i*n] < 0 {
						sign = -1
					}
					for j := 0; j < n; j++ {
						d := math.Abs(sign*got.Matrix.At(i, j) - want[i*n+j])
						if math.IsNaN(d) && !(math.IsNaN(got.Matrix.At(i, j)) && math.IsNaN(want[i*n+j])) {
							d = math.Inf(1)
						}
						if d > worst {
							worst = d
						}
						if d > tol {
							t.Errorf("workers %d: %s %s: got %.17g want %.17g (diff %.3g)", workers, wantSets[i], wantSamples[j], sign*got.Matrix.At(i, j), want[i*n+j], d)
						}
					}
				}
				if workers == 1 {
					t.Logf("max abs diff %.3g", worst)
				}
			}
		})
	}
}

// TestGoldenGSVAWide compares GSVA Gaussian and ssGSEA with GSVA 1.46.0 on
// 160 genes x 64 samples of log2(count+1) with many exact ties
// (testdata/gen/gsva_wide.R), for one worker and a pool of three.
// Tolerance: abs 1e-8 (issue 5); the log reports the largest difference.
func TestGoldenGSVAWide(t *testing.T) {
	expr := readMatrix(t, "testdata/wide_expr.tsv")
	sets := readSets(t, "testdata/wide_sets.gmt")
	for _, tc := range []struct {
		file string
		m    Method
	}{{"wide_gsva_gaussian.tsv", GSVA}, {"wide_ssgsea.tsv", SSGSEA}} {
		wantSets, _, want := readTable(t, filepath.Join("testdata", tc.file))
		for _, workers := range []int{1, 3} {
			opt := DefaultOptions(tc.m)
			opt.Workers = workers
			got, err := Score(expr, sets, opt)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got.Matrix.Genes, ",") != strings.Join(wantSets, ",") {
				t.Fatalf("%s: sets %v, want %v", tc.file, got.Matrix.Genes, wantSets)
			}
			worst := 0.0
			for i, w := range want {
				d := math.Abs(got.Matrix.Data[i] - w)
				if !(d <= 1e-8) {
					t.Fatalf("%s workers %d: value %d = %.17g, want %.17g", tc.file, workers, i, got.Matrix.Data[i], w)
				}
				worst = math.Max(worst, d)
			}
			if workers == 1 {
				t.Logf("%s: max abs diff %.3g", tc.file, worst)
			}
		}
	}
}
