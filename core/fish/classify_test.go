package fish

import (
	"math"
	"testing"
)

func TestGroup2018Boundaries(t *testing.T) {
	g := DefaultGuideline()
	nan := math.NaN()
	tests := []struct {
		name         string
		erbb2, ratio float64
		want         int
		want2013     Category
	}{
		{"ratio exactly 2.0, ERBB2 exactly 4.0", 4.0, 2.0, 1, CategoryPositive},
		{"ratio exactly 2.0, ERBB2 just below 4", math.Nextafter(4, 0), 2.0, 2, CategoryPositive},
		{"ratio just below 2, ERBB2 exactly 6.0", 6.0, math.Nextafter(2, 0), 3, CategoryPositive},
		{"ratio just below 2, ERBB2 just below 6", math.Nextafter(6, 0), math.Nextafter(2, 0), 4, CategoryEquivocal},
		{"ratio below 2, ERBB2 exactly 4.0", 4.0, 1.5, 4, CategoryEquivocal},
		{"ratio below 2, ERBB2 just below 4", math.Nextafter(4, 0), 1.5, 5, CategoryNegative},
		{"ratio 2.2 ERBB2 10", 10, 2.2, 1, CategoryPositive},
		{"ratio 0 (no ERBB2 in ratio cells)", 0, 0, 5, CategoryNegative},
		{"ratio NaN: no group, 2013 single-probe >= 6", 6, nan, 0, CategoryPositive},
		{"ratio NaN: 2013 single-probe equivocal", 5, nan, 0, CategoryEquivocal},
		{"ratio NaN: 2013 single-probe negative", 3, nan, 0, CategoryNegative},
		{"ERBB2 NaN", nan, 2.5, 0, CategoryNA},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := g.Group2018(tc.erbb2, tc.ratio); got != tc.want {
				t.Errorf("Group2018(%v, %v) = %d, want %d", tc.erbb2, tc.ratio, got, tc.want)
			}
			if got := g.Category2013(tc.erbb2, tc.ratio); got != tc.want2013 {
				t.Errorf("Category2013(%v, %v) = %v, want %v", tc.erbb2, tc.ratio, got, tc.want2013)
			}
		})
	}
}

func TestStatus2018(t *testing.T) {
	P, N, Q, X := StatusPositive, StatusNegative, StatusIHCNeeded, StatusNA
	// rows: group 0..5; columns: IHC unknown, 0, 1+, 2+, 3+
	want := [6][5]Status{
		{X, X, X, X, X},
		{P, P, P, P, P},
		{Q, N, N, N, P},
		{Q, N, N, P, P},
		{Q, N, N, N, P},
		{N, N, N, N, N},
	}
	for g := 0; g <= 5; g++ {
		for j, ihc := range []IHC{IHCUnknown, 0, 1, 2, 3} {
			if got := Status2018(g, ihc); got != want[g][j] {
				t.Errorf("Status2018(group %d, IHC %v) = %v, want %v", g, ihc, got, want[g][j])
			}
		}
	}
}

func TestParseIHC(t *testing.T) {
	tests := []struct {
		in      string
		want    IHC
		wantErr bool
	}{
		{"0", 0, false}, {"1+", 1, false}, {"2", 2, false}, {"3+", 3, false}, {"+2", 2, false},
		{"IHC 3+", 3, false}, {"", IHCUnknown, false}, {"NA", IHCUnknown, false}, {"4+", IHCUnknown, true}, {"high", IHCUnknown, true},
	}
	for _, tc := range tests {
		got, err := ParseIHC(tc.in)
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Errorf("ParseIHC(%q) = %v, %v; want %v, error %v", tc.in, got, err, tc.want, tc.wantErr)
		}
	}
}

func TestParseCellRule(t *testing.T) {
	tests := []struct {
		in      string
		want    CellRule
		wantErr bool
	}{
		{"ratio>=2", RuleRatio2, false},
		{"ratio >= 2.0", RuleRatio2, false},
		{"ratio>2.2", RuleRatio22, false},
		{"erbb2>=6", RuleCopies6, false},
		{"HER2 >= 6", RuleCopies6, false},
		{"ratio=2", CellRule{}, true},
		{"ratio>=x", CellRule{}, true},
		{"ratio>=-1", CellRule{}, true},
		{"cep17>=2", CellRule{}, true},
	}
	for _, tc := range tests {
		got, err := ParseCellRule(tc.in)
		if (err != nil) != tc.wantErr || (!tc.wantErr && got != tc.want) {
			t.Errorf("ParseCellRule(%q) = %+v, %v; want %+v, error %v", tc.in, got, err, tc.want, tc.wantErr)
		}
		if !tc.wantErr {
			back, err := ParseCellRule(got.String())
			if err != nil || back != got {
				t.Errorf("round trip of %q via %q gave %+v, %v", tc.in, got.String(), back, err)
			}
		}
	}
}

