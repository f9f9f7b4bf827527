# 2 vs 2 inputs (residual df 2) for DESeq2's Monte-Carlo dispersion prior
# variance: one where it ends at the 0.25 floor, one where it does not.
# Made with R 4.2.2, DESeq2 1.38.3 (Debian). Run from core/deseq/testdata:
#   Rscript gen/make_priorvar.R
# It prints attr(dispersionFunction(dds), "dispPriorVar") for each file
# (pv_floor: 0.25, pv_above: 0.8168168), which the Go test asserts.
suppressMessages(library(DESeq2))
stopifnot(packageVersion("DESeq2") == "1.38.3")
mk <- function(seed, sdd, file) {
  set.seed(seed)
  G <- 800; m <- 4
  base <- exp(rnorm(G, 4, 1.5)); disp <- (0.05 + 1/base) * exp(rnorm(G, 0, sdd))
  cts <- matrix(rnbinom(G * m, mu = rep(base, m), size = 1/disp), G, m)
  rownames(cts) <- sprintf("g%04d", 1:G); colnames(cts) <- sprintf("s%d", 1:m)
  cts <- cts[1:300, ]
  con <- gzfile(file, "w"); write.table(cts, con, sep = "\t", quote = FALSE, col.names = NA); close(con)
  dds <- DESeq(DESeqDataSetFromMatrix(cts, data.frame(condition = factor(c("A", "A", "B", "B"))), ~condition), quiet = TRUE)
  cat(file, attr(dispersionFunction(dds), "dispPriorVar"), "\n")
}
mk(110, 1, "pv_floor.counts.tsv.gz")
mk(115, 1.5, "pv_above.counts.tsv.gz")
