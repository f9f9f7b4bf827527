package spatial

import (
	"fmt"
	"math"
	"strings"

	"github.com/her2het/her2het/core/fmath"
)

// QCThresholds are the segment QC cutoffs of GeomxTools' setSegmentQCFlags.
// A zero or NaN threshold disables its flag.
type QCThresholds struct {
	MinSegmentReads   float64 // LowReads: Raw < this
	PercentTrimmed    float64 // LowTrimmed: 100 Trimmed/Raw < this
	PercentStitched   float64 // LowStitched: 100 Stitched/Raw < this
	PercentAligned    float64 // LowAligned: 100 Aligned/Raw < this
	PercentSaturation float64 // LowSaturation: 100 (1 − Deduplicated/Aligned) < this
	MinNegativeCount  float64 // LowNegatives: NegGeoMean < this in any module
	MaxNTCCount       float64 // HighNTC: NTC > this
	MinNuclei         float64 // LowNuclei: nuclei < this
	MinArea           float64 // LowArea: area < this
}

// GeomxToolsQC are the DEFAULTS of GeomxTools 3.x (R/NanoStringGeoMxSet-qc.R):
// minSegmentReads 1000, percentTrimmed 80, percentStitched 80, percentAligned
// 80, percentSaturation 50, minNegativeCount 10, maxNTCCount 60, minNuclei 200,
// minArea 16000.
func GeomxToolsQC() QCThresholds {
	return QCThresholds{MinSegmentReads: 1000, PercentTrimmed: 80, PercentStitched: 80, PercentAligned: 80,
		PercentSaturation: 50, MinNegativeCount: 10, MaxNTCCount: 60, MinNuclei: 200, MinArea: 16000}
}

// WorkflowQC are the cutoffs of NanoString's GeoMx RNA workflow (Bioconductor
// GeoMxWorkflows, "Analyzing GeoMx-NGS RNA Expression Data with GeomxTools"),
// which suit small tumour segments: minSegmentReads 1000, percentTrimmed 80,
// percentStitched 80, percentAligned 75, percentSaturation 50,
// minNegativeCount 1, maxNTCCount 9000, minNuclei 20, minArea 1000.
func WorkflowQC() QCThresholds {
	return QCThresholds{MinSegmentReads: 1000, PercentTrimmed: 80, PercentStitched: 80, PercentAligned: 75,
		PercentSaturation: 50, MinNegativeCount: 1, MaxNTCCount: 9000, MinNuclei: 20, MinArea: 1000}
}

// QC flag names, in GeomxTools' order.
var QCFlagNames = []string{"LowReads", "LowTrimmed", "LowStitched", "LowAligned", "LowSaturation",
	"LowNegatives", "HighNTC", "LowNuclei", "LowArea"}

// SegmentQC is the QC of one segment.
type SegmentQC struct {
	// Percentages as GeomxTools computes them; NaN when a count is missing.
	TrimmedPct, StitchedPct, AlignedPct, SaturationPct float64
	// Flags in QCFlagNames order. A flag whose metric is missing (NaN) is false.
	Flags []bool
	Pass  bool
}

// Failed lists the names of the raised flags.
func (q SegmentQC) Failed() []string {
	var out []string
	for i, f := range q.Flags {
		if f {
			out = append(out, QCFlagNames[i])
		}
	}
	return out
}

// String is "PASS" or the raised flags joined with ",".
func (q SegmentQC) String() string {
	if q.Pass {
		return "PASS"
	}
	return strings.Join(q.Failed(), ",")
}

