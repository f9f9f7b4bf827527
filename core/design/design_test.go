package design

import (
	"bufio"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/her2het/her2het/core/dataset"
)

func readSheet(t testing.TB) *Frame {
	t.Helper()
	f, err := os.Open("testdata/sheet.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Scan()
	header := strings.Split(sc.Text(), "\t")
	fr := &Frame{Columns: map[string][]string{}}
	for sc.Scan() {
		fields := strings.Split(sc.Text(), "\t")
		fr.Samples = append(fr.Samples, fields[0])
		for k := 1; k < len(header); k++ {
			fr.Columns[header[k]] = append(fr.Columns[header[k]], fields[k])
		}
	}
	return fr
}

// readMM reads a model.matrix golden written by testdata/gen/design.R
// (R 4.2.2 stats::model.matrix).
func readMM(t *testing.T, path string) (formula string, cols []string, x []float64) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	formula = strings.TrimPrefix(lines[0], "# ")
	cols = strings.Split(lines[1], "\t")
	for _, l := range lines[2:] {
		for _, f := range strings.Split(l, "\t") {
			v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
			if err != nil {
				t.Fatal(err)
			}
			x = append(x, v)
		}
	}
	return
}

func TestModelMatrixMatchesR(t *testing.T) {
	fr := readSheet(t)
	paths, _ := filepath.Glob("testdata/mm_*.tsv")
	if len(paths) < 10 {
		t.Fatalf("only %d goldens", len(paths))
	}
	for _, p := range paths {
		formula, cols, want := readMM(t, p)
		t.Run(filepath.Base(p)+" "+formula, func(t *testing.T) {
			m, err := ModelMatrix(formula, fr)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(m.Columns, " ") != strings.Join(cols, " ") {
				t.Fatalf("columns\n got %v\nwant %v", m.Columns, cols)
			}
			if len(m.X) != len(want) {
				t.Fatalf("len %d want %d", len(m.X), len(want))
			}
			for i := range want {
				if math.Abs(m.X[i]-want[i]) > 1e-15 {
					t.Fatalf("X[%d] = %v want %v", i, m.X[i], want[i])
				}
			}
			// Property: Assign and Info agree with the columns.
			for j, info := range m.Info {
				if info.Name != m.Columns[j] || info.Term+1 != m.Assign[j] {
					t.Fatalf("column %d info %+v assign %d", j, info, m.Assign[j])
				}
			}
		})
	}
}

func TestParseFormula(t *testing.T) {
	cases := []struct {
		in, want string
	}{
		{"~ pCR", "~ pCR"},
		{"~HR+pCR", "~ HR + pCR"},
		{"~ 0 + group", "~ 0 + group"},
		{"~ group - 1", "~ 0 + group"},
		{"~ a*b", "~ a + b + a:b"},
		{"~ b:a + a", "~ a + b:a"},
		{"~ a*b - a:b", "~ a + b"},
		{"~ (a + b):c", "~ a:c + b:c"},
		{"~ `HER2 het` + x", "~ `HER2 het` + x"},
		{"pCR", "~ pCR"},
		{"~ 1", "~ 1"},
		{"~ a + a", "~ a"},
		{"~ factor(x) + as.numeric(y)", "~ factor(x) + as.numeric(y)"},
	}
	for _, c := range cases {
		f, err := ParseFormula(c.in)
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		if got := f.String(); got != c.want {
			t.Errorf("%q: got %q want %q", c.in, got, c.want)
		}
	}
	bad := []struct{ in, msg string }{
		{"", "empty"},
		{"~", "no terms"},
		{"y ~ x", "response"},
		{"~ a +", "ends"},
		{"~ (a + b", "missing )"},
		{"~ a $ b", "unexpected character"},
		{"~ 2 + a", "number 2"},
		{"~ `a", "unterminated"},
		{"~ log(x)", "not supported"},
		{"~ factor(x", "missing )"},
	}
	for _, c := range bad {
		_, err := ParseFormula(c.in)
		var fe *FormulaError
		if !errors.As(err, &fe) || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%q: got %v, want FormulaError containing %q", c.in, err, c.msg)
		}
	}
}

