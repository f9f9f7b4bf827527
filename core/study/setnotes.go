package study

import (
	"fmt"
	"math"
	"strings"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/geneset"
)

// setScoreNotes explains what gene-set scoring left out, as notes of the pathways
// section: genes with a missing value, and (for the methods that drop them: GSVA,
// z-score, PLAGE; GSVA 1.46's filterFeatures warns "N genes with constant
// expression values throughout the samples") genes constant across the samples;
// then the sets not scored because too few (or too many) of their genes are in the
// data, those with no gene found named apart. keepConstant is true for ssGSEA and
// singscore, which keep constant genes.
func setScoreNotes(m *dataset.Matrix, sc *geneset.Scores, minSize int, keepConstant bool) []string {
	var notes []string
	var missing, constant int
	for g := 0; g < m.Rows(); g++ {
		row := m.Row(g)
		finite := true
		for _, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				finite = false
				break
			}
		}
		switch {
		case !finite:
			missing++
		case !keepConstant && isConstant(row):
			constant++
		}
	}
	if missing+constant > 0 {
		var why []string
		if constant > 0 {
			why = append(why, fmt.Sprintf("%d constant across the samples (no ranking possible; GSVA 1.46 drops them too)", constant))
		}
		if missing > 0 {
			why = append(why, fmt.Sprintf("%d with a missing value", missing))
		}
		notes = append(notes, fmt.Sprintf("gene-set scores use %d of %d genes; left out: %s", sc.GenesUsed, m.Rows(), strings.Join(why, " and ")))
	}
	if len(sc.Dropped) > 0 {
		var none, few []string
		for _, d := range sc.Dropped {
			if d.Found == 0 {
				none = append(none, d.Name)
			} else {
				few = append(few, fmt.Sprintf("%s (%d found)", d.Name, d.Found))
			}
		}
		if len(few) > 0 {
			notes = append(notes, fmt.Sprintf("%d gene sets not scored (NA): fewer than %d of their genes in the data, or more than the maximum: %s", len(few), max(minSize, 1), firstFew(few)))
		}
		if len(none) > 0 {
			notes = append(notes, fmt.Sprintf("%d gene sets not scored (NA): none of their genes is in the data (gene identifiers not mapped to symbols?): %s", len(none), firstFew(none)))
		}
	}
	return notes
}

// isConstant is geneset's test: sample standard deviation below 1e-10 (or fewer
// than two samples).
func isConstant(x []float64) bool {
	if len(x) < 2 {
		return true
	}
	var s float64
	for _, v := range x {
		s += v
	}
	mean := s / float64(len(x))
	var ss float64
	for _, v := range x {
		ss += (v - mean) * (v - mean)
	}
	return !(math.Sqrt(ss/float64(len(x)-1)) >= 1e-10)
}

// firstFew joins the first 8 of s, saying how many more there are.
func firstFew(s []string) string {
	const n = 8
	if len(s) <= n {
		return strings.Join(s, ", ")
	}
	return strings.Join(s[:n], ", ") + fmt.Sprintf(", ... (%d more)", len(s)-n)
}
