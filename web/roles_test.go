package web

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/her2het/her2het/core/api"
	"github.com/vugu/vugu/js"
)

// paramEngine records every request with its parameters.
type paramEngine struct {
	kinds  []api.Kind
	params []any
}

func (f *paramEngine) Send(kind api.Kind, params any, files js.Value) int64 {
	f.kinds = append(f.kinds, kind)
	f.params = append(f.params, params)
	return int64(100 + len(f.kinds))
}
func (f *paramEngine) Cancel() {}

// rolesSheetEvent is the engine's answer to a KindRoles request with id: HET
// given the response role, pCR a covariate now.
func rolesSheetEvent(id int64) api.Event {
	return api.Event{ID: id, Kind: api.EventData, DataType: "samples", Data: api.Marshal(api.SamplesView{
		File: "samples.tsv", Samples: 13,
		Columns: []api.SheetColumn{
			{Name: "sample", Role: "sample", Detected: "sample", Distinct: 13},
			{Name: "pCR", Role: "other", Detected: "response", Distinct: 2},
			{Name: "HET", Role: "response", Detected: "HET", Set: true, Distinct: 2},
		},
		Counts:    []api.TableView{{ID: "samples-groups", Title: "Groups: HET", Columns: []string{"HET", "patients", "samples"}, Rows: [][]string{{"no", "3", "6"}, {"yes", "4", "7"}}}},
		Roles:     map[string]string{"HET": "response"},
		RoleNotes: []string{`column "pCR" (detected as response) is now a covariate: "HET" is the response column`},
	})}
}

func TestSamplesRoleSelects(t *testing.T) {
	s := NewStore()
	s.Screen = "samples"
	withSheetFile(s)
	s.Analysed = true
	s.Apply(api.Event{ID: 3, Kind: api.EventData, DataType: "section", Data: api.Marshal(api.Section{ID: "samples", Screen: "samples", Title: "Samples and patient groups"})})
	s.Start(7, api.KindRoles, "Column HET: response")
	s.Apply(rolesSheetEvent(7))
	s.Apply(api.Event{ID: 7, Kind: api.EventDone})
	if rolesKey(s.Roles) != rolesKey(map[string]string{"HET": "response"}) {
		t.Fatalf("roles %v", s.Roles)
	}
	html := render(t, &Root{Store: s, Engine: &paramEngine{}})
	for _, want := range []string{
		`id="role-2"`, `aria-label="Role of column HET"`, `<option selected="selected" value="response">response (pCR yes/no)</option>`,
		`class="sheet-col role-changed"`, "set by you; detected: HET (1/0)", "detected: response (pCR yes/no)",
		`id="roles-set"`, "HET = response (pCR yes/no)", `id="roles-reset"`, `id="role-notes"`, "is now a covariate",
		`<td>yes</td><td>4</td><td>7</td>`, `id="analysis-stale"`, "the sample-sheet roles changed",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("Samples screen lacks %q", want)
		}
	}
	// Reset sends an empty map.
	eng := &paramEngine{}
	(&Root{Store: s, Engine: eng}).resetRoles()
	if len(eng.kinds) != 1 || eng.kinds[0] != api.KindRoles || len(eng.params[0].(api.RolesParams).Roles) != 0 {
		t.Errorf("reset sent %v %v", eng.kinds, eng.params)
	}
}

func TestSamplesRoleRefused(t *testing.T) {
	s := NewStore()
	s.Screen = "samples"
	withSheetFile(s)
	s.Apply(sheetEvent())
	s.Roles = map[string]string{"batch": "other"}
	s.Start(8, api.KindRoles, "Column timepoint: HET (1/0)")
	msg := `column "timepoint" as HET: 2 level(s) after normalisation ("pre", "post"); a HET column needs exactly two (1 and 0)`
	s.Apply(api.Event{ID: 8, Kind: api.EventError, Error: &api.Error{Message: msg}})
	if s.Busy() || s.Banner != nil || s.RoleError == nil || !s.RolesRevert {
		t.Fatalf("busy %v banner %v role error %v revert %v", s.Busy(), s.Banner, s.RoleError, s.RolesRevert)
	}
	if s.Roles["batch"] != "other" {
		t.Error("a refused change dropped the roles in effect")
	}
	html := render(t, &Root{Store: s, Engine: &paramEngine{}})
	if !strings.Contains(html, `id="role-error"`) || !strings.Contains(html, "a HET column needs exactly two (1 and 0)") {
		t.Error("the refusal is not shown beside the roles")
	}
	if s.RolesRevert {
		t.Error("the selects were not put back")
	}
}

