package demo

import (
	"math"
	"sync"

	"github.com/her2het/her2het/core/fmath"
	"github.com/her2het/her2het/core/pool"
)

// sampleScores returns the per-sample program scores (samples x programs) and
// draws the library sizes, from the library stream.
//
// Scores, in log2 units: amplicon from the sample's FISH (log2 of the expected
// ERBB2/CEP17 ratio of the tissue, centred at 2.2, plus a patient term); the
// patient-level scores of basal, luminal, proliferation, PI3K, EGFR/MAPK, immune,
// myeloid and stroma programs plus biopsy-level noise; after treatment luminal
// +0.8, PI3K +0.7, stroma +0.9, proliferation -1.3, immune -0.3 and the broad
// treatment program +1, each times the
// patient's response multiplier (about 1 for non-HET, a quarter of that for HET).
// Nuisance factors are independent N(0, 1) per sample.
func sampleScores(seed uint64, pts []Patient, smp []Sample) [][nPrograms]float64 {
	r := newSampler(seed, streamLib)
	z := make([][nPrograms]float64, len(smp))
	for i := range smp {
		s := &smp[i]
		p := &pts[s.Patient]
		post := 0.0
		if s.Post {
			post = p.resp
		}
		// Library size: log-normal around 35 M reads, clipped to 15-80 M.
		s.LibSize = math.Floor(math.Min(80e6, math.Max(15e6, 35e6*fmath.Exp(r.normal(0, 0.3)))))
		zi := &z[i]
		zi[progAmp] = s.amp
		zi[progBasal] = p.basal + r.normal(0, 0.2)
		zi[progLum] = p.lum + r.normal(0, 0.15) + float64(0.8*post)
		zi[progProlif] = p.prolif + r.normal(0, 0.2) - float64(1.3*post)
		zi[progPI3K] = p.pi3k + r.normal(0, 0.2) + float64(0.7*post)
		zi[progEGFR] = p.egfr + r.normal(0, 0.2)
		zi[progImmune] = p.immune + r.normal(0, 0.3) - float64(0.3*post)
		zi[progMyeloid] = p.myeloid + r.normal(0, 0.25)
		zi[progStroma] = p.stroma + r.normal(0, 0.3) + float64(0.9*post)
		zi[progHer2E] = p.her2e + r.normal(0, 0.2)
		zi[progTreat] = post
		for k := 0; k < nNuisance; k++ {
			zi[progNuisance+k] = r.norm()
		}
	}
	return z
}

// geneSpec is what the count model needs to know of one gene (see geneModel).
type geneSpec struct {
	coding, ribo, chrY bool
	hasFixed           bool
	fixed              float64 // fixedBase of the symbol when hasFixed
	loads              []load
}

// spec returns gene g's geneSpec.
func (gm *geneModel) spec(g int) geneSpec {
	b, ok := fixedBase[gm.symbols[g]]
	return geneSpec{coding: gm.coding[g], ribo: ribosomal(gm.symbols[g]), chrY: gm.chrY[g], hasFixed: ok, fixed: b, loads: gm.loads[g]}
}

// geneBase draws a gene's baseline log2 abundance, its patient random-effect SD
// and its dispersion jitter from the gene's first stream, then the patient random
// effects into u.
func geneBase(r *sampler, sp *geneSpec, u []float64) (base, jitter float64) {
	// A mixture of expressed and (nearly) silent genes; random genes stay below
	// the housekeeping genes (fixedBase, ribosomal proteins) at the top.
	if sp.coding {
		if r.unif() < 0.8 {
			base = math.Min(r.normal(3, 2), 9)
		} else {
			base = r.normal(-7, 2)
		}
	} else {
		if r.unif() < 0.45 {
			base = math.Min(r.normal(-0.5, 2), 7)
		} else {
			base = r.normal(-6.5, 2)
		}
	}
	if sp.ribo {
		base = r.normal(9.5, 0.5)
	}
	if sp.chrY {
		base = r.normal(-9, 1)
	}
	tau := 0.25 + float64(0.25*r.unif())
	jitter = fmath.Exp(r.normal(0, 0.35))
	if len(sp.loads) > 0 { // planted genes are expressed
		base = math.Max(base, r.normal(4.5, 1.0))
	}
	if sp.hasFixed {
		base = sp.fixed
	}
	for p := range u {
		u[p] = float64(tau * r.norm())
	}
	return base, jitter
}

