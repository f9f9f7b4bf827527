package demo

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
)

// The GeoMx-like spatial set: for each patient of the spatial subset (4 HET and
// 4 non-HET), 4 regions of interest (ROIs), each split into a HER2-high and a
// HER2-low tumour segment (AOI), as a DSP Data Analysis export would give them:
// a segment-properties table and a target x segment count matrix, both TSV.
const (
	spatialROIs    = 4
	spatialTargets = 1800 // a Cancer Transcriptome Atlas-sized RNA panel
	negProbe       = "NegProbe-WTX"
)

// Segment is one GeoMx area of interest.
type Segment struct {
	Name      string // SegmentDisplayName: "<scan> | <ROI> | <segment>"
	Patient   int    // index into Cohort.Patients
	ROI       int    // 1..4
	HER2High  bool
	Area      float64 // AOISurfaceArea, square micrometres
	Nuclei    int     // AOINucleiCount
	RawReads  int
	Aligned   int
	Dedup     int
	Stitched  int
	Trimmed   int
	Saturated float64 // SequencingSaturation, %
}

type spatialSet struct {
	segments []Segment
	targets  []string    // target names (gene symbols, then the negative probe)
	counts   [][]float64 // [target][segment]
}

// drawSpatial generates the spatial set from the gene model's baselines.
//
// Per segment: x_g = base_g + segment noise N(0, 0.3^2) + sum_k L_gk z_k with the
// patient's program scores, the amplicon score of the patient's most amplified
// site in HER2-high segments and 2.0 (HET) or 0.6 (non-HET) lower in HER2-low
// segments, which in HET patients are also more basal (+0.5). Counts are
// NB(D 2^x / sum 2^x, 0.05) plus Poisson background (the negative probe level),
// with D the deduplicated reads given to targets (about 400 per nucleus).
func drawSpatial(seed uint64, gm *geneModel, base []float64, pts []Patient) *spatialSet {
	r := newSampler(seed, streamSpatial)
	sp := &spatialSet{}
	// Targets: every planted gene (not nuisance-only), then others, in row order.
	nG := len(gm.symbols)
	keep := make([]bool, nG)
	n := 0
	for g := range gm.loads {
		for _, l := range gm.loads[g] {
			if l.prog < progNuisance && !keep[g] && n < spatialTargets {
				keep[g] = true
				n++
			}
		}
	}
	var others []int
	for g := range keep {
		if !keep[g] && base[g] > 0 {
			others = append(others, g)
		}
	}
	if need := spatialTargets - n; need > 0 && len(others) > 0 {
		for _, k := range r.pick(len(others), min(need, len(others))) {
			keep[others[k]] = true
		}
	}
	var rows []int
	for g := range keep {
		if keep[g] {
			rows = append(rows, g)
			sp.targets = append(sp.targets, gm.symbols[g])
		}
	}
	sp.targets = append(sp.targets, negProbe)
	var segZ [][nPrograms]float64
	for i := range pts {
		p := &pts[i]
		if !p.Spatial {
			continue
		}
		amp := math.Max(p.sites[0].ampScore(), p.sites[1].ampScore()) + p.ampNoise
		for roi := 1; roi <= spatialROIs; roi++ {
			for _, high := range []bool{true, false} {
				var z [nPrograms]float64
				z[progAmp] = amp + r.normal(0, 0.2)
				z[progBasal] = p.basal + r.normal(0, 0.2)
				if !high {
					if p.HET() {
						z[progAmp] -= 2.0
						z[progBasal] += 0.5
					} else {
						z[progAmp] -= 0.6
					}
				}
				z[progLum] = p.lum + r.normal(0, 0.15)
				z[progProlif] = p.prolif + r.normal(0, 0.2)
				z[progPI3K] = p.pi3k + r.normal(0, 0.2)
				z[progEGFR] = p.egfr + r.normal(0, 0.2)
				z[progImmune] = p.immune + r.normal(0, 0.4)
				z[progMyeloid] = p.myeloid + r.normal(0, 0.3)
				z[progStroma] = p.stroma + r.normal(0, 0.4)
				z[progHer2E] = p.her2e + r.normal(0, 0.2)
				segZ = append(segZ, z)
				seg := Segment{Patient: i, ROI: roi, HER2High: high}
				label := "HER2-low"
				if high {
					label = "HER2-high"
				}
				seg.Name = fmt.Sprintf("%s synthetic scan | %03d | %s", p.ID, roi, label)
				seg.Area = math.Floor(r.uniform(2e4, 1.2e5))
				seg.Nuclei = int(math.Floor(float64(seg.Area*r.uniform(0.006, 0.012)) + 0.5))
				sp.segments = append(sp.segments, seg)
			}
		}
	}
	// One poor segment so that QC has something to flag: few nuclei and reads.
	if len(sp.segments) > 13 {
		sp.segments[13].Area = 1800
		sp.segments[13].Nuclei = 14
	}
	nT, nSeg := len(rows), len(sp.segments)
	sp.counts = make([][]float64, nT+1)
	for t := range sp.counts {
		sp.counts[t] = make([]float64, nSeg)
	}
	x := make([]float64, nT)
	for s := range sp.segments {
		seg := &sp.segments[s]
		sum := 0.0
		for t, g := range rows {
			v := base[g] + r.normal(0, 0.3)
			for _, l := range gm.loads[g] {
				v += float64(l.w * segZ[s][l.prog])
			}
			x[t] = exp2Portable(math.Min(v, 16))
			sum += x[t]
		}
		depth := float64(seg.Nuclei) * r.uniform(300, 500)
		bg := depth * 6e-5 * r.uniform(0.7, 1.3)
		tot := 0.0
		for t := range rows {
			c := r.negbin(float64(depth*x[t])/sum, 0.05) + r.poisson(bg)
			sp.counts[t][s] = c
			tot += c
		}
		neg := r.poisson(bg)
		sp.counts[nT][s] = neg
		tot += neg
		seg.Saturated = math.Floor(float64(r.uniform(70, 95)*10)+0.5) / 10
		seg.Dedup = int(tot)
		seg.Aligned = int(math.Floor(tot / (1 - seg.Saturated/100)))
		seg.Stitched = int(math.Floor(float64(seg.Aligned) / r.uniform(0.9, 0.98)))
		seg.Trimmed = int(math.Floor(float64(seg.Stitched) / r.uniform(0.9, 0.97)))
		seg.RawReads = int(math.Floor(float64(seg.Trimmed) / r.uniform(0.97, 0.995)))
	}
	return sp
}

