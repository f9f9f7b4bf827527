package demo

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/her2het/her2het/core/dataset"
)

// Generate makes the synthetic cohort of opts. The same options give the same
// cohort, bit for bit, on every platform (natively and under js/wasm). It fails
// only for invalid options or when a task of Options.Pool fails (a lost worker).
func Generate(opts Options) (*Cohort, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	pts, smp := design(opts.Seed)
	cells := drawFISH(opts.Seed, pts, smp)
	gm, err := newGeneModel(opts.Seed, opts.Genes)
	if err != nil {
		return nil, err
	}
	z := sampleScores(opts.Seed, pts, smp)
	counts, bases, err := gm.counts(opts.Seed, pts, smp, z, opts.Workers, opts.Pool)
	if err != nil {
		return nil, err
	}
	c := &Cohort{Options: opts, Patients: pts, Samples: smp, Genes: gm.symbols, counts: counts, cells: cells}
	c.sp = drawSpatial(opts.Seed, gm, bases, pts)
	return c, nil
}

// Counts returns the count matrix (genes x samples, Kind Counts). It shares memory
// with the cohort; do not modify it.
func (c *Cohort) Counts() *dataset.Matrix {
	names := make([]string, len(c.Samples))
	for i, s := range c.Samples {
		names[i] = s.ID
	}
	return &dataset.Matrix{Kind: dataset.Counts, Genes: c.Genes, Samples: names, Data: c.counts}
}

// Segments returns the segments of the GeoMx-like spatial set.
func (c *Cohort) Segments() []Segment { return c.sp.segments }

// File is one generated input file.
type File struct {
	Name string
	Data []byte
}

// File names written by Files.
const (
	FileReadme          = "README.txt"
	FileSamples         = "samples.tsv"
	FileCounts          = "counts.tsv.gz"
	FileCountsPlain     = "counts.tsv" // with Options.Uncompressed
	FileFISH            = "fish_cells.tsv"
	FileSpatialSegments = "spatial_segments.tsv"
	FileSpatialCounts   = "spatial_counts.tsv"
)

// Files renders the cohort as ordinary input files, in this order: README.txt,
// samples.tsv, counts.tsv.gz, fish_cells.tsv, spatial_segments.tsv,
// spatial_counts.tsv. Every file says it is synthetic in a leading '#' comment
// line (the gzip header comment too). The bytes depend only on the options.
// The rendering (mostly gzip) is done once and cached.
func (c *Cohort) Files() []File {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.files == nil {
		c.files = []File{
			{FileReadme, c.readme()},
			{FileSamples, c.sheet()},
			c.countsFile(),
			{FileFISH, writeFISH(c.Patients, c.cells)},
			{FileSpatialSegments, c.sp.writeSegments(c.Patients)},
			{FileSpatialCounts, c.sp.writeCounts()},
		}
	}
	out := make([]File, len(c.files))
	copy(out, c.files)
	return out
}

func hetText(p *Patient) string {
	if p.HET() {
		return "1"
	}
	return "0"
}

func yesNo(b bool) string {
	if b {
		return "Yes"
	}
	return "No"
}

func hrText(p *Patient) string { return posNeg(p.HR) }

func posNeg(b bool) string {
	if b {
		return "Positive"
	}
	return "Negative"
}

// sheet writes samples.tsv: the columns of the public data (GSE243375) plus the
// biopsy site and the HER2 IHC score of the tissue.
func (c *Cohort) sheet() []byte {
	var b bytes.Buffer
	b.WriteString("# Synthetic demo data (her2het core/demo), not patient data: sample sheet\n")
	b.WriteString("sampleID\tpatientID\ttpt\tsite\tHR\tER\tPR\tpCR\tHER2 heterogeneity\tRCB category\tIHC score\n")
	for _, s := range c.Samples {
		p := &c.Patients[s.Patient]
		tpt := "Pre"
		if s.Post {
			tpt = "Post"
		}
		rcb := "RCB-" + p.RCB
		fmt.Fprintf(&b, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", s.ID, p.ID, tpt, s.SiteLabel, hrText(p),
			posNeg(p.ER), posNeg(p.PR), yesNo(p.PCR()), hetText(p), rcb, ihcText(s.IHC))
	}
	return b.Bytes()
}

