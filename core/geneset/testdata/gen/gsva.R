# Golden data for core/geneset: GSVA, ssGSEA, z-score and PLAGE scores from
# R 4.2.2 with Bioconductor GSVA 1.46.0 (Debian r-bioc-gsva), old gsva() API.
# Run from core/geneset/testdata:  Rscript gen/gsva.R
# Inputs are simulated with a fixed seed, written out with 4 decimals and read
# back, so R and Go score exactly the same doubles.
suppressPackageStartupMessages(library(GSVA))
stopifnot(as.character(packageVersion("GSVA")) == "1.46.0")
set.seed(20261129)
p <- 2000; n <- 12
genes <- sprintf("G%04d", seq_len(p))
samples <- sprintf("S%02d", seq_len(n))
base <- rnorm(p, 6, 2)
x <- base + matrix(rnorm(p * n, 0, 0.3 + runif(p)), p, n)
x[11:40, 1:6] <- x[11:40, 1:6] + 1.5            # a block of co-regulated genes
x[41:43, ] <- 5                                  # constant genes
x[44:50, ] <- x[51:57, ]                         # duplicated profiles (ties)
x[58:70, 3] <- x[58:70, 3] + 30                  # far outliers (kernel saturates)
x <- round(x, 4)
dimnames(x) <- list(genes, samples)
cnt <- matrix(rnbinom(p * n, mu = rep(2^base / 4, n), size = 5), p, n, dimnames = list(genes, samples))
cnt[41:43, ] <- 7L
cnt[44:50, ] <- cnt[51:57, ]
wr <- function(m, f) {
  out <- cbind(gene = rownames(m), as.data.frame(m))
  write.table(out, f, sep = "\t", quote = FALSE, row.names = FALSE)
}
wr(x, "expr.tsv"); wr(cnt, "counts.tsv")
x <- as.matrix(read.delim("expr.tsv", row.names = 1, check.names = FALSE))
cnt <- as.matrix(read.delim("counts.tsv", row.names = 1, check.names = FALSE))
storage.mode(cnt) <- "double"

universe <- c(genes, sprintf("MISSING%03d", 1:100))
sizes <- c(1, 2, 3, 5, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60, 75, 90, 100, 120, 150, 200,
           4, 6, 7, 9, 11, 13, 17, 35, 80, 250)
sets <- lapply(sizes, function(k) sample(universe, k))
sets[[7]] <- c(genes[11:40])                          # the co-regulated block
sets[[8]] <- c(genes[41:50], genes[51:55])           # constants and duplicated profiles
sets[[9]] <- c(genes[58:70], sprintf("MISSING%03d", 1:5))
sets[[31]] <- sprintf("MISSING%03d", 10:20)          # nothing found: dropped
names(sets) <- sprintf("SET%02d_%d", seq_along(sets), lengths(sets))
gmt <- vapply(names(sets), function(s) paste(c(s, "simulated", sets[[s]]), collapse = "\t"), "")
writeLines(gmt, "sets.gmt")

fmt <- function(m) { v <- format(m, digits = 17); v[is.na(m)] <- "NA"; v }
wsc <- function(m, f) {
  out <- cbind(set = rownames(m), as.data.frame(fmt(m)))
  write.table(out, f, sep = "\t", quote = FALSE, row.names = FALSE)
}
run <- function(X, ...) gsva(X, sets, verbose = FALSE, ...)
wsc(run(x, method = "gsva", kcdf = "Gaussian", mx.diff = TRUE), "gsva_gaussian.tsv")
wsc(run(x, method = "gsva", kcdf = "Gaussian", mx.diff = FALSE), "gsva_gaussian_nomxdiff.tsv")
wsc(run(x, method = "gsva", kcdf = "Gaussian", mx.diff = TRUE, abs.ranking = TRUE), "gsva_gaussian_absrank.tsv")
wsc(run(x, method = "gsva", kcdf = "Gaussian", tau = 0.5, min.sz = 5, max.sz = 100), "gsva_gaussian_tau05_5_100.tsv")
wsc(run(x, method = "gsva", kcdf = "none"), "gsva_ecdf.tsv")
wsc(run(cnt, method = "gsva", kcdf = "Poisson", mx.diff = TRUE), "gsva_poisson.tsv")
wsc(run(cnt, method = "gsva", kcdf = "Poisson", mx.diff = FALSE), "gsva_poisson_nomxdiff.tsv")
wsc(run(x, method = "ssgsea", ssgsea.norm = TRUE), "ssgsea.tsv")
wsc(run(x, method = "ssgsea", ssgsea.norm = FALSE), "ssgsea_nonorm.tsv")
wsc(run(x, method = "zscore"), "zscore.tsv")
wsc(run(x, method = "plage", min.sz = 2), "plage.tsv")
writeLines(c(R.version.string, paste("GSVA", packageVersion("GSVA"))), "gsva_versions.txt")
