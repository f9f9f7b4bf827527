package demo

import (
	"fmt"
	"math"
	"strings"

	"github.com/her2het/her2het/core/genemap"
	"github.com/her2het/her2het/core/refdata"
)

// Programs: the latent expression programs planted in the cohort. Each has
// per-gene loadings (log2 units per unit of score) and a per-sample score.
const (
	progAmp      = iota // ERBB2 amplicon (17q12)
	progBasal           // basal-like (PAM50 Basal centroid versus luminal)
	progLum             // luminal / oestrogen response
	progProlif          // proliferation
	progPI3K            // PI3K/AKT/MTOR signalling
	progEGFR            // EGFR/MAPK (downstream ERBB) signalling
	progImmune          // lymphocyte infiltration
	progMyeloid         // myeloid cells
	progStroma          // fibroblasts, endothelium (tumour bed after treatment)
	progHer2E           // HER2-enriched (PAM50 Her2 centroid versus the others)
	progTreat           // broad treatment-induced changes (random genes)
	progNuisance        // first of nNuisance sample-level nuisance factors
	nNuisance    = 6
	nPrograms    = progNuisance + nNuisance
)

var programNames = [nPrograms]string{"amplicon", "basal", "luminal", "proliferation", "PI3K", "EGFR_MAPK",
	"immune", "myeloid", "stroma", "HER2-enriched", "treatment", "nuisance1", "nuisance2", "nuisance3", "nuisance4", "nuisance5", "nuisance6"}

// amplicon genes of 17q12 with their loading on the amplicon score.
var amplicon = []struct {
	sym  string
	load float64
}{
	{"ERBB2", 1.0}, {"GRB7", 0.9}, {"STARD3", 0.85}, {"PGAP3", 0.85}, {"MIEN1", 0.85}, {"PNMT", 0.6},
	{"TCAP", 0.45}, {"PSMD3", 0.55}, {"ORMDL3", 0.45}, {"MED1", 0.4}, {"CDK12", 0.45}, {"GSDMB", 0.4},
	{"NEUROD2", 0.3}, {"IKZF3", 0.2}, {"PPP1R1B", 0.35},
}

// fixedBase are log2 baselines (before the per-sample composition scaling) of a few
// landmark genes, so that they sit at realistic levels in HER2-positive tumours.
var fixedBase = map[string]float64{
	"ERBB2": 8.0, "GRB7": 5.8, "STARD3": 5.3, "PGAP3": 4.8, "MIEN1": 5.8, "ESR1": 5.0, "PGR": 3.0,
	"MKI67": 4.2, "KRT5": 3.5, "FOXA1": 5.0, "GATA3": 6.0, "PTPRC": 4.5,
	// housekeeping and epithelial genes at the top of a tumour's library
	"ACTB": 10.5, "GAPDH": 10, "EEF1A1": 11, "TPT1": 10, "RPLP0": 10, "FTL": 10, "FTH1": 10, "B2M": 10,
	"XIST": 8, "KRT8": 10, "KRT18": 10, "KRT19": 10.5, "TMSB4X": 10, "MGP": 9, "CD24": 9, "EEF2": 9.5, "UBC": 9, "TPM1": 9,
}

type load struct {
	prog int
	w    float64
}

// geneModel is the expression model of the selected genes.
type geneModel struct {
	symbols []string
	coding  []bool
	chrY    []bool   // on chromosome Y: silent (the patients are women)
	loads   [][]load // per gene
}

