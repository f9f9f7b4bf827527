// Package study runs the analysis plan of the HER2-heterogeneity neoadjuvant study
// (Li Z, Metzger Filho O, Viale G, et al., J Clin Invest 2024; trial NCT02326974)
// on a user's cohort: it joins the inputs (count or expression matrix, sample sheet,
// ERBB2 FISH, GeoMx DSP export), builds patient-level groups (non-HET/pCR, non-HET/no
// pCR, HET/no pCR and whatever other combinations the data hold), summarises patients
// with several pretreatment biopsies by the mean of their biopsies (R's mean), and runs
// every analysis of the project's study specification that the data allow, each as a Section of
// plotdata figures, tables, the tests it ran and a short text summary. Analyses the
// data do not allow are listed with the reason they were skipped.
//
// Inputs are added one file at a time through io.Reader values ((*Inputs).Add), so
// the same code serves the browser engine and the CLI; core/study touches no file
// system except through an fs.FS handed to AddSpotFolder.
//
// # Sections
//
//	qc        library sizes, detected genes, PCA (top variable genes, centred) with the
//	          mean ± OutlierSD rule on the first components, sample correlation heatmap,
//	          ERBB2/ESR1/PGR mRNA by IHC score; a count sample with library size 0 is
//	          left out of everything with a warning (file, sample, column; libsize.go)
//	amplicon  ERBB2, GRB7, STARD3, PGAP3, MIEN1 by group
//	pathways  gene-set scores (core/geneset, GSVA by default) and PROGENy by group;
//	          notes count the constant and missing genes and the sets not scored
//	pam50     subtypes (genefu centroids), composition by group and by timepoint
//	          (Fisher's exact test, r x c), centroid correlations by group, switches
//	de        pCR vs no pCR and HET vs non-HET (pretreatment; limma-voom with
//	          duplicateCorrelation on patient, or DESeq2 on patient pseudo-bulk), post vs
//	          pre within HET and within non-HET (~ patient + timepoint); volcano, MA, top
//	          tables and preranked GSEA (core/gsea) of the moderated t / Wald statistic
//	change    per patient: 1 - Pearson r of gene-centred pre and post profiles, RMS log2
//	          change, and the projection of the change on the cohort's leave-one-out
//	          treatment direction, HET vs non-HET; DE genes per stratum; HER2 IHC and key
//	          score changes (paired Wilcoxon signed-rank within stratum)
//	immune    MCP-counter, ESTIMATE and Danaher scores by pCR and by HET
//	fish      per area and per tumour calls (core/fish), per-cell scatter, copy-number
//	          histogram, pre vs post (paired), FISH measures vs ERBB2 mRNA (Spearman)
//	spatial   GeoMx segment QC, normalisation, HER2-high vs -low within patient, HET
//	response  logistic regression of pCR on each predictor adjusted for HR (Wald), ROC
//	          AUC with the DeLong interval (pROC 1.18); a separated predictor (no
//	          maximum-likelihood estimate) has NA odds ratio and test with R's glm.fit
//	          warning and the reason (separation.go)
//
// # Statistics and tests.tsv
//
// Statistics go through core/stats (R 4.2.2 semantics): Kruskal-Wallis across groups
// then pairwise Wilcoxon rank-sum tests (exact below 50 without ties, otherwise normal
// with tie and continuity correction) with Benjamini-Hochberg adjustment within a
// variable (R's pairwise.wilcox.test(x, g, p.adjust.method = "BH")); with two groups
// only the Wilcoxon test. The padj column of tests.tsv is: for pairwise rows, BH over
// the pairs of the variable; for the omnibus row of each variable (Kruskal-Wallis, or
// the single Wilcoxon), BH over the variables of that analysis; for GSEA, fgsea's BH
// over the sets; for spatial tests, BH over the targets; for response models, BH over
// the predictors; for the three treatment-change measures, BH over the three; a
// single test (a Fisher test, the IHC change) has padj = p; NA for the paired pre vs
// post score and FISH tests and the FISH-mRNA correlations (unadjusted). Per-gene DE statistics are in the DE top tables, not in tests.tsv.
// HET status comes from the sample sheet, or from the pretreatment FISH tumour call
// for patients the sheet leaves without one.
//
// Determinism: the same inputs and Params give byte-identical tables, whatever
// Params.Workers. Maps are never iterated unsorted, random numbers come from
// Params.Seed, and tables carry no time stamps. Numbers in tables are written in the
// shortest form that round-trips (strconv 'g', -1), NA for NaN.
package study
