# Generates testdata/pairwise.tsv: pairwise.wilcox.test with BH and holm.
# R version 4.2.2 Patched (2022-11-10 r83330). Run from core/stats:
#   Rscript testdata/gen/pairwise.R
set.seed(11)
f17 <- function(v) paste(ifelse(is.na(v), "NA", sprintf("%.17g", v)), collapse = ",")
out <- file("testdata/pairwise.tsv", "w")
cat("case\tmethod\tgroups\tpvalues_lower_colmajor\n", file = out)
G <- list(
  four = list(rnorm(12), rnorm(9, 0.8), rnorm(15, -0.3), round(rnorm(7, 1), 1)),
  ties = list(c(1, 2, 2, 3), c(2, 3, 3, 4, 5), c(4, 5, 5, 6)),
  three = list(rnorm(55), rnorm(60, 0.2), rnorm(20, 0.5))
)
for (nm in names(G)) for (m in c("BH", "holm")) {
  g <- G[[nm]]
  x <- unlist(g); f <- factor(rep(seq_along(g), lengths(g)))
  p <- suppressWarnings(pairwise.wilcox.test(x, f, p.adjust.method = m)$p.value)
  cat(nm, m, paste(sapply(g, f17), collapse = "|"), f17(p[lower.tri(p, TRUE)]), sep = "\t", file = out)
  cat("\n", file = out)
}
close(out)
