// Package geneset holds gene sets and the per-sample gene-set scores: GSVA,
// ssGSEA, combined z-score, PLAGE and singscore.
//
// Gene sets come from GMT/GMX files (ReadGMT, ReadGMX) or from the embedded
// reference collections in core/refdata, which use the Set type defined here.
//
// Score takes a genes x samples *dataset.Matrix and returns a sets x samples
// Scores value together with the number of each set's genes found in the
// matrix and the sets left out by the size bounds. SingscoreSets and
// SingscoreUpDown give singscore's options and dispersions.
//
// # Fidelity
//
// GSVA, ssGSEA, z-score and PLAGE follow the Bioconductor package GSVA 1.46.0
// (Hänzelmann, Castelo and Guinney 2013, BMC Bioinformatics 14:7,
// doi:10.1186/1471-2105-14-7) as shipped by Debian with R 4.2.2, including the
// details that decide ties: the Gaussian kernel reads R's own 10,001-entry
// table of pnorm (phitable.bin, embedded), the Poisson kernel R's own ppois
// values for counts below 64 (ppoistable.bin), the per-gene bandwidth uses a
// double-double emulation of GSVA's long-double standard deviation, kernel sums
// run in C order, and ranks use R's stable orders. The goldens in testdata
// (testdata/gen/gsva.R) are reproduced exactly (max abs difference 0, 5e-16
// for ssGSEA); the acceptance tolerance is 1e-8. PLAGE is equal up to the sign
// of each set's singular vector, which is oriented here so that the score
// correlates non-negatively with the set's summed z-scores.
//
// singscore follows its published definition (Foroutan et al. 2018, BMC
// Bioinformatics 19:404, doi:10.1186/s12859-018-2435-4) and the current code
// of DavisLaboratory/singscore (R/rankAndScoring.R): ranks with ties "min",
// bounds from the number of genes found, dispersion = mad, and for up/down
// signatures TotalDispersion = up + down dispersion.
//
// # Work
//
// GSVA's kernel is O(genes x samples²): about 20,000 x 285² pair evaluations for
// a TCGA-sized cohort. The Gaussian kernel works on each gene's distinct values
// (log2 counts repeat a lot; found by a bucket sort) and, for nearly every
// gene, in fixed point (fixedSums): each distinct value is scaled to
// (u - u_min)·(1000/h)·2^32 as an integer, a pair's table index is the integer
// part of a difference, and the per-value sums add the table entries over the
// samples in C order, four values at a time, from a table wide enough for
// every pair (or, for genes spanning more than 8 standard deviations, with
// each sample clamped once per block of nearby values). That index is
// GSVA's floor(((u_b-u_a)/h)/10·10000) whenever no pair's fractional part lies
// within 1e-7 of an integer, which is checked once per gene on the sorted
// fractional parts; the few genes that fail (values on a grid of whole table
// steps) take the code-matrix path: every pair of distinct values evaluated
// once as a uint16 table code by floating-point division, its mirror the
// complement, codes of four rows packed for the C-order sums. Both paths are
// bit-identical to evaluating GSVA's row_d pair by pair (TestGaussianSumsDirect,
// TestFixedSumsMatrix). The Poisson kernel evaluates ppois once per pair of
// distinct counts; it calls the
// gamma distribution for counts of 64 and above and stays much slower, as in
// GSVA itself. The random walk of each set and sample (ksSparse) visits only
// the set's genes: between two of them the running sum only decreases, and a
// run of r decrements is evaluated exactly per binade (subRepeat), so every
// value is the sequential loop's.
//
// The gene-wise kernel stage and the sample-wise walks of GSVA and the
// per-sample scores of ssGSEA run as core/pool kernels (geneset.gsva.density,
// geneset.gsva.walk, geneset.ssgsea) over contiguous chunks, on goroutines
// natively (Options.Workers, or Options.Pool) and on other WebAssembly workers
// in the browser; each gene or sample is computed by the same operations in
// whichever chunk it falls, so the result is bitwise identical whatever the
// number of workers (TestPoolPartitions). z-score, PLAGE and singscore split
// their loops over Options.Workers goroutines. PLAGE's singular vector comes
// from the package's own eigen solver (topEigenvector), not from a BLAS, so it
// has the same bits natively and in WebAssembly.
package geneset
