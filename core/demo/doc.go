// Package demo generates her2het's built-in example cohort: a synthetic,
// seeded data set shaped like the neoadjuvant T-DM1 + pertuzumab HER2
// heterogeneity study (Li Z et al., J Clin Invest 2024; NCT02326974; GEO
// GSE243375), so that every analysis of the app and the CLI can be seen working
// before a user owns any data. Nothing in it is patient data, and every file
// says so in its first line.
//
// # Cohort
//
// 129 patients (non-HET/pCR 64, non-HET/no pCR 51, HET/no pCR 14); 285 RNA-seq
// samples: two pretreatment biopsies for 113 patients and one for 16 (242), and
// the residual tumour after treatment for 43 patients without pCR. Sample names
// carry the biopsy (<patient>_site1, _site2, _core1, _core2) or _Residual.
//
// # Files (Cohort.Files)
//
//	README.txt            what the files are and how they were made
//	samples.tsv           sampleID patientID tpt site HR ER PR pCR "HER2 heterogeneity" "RCB category" "IHC score"
//	counts.tsv.gz         read counts, "gene" + sample columns, one row per HGNC symbol
//	fish_cells.tsv        per-nucleus FISH: patientID tpt site area cell ERBB2 CEP17 x y IHC
//	spatial_segments.tsv  GeoMx DSP-like segment properties (SegmentDisplayName, ..., annotations)
//	spatial_counts.tsv    GeoMx DSP-like target x segment counts (TargetName + one column per segment)
//
// With Options.Uncompressed the counts come as plain "counts.tsv" (for use in
// memory, e.g. the browser engine, where gzip only costs time).
//
// All are tab-separated UTF-8 text with one leading '#' comment line (which
// core/ingest and core/fish skip). The spatial pair follows the "SegmentProperties"
// and "TargetCountMatrix" sheets of a GeoMx DSP Data Analysis export: columns
// SegmentDisplayName ("<scan> | <ROI> | <segment>"), SlideName, ScanLabel,
// ROILabel, SegmentLabel (HER2-high / HER2-low), Sample_ID, AOISurfaceArea,
// AOINucleiCount, RawReads, TrimmedReads, StitchedReads, AlignedReads,
// DeduplicatedReads, SequencingSaturation (%), then the annotations patientID,
// Region, "HER2 heterogeneity", pCR, HR; the count matrix has TargetName and one
// column per SegmentDisplayName, in segment order, with the negative probe
// "NegProbe-WTX" as its last row.
//
// # Model
//
// Counts are negative binomial around a log2-linear model: gene baselines (a
// mixture of expressed and silent genes, housekeeping and ribosomal protein genes
// on top, chromosome Y silent), a patient random effect per gene (so a patient's
// biopsies correlate), and programs with loadings on real gene sets of
// core/refdata (ERBB2 amplicon, PAM50 basal, HER2-enriched and luminal axes,
// proliferation, PI3K, EGFR/MAPK, immune, myeloid, stroma, a broad treatment
// program on 2,000 random genes, and nuisance factors), scaled to log-normal
// library sizes; the
// dispersion follows 0.04 + 0.8/mean with gene-wise scatter. The planted effects
// (see README.txt and the tests) match the six findings of the study with
// moderate, noisy effect sizes. Per-cell FISH fixes the number of amplified
// nuclei of every area so that core/fish's default rule calls HET exactly the
// patients the sample sheet calls HET.
//
// # Determinism
//
// Generate uses math/rand/v2 PCG streams with fixed seeds (one per part and two
// per gene), never map order, time or goroutine order, and no math.Exp or
// math.Log (whose amd64 assembly and pure-Go versions may differ in the last
// bit): the samplers use portable exp and log written with basic arithmetic and
// guard products against fused multiply-add. The same options therefore give the
// same bytes natively and under GOOS=js GOARCH=wasm (TestGoldenSHA256 runs on
// both), for any Workers.
package demo
