# Shared helpers of the R side of the her2het benchmarks (issue 11).
# R 4.2.2 (Debian), DESeq2 1.38.3, limma 3.54.1, GSVA 1.46.0, reference BLAS.
# Every script prints machine-readable lines
#   <step>/<genes>x<samples> <elapsed seconds> cpu=<user+sys> heapMB=<gc max used> sysMB=NA
# with the same names as the Go harness (bench/cmd). A step that takes less
# than one second is repeated up to three times and the fastest run kept.
# Single core: no BiocParallel; run.sh sets OMP/OPENBLAS threads to 1.

bench_args <- function() {
  a <- commandArgs(trailingOnly = TRUE)
  if (length(a) < 1) stop("usage: Rscript <script>.R DATADIR [N] [VARIANT]")
  a
}

# read_counts reads counts_<n>.tsv; with sub > 0 only its first sub genes are
# kept (for shapes that would take R more than ~15 minutes: the per-gene work
# is then timed on sub genes and scaled, see timed()).
read_counts <- function(dir, n, sub = 0) {
  m <- as.matrix(read.delim(file.path(dir, sprintf("counts_%d.tsv", n)),
                            row.names = 1, check.names = FALSE))
  storage.mode(m) <- "integer"
  full <<- nrow(m)
  if (sub > 0 && sub < nrow(m)) m <- m[seq_len(sub), , drop = FALSE]
  m
}
full <- NA

# sub_arg: the optional 4th argument "sub=K".
sub_arg <- function(a) {
  if (length(a) >= 4 && grepl("^sub=", a[4])) as.integer(sub("^sub=", "", a[4])) else 0L
}

read_sheet <- function(dir, n) {
  s <- read.delim(file.path(dir, sprintf("samples_%d.tsv", n)), colClasses = "character")
  s$timepoint <- factor(s$timepoint, levels = c("pre", "post"))
  s$patient <- factor(s$patient)
  rownames(s) <- s$sample
  s
}

read_gmt <- function(path) {
  l <- strsplit(readLines(path), "\t", fixed = TRUE)
  sets <- lapply(l, function(x) x[-(1:2)])
  names(sets) <- vapply(l, `[`, "", 1)
  sets
}

# shape names the full data set even when a subset of genes is timed.
shape <- function(m) sprintf("%dx%d", if (is.na(full)) nrow(m) else full, ncol(m))

# timed(name, expr): evaluates expr (a function of no arguments returning an
# extra "key=value" string or "") and prints the line.
# With scale != 1 (a gene subset), wall and CPU times are multiplied by scale
# and the line says extrapolated=<scale>.
timed <- function(name, f, scale = 1) {
  best <- NULL
  for (rep in 1:3) {
    invisible(gc(reset = TRUE))
    t0 <- proc.time()
    extra <- f()
    t <- proc.time() - t0
    g <- gc()
    heap <- sum(g[, 6])
    cur <- c(wall = unname(t[["elapsed"]]), cpu = unname(t[["user.self"]] + t[["sys.self"]]), heap = heap)
    if (is.null(best) || cur[["wall"]] < best$t[["wall"]]) best <- list(t = cur, extra = extra)
    if (cur[["wall"]] >= 1) break
  }
  if (scale != 1) best$extra <- sprintf("%s extrapolated=%.2f", best$extra, scale)
  cat(sprintf("%s %.4f cpu=%.3f heapMB=%.1f sysMB=NA%s\n", name, scale * best$t[["wall"]],
              scale * best$t[["cpu"]], best$t[["heap"]], best$extra))
  flush(stdout())
}
