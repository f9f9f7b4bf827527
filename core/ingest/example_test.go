package ingest_test

import (
	"fmt"
	"strings"

	"github.com/her2het/her2het/core/ingest"
)

func ExampleReadAny() {
	in := "gene\tP1_pre\tP1_post\nERBB2\t120\t40\nGRB7\t30\t9\n"
	ld, err := ingest.ReadAny("counts.tsv", strings.NewReader(in), ingest.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	m := ld.Matrix
	fmt.Println(ld.Format, m.Kind, m.Rows(), "x", m.Cols(), m.Samples)
	// Output: delimited matrix counts 2 x 2 [P1_pre P1_post]
}

func ExampleReadAny_error() {
	in := "gene\tA\tB\nERBB2\t120\t40\nGRB7\t12.5\t9\n"
	_, err := ingest.ReadAny("counts.tsv", strings.NewReader(in), ingest.Options{Kind: ingest.WantCounts})
	fmt.Println(err)
	// Output: counts.tsv:3:2: "12.5" is not a whole number; DESeq2 and voom need raw counts (load TPM as expression instead)
}

func ExampleMerge() {
	a, _ := ingest.ReadAny("A.htseq.counts", strings.NewReader("G1\t5\nG2\t7\n__no_feature\t3\n"), ingest.Options{})
	b, _ := ingest.ReadAny("B.htseq.counts", strings.NewReader("G1\t1\nG2\t0\nno_feature\t9\n"), ingest.Options{})
	m, err := ingest.Merge([]*ingest.Loaded{a, b})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.Matrix.Samples, m.Matrix.Data, m.Report.ExcludedRows, m.Report.SummaryRows["__no_feature"], m.Report.SummaryRows["no_feature"])
	// Output: [A B] [5 1 7 0] 2 3 9
}
