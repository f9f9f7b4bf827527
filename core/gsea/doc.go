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
// Enrichment scores are computed in double precision with the formula of
// fgsea's calcGseaStat; they agree with an explicit running-sum walk to 1e-10
// (the test tolerance; in practice a few ulps). fgsea >= 1.37 first rounds the
// weights to integers scaled to 2^30/Σ|stat|^p, so its ES can differ from these
// around 1e-9.
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
//
// The permutations run on Options.Pool when it is set (core/pool kernel
// gsea.null; the browser's helper workers), else on Options.Workers goroutines:
// the permutations are split into contiguous ranges, each task starts from the
// generator state its range begins with, and the counts are accumulated in
// permutation order afterwards, so the numbers are bitwise the same for any pool
// size (TestPoolBitwise).
//
// With Options.Multilevel, p-values too small for the permutations are
// refined by adaptive multilevel splitting as fgseaMultilevel does
// (Korotkevich et al. 2021), with fgsea's rules for when to refine, its
// p = min(1, multilevel p / ((modeFraction+1)/(nperm+1))), eps floor and log2err.
// That part is a double-precision re-implementation of the published
// algorithm (fgsea >= 1.37 scores integer-scaled weights with its own chunked
// sampler), so refined p-values agree with fgsea's within their log2err, not
// bit for bit.
package gsea
