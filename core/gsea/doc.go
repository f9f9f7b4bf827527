// Package gsea is preranked gene set enrichment analysis in the manner of the
// Bioconductor package fgsea (Korotkevich et al. 2021, bioRxiv 060012,
// doi:10.1101/060012; fgseaSimple) with the enrichment score of Subramanian
// et al. 2005 (PNAS 102:15545, doi:10.1073/pnas.0506580102).
//
// Run computes, for every gene set, the enrichment score (ES), a null
// distribution from random gene sets of the same size, the normalised score
// (NES), the permutation p-value, Benjamini–Hochberg adjusted p-values and the
// leading edge. Curve gives the running-sum points for an enrichment plot.
//
// Random gene sets are drawn exactly as fgsea's C++ code draws them: a 32-bit
// Mersenne Twister (MT19937, identical to std::mt19937 and boost::mt19937)
// seeded with Options.Seed, fgsea's rejection sampler (uid_wrapper) and its
// combination() with the explicit Fisher–Yates shuffle (fgsea >= 1.35.1). For
// every permutation one random set of the largest pathway size is drawn and
// its prefixes serve as the random sets of every smaller size, as in fgsea's
// calcGseaStatCumulativeBatch. Options.Seed therefore plays the role of the
// per-chunk seed of fgseaSimple(nproc=1) (in R: set.seed(s);
// sample.int(1e9, 1)); the same seed gives the same numbers, whatever
// Options.Workers is.
package gsea