// TestRolesResentAfterRestart: a cancelled job restarts the engine, which gets
// the files from the host and the roles from the page; a KindSamples answer
// that arrives before does not wipe them.
func TestRolesResentAfterRestart(t *testing.T) {
	s := NewStore()
	s.Roles = map[string]string{"site": "batch"}
	s.Start(1, api.KindDERun, "DESeq2")
	s.CancelAll()
	if !s.RolesUnsent {
		t.Fatal("cancel does not mark the roles for sending")
	}
	s.Apply(api.Event{ID: 2, Kind: api.EventData, DataType: "samples", Data: api.Marshal(api.SamplesView{File: "s.tsv"})})
	if s.Roles["site"] != "batch" {
		t.Fatal("a samples answer wiped roles not yet sent")
	}
	eng := &paramEngine{}
	root := &Root{Store: s, Engine: eng}
	root.Compute()
	if len(eng.kinds) != 1 || eng.kinds[0] != api.KindRoles || eng.params[0].(api.RolesParams).Roles["site"] != "batch" {
		t.Fatalf("sent %v %v", eng.kinds, eng.params)
	}
	root.Compute()
	if len(eng.kinds) != 1 {
		t.Fatalf("roles sent twice: %v", eng.kinds)
	}
}

func TestSessionKeepsRoles(t *testing.T) {
	s := NewStore()
	if strings.Contains(s.SessionJSON(), `"roles"`) {
		t.Fatal("a session without overrides saves roles")
	}
	s.Roles = map[string]string{"HET": "response", "site": "ignore"}
	text := s.SessionJSON()
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(text), &raw); err != nil {
		t.Fatal(err)
	}
	if string(raw["roles"]) == "" {
		t.Fatalf("session lacks the roles: %s", text)
	}
	ses, err := ReadSession("s.json", text)
	if err != nil {
		t.Fatal(err)
	}
	if rolesKey(ses.Roles) != rolesKey(s.Roles) {
		t.Fatalf("roles after the round trip: %v", ses.Roles)
	}
}

// TestDEResultSurvivesAnalyse: Analyse keeps the design builder's result, which
// is marked out of date when the roles, the files or the form change.
func TestDEResultSurvivesAnalyse(t *testing.T) {
	s := NewStore()
	s.Screen = "de"
	withSheetFile(s)
	s.DE = api.DEParams{Formula: "~ pCR", Contrast: "pCR,yes,no", Method: "voom"}
	eng := &paramEngine{}
	root := &Root{Store: s, Engine: eng}
	root.runDE()
	id := int64(100 + len(eng.kinds))
	s.Apply(api.Event{ID: id, Kind: api.EventData, DataType: "section", Data: api.Marshal(api.Section{ID: "de-custom", Screen: "de", Title: "Your design: ~ pCR",
		Params: []api.Param{{Name: "design", Value: "~ pCR"}}})})
	s.Apply(api.Event{ID: id, Kind: api.EventDone})
	s.Apply(api.Event{ID: 50, Kind: api.EventData, DataType: "section", Data: api.Marshal(api.Section{ID: "de", Screen: "de", Title: "Study comparisons"})})
	if s.DEResult == nil || s.DEStale(root.deParams()) != "" {
		t.Fatalf("fresh result: %+v stale %q", s.DEResult, s.DEStale(root.deParams()))
	}
	root.analyse()
	if len(s.Sections) != 1 || s.Sections[0].ID != "de-custom" {
		t.Fatalf("sections after Analyse: %v", s.Sections)
	}
	html := render(t, root)
	if !strings.Contains(html, `id="section-de-custom"`) || strings.Contains(html, `id="de-stale"`) {
		t.Error("the result is not shown, or shown as out of date, after Analyse")
	}
	for _, tc := range []struct {
		change func()
		want   string
	}{
		{func() { s.Roles = map[string]string{"HET": "response"} }, "the sample-sheet roles changed"},
		{func() { s.Files = append(s.Files, api.LoadSummary{Name: "more.tsv", SHA256: "ff"}) }, "the loaded files changed"},
		{func() { s.DE.Contrast = "pCR,no,yes" }, "the form above changed"},
	} {
		tc.change()
		if got := s.DEStale(root.deParams()); !strings.Contains(got, tc.want) {
			t.Errorf("stale %q, want %q", got, tc.want)
		}
	}
	html = render(t, root)
	for _, want := range []string{`id="de-stale"`, `class="de-result stale"`, "press Run to update it", `id="section-de-custom"`, "~ pCR"} {
		if !strings.Contains(html, want) {
			t.Errorf("stale result lacks %q", want)
		}
	}
	// The example cohort replaces everything, the DE result too.
	root.loadDemo()
	if s.DEResult != nil || len(s.Sections) != 0 || s.Roles != nil {
		t.Error("loading the example cohort kept the old DE result or roles")
	}
}

