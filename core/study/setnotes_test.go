package study

import (
	"context"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/geneset"
)

func TestSetScoreNotes(t *testing.T) {
	nan := math.NaN()
	m := &dataset.Matrix{Genes: []string{"A", "B", "C", "D"}, Samples: []string{"s1", "s2", "s3"},
		Data: []float64{1, 2, 3, 5, 5, 5, 1, nan, 2, 4, 1, 0}}
	tests := []struct {
		name         string
		sc           *geneset.Scores
		keepConstant bool
		want         []string
	}{
		{"nothing left out", &geneset.Scores{GenesUsed: 4}, false, nil}, // (m's counts are not re-derived from GenesUsed)
		{"GSVA: constant and missing genes, sets with few and no genes", &geneset.Scores{GenesUsed: 2,
			Dropped: []geneset.DroppedSet{{Name: "SET_A", Found: 0}, {Name: "SET_B", Found: 2}}}, false, []string{
			"gene-set scores use 2 of 4 genes; left out: 1 constant across the samples (no ranking possible; GSVA 1.46 drops them too) and 1 with a missing value",
			"1 gene sets not scored (NA): fewer than 5 of their genes in the data, or more than the maximum: SET_B (2 found)",
			"1 gene sets not scored (NA): none of their genes is in the data (gene identifiers not mapped to symbols?): SET_A"}},
		{"ssGSEA keeps constant genes", &geneset.Scores{GenesUsed: 3}, true, []string{
			"gene-set scores use 3 of 4 genes; left out: 1 with a missing value"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mm := m
			if tc.want == nil {
				mm = &dataset.Matrix{Genes: []string{"A"}, Samples: m.Samples, Data: []float64{1, 2, 3}}
			}
			got := setScoreNotes(mm, tc.sc, 5, tc.keepConstant)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("notes\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
}

// TestEdgeConstantGenesAndOneHETPatient runs the study with half the genes
// without reads (constant in log-CPM: edgeR's prior count is scaled with the
// library size) and then with a single HET patient: the sections run, and what
// was left out is said in the notes, never an error.
func TestEdgeConstantGenesAndOneHETPatient(t *testing.T) {
	p := testParams()
	p.GSEAPerm = 20
	t.Run("genes without reads are constant in log-CPM", func(t *testing.T) {
		s := makeSynth(t, 5, 12)
		lines := strings.Split(strings.TrimSuffix(s.Counts, "\n"), "\n")
		for i := 1; i < len(lines); i += 2 {
			f := strings.Split(lines[i], "\t")
			for j := 1; j < len(f); j++ {
				f[j] = "0"
			}
			lines[i] = strings.Join(f, "\t")
		}
		s.Counts = strings.Join(lines, "\n") + "\n"
		res, err := Run(context.Background(), loadSynth(t, s, false), p, nil)
		if err != nil {
			t.Fatal(err)
		}
		secs := edgeSecs(res)
		pw := secs["pathways"]
		if pw == nil || pw.Skipped != "" {
			t.Fatalf("pathways: %+v", pw)
		}
		if !hasNote(pw.Notes, "constant across the samples (no ranking possible; GSVA 1.46 drops them too)") {
			t.Errorf("pathways notes %q lack the constant genes", pw.Notes)
		}
	})
	t.Run("one HET patient", func(t *testing.T) {
		s := makeSynth(t, 5, 12)
		lines := strings.Split(strings.TrimSuffix(s.Samples, "\n"), "\n")
		first := ""
		for i := 1; i < len(lines); i++ {
			f := strings.Split(lines[i], "\t")
			if f[5] == "1" {
				if first == "" {
					first = f[1]
				}
				if f[1] != first {
					f[5] = "0"
				}
			}
			lines[i] = strings.Join(f, "\t")
		}
		s.Samples = strings.Join(lines, "\n") + "\n"
		res, err := Run(context.Background(), loadSynth(t, s, false), p, nil)
		if err != nil {
			t.Fatal(err)
		}
		secs := edgeSecs(res)
		for _, id := range []string{"amplicon", "de", "change", "response"} {
			if secs[id] == nil || secs[id].Skipped != "" {
				t.Errorf("section %s: %+v", id, secs[id])
			}
		}
		// The within-HET comparisons run on the one patient (its two pretreatment
		// biopsies and the residual tumour) and say so.
		if s := secs["de"].Summary; !strings.Contains(s, "post vs pre within HET: ") || !strings.Contains(s, "3 samples of 1 patients") {
			t.Errorf("DE summary %q", s)
		}
		if s := secs["change"].Summary; !strings.Contains(s, "HET 0.593 (n=1)") {
			t.Errorf("change summary %q", s)
		}
	})
}

func edgeSecs(res *Result) map[string]*Section {
	m := map[string]*Section{}
	for _, s := range res.Sections {
		m[s.ID] = s
	}
	return m
}

func hasNote(notes []string, sub string) bool {
	for _, n := range notes {
		if strings.Contains(n, sub) {
			return true
		}
	}
	return false
}
