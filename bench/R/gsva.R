# GSVA 1.46.0 gsva() (method "gsva", kcdf "Gaussian") or ssGSEA on
# log2(counts + 1) of bench/gen's counts_<n>.tsv with the 50 sets of sets.gmt.
# Usage (sub=K: time the first K genes and scale to all): Rscript bench/R/gsva.R DATADIR N gsva|ssgsea [sub=K]
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("^--file=", "", args[grep("^--file=", args)])))
source(file.path(here, "common.R"))
a <- bench_args()
dir <- a[1]; n <- as.integer(a[2]); variant <- if (length(a) >= 3) a[3] else "gsva"
suppressPackageStartupMessages(library(GSVA))
sub <- sub_arg(a)
counts <- read_counts(dir, n, sub)
sheet_scale <- full / nrow(counts)
expr <- log2(counts + 1)
sets <- read_gmt(file.path(dir, "sets.gmt"))
timed(sprintf("%s/%s", variant, shape(counts)), function() {
  s <- if (variant == "ssgsea") {
    gsva(expr, sets, method = "ssgsea", parallel.sz = 1L, verbose = FALSE)
  } else {
    gsva(expr, sets, method = "gsva", kcdf = "Gaussian", parallel.sz = 1L, verbose = FALSE)
  }
  sprintf(" sets=%d", nrow(s))
}, scale = sheet_scale)
