package study

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/her2het/her2het/core/fish"
	"github.com/her2het/her2het/core/geneset"
	"github.com/her2het/her2het/core/pool"
)

// Params are the settings of a Run. They encode to JSON (the session file and the
// --config file of `her2het analyze`); a field absent from a JSON file keeps its
// default (decode into DefaultParams(), see ReadParams).
type Params struct {
	// Normalisation of counts for every analysis except count-model DE:
	// "tmm-logcpm" (edgeR TMM factors, cpm(log = TRUE, prior.count = PriorCount);
	// the study's processed matrix) or "logcpm" (no TMM). An expression matrix is
	// used as given.
	Normalisation string  `json:"normalisation"`
	PriorCount    float64 `json:"priorCount"`

	// Sample QC: the PCA uses the PCAGenes most variable genes of the normalised
	// matrix (centred, not scaled); a sample whose score on any of the first
	// PCAComponents components lies outside mean +/- OutlierSD standard deviations is
	// an outlier, removed from every later analysis when ExcludeOutliers is set.
	PCAGenes        int     `json:"pcaGenes"`
	PCAComponents   int     `json:"pcaComponents"`
	OutlierSD       float64 `json:"outlierSD"`
	ExcludeOutliers bool    `json:"excludeOutliers"`

	// PerBiopsy analyses every pretreatment biopsy as its own observation instead of
	// the patient mean (the study's default is the patient mean).
	PerBiopsy bool `json:"perBiopsy"`

	// AmpliconGenes are the ERBB2 amplicon genes shown by group.
	AmpliconGenes []string `json:"ampliconGenes"`

	// Gene-set scoring: Method is "gsva", "ssgsea", "zscore", "plage" or
	// "singscore"; Kernel is GSVA's kcdf ("gaussian", "poisson", "none");
	// Collections are core/refdata gene-set collection ids; KeySets are the sets drawn
	// as box plots (all sets are tested).
	ScoreMethod string   `json:"scoreMethod"`
	Kernel      string   `json:"kernel"`
	Collections []string `json:"collections"`
	KeySets     []string `json:"keySets"`
	MinSetSize  int      `json:"minSetSize"`

	// Differential expression: "voom" (limma-voom; pretreatment comparisons block on
	// patient with duplicateCorrelation when DupCor is set) or "deseq2" (DESeq2 on
	// patient-level pseudo-bulk counts: a patient's samples at one timepoint summed). FDR is the adjusted
	// p-value cut-off for counting DE genes; GSEA runs fgsea-style preranked GSEA of
	// the moderated t on GSEACollection with GSEAPerm permutations.
	DEMethod       string  `json:"deMethod"`
	DupCor         bool    `json:"dupCor"`
	FDR            float64 `json:"fdr"`
	GSEACollection string  `json:"gseaCollection"`
	GSEAPerm       int     `json:"gseaPerm"`

	// PAM50 centroid method of core/pam50 ("pam50.robust", "pam50", "pam50.scale").
	PAM50Method string `json:"pam50Method"`

	// FISH rule (study.md defaults): a cell is amplified by FISHRule ("ratio>=2",
	// "ratio>2.2", "erbb2>=6"); an area needs MinNuclei nuclei; heterogeneous when
	// HetLow < % amplified < HetHigh; a group-5 area makes the tumour HET when
	// NegativeIsHet.
	FISHRule      string  `json:"fishRule"`
	MinNuclei     int     `json:"minNuclei"`
	HetLow        float64 `json:"hetLow"`
	HetHigh       float64 `json:"hetHigh"`
	NegativeIsHet bool    `json:"negativeIsHet"`

	// Seed seeds every random step (GSEA permutations).
	Seed uint32 `json:"seed"`

	// Workers splits gene-wise work; <= 0 means GOMAXPROCS. Results do not depend on it.
	Workers int `json:"workers"`

	// Pool runs the gene-wise kernels (core/pool) of the packages that have them:
	// the browser engine sets its pool of helper workers; nil means goroutines
	// (pool.Local(Workers)). Not part of the settings: results do not depend on it.
	Pool pool.Pool `json:"-"`

	// HelperPool, when set, is a view of Pool that runs every task on the helper
	// workers (none on the caller's own thread). With it, Run computes the
	// differential expression of a small enough cohort (see overlapCells) on a
	// goroutine of its own, with HelperPool, while the other analyses go on: in the
	// browser the engine worker's single thread then does the serial work of the
	// other steps while its helpers fit the DE models. Not part of the settings:
	// results do not depend on it.
	HelperPool pool.Pool `json:"-"`

	// Collect, when set, is called where a big input's step has just made
	// hundreds of MB of garbage and is about to allocate a large matrix (in the
	// DE step: before each comparison and inside limma's workflow, after TMM).
	// The browser engine sets it to a garbage collection: its wasm heap never
	// shrinks, and at 60,000 x 1,000 TMM's pool tasks left ~650 MB of garbage
	// just before voom's 300 MB weights, so the heap grew for them instead of
	// reusing that memory (issue 11). Not part of the settings: results do not
	// depend on it.
	Collect func() `json:"-"`

	// Yield, when set, is called between the stages of a step that runs beside
	// another step's pool tasks (the DE step of startDE, between its comparisons,
	// their limma stages and GSEA). The browser engine sets it to a short sleep:
	// its worker's Go code runs on one thread and receives the helpers' replies
	// only when every goroutine waits, so without it the gene-set scores' tasks
	// waited for the whole DE step. Not part of the settings: results do not
	// depend on it.
	Yield func() `json:"-"`
}