// selectGenes picks n genes of the gene map: every gene of the planted programs
// and reference models, protein-coding genes (NCBI type "protein-coding" on an
// assembled chromosome) in table order up to 90% of n, then ncRNA and lncRNA genes
// in table order. Symbols are unique.
func selectGenes(m *genemap.Map, required map[string]bool, n int) (syms []string, coding, chrY []bool) {
	chrOK := func(c string) bool { return c != "" && c != "Un" && !strings.Contains(c, ";") }
	seen := make(map[string]bool, n)
	nCodingMax := n * 9 / 10
	var nReqCoding int
	for _, g := range m.Genes {
		if required[g.Symbol] && g.Type == "protein-coding" {
			nReqCoding++
		}
	}
	keep := make([]bool, len(m.Genes))
	nc := 0
	for i, g := range m.Genes {
		if g.Type != "protein-coding" || g.Entrez == "" || !chrOK(g.Chr) || seen[g.Symbol] {
			continue
		}
		if required[g.Symbol] {
			keep[i], seen[g.Symbol] = true, true
			nc++
		}
	}
	for i, g := range m.Genes {
		if nc >= nCodingMax {
			break
		}
		if keep[i] || g.Type != "protein-coding" || g.Entrez == "" || !chrOK(g.Chr) || seen[g.Symbol] {
			continue
		}
		keep[i], seen[g.Symbol] = true, true
		nc++
	}
	total := nc
	// Required non-coding genes (e.g. markers that are lncRNAs).
	for i, g := range m.Genes {
		if !keep[i] && required[g.Symbol] && !seen[g.Symbol] && g.Entrez != "" {
			keep[i], seen[g.Symbol] = true, true
			total++
		}
	}
	for i, g := range m.Genes {
		if total >= n {
			break
		}
		if keep[i] || (g.Type != "ncRNA" && g.Type != "lncRNA") || g.Entrez == "" || !chrOK(g.Chr) || seen[g.Symbol] {
			continue
		}
		keep[i], seen[g.Symbol] = true, true
		total++
	}
	for i, g := range m.Genes {
		if keep[i] {
			syms = append(syms, g.Symbol)
			coding = append(coding, g.Type == "protein-coding")
			chrY = append(chrY, g.Chr == "Y")
		}
	}
	return syms, coding, chrY
}

// refSet is a published gene list with both identifier forms.
type refSet struct {
	symbols, entrez []string
}

func geneSet(coll, name string) (refSet, error) {
	sets, err := refdata.GeneSets(coll)
	if err != nil {
		return refSet{}, err
	}
	for _, s := range sets {
		if s.Name == name {
			return refSet{s.Symbols, s.Entrez}, nil
		}
	}
	return refSet{}, fmt.Errorf("demo: gene set %s/%s not in the reference bundle", coll, name)
}

// plan lists, per program, the published genes and their loadings.
type plan struct {
	prog    int
	symbol  string
	entrez  string
	loading float64
}

