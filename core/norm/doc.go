// Package norm normalises RNA-seq count matrices the way edgeR, DESeq2, limma and
// sva do, to their numerical precision.
//
// Reference versions (the Debian-packaged R 4.2.2 / Bioconductor 3.16 set; the
// goldens in testdata/ were made with them by testdata/gen/make_goldens.R):
// edgeR 3.40.2, DESeq2 1.38.3, limma 3.54.1, sva 3.46.0.
//
// Contents:
//
//   - Library sizes, CPM and log-CPM with edgeR's prior-count rules (edgeR::cpm),
//     FPKM (edgeR::rpkm) and TPM from gene lengths.
//   - Normalisation factors as edgeR's calcNormFactors: TMM, TMMwsp, RLE and
//     upper quartile, and effective library sizes.
//   - filterByExpr as edgeR 3.40.
//   - DESeq2 size factors: median of ratios ("ratio", not renormalised) and
//     "poscounts" (renormalised), with control genes; normalization factors from a
//     normMatrix or tximport's avgTxLength.
//   - DESeq2's variance-stabilising transformation for a given dispersion trend
//     (parametric closed form, mean closed form, local by numerical integration),
//     with size factors or normalization factors, and vst()'s gene subset. The trend
//     itself is estimated by core/deseq (the CLI wires the two together).
//   - sva's ComBat (parametric prior, optionally mean-only, with covariates, a
//     reference batch, missing values) and limma's removeBatchEffect (batch, batch2,
//     covariates, design, missing values).
//
// Not ported: ComBat's non-parametric prior (par.prior = FALSE), edgeR's offsets in
// cpm(), DESeq2's rlog and type = "iterate" size factors.
//
// Matrices are *dataset.Matrix, genes x samples; functions never modify their input
// and return new matrices or factor slices. Missing values are NaN. Anything a
// user's data can cause (negative counts, NaN counts, mismatched lengths, a design
// that confounds batch) is returned as an error; the documentation of each
// function says where a NaN result can appear.
//
// Speed and memory: TMM (tmmfactor.go) takes no logarithm per gene: log2(o/nO)
// of a whole count comes from a per-worker table of log2 o, M and A are
// formed from it and the reference's logarithms (computed once), and the
// trims, which depend on ranks and so on the last bit, are decided on M and
// A computed exactly as edgeR does wherever an approximation could change a
// rank (bands around the trim positions; everything else is provably on the
// same side). The trim positions and the upper quartiles that choose the
// reference are found by sampled selection (exact). Passes over the matrix
// read rows in memory order or eight rows at a time (the column gathers of
// a few dozen samples, never a transposed copy). Factors are computed per
// sample on Workers goroutines or, with NormOptions.Pool and inputs of at
// least 2^21 values, as "norm.tmm" tasks of core/pool carrying at most 4 MB
// of columns each (bitwise the same). LogCPM takes whole counts below 1024
// from per-sample tables. The logarithms are core/fmath's, so results are
// the same natively and in wasm.
//
// R's sum, mean and rowMeans accumulate in 80-bit long double; this package uses
// float64 (with compensated summation where long sums feed later steps), so results
// agree with R to about 1e-15 relative, not bit for bit.
package norm
