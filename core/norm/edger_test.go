package norm

import (
	"math"
	"testing"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/fmath"
)

func TestNormFactorsGolden(t *testing.T) {
	const rel = 1e-10 // issue 4: TMM factors rel <= 1e-10
	A := counts(t, "A")
	libA := valuesF(t, "A.libsize.custom")
	cases := []struct {
		data, key string
		opt       NormOptions
	}{
		{"A", "A.nf.TMM", NormOptions{Method: TMM}},
		{"B", "B.nf.TMM", NormOptions{Method: TMM}},
		{"D", "D.nf.TMM", NormOptions{Method: TMM}},
		{"E", "E.nf.TMM", NormOptions{Method: TMM}},
		{"A", "A.nf.TMMwsp", NormOptions{Method: TMMwsp}},
		{"B", "B.nf.TMMwsp", NormOptions{Method: TMMwsp}},
		{"D", "D.nf.TMMwsp", NormOptions{Method: TMMwsp}},
		{"E", "E.nf.TMMwsp", NormOptions{Method: TMMwsp}},
		{"A", "A.nf.RLE", NormOptions{Method: RLE}},
		{"B", "B.nf.RLE", NormOptions{Method: RLE}},
		{"D", "D.nf.RLE", NormOptions{Method: RLE}},
		{"E", "E.nf.RLE", NormOptions{Method: RLE}},
		{"A", "A.nf.upperquartile", NormOptions{Method: UpperQuartile}},
		{"B", "B.nf.upperquartile", NormOptions{Method: UpperQuartile}},
		{"D", "D.nf.upperquartile", NormOptions{Method: UpperQuartile}},
		{"E", "E.nf.upperquartile", NormOptions{Method: UpperQuartile}},
		{"A", "A.nf.uq.p50", NormOptions{Method: UpperQuartile, P: 0.5}},
		{"A", "A.nf.TMM.noweight", NormOptions{Method: TMM, NoWeighting: true}},
		{"A", "A.nf.TMM.ref2", NormOptions{Method: TMM, RefColumn: 2}},
		{"A", "A.nf.TMM.trim", NormOptions{Method: TMM, LogratioTrim: 0.2, SumTrim: 0.1, Acutoff: -15}},
		{"A", "A.nf.TMM.customlib", NormOptions{Method: TMM, LibSize: libA}},
		{"A", "A.nf.TMMwsp.customlib", NormOptions{Method: TMMwsp, LibSize: libA}},
	}
	for _, c := range cases {
		t.Run(c.key, func(t *testing.T) {
			m := A
			if c.data != "A" {
				m = counts(t, c.data)
			}
			got, err := NormFactors(m, c.opt)
			if err != nil {
				t.Fatal(err)
			}
			compareVec(t, c.key, got, valuesF(t, c.key), rel, 0)
		})
	}
}

