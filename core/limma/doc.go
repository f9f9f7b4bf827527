// Package limma reproduces the linear-model pipeline of Bioconductor's limma
// 3.54.1 (Smyth 2004, doi:10.2202/1544-6115.1027; Law et al. 2014,
// doi:10.1186/gb-2014-15-2-r29) for RNA-seq: voom precision weights, lmFit
// (ordinary, weighted and generalised least squares with a block
// correlation), duplicateCorrelation (statmod 1.5.0's mixedModel2Fit REML),
// contrasts.fit, eBayes (squeezeVar/fitFDist, with an Amean trend for
// limma-trend, and robust=TRUE via fitFDistRobustly) and topTable.
//
// Data are genes x samples *dataset.Matrix values; designs are
// *design.Matrix values. Missing observations are NaN, as NA in R, and are
// dropped gene by gene like lm.series and gls.series do. Non-estimable
// coefficients (an aliased column of the design under R's pivoted QR with
// tolerance 1e-7) are NaN.
//
// Gene-wise work (lmFit, duplicateCorrelation, voom weights) runs on Workers
// goroutines over a fixed partition of the genes; each gene's arithmetic does
// not depend on the partition, so results are bitwise identical whatever the
// number of workers.
//
// R's sums and means use 80-bit long double accumulators; this package uses
// float64 with the same formulas, so results agree with R to about 1e-13
// relative, not bit for bit. duplicateCorrelation works on the eigenstructure
// of the block design rather than on a full SVD of each gene's residual space
// (the REML fit depends only on it), which is what makes it fast.
package limma
