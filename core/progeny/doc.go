// Package progeny computes PROGENy pathway activity scores (Schubert M et al.
// 2018, Perturbation-response genes reveal signaling footprints in cancer gene
// expression, Nat Commun 9:20, doi:10.1038/s41467-017-02391-6) exactly as
// progeny(expr, scale=TRUE, organism="Human", top=100) of the Bioconductor
// package progeny 1.20 (Debian r-bioc-progeny 1.20.0) computes them:
//
//	P = t(E[common, ]) %*% W[common, ]        samples x 14 pathways
//	P[, k] = (P[, k] - mean(P[, k])) / sd(P[, k])   if scale and more than one sample
//
// where W is the top-genes weight matrix of refdata.Progeny(top) (zero where a
// gene is not among a pathway's top genes) and common are the model genes found
// in the expression matrix E (log-scale expression, genes x samples). Genes are
// found as refdata.Matcher does: by exact symbol first (the R behaviour; a
// repeated row name uses its first row), then through Entrez IDs, so outdated
// symbols and Ensembl-indexed matrices also work. The number of genes used per
// pathway is reported with the scores.
//
// The permutation mode of progeny (perm > 1) is not implemented.
package progeny
