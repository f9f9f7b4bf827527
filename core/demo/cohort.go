package demo

import (
	"errors"
	"fmt"
	"math"
	"sync"

	"github.com/her2het/her2het/core/pool"
)

// Group is a patient's response and HER2-heterogeneity group.
type Group int

const (
	GroupPCR   Group = iota // non-HET with pathological complete response
	GroupNoPCR              // non-HET with residual disease
	GroupHET                // HER2-heterogeneous (no pCR, as in the trial)
)

func (g Group) String() string {
	switch g {
	case GroupPCR:
		return "nonHET_pCR"
	case GroupNoPCR:
		return "nonHET_noPCR"
	case GroupHET:
		return "HET_noPCR"
	}
	return fmt.Sprintf("Group(%d)", int(g))
}

// HETPattern says how a HET patient's FISH is heterogeneous.
type HETPattern int

const (
	PatternNone      HETPattern = iota // non-HET
	PatternOneSite                     // one site with 5-50% amplified areas, the other amplified
	PatternNegative                    // one site HER2-negative (ASCO/CAP group 5), the other amplified or heterogeneous
	PatternBothSites                   // both sites heterogeneous
)

// Patient is one synthetic patient.
type Patient struct {
	ID       string // e.g. "SYN001"
	Group    Group
	HR       bool   // hormone receptor positive (ER or PR positive)
	ER, PR   bool   // oestrogen and progesterone receptor status
	RCB      string // "0", "I", "II", "III"
	Biopsies int    // pretreatment RNA-seq biopsies (1 or 2)
	Residual bool   // has a post-treatment residual tumour sample
	SiteWord string // "site" or "core": how this patient's biopsies are named
	Pattern  HETPattern
	Spatial  bool // part of the GeoMx-like spatial set

	// Latent patient-level program scores (log2 units) used by the generator.
	basal, lum, prolif, pi3k, egfr, immune, myeloid, stroma, her2e float64
	resp                                                           float64 // treatment response multiplier
	ampNoise                                                       float64

	sites    [2]fishSite // pretreatment FISH sites
	residual fishSite    // post-treatment FISH (when Residual)
}

// HET reports whether the patient is HER2-heterogeneous.
func (p *Patient) HET() bool { return p.Group == GroupHET }

// PCR reports whether the patient had a pathological complete response.
func (p *Patient) PCR() bool { return p.Group == GroupPCR }

// Sample is one RNA-seq sample.
type Sample struct {
	ID        string // e.g. "SYN001_site1", "SYN001_Residual"
	Patient   int    // index into Cohort.Patients
	Post      bool   // residual tumour after treatment
	Site      int    // pretreatment biopsy site 0 or 1 (-1 for Residual)
	SiteLabel string // "site1", "core2", "Residual"
	IHC       int    // HER2 IHC score 0-3 of the tissue
	LibSize   float64

	amp float64 // amplicon program score (log2 units)
}

// Cohort is a generated synthetic cohort.
type Cohort struct {
	Options  Options
	Patients []Patient
	Samples  []Sample
	Genes    []string // gene symbols (rows of the count matrix)

	counts []float64 // genes x samples, row-major whole numbers
	cells  []fishCell
	sp     *spatialSet

	mu    sync.Mutex
	files []File
}

// Design of the cohort (the paper's numbers: Li et al., J Clin Invest 2024).
const (
	NPatients    = 129
	NPCR         = 64
	NNoPCR       = 51
	NHET         = 14
	NSamples     = 285
	NPre         = 242
	NPost        = 43
	NOneBiopsy   = 16
	DefaultGenes = 20000
	DefaultSeed  = 20240129
)

// Options configure Generate.
type Options struct {
	// Seed of the PCG streams; 0 means DefaultSeed.
	Seed uint64
	// Genes is the number of genes (rows of counts.tsv.gz); 0 means DefaultGenes.
	// At least 2,000 so every planted program has its genes.
	Genes int
	// Workers splits the gene-wise count generation across goroutines (<= 1:
	// serially). Every gene has its own random streams, so the output is
	// bit-identical for any value.
	Workers int
	// Pool, when not nil, runs the gene-wise count generation instead of Workers
	// goroutines (in the browser: on the Web Workers of the analysis). The cohort
	// does not depend on it or on its size.
	Pool pool.Pool
	// Uncompressed makes Files write the counts as plain text "counts.tsv"
	// instead of "counts.tsv.gz" (gzip costs about a second under js/wasm and is
	// pointless when the bytes never leave memory). The other files do not change.
	Uncompressed bool
}

func (o Options) withDefaults() (Options, error) {
	if o.Seed == 0 {
		o.Seed = DefaultSeed
	}
	if o.Genes == 0 {
		o.Genes = DefaultGenes
	}
	if o.Genes < 2000 || o.Genes > 60000 {
		return o, errors.New("demo: Genes must be between 2000 and 60000")
	}
	if o.Workers < 1 {
		o.Workers = 1
	}
	return o, nil
}

// Random stream identifiers (the second PCG word); genes use streamGene+2g and +2g+1.
const (
	streamDesign  = 1
	streamGeneSet = 2
	streamFISH    = 3
	streamSpatial = 4
	streamLib     = 5
	streamGene    = 1 << 20
)

