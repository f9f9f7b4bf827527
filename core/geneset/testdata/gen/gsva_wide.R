# Golden data for core/geneset at a wider shape: 160 genes x 64 samples of
# log2(count + 1) (rounded to 3 decimals, many exact ties as in RNA-seq), GSVA
# Gaussian and ssGSEA scores from R 4.2.2 with Bioconductor GSVA 1.46.0
# (Debian r-bioc-gsva), old gsva() API.
# Run from core/geneset/testdata:  Rscript gen/gsva_wide.R
suppressPackageStartupMessages(library(GSVA))
stopifnot(as.character(packageVersion("GSVA")) == "1.46.0")
set.seed(20261130)
p <- 160; n <- 64
genes <- sprintf("W%03d", seq_len(p))
samples <- sprintf("T%02d", seq_len(n))
mu <- 2^rnorm(p, 3, 2.5)                      # from mostly-zero to well expressed
cnt <- matrix(rnbinom(p * n, mu = rep(mu, n), size = 3), p, n)
x <- round(log2(cnt + 1), 3)
x[1:8, ] <- x[9:16, ]                           # duplicated profiles
dimnames(x) <- list(genes, samples)
out <- cbind(gene = rownames(x), as.data.frame(x))
write.table(out, "wide_expr.tsv", sep = "\t", quote = FALSE, row.names = FALSE)
x <- as.matrix(read.delim("wide_expr.tsv", row.names = 1, check.names = FALSE))
sizes <- c(5, 8, 12, 15, 20, 25, 30, 40, 50, 60, 3, 10)
sets <- lapply(sizes, function(k) sample(genes, k))
names(sets) <- sprintf("WSET%02d_%d", seq_along(sets), lengths(sets))
gmt <- vapply(names(sets), function(s) paste(c(s, "simulated", sets[[s]]), collapse = "\t"), "")
writeLines(gmt, "wide_sets.gmt")
fmt <- function(m) { v <- format(m, digits = 17); v[is.na(m)] <- "NA"; v }
wsc <- function(m, f) {
  out <- cbind(set = rownames(m), as.data.frame(fmt(m)))
  write.table(out, f, sep = "\t", quote = FALSE, row.names = FALSE)
}
wsc(gsva(x, sets, method = "gsva", kcdf = "Gaussian", verbose = FALSE), "wide_gsva_gaussian.tsv")
wsc(gsva(x, sets, method = "ssgsea", verbose = FALSE), "wide_ssgsea.tsv")
