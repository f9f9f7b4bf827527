package engine

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/her2het/her2het/core/api"
)

func rolesRequest(id int64, roles map[string]string) api.Request {
	return api.Request{ID: id, Kind: api.KindRoles, Params: api.Marshal(api.RolesParams{Roles: roles})}
}

func groupsTable(v api.SamplesView) api.TableView {
	for _, t := range v.Counts {
		if t.ID == "samples-groups" {
			return t
		}
	}
	return api.TableView{}
}

// TestSamplesRoleOverride gives the response role to the HET column: the group
// counts, the columns' roles, the default design and a DE run follow, and the
// run shows the roles next to its result.
func TestSamplesRoleOverride(t *testing.T) {
	e := New()
	loadFixture(t, e, "counts.tsv", "samples.tsv")
	v, last := data[api.SamplesView](t, run(t, e, rolesRequest(2, map[string]string{"HET": "pCR", "batch": "covariate"}), nil), "samples")
	if last.Kind != api.EventDone {
		t.Fatalf("roles: %v", last.Error)
	}
	cols := map[string]api.SheetColumn{}
	for _, c := range v.Columns {
		cols[c.Name] = c
	}
	for name, want := range map[string][3]string{
		"HET":    {"response", "HET", "set"},
		"pCR":    {"other", "response", ""}, // lost its role to HET
		"batch":  {"other", "batch", "set"},
		"sample": {"sample", "sample", ""},
	} {
		c := cols[name]
		set := ""
		if c.Set {
			set = "set"
		}
		if got := [3]string{c.Role, c.Detected, set}; got != want {
			t.Errorf("column %s: role, detected, set = %q, want %q", name, got, want)
		}
	}
	if fmt.Sprint(v.Roles) != "map[HET:response batch:other]" {
		t.Errorf("overrides %v", v.Roles)
	}
	if n := strings.Join(v.RoleNotes, "\n"); !strings.Contains(n, `column "pCR" (detected as response) is now a covariate: "HET" is the response column`) {
		t.Errorf("role notes %q", n)
	}
	// HET 1 (P1, P2, P4 and S99's P9) is now the response "yes".
	g := groupsTable(v)
	want := "[[no 3 6] [yes 4 7]]"
	if g.Title != "Groups: HET (patients and samples)" || strings.Join(g.Columns, ",") != "HET,patients,samples" || fmt.Sprint(g.Rows) != want {
		t.Errorf("groups %q %v %v, want HET alone and %s", g.Title, g.Columns, g.Rows, want)
	}
	if v.DE.Formula != "~ HET" || v.DE.Contrast != "HET,yes,no" {
		t.Errorf("default design %+v", v.DE)
	}
	// A later KindSamples shows the same roles.
	v2, _ := data[api.SamplesView](t, run(t, e, api.Request{ID: 3, Kind: api.KindSamples}, nil), "samples")
	if fmt.Sprint(groupsTable(v2).Rows) != want {
		t.Errorf("samples after roles: %v", groupsTable(v2).Rows)
	}
	// The DE builder uses the new roles: "response" names the HET column.
	sec, last := data[api.Section](t, run(t, e, api.Request{ID: 4, Kind: api.KindDERun,
		Params: api.Marshal(api.DEParams{Formula: "~ response", Contrast: "response,yes,no", Method: "voom"})}, nil), "section")
	if last.Kind != api.EventDone {
		t.Fatalf("DE run: %v", last.Error)
	}
	var shown string
	for _, p := range sec.Params {
		if p.Name == "sample-sheet roles (set by you)" {
			shown = p.Value
		}
	}
	if shown != "HET = response, batch = other" {
		t.Errorf("DE params %v lack the roles", sec.Params)
	}
	// Back to the detected roles.
	v3, last := data[api.SamplesView](t, run(t, e, rolesRequest(5, nil), nil), "samples")
	if last.Kind != api.EventDone || len(v3.Roles) != 0 || groupsTable(v3).Columns[0] != "pCR" {
		t.Errorf("reset: %v, roles %v, groups %v", last.Error, v3.Roles, groupsTable(v3).Columns)
	}
}

// TestSamplesRoleOverrideRefused: a choice that cannot work is an error that says
// why, and the roles stay as they were.
func TestSamplesRoleOverrideRefused(t *testing.T) {
	tests := []struct {
		roles map[string]string
		want  string
	}{
		{map[string]string{"batch": "response"}, `column "batch" as response: 2 level(s) after normalisation ("b1", "b0"); a response column needs exactly two (yes and no); "b1", "b0" not understood`},
		{map[string]string{"timepoint": "HET"}, `column "timepoint" as HET: 4 level(s) after normalisation ("Pre", "post", "PRE", "pre"); a HET column needs exactly two (1 and 0)`},
		{map[string]string{"batch": "HET", "timepoint": "het"}, `columns "timepoint" and "batch" are both set to HET`},
		{map[string]string{"sample": "covariate"}, "no sample column"},
		{map[string]string{"patient": "sample", "sample": "ignore"}, `column "patient" cannot be the sample column: its values repeat`},
		{map[string]string{"batch": "cohort"}, `column "batch": "cohort" is not a role; choose one of sample, patient, timepoint, response`},
		{map[string]string{"Batch": "batch"}, `samples.tsv has no column "Batch"`},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprint(tc.roles), func(t *testing.T) {
			e := New()
			loadFixture(t, e, "counts.tsv", "samples.tsv")
			_, last := data[api.SamplesView](t, run(t, e, rolesRequest(2, tc.roles), nil), "samples")
			if last.Kind != api.EventError || !strings.Contains(last.Error.Error(), tc.want) {
				t.Fatalf("got %+v %v, want an error with %q", last, last.Error, tc.want)
			}
			v, _ := data[api.SamplesView](t, run(t, e, api.Request{ID: 3, Kind: api.KindSamples}, nil), "samples")
			if len(v.Roles) != 0 || groupsTable(v).Columns[0] != "pCR" {
				t.Errorf("a refused choice changed the roles: %v", v.Roles)
			}
		})
	}
}