// ampScore is the amplicon score of a FISH site (log2 of the expected ratio).
func (s *fishSite) ampScore() float64 {
	return log2Portable(float64(s.fAmp*s.ratio)+(1-s.fAmp)) - 2.2
}

// writeSegments writes the segment-properties table.
func (sp *spatialSet) writeSegments(pts []Patient) []byte {
	var b bytes.Buffer
	b.WriteString("# Synthetic demo data (her2het core/demo), not patient data: GeoMx DSP-like segment properties\n")
	b.WriteString("SegmentDisplayName\tSlideName\tScanLabel\tROILabel\tSegmentLabel\tSample_ID\tAOISurfaceArea\tAOINucleiCount\t" +
		"RawReads\tTrimmedReads\tStitchedReads\tAlignedReads\tDeduplicatedReads\tSequencingSaturation\t" +
		"patientID\tRegion\tHER2 heterogeneity\tpCR\tHR\n")
	for s, seg := range sp.segments {
		p := &pts[seg.Patient]
		label := "HER2-low"
		if seg.HER2High {
			label = "HER2-high"
		}
		row := s % 96
		fmt.Fprintf(&b, "%s\tSYNTHETIC slide %s\t%s synthetic scan\t%03d\t%s\tDSP-SYN%07d-%c%02d\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\n",
			seg.Name, p.ID, p.ID, seg.ROI, label, 1+s/96, 'A'+row/12, 1+row%12,
			strconv.FormatFloat(seg.Area, 'f', -1, 64), seg.Nuclei,
			seg.RawReads, seg.Trimmed, seg.Stitched, seg.Aligned, seg.Dedup,
			strconv.FormatFloat(seg.Saturated, 'f', 1, 64),
			p.ID, label, hetText(p), yesNo(p.PCR()), hrText(p))
	}
	return b.Bytes()
}

// writeCounts writes the target x segment count matrix.
func (sp *spatialSet) writeCounts() []byte {
	var b bytes.Buffer
	b.WriteString("# Synthetic demo data (her2het core/demo), not patient data: GeoMx DSP-like target count matrix\n")
	b.WriteString("TargetName")
	for _, seg := range sp.segments {
		b.WriteByte('\t')
		b.WriteString(seg.Name)
	}
	b.WriteByte('\n')
	var line []byte
	for t, name := range sp.targets {
		line = append(line[:0], name...)
		for _, v := range sp.counts[t] {
			line = append(line, '\t')
			line = strconv.AppendInt(line, int64(v), 10)
		}
		line = append(line, '\n')
		b.Write(line)
	}
	return b.Bytes()
}
