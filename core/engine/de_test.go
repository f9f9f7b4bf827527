package engine

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/her2het/her2het/core/api"
)

// deFixture is a small synthetic study: 300 genes x 12 samples of 6 patients
// (pre and post each), pCR yes for P1-P3, HET 1 for P1, P2 and P4. The first 20
// genes are 8-fold higher in pCR patients. The sheet spells levels in several ways
// ("Pre", "PRE", "pCR", "RD") and has one sample (S99) that is not in the matrix;
// the matrix has one column (X1) that is not in the sheet.
func deFixture() memFiles {
	rng := rand.New(rand.NewPCG(9, 9))
	const genes, pats = 300, 6
	var sheet strings.Builder
	sheet.WriteString("sample\tpatient\ttimepoint\tpCR\tHET\tbatch\n")
	var samples []string
	var pcr []bool
	for p := 1; p <= pats; p++ {
		for _, tp := range []string{"Pre", "post"} {
			s := fmt.Sprintf("S%d%s", p, tp[:2])
			samples = append(samples, s)
			resp := "RD"
			if p <= 3 {
				resp = "pCR"
			}
			het := "0"
			if p == 1 || p == 2 || p == 4 {
				het = "1"
			}
			if p == 5 && tp == "Pre" {
				tp = "PRE"
			}
			pcr = append(pcr, p <= 3)
			fmt.Fprintf(&sheet, "%s\tP%d\t%s\t%s\t%s\tb%d\n", s, p, tp, resp, het, p%2)
		}
	}
	sheet.WriteString("S99\tP9\tpre\tpCR\t1\tb1\n")
	var counts strings.Builder
	counts.WriteString("gene\t" + strings.Join(samples, "\t") + "\tX1\n")
	for g := 0; g < genes; g++ {
		mu := 50 + 400*rng.Float64()
		fmt.Fprintf(&counts, "GENE%03d", g)
		for j := 0; j <= len(samples); j++ {
			m := mu * (0.8 + 0.4*rng.Float64())
			if g < 20 && j < len(samples) && pcr[j] {
				m *= 8
			}
			fmt.Fprintf(&counts, "\t%d", approxCount(rng, m))
		}
		counts.WriteString("\n")
	}
	return memFiles{"counts.tsv": []byte(counts.String()), "samples.tsv": []byte(sheet.String())}
}

func approxCount(rng *rand.Rand, m float64) int {
	// normal approximation is enough for test data with means >= 40
	v := int(math.Round(m + math.Sqrt(m)*rng.NormFloat64()))
	if v < 0 {
		v = 0
	}
	return v
}

func loadFixture(t *testing.T, e *Engine, names ...string) {
	t.Helper()
	f := deFixture()
	var refs []api.FileRef
	for _, n := range names {
		refs = append(refs, api.FileRef{Name: n, Size: int64(len(f[n]))})
	}
	evs := run(t, e, api.Request{ID: 1, Kind: api.KindLoad, Files: refs}, f)
	if last := evs[len(evs)-1]; last.Kind != api.EventDone {
		t.Fatalf("loading the fixture: %v", last.Error)
	}
}

// data returns the Data of the one event of the given type, decoded, and the final event.
func data[T any](t *testing.T, evs []api.Event, typ string) (T, api.Event) {
	t.Helper()
	var v T
	n := 0
	for _, ev := range evs {
		if ev.Kind == api.EventData && ev.DataType == typ {
			n++
			if err := json.Unmarshal(ev.Data, &v); err != nil {
				t.Fatal(err)
			}
		}
	}
	last := evs[len(evs)-1]
	if last.Kind == api.EventDone && n != 1 {
		t.Fatalf("%d %q events, want 1", n, typ)
	}
	return v, last
}