// buildPlan collects the planted genes from core/refdata.
func buildPlan() ([]plan, error) {
	var out []plan
	add := func(prog int, rs refSet, w float64, skip map[string]bool) {
		for i, s := range rs.symbols {
			if skip[s] {
				continue
			}
			out = append(out, plan{prog, s, rs.entrez[i], w})
		}
	}
	var getErr error
	get := func(coll, name string) refSet {
		rs, err := geneSet(coll, name)
		if err != nil && getErr == nil {
			getErr = err
		}
		return rs
	}
	for _, a := range amplicon {
		out = append(out, plan{progAmp, a.sym, "", a.load})
	}
	ampSyms := map[string]bool{}
	for _, a := range amplicon {
		ampSyms[a.sym] = true
	}

	pm, err := refdata.PAM50("pam50")
	if err != nil {
		return nil, err
	}
	prolif := get("breast", "PAM50_PROLIFERATION_11")
	prolifSet := map[string]bool{}
	for _, s := range prolif.symbols {
		prolifSet[s] = true
	}
	prolifSet["CDCA1"], prolifSet["KNTC2"], prolifSet["ORC6L"] = true, true, true
	for i, s := range pm.Symbols {
		c := pm.Centroids[i] // Basal Her2 LumA LumB Normal
		if ampSyms[s] {
			continue
		}
		lumMean := (c[2] + c[3]) / 2
		others := (c[0] + c[2] + c[3] + c[4]) / 4
		out = append(out, plan{progHer2E, s, pm.Entrez[i], clamp(0.5*(c[1]-others), 0.8)})
		if !prolifSet[s] {
			out = append(out, plan{progBasal, s, pm.Entrez[i], clamp(0.45*(c[0]-lumMean), 0.8)})
		} else {
			out = append(out, plan{progProlif, s, pm.Entrez[i], 0.9})
		}
		if lumMean > 0.3 {
			out = append(out, plan{progLum, s, pm.Entrez[i], 0.5 * math.Min(lumMean, 2)})
		}
	}
	out = append(out, plan{progLum, "ESR1", "", 0.7}, plan{progLum, "PGR", "", 1.0},
		plan{progLum, "GATA3", "", 0.4}, plan{progLum, "TFF1", "", 0.8}, plan{progLum, "TFF3", "", 0.6},
		plan{progLum, "AGR2", "", 0.5}, plan{progBasal, "KRT6A", "", 0.5}, plan{progBasal, "KRT6B", "", 0.5},
		plan{progBasal, "VIM", "", 0.3}, plan{progBasal, "EN1", "", 0.4})
	esr := get("breast", "DESMEDT2008_ESR1_MODULE")
	nTop := min(60, len(esr.symbols))
	top := refSet{esr.symbols[:nTop], esr.entrez[:nTop]}
	add(progLum, top, 0.35, map[string]bool{"ESR1": true})
	add(progProlif, get("hallmark", "HALLMARK_E2F_TARGETS"), 0.45, prolifSet)
	add(progProlif, get("hallmark", "HALLMARK_G2M_CHECKPOINT"), 0.35, prolifSet)

	add(progPI3K, get("hallmark", "HALLMARK_PI3K_AKT_MTOR_SIGNALING"), 0.35, nil)
	add(progEGFR, get("reactome", "Signaling by ERBB2"), 0.3, ampSyms)

	pg, err := refdata.Progeny(100)
	if err != nil {
		return nil, err
	}
	col := func(name string) int {
		for k, p := range pg.Pathways {
			if p == name {
				return k
			}
		}
		if getErr == nil {
			getErr = fmt.Errorf("demo: PROGENy pathway %s not in the reference bundle", name)
		}
		return -1
	}
	for _, pw := range []struct {
		name string
		prog int
		w    float64
	}{{"PI3K", progPI3K, 0.8}, {"EGFR", progEGFR, 0.6}, {"MAPK", progEGFR, 0.4}} {
		k := col(pw.name)
		if k < 0 {
			continue
		}
		maxAbs := 0.0
		for g := range pg.Genes {
			maxAbs = math.Max(maxAbs, math.Abs(pg.Weights[g][k]))
		}
		for g, s := range pg.Genes {
			if w := pg.Weights[g][k]; w != 0 && !ampSyms[s] {
				out = append(out, plan{pw.prog, s, pg.Entrez[g], pw.w * w / maxAbs})
			}
		}
	}

	for _, n := range []string{"MCPCOUNTER_T_CELLS", "MCPCOUNTER_CD8_T_CELLS", "MCPCOUNTER_CYTOTOXIC_LYMPHOCYTES",
		"MCPCOUNTER_B_LINEAGE", "MCPCOUNTER_NK_CELLS"} {
		add(progImmune, get("mcpcounter", n), 1.0, nil)
	}
	for _, n := range []string{"DANAHER2017_B_CELLS", "DANAHER2017_CD45", "DANAHER2017_CYTOTOXIC_CELLS",
		"DANAHER2017_EXHAUSTED_CD8", "DANAHER2017_T_CELLS", "DANAHER2017_TH1_CELLS", "DANAHER2017_TREG",
		"DANAHER2017_CD8_T_CELLS", "DANAHER2017_NK_CELLS", "DANAHER2017_NK_CD56DIM"} {
		add(progImmune, get("danaher", n), 0.9, nil)
	}
	add(progImmune, get("estimate", "ESTIMATE_IMMUNE_SIGNATURE"), 0.6, nil)
	add(progImmune, get("breast", "DESMEDT2008_STAT1_MODULE"), 0.4, nil)
	for _, n := range []string{"MCPCOUNTER_MONOCYTIC_LINEAGE", "MCPCOUNTER_MYELOID_DENDRITIC_CELLS", "MCPCOUNTER_NEUTROPHILS"} {
		add(progMyeloid, get("mcpcounter", n), 0.8, nil)
	}
	for _, n := range []string{"DANAHER2017_MACROPHAGES", "DANAHER2017_DC", "DANAHER2017_MAST_CELLS", "DANAHER2017_NEUTROPHILS"} {
		add(progMyeloid, get("danaher", n), 0.7, nil)
	}
	add(progStroma, get("estimate", "ESTIMATE_STROMAL_SIGNATURE"), 0.7, nil)
	add(progStroma, get("mcpcounter", "MCPCOUNTER_FIBROBLASTS"), 0.9, nil)
	add(progStroma, get("mcpcounter", "MCPCOUNTER_ENDOTHELIAL_CELLS"), 0.7, nil)
	add(progStroma, get("breast", "DESMEDT2008_PLAU_MODULE"), 0.35, nil)
	if getErr != nil {
		return nil, getErr
	}
	return out, nil
}

