// Package edger reproduces edgeR 3.40.2's default quasi-likelihood (QL)
// differential expression workflow (Lun, Chen & Smyth 2016,
// doi:10.1007/978-1-4939-3578-9_19; Chen, Lun & Smyth 2016,
// doi:10.12688/f1000research.8987.2):
//
//	y <- DGEList(counts); keep <- filterByExpr(y, design)
//	y <- y[keep, , keep.lib.sizes = FALSE]; y <- calcNormFactors(y)   # TMM
//	y <- estimateDisp(y, design)      # common and trended dispersions
//	fit <- glmQLFit(y, design)        # trended dispersion, abundance.trend
//	glmQLFTest(fit, coef = / contrast = ); topTags(n = Inf, sort.by = "none")
//
// Pieces (each cites the edgeR function it follows): the negative binomial
// GLM fit (glmFit: mglmOneWay/mglmOneGroup for one-way layouts detected by
// designAsFactor, Levenberg-damped scoring as glm_levenberg otherwise), the
// unit deviance (compute_unit_nb_deviance with its Poisson and gamma
// branches), aveLogCPM, the Cox-Reid adjusted profile likelihood
// (adjustedProfileLik), maximizeInterpolant (fmm spline), estimateDisp's
// grid and zero-fit handling, .residDF, glmQLFit (squeezeVar from
// core/limma with the AveLogCPM covariate), glmLRT's null designs for a
// coefficient or a contrast, glmQLFTest (df.total cap, Poisson bound) and
// BH FDRs (core/stats).
//
// Accuracy against R (testdata/gen/ql_goldens.R; four designs: 3 vs 3,
// 2 vs 2, three groups with a contrast, paired ~ patient + timepoint):
// common and trended dispersions and AveLogCPM to about 1e-12 relative,
// logFC 1e-14, F 1e-8, log10 p 1e-10 (tests: TestGoldenQLWorkflow,
// TestGoldenQLGivenTrend). The dispersion trend is locfit's
// degree-0 fit with its adaptive evaluation tree and linear interpolation
// between vertices (locfitDeg0). glmQLFit(robust = TRUE) is supported
// (limma's robust squeezeVar; df.prior per gene). Not ported: tagwise
// dispersions, weights, robust estimateDisp, trend methods other than
// locfit, tests of several coefficients at once (df.test > 1).
//
// Speed. The cost is estimateDisp's 21 fits and adjusted profile
// likelihoods per gene. One-way designs (~ group, ~ timepoint) are fitted in
// closed form per group by Newton's method; the likelihood takes the
// dispersion-only terms once per grid point, lnΓ(y+1) once per gene and
// lnΓ(y+r) once per distinct count. BenchmarkQLWorkflow/20000x285 takes
// about 15 s of CPU natively (the grid's one-way fits form the means as
// exp(β)·exp(off), one exponential per Newton step). Other designs use
// edgeR's Levenberg-Marquardt iterations; from 12 columns on (~ patient +
// timepoint) their linear algebra and the Cox-Reid determinants are sparse
// (sparse.go: XᵀWX from each sample's non-zero columns, a Cholesky
// decomposition over its symbolic structure with the dense columns last),
// so BenchmarkQLWorkflowPaired/2000x286 (143 patients) takes about 10 s of
// CPU where the dense O(n·p² + p³) iterations would take hours at 20k genes.
// Each distinct zero pattern of estimateDisp and .residDF costs a QR of the
// design (R does the same).
//
// Data are genes x samples row-major counts with a row-major n x p design of
// full rank; offsets are log(lib.size·norm.factors). Gene-wise loops run on
// Workers goroutines over a fixed partition of contiguous gene ranges; every
// gene's arithmetic is independent of the partition, so results are bitwise
// identical for any number of workers. exp/log/lgamma are core/fmath's, so
// results are the same natively and in wasm. Errors are returned for
// anything user data can cause (sizes, negative or NaN dispersions, no
// residual degrees of freedom, no gene kept); an all-zero gene gets NaN
// Levenberg coefficients as edgeR's NA.
package edger
