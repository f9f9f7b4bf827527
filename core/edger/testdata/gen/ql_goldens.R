# Goldens for core/edger: edgeR's default quasi-likelihood workflow on seeded simulations.
# R 4.2.2, edgeR 3.40.2, limma 3.54.1 (Debian / Bioconductor 3.16).
# Run from core/edger/testdata:  Rscript gen/ql_goldens.R
suppressMessages(library(edgeR))
stopifnot(as.character(packageVersion("edgeR")) == "3.40.2")
f17 <- function(x) ifelse(is.na(x), "NA", trimws(formatC(x, digits = 17, format = "g")))

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

run <- function(name, y, sheet, formula, coef = NULL, contrast = NULL, robust = FALSE) {
  design <- model.matrix(as.formula(formula), data = sheet)
  write.table(data.frame(gene = rownames(y), y, check.names = FALSE), sprintf("%s_counts.tsv", name),
              sep = "\t", quote = FALSE, row.names = FALSE)
  write.table(data.frame(sample = colnames(y), sheet), sprintf("%s_samples.tsv", name),
              sep = "\t", quote = FALSE, row.names = FALSE)
  d <- DGEList(y)
  keep <- filterByExpr(d, design)
  d <- d[keep, , keep.lib.sizes = FALSE]
  d <- calcNormFactors(d)
  d <- estimateDisp(d, design)
  fit <- glmQLFit(d, design, robust = robust)
  res <- if (is.null(contrast)) glmQLFTest(fit, coef = coef) else glmQLFTest(fit, contrast = contrast)
  tt <- topTags(res, n = Inf, sort.by = "none")$table
  con <- file(sprintf("%s_edger.tsv", name), "w")
  writeLines(sprintf("# %s design=%s robust=%s %s", name, formula, robust,
                     if (is.null(contrast)) paste0("coef=", coef) else paste0("contrast=", paste(contrast, collapse = ","))), con)
  writeLines(paste0("# common.dispersion=", f17(d$common.dispersion)), con)
  if (!robust) writeLines(paste0("# df.prior=", paste(f17(fit$df.prior), collapse = ",")), con)
  writeLines(paste0("# norm.factors=", paste(f17(d$samples$norm.factors), collapse = ",")), con)
  writeLines(paste("gene", "trended", "AveLogCPM", "deviance", "df.zeros", "var.post", "df.prior",
                   "logFC", "F", "PValue", "FDR", sep = "\t"), con)
  out <- cbind(rownames(tt), f17(d$trended.dispersion), f17(d$AveLogCPM),
               f17(fit$deviance), fit$df.residual.zeros, f17(fit$var.post), f17(rep_len(fit$df.prior, nrow(d))),
               f17(tt$logFC), f17(tt$F), f17(tt$PValue), f17(tt$FDR))
  writeLines(apply(out, 1, paste, collapse = "\t"), con)
  close(con)
}

g2 <- rep(c("A", "B"), each = 3)
run("two", sim(1, 600, g2), data.frame(group = g2), "~ group", coef = 2)
g22 <- rep(c("A", "B"), each = 2)
run("small", sim(2, 400, g22), data.frame(group = g22), "~ group", coef = 2)
g3 <- rep(c("A", "B", "C"), each = 4)
run("three", sim(3, 700, g3), data.frame(group = g3), "~ group", contrast = c(0, -1, 1))
pt <- rep(sprintf("p%d", 1:6), 2)
tp <- rep(c("t0", "t1"), each = 6)
sh <- data.frame(patient = pt, timepoint = factor(tp))
run("paired", sim(5, 600, tp, pt), sh, "~ patient + timepoint", coef = 7)
# robust = TRUE on the two-group data, with a few outlying genes
yr <- sim(6, 500, g2)
yr[3:8, 1] <- yr[3:8, 1] * 20 + 100
run("robust", yr, data.frame(group = g2), "~ group", coef = 2, robust = TRUE)
