package study

import (
	"fmt"
	"strings"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/ingest"
)

// Integer counts (issue 11, lean memory): Add loads every matrix with
// ingest.Options.Compact, so the Inputs hold raw counts as 4-byte whole numbers
// (dataset.Store; a value that is not a whole number below 2^32-1 is kept exactly
// beside them), half the bytes of a float64 Matrix. Counts, Run and the engine
// take float64 values from it when and where an analysis needs them, the same
// bits as the file's numbers.

// CountStore returns the raw counts as the Inputs hold them (per-sample HTSeq/STAR
// files merged by gene) and the name of the first count file, or nil and "" when no
// count matrix was added. The store is the Inputs' own (read-only) unless files
// were merged. Use its SubsetCols, SelectCols or RowInto to get float64 values for
// only the samples or genes an analysis uses.
func (in *Inputs) CountStore() (*dataset.Store, string, error) {
	switch len(in.matrices) {
	case 0:
		return nil, "", nil
	case 1:
		return storeOf(in.matrices[0]), in.matrices[0].Name, nil
	}
	l, err := ingest.Merge(in.matrices)
	if err != nil {
		return nil, "", err
	}
	return storeOf(l), in.matrices[0].Name, nil
}

// storeOf returns l's matrix as a Store (its own when it has one).
func storeOf(l *ingest.Loaded) *dataset.Store {
	if l.Store != nil {
		return l.Store
	}
	return dataset.CompactMatrix(l.Matrix)
}

// MatrixBytes returns the bytes the values of the added count and expression
// matrices take in memory (dataset.Store.Bytes; 8 per cell for a float64 Matrix).
func (in *Inputs) MatrixBytes() int64 {
	var n int64
	for _, ls := range [][]*ingest.Loaded{in.matrices, in.exprs} {
		for _, l := range ls {
			switch {
			case l.Store != nil:
				n += l.Store.Bytes()
			case l.Matrix != nil:
				n += 8 * int64(len(l.Matrix.Data))
			}
		}
	}
	return n
}

// EmptyStoreLibraries is EmptyLibraries for counts held as a Store (the same
// columns and the same warnings, TestEmptyStoreLibraries), computed from the
// store's column sums without a float64 copy of the matrix.
func EmptyStoreLibraries(s *dataset.Store, file string) (cols []int, warnings []string) {
	ns := s.Cols()
	var names []string
	for j, l := range s.ColSums() {
		if l > 0 {
			continue
		}
		cols = append(cols, j)
		names = append(names, s.Samples[j])
		warnings = append(warnings, fmt.Sprintf("%s: sample %s (sample column %d of %d) has library size 0 (no read in any of %d genes): left out of every analysis (QC)",
			file, s.Samples[j], j+1, ns, s.Rows()))
	}
	if len(names) > 1 {
		warnings = append(warnings, fmt.Sprintf("%d samples without reads left out: %s", len(names), strings.Join(names, ", ")))
	}
	return cols, warnings
}

// shareGenes makes l use first's gene names when they are the same, in the same
// order (per-sample HTSeq/STAR files of one annotation): each file would
// otherwise hold its own copy of every name (about 2 MB per file for 60,000
// Ensembl identifiers, more than its counts).
func shareGenes(first, l *ingest.Loaded) {
	g0, g := first.Genes(), l.Genes()
	if l.Store == nil || len(g0) != len(g) {
		return
	}
	for i := range g {
		if g[i] != g0[i] {
			return
		}
	}
	l.Store.Genes = g0
}
