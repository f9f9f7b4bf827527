package demo

import (
	"bytes"
	"math"
	"strconv"

	"github.com/her2het/her2het/core/fmath"
)

// fishArea is one scored area of a biopsy site.
type fishArea struct {
	name   string
	kind   areaKind
	f      float64 // target fraction of amplified cells
	ratio  float64 // mean ERBB2/CEP17 ratio of amplified cells
	nCells int
	nEval  int // cells with CEP17 > 0
	nAmp   int // amplified evaluable cells (exact)
}

type areaKind int

const (
	areaAmplified areaKind = iota // >= 55% amplified cells
	areaHet                       // 5% < amplified < 50% (kept within 6-48%)
	areaNegative                  // <= 3% amplified, ASCO/CAP group 5
)

// fishSite is a biopsy site (or the residual tumour) with its areas.
type fishSite struct {
	label string
	areas []fishArea
	fAmp  float64 // realised fraction of amplified evaluable cells
	ratio float64 // mean ratio of the amplified cells (area average)
	ihc   int
}

// fishCell is one scored nucleus.
type fishCell struct {
	patient    int
	post       bool
	site, area string
	id         int
	erbb2      int
	cep17      int
	x, y       int
	ihc        int
}

// siteSpec says how to draw a site's areas: the kind of the first area and of the
// others (with the probability that another area is of the first kind), and the
// ranges of amplified fraction and ratio.
type siteSpec struct {
	first, other areaKind
	pFirst       float64
	fLo, fHi     float64 // amplified fraction range for amplified areas
	rLo, rHi     float64 // ratio range
}

func ampSpec(fLo, fHi, rLo, rHi float64) siteSpec {
	return siteSpec{first: areaAmplified, other: areaAmplified, pFirst: 1, fLo: fLo, fHi: fHi, rLo: rLo, rHi: rHi}
}

// drawSite draws the areas (and their cells' counts later) of one site.
func drawSite(r *sampler, label string, sp siteSpec) fishSite {
	s := fishSite{label: label}
	nAreas := 2 + r.intn(2)
	siteRatio := r.uniform(sp.rLo, sp.rHi)
	for a := 0; a < nAreas; a++ {
		k := sp.first
		if a > 0 && r.unif() >= sp.pFirst {
			k = sp.other
		}
		ar := fishArea{name: "A" + strconv.Itoa(a+1), kind: k, nCells: 60 + r.intn(61)}
		switch k {
		case areaAmplified:
			ar.f = r.uniform(sp.fLo, sp.fHi)
		case areaHet:
			ar.f = r.uniform(0.10, 0.45)
		case areaNegative:
			ar.f = r.uniform(0, 0.03)
		}
		ar.ratio = math.Max(2.6, siteRatio*float64(1+float64(0.08*r.norm())))
		s.areas = append(s.areas, ar)
	}
	return s
}

// ihcFor draws an IHC score that goes with a site's amplified fraction.
func ihcFor(r *sampler, f float64) int {
	switch {
	case f >= 0.7:
		return [...]int{3, 2}[r.choice([]float64{0.85, 0.15})]
	case f >= 0.3:
		return [...]int{3, 2, 1}[r.choice([]float64{0.25, 0.6, 0.15})]
	case f >= 0.05:
		return [...]int{2, 1, 0}[r.choice([]float64{0.4, 0.5, 0.1})]
	}
	return [...]int{1, 0}[r.choice([]float64{0.5, 0.5})]
}

// drawFISH draws every patient's FISH sites and cells and sets the samples'
// amplicon scores and IHC.
func drawFISH(seed uint64, pts []Patient, smp []Sample) []fishCell {
	r := newSampler(seed, streamFISH)
	var cells []fishCell
	for i := range pts {
		p := &pts[i]
		// Pretreatment sites.
		var specs [2]siteSpec
		switch p.Group {
		case GroupPCR:
			specs[0] = ampSpec(0.88, 1.0, 5.0, 8.5)
			specs[1] = specs[0]
		case GroupNoPCR:
			specs[0] = ampSpec(0.7, 0.95, 3.5, 6.5)
			specs[1] = specs[0]
		default:
			amp := ampSpec(0.55, 0.8, 3.0, 5.0)
			het := siteSpec{first: areaHet, other: areaAmplified, pFirst: 0.5, fLo: 0.55, fHi: 0.8, rLo: 3.0, rHi: 5.5}
			neg := siteSpec{first: areaNegative, other: areaNegative, pFirst: 1, rLo: 3.0, rHi: 5.0}
			switch p.Pattern {
			case PatternOneSite:
				specs = [2]siteSpec{het, amp}
			case PatternNegative:
				specs = [2]siteSpec{neg, het}
				if r.unif() < 0.5 {
					specs[1] = amp
				}
			default:
				het.pFirst = 1
				specs = [2]siteSpec{het, het}
			}
			if r.unif() < 0.5 { // which site is the heterogeneous one
				specs[0], specs[1] = specs[1], specs[0]
			}
		}
		for b := 0; b < 2; b++ {
			p.sites[b] = drawSite(r, p.SiteWord+strconv.Itoa(b+1), specs[b])
			cells = drawCells(r, cells, i, false, &p.sites[b])
		}
		if p.Residual {
			var sp siteSpec
			if p.Group == GroupHET {
				sp = siteSpec{first: areaHet, other: areaHet, pFirst: 0.6, rLo: 3.0, rHi: 5.0}
				if r.unif() < 0.4 {
					sp.other = areaNegative
				}
			} else {
				switch r.choice([]float64{0.5, 0.35, 0.15}) {
				case 0:
					sp = ampSpec(0.6, 0.95, 3.0, 5.5)
				case 1:
					sp = siteSpec{first: areaHet, other: areaAmplified, pFirst: 0.3, fLo: 0.55, fHi: 0.85, rLo: 3.0, rHi: 5.5}
				default:
					sp = siteSpec{first: areaNegative, other: areaHet, pFirst: 0.3, rLo: 3.0, rHi: 5.0}
				}
			}
			p.residual = drawSite(r, "Residual", sp)
			cells = drawCells(r, cells, i, true, &p.residual)
		}
	}
	// Amplicon score and IHC of the RNA-seq samples from the FISH of their site.
	for k := range smp {
		s := &smp[k]
		p := &pts[s.Patient]
		site := &p.residual
		if !s.Post {
			site = &p.sites[s.Site]
		}
		s.IHC = site.ihc
		mean := float64(site.fAmp*site.ratio) + (1 - site.fAmp)
		s.amp = log2Portable(mean) - 2.2 + p.ampNoise
	}
	return cells
}

