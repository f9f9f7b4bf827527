// Package fish turns HER2 (ERBB2) fluorescence in situ hybridisation counts into the
// calls and measures of a HER2-heterogeneity study: per-cell amplification flags, per
// area / biopsy site / tumour summaries, ASCO/CAP 2018 groups and 2013 categories, the
// final status with the IHC work-up, the trial's HER2-heterogeneity (HET) call, and
// continuous copy-number heterogeneity measures (fraction of non-amplified cells, SD and
// CV of copies and ratios, Shannon diversity of copy-number classes, pre to post change).
//
// # Inputs
//
//   - Per-cell tables (TSV or CSV) read with [NewCellReader]: one nucleus a row, columns
//     recognised by synonyms (sample/patient, area, site, timepoint, cell, ERBB2, CEP17,
//     x, y, IHC).
//   - Per-area or per-case summaries read with [NewCaseReader] (mean ERBB2 and CEP17 per
//     cell, ratio, % amplified, cells counted, IHC) and called with [CallCases].
//   - Folders of per-channel spot-count files from image analysis, read with
//     [ReadSpotCounts] from an [io/fs.FS] (os.DirFS natively, a map-backed FS in the
//     browser). The default file-name pattern [DefaultSpotPattern] matches both naming
//     styles of the STAR-FISH outputs (Janiszewska et al., JCI Insight 2021;
//     doi:10.1172/jci.insight.147617) and the default channel map is
//     [DefaultChannels] ("ch00=CEP17,ch02=ERBB2,ch04=XY", from that repository's README:
//     ch00 CEP17, ch01 PIK3CA wild type, ch02 ERBB2, ch03 PIK3CA mutant, ch04_xy nucleus
//     centroids).
//
// # Rules
//
// Every threshold lives in [Options]; [DefaultOptions] gives the study's defaults
// (see the trial definition, Metzger Filho et al., Cancer Discov 2021,
// doi:10.1158/2159-8290.CD-20-1557):
//
//   - a cell is amplified when its ERBB2/CEP17 ratio >= 2.0 (alternatives: ratio > 2.2,
//     the 2009 CAP heterogeneity wording, Vance et al., Arch Pathol Lab Med 2009;
//     ERBB2 copies >= 6 for single-probe data);
//   - an area needs >= 20 evaluable nuclei, otherwise it is "insufficient" and not called;
//   - an area is heterogeneous when 5% < amplified cells < 50%, and HER2-negative when it
//     is ASCO/CAP 2018 group 5;
//   - a tumour (sample + timepoint) is HET when any called area is heterogeneous or
//     HER2-negative.
//
// ASCO/CAP groups follow Wolff et al., J Clin Oncol 2018 (doi:10.1200/JCO.2018.77.8738)
// and the 2013 categories Wolff et al., J Clin Oncol 2013 (doi:10.1200/JCO.2013.50.9984).
// They are computed from the mean ERBB2 signals per scored nucleus and the ratio of
// means over the nuclei that have a ratio (CEP17 > 0): a nucleus without CEP17 signal
// counts for copy number but not for the ratio (configurable, see [ZeroCEP17]). An area
// is HER2-negative only when its ratio rests on at least MinNuclei nuclei.
//
// # Continuous measures
//
// Per area, biopsy site and tumour: fraction of non-amplified cells, SD (n-1) and CV of
// per-cell ERBB2 copies and of per-cell ratios, and the Shannon index H = -sum p ln p of
// per-cell ERBB2 copy-number classes <4, 4-<6, 6-<10 and >=10 (configurable). The breaks
// 4 and 6 are the ASCO/CAP copy-number cut-offs (groups 4/5 and 3), and 10 separates
// high-level amplification and signal clusters from moderate gains; Shannon diversity of
// per-cell FISH classes follows Almendro et al., Cell Rep 2014 (doi:10.1016/j.celrep.2013.12.041)
// and Janiszewska et al. 2021. Tumours of one sample before and after treatment are paired
// into [Change] values (post minus pre).
//
// # The real STAR-FISH folder
//
// In most images of the example folder CEP17 (ch00) is seen in few nuclei, so under the
// ratio rules most areas have fewer than 20 evaluable nuclei and are "insufficient"; every
// area says so in a warning. The copies rule (erbb2>=6) calls every tumour there.
//
// # Floating point at the boundaries
//
// Spot counts are small whole numbers, so the sums used here are exact in float64.
// The ratio of means is computed as sum(ERBB2)/sum(CEP17) (one correctly rounded
// division, not a quotient of two rounded means), so a ratio of exactly 2.0 or 2.2
// (e.g. 11/5) compares equal to the threshold literal. Percentages are compared with
// cross-multiplied counts (100*amplified against threshold*n, exact for whole-number
// thresholds), so 1 of 20 cells is exactly 5% and not "more than 5%".
//
// Nothing here touches files or the network: readers take an io.Reader or an fs.FS,
// writers an io.Writer, so the package compiles for GOOS=js GOARCH=wasm.
package fish
