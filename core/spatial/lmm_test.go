package spatial

import (
	"bufio"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

// readTSV reads a tab-separated golden file, skipping '#' lines.
func readTSV(t testing.TB, path string) (header []string, rows [][]string, comments []string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			comments = append(comments, line)
			continue
		}
		fields := strings.Split(line, "\t")
		if header == nil {
			header = fields
			continue
		}
		rows = append(rows, fields)
	}
	return header, rows, comments
}

func parseF(t testing.TB, s string) float64 {
	t.Helper()
	if s == "NA" {
		return math.NaN()
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestLMMAgainstLmerTest compares the REML fit, standard errors, Satterthwaite
// df and p-values with lmerTest::lmer (R 4.2.2, lme4 1.1-31, lmerTest 3.1-3;
// testdata/gen/lmm.R) on project-owned seeded data: abs <= 1e-6 on every
// estimate, SE, df, t and p (the tolerance), and on θ, σ and REMLcrit.
// The R script polishes θ to the criterion's optimum before lmerTest's code runs
// (at θ ≈ 16.5, case "bigtheta", the criterion is flat to 1e-13 over Δθ = 3e-6
// and R's optimisers stop at different θ); Fit's criterion must not be above R's.
func TestLMMAgainstLmerTest(t *testing.T) {
	for _, name := range []string{"balanced", "unbalanced", "interaction", "bigtheta", "singular", "widetheta"} {
		t.Run(name, func(t *testing.T) {
			h, rows, _ := readTSV(t, "testdata/lmm_"+name+"_data.tsv")
			var x [][]float64
			var y []float64
			var grp []string
			for _, r := range rows {
				row := []float64{1}
				for j := 1; j < len(h)-1; j++ {
					row = append(row, parseF(t, r[j]))
				}
				x = append(x, row)
				grp = append(grp, r[0])
				y = append(y, parseF(t, r[len(h)-1]))
			}
			m, err := NewLMM(x, grp)
			if err != nil {
				t.Fatal(err)
			}
			fit, err := m.Fit(y)
			if err != nil {
				t.Fatal(err)
			}
			_, want, com := readTSV(t, "testdata/lmm_"+name+"_fit.tsv")
			if len(want) != len(fit.Beta) {
				t.Fatalf("%d coefficients, want %d", len(fit.Beta), len(want))
			}
			const tol = 1e-6
			check := func(what string, got, exp float64) {
				t.Helper()
				if math.Abs(got-exp) > tol {
					t.Errorf("%s = %.12g, want %.12g (diff %.3g)", what, got, exp, got-exp)
				}
			}
			// "# formula: ...; theta T sigma S REML R"
			f := strings.Fields(com[0])
			for i := range f {
				switch f[i] {
				case "theta":
					check("theta", fit.Theta, parseF(t, f[i+1]))
				case "sigma":
					check("sigma", fit.Sigma, parseF(t, f[i+1]))
				case "REML":
					r := parseF(t, f[i+1])
					check("REML", fit.REML, r)
					if fit.REML > r+1e-11 {
						t.Errorf("REML criterion %.17g above R's %.17g: not the optimum", fit.REML, r)
					}
				}
			}
			for j, r := range want {
				check(r[0]+" estimate", fit.Beta[j], parseF(t, r[1]))
				check(r[0]+" se", fit.SE[j], parseF(t, r[2]))
				check(r[0]+" df", fit.DF[j], parseF(t, r[3]))
				check(r[0]+" t", fit.T[j], parseF(t, r[4]))
				check(r[0]+" p", fit.P[j], parseF(t, r[5]))
			}
		})
	}
}

// TestLMMContrast compares Contrast with lmerTest::contest(fit, L, joint =
// FALSE) for L = het + 0.5 rh on the "interaction" case: abs <= 1e-6.
func TestLMMContrast(t *testing.T) {
	h, rows, _ := readTSV(t, "testdata/lmm_interaction_data.tsv")
	var x [][]float64
	var y []float64
	var grp []string
	for _, r := range rows {
		row := []float64{1}
		for j := 1; j < len(h)-1; j++ {
			row = append(row, parseF(t, r[j]))
		}
		x = append(x, row)
		grp = append(grp, r[0])
		y = append(y, parseF(t, r[len(h)-1]))
	}
	m, err := NewLMM(x, grp)
	if err != nil {
		t.Fatal(err)
	}
	fit, err := m.Fit(y)
	if err != nil {
		t.Fatal(err)
	}
	c := fit.Contrast([]float64{0, 0, 0, 1, 0.5})
	_, want, _ := readTSV(t, "testdata/lmm_interaction_contrast.tsv")
	got := []float64{c.Estimate, c.SE, c.DF, c.T, c.P}
	for j, name := range []string{"estimate", "se", "df", "t", "p"} {
		if w := parseF(t, want[0][j]); math.Abs(got[j]-w) > 1e-6 {
			t.Errorf("%s = %.12g, want %.12g", name, got[j], w)
		}
	}
	if c := fit.Contrast([]float64{1}); !math.IsNaN(c.P) {
		t.Errorf("wrong-length contrast gives %+v", c)
	}
}

// TestLMMErrors: designs and responses the model cannot fit give errors, not panics.
func TestLMMErrors(t *testing.T) {
	x := [][]float64{{1, 0}, {1, 1}, {1, 0}, {1, 1}}
	for _, c := range []struct {
		name string
		x    [][]float64
		g    []string
	}{
		{"one group", x, []string{"a", "a", "a", "a"}},
		{"a group per observation", x, []string{"a", "b", "c", "d"}},
		{"rank deficient", [][]float64{{1, 1}, {1, 1}, {1, 1}, {1, 1}}, []string{"a", "a", "b", "b"}},
		{"ragged", [][]float64{{1, 0}, {1}, {1, 0}, {1, 1}}, []string{"a", "a", "b", "b"}},
		{"lengths", x, []string{"a", "b"}},
		{"NaN design", [][]float64{{1, 0}, {1, math.NaN()}, {1, 0}, {1, 1}}, []string{"a", "a", "b", "b"}},
		{"empty", nil, nil},
	} {
		if _, err := NewLMM(c.x, c.g); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
	m, err := NewLMM(x, []string{"a", "a", "b", "b"})
	if err != nil {
		t.Fatal(err)
	}
	for name, y := range map[string][]float64{
		"constant": {2, 2, 2, 2}, "exact fit": {1, 2, 1, 2}, "NaN": {1, math.NaN(), 2, 3}, "short": {1, 2},
	} {
		if _, err := m.Fit(y); err == nil {
			t.Errorf("%s response: no error", name)
		}
	}
}

func loadLMMCase(t *testing.T, name string) ([][]float64, []string, []float64) {
	t.Helper()
	h, rows, _ := readTSV(t, "testdata/lmm_"+name+"_data.tsv")
	var x [][]float64
	var y []float64
	var grp []string
	for _, r := range rows {
		row := []float64{1}
		for j := 1; j < len(h)-1; j++ {
			row = append(row, parseF(t, r[j]))
		}
		x = append(x, row)
		grp = append(grp, r[0])
		y = append(y, parseF(t, r[len(h)-1]))
	}
	return x, grp, y
}

// TestLMMInvariance: θ, df and p do not change when y is scaled and shifted
// (estimates and SEs scale), and the golden-section fallback finds the same
// optimum as the derivative root.
func TestLMMInvariance(t *testing.T) {
	x, g, y := loadLMMCase(t, "unbalanced")
	m, err := NewLMM(x, g)
	if err != nil {
		t.Fatal(err)
	}
	f0, err := m.Fit(y)
	if err != nil {
		t.Fatal(err)
	}
	y2 := make([]float64, len(y))
	for i, v := range y {
		y2[i] = 1000*v - 7
	}
	f1, err := m.Fit(y2)
	if err != nil {
		t.Fatal(err)
	}
	if !near(f1.Theta, f0.Theta, 1e-9) || !near(f1.Sigma, 1000*f0.Sigma, 1e-9) {
		t.Errorf("theta %v vs %v, sigma %v vs %v", f1.Theta, f0.Theta, f1.Sigma, f0.Sigma)
	}
	for j := 1; j < len(f0.Beta); j++ {
		if !near(f1.Beta[j], 1000*f0.Beta[j], 1e-9) || !near(f1.DF[j], f0.DF[j], 1e-8) || !near(f1.P[j], f0.P[j], 1e-8) {
			t.Errorf("coefficient %d: %v %v %v vs %v %v %v", j, f1.Beta[j], f1.DF[j], f1.P[j], f0.Beta[j], f0.DF[j], f0.P[j])
		}
	}
	xty := make([]float64, m.p)
	for i, v := range y {
		for j := 0; j < m.p; j++ {
			xty[j] += m.x[i*m.p+j] * v
		}
	}
	st := newState(m.p, len(m.size))
	if s := m.goldenTheta(y, xty, st, 1, 4); !near(math.Sqrt(s), f0.Theta, 1e-6) {
		t.Errorf("golden section θ %v, derivative root %v", math.Sqrt(s), f0.Theta)
	}
}
