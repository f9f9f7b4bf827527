# read.delim of bench/gen's parse_<genes>x<samples>.tsv (R 4.2.2 utils).
# Usage: Rscript bench/R/parse.R DATADIR
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("^--file=", "", args[grep("^--file=", args)])))
source(file.path(here, "common.R"))
a <- bench_args()
for (path in Sys.glob(file.path(a[1], "parse_*.tsv"))) {
  mb <- file.size(path) / 1e6
  nm <- sub("\\.tsv$", "", sub("^parse_", "", basename(path)))
  invisible(readLines(path, n = 2000)) # warm the page cache like the Go side's read
  timed(sprintf("parse/%s", nm), function() {
    t0 <- proc.time()[["elapsed"]]
    d <- read.delim(path, row.names = 1, check.names = FALSE)
    sprintf(" MB=%.1f rows=%d MBps=%.1f", mb, nrow(d), mb / (proc.time()[["elapsed"]] - t0))
  })
}
