// Package spatial reads and analyses NanoString GeoMx Digital Spatial
// Profiler (DSP) data: HER2-rich and HER2-poor (or PanCK+ and PanCK−)
// segments of the same tumours, compared within patient and between HER2
// heterogeneous (HET) and non-HET tumours.
//
// # Input
//
// Two routes lead to a target-level Set (targets x segments counts with
// segment properties and annotations):
//
//   - Raw NGS readout: ReadDCC (one DCC file per segment: <Header>,
//     <Scan_Attributes>, <NGS_Processing_Attributes>, <Code_Summary>),
//     ReadPKC / ReadPKCZip (probe kit configuration, JSON, usually zipped), the
//     lab annotation sheet (ReadTable for TSV/CSV, OpenWorkbook + Table for
//     .xlsx) and LoadDCC over an fs.FS folder. Probes are aggregated to targets
//     as GeomxTools' aggregateCounts does (TargetCount, NGeoMean).
//   - DSP Data Analysis export: ReadDSPExportXLSX (sheets SegmentProperties and
//     TargetCountMatrix) or FromDSPExport over two tables (the TSV pair written
//     by core/demo: spatial_segments.tsv and spatial_counts.tsv).
//
// Errors in user files are *ParseError, "file:line:column: message".
// The package reads no files itself: callers pass io.Reader, io.ReaderAt or
// fs.FS, so it builds for GOOS=js GOARCH=wasm.
//
// # Processing (GeomxTools 3.x definitions, written out in the tests)
//
//   - NGeoMean / NGeoSD: ngeoMean / ngeoSD with thresh 0.5 (every value +0.5
//     when any is below 0.5).
//   - TargetCount: a single probe's count, or ngeoMean of the target's probes.
//     Negative probes are aggregated per pool (their target names differ per
//     PKC module); Segment.NegGeoMean / NegGeoSD are per module.
//   - QC: setSegmentQCFlags' flags (LowReads, LowTrimmed, LowStitched,
//     LowAligned, LowSaturation, LowNegatives, HighNTC, LowNuclei, LowArea)
//     with GeomxToolsQC (the package DEFAULTS) or WorkflowQC (the GeoMx RNA
//     workflow's thresholds, the CLI default).
//   - LOQ = max(NegGeoMean × NegGeoSD², 2) per segment and module; DetectionRate.
//   - Normalisation factors: Q3Factors / QuantileFactors (quantileNorm),
//     TargetSetFactors (hkNorm; protein housekeepers Histone H3, S6, GAPDH, or
//     the IgG isotype controls for background), ScaleFactors (area, nuclei);
//     ApplyFactors divides counts by them.
//
// # Comparisons
//
// Compare fits, for every target, y = log2(normalised + 1):
//
//   - within patient: the linear mixed model y ~ region + (1 | patient) by
//     REML with Satterthwaite df (LMM, equal to lmerTest::lmer 3.1-3 / lme4
//     1.1-31 to 1e-6 on the goldens), plus a paired t-test and a Wilcoxon
//     signed-rank test on patient means;
//   - HET vs non-HET: y ~ region + het + region:het + (1 | patient), reporting
//     the HET effect averaged over regions (a Satterthwaite contrast) and the
//     region × HET interaction, plus a rank-sum test on patient means.
//
// p-values are BH-adjusted over targets. Targets can be split across
// Workers with bitwise-identical results. Analyze chains QC, LOQ,
// normalisation and Compare; its tables and figures (VolcanoFigure,
// TargetFigure; core/plotdata) feed the CLI (her2het spatial) and the app.
//
// # Deliberate differences from GeomxTools / lme4
//
//   - A DCC probe listed twice is an error (readDccFile drops both copies).
//   - The REML optimum is found to machine precision (root of the analytic
//     derivative) where lme4's nloptwrap stops at ftol_abs 1e-8; lmerTest's
//     numerical Hessian and Jacobian (numDeriv) are analytic here.
//   - From a DSP export only the negative target's count is known, so LOQ uses
//     NegGeoSD = 1 (Result.LOQFromSD is false and a note says so).
//   - Percentages with a zero denominator are NaN and raise no flag (R gives NA).
//
// Not ported: GeomxTools' probe-level QC (setBioProbeQCFlags: LowProbeRatio,
// Grubbs outliers) before aggregation, and RNA negative-background
// normalisation (negNorm) and background subtraction.
package spatial
