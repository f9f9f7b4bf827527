# voom alone, and voom + duplicateCorrelation (block = patient) + lmFit with the
# block + eBayes, with limma 3.54.1 (statmod 1.5.0) on bench/gen's counts_<n>.tsv.
# Usage (sub=K: time the first K genes and scale to all): Rscript bench/R/limma.R DATADIR N voom|voom_dupcor [sub=K]
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("^--file=", "", args[grep("^--file=", args)])))
source(file.path(here, "common.R"))
a <- bench_args()
dir <- a[1]; n <- as.integer(a[2]); variant <- if (length(a) >= 3) a[3] else "voom"
suppressPackageStartupMessages(library(limma))
sub <- sub_arg(a)
counts <- read_counts(dir, n, sub)
sheet_scale <- full / nrow(counts)
sheet <- read_sheet(dir, n)
X <- model.matrix(~ timepoint, sheet)
if (variant == "voom") {
  timed(sprintf("voom/%s", shape(counts)), function() {
    v <- voom(counts, X)
    ""
  }, scale = sheet_scale)
} else {
  timed(sprintf("voom_dupcor/%s", shape(counts)), function() {
    v <- voom(counts, X)
    dc <- duplicateCorrelation(v, X, block = sheet$patient)
    fit <- lmFit(v, X, block = sheet$patient, correlation = dc$consensus)
    fit <- eBayes(fit)
    sprintf(" consensus=%.6f", dc$consensus)
  }, scale = sheet_scale)
}
