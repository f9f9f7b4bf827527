package spatial_test

import (
	"fmt"
	"strings"

	"github.com/her2het/her2het/core/spatial"
)

// Analyze a DSP export given as a TSV pair: segment properties and the
// target x segment count matrix.
func ExampleAnalyze() {
	segs := "SegmentDisplayName\tAOISurfaceArea\tAOINucleiCount\tpatientID\tRegion\tHER2 heterogeneity\n"
	counts := map[string][]string{"ERBB2": nil, "KRT5": nil, "ACTB": nil, "NegProbe-WTX": nil}
	var names []string
	for p := 1; p <= 4; p++ {
		for roi := 1; roi <= 2; roi++ {
			for _, reg := range []string{"HER2-high", "HER2-low"} {
				name := fmt.Sprintf("P%d | %03d | %s", p, roi, reg)
				names = append(names, name)
				segs += fmt.Sprintf("%s\t%d\t%d\tP%d\t%s\t%d\n", name, 20000+roi*1000, 200+p*10, p, reg, p%2)
				erbb2, krt5 := 400+40*p+7*roi, 100+13*p+5*roi
				if reg == "HER2-low" {
					erbb2 /= 3 + p%2
					krt5 += 20 * (p % 2)
				}
				counts["ERBB2"] = append(counts["ERBB2"], fmt.Sprint(erbb2))
				counts["KRT5"] = append(counts["KRT5"], fmt.Sprint(krt5))
				counts["ACTB"] = append(counts["ACTB"], fmt.Sprint(900+11*p+3*roi))
				counts["NegProbe-WTX"] = append(counts["NegProbe-WTX"], fmt.Sprint(3+p%2+roi))
			}
		}
	}
	mat := "TargetName\t" + strings.Join(names, "\t") + "\n"
	for _, t := range []string{"ERBB2", "KRT5", "ACTB", "NegProbe-WTX"} {
		mat += t + "\t" + strings.Join(counts[t], "\t") + "\n"
	}
	st, _ := spatial.ReadTable(strings.NewReader(segs), "segments.tsv")
	ct, _ := spatial.ReadTable(strings.NewReader(mat), "counts.tsv")
	set, err := spatial.FromDSPExport(st, ct, "RNA")
	if err != nil {
		fmt.Println(err)
		return
	}
	o := spatial.DefaultOptions()
	o.QC.MinSegmentReads = 0           // the example has no sequencing summary
	o.Normalization = spatial.NormArea // four targets are too few for Q3
	res, err := spatial.Analyze(set, o)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range res.Comparison.Region[:2] {
		fmt.Printf("%s: log2FC %.2f, Satterthwaite df %.1f, %d patients\n", r.Target, r.Log2FC, r.DF, r.NPairs)
	}
	for _, h := range res.Comparison.HET[:2] {
		fmt.Printf("%s: region x HET %.2f (p %.2g)\n", h.Target, h.Interaction, h.InteractionP)
	}
	// Output:
	// ERBB2: log2FC 1.79, Satterthwaite df 11.0, 4 patients
	// KRT5: log2FC -0.10, Satterthwaite df 11.0, 4 patients
	// ERBB2: region x HET 0.42 (p 6.7e-08)
	// KRT5: region x HET -0.20 (p 4.3e-08)
}
