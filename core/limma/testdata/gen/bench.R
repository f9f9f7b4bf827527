# Times limma on simulated data shaped like the study and writes the data for
# the Go benchmark BenchmarkRData (see bench.sh). Not a golden generator.
# R 4.2.2, limma 3.54.1, edgeR 3.40.2, statmod 1.5.0.
# usage: Rscript bench.R OUTDIR [NGENES] [voom]   ("voom": skip the slow
# duplicateCorrelation timing)
suppressPackageStartupMessages({library(limma); library(edgeR); library(statmod)})
args <- commandArgs(trailingOnly = TRUE)
out <- args[1]
ngenes <- if (length(args) > 1) as.integer(args[2]) else 20000L
set.seed(20240101)
# 129 patients: 113 with two pretreatment biopsies, 16 with one; 43 residual
# tumours after treatment -> 242 pre + 43 post = 285 samples.
pat <- sprintf("P%03d", 1:129)
pre <- c(rep(pat[1:113], each = 2), pat[114:129])
post <- sample(pat, 43)
samples <- data.frame(sample = c(paste0(pre, "_pre", ave(seq_along(pre), pre, FUN = seq_along)), paste0(post, "_post")),
                      patient = c(pre, post), timepoint = c(rep("pre", length(pre)), rep("post", 43)))
het <- setNames(ifelse(runif(129) < 0.11, "1", "0"), pat)
samples$HET <- het[samples$patient]
n <- nrow(samples)
base <- rgamma(ngenes, shape = 0.6, scale = 200) + 0.5
disp <- 0.05 + 1 / sqrt(base + 1)
re <- matrix(rnorm(ngenes * 129, 0, 0.5), ngenes, 129, dimnames = list(NULL, pat))
lib <- runif(n, 0.5, 1.5)
mu <- base * 2^re[, samples$patient] * matrix(lib, ngenes, n, byrow = TRUE)
counts <- matrix(rnbinom(ngenes * n, mu = mu, size = 1 / disp), ngenes, n,
                 dimnames = list(sprintf("g%05d", 1:ngenes), samples$sample))
write.table(data.frame(gene = rownames(counts), counts, check.names = FALSE), file.path(out, "counts.tsv"),
            sep = "\t", quote = FALSE, row.names = FALSE)
write.table(samples, file.path(out, "samples.tsv"), sep = "\t", quote = FALSE, row.names = FALSE)
# 1. voom + lmFit + eBayes on all 285 samples, ~ timepoint
d1 <- model.matrix(~ factor(timepoint, levels = c("pre", "post")), samples)
t1 <- system.time({ v <- voom(counts, d1); fit <- eBayes(lmFit(v, d1)) })[["elapsed"]]
# 2. duplicateCorrelation on the 242 pretreatment biopsies, ~ HET, block patient
i2 <- samples$timepoint == "pre"
d2 <- model.matrix(~ HET, samples[i2, ])
v2 <- voom(counts[, i2], d2)
if (length(args) > 2 && args[3] == "voom") {
  t2 <- NA; dc <- list(consensus = NA)
} else {
  t2 <- system.time(dc <- duplicateCorrelation(v2, d2, block = samples$patient[i2]))[["elapsed"]]
}
cat(sprintf("voom_lmfit_ebayes\t%.3f\nduplicateCorrelation\t%.3f\nconsensus\t%.17g\n", t1, t2, dc$consensus),
    file = file.path(out, "r_times.tsv"))
cat(readLines(file.path(out, "r_times.tsv")), sep = "\n")