func TestLiveRegions(t *testing.T) {
	s := NewStore()
	s.Start(3, api.KindDERun, "Differential expression (DESeq2) ~ pCR")
	s.Apply(api.Event{ID: 3, Kind: api.EventProgress, Step: "DESeq2: MAP dispersions (5000 of 20000 genes)", Fraction: 0.45})
	html := render(t, &Root{Store: s, Engine: &paramEngine{}})
	for _, want := range []string{`id="banner-region" aria-live="assertive"`, `id="job-status" class="sr-only" role="status"`,
		"Working: Differential expression (DESeq2) ~ pCR", `aria-label="Differential expression (DESeq2) ~ pCR"`, "MAP dispersions (5000 of 20000 genes) 45%"} {
		if !strings.Contains(html, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

// TestDEFormFollowsDefault: the design builder takes the sheet's new default
// design after a role change unless the user edited it.
func TestDEFormFollowsDefault(t *testing.T) {
	for _, edited := range []bool{false, true} {
		s := NewStore()
		withSheetFile(s)
		s.Apply(sheetEvent()) // default ~ pCR
		if edited {
			s.DE.Contrast = "pCR,no,yes"
		}
		s.Start(7, api.KindRoles, "Column HET: response")
		ev := rolesSheetEvent(7)
		var v api.SamplesView
		json.Unmarshal(ev.Data, &v)
		v.DE = api.DEParams{Formula: "~ HET", Contrast: "HET,yes,no", Method: "voom"}
		ev.Data = api.Marshal(v)
		s.Apply(ev)
		if got := s.DE.Formula == "~ HET"; got == edited {
			t.Errorf("edited %v: form %+v", edited, s.DE)
		}
	}
}

func TestIndeterminateProgress(t *testing.T) {
	s := NewStore()
	s.Start(3, api.KindDERun, "Differential expression (limma-voom) ~ pCR")
	s.Apply(api.Event{ID: 3, Kind: api.EventProgress, Step: "limma-voom: filterByExpr, TMM, voom, lmFit, eBayes", Fraction: 0.05, Indeterminate: true})
	html := render(t, &Root{Store: s, Engine: &paramEngine{}})
	if !strings.Contains(html, `<progress class="indeterminate" aria-label="Differential expression (limma-voom) ~ pCR"></progress>`) || strings.Contains(html, "eBayes 5%") {
		t.Errorf("no moving bar for a step without a fraction:\n%s", html)
	}
	s.Apply(api.Event{ID: 3, Kind: api.EventProgress, Step: "draw", Fraction: 0.9})
	if html := render(t, &Root{Store: s, Engine: &paramEngine{}}); !strings.Contains(html, "draw 90%") || strings.Contains(html, `class="indeterminate"`) {
		t.Error("a later step with a fraction still shows the moving bar")
	}
}
