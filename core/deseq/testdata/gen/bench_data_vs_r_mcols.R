# DESeq2 intermediates on the bench tool's data set (bench/gen counts_285.tsv,
# samples_285.tsv), ~ timepoint: every column of mcols(dds), the dispersion
# trend's coefficients and prior variance, and varLogDispEsts, for tracing
# core/deseq stage by stage (TestAgainstRBench, DESEQ_R_MCOLS=<out.mcols>).
# Made for R 4.2.2, DESeq2 1.38.3 (Debian r-bioc-deseq2).
#
# usage: go run ./bench/gen -out DIR -genes 20000 -n 285 -parse-genes 0 -sets=false
#        Rscript bench_data_vs_r_mcols.R DIR/counts_285.tsv DIR/samples_285.tsv out
# writes out.mcols.tsv (gene-wise), out.trend.tsv (name, value) and out.res.tsv.
suppressMessages(library(DESeq2))
args <- commandArgs(trailingOnly = TRUE)
cts <- as.matrix(read.delim(args[1], row.names = 1, check.names = FALSE))
cd <- read.delim(args[2])
cd$timepoint <- factor(cd$timepoint); cd$patient <- factor(cd$patient)
dds <- DESeqDataSetFromMatrix(cts, cd, ~ timepoint)
st <- system.time({dds <- DESeq(dds, quiet = TRUE); res <- results(dds)})
print(st)
mc <- as.data.frame(mcols(dds))
keep <- !vapply(mc, is.list, logical(1)) & !vapply(mc, is.matrix, logical(1))
mc <- mc[, keep]
mc <- cbind(gene = rownames(dds), mc)
write.table(format(mc, digits = 17), paste0(args[3], ".mcols.tsv"), sep = "\t", quote = FALSE, row.names = FALSE)
df <- dispersionFunction(dds)
co <- attr(df, "coefficients")
nz <- function(x) if (is.null(x)) NA_real_ else x
tr <- data.frame(name = c(paste0("coef_", names(co)), "dispPriorVar", "varLogDispEsts", paste0("sf_", colnames(dds))),
  value = c(co, nz(attr(df, "dispPriorVar")), nz(attr(df, "varLogDispEsts")), sizeFactors(dds)))
write.table(format(tr, digits = 17), paste0(args[3], ".trend.tsv"), sep = "\t", quote = FALSE, row.names = FALSE)
out <- data.frame(gene = rownames(dds), baseMean = res$baseMean, log2FoldChange = res$log2FoldChange,
  lfcSE = res$lfcSE, stat = res$stat, pvalue = res$pvalue, padj = res$padj)
write.table(format(out, digits = 17), paste0(args[3], ".res.tsv"), sep = "\t", quote = FALSE, row.names = FALSE)
