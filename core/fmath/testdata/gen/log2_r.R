# R's log2 (the C library's log2; R 4.2.2 on Debian 12, glibc 2.36) on the
# arguments edgeR's TMM and limma's voom take logs of: whole counts over
# library sizes (y / L, and their ratios), plus uniform and wide-range
# arguments. Output: log2_r.tsv, one line per argument: x and log2(x) as C99
# hex floats (%a), read by core/fmath TestLog2MatchesR.
# Run from core/fmath/testdata: Rscript gen/log2_r.R
set.seed(20261129)
n <- 1500
y <- sample(0:5000, n, replace = TRUE) + 1
L <- round(exp(runif(n, log(5e4), log(5e7))))
r <- sample(0:5000, n, replace = TRUE) + 1
Lr <- round(exp(runif(n, log(5e4), log(5e7))))
x <- c(1 / 74105, 2 / 74105, 8 / 74105, 1 / 111258, 4 / 111258, 8 / 111258,
       y / L, (y / L) / (r / Lr), runif(n, 1e-6, 1e3), 2^runif(n, -1000, 1000))
writeLines(sprintf("%a\t%a", x, log2(x)), "log2_r.tsv")
