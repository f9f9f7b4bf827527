// Package pam50 assigns the PAM50 intrinsic subtypes of breast cancer (Basal,
// Her2, LumA, LumB, Normal; Parker JS et al. 2009, J Clin Oncol 27:1160,
// doi:10.1200/JCO.2008.18.1370) with the nearest-centroid rule of genefu's
// intrinsic.cluster.predict (Bioconductor genefu, read from bhklab/genefu
// R/intrinsic.cluster.predict.R, R/rescale.R, R/geneid.map.R; Gendoo DMA et al.
// 2016, Bioinformatics 32:1097, doi:10.1093/bioinformatics/btv693), and the UNC
// median-centred variant of the original classifier (hoadley-lab/pam50
// R/pam50.R, preprocess_input with centers="self" and assign_subtypes).
//
// Steps, for a genes x samples matrix of log-scale expression:
//
//  1. Mapping. Rows are matched to the 50 centroid genes by NCBI Entrez ID (the
//     centroids use old symbols CDCA1, KNTC2, ORC6L): either the caller's
//     annotation (Options.Entrez, genefu's annot) or each row identifier
//     resolved through core/genemap. Rows with no value at all are dropped; when
//     several rows map to one gene, the one with the largest
//     sd(x) * (log((n+1)/(nNA+1)) + 1) is kept, sd rounded to 15 significant
//     digits, first row on ties (genefu's geneid.map). Missing genes are
//     reported; below Options.MinGenes the call is refused with an error.
//  2. Standardisation of each gene across the samples (so results depend on
//     the cohort): "robust" (pam50.robust, genefu's molecular.subtyping
//     default): (x - q1)/(q2 - q1), q1, q2 the type-7 quantiles at q/2 = 0.025 and
//     1 - q/2 = 0.975 of the non-missing values, then (v - 0.5) * 2;
//     "scale" (pam50.scale): (x - mean)/sd; "none" (pam50): unchanged;
//     "median" (UNC): x - median(x).
//  3. For each sample, the Spearman correlation (average ranks, then Pearson)
//     with each centroid over the genes with a value (genefu: only if more than
//     3 such genes; otherwise NaN). The call is the first subtype of largest
//     correlation. Probabilities: negative correlations set to 0, then divided by
//     their sum (genefu), also reported for the UNC variant.
//
// Missing values are NaN in and out. A sample whose five correlations are all
// NaN gets the empty call "" (genefu's order(..., na.last=TRUE)[1] would call it
// "Basal"; this port deliberately does not).
package pam50