// requiredSymbols returns the official symbols of every planted gene and of the
// PAM50 and PROGENy (top 100) models, resolved through m.
func requiredSymbols(m *genemap.Map, pl []plan) map[string]bool {
	req := map[string]bool{}
	addSym := func(sym, entrez string) {
		if entrez != "" {
			if g, ok := m.Entrez(entrez); ok {
				req[g.Symbol] = true
				return
			}
		}
		if g, _, ok := m.Resolve(sym); ok {
			req[g.Symbol] = true
		}
	}
	for _, p := range pl {
		addSym(p.symbol, p.entrez)
	}
	for s := range fixedBase {
		req[s] = true
	}
	return req
}

// newGeneModel selects the genes and resolves the planted loadings to rows.
func newGeneModel(seed uint64, n int) (*geneModel, error) {
	m := genemap.Default()
	pl, err := buildPlan()
	if err != nil {
		return nil, err
	}
	syms, coding, chrY := selectGenes(m, requiredSymbols(m, pl), n)
	gm := &geneModel{symbols: syms, coding: coding, chrY: chrY, loads: make([][]load, len(syms))}
	mt := refdata.NewMatcher(syms, m)
	for _, p := range pl {
		row := mt.Row(p.symbol, p.entrez)
		if row < 0 || p.loading == 0 {
			continue
		}
		gm.addLoad(row, p.prog, p.loading)
	}
	// Treatment-induced changes: 2,000 random genes, loadings N(0, 0.7^2);
	// nuisance factors: 400 random genes each, loadings N(0, 0.35^2).
	r := newSampler(seed, streamGeneSet)
	for _, row := range r.pick(len(syms), 2000) {
		gm.addLoad(row, progTreat, r.normal(0, 0.7))
	}
	for k := 0; k < nNuisance; k++ {
		for _, row := range r.pick(len(syms), 400) {
			gm.addLoad(row, progNuisance+k, r.normal(0, 0.35))
		}
	}
	return gm, nil
}

// addLoad adds w to gene row's loading on program prog (a gene listed twice in a
// program's sets keeps the larger loading).
func (gm *geneModel) addLoad(row, prog int, w float64) {
	for i := range gm.loads[row] {
		if gm.loads[row][i].prog == prog {
			if math.Abs(w) > math.Abs(gm.loads[row][i].w) {
				gm.loads[row][i].w = w
			}
			return
		}
	}
	gm.loads[row] = append(gm.loads[row], load{prog, w})
}

// clamp limits x to [-m, m].
func clamp(x, m float64) float64 { return math.Max(-m, math.Min(m, x)) }