// countsFile writes counts.tsv.gz (or counts.tsv with Options.Uncompressed): a
// header "gene" + sample IDs, then one row per gene symbol with whole-number
// counts. Gzip uses Huffman-only compression (faster than BestSpeed and, on
// these digit tables, smaller) and a fixed header (no time stamp).
func (c *Cohort) countsFile() File {
	var out bytes.Buffer
	var zw io.Writer = &out
	var gz *gzip.Writer
	name := FileCounts
	if c.Options.Uncompressed {
		name = FileCountsPlain
		out.Grow(len(c.counts)*5 + len(c.Genes)*12) // about 4.3 bytes per count
	} else {
		out.Grow(len(c.counts) * 2)
		gz, _ = gzip.NewWriterLevel(&out, gzip.HuffmanOnly)
		gz.Header = gzip.Header{Name: "counts.tsv", Comment: "Synthetic demo data (her2het core/demo), not patient data", OS: 255}
		zw = gz
	}
	nS := len(c.Samples)
	buf := make([]byte, 0, 1<<16)
	buf = append(buf, "# Synthetic demo data (her2het core/demo), not patient data: RNA-seq read counts, genes x samples\n"...)
	buf = append(buf, "gene"...)
	for _, s := range c.Samples {
		buf = append(buf, '\t')
		buf = append(buf, s.ID...)
	}
	buf = append(buf, '\n')
	for g, sym := range c.Genes {
		buf = append(buf, sym...)
		buf = appendCountRow(buf, c.counts[g*nS:(g+1)*nS])
		buf = append(buf, '\n')
		if len(buf) > 1<<15 {
			zw.Write(buf)
			buf = buf[:0]
		}
	}
	zw.Write(buf)
	if gz != nil {
		gz.Close()
	}
	return File{name, out.Bytes()}
}

// appendCountRow appends a tab and the decimal integer int64(v) for every v of
// row: strconv.AppendInt's text, written in place (one call per row rather
// than per count: under js/wasm a call per count made this file's 5.7 million
// counts cost over a second).
func appendCountRow(buf []byte, row []float64) []byte {
	p := len(buf)
	buf = slices.Grow(buf, 21*len(row))[:p+21*len(row)]
	for _, v := range row {
		buf[p] = '\t'
		p++
		n := int64(v)
		switch {
		case n >= 0 && n < 10:
			buf[p] = byte('0' + n)
			p++
		case n >= 10 && n < 100:
			buf[p], buf[p+1] = byte('0'+n/10), byte('0'+n%10)
			p += 2
		case n >= 100 && n < 1e15:
			// Digits from the right into place: count them first.
			d := 3
			for m := n / 1000; m > 0; m /= 10 {
				d++
			}
			u := uint64(n)
			for i := p + d - 1; i >= p; i-- {
				q := u / 10
				buf[i] = byte('0' + u - q*10)
				u = q
			}
			p += d
		default:
			p = len(strconv.AppendInt(buf[:p], n, 10))
		}
	}
	return buf[:p]
}

