package web

import (
	"strings"
	"testing"

	"github.com/her2het/her2het/core/api"
)

func sheetEvent() api.Event {
	return api.Event{ID: 9, Kind: api.EventData, DataType: "samples", Data: api.Marshal(api.SamplesView{
		File: "samples.tsv", Samples: 13,
		Columns: []api.SheetColumn{
			{Name: "sample", Role: "sample", Distinct: 13},
			{Name: "timepoint", Role: "timepoint", Distinct: 2, Levels: []api.SheetLevel{{Level: "pre", From: []string{"Pre", "PRE"}, N: 7}, {Level: "post", From: []string{"post"}, N: 6}}},
			{Name: "pCR", Role: "response", Distinct: 2, Missing: 1},
		},
		Counts:   []api.TableView{{ID: "samples-groups", Title: "Groups: pCR x HET", Columns: []string{"pCR", "HET", "patients", "samples"}, Rows: [][]string{{"yes", "1", "3", "5"}}}},
		Warnings: []string{"1 sample(s) of samples.tsv are not columns of counts.tsv: S99"},
		DE:       api.DEParams{Formula: "~ pCR", Contrast: "pCR,yes,no", Method: "voom"},
	})}
}

func withSheetFile(s *Store) {
	s.Apply(api.Event{ID: 2, Kind: api.EventData, DataType: "loadSummary", Data: api.Marshal(api.LoadSummary{Name: "samples.tsv", Format: "samples (sample sheet)"})})
}

func TestDEAndSamplesScreens(t *testing.T) {
	tests := []struct {
		name   string
		setup  func(s *Store)
		want   []string
		absent []string
	}{
		{
			name: "samples screen: roles, level mapping, counts, warnings",
			setup: func(s *Store) {
				s.Screen = "samples"
				withSheetFile(s)
				s.Apply(sheetEvent())
			},
			want: []string{`id="sheet-view"`, `id="sheet-columns"`, `class="role-select role role-timepoint"`, "Pre, PRE", "<strong>pre</strong>", "(7)",
				`id="table-samples-groups"`, "S99", `id="sheet-warnings"`, "13 samples, 3 columns"},
		},
		{
			name:   "samples screen without a sheet loaded",
			setup:  func(s *Store) { s.Screen = "samples" },
			absent: []string{`id="sheet-view"`},
		},
		{
			name: "DE builder filled from the sheet's defaults",
			setup: func(s *Store) {
				s.Screen = "de"
				withSheetFile(s)
				s.Apply(sheetEvent())
			},
			want:   []string{`id="de-builder"`, `id="de-formula"`, `value="~ pCR"`, `value="pCR,yes,no"`, `id="de-check"`, `id="de-run"`, `id="de-block"`, "limma-voom", "DESeq2"},
			absent: []string{`id="de-design"`, "Load a count matrix and a sample sheet"},
		},
		{
			name: "confounded design is explained",
			setup: func(s *Store) {
				s.Screen = "de"
				withSheetFile(s)
				s.Apply(api.Event{ID: 4, Kind: api.EventData, DataType: "deDesign", Data: api.Marshal(api.DEDesign{
					Formula: "~ patient + HET", Samples: 12, Columns: []string{"(Intercept)", "patientP2", "HET1"}, Rank: 2,
					Problems: []string{"HET1: patient is nested in HET: each patient has one HET value, so HET cannot be estimated with patient in the model"}})})
			},
			want: []string{`id="de-design"`, `class="de-design bad"`, "patient is nested in HET", "cannot be fitted", "<code>HET1</code>"},
		},
		{
			name: "run result appears once, under the builder, with its params",
			setup: func(s *Store) {
				s.Screen = "de"
				withSheetFile(s)
				s.Apply(api.Event{ID: 5, Kind: api.EventData, DataType: "section", Data: api.Marshal(api.Section{
					ID: "de-custom", Screen: "de", Title: "Your design: ~ pCR", Params: []api.Param{{Name: "design", Value: "~ pCR"}},
					Figures: []api.FigureView{{ID: "de-custom-volcano", Title: "Volcano", SVG: `<svg xmlns="http://www.w3.org/2000/svg"><circle class="mark" r="2"><title>ERBB2</title></circle></svg>`}},
					Tables:  []api.TableView{{ID: "de-custom-top", Title: "Top table", Columns: []string{"gene", "logFC", "AveExpr", "t", "P.Value", "adj.P.Val", "B"}, Rows: [][]string{{"ERBB2", "2", "5", "6", "1e-5", "0.001", "3"}}}},
				})})
			},
			want: []string{`id="section-de-custom"`, `id="fig-de-custom-volcano"`, "adj.P.Val", "ERBB2"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := NewStore()
			tc.setup(s)
			html := render(t, &Root{Store: s, Engine: &fakeEngine{}})
			for _, w := range tc.want {
				if !strings.Contains(html, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			for _, a := range tc.absent {
				if strings.Contains(html, a) {
					t.Errorf("page has %q", a)
				}
			}
			if n := strings.Count(html, `id="section-de-custom"`); n > 1 {
				t.Errorf("the design builder's result is shown %d times", n)
			}
		})
	}
}

func TestSheetAskedWhenStale(t *testing.T) {
	s := NewStore()
	withSheetFile(s)
	s.Start(1, api.KindLoad, "load")
	s.Apply(api.Event{ID: 1, Kind: api.EventDone})
	if !s.SheetStale {
		t.Fatal("a finished load does not mark the sheet stale")
	}
	eng := &fakeEngine{}
	root := &Root{Store: s, Engine: eng}
	render(t, root) // on the Load screen: nothing asked
	if len(eng.sent) != 0 {
		t.Fatalf("sent %v on the Load screen", eng.sent)
	}
	s.Screen = "samples"
	render(t, root)
	if len(eng.sent) != 1 || eng.sent[0] != api.KindSamples || s.SheetStale {
		t.Fatalf("sent %v, stale %v", eng.sent, s.SheetStale)
	}
	render(t, root)
	if len(eng.sent) != 1 {
		t.Fatalf("asked again: %v", eng.sent)
	}
}

func TestDEBuilderSends(t *testing.T) {
	s := NewStore()
	s.Apply(sheetEvent())
	eng := &fakeEngine{}
	root := &Root{Store: s, Engine: eng}
	if s.DE.Formula != "~ pCR" {
		t.Fatalf("defaults not taken: %+v", s.DE)
	}
	root.checkDesign()
	root.runDE()
	if len(eng.sent) != 2 || eng.sent[0] != api.KindDEDesign || eng.sent[1] != api.KindDERun {
		t.Fatalf("sent %v", eng.sent)
	}
	if root.designStale() {
		t.Fatal("stale without a result")
	}
	s.DEDesign = &api.DEDesign{OK: true}
	s.DE.Formula = "~ HET"
	if !root.designStale() {
		t.Fatal("a changed formula does not mark the check stale")
	}
	// A user's own formula is not overwritten by a later sheet description.
	s.Apply(sheetEvent())
	if s.DE.Formula != "~ HET" {
		t.Fatalf("formula overwritten: %q", s.DE.Formula)
	}
}