// QC flags every segment of s with the thresholds (GeomxTools
// setSegmentQCFlags: setSeqQCFlags, setBackgroundQCFlags, setGeoMxQCFlags).
// The comparisons are GeomxTools': strict "<" for minimums and ">" for
// maxNTCCount. A segment passes when no flag is raised.
func QC(s *Set, th QCThresholds) []SegmentQC {
	out := make([]SegmentQC, len(s.Segments))
	on := func(v float64) bool { return v > 0 && !math.IsNaN(v) }
	lt := func(v, cut float64) bool { return on(cut) && !math.IsNaN(v) && v < cut }
	for i, g := range s.Segments {
		q := SegmentQC{Flags: make([]bool, len(QCFlagNames))}
		q.TrimmedPct = 100 * (g.Trimmed / g.Raw)
		q.StitchedPct = 100 * (g.Stitched / g.Raw)
		q.AlignedPct = 100 * (g.Aligned / g.Raw)
		q.SaturationPct = 100 * (1 - g.Deduplicated/g.Aligned)
		for _, p := range []*float64{&q.TrimmedPct, &q.StitchedPct, &q.AlignedPct, &q.SaturationPct} {
			if math.IsInf(*p, 0) {
				*p = math.NaN()
			}
		}
		q.Flags[0] = lt(g.Raw, th.MinSegmentReads)
		q.Flags[1] = lt(q.TrimmedPct, th.PercentTrimmed)
		q.Flags[2] = lt(q.StitchedPct, th.PercentStitched)
		q.Flags[3] = lt(q.AlignedPct, th.PercentAligned)
		q.Flags[4] = lt(q.SaturationPct, th.PercentSaturation)
		if s.Analyte != "Protein" {
			for _, v := range g.NegGeoMean {
				q.Flags[5] = q.Flags[5] || lt(v, th.MinNegativeCount)
			}
		}
		q.Flags[6] = on(th.MaxNTCCount) && !math.IsNaN(g.NTC) && g.NTC > th.MaxNTCCount
		q.Flags[7] = lt(g.Nuclei, th.MinNuclei)
		q.Flags[8] = lt(g.Area, th.MinArea)
		q.Pass = true
		for _, f := range q.Flags {
			q.Pass = q.Pass && !f
		}
		out[i] = q
	}
	return out
}

// LOQ is the limit of quantification of each segment for each module
// (Set.Modules order), as the GeoMx RNA workflow defines it:
//
//	LOQ = max(NegGeoMean × NegGeoSD^sdCutoff, minLOQ)
//
// with sdCutoff 2 and minLOQ 2 by default. When NegGeoSD is unknown (a DSP
// export gives only the negative target's count) it is taken as 1, so LOQ =
// max(NegGeoMean, minLOQ); the result says so via the second return value
// (false). Modules without negatives give NaN.
func LOQ(s *Set, sdCutoff, minLOQ float64) (loq [][]float64, fromSD bool) {
	fromSD = true
	loq = make([][]float64, len(s.Segments))
	for i, g := range s.Segments {
		loq[i] = make([]float64, len(s.Modules))
		for m := range s.Modules {
			gm, sd := at(g.NegGeoMean, m), at(g.NegGeoSD, m)
			if math.IsNaN(sd) {
				sd = 1
				fromSD = false
			}
			v := gm * fmath.Pow(sd, sdCutoff)
			if v < minLOQ {
				v = minLOQ
			}
			if math.IsNaN(gm) {
				v = math.NaN()
			}
			loq[i][m] = v
		}
	}
	return loq, fromSD
}

// DetectionRate is, for each target, the fraction of segments whose count is
// above the LOQ of the target's module (the workflow's gene detection rate);
// NaN LOQs count as not detected. Negative targets get NaN.
func DetectionRate(s *Set, loq [][]float64) []float64 {
	mod := map[string]int{}
	for i, m := range s.Modules {
		mod[m] = i
	}
	out := make([]float64, len(s.Targets))
	for t, tg := range s.Targets {
		if tg.Negative {
			out[t] = math.NaN()
			continue
		}
		m := mod[tg.Module]
		n := 0
		for j := range s.Segments {
			if j < len(loq) && s.Counts.At(t, j) > at(loq[j], m) {
				n++
			}
		}
		out[t] = float64(n) / float64(len(s.Segments))
	}
	return out
}

// Subset returns the set restricted to the segments keep[i] == true (in
// order), sharing nothing with s's count matrix.
func (s *Set) Subset(keep []bool) (*Set, error) {
	if len(keep) != len(s.Segments) {
		return nil, fmt.Errorf("spatial: %d keep flags for %d segments", len(keep), len(s.Segments))
	}
	var idx []int
	out := *s
	out.Segments = nil
	for i, k := range keep {
		if k {
			idx = append(idx, i)
			out.Segments = append(out.Segments, s.Segments[i])
		}
	}
	out.Counts = s.Counts.SubsetCols(idx)
	return &out, nil
}

// at returns x[i], or NaN when i is out of range.
func at(x []float64, i int) float64 {
	if i < 0 || i >= len(x) {
		return math.NaN()
	}
	return x[i]
}
