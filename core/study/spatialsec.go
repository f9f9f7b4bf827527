package study

import (
	"bytes"
	"fmt"
	"math"
	"strings"

	"github.com/her2het/her2het/core/plotdata"
	"github.com/her2het/her2het/core/spatial"
)

func init() { spatialHook = (*runner).geomx }

// geomx analyses a GeoMx DSP export (core/spatial): segment QC with the GeoMx RNA
// workflow cutoffs, Q3 normalisation (protein panels: housekeepers, else IgG
// background), then HER2-high vs HER2-low segments within patient (LMM y ~ region +
// (1 | patient) with Satterthwaite df, and the paired t-test on patient means) and
// HET vs non-HET (LMM y ~ region * het + (1 | patient)) on log2(normalised + 1).
// A patient's HET status comes from the segment annotation, else from the cohort.
func (r *runner) geomx() *Section {
	const id, title = "spatial", "Spatial profiling (GeoMx)"
	segs, err := spatial.ReadTable(bytes.NewReader(r.in.spatialSegs), r.in.spatialSegsName)
	if err != nil {
		return skipped(id, title, err.Error())
	}
	cnt, err := spatial.ReadTable(bytes.NewReader(r.in.spatialCounts), r.in.spatialCountsName)
	if err != nil {
		return skipped(id, title, err.Error())
	}
	set, err := spatial.FromDSPExport(segs, cnt, "RNA")
	if err != nil {
		return skipped(id, title, err.Error())
	}
	sec := &Section{ID: id, Title: title}
	protein := len(spatial.IgGTargets(set.Counts)) > 0
	qc := spatial.QC(set, spatial.WorkflowQC())
	keep := make([]bool, len(qc))
	qt := plotdata.Table{ID: "spatial-qc", Title: "GeoMx segment QC (GeoMx RNA workflow cutoffs)",
		Columns: []string{"segment", "nuclei", "area", "raw_reads", "aligned_pct", "saturation_pct", "pass", "failed"}}
	nPass := 0
	for i, q := range qc {
		keep[i] = q.Pass
		if q.Pass {
			nPass++
		}
		sg := set.Segments[i]
		qt.Rows = append(qt.Rows, []string{sg.Name, fmtNum(sg.Nuclei), fmtNum(sg.Area), fmtNum(sg.Raw), fmtNum(q.AlignedPct),
			fmtNum(q.SaturationPct), fmt.Sprint(q.Pass), strings.Join(q.Failed(), ",")})
	}
	sec.Tables = append(sec.Tables, qt)
	if nPass < 4 {
		return skipped(id, title, fmt.Sprintf("only %d segments pass QC", nPass))
	}
	if nPass < len(qc) {
		if set, err = set.Subset(keep); err != nil {
			return skipped(id, title, err.Error())
		}
	}
	var factors []float64
	normName := "Q3 (75th percentile)"
	if protein {
		f, _, err := spatial.TargetSetFactors(set.Counts, spatial.DefaultHousekeepers)
		normName = "housekeepers (" + strings.Join(spatial.DefaultHousekeepers, ", ") + ")"
		if err != nil {
			f, _, err = spatial.TargetSetFactors(set.Counts, spatial.IgGTargets(set.Counts))
			normName = "IgG background"
		}
		if err != nil {
			return skipped(id, title, "protein normalisation: "+err.Error())
		}
		factors = f
	} else {
		factors = spatial.Q3Factors(set.Counts)
	}
	// Drop negative-probe targets from the comparison.
	var rows []int
	for i, t := range set.Targets {
		if !t.Negative {
			rows = append(rows, i)
		}
	}
	norm, err := spatial.ApplyFactors(set.Counts, factors)
	if err != nil {
		return skipped(id, title, err.Error())
	}
	norm = norm.SubsetRows(rows)
	d, err := spatial.DesignFromSet(set, spatial.DesignOptions{})
	if err != nil {
		return skipped(id, title, err.Error())
	}
	fromCohort := 0
	for i, p := range d.Patient {
		if d.HET[i] >= 0 {
			continue
		}
		if pt := r.fishPatient(p); pt != nil && pt.HET != "" {
			d.HET[i] = map[string]int{"1": 1, "0": 0}[pt.HET]
			fromCohort++
		}
	}
	if fromCohort > 0 {
		sec.Notes = append(sec.Notes, fmt.Sprintf("HET status of %d segments taken from the cohort (not in the segment annotation)", fromCohort))
	}
	cmp, err := spatial.Compare(norm, d, spatial.CompareOptions{Workers: r.p.Workers})
	if err != nil {
		return skipped(id, title, err.Error())
	}
	vf := spatial.VolcanoFigure(cmp, r.p.FDR)
	vf.ID = "spatial-volcano"
	sec.Figures = append(sec.Figures, vf)
	for _, g := range r.p.AmpliconGenes[:min(2, len(r.p.AmpliconGenes))] {
		if f, err := spatial.TargetFigure(norm, d, g, cmp.Pseudocount); err == nil {
			f.ID = "spatial-" + slug(g)
			sec.Figures = append(sec.Figures, f)
		}
	}
	rt := plotdata.Table{ID: "spatial-regions", Title: fmt.Sprintf("%s vs %s within patient (LMM, Satterthwaite)", d.RegionNames[0], d.RegionNames[1]),
		Columns: []string{"target", "log2FC", "SE", "df", "t", "p", "fdr", "n_pairs", "paired_diff", "paired_p", "paired_fdr", "wilcox_p"}}
	nSig := 0
	regionGroups := d.RegionNames[0] + " vs " + d.RegionNames[1] + " (within patient)"
	for _, x := range cmp.Region {
		rt.Rows = append(rt.Rows, []string{x.Target, fmtNum(x.Log2FC), fmtNum(x.SE), fmtNum(x.DF), fmtNum(x.T), fmtNum(x.P), fmtNum(x.FDR),
			fmtInt(x.NPairs), fmtNum(x.PairedDiff), fmtNum(x.PairedP), fmtNum(x.PairedFDR), fmtNum(x.WilcoxP)})
		if x.FDR < r.p.FDR {
			nSig++
		}
		if r.isAmplicon(x.Target) {
			sec.Tests = append(sec.Tests, TestRow{"spatial region", x.Target, regionGroups, "LMM region + (1|patient), Satterthwaite t", x.T, x.P, x.FDR, x.NPairs})
			sec.Tests = append(sec.Tests, TestRow{"spatial region", x.Target, regionGroups, "paired t-test on patient means", x.PairedT, x.PairedP, x.PairedFDR, x.NPairs})
		}
	}
	sec.Tables = append(sec.Tables, rt)
	summary := fmt.Sprintf("%d of %d segments pass QC (%d patients with both regions; normalisation %s); %d targets differ between %s and %s at FDR %s",
		nPass, len(qc), cmp.NPatients, normName, nSig, d.RegionNames[0], d.RegionNames[1], fmtNum(r.p.FDR))
	if cmp.HET != nil {
		ht := plotdata.Table{ID: "spatial-het", Title: "HET vs non-HET (LMM region * het + (1|patient))",
			Columns: []string{"target", "het_diff", "se", "df", "p", "fdr", "interaction", "interaction_p", "interaction_fdr", "patient_wilcox_p"}}
		nh := 0
		for _, x := range cmp.HET {
			ht.Rows = append(ht.Rows, []string{x.Target, fmtNum(x.HETDiff), fmtNum(x.HETSE), fmtNum(x.HETDF), fmtNum(x.HETP), fmtNum(x.HETFDR),
				fmtNum(x.Interaction), fmtNum(x.InteractionP), fmtNum(x.InteractionFDR), fmtNum(x.PatientWilcoxP)})
			if x.HETFDR < r.p.FDR {
				nh++
			}
			if r.isAmplicon(x.Target) {
				stat := math.NaN()
				if x.HETSE > 0 {
					stat = x.HETDiff / x.HETSE
				}
				sec.Tests = append(sec.Tests, TestRow{"spatial HET", x.Target, "HET vs non-HET", "LMM region*het + (1|patient), Satterthwaite t", stat, x.HETP, x.HETFDR, cmp.NHET + cmp.NNonHET})
			}
		}
		sec.Tables = append(sec.Tables, ht)
		summary += fmt.Sprintf("; HET (%d patients) vs non-HET (%d): %d targets at FDR %s", cmp.NHET, cmp.NNonHET, nh, fmtNum(r.p.FDR))
	}
	sec.Summary = summary + "."
	return sec
}

func (r *runner) isAmplicon(g string) bool {
	for _, a := range r.p.AmpliconGenes {
		if a == g {
			return true
		}
	}
	return false
}