func TestKindsAndLevels(t *testing.T) {
	fr := readSheet(t)
	m, err := ModelMatrix("~ patient + HET + age + purity", fr)
	if err != nil {
		t.Fatal(err)
	}
	want := "(Intercept) patient102 patient103 patient104 patient105 patient106 HET1 age purity"
	if got := strings.Join(m.Columns, " "); got != want {
		t.Fatalf("got %s", got)
	}
	// Explicit levels, matched after normalisation; override a kind.
	fr.Levels = map[string][]string{"timepoint": {"pre", "POST"}}
	fr.Kinds = map[string]Kind{"age": Factor}
	m, err = ModelMatrix("~ timepoint + age", fr)
	if err != nil {
		t.Fatal(err)
	}
	want = "(Intercept) timepointPost age43 age46 age51 age59 age67"
	if got := strings.Join(m.Columns, " "); got != want {
		t.Fatalf("got %s", got)
	}
	if m.At(0, 1) != 0 || m.At(1, 1) != 1 {
		t.Fatalf("timepoint coding wrong: %v %v", m.At(0, 1), m.At(1, 1))
	}
	// Collation: case-insensitive, numeric-looking levels in numeric order.
	l := []string{"b", "B", "a", "C"}
	sortLevels(l)
	if strings.Join(l, "") != "abBC" {
		t.Fatalf("collation %v", l)
	}
	l = []string{"10", "9", "100"}
	sortLevels(l)
	if strings.Join(l, " ") != "9 10 100" {
		t.Fatalf("numeric order %v", l)
	}
	for name, id := range map[string]bool{"patientID": true, "patient_id": true, "PID": true, "purity": false, "residual": false, "ESR1score": false, "Sample": true, "hybrid": false} {
		if looksLikeID(name) != id {
			t.Errorf("looksLikeID(%q) = %v", name, !id)
		}
	}
}

func TestFrameErrors(t *testing.T) {
	fr := readSheet(t)
	cases := []struct {
		formula string
		edit    func(*Frame)
		msg     string
	}{
		{"~ nosuch", nil, `no column "nosuch"`},
		{"~ pCR", func(f *Frame) { f.Columns["pCR"][3] = "NA" }, "missing"},
		{"~ age", func(f *Frame) { f.Kinds = map[string]Kind{"age": Numeric}; f.Columns["age"][0] = "old" }, "numeric"},
		{"~ pCR", func(f *Frame) { f.Levels = map[string][]string{"pCR": {"yes"}} }, "not among the given levels"},
		{"~ pCR", func(f *Frame) { f.Columns["pCR"] = f.Columns["pCR"][:3] }, "3 values for 12 samples"},
	}
	for _, c := range cases {
		f := readSheet(t)
		if c.edit != nil {
			c.edit(f)
		}
		_, err := ModelMatrix(c.formula, f)
		if err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: got %v want %q", c.formula, err, c.msg)
		}
	}
	_ = fr
	if _, err := ModelMatrix("~ pCR", &Frame{}); err == nil {
		t.Error("empty frame accepted")
	}
}