// design draws the patients and the sample list.
func design(seed uint64) ([]Patient, []Sample) {
	r := newSampler(seed, streamDesign)
	groups := make([]Group, 0, NPatients)
	for i := 0; i < NPCR; i++ {
		groups = append(groups, GroupPCR)
	}
	for i := 0; i < NNoPCR; i++ {
		groups = append(groups, GroupNoPCR)
	}
	for i := 0; i < NHET; i++ {
		groups = append(groups, GroupHET)
	}
	perm := make([]int, NPatients)
	for i := range perm {
		perm[i] = i
	}
	r.shuffle(perm)
	pts := make([]Patient, NPatients)
	byGroup := [3][]int{}
	for i := range pts {
		g := groups[perm[i]]
		pts[i] = Patient{ID: fmt.Sprintf("SYN%03d", i+1), Group: g, Biopsies: 2, SiteWord: "site"}
		if i%4 == 3 {
			pts[i].SiteWord = "core"
		}
		byGroup[g] = append(byGroup[g], i)
	}
	// Hormone receptor status: 28/64, 36/51, 8/14 positive.
	for g, n := range [3]int{28, 36, 8} {
		for _, k := range r.pick(len(byGroup[g]), n) {
			pts[byGroup[g][k]].HR = true
		}
	}
	// RCB: pCR is RCB 0; non-pCR non-HET 14 I / 27 II / 10 III; HET 2 / 7 / 5.
	rcb := func(g Group, counts [3]int) {
		idx := append([]int(nil), byGroup[g]...)
		r.shuffle(idx)
		k := 0
		for c, n := range counts {
			for j := 0; j < n; j++ {
				pts[idx[k]].RCB = [3]string{"I", "II", "III"}[c]
				k++
			}
		}
	}
	for _, i := range byGroup[GroupPCR] {
		pts[i].RCB = "0"
	}
	rcb(GroupNoPCR, [3]int{14, 27, 10})
	rcb(GroupHET, [3]int{2, 7, 5})
	// Residual tumour samples: 33 non-HET and 10 HET patients with RCB II or III.
	for _, gn := range [2][2]int{{int(GroupNoPCR), 33}, {int(GroupHET), 10}} {
		var cand []int
		for _, i := range byGroup[gn[0]] {
			if pts[i].RCB == "II" || pts[i].RCB == "III" {
				cand = append(cand, i)
			}
		}
		for _, k := range r.pick(len(cand), gn[1]) {
			pts[cand[k]].Residual = true
		}
	}
	// One pretreatment biopsy for 16 patients: 8 pCR, 6 non-pCR, 2 HET.
	for g, n := range [3]int{8, 6, 2} {
		for _, k := range r.pick(len(byGroup[g]), n) {
			pts[byGroup[g][k]].Biopsies = 1
		}
	}
	// HET FISH patterns: 8 one-site, 4 negative-site, 2 both-sites.
	het := append([]int(nil), byGroup[GroupHET]...)
	r.shuffle(het)
	for k, i := range het {
		switch {
		case k < 8:
			pts[i].Pattern = PatternOneSite
		case k < 12:
			pts[i].Pattern = PatternNegative
		default:
			pts[i].Pattern = PatternBothSites
		}
	}
	// Spatial subset: 4 HET and 4 non-HET non-pCR patients (first by ID).
	nh, nn := 0, 0
	for i := range pts {
		switch {
		case pts[i].Group == GroupHET && nh < 4:
			pts[i].Spatial = true
			nh++
		case pts[i].Group == GroupNoPCR && nn < 4:
			pts[i].Spatial = true
			nn++
		}
	}
	// Latent patient-level program scores.
	for i := range pts {
		p := &pts[i]
		het, pcr := p.Group == GroupHET, p.Group == GroupPCR
		hr := 0.0
		if p.HR {
			hr = 1
		}
		p.basal = r.normal(0, 0.25) + float64(0.15*(1-hr))
		if het {
			p.basal += 1.0
		}
		p.her2e = r.normal(0.2, 0.5) + float64(0.5*(1-hr))
		if het {
			p.her2e -= 0.4
		}
		p.lum = r.normal(-0.8+float64(1.6*hr), 0.4)
		p.prolif = r.normal(0, 0.4) + float64(0.3*(1-hr))
		p.pi3k = r.normal(0, 0.45)
		p.egfr = r.normal(0, 0.45)
		p.immune = r.normal(0, 0.6)
		switch {
		case het:
			p.pi3k += 0.9
			p.egfr += 0.7
			p.immune -= 0.45
		case pcr:
			p.pi3k += 0.1
			p.egfr += 0.35
			p.immune += 0.55
		}
		p.myeloid = r.normal(0, 0.4)
		p.stroma = r.normal(0, 0.5)
		p.resp = math.Max(0.2, r.normal(1, 0.3))
		if het {
			p.resp *= 0.25
		}
		p.ampNoise = r.normal(0, 0.25)
	}
	// Samples: per patient, pretreatment biopsies then the residual tumour.
	var smp []Sample
	for i := range pts {
		p := &pts[i]
		for b := 0; b < p.Biopsies; b++ {
			lab := fmt.Sprintf("%s%d", p.SiteWord, b+1)
			smp = append(smp, Sample{ID: p.ID + "_" + lab, Patient: i, Site: b, SiteLabel: lab})
		}
		if p.Residual {
			smp = append(smp, Sample{ID: p.ID + "_Residual", Patient: i, Post: true, Site: -1, SiteLabel: "Residual"})
		}
	}
	// ER and PR: HR-positive tumours are ER-positive in 92%, PR-positive in 65% (always
	// when ER-negative); HR-negative tumours are both negative.
	for i := range pts {
		p := &pts[i]
		if p.HR {
			p.ER = r.unif() < 0.92
			p.PR = !p.ER || r.unif() < 0.65
		}
	}
	return pts, smp
}