// TestSamplesRoleOverrideReplay: the page replays a session into a fresh engine
// after a restart; roles that arrive before the sheet are applied when it loads.
func TestSamplesRoleOverrideReplay(t *testing.T) {
	e := New()
	evs := run(t, e, rolesRequest(1, map[string]string{"batch": "ignore"}), nil)
	if last := evs[len(evs)-1]; last.Kind != api.EventDone {
		t.Fatalf("roles before the sheet: %v", last.Error)
	}
	f := deFixture()
	evs = run(t, e, api.Request{ID: 2, Kind: api.KindLoad, Files: []api.FileRef{{Name: "samples.tsv"}, {Name: "counts.tsv"}}}, f)
	var sum api.LoadSummary
	for _, ev := range evs {
		if ev.DataType == "loadSummary" {
			json.Unmarshal(ev.Data, &sum)
			break
		}
	}
	if !strings.Contains(strings.Join(sum.Warnings, "\n"), "roles set by the user: batch = ignore") {
		t.Errorf("sheet notes %q lack the roles", sum.Warnings)
	}
	v, _ := data[api.SamplesView](t, run(t, e, api.Request{ID: 3, Kind: api.KindSamples}, nil), "samples")
	var batch api.SheetColumn
	for _, c := range v.Columns {
		if c.Name == "batch" {
			batch = c
		}
	}
	if batch.Role != "ignore" || !batch.Set || batch.Detected != "batch" || v.Roles["batch"] != "ignore" {
		t.Errorf("batch column %+v, roles %v", batch, v.Roles)
	}
	// The DE builder no longer sees the ignored column.
	_, last := data[api.DEDesign](t, run(t, e, api.Request{ID: 4, Kind: api.KindDEDesign,
		Params: api.Marshal(api.DEParams{Formula: "~ batch", Contrast: "batch,b1,b0"})}, nil), "deDesign")
	if last.Kind != api.EventError || !strings.Contains(last.Error.Message, `no column "batch"`) {
		t.Errorf("design over an ignored column: %+v", last.Error)
	}
}

// TestAnalyseShowsRoles: every section of an analysis made with overrides shows
// them with its parameters.
func TestAnalyseShowsRoles(t *testing.T) {
	e := New()
	loadFixture(t, e, "counts.tsv", "samples.tsv")
	if last := run(t, e, rolesRequest(2, map[string]string{"batch": "covariate"}), nil); last[len(last)-1].Kind != api.EventDone {
		t.Fatal(last[len(last)-1].Error)
	}
	evs := run(t, e, api.Request{ID: 3, Kind: api.KindAnalyze}, nil)
	if last := evs[len(evs)-1]; last.Kind != api.EventDone {
		t.Fatalf("analyze: %v", last.Error)
	}
	n := 0
	for _, ev := range evs {
		if ev.DataType != "section" {
			continue
		}
		var s api.Section
		json.Unmarshal(ev.Data, &s)
		if s.ID == "tests" {
			continue
		}
		n++
		found := false
		for _, p := range s.Params {
			found = found || p.Name == "sample-sheet roles (set by you)" && p.Value == "batch = other"
		}
		if !found {
			t.Errorf("section %s params %v lack the roles", s.ID, s.Params)
		}
	}
	if n < 2 {
		t.Errorf("%d sections", n)
	}
	// The report lists them with the settings.
	var d api.Download
	for _, ev := range run(t, e, api.Request{ID: 6, Kind: api.KindReport}, nil) {
		if ev.DataType == "report" {
			json.Unmarshal(ev.Data, &d)
		}
	}
	if !strings.Contains(d.Text, "sample-sheet roles (set by you)") || !strings.Contains(d.Text, "batch = other") {
		t.Error("the report does not show the roles")
	}
	// The same roles again (a page re-sending them) keep the analysis; new ones drop it.
	run(t, e, rolesRequest(4, map[string]string{"batch": "other"}), nil)
	if e.result == nil {
		t.Error("re-sending the same roles dropped the analysis")
	}
	run(t, e, rolesRequest(5, map[string]string{"batch": "ignore"}), nil)
	if e.result != nil {
		t.Error("new roles kept an analysis that no longer describes the inputs")
	}
}
