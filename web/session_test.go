package web

import (
	"strings"
	"testing"

	"github.com/her2het/her2het/core/api"
)

func TestSessionRoundTripAndMatching(t *testing.T) {
	s := NewStore()
	s.Params.ScoreMethod = "ssgsea"
	s.Files = []api.LoadSummary{{Name: "counts.tsv", Size: 10, SHA256: "aa"}, {Name: "samples.tsv", Size: 5, SHA256: "bb"}}
	text := s.SessionJSON()
	if strings.Contains(text, "ERBB2") {
		t.Fatal("a session must not carry data")
	}
	ses, err := ReadSession("s.json", text)
	if err != nil {
		t.Fatal(err)
	}
	if ses.Params != s.Params || len(ses.Inputs) != 2 || ses.Version != api.Version {
		t.Fatalf("round trip: %+v", ses)
	}
	fresh := NewStore()
	fresh.Files = []api.LoadSummary{{Name: "counts.tsv", SHA256: "cc"}}
	missing, changed := fresh.Missing(ses)
	if len(missing) != 2 || len(changed) != 1 || changed[0] != "counts.tsv" {
		t.Fatalf("missing %v changed %v", missing, changed)
	}
	// Loading the right files completes the restore.
	fresh.Restoring = ses
	for _, f := range s.Files {
		fresh.Apply(api.Event{Kind: api.EventData, DataType: "loadSummary", Data: api.Marshal(f)})
	}
	if fresh.Restoring != nil {
		t.Fatal("restore not completed after every input was loaded")
	}
}

func TestReadSessionErrors(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"{", "s.json: not a her2het session file"},
		{`{"format": "other"}`, `format "other"`},
	} {
		if _, err := ReadSession("s.json", tc.text); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ReadSession(%q) error %v, want %q", tc.text, err, tc.want)
		}
	}
}

func TestSessionKeepsDesign(t *testing.T) {
	s := NewStore()
	if strings.Contains(s.SessionJSON(), `"de"`) {
		t.Fatal("an empty design builder is saved")
	}
	s.DE = api.DEParams{Formula: "~ patient + timepoint", Contrast: "timepoint,post,pre", Method: "deseq2", FDR: 0.1}
	ses, err := ReadSession("s.json", s.SessionJSON())
	if err != nil {
		t.Fatal(err)
	}
	if ses.DE == nil || *ses.DE != s.DE {
		t.Fatalf("design after the round trip: %+v", ses.DE)
	}
}