// TestCellRuleBoundaries: per-cell amplification at ratio exactly 2.0 and 2.2 and
// ERBB2 exactly 6, from whole-number counts.
func TestCellRuleBoundaries(t *testing.T) {
	tests := []struct {
		name         string
		rule         CellRule
		erbb2, cep17 float64
		want         int8
	}{
		{"ratio>=2: 4/2 = 2.0 exactly", RuleRatio2, 4, 2, 1},
		{"ratio>=2: 2/1", RuleRatio2, 2, 1, 1},
		{"ratio>=2: 199/100 = 1.99", RuleRatio2, 199, 100, 0},
		{"ratio>=2: 3/2", RuleRatio2, 3, 2, 0},
		{"ratio>2.2: 11/5 = 2.2 exactly is not above", RuleRatio22, 11, 5, 0},
		{"ratio>2.2: 22/10 = 2.2 exactly is not above", RuleRatio22, 22, 10, 0},
		{"ratio>2.2: 221/100 = 2.21", RuleRatio22, 221, 100, 1},
		{"ratio>2.2: 12/5 = 2.4", RuleRatio22, 12, 5, 1},
		{"ratio>=2.2: 11/5 = 2.2 exactly", CellRule{Metric: MetricRatio, Threshold: 2.2}, 11, 5, 1},
		{"ratio>=2.2: 33/15 = 2.2 exactly", CellRule{Metric: MetricRatio, Threshold: 2.2}, 33, 15, 1},
		{"ratio rule: zero CEP17 is not evaluable", RuleRatio2, 10, 0, -1},
		{"ratio rule: no CEP17 count is not evaluable", RuleRatio2, 10, math.NaN(), -1},
		{"erbb2>=6: exactly 6", RuleCopies6, 6, 3, 1},
		{"erbb2>=6: 5", RuleCopies6, 5, 1, 0},
		{"erbb2>=6: zero CEP17 still evaluable", RuleCopies6, 7, 0, 1},
		{"erbb2>=4: exactly 4", CellRule{Metric: MetricCopies, Threshold: 4}, 4, 2, 1},
		{"erbb2>4: exactly 4 is not above", CellRule{Metric: MetricCopies, Threshold: 4, Strict: true}, 4, 2, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := DefaultOptions()
			o.Rule = tc.rule
			c := Cell{ERBB2: tc.erbb2, CEP17: tc.cep17}
			if got := o.classifyCell(&c).Amplified; got != tc.want {
				t.Errorf("amplified = %d, want %d", got, tc.want)
			}
		})
	}
}

func TestShannon(t *testing.T) {
	tests := []struct {
		name   string
		counts []int
		want   float64
	}{
		{"one class", []int{7, 0, 0, 0}, 0},
		{"two equal", []int{5, 5}, math.Ln2},
		{"four equal", []int{3, 3, 3, 3}, math.Log(4)},
		{"1:3", []int{1, 3}, -(0.25*math.Log(0.25) + 0.75*math.Log(0.75))},
		{"empty", []int{0, 0}, math.NaN()},
		{"nil", nil, math.NaN()},
	}
	for _, tc := range tests {
		got := Shannon(tc.counts)
		if math.IsNaN(tc.want) {
			if !math.IsNaN(got) {
				t.Errorf("%s: Shannon = %v, want NaN", tc.name, got)
			}
			continue
		}
		if math.Abs(got-tc.want) > 1e-15 || math.Signbit(got) {
			t.Errorf("%s: Shannon = %v, want %v (abs tol 1e-15)", tc.name, got, tc.want)
		}
	}
}

func TestClassLabelsAndBreaks(t *testing.T) {
	o := DefaultOptions()
	want := []string{"<4", "4-<6", "6-<10", ">=10"}
	got := o.ClassLabels()
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("ClassLabels = %v, want %v", got, want)
		}
	}
	for _, tc := range []struct {
		e    float64
		want int
	}{{0, 0}, {3, 0}, {math.Nextafter(4, 0), 0}, {4, 1}, {5, 1}, {6, 2}, {9, 2}, {10, 3}, {40, 3}} {
		if got := o.class(tc.e); got != tc.want {
			t.Errorf("class(%v) = %d, want %d", tc.e, got, tc.want)
		}
	}
	if cols := classColumns(want); cols[0] != "n_copies_lt4" || cols[1] != "n_copies_4_6" || cols[3] != "n_copies_ge10" {
		t.Errorf("classColumns = %v", cols)
	}
}

func TestOptionsValidate(t *testing.T) {
	bad := []func(*Options){
		func(o *Options) { o.MinNuclei = 0 },
		func(o *Options) { o.HetLow, o.HetHigh = 50, 5 },
		func(o *Options) { o.HetHigh = 101 },
		func(o *Options) { o.Rule.Threshold = math.NaN() },
		func(o *Options) { o.ClassBreaks = []float64{6, 4} },
		func(o *Options) { o.Guideline.CopiesLow = 7 },
		func(o *Options) { o.MinCEP17Detected = 1.5 },
		func(o *Options) { o.MinSites = -1 },
		func(o *Options) { o.ClassBreaks = make([]float64, 101) },
	}
	for i, f := range bad {
		o := DefaultOptions()
		f(&o)
		if o.Validate() == nil {
			t.Errorf("case %d: Validate accepted %+v", i, o)
		}
		if _, err := Summarise(nil, o); err == nil {
			t.Errorf("case %d: Summarise accepted invalid options", i)
		}
	}
	if err := DefaultOptions().Validate(); err != nil {
		t.Error(err)
	}
}