// Property: TMM factors multiply to one and scaling a sample's counts does not move
// the factors of a sample whose library size scales with it.
func TestNormFactorsProperties(t *testing.T) {
	A := counts(t, "A")
	f, err := NormFactors(A, NormOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var s float64
	for _, v := range f {
		s += math.Log(v)
	}
	if math.Abs(s) > 1e-12 {
		t.Errorf("sum log factors = %g, want 0", s)
	}
	// Identical samples give factor 1 each.
	B := counts(t, "B")
	one := B.SubsetCols([]int{0, 0, 0})
	f1, err := NormFactors(one, NormOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for j, v := range f1 {
		if v != 1 {
			t.Errorf("identical samples: factor %d = %v, want 1", j, v)
		}
	}
	// One sample or all-zero matrix: factors 1.
	f2, _ := NormFactors(B.SubsetCols([]int{2}), NormOptions{})
	if len(f2) != 1 || f2[0] != 1 {
		t.Errorf("single sample factors %v", f2)
	}
}

func TestNormFactorsWorkersBitwise(t *testing.T) {
	A := counts(t, "A")
	for _, m := range []Method{TMM, TMMwsp} {
		f1, err := NormFactors(A, NormOptions{Method: m})
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range []int{2, 3, 8, 20} {
			fw, err := NormFactors(A, NormOptions{Method: m, Workers: w})
			if err != nil {
				t.Fatal(err)
			}
			for j := range f1 {
				if math.Float64bits(f1[j]) != math.Float64bits(fw[j]) {
					t.Errorf("%v workers %d: factor %d differs: %v vs %v", m, w, j, fw[j], f1[j])
				}
			}
		}
	}
}

func TestNormFactorsErrors(t *testing.T) {
	B := counts(t, "B")
	bad := B.SubsetRows([]int{10, 11, 12})
	bad.Data[4] = -1
	if _, err := NormFactors(bad, NormOptions{}); err == nil {
		t.Error("negative count accepted")
	}
	bad.Data[4] = math.NaN()
	if _, err := NormFactors(bad, NormOptions{}); err == nil {
		t.Error("NA count accepted")
	}
	if _, err := NormFactors(B, NormOptions{LibSize: []float64{1, 2}}); err == nil {
		t.Error("short lib.size accepted")
	}
	if _, err := NormFactors(B, NormOptions{RefColumn: 9}); err == nil {
		t.Error("reference column 9 of 4 accepted")
	}
	if _, err := ParseMethod("tmmwsp"); err != nil {
		t.Error(err)
	}
	if _, err := ParseMethod("quantile"); err == nil {
		t.Error("unknown method accepted")
	}
}

func TestCPMGolden(t *testing.T) {
	A := counts(t, "A")
	B := counts(t, "B")
	lib := colSums(A)
	nf, err := NormFactors(A, NormOptions{})
	if err != nil {
		t.Fatal(err)
	}
	eff := EffectiveLibSizes(lib, nf)
	length := valuesF(t, "A.length")
	const rel = 1e-13
	cases := []struct {
		file string
		run  func() (*dataset.Matrix, error)
	}{
		{"A_cpm_tmm.tsv", func() (*dataset.Matrix, error) { return CPM(A, eff) }},
		{"A_logcpm_tmm.tsv", func() (*dataset.Matrix, error) { return LogCPM(A, eff, 2) }},
		{"A_logcpm_raw_p05.tsv", func() (*dataset.Matrix, error) { return LogCPM(A, nil, 0.5) }},
		{"B_logcpm_raw.tsv", func() (*dataset.Matrix, error) { return LogCPM(B, nil, 2) }},
		{"A_fpkm_tmm.tsv", func() (*dataset.Matrix, error) { return FPKM(A, eff, length) }},
		{"A_logfpkm_raw.tsv", func() (*dataset.Matrix, error) { return LogFPKM(A, nil, length, 2) }},
		{"A_tpm.tsv", func() (*dataset.Matrix, error) { return TPM(A, length) }},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			got, err := c.run()
			if err != nil {
				t.Fatal(err)
			}
			compareMat(t, c.file, got, readTSV(t, c.file, dataset.Expression), rel, 1e-13)
		})
	}
}

// LogCPM (per-sample tables for whole counts below logCPMTab, blocks of
// samples) equals the element-wise formula bit for bit: whole counts
// below and above the table, non-whole counts, zeros with prior 0, more
// samples than a block.
func TestLogCPMTableBitwise(t *testing.T) {
	m := simCounts(500, 2*logCPMBlock+5, 17)
	for i := range m.Data {
		switch (i + i/m.Cols()) % 7 {
		case 1:
			m.Data[i] *= 41 // beyond the table
		case 2:
			m.Data[i] += 0.25
		case 3:
			m.Data[i] = 0
		}
	}
	n := m.Cols()
	for _, prior := range []float64{2, 0.5, 0} {
		got, err := LogCPM(m, nil, prior)
		if err != nil {
			t.Fatal(err)
		}
		lib := colSums(m)
		p, off := priorOffsets(lib, prior)
		for i, v := range m.Data {
			j := i % n
			want := math.NaN()
			if v+p[j] > 0 {
				want = (fmath.Log(v+p[j]) - off[j] + fmath.Log(1e6)) / fmath.Log(2)
			}
			if math.Float64bits(got.Data[i]) != math.Float64bits(want) && !(math.IsNaN(want) && math.IsNaN(got.Data[i])) {
				t.Fatalf("prior %v, value %d (%v): %v, want %v", prior, i, v, got.Data[i], want)
			}
		}
	}
}