func log2Portable(x float64) float64 { return fmath.Log(x) / math.Ln2 }

// drawCells draws the nuclei of every area of site s, fixing the exact number of
// amplified evaluable nuclei of each area so that its call under the default rule
// (ratio >= 2, heterogeneous when 5% < amplified < 50%, group 5 negative) is the
// intended one.
func drawCells(r *sampler, cells []fishCell, patient int, post bool, s *fishSite) []fishCell {
	var totAmp, totEval int
	var ratioSum float64
	siteStart := len(cells)
	for a := range s.areas {
		ar := &s.areas[a]
		start := len(cells)
		for c := 0; c < ar.nCells; c++ {
			cep := [...]int{0, 1, 2, 3, 4}[r.choice([]float64{0.02, 0.12, 0.6, 0.18, 0.08})]
			if cep > 0 {
				ar.nEval++
			}
			cells = append(cells, fishCell{patient: patient, post: post, site: s.label, area: ar.name, id: c + 1,
				cep17: cep, x: r.intn(2048), y: r.intn(2048)})
		}
		n := ar.nEval
		k := int(math.Floor(float64(ar.f*float64(n)) + 0.5))
		switch ar.kind {
		case areaAmplified:
			k = max(k, (55*n+99)/100)
		case areaHet:
			k = min(max(k, 6*n/100+1), 48*n/100)
		case areaNegative:
			k = min(k, 3*n/100)
		}
		ar.nAmp = k
		// Selection sampling of the k amplified nuclei among the evaluable ones.
		need, left := k, n
		for c := start; c < len(cells); c++ {
			cl := &cells[c]
			amp := false
			if cl.cep17 > 0 {
				amp = r.intn(left) < need
				if amp {
					need--
				}
				left--
			} else {
				amp = r.unif() < ar.f
			}
			cl.erbb2 = drawERBB2(r, cl.cep17, amp, ar.ratio)
		}
		totAmp += k
		totEval += n
		ratioSum += ar.ratio
	}
	s.fAmp = float64(totAmp) / float64(totEval)
	s.ratio = ratioSum / float64(len(s.areas))
	s.ihc = ihcFor(r, s.fAmp)
	for c := siteStart; c < len(cells); c++ {
		cells[c].ihc = s.ihc
	}
	return cells
}

// drawERBB2 draws the ERBB2 signal count of a nucleus with cep CEP17 signals: an
// amplified nucleus has ratio >= 2 (about ratio x CEP17, capped at 40 signals,
// clusters counted as such), a non-amplified one CEP17 +/- 1 with ratio < 2.
func drawERBB2(r *sampler, cep int, amp bool, ratio float64) int {
	c := cep
	if c == 0 {
		c = 2 // no CEP17 signal seen: the ERBB2 count behaves as for a disomic nucleus
	}
	if amp {
		v := int(math.Floor(float64(float64(c)*ratio*fmath.Exp(0.25*r.norm())) + 0.5))
		v = min(max(v, 2*c), 40)
		return v
	}
	v := c + [...]int{-1, 0, 1}[r.choice([]float64{0.15, 0.6, 0.25})]
	if cep > 0 {
		v = min(v, 2*cep-1)
	}
	return max(v, 0)
}

// writeFISH writes the per-cell table (fish.NewCellReader's columns).
func writeFISH(pts []Patient, cells []fishCell) []byte {
	var b bytes.Buffer
	b.Grow(len(cells) * 40)
	b.WriteString("# Synthetic demo data (her2het core/demo), not patient data: per-nucleus ERBB2 and CEP17 FISH signal counts\n")
	b.WriteString("patientID\ttpt\tsite\tarea\tcell\tERBB2\tCEP17\tx\ty\tIHC\n")
	var line []byte
	for _, c := range cells {
		line = line[:0]
		line = append(line, pts[c.patient].ID...)
		if c.post {
			line = append(line, "\tPost\t"...)
		} else {
			line = append(line, "\tPre\t"...)
		}
		line = append(line, c.site...)
		line = append(line, '\t')
		line = append(line, c.area...)
		line = append(line, '\t')
		line = strconv.AppendInt(line, int64(c.id), 10)
		line = append(line, '\t')
		line = strconv.AppendInt(line, int64(c.erbb2), 10)
		line = append(line, '\t')
		line = strconv.AppendInt(line, int64(c.cep17), 10)
		line = append(line, '\t')
		line = strconv.AppendInt(line, int64(c.x), 10)
		line = append(line, '\t')
		line = strconv.AppendInt(line, int64(c.y), 10)
		line = append(line, '\t')
		line = append(line, ihcText(c.ihc)...)
		line = append(line, '\n')
		b.Write(line)
	}
	return b.Bytes()
}

func ihcText(s int) string { return [...]string{"0", "1+", "2+", "3+"}[s] }
