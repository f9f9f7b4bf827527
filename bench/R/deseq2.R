# DESeq() + results() with DESeq2 1.38.3 on bench/gen's counts_<n>.tsv.
# Usage (sub=K: time the first K genes and scale to all): Rscript bench/R/deseq2.R DATADIR N timepoint|paired [sub=K]
# Names: deseq_timepoint/<shape> (~ timepoint), deseq_paired/<shape> (~ patient + timepoint).
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("^--file=", "", args[grep("^--file=", args)])))
source(file.path(here, "common.R"))
a <- bench_args()
dir <- a[1]; n <- as.integer(a[2]); variant <- if (length(a) >= 3) a[3] else "timepoint"
suppressPackageStartupMessages(library(DESeq2))
sub <- sub_arg(a)
counts <- read_counts(dir, n, sub)
sheet_scale <- full / nrow(counts)
sheet <- read_sheet(dir, n)
f <- if (variant == "paired") ~ patient + timepoint else ~ timepoint
dds <- suppressMessages(DESeqDataSetFromMatrix(counts, sheet, f))
timed(sprintf("deseq_%s/%s", variant, shape(counts)), function() {
  d <- DESeq(dds, quiet = TRUE, parallel = FALSE)
  r <- results(d)
  sprintf(" coef=%d padj<0.1=%d", length(resultsNames(d)), sum(r$padj < 0.1, na.rm = TRUE))
}, scale = sheet_scale)
