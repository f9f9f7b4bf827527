# Golden data for core/immune. R 4.2.2 (Debian).
# Run from core/immune/testdata:
#   Rscript gen/immune.R /work/shared/refdata/genesets
# MCP-counter and Danaher scores are appendSignatures of MCPcounter
# (ebecht/MCPcounter R/MCPcounter.R: apply(xp[intersect(rownames(xp), markers), ],
# 2, mean, na.rm=TRUE)), written out below in base R. ESTIMATE: the estimate
# package is not in Debian; the scoring loop of its estimateScore (estimate
# 1.0.13, GPL-2, e.g. github.com/Moonerss/ESTIMATE R/estimateScore.R) is sourced
# from a local copy outside this repository, /tmp/estimate_local.R, defining
# estimate_scores(m, list(stromal, immune)) (the loop unchanged, the matrix and
# gene sets passed as arguments); it is never committed here.
args <- commandArgs(trailingOnly = TRUE)
gsdir <- if (length(args) > 0) args[1] else "/work/shared/refdata/genesets"
source("/tmp/estimate_local.R")
read_gmt <- function(f) {
  l <- strsplit(readLines(f), "\t")
  s <- lapply(l, function(x) unique(x[-(1:2)][x[-(1:2)] != ""]))
  names(s) <- sapply(l, `[`, 1)
  s
}
mcp <- read_gmt(file.path(gsdir, "mcpcounter.symbols.gmt"))
bs <- read_gmt(file.path(gsdir, "breast_signatures.symbols.gmt"))
dan <- bs[grep("^DANAHER2017_", names(bs))]
est <- read_gmt(file.path(gsdir, "estimate141.symbols.gmt"))

set.seed(42)
markers <- unique(c(unlist(mcp), unlist(dan), unlist(est)))
# leave some markers out of the matrix; keep the unresolvable ones out too
markers <- setdiff(markers, c("MGC40069", "C", "CD8B", "KIR2DL1", "PTPRC", "DCN"))
markers <- markers[-sample(length(markers), 20)]
filler <- sprintf("FILL%04d", 1:900)
genes <- sample(c(markers, filler))
ns <- 12
infl <- runif(ns, -1.5, 1.5)      # immune infiltration per sample
strom <- runif(ns, -1.5, 1.5)     # stroma per sample
x <- matrix(rnorm(length(genes) * ns, mean = 6, sd = 2), nrow = length(genes))
isimm <- genes %in% c(unlist(mcp[1:8]), unlist(dan), est[[2]])
isstr <- genes %in% c(unlist(mcp[9:10]), est[[1]])
x[isimm, ] <- x[isimm, ] + rep(infl, each = sum(isimm))
x[isstr, ] <- x[isstr, ] + rep(strom, each = sum(isstr))
x <- round(x, 1)   # ties for the ESTIMATE ranks
rownames(x) <- genes
colnames(x) <- sprintf("S%02d", 1:ns)
fmt <- function(v) ifelse(is.na(v), "NA", sprintf("%.17g", v))
fmt15 <- function(v) ifelse(is.na(v), "NA", sprintf("%.15g", v))
xna <- x
xna[which(rownames(x) == "CD3D"), 3] <- NA   # one missing marker value (MCP na.rm)
write.table(cbind(gene = genes, matrix(fmt15(xna), nrow = nrow(x), dimnames = list(NULL, colnames(x)))),
            "immune_expr.tsv", sep = "\t", quote = FALSE, row.names = FALSE)
xna <- as.matrix(read.delim("immune_expr.tsv", row.names = 1, check.names = FALSE))
x <- xna
x[is.na(x)] <- 6.5   # the ESTIMATE golden uses a complete matrix
write.table(cbind(gene = rownames(x), matrix(fmt15(x), nrow = nrow(x), dimnames = list(NULL, colnames(x)))),
            "immune_expr_complete.tsv", sep = "\t", quote = FALSE, row.names = FALSE)
x <- as.matrix(read.delim("immune_expr_complete.tsv", row.names = 1, check.names = FALSE))

append_sig <- function(xp, markers) t(sapply(markers, function(m) apply(xp[intersect(rownames(xp), m), , drop = FALSE], 2, mean, na.rm = TRUE)))
write_mat <- function(m, file) {
  write.table(cbind(signature = rownames(m), matrix(fmt(m), nrow = nrow(m), dimnames = list(NULL, colnames(m)))),
              file, sep = "\t", quote = FALSE, row.names = FALSE)
}
write_mat(append_sig(xna, mcp), "mcpcounter.tsv")
write_mat(append_sig(xna, dan), "danaher.tsv")
write_mat(estimate_scores(x, est), "estimate.tsv")
# rank() puts NA last (na.last=TRUE): a missing value is ranked above every value.
write_mat(estimate_scores(xna, est), "estimate_na.tsv")