func TestSamplesRequest(t *testing.T) {
	e := New()
	loadFixture(t, e, "counts.tsv", "samples.tsv")
	v, last := data[api.SamplesView](t, run(t, e, api.Request{ID: 2, Kind: api.KindSamples}, nil), "samples")
	if last.Kind != api.EventDone {
		t.Fatalf("samples: %v", last.Error)
	}
	if v.File != "samples.tsv" || v.Samples != 13 {
		t.Fatalf("file %q samples %d", v.File, v.Samples)
	}
	roles := map[string]string{}
	cols := map[string]api.SheetColumn{}
	for _, c := range v.Columns {
		roles[c.Name] = c.Role
		cols[c.Name] = c
	}
	for name, want := range map[string]string{"sample": "sample", "patient": "patient", "timepoint": "timepoint", "pCR": "response", "HET": "HET", "batch": "batch"} {
		if roles[name] != want {
			t.Errorf("column %s has role %q, want %q", name, roles[name], want)
		}
	}
	// Raw spellings -> normalised level.
	var pre, yes *api.SheetLevel
	for i, l := range cols["timepoint"].Levels {
		if l.Level == "pre" {
			pre = &cols["timepoint"].Levels[i]
		}
	}
	for i, l := range cols["pCR"].Levels {
		if l.Level == "yes" {
			yes = &cols["pCR"].Levels[i]
		}
	}
	if pre == nil || strings.Join(pre.From, "|") != "Pre|PRE|pre" || pre.N != 7 {
		t.Errorf("timepoint pre level: %+v", pre)
	}
	if yes == nil || strings.Join(yes.From, "|") != "pCR" || yes.N != 7 {
		t.Errorf("pCR yes level: %+v", yes)
	}
	// Group counts per patient and per sample.
	tabs := map[string]api.TableView{}
	for _, tv := range v.Counts {
		tabs[tv.ID] = tv
	}
	g := tabs["samples-groups"]
	if strings.Join(g.Columns, ",") != "pCR,HET,patients,samples" {
		t.Fatalf("group columns %v", g.Columns)
	}
	want := [][]string{{"no", "0", "2", "4"}, {"no", "1", "1", "2"}, {"yes", "0", "1", "2"}, {"yes", "1", "3", "5"}}
	if fmt.Sprint(g.Rows) != fmt.Sprint(want) {
		t.Errorf("pCR x HET rows %v, want %v", g.Rows, want)
	}
	if tp := tabs["samples-timepoints"]; fmt.Sprint(tp.Rows) != "[[post 6 6] [pre 7 7]]" {
		t.Errorf("timepoint rows %v", tp.Rows)
	}
	if pp := tabs["samples-per-patient"]; fmt.Sprint(pp.Rows) != "[[1 1] [2 6]]" {
		t.Errorf("samples per patient %v", pp.Rows)
	}
	w := strings.Join(v.Warnings, "\n")
	for _, s := range []string{"1 sample(s) of samples.tsv are not columns of counts.tsv: S99", "1 column(s) of counts.tsv are not samples of samples.tsv: X1"} {
		if !strings.Contains(w, s) {
			t.Errorf("warnings lack %q:\n%s", s, w)
		}
	}
	if v.DE.Formula != "~ pCR" || v.DE.Contrast != "pCR,yes,no" || v.DE.Method != "voom" {
		t.Errorf("default design %+v", v.DE)
	}
}

func TestSamplesDisagreement(t *testing.T) {
	e := New()
	f := memFiles{"s.tsv": []byte("sample\tpatient\tpCR\nA\tP1\tyes\nB\tP1\tno\nC\tP2\tno\n")}
	run(t, e, api.Request{ID: 1, Kind: api.KindLoad, Files: []api.FileRef{{Name: "s.tsv"}}}, f)
	v, last := data[api.SamplesView](t, run(t, e, api.Request{ID: 2, Kind: api.KindSamples}, nil), "samples")
	if last.Kind != api.EventDone {
		t.Fatal(last.Error)
	}
	if w := strings.Join(v.Warnings, "\n"); !strings.Contains(w, "disagreement") || !strings.Contains(w, "P1") {
		t.Errorf("warnings %q lack the P1 disagreement", w)
	}
}

func TestSamplesNoSheet(t *testing.T) {
	e := New()
	_, last := data[api.SamplesView](t, run(t, e, api.Request{ID: 2, Kind: api.KindSamples}, nil), "samples")
	if last.Kind != api.EventError || !strings.Contains(last.Error.Message, "no sample sheet") {
		t.Fatalf("got %+v", last)
	}
}

