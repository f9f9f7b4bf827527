package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestMakeSheet: the study's proportions (285 samples: 129 patients, 43 post,
// 113 patients with two pre-treatment biopsies) and the paired small shape.
func TestMakeSheet(t *testing.T) {
	for _, tc := range []struct {
		n, patients, post, twoPre int
	}{
		{12, 6, 6, 0},
		{100, 45, 15, 40},
		{285, 129, 43, 113},
		{1000, 453, 151, 396},
	} {
		s, err := MakeSheet(tc.n)
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Sample) != tc.n {
			t.Fatalf("n=%d: %d samples", tc.n, len(s.Sample))
		}
		pre := map[string]int{}
		post := 0
		for j := range s.Sample {
			if s.Timepoint[j] == "post" {
				post++
			} else {
				pre[s.Patient[j]]++
			}
		}
		two := 0
		for _, k := range pre {
			if k == 2 {
				two++
			}
		}
		if len(pre) != tc.patients || post != tc.post || two != tc.twoPre {
			t.Errorf("n=%d: %d patients, %d post, %d with two pre; want %d, %d, %d",
				tc.n, len(pre), post, two, tc.patients, tc.post, tc.twoPre)
		}
	}
	if _, err := MakeSheet(3); err == nil {
		t.Error("MakeSheet(3) succeeded")
	}
}

// TestCountsDeterministic: the same seed writes the same bytes.
func TestCountsDeterministic(t *testing.T) {
	s, err := MakeSheet(12)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.tsv"), filepath.Join(dir, "b.tsv")
	if err := writeCounts(a, 200, s, 5); err != nil {
		t.Fatal(err)
	}
	if err := writeCounts(b, 200, s, 5); err != nil {
		t.Fatal(err)
	}
	x, _ := os.ReadFile(a)
	y, _ := os.ReadFile(b)
	if string(x) != string(y) || len(x) < 200*12*2 {
		t.Errorf("counts differ or are too short (%d bytes)", len(x))
	}
}
