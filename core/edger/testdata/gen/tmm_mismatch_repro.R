# Reproducer (for core/norm, not used by core/edger tests): a 607 x 12 count matrix on which
# core/norm.NormFactors (TMM, defaults) differs from edgeR 3.40.2 calcNormFactors:
# sample 12 (reference chosen: sample 8) by 1.3e-4 relative, the others by 1.2e-5 through the
# geometric-mean scaling. R 4.2.2, edgeR 3.40.2. Run: Rscript tmm_mismatch_repro.R (writes
# tmm_repro_counts.tsv in the working directory and prints edgeR's factors).
sim <- function(seed, ngenes, groups, patient = NULL) {
  set.seed(seed)
  n <- length(groups)
  base <- exp(rnorm(ngenes, 3, 2))
  disp <- 0.05 + 1 / sqrt(base + 1)
  g <- as.integer(factor(groups))
  lfc <- matrix(0, ngenes, max(g))
  de <- sample(ngenes, ngenes %/% 10)
  for (k in 2:max(g)) lfc[de, k] <- rnorm(length(de), 0, 1.5)
  pe <- rep(0, n)
  if (!is.null(patient)) {
    pf <- factor(patient)
    pe <- rnorm(nlevels(pf), 0, 0.5)[as.integer(pf)]
  }
  lib <- runif(n, 0.5, 1.5)
  mu <- base * exp(lfc[, g, drop = FALSE] + matrix(pe, ngenes, n, byrow = TRUE)) *
    matrix(lib, ngenes, n, byrow = TRUE)
  y <- matrix(rnbinom(ngenes * n, mu = mu, size = 1 / disp), ngenes, n)
  # a gene silent in the first group, one silent everywhere but one sample
  y[1, g == 1] <- 0
  y[1, g != 1] <- y[1, g != 1] + 50
  y[2, ] <- 0
  y[2, n] <- 40
  rownames(y) <- sprintf("g%04d", seq_len(ngenes))
  colnames(y) <- sprintf("s%02d", seq_len(n))
  y
}
suppressMessages(library(edgeR))
pt <- rep(sprintf("p%d", 1:6), 2); tp <- rep(c("t0", "t1"), each = 6)
y <- sim(4, 800, tp, pt)
sh <- data.frame(patient = pt, timepoint = factor(tp))
design <- model.matrix(~ patient + timepoint, sh)
d <- DGEList(y); keep <- filterByExpr(d, design); d <- d[keep, , keep.lib.sizes = FALSE]
write.table(d$counts, "tmm_repro_counts.tsv", sep = "\t", quote = FALSE)
cat(formatC(calcNormFactors(d)$samples$norm.factors, digits = 17, format = "g"), sep = "\n")