func TestDEDesign(t *testing.T) {
	tests := []struct {
		name     string
		p        api.DEParams
		ok       bool
		columns  string
		contrast string
		problems []string // substrings
		err      string   // error substring
	}{
		{name: "pCR", p: api.DEParams{Formula: "~ pCR", Contrast: "pCR,yes,no"}, ok: true, columns: "(Intercept),pCRyes", contrast: "[0 1]"},
		{name: "levels normalised", p: api.DEParams{Formula: "~ patient + timepoint", Contrast: "timepoint,Post,PRE", Block: ""}, ok: true,
			columns: "(Intercept),patientP2,patientP3,patientP4,patientP5,patientP6,timepointpost", contrast: "[0 0 0 0 0 0 1]"},
		{name: "confounded: patient nested in HET", p: api.DEParams{Formula: "~ patient + HET", Contrast: "HET,1,0"}, ok: false,
			problems: []string{"cannot be estimated: HET1", "patient is nested in HET"}},
		{name: "bad contrast", p: api.DEParams{Formula: "~ pCR", Contrast: "pCR,maybe,no"}, ok: false, problems: []string{"contrast pCR,maybe,no"}},
		{name: "numeric contrast", p: api.DEParams{Formula: "~ 0 + pCR", Contrast: "1,-1"}, ok: true, columns: "pCRno,pCRyes", contrast: "[1 -1]"},
		{name: "unknown column", p: api.DEParams{Formula: "~ grade", Contrast: "grade,2,1"}, err: `no column "grade"`},
		{name: "syntax", p: api.DEParams{Formula: "~ pCR +", Contrast: "pCR,yes,no"}, err: "formula"},
		{name: "block with deseq2", p: api.DEParams{Formula: "~ pCR", Contrast: "pCR,yes,no", Method: "deseq2", Block: "patient"}, err: "voom"},
		{name: "unknown method", p: api.DEParams{Formula: "~ pCR", Method: "edgeR"}, err: "voom or deseq2"},
	}
	e := New()
	loadFixture(t, e, "counts.tsv", "samples.tsv")
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, last := data[api.DEDesign](t, run(t, e, api.Request{ID: 3, Kind: api.KindDEDesign, Params: api.Marshal(tc.p)}, nil), "deDesign")
			if tc.err != "" {
				if last.Kind != api.EventError || !strings.Contains(last.Error.Error(), tc.err) {
					t.Fatalf("got %+v %v, want error with %q", last, last.Error, tc.err)
				}
				return
			}
			if last.Kind != api.EventDone {
				t.Fatalf("error %v", last.Error)
			}
			if d.OK != tc.ok {
				t.Fatalf("ok %v, want %v (problems %v)", d.OK, tc.ok, d.Problems)
			}
			if d.Samples != 12 {
				t.Errorf("%d samples, want the 12 in both files", d.Samples)
			}
			if tc.columns != "" && strings.Join(d.Columns, ",") != tc.columns {
				t.Errorf("columns %v, want %s", d.Columns, tc.columns)
			}
			if tc.contrast != "" && fmt.Sprint(d.Contrast) != tc.contrast {
				t.Errorf("contrast %v, want %s", d.Contrast, tc.contrast)
			}
			ps := strings.Join(d.Problems, "\n")
			for _, p := range tc.problems {
				if !strings.Contains(ps, p) {
					t.Errorf("problems %q lack %q", ps, p)
				}
			}
			if tc.ok && d.Rank != len(d.Columns) {
				t.Errorf("rank %d of %d columns", d.Rank, len(d.Columns))
			}
		})
	}
}