// counts generates the count matrix (genes x samples, row-major).
//
// Model, for gene g and sample s of patient p:
//
//	x_gs  = base_g + u_gp + sum_k L_gk z_sk         (log2 abundance)
//	mu_gs = N_s 2^x_gs / sum_h 2^x_hs               (N_s the library size)
//	phi_g = (0.04 + 0.8 / mean_s mu_gs) * jitter_g  (jitter_g log-normal, sd 0.35)
//	y_gs  ~ NB(mu_gs, phi_g) = Poisson(Gamma(1/phi_g, mu_gs phi_g))
//
// with u_gp ~ N(0, tau_g^2), tau_g ~ U(0.25, 0.5), the patient random effect that
// makes a patient's biopsies alike. Gene g draws from two PCG streams of its own, so
// the work splits over any number of workers with identical output. With a
// non-nil p the first phase runs as tasks of the kernel "demo.abundance"
// (abundanceOnPoolToo) and the second (which recomputes its genes' rows of the
// first) as tasks of "demo.counts" on p (see pool.go); otherwise both run on
// workers goroutines.
func (gm *geneModel) counts(seed uint64, pts []Patient, smp []Sample, z [][nPrograms]float64, workers int, p pool.Pool) (data, bases []float64, err error) {
	nG, nS := len(gm.symbols), len(smp)
	data = make([]float64, nG*nS)
	bases = make([]float64, nG)
	jit := make([]float64, nG)
	patientOf := make([]int, nS)
	for s := range smp {
		patientOf[s] = smp[s].Patient
	}
	if p != nil && abundanceOnPoolToo {
		if err := gm.abundanceOnPool(p, seed, len(pts), patientOf, z, data, bases, jit); err != nil {
			return nil, nil, err
		}
	} else {
		parallel(nG, workers, func(lo, hi int) {
			specs := make([]geneSpec, hi-lo)
			for g := lo; g < hi; g++ {
				specs[g-lo] = gm.spec(g)
			}
			abundance(seed, lo, specs, len(pts), patientOf, z, data[lo*nS:hi*nS], bases[lo:hi], jit[lo:hi])
		})
	}
	// Composition: scale every sample to its library size (sums in gene order).
	scale := make([]float64, nS)
	for g := 0; g < nG; g++ {
		row := data[g*nS : (g+1)*nS]
		for s, v := range row {
			scale[s] += v
		}
	}
	for s := range scale {
		scale[s] = smp[s].LibSize / scale[s]
	}
	if p != nil {
		if err := gm.countsOnPool(p, seed, len(pts), patientOf, z, scale, data); err != nil {
			return nil, nil, err
		}
	} else {
		parallel(nG, workers, func(lo, hi int) {
			drawCounts(seed, lo, scale, jit[lo:hi], data[lo*nS:hi*nS])
		})
	}
	return data, bases, nil
}

// abundance is the first phase of counts for the genes lo, lo+1, ... of specs:
// their bases, jitters and rows of 2^x (x capped at 16). patientOf maps samples to
// patients (< nPts); rows has len(specs)*len(patientOf) elements.
func abundance(seed uint64, lo int, specs []geneSpec, nPts int, patientOf []int, z [][nPrograms]float64, rows, bases, jit []float64) {
	nS := len(patientOf)
	r := newSampler(seed, 0)
	u := make([]float64, nPts)
	eu := make([]float64, nPts)
	for i := range specs {
		g := lo + i
		r.reset(seed, streamGene+2*uint64(g))
		base, jitter := geneBase(r, &specs[i], u)
		jit[i], bases[i] = jitter, base
		row := rows[i*nS : (i+1)*nS]
		ld := specs[i].loads
		if len(ld) == 0 {
			// 2^(base + u_p) once per patient.
			for p := range u {
				x := base + u[p]
				if x > 16 { // math.Min(x, 16) (NaN stays NaN) without its call under js/wasm
					x = 16
				}
				eu[p] = exp2Portable(x)
			}
			for s := range row {
				row[s] = eu[patientOf[s]]
			}
			continue
		}
		for s := range row {
			x := base + u[patientOf[s]]
			for _, l := range ld {
				x += float64(l.w * z[s][l.prog])
			}
			if x > 16 {
				x = 16
			}
			row[s] = exp2Portable(x)
		}
	}
}

// drawCounts is the second phase of counts for the genes lo, lo+1, ...: each row
// of rows (len(scale) samples, one row per element of jit) is scaled to the
// libraries and replaced by negative binomial draws from the gene's second stream.
func drawCounts(seed uint64, lo int, scale, jit, rows []float64) {
	nS := len(scale)
	r := newSampler(seed, 0)
	for i := range jit {
		g := lo + i
		r.reset(seed, streamGene+2*uint64(g)+1)
		row := rows[i*nS : (i+1)*nS]
		mean := 0.0
		for s := range row {
			row[s] = float64(row[s] * scale[s])
			mean += row[s]
		}
		mean /= float64(nS)
		nb := newNBParams((0.04 + float64(0.8/math.Max(mean, 0.01))) * jit[i])
		for s := range row {
			row[s] = r.negbinP(row[s], &nb)
		}
	}
}

// parallel runs f over [0, n) split into contiguous ranges, one per worker.
func parallel(n, workers int, f func(lo, hi int)) {
	if workers <= 1 || n < 2*workers {
		f(0, n)
		return
	}
	var wg sync.WaitGroup
	step := (n + workers - 1) / workers
	for lo := 0; lo < n; lo += step {
		hi := min(lo+step, n)
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(lo, hi)
		}()
	}
	wg.Wait()
}

// ribosomal reports whether sym is a cytoplasmic ribosomal protein gene (RPL*, RPS*
// followed by a digit), highly expressed in every tissue.
func ribosomal(sym string) bool {
	return len(sym) > 3 && (sym[:3] == "RPL" || sym[:3] == "RPS") && sym[3] >= '0' && sym[3] <= '9'
}
