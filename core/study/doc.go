// Package study runs the analysis plan of the HER2-heterogeneity neoadjuvant study
// (Li Z, Metzger Filho O, Viale G, et al., J Clin Invest 2024; trial NCT02326974)
// on a user's cohort: it joins the inputs (count or expression matrix, sample sheet,
// ERBB2 FISH), builds patient-level groups (non-HET/pCR, non-HET/no pCR, HET/no pCR
// and whatever other combinations the data hold), summarises patients with several
// pretreatment biopsies by the mean of their biopsies, and runs every analysis of
// ../shared/spec/study.md that the data allow, each as a Section of plotdata figures,
// tables, the tests it ran and a short text summary. Analyses the data do not allow
// are listed with the reason they were skipped.
//
// Inputs are added one file at a time through io.Reader values ((*Inputs).Add), so
// the same code serves the browser engine and the CLI; core/study touches no file
// system except through an fs.FS handed to AddSpotFolder.
//
// Statistics go through core/stats (R 4.2.2 semantics): Kruskal-Wallis across groups
// then pairwise Wilcoxon rank-sum tests with Benjamini-Hochberg adjustment within a
// variable (as R's pairwise.wilcox.test(x, g, p.adjust.method = "BH")), Fisher's exact
// test on r x c tables, Spearman cor.test, and the BH adjustment of the per-variable
// omnibus p-values across the variables of one analysis (the padj column of tests.tsv).
//
// Determinism: the same inputs and Params give byte-identical tables. Maps are never
// iterated unsorted, random numbers come from Params.Seed, and tables carry no time
// stamps. Numbers in tables are written with strconv 'g' and 17 significant digits
// trimmed to the shortest representation that round-trips ('g', -1).
package study