func (c *Cohort) readme() []byte {
	var nHR, nCells int
	for i := range c.Patients {
		if c.Patients[i].HR {
			nHR++
		}
	}
	nCells = len(c.cells)
	var b strings.Builder
	fmt.Fprintf(&b, `SYNTHETIC DEMO COHORT - NOT PATIENT DATA

Made by her2het's built-in generator (core/demo, "her2het demo --seed %d"), seed %d,
%d genes. Every number here is simulated; no patient, sample or measurement is real.
The cohort is shaped like the neoadjuvant T-DM1 + pertuzumab HER2 heterogeneity study
(Li Z et al., J Clin Invest 2024; trial NCT02326974; GEO GSE243375) so that every
analysis of her2het has something to show.

Cohort
  %d patients: non-HET/pCR %d, non-HET/no pCR %d, HET/no pCR %d; %d HR-positive.
  %d RNA-seq samples: %d pretreatment biopsies (2 per patient, 1 for %d patients;
  named <patient>_site1/_site2 or _core1/_core2) and %d residual tumours after
  treatment (<patient>_Residual).

Files
  samples.tsv           sample sheet: sampleID patientID tpt(Pre/Post) site HR ER PR
                        (Positive/Negative) pCR(Yes/No) "HER2 heterogeneity"(0/1) "RCB category"
                        (RCB-0/I/II/III) "IHC score"(HER2 IHC 0, 1+, 2+, 3+ of the biopsy's tissue)
  counts.tsv.gz         raw read counts, genes (HGNC symbols) x samples, tab-separated
  fish_cells.tsv        per-nucleus ERBB2 and CEP17 FISH signal counts (%d nuclei):
                        patientID tpt site area cell ERBB2 CEP17 x y IHC; two biopsy sites
                        per patient before treatment (2-3 areas of 60-120 nuclei each) and
                        the residual tumour after treatment
  spatial_segments.tsv  GeoMx DSP-like segment properties (one row per segment):
                        SegmentDisplayName SlideName ScanLabel ROILabel SegmentLabel Sample_ID
                        AOISurfaceArea AOINucleiCount RawReads TrimmedReads StitchedReads
                        AlignedReads DeduplicatedReads SequencingSaturation, then the
                        annotations patientID Region(HER2-high/HER2-low) "HER2 heterogeneity"
                        pCR HR
  spatial_counts.tsv    GeoMx DSP-like target count matrix: TargetName, then one column
                        per SegmentDisplayName; %d RNA targets and the negative probe %s
  Every file starts with a '#' comment line saying it is synthetic.

How the data were made (all effects moderate and noisy on purpose)
  Counts: negative binomial, y ~ NB(mu, phi), phi = (0.04 + 0.8/mean) x log-normal gene
  jitter; log-normal library sizes (median 35 M, 15-80 M); a patient random effect per
  gene (SD 0.25-0.5 log2) makes a patient's biopsies alike. Planted programs (log2
  loadings on real gene sets of the reference bundle):
  - ERBB2 amplicon (ERBB2 GRB7 STARD3 PGAP3 MIEN1 PNMT ...) follows each biopsy's FISH:
    highest in pCR, lower without pCR, lowest in HET (heterogeneous or HER2-negative areas).
  - Basal-like program (PAM50 Basal centroid against the luminal ones) higher in HET
    and in HR-negative tumours.
  - PI3K (Hallmark PI3K_AKT_MTOR, PROGENy PI3K) and EGFR/MAPK (Reactome Signaling by
    ERBB2, PROGENy EGFR and MAPK) signalling higher in HET; EGFR/MAPK a little higher in pCR.
  - A HER2-enriched axis (PAM50 Her2 centroid against the others), stronger in
    HR-negative and weaker in HET tumours.
  - After treatment: luminal (ESR1, PGR, luminal PAM50 genes, ESR1 module) and PI3K up,
    proliferation (PAM50 proliferation, Hallmark E2F and G2M) down, stroma up, immune down,
    and broad changes of 2,000 other genes; in HET patients these changes are a quarter
    as large.
  - Immune infiltration (MCP-counter, Danaher, ESTIMATE immune markers) higher with pCR,
    lower in HET.
  FISH: amplified nuclei have ERBB2/CEP17 >= 2 (ratio about 3-8), others < 2. Non-HET
  areas have >= 55%% amplified nuclei; HET patients have areas with 6-48%% amplified nuclei
  or HER2-negative areas (<= 3%%, ASCO/CAP group 5), on one or both sites; so the default
  rule (ratio >= 2.0, >= 20 nuclei, 5%% < amplified < 50%% or group 5) calls exactly the
  HET patients of the sample sheet. Residual tumours often lose amplification.
  Spatial: 8 patients (4 HET, 4 non-HET), 4 ROIs each, a HER2-high and a HER2-low
  segment per ROI; HER2-low segments of HET tumours have much lower amplicon and more
  basal expression; one segment has too few nuclei to pass QC.
`, c.Options.Seed, c.Options.Seed, len(c.Genes), len(c.Patients), NPCR, NNoPCR, NHET, nHR,
		len(c.Samples), NPre, NOneBiopsy, NPost, nCells, len(c.sp.targets)-1, negProbe)
	return []byte(b.String())
}
