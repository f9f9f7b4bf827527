package study

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"

	"github.com/her2het/her2het/core/refdata"
)

// synth is a small seeded cohort shaped like the trial: groups non-HET/pCR,
// non-HET/no pCR and HET/no pCR, two pretreatment biopsies for most patients, a
// residual tumour for patients without pCR, and per-cell FISH.
type synth struct {
	Counts, Samples, FISH string
}

var synthGenes []string

func universe(t testing.TB) []string {
	if synthGenes != nil {
		return synthGenes
	}
	seen := map[string]bool{}
	for _, id := range []string{"hallmark", "breast", "reactome", "mcpcounter", "estimate", "danaher"} {
		sets, err := refdata.Sets(id)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range sets {
			for _, g := range s.Genes {
				seen[g] = true
			}
		}
	}
	for _, g := range []string{"ERBB2", "GRB7", "STARD3", "PGAP3", "MIEN1", "ESR1", "PGR"} {
		seen[g] = true
	}
	var g []string
	for k := range seen {
		g = append(g, k)
	}
	sort.Strings(g)
	synthGenes = g
	return g
}

func inSet(t testing.TB, coll, name string) map[string]bool {
	sets, err := refdata.Sets(coll)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]bool{}
	for _, s := range sets {
		if s.Name == name {
			for _, g := range s.Genes {
				m[g] = true
			}
		}
	}
	if len(m) == 0 {
		t.Fatalf("set %s/%s not found", coll, name)
	}
	return m
}

// makeSynth simulates nPat patients (a third each non-HET/pCR, non-HET/no pCR, a
// sixth HET/no pCR, rounded) with negative binomial counts (dispersion 0.1).
func makeSynth(t testing.TB, seed uint64, nPat int) synth {
	rng := rand.New(rand.NewPCG(seed, 7))
	genes := universe(t)
	amp := map[string]bool{"ERBB2": true, "GRB7": true, "STARD3": true, "PGAP3": true, "MIEN1": true}
	erbbMod := inSet(t, "breast", "DESMEDT2008_ERBB2_MODULE")
	estr := inSet(t, "hallmark", "HALLMARK_ESTROGEN_RESPONSE_EARLY")
	pi3k := inSet(t, "hallmark", "HALLMARK_PI3K_AKT_MTOR_SIGNALING")
	erbbSig := inSet(t, "reactome", "Signaling by ERBB2")
	immune := inSet(t, "mcpcounter", "MCPCOUNTER_T_CELLS")
	for g := range inSet(t, "estimate", "ESTIMATE_IMMUNE_SIGNATURE") {
		immune[g] = true
	}
	for g := range inSet(t, "mcpcounter", "MCPCOUNTER_CYTOTOXIC_LYMPHOCYTES") {
		immune[g] = true
	}
	mu := make([]float64, len(genes))
	for i := range mu {
		mu[i] = 3 + 2*rng.NormFloat64()
	}
	type sample struct {
		name, patient, tpt, pcr, het, hr string
		lib                              float64
		eff                              []float64
	}
	var samples []sample
	var fish strings.Builder
	fish.WriteString("sample\ttimepoint\tsite\tarea\tcell\tERBB2\tCEP17\n")
	for p := 0; p < nPat; p++ {
		id := fmt.Sprintf("P%03d", p+1)
		var het, pcr string
		switch {
		case p%6 == 5:
			het, pcr = "1", "No"
		case p%2 == 0:
			het, pcr = "0", "Yes"
		default:
			het, pcr = "0", "No"
		}
		hr := "neg"
		if rng.Float64() < 0.5 {
			hr = "pos"
		}
		pe := make([]float64, len(genes))
		for i := range pe {
			pe[i] = 0.3 * rng.NormFloat64()
		}
		nPre := 2
		if p%7 == 3 {
			nPre = 1
		}
		mk := func(tpt string, k int) {
			name := fmt.Sprintf("%s_site%d", id, k)
			if tpt == "Post" {
				name = id + "_Residual"
			}
			eff := make([]float64, len(genes))
			for i, g := range genes {
				e := pe[i] + 0.15*rng.NormFloat64()
				switch {
				case amp[g] || erbbMod[g]:
					switch {
					case het == "1":
						e += 0
					case pcr == "Yes":
						e += 1.5
					default:
						e += 0.7
					}
				case erbbSig[g] || pi3k[g]:
					if het == "1" || pcr == "Yes" {
						e += 0.5
					}
				case estr[g]:
					if pcr == "No" {
						e += 0.6
					}
				case immune[g]:
					if pcr == "Yes" {
						e += 1
					}
					if het == "1" {
						e -= 0.5
					}
				}
				if tpt == "Post" && het == "0" {
					switch {
					case estr[g]:
						e += 0.8
					case pi3k[g]:
						e += 0.6
					case immune[g]:
						e -= 0.5
					case amp[g] || erbbMod[g]:
						e -= 0.8
					}
				}
				eff[i] = e
			}
			samples = append(samples, sample{name, id, tpt, pcr, het, hr, 5e6 + 1.5e7*rng.Float64(), eff})
		}
		for k := 1; k <= nPre; k++ {
			mk("Pre", k)
		}
		if pcr == "No" {
			mk("Post", 0)
		}
		// FISH: two sites x one area of 40 nuclei per pretreatment tumour; a HET
		// tumour has one area with 30% amplified nuclei.
		for s := 1; s <= 2; s++ {
			frac := 0.9
			if het == "1" && s == 2 {
				frac = 0.3
			}
			for c := 0; c < 40; c++ {
				cep := 1 + rng.IntN(3)
				erb := cep - rng.IntN(cep)
				if rng.Float64() < frac {
					erb = 2*cep + 2 + rng.IntN(8)
				}
				fmt.Fprintf(&fish, "%s\tpre\tsite%d\tA%d\t%d\t%d\t%d\n", id, s, s, c+1, erb, cep)
			}
		}
	}
	var counts strings.Builder
	counts.WriteString("gene")
	for _, s := range samples {
		counts.WriteString("\t" + s.name)
	}
	counts.WriteByte('\n')
	for i, g := range genes {
		counts.WriteString(g)
		for _, s := range samples {
			m := math.Exp2(mu[i]+s.eff[i]) * s.lib / 1e6
			// NB(mean m, dispersion 0.1) as a gamma-Poisson mixture.
			lam := m * gamma(rng, 10) / 10
			fmt.Fprintf(&counts, "\t%d", poisson(rng, lam))
		}
		counts.WriteByte('\n')
	}
	var sheet strings.Builder
	sheet.WriteString("sampleID\tpatientID\ttpt\tHR\tpCR\tHET\n")
	for _, s := range samples {
		fmt.Fprintf(&sheet, "%s\t%s\t%s\t%s\t%s\t%s\n", s.name, s.patient, s.tpt, s.hr, s.pcr, s.het)
	}
	return synth{Counts: counts.String(), Samples: sheet.String(), FISH: fish.String()}
}

// gamma draws Gamma(shape k, scale 1) for k >= 1 (Marsaglia-Tsang).
func gamma(rng *rand.Rand, k float64) float64 {
	d := k - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := rng.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := rng.Float64()
		if math.Log(u) < 0.5*x*x+d-d*v+d*math.Log(v) {
			return d * v
		}
	}
}

func poisson(rng *rand.Rand, lam float64) int {
	if lam > 50 {
		v := math.Round(lam + math.Sqrt(lam)*rng.NormFloat64())
		if v < 0 {
			return 0
		}
		return int(v)
	}
	l := math.Exp(-lam)
	k, p := 0, 1.0
	for {
		p *= rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}