func TestCheckRank(t *testing.T) {
	fr := readSheet(t)
	cases := []struct {
		formula string
		aliased string
		msg     string
	}{
		{"~ patient + timepoint", "", ""},
		{"~ patient + HET", "HET1", "patient is nested in HET: each patient has one HET value, so HET cannot be estimated with patient in the model"},
		{"~ HET + patient", "patient106", "patient is nested in HET"},
		{"~ HET + HET:pCR", "HET1:pCRYes", "zero in every sample: no sample has HET = 1 and pCR = Yes"},
		{"~ HR + pCR + group + HR:group", "HRpos:groupb HRpos:groupc", "column HRpos:groupb equals groupb (a linear combination of estimable columns)"},
		{"~ HR + pCR + group", "", ""},
	}
	for _, c := range cases {
		m, err := ModelMatrix(c.formula, fr)
		if err != nil {
			t.Fatal(err)
		}
		err = m.CheckRank()
		if c.aliased == "" {
			if err != nil {
				t.Errorf("%s: unexpected %v", c.formula, err)
			}
			continue
		}
		var re *RankError
		if !errors.As(err, &re) {
			t.Errorf("%s: got %v", c.formula, err)
			continue
		}
		if strings.Join(re.Aliased, " ") != c.aliased || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: got aliased %v, %v", c.formula, re.Aliased, err)
		}
	}
	// R reference: qr(model.matrix(~ patient + HET), tol = 1e-7) (R 4.2.2).
	b, _ := os.ReadFile("testdata/rank_patient_het.txt")
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	m, _ := ModelMatrix("~ patient + HET", fr)
	q, _, al := m.Estimable()
	if strconv.Itoa(q.Rank) != strings.TrimSpace(lines[0]) || m.Columns[al[0]] != strings.TrimSpace(lines[1]) {
		t.Errorf("rank %d aliased %v; R: %v", q.Rank, al, lines)
	}
	// A numeric collinearity: purity2 = 2*purity.
	fr.Columns["purity2"] = append([]string(nil), fr.Columns["purity"]...)
	for i, s := range fr.Columns["purity2"] {
		v, _ := strconv.ParseFloat(s, 64)
		fr.Columns["purity2"][i] = strconv.FormatFloat(2*v, 'g', -1, 64)
	}
	m, _ = ModelMatrix("~ purity + purity2", fr)
	err := m.CheckRank()
	if err == nil || !strings.Contains(err.Error(), "column purity2 equals 2*purity") {
		t.Errorf("collinear: %v", err)
	}
}

func TestQRSolve(t *testing.T) {
	// Least squares against a closed form: y = 1 + 2x exactly.
	x := []float64{1, 0, 1, 1, 1, 2, 1, 3, 1, 4}
	y := []float64{1, 3, 5, 7, 9}
	q := NewQR(x, 5, 2, Tol)
	q.QtY(y)
	b := make([]float64, 2)
	q.SolveR(y, b)
	if math.Abs(b[0]-1) > 1e-14 || math.Abs(b[1]-2) > 1e-14 {
		t.Fatalf("b = %v", b)
	}
	for _, e := range y[2:] {
		if math.Abs(e) > 1e-13 {
			t.Fatalf("residual effects %v", y)
		}
	}
	// (X'X)^-1 for this design: [[0.6, -0.2], [-0.2, 0.1]].
	c := q.UnscaledCov()
	want := []float64{0.6, -0.2, -0.2, 0.1}
	for i := range want {
		if math.Abs(c[i]-want[i]) > 1e-14 {
			t.Fatalf("cov %v", c)
		}
	}
	// QY inverts QtY.
	z := []float64{1, -2, 3, 0.5, 7}
	w := append([]float64(nil), z...)
	q.QtY(w)
	q.QY(w)
	for i := range z {
		if math.Abs(w[i]-z[i]) > 1e-13 {
			t.Fatalf("QY(QtY) = %v", w)
		}
	}
}