// DefaultParams returns the study's defaults: TMM log2 CPM (prior count 2), PCA on
// the 1000 most variable genes with the mean +/- 5 SD outlier rule on the first two
// components (outliers excluded), patient means of pretreatment biopsies, the five
// amplicon genes, GSVA with a Gaussian kernel on Hallmark + Reactome ERBB/EGFR/PI3K
// + breast modules (sets with >= 5 genes), limma-voom with duplicateCorrelation
// blocking on patient, FDR 0.05, preranked GSEA on Hallmark with 1000 permutations,
// PAM50 robust centroids, FISH ratio >= 2 / 20 nuclei / 5-50% / negative areas HET,
// seed 1.
func DefaultParams() Params {
	return Params{
		Normalisation:   "tmm-logcpm",
		PriorCount:      2,
		PCAGenes:        1000,
		PCAComponents:   2,
		OutlierSD:       5,
		ExcludeOutliers: true,
		AmpliconGenes:   []string{"ERBB2", "GRB7", "STARD3", "PGAP3", "MIEN1"},
		ScoreMethod:     "gsva",
		Kernel:          "gaussian",
		Collections:     []string{"hallmark", "reactome", "breast"},
		KeySets: []string{
			"Signaling by ERBB2", "PI3K events in ERBB2 signaling", "Signaling by EGFR",
			"PI3K/AKT Signaling in Cancer", "HALLMARK_PI3K_AKT_MTOR_SIGNALING",
			"HALLMARK_ESTROGEN_RESPONSE_EARLY", "HALLMARK_E2F_TARGETS",
			"DESMEDT2008_ERBB2_MODULE", "DESMEDT2008_ESR1_MODULE", "PAM50_PROLIFERATION_11",
		},
		MinSetSize:     5,
		DEMethod:       "voom",
		DupCor:         true,
		FDR:            0.05,
		GSEACollection: "hallmark",
		GSEAPerm:       1000,
		PAM50Method:    "pam50.robust",
		FISHRule:       "ratio>=2",
		MinNuclei:      20,
		HetLow:         5,
		HetHigh:        50,
		NegativeIsHet:  true,
		Seed:           1,
	}
}

// ReadParams decodes JSON parameters over the defaults; unknown fields are an error
// naming them (a misspelt setting must not be silently ignored).
func ReadParams(name string, r io.Reader) (Params, error) {
	p := DefaultParams()
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return p, fmt.Errorf("%s:1:0: %v", name, err)
	}
	if err := p.Validate(); err != nil {
		return p, fmt.Errorf("%s:1:0: %v", name, err)
	}
	return p, nil
}

// Validate reports the first inconsistent setting.
func (p Params) Validate() error {
	switch p.Normalisation {
	case "tmm-logcpm", "logcpm":
	default:
		return fmt.Errorf("normalisation %q: want tmm-logcpm or logcpm", p.Normalisation)
	}
	if !(p.PriorCount > 0) {
		return fmt.Errorf("priorCount must be positive, got %g", p.PriorCount)
	}
	if p.PCAGenes < 2 {
		return fmt.Errorf("pcaGenes must be at least 2, got %d", p.PCAGenes)
	}
	if p.PCAComponents < 1 || p.PCAComponents > 10 {
		return fmt.Errorf("pcaComponents must be 1..10, got %d", p.PCAComponents)
	}
	if !(p.OutlierSD > 0) {
		return fmt.Errorf("outlierSD must be positive, got %g", p.OutlierSD)
	}
	if _, err := geneset.ParseMethod(p.ScoreMethod); err != nil {
		return fmt.Errorf("scoreMethod: %v", err)
	}
	if _, err := geneset.ParseKernel(p.Kernel); err != nil {
		return fmt.Errorf("kernel: %v", err)
	}
	if len(p.Collections) == 0 {
		return fmt.Errorf("collections: at least one gene-set collection is needed")
	}
	if p.DEMethod != "voom" && p.DEMethod != "deseq2" {
		return fmt.Errorf("deMethod %q: want voom or deseq2", p.DEMethod)
	}
	if !(p.FDR > 0 && p.FDR < 1) {
		return fmt.Errorf("fdr must be in (0, 1), got %g", p.FDR)
	}
	if p.GSEAPerm < 0 {
		return fmt.Errorf("gseaPerm must not be negative, got %d", p.GSEAPerm)
	}
	switch p.PAM50Method {
	case "pam50.robust", "pam50", "pam50.scale":
	default:
		return fmt.Errorf("pam50Method %q: want pam50.robust, pam50 or pam50.scale", p.PAM50Method)
	}
	if _, err := p.fishOptions(); err != nil {
		return err
	}
	for _, g := range p.AmpliconGenes {
		if strings.TrimSpace(g) == "" {
			return fmt.Errorf("ampliconGenes: empty gene name")
		}
	}
	return nil
}

func (p Params) fishOptions() (fish.Options, error) {
	o := fish.DefaultOptions()
	r, err := fish.ParseCellRule(p.FISHRule)
	if err != nil {
		return o, fmt.Errorf("fishRule: %v", err)
	}
	o.Rule = r
	o.MinNuclei = p.MinNuclei
	o.HetLow, o.HetHigh = p.HetLow, p.HetHigh
	o.NegativeIsHet = p.NegativeIsHet
	if err := o.Validate(); err != nil {
		return o, fmt.Errorf("fish options: %v", err)
	}
	return o, nil
}
