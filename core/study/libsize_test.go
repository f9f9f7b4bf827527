package study

import (
	"context"
	"strings"
	"testing"

	"github.com/her2het/her2het/core/dataset"
)

func TestDropEmptyLibraries(t *testing.T) {
	mk := func(data ...float64) *dataset.Matrix {
		return &dataset.Matrix{Kind: dataset.Counts, Genes: []string{"A", "B"}, Samples: []string{"s1", "s2", "s3"}, Data: data}
	}
	tests := []struct {
		name     string
		m        *dataset.Matrix
		samples  []string
		warnings []string
		err      string
	}{
		{"every sample has reads: the matrix itself", mk(1, 0, 3, 0, 5, 0), []string{"s1", "s2", "s3"}, nil, ""},
		{"one sample without reads", mk(1, 0, 3, 4, 0, 6), []string{"s1", "s3"},
			[]string{"c.tsv: sample s2 (sample column 2 of 3) has library size 0 (no read in any of 2 genes): left out of every analysis (QC)"}, ""},
		{"two samples without reads", mk(0, 0, 3, 0, 0, 6), []string{"s3"},
			[]string{"c.tsv: sample s1 (sample column 1 of 3) has library size 0", "c.tsv: sample s2 (sample column 2 of 3) has library size 0", "2 samples without reads left out: s1, s2"}, ""},
		{"no sample with reads: error", mk(0, 0, 0, 0, 0, 0), nil, nil, "c.tsv:1:0: every sample has library size 0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, warns, err := dropEmptyLibraries(tc.m, "c.tsv")
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got.Samples, ",") != strings.Join(tc.samples, ",") || len(got.Data) != len(tc.samples)*2 {
				t.Errorf("samples %v (%d values), want %v", got.Samples, len(got.Data), tc.samples)
			}
			if len(warns) != len(tc.warnings) {
				t.Fatalf("warnings %q, want %q", warns, tc.warnings)
			}
			for i, w := range tc.warnings {
				if !strings.HasPrefix(warns[i], w) {
					t.Errorf("warning %q, want it to start with %q", warns[i], w)
				}
			}
			if len(tc.warnings) == 0 && got != tc.m {
				t.Errorf("nothing dropped but the matrix was copied")
			}
		})
	}
}

// TestZeroLibrarySampleDroppedByQC: a sample whose counts are all zero no longer
// stops the study (norm.LogCPM refuses a zero library size); QC leaves it out with
// a warning naming the file, the sample and its column, and every count-based
// section runs on the other samples.
func TestZeroLibrarySampleDroppedByQC(t *testing.T) {
	s := makeSynth(t, 3, 12)
	lines := strings.Split(strings.TrimSuffix(s.Counts, "\n"), "\n")
	header := strings.Split(lines[0], "\t")
	const col = 3 // the third sample column
	victim := header[col]
	for i := 1; i < len(lines); i++ {
		f := strings.Split(lines[i], "\t")
		f[col] = "0"
		lines[i] = strings.Join(f, "\t")
	}
	s.Counts = strings.Join(lines, "\n") + "\n"
	in := loadSynth(t, s, false)
	p := testParams()
	p.GSEAPerm = 20
	res, err := Run(context.Background(), in, p, nil)
	if err != nil {
		t.Fatalf("the study stopped: %v", err)
	}
	var qc *Section
	for _, sec := range res.Sections {
		if sec.ID == "qc" {
			qc = sec
		}
		if sec.ID == "de" && sec.Skipped != "" {
			t.Errorf("DE not run: %s", sec.Skipped)
		}
	}
	if qc == nil || qc.Skipped != "" {
		t.Fatalf("QC section: %+v", qc)
	}
	want := "counts.tsv: sample " + victim + " (sample column 3 of "
	found := false
	for _, n := range qc.Notes {
		found = found || strings.HasPrefix(n, want) && strings.Contains(n, "has library size 0")
	}
	if !found {
		t.Errorf("QC notes %q lack %q ... has library size 0", qc.Notes, want)
	}
	for _, row := range qc.Tables[0].Rows {
		if row[0] == victim {
			t.Errorf("the dropped sample %s is still in the QC table: %v", victim, row)
		}
	}
}
