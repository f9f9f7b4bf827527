package limma

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/design"
)

// BenchmarkRData runs on the data written by testdata/gen/bench.R (set
// HER2HET_LIMMA_BENCH_DIR; testdata/gen/bench.sh does it all and prints the
// R/Go ratio). The analyses are R's: voom + lmFit + eBayes on all samples
// (~ timepoint) and duplicateCorrelation on the pretreatment biopsies
// (~ HET, block patient). Single worker, like R.
func BenchmarkRData(b *testing.B) {
	dir := os.Getenv("HER2HET_LIMMA_BENCH_DIR")
	if dir == "" {
		b.Skip("HER2HET_LIMMA_BENCH_DIR not set; see testdata/gen/bench.sh")
	}
	counts := readMatrix(b, filepath.Join(dir, "counts.tsv"), dataset.Counts)
	fr := readSheet(b, filepath.Join(dir, "samples.tsv"))
	fr.Levels = map[string][]string{"timepoint": {"pre", "post"}}
	X1 := mustDesign(b, "~ timepoint", fr)
	b.Run("voom_lmfit_ebayes", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			v, err := Voom(counts, X1, &VoomOptions{Workers: 1})
			if err != nil {
				b.Fatal(err)
			}
			fit, err := LmFit(v.E, X1, &LmOptions{Weights: v.Weights, Workers: 1})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := EBayes(fit, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	var pre []int
	for j, tp := range fr.Columns["timepoint"] {
		if tp == "pre" {
			pre = append(pre, j)
		}
	}
	c2 := counts.SubsetCols(pre)
	fr2 := &design.Frame{Samples: c2.Samples, Columns: map[string][]string{}}
	for k, col := range fr.Columns {
		for _, j := range pre {
			fr2.Columns[k] = append(fr2.Columns[k], col[j])
		}
	}
	X2 := mustDesign(b, "~ HET", fr2)
	v2, err := Voom(c2, X2, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("duplicateCorrelation", func(b *testing.B) {
		b.ReportAllocs()
		var dc *DupCor
		for i := 0; i < b.N; i++ {
			dc, err = DuplicateCorrelation(v2.E, X2, fr2.Columns["patient"], &DupCorOptions{Weights: v2.Weights, Workers: 1})
			if err != nil {
				b.Fatal(err)
			}
		}
		b.Logf("consensus\t%.17g", dc.Consensus)
	})
}
