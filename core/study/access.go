package study

import (
	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/ingest"
)

// Sheet returns the sample sheet that was added and its file name, or nil and ""
// when none was added. The sheet is the Inputs' own: callers must not modify it.
func (in *Inputs) Sheet() (*dataset.SampleSheet, string) { return in.sheet, in.sheetName }

// Counts returns the raw count matrix that was added (per-sample HTSeq/STAR files
// merged by gene, as Run does) and the name of its first file, or nil and "" when
// no count matrix was added. Gene identifiers are as in the file. The Inputs keep
// the counts compact (CountStore): the float64 matrix is made at each call and its
// values are the caller's (they may be modified; the name slices are the Inputs'
// and must not be). The error is ingest.Merge's.
func (in *Inputs) Counts() (*dataset.Matrix, string, error) {
	switch len(in.matrices) {
	case 0:
		return nil, "", nil
	case 1:
		return in.matrices[0].Float(), in.matrices[0].Name, nil
	}
	l, err := ingest.Merge(in.matrices)
	if err != nil {
		return nil, "", err
	}
	return l.Float(), in.matrices[0].Name, nil
}

// MatrixSamples returns the column (sample) names of the count matrix, or of the
// expression matrix when there is no count matrix, and that file's name; nil when
// neither was added. It does not merge per-sample files: their names are collected.
func (in *Inputs) MatrixSamples() ([]string, string) {
	var src []*ingest.Loaded
	switch {
	case len(in.matrices) > 0:
		src = in.matrices
	case len(in.exprs) > 0:
		src = in.exprs
	default:
		return nil, ""
	}
	var out []string
	for _, l := range src {
		out = append(out, l.Samples()...)
	}
	return out, src[0].Name
}
