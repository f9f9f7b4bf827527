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
// goroutines over a fixed partition of the genes, or with a Pool option as
// registered core/pool kernels ("limma.lmfit", "limma.dupcor") over gene
// ranges (in the browser, on other engine workers); each gene's arithmetic
// does not depend on the partition, so results are bitwise identical
// whatever the number of workers or tasks. Pool tasks hold at most 4 MB of
// rows (values and weights), a round at most Pool.Size() tasks, and the
// kernels read the rows in place from their input, a chunk at a time, so the
// pool path holds no copy of the matrix or the weights
// (TestPoolPathMemory).
//
// Speed and memory. A design with many indicator columns (~ patient +
// timepoint) is fitted gene by gene by a sparse row-wise Givens QR whose
// structure is found once for the design (R's pivoted QR is used for genes
// where a column comes near the span of the others, so rank decisions stay
// R's); genes of an unweighted fit without a block share one decomposition
// of the design (coefficients and residuals from its explicit Q in two
// passes); voom reads the counts once for its checks and library sizes and
// writes the log-CPM values chunk by chunk just before lmFit fits them, and
// computes fitted values once per distinct design row; EBayes can
// restrict the moderated statistics to the tested columns (Coefs; the
// workflow does); Voom's InPlace and VoomWorkflow's OverwriteCounts reuse the
// count matrix for the log-CPM values, so voom's weights are the only new
// genes x samples matrix (BenchmarkVoomMemory60kx1000).
//
// Entry points: Voom, LmFit, DuplicateCorrelation, ContrastsFit, EBayes
// (with SqueezeVar, FitFDist, FitFDistRobustly), TopTable, FTest/TopTableF,
// and the default analyses VoomWorkflow (counts: filterByExpr, TMM, voom or
// limma-trend, optional block) and ExpressionWorkflow (an existing
// log-expression matrix).
//
// Version notes. The semantics are limma 3.54.1's (Bioconductor 3.16, the
// Debian release the goldens come from). limma >= 3.62 changed eBayes for
// genes with unequal residual df (missing values): it uses
// fitFDistUnequalDF1 there, this package the older fitFDist, so fits with
// NaN observations match 3.54, not 3.62; complete data match both. eBayes's
// F statistic is not stored by EBayes; FTest computes it on demand. TopTable
// returns every gene unless Number is set (R's default is 10).
//
// Deliberate differences from R, all far below the acceptance tolerances:
// voom's log-CPM is log2(c+0.5) - log2((L+1)·1e-6) with a table for whole
// counts (a few ulp from R's expression); the voom trend is interpolated on
// the lowess curve with its collinear points removed (about 1e-13
// relative); duplicateCorrelation gives NaN, not R's rounding-noise value,
// for a gene whose residuals are all zero to rounding.
//
// R's sums and means use 80-bit long double accumulators; this package uses
// float64 with the same formulas, so results agree with R to about 1e-13
// relative, not bit for bit. duplicateCorrelation works on the eigenstructure
// of the block design rather than on a full SVD of each gene's residual space
// (the REML fit depends only on it), which is what makes it fast.
package limma