func TestDERun(t *testing.T) {
	tests := []struct {
		name    string
		p       api.DEParams
		columns string
		param   string // a parameter shown with the result
	}{
		{"voom", api.DEParams{Formula: "~ pCR", Contrast: "pCR,yes,no", Method: "voom"}, "gene,logFC,AveExpr,t,P.Value,adj.P.Val,B", "genes tested"},
		{"voom with block", api.DEParams{Formula: "~ pCR", Contrast: "pCR,yes,no", Method: "voom", Block: "patient"}, "gene,logFC,AveExpr,t,P.Value,adj.P.Val,B", "block"},
		{"deseq2", api.DEParams{Formula: "~ pCR", Contrast: "pCR,yes,no", Method: "deseq2"}, "gene,baseMean,log2FoldChange,lfcSE,stat,pvalue,padj", "genes"},
	}
	e := New()
	loadFixture(t, e, "counts.tsv", "samples.tsv")
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sec, last := data[api.Section](t, run(t, e, api.Request{ID: 4, Kind: api.KindDERun, Params: api.Marshal(tc.p)}, nil), "section")
			if last.Kind != api.EventDone {
				t.Fatalf("error %v", last.Error)
			}
			if sec.Screen != "de" || sec.ID != "de-custom" || len(sec.Figures) != 2 || len(sec.Tables) != 1 {
				t.Fatalf("section %s/%s: %d figures, %d tables", sec.ID, sec.Screen, len(sec.Figures), len(sec.Tables))
			}
			for _, f := range sec.Figures {
				if n := strings.Count(f.SVG, "<circle"); n < 100 {
					t.Errorf("%s draws %d marks", f.ID, n)
				}
				if !strings.Contains(f.SVG, "GENE000") {
					t.Errorf("%s marks carry no gene labels", f.ID)
				}
			}
			tab := sec.Tables[0]
			if strings.Join(tab.Columns, ",") != tc.columns {
				t.Errorf("columns %v, want %s", tab.Columns, tc.columns)
			}
			// The 20 planted genes lead the table, up in pCR.
			top := map[string]bool{}
			for _, r := range tab.Rows[:15] {
				top[r[0]] = true
				if strings.HasPrefix(r[2], "-") {
					t.Errorf("top gene %s has negative LFC %s", r[0], r[2])
				}
			}
			for g := range top {
				var k int
				if _, err := fmt.Sscanf(g, "GENE%d", &k); err != nil || k >= 20 {
					t.Errorf("top gene %s is not a planted one", g)
				}
			}
			var names []string
			for _, p := range sec.Params {
				names = append(names, p.Name)
			}
			if s := strings.Join(names, ","); !strings.Contains(s, tc.param) || !strings.Contains(s, "design") || !strings.Contains(s, "contrast") {
				t.Errorf("params %s lack %s", s, tc.param)
			}
		})
	}
}

func TestDERunRefusesConfounded(t *testing.T) {
	e := New()
	loadFixture(t, e, "counts.tsv", "samples.tsv")
	_, last := data[api.Section](t, run(t, e, api.Request{ID: 5, Kind: api.KindDERun, Params: api.Marshal(api.DEParams{Formula: "~ patient + HET", Contrast: "HET,1,0"})}, nil), "section")
	if last.Kind != api.EventError || !strings.Contains(last.Error.Message, "nested") {
		t.Fatalf("got %+v %v", last, last.Error)
	}
	e2 := New()
	loadFixture(t, e2, "samples.tsv")
	_, last = data[api.Section](t, run(t, e2, api.Request{ID: 6, Kind: api.KindDERun, Params: api.Marshal(api.DEParams{Formula: "~ pCR", Contrast: "pCR,yes,no"})}, nil), "section")
	if last.Kind != api.EventError || !strings.Contains(last.Error.Message, "no raw count matrix") {
		t.Fatalf("without counts: %+v %v", last, last.Error)
	}
}

// TestDERoleAliases: formulas may name columns by their role ("patient", "HET")
// whatever the file calls them ("patientID", "HER2 heterogeneity").
func TestDERoleAliases(t *testing.T) {
	f := deFixture()
	sheet := strings.Replace(string(f["samples.tsv"]), "sample\tpatient\ttimepoint\tpCR\tHET\tbatch", "sampleID\tpatientID\ttpt\tpCR\tHER2 heterogeneity\tbatch", 1)
	f["samples.tsv"] = []byte(sheet)
	e := New()
	evs := run(t, e, api.Request{ID: 1, Kind: api.KindLoad, Files: []api.FileRef{{Name: "counts.tsv"}, {Name: "samples.tsv"}}}, f)
	if last := evs[len(evs)-1]; last.Kind != api.EventDone {
		t.Fatal(last.Error)
	}
	tests := []struct {
		p       api.DEParams
		ok      bool
		columns string
		problem string
	}{
		{api.DEParams{Formula: "~ patient + HET", Contrast: "HET,1,0"}, false, "", "patient is nested in HET"},
		{api.DEParams{Formula: "~ patient + timepoint", Contrast: "timepoint,post,pre"}, true, "(Intercept),patientP2,patientP3,patientP4,patientP5,patientP6,timepointpost", ""},
		{api.DEParams{Formula: "~ `HER2 heterogeneity`", Contrast: "HER2 heterogeneity,1,0"}, true, "(Intercept),HER2 heterogeneity1", ""},
		{api.DEParams{Formula: "~ tpt", Contrast: "tpt,post,pre", Block: "patient"}, true, "(Intercept),tptpost", ""},
	}
	for _, tc := range tests {
		d, last := data[api.DEDesign](t, run(t, e, api.Request{ID: 2, Kind: api.KindDEDesign, Params: api.Marshal(tc.p)}, nil), "deDesign")
		if last.Kind != api.EventDone {
			t.Errorf("%s: %v", tc.p.Formula, last.Error)
			continue
		}
		if d.OK != tc.ok || (tc.columns != "" && strings.Join(d.Columns, ",") != tc.columns) || !strings.Contains(strings.Join(d.Problems, "\n"), tc.problem) {
			t.Errorf("%s: ok %v columns %v problems %v", tc.p.Formula, d.OK, d.Columns, d.Problems)
		}
	}
	v, _ := data[api.SamplesView](t, run(t, e, api.Request{ID: 3, Kind: api.KindSamples}, nil), "samples")
	if v.DE.Formula != "~ pCR" {
		t.Errorf("default formula %q", v.DE.Formula)
	}
	sec, last := data[api.Section](t, run(t, e, api.Request{ID: 4, Kind: api.KindDERun, Params: api.Marshal(api.DEParams{Formula: "~ HET", Contrast: "HET,1,0", Block: "patient"})}, nil), "section")
	if last.Kind != api.EventDone || len(sec.Figures) != 2 {
		t.Fatalf("run with a role-alias block: %v", last.Error)
	}
	_, last = data[api.DEDesign](t, run(t, e, api.Request{ID: 5, Kind: api.KindDEDesign, Params: api.Marshal(api.DEParams{Formula: "~ grade"})}, nil), "deDesign")
	if last.Kind != api.EventError || !strings.Contains(last.Error.Message, "patient = patientID") {
		t.Errorf("unknown column message does not list the roles: %v", last.Error)
	}
}