func TestContrastVector(t *testing.T) {
	fr := readSheet(t)
	cases := []struct {
		formula, spec string
		want          []float64
		err           string
	}{
		{"~ patient + timepoint", "timepoint,Pre,Post", []float64{0, 0, 0, 0, 0, 0, 1}, ""},
		{"~ patient + timepoint", "timepoint, post ,PRE", []float64{0, 0, 0, 0, 0, 0, -1}, ""},
		{"~ patient + timepoint", "TIMEPOINT,pre,post", []float64{0, 0, 0, 0, 0, 0, 1}, ""},
		{"~ group", "group,c,b", []float64{0, -1, 1}, ""},
		{"~ 0 + group", "group,c,a", []float64{-1, 0, 1}, ""},
		{"~ 0 + group + HR", "HR,pos,neg", []float64{0, 0, 0, 1}, ""},
		{"~ group", "c(0, 1, -1)", []float64{0, 1, -1}, ""},
		{"~ group", "0,0,1", []float64{0, 0, 1}, ""},
		{"~ group", "0,1", nil, "has 2 numbers"},
		{"~ group", "0,0,0", nil, "all zero"},
		{"~ group", "group,a,a", nil, "itself"},
		{"~ group", "group,a,z", nil, `no level "z"`},
		{"~ group", "grp,a,b", nil, "not a factor"},
		{"~ HET + HET:timepoint", "timepoint,post,pre", nil, "only in interactions"},
		{"~ group", "group,a", nil, "variable,numerator,denominator"},
		{"~ factor(HET)", "HET,1,0", []float64{0, 1}, ""},
		{"~ factor(HET)", "factor(HET),0,1", []float64{0, -1}, ""},
	}
	for _, c := range cases {
		m, err := ModelMatrix(c.formula, fr)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ContrastVector(m, c.spec)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s %q: got %v, want error %q", c.formula, c.spec, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s %q: %v", c.formula, c.spec, err)
			continue
		}
		if len(got) != len(c.want) {
			t.Errorf("%s %q: got %v want %v", c.formula, c.spec, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%s %q: got %v want %v", c.formula, c.spec, got, c.want)
				break
			}
		}
	}
}

func FuzzParseFormula(f *testing.F) {
	for _, s := range []string{"~ a + b", "~ 0 + g", "~ a*b:c - 1", "~ (a+b)*c", "~ `x y`"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fm, err := ParseFormula(s)
		if err != nil {
			return
		}
		// Round trip: the printed formula parses to the same terms
		// (unless a back-quoted name contains characters needing quotes).
		for _, v := range fm.Vars {
			if strings.ContainsAny(v, "`") {
				return
			}
		}
		fm2, err := ParseFormula(fm.String())
		if err != nil || len(fm2.Terms) != len(fm.Terms) || fm2.Intercept != fm.Intercept {
			t.Fatalf("%q -> %q -> %v %v", s, fm.String(), fm2, err)
		}
	})
}

func TestFromSheet(t *testing.T) {
	s := &dataset.SampleSheet{Samples: []string{"a", "b", "c", "d"}}
	add := func(name string, role dataset.Role, raw ...string) {
		c := &dataset.SheetColumn{Name: name, Role: role, Raw: raw}
		c.Normalize()
		s.Columns = append(s.Columns, c)
	}
	add("patientID", dataset.RolePatient, "101", "101", "102", "102")
	add("tpt", dataset.RoleTimepoint, "Pre", "Residual", "PRE", "Post")
	add("age", dataset.RoleOther, "50", "50", "61", "62")
	fr := FromSheet(s)
	m, err := ModelMatrix("~ patientID + tpt", fr)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(m.Columns, " "); got != "(Intercept) patientID102 tptpost" {
		t.Fatalf("columns %s", got)
	}
	c, err := ContrastVector(m, "tpt,Post,Pre")
	if err != nil || c[2] != 1 {
		t.Fatalf("contrast %v %v", c, err)
	}
	m, _ = ModelMatrix("~ age", fr)
	if got := strings.Join(m.Columns, " "); got != "(Intercept) age" {
		t.Fatalf("numeric column: %s", got)
	}
}

func FuzzContrastVector(f *testing.F) {
	for _, s := range []string{"group,b,a", "c(0,1,-1)", "0,1,0", "group,,", ",,,", "c(", "group,A,a"} {
		f.Add(s)
	}
	fr := &Frame{Samples: []string{"1", "2", "3", "4"}, Columns: map[string][]string{"group": {"a", "b", "c", "a"}}}
	m, err := ModelMatrix("~ group", fr)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ContrastVector(m, s)
		if err == nil && len(c) != m.Cols() {
			t.Fatalf("%q: %d values for %d columns", s, len(c), m.Cols())
		}
	})
}
