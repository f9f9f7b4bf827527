package study

import (
	"fmt"
	"strings"

	"github.com/her2het/her2het/core/dataset"
)

// dropEmptyLibraries is the QC step that keeps a sample without reads from
// stopping the analysis. A sample whose library size (column sum of the raw
// counts) is 0 has no expression profile: edgeR's cpm and calcNormFactors, limma's
// voom and DESeq2's size factors divide by it (R: cpm gives NaN, calcNormFactors
// fails, estimateSizeFactors stops with "every gene contains at least one zero").
// Such samples are left out of every analysis, each with a warning naming the
// file, the sample, its position among the matrix's sample columns and the reason.
//
// m is a raw count matrix (columns in file order), file its file's name. The
// result shares m when no sample is dropped (dataset.Matrix.SelectCols). It is an
// error when every sample has library size 0. Counts are finite by construction
// (ingest classifies a matrix with NaN or Inf as expression), so the sum is too.
func dropEmptyLibraries(m *dataset.Matrix, file string) (*dataset.Matrix, []string, error) {
	empty, warnings := EmptyLibraries(m, file)
	if len(empty) == 0 {
		return m, nil, nil
	}
	if len(empty) == m.Cols() {
		return nil, nil, fmt.Errorf("%s:1:0: every sample has library size 0 (the matrix holds only zeros): nothing to analyse", file)
	}
	drop := make(map[int]bool, len(empty))
	for _, j := range empty {
		drop[j] = true
	}
	keep := make([]int, 0, m.Cols()-len(empty))
	for j := range m.Samples {
		if !drop[j] {
			keep = append(keep, j)
		}
	}
	return m.SelectCols(keep), warnings, nil
}

// EmptyLibraries returns the columns of the raw count matrix m (file is its file's
// name) whose library size is 0, in order, and the warnings QC gives for them: one
// per sample naming the file, the sample and its position among the sample
// columns ("counts.tsv: sample P03_pre (sample column 3 of 24) has library size 0
// (no read in any of 300 genes): left out of every analysis (QC)"), then, for
// more than one, a line listing them. The engine's DE builder leaves the same
// samples out.
func EmptyLibraries(m *dataset.Matrix, file string) (cols []int, warnings []string) {
	ns := m.Cols()
	lib := make([]float64, ns)
	for g := 0; g < m.Rows(); g++ {
		for j, v := range m.Row(g) {
			lib[j] += v
		}
	}
	var names []string
	for j, l := range lib {
		if l > 0 {
			continue
		}
		cols = append(cols, j)
		names = append(names, m.Samples[j])
		warnings = append(warnings, fmt.Sprintf("%s: sample %s (sample column %d of %d) has library size 0 (no read in any of %d genes): left out of every analysis (QC)",
			file, m.Samples[j], j+1, ns, m.Rows()))
	}
	if len(names) > 1 {
		warnings = append(warnings, fmt.Sprintf("%d samples without reads left out: %s", len(names), strings.Join(names, ", ")))
	}
	return cols, warnings
}