// BenchmarkDERun times the design builder's Run at a realistic shape: 20000
// genes x 12 and 100 samples (half pCR), limma-voom with and without a patient
// block, and DESeq2 for 12 samples.
func BenchmarkDERun(b *testing.B) {
	for _, bc := range []struct {
		samples int
		p       api.DEParams
	}{
		{12, api.DEParams{Formula: "~ pCR", Contrast: "pCR,yes,no", Method: "voom"}},
		{100, api.DEParams{Formula: "~ pCR", Contrast: "pCR,yes,no", Method: "voom"}},
		{100, api.DEParams{Formula: "~ pCR", Contrast: "pCR,yes,no", Method: "voom", Block: "patient"}},
		{12, api.DEParams{Formula: "~ pCR", Contrast: "pCR,yes,no", Method: "deseq2"}},
	} {
		name := fmt.Sprintf("%s/block=%v/20000x%d", bc.p.Method, bc.p.Block != "", bc.samples)
		b.Run(name, func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, uint64(bc.samples)))
			var sheet, counts strings.Builder
			sheet.WriteString("sample\tpatient\tpCR\n")
			counts.WriteString("gene")
			for j := 0; j < bc.samples; j++ {
				fmt.Fprintf(&sheet, "S%d\tP%d\t%s\n", j, j/2, map[bool]string{true: "yes", false: "no"}[(j/2)%2 == 0])
				fmt.Fprintf(&counts, "\tS%d", j)
			}
			counts.WriteString("\n")
			for g := 0; g < 20000; g++ {
				mu := math.Exp(rng.NormFloat64()*2 + 4)
				fmt.Fprintf(&counts, "G%05d", g)
				for j := 0; j < bc.samples; j++ {
					fmt.Fprintf(&counts, "\t%d", approxCount(rng, mu*math.Exp(0.3*rng.NormFloat64())))
				}
				counts.WriteString("\n")
			}
			f := memFiles{"counts.tsv": []byte(counts.String()), "samples.tsv": []byte(sheet.String())}
			e := New()
			var loaded api.Event
			e.Handle(api.Request{ID: 1, Kind: api.KindLoad, Files: []api.FileRef{{Name: "counts.tsv"}, {Name: "samples.tsv"}}}, f, func(ev api.Event) { loaded = ev })
			if loaded.Kind != api.EventDone {
				b.Fatal(loaded.Error)
			}
			req := api.Request{ID: 2, Kind: api.KindDERun, Params: api.Marshal(bc.p)}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				var last api.Event
				e.Handle(req, nil, func(ev api.Event) { last = ev })
				if last.Kind != api.EventDone {
					b.Fatal(last.Error)
				}
			}
		})
	}
}
