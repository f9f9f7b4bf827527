package engine

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/her2het/her2het/core/api"
	"github.com/her2het/her2het/core/pool"
	"github.com/her2het/her2het/core/report"
)

// TestDemoThenAnalyze loads the example cohort and runs every analysis, checking
// that sections arrive drawn and on the app's screens.
func TestDemoThenAnalyze(t *testing.T) {
	if testing.Short() {
		t.Skip("the full example analysis takes a while")
	}
	e := New()
	e.Pool = pool.Local(3) // figures drawn in three parts
	evs := run(t, e, api.Request{ID: 1, Kind: api.KindDemo}, nil)
	if last := evs[len(evs)-1]; last.Kind != api.EventDone {
		t.Fatalf("demo: %+v %v", last, last.Error)
	}
	if n := len(e.Files()); n < 3 {
		t.Fatalf("demo loaded %d files", n)
	}
	evs = run(t, e, api.Request{ID: 2, Kind: api.KindAnalyze}, nil)
	if last := evs[len(evs)-1]; last.Kind != api.EventDone {
		t.Fatalf("analyze: %+v %v", last, last.Error)
	}
	screens := map[string]int{}
	drawnHere := map[string][]api.FigureView{} // figures as sent (drawn on the engine's pool)
	figures := 0
	for _, ev := range evs {
		if ev.Kind != api.EventData || ev.DataType != "section" {
			continue
		}
		var s api.Section
		if err := json.Unmarshal(ev.Data, &s); err != nil {
			t.Fatal(err)
		}
		screens[s.Screen]++
		drawnHere[s.ID] = s.Figures
		if s.Screen == "spatial" && len(s.Figures) == 0 {
			t.Errorf("the spatial section has no figure: %v", s.Summary)
		}
		for _, f := range s.Figures {
			figures++
			if !strings.HasPrefix(f.SVG, "<svg") {
				t.Errorf("section %s figure %s not drawn: %q", s.ID, f.ID, f.Caption)
			}
		}
	}
	for _, want := range []string{"samples", "qc", "expression", "pathways", "subtypes", "immune", "de", "prepost", "fish", "spatial", "response", "report"} {
		if screens[want] == 0 {
			t.Errorf("no section for screen %q (got %v)", want, screens)
		}
	}
	if figures < 10 {
		t.Errorf("only %d figures", figures)
	}
	// The pool's drawings (gob-encoded figures, three parts) are chart.SVG's here.
	for _, sec := range e.result.Sections {
		for i := range sec.Figures {
			f := &sec.Figures[i]
			want, sent := drawHere(f), drawnHere[sec.ID]
			if i >= len(sent) || sent[i].SVG != string(want.svg) {
				t.Errorf("section %s figure %s: the drawing sent differs from chart.SVG's", sec.ID, f.ID)
			}
		}
	}
	evs = run(t, e, api.Request{ID: 3, Kind: api.KindReport}, nil)
	var d api.Download
	for _, ev := range evs {
		if ev.DataType == "report" {
			json.Unmarshal(ev.Data, &d)
		}
	}
	if evs[len(evs)-1].Kind != api.EventDone || !strings.HasPrefix(d.Text, "<!DOCTYPE html>") && !strings.HasPrefix(strings.ToLower(d.Text), "<!doctype html>") {
		t.Fatalf("report: %+v, %d bytes", evs[len(evs)-1], len(d.Text))
	}
	if err := report.Check([]byte(d.Text)); err != nil {
		t.Fatalf("report is not self-contained: %v", err)
	}
	if !strings.Contains(d.Text, "ynthetic") {
		t.Error("the example cohort's report does not say it is synthetic")
	}
}

func TestReportNeedsAnalysis(t *testing.T) {
	evs := run(t, New(), api.Request{ID: 1, Kind: api.KindReport}, nil)
	if last := evs[len(evs)-1]; last.Kind != api.EventError || !strings.Contains(last.Error.Message, "press Analyse first") {
		t.Fatalf("got %+v", last)
	}
}
