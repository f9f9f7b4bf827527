# results(lfcThreshold=, altHypothesis=) goldens on the "two" scenario.
# Made with R 4.2.2, DESeq2 1.38.3 (Debian). Run from core/deseq/testdata:
#   Rscript gen/make_threshold.R
# (DESeq2 1.38's greaterAbs is the method later renamed greaterAbs2014.)
suppressMessages(library(DESeq2))
stopifnot(packageVersion("DESeq2") == "1.38.3")
cts <- as.matrix(read.delim("two.counts.tsv", row.names = 1, check.names = FALSE))
cd <- data.frame(condition = factor(rep(c("A", "B"), each = 6)))
dds <- DESeq(DESeqDataSetFromMatrix(cts, cd, ~condition), quiet = TRUE)
fmt <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))
out <- NULL
for (alt in c("greaterAbs", "lessAbs", "greater", "less")) {
  r <- results(dds, lfcThreshold = 0.5, altHypothesis = alt)
  out <- rbind(out, data.frame(gene = rownames(r), call = alt, stat = fmt(r$stat),
                               pvalue = fmt(r$pvalue), padj = fmt(r$padj)))
}
con <- gzfile("two.threshold.tsv.gz", "w")
write.table(out, con, sep = "\t", quote = FALSE, row.names = FALSE)
close(con)
