# TMM on counts where R sees exact ties among log-ratios and log-abundances
# that straddle the trim boundaries: many small whole counts, so that
# M = log2((y/L)/(r/Lr)) and A = (log2(y/L) + log2(r/Lr))/2 of different genes
# are equal bit for bit in R (e.g. counts 1 and 8 against 2 and 4), and the
# average ranks of such a tie at a trim boundary decide which genes are kept.
# The ties exist in R only because R's log2 (glibc) rounds correctly there;
# core/fmath.Log2 must round alike.
# R 4.2.2, edgeR 3.40.2. Run from core/norm/testdata: Rscript gen/tmm_ties.R
# Writes counts_T.tsv (genes x samples) and T_nf.tsv (one column per option
# set: calcNormFactors' factors, %.17g).
suppressMessages(library(edgeR))
# The data: a seeded paired simulation (800 genes, 6 patients x 2 timepoints,
# small counts; the one core/edger's QL goldens use, testdata/gen/ql_goldens.R, with seed 4),
# filtered by filterByExpr(~ patient + timepoint) with keep.lib.sizes = FALSE,
# on which a faithfully rounded log2 moved sample 12's factor by 1.3e-4.
sim <- function(seed, ngenes, groups, patient) {
  set.seed(seed)
  n <- length(groups)
  base <- exp(rnorm(ngenes, 3, 2))
  disp <- 0.05 + 1 / sqrt(base + 1)
  g <- as.integer(factor(groups))
  lfc <- matrix(0, ngenes, max(g))
  de <- sample(ngenes, ngenes %/% 10)
  for (k in 2:max(g)) lfc[de, k] <- rnorm(length(de), 0, 1.5)
  pf <- factor(patient)
  pe <- rnorm(nlevels(pf), 0, 0.5)[as.integer(pf)]
  lib <- runif(n, 0.5, 1.5)
  mu <- base * exp(lfc[, g, drop = FALSE] + matrix(pe, ngenes, n, byrow = TRUE)) *
    matrix(lib, ngenes, n, byrow = TRUE)
  y <- matrix(rnbinom(ngenes * n, mu = mu, size = 1 / disp), ngenes, n)
  y[1, g == 1] <- 0
  y[1, g != 1] <- y[1, g != 1] + 50
  y[2, ] <- 0
  y[2, n] <- 40
  y
}
pt <- rep(sprintf("p%d", 1:6), 2); tp <- rep(c("t0", "t1"), each = 6)
y <- sim(4, 800, tp, pt)
design <- model.matrix(~ patient + timepoint, data.frame(patient = pt, timepoint = factor(tp)))
y <- y[filterByExpr(DGEList(y), design), ]
# Check that ties straddle the trim boundaries (sample j against the reference).
straddles <- function(y, j, ref, trimM = 0.3, trimA = 0.05) {
  L <- colSums(y)
  o <- y[, j] / L[j]; r <- y[, ref] / L[ref]
  M <- log2(o / r); A <- (log2(o) + log2(r)) / 2
  ok <- is.finite(M) & is.finite(A)
  M <- M[ok]; A <- A[ok]; n <- length(M)
  cut <- function(x, trim) {
    lo <- floor(n * trim) + 1; hi <- n + 1 - lo
    rk <- rank(x); rmin <- rank(x, ties.method = "min"); rmax <- rank(x, ties.method = "max")
    any((rk < lo & rmax >= lo) | (rk > hi & rmin <= hi))
  }
  cut(M, trimM) || cut(A, trimA)
}
L <- colSums(y)
f75 <- apply(y, 2, quantile, 0.75) / L
ref <- which.min(abs(f75 - mean(f75)))
hits <- sum(sapply(seq_len(ncol(y)), function(j) j != ref && straddles(y, j, ref)))
cat(nrow(y), "genes; samples with a tie straddling a trim boundary:", hits, "\n")
rownames(y) <- sprintf("t%04d", seq_len(nrow(y)))
colnames(y) <- sprintf("T_s%02d", seq_len(ncol(y)))
write.table(data.frame(gene = rownames(y), y, check.names = FALSE), "counts_T.tsv",
            sep = "\t", quote = FALSE, row.names = FALSE)
f <- function(...) sprintf("%.17g", calcNormFactors(DGEList(y), ...)$samples$norm.factors)
out <- data.frame(TMM = f(method = "TMM"),
                  TMM_noweight = f(method = "TMM", doWeighting = FALSE),
                  TMM_trim = f(method = "TMM", logratioTrim = 0.2, sumTrim = 0.1),
                  TMM_ref1 = f(method = "TMM", refColumn = 1))
write.table(out, "T_nf.tsv", sep = "\t", quote = FALSE, row.names = FALSE)