// LogCPMInPlace gives LogCPM's values bit for bit over the counts it is given
// (with and without library sizes, the table's blocks and beyond), sets the
// kind, and leaves the matrix unchanged on an error.
func TestLogCPMInPlace(t *testing.T) {
	base := simCounts(300, 2*logCPMBlock+3, 5)
	for i := range base.Data {
		if i%5 == 1 {
			base.Data[i] = base.Data[i]*37 + 0.5
		}
	}
	eff := colSums(base)
	for j := range eff {
		eff[j] *= 0.9 + 0.01*float64(j%20)
	}
	for _, tc := range []struct {
		name  string
		lib   []float64
		prior float64
	}{{"column sums", nil, 2}, {"library sizes", eff, 2}, {"prior 0.5", eff, 0.5}, {"prior 0", nil, 0}} {
		t.Run(tc.name, func(t *testing.T) {
			want, err := LogCPM(base, tc.lib, tc.prior)
			if err != nil {
				t.Fatal(err)
			}
			m := &dataset.Matrix{Kind: base.Kind, Genes: base.Genes, Samples: base.Samples, Data: append([]float64(nil), base.Data...)}
			if err := LogCPMInPlace(m, tc.lib, tc.prior); err != nil {
				t.Fatal(err)
			}
			if m.Kind != dataset.Expression {
				t.Errorf("kind %v, want Expression", m.Kind)
			}
			for i := range m.Data {
				if math.Float64bits(m.Data[i]) != math.Float64bits(want.Data[i]) {
					t.Fatalf("value %d: %v in place, %v by LogCPM", i, m.Data[i], want.Data[i])
				}
			}
		})
	}
	m := &dataset.Matrix{Kind: base.Kind, Genes: base.Genes, Samples: base.Samples, Data: append([]float64(nil), base.Data...)}
	if err := LogCPMInPlace(m, nil, -1); err == nil {
		t.Fatal("a negative prior: no error")
	}
	for i := range m.Data {
		if m.Data[i] != base.Data[i] || m.Kind != base.Kind {
			t.Fatalf("after an error value %d is %v (was %v), kind %v", i, m.Data[i], base.Data[i], m.Kind)
		}
	}
}

// scanRow tells positive and invalid values apart on their bits.
func TestScanRow(t *testing.T) {
	cases := []struct {
		row      []float64
		pos, bad bool
	}{
		{[]float64{0, 0}, false, false},
		{[]float64{math.Copysign(0, -1), 0}, false, false},
		{[]float64{0, 5e-324}, true, false},
		{[]float64{3, 0}, true, false},
		{[]float64{math.MaxFloat64}, true, false},
		{[]float64{1, -1}, true, true},
		{[]float64{0, -5e-324}, false, true},
		{[]float64{math.Inf(1)}, true, true},
		{[]float64{math.Inf(-1)}, false, true},
		{[]float64{0, math.NaN()}, false, true},
		{[]float64{0, math.Float64frombits(0xFFF8000000000001)}, false, true},
	}
	for _, c := range cases {
		pos, bad := scanRow(c.row, make([]float64, len(c.row)))
		if bad != c.bad || (!bad && pos != c.pos) {
			t.Errorf("%v: pos %v bad %v, want %v %v", c.row, pos, bad, c.pos, c.bad)
		}
	}
}
