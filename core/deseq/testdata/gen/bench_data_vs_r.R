# DESeq2 on the bench tool's data set (bench/gen: counts_285.tsv and
# samples_285.tsv, the same numbers as studySim(20000, 285) in bench_test.go),
# ~ timepoint, written for TestAgainstRBench (DESEQ_R_RESULTS=<out>).
# Made for R 4.2.2, DESeq2 1.38.3 (Debian r-bioc-deseq2).
#
# usage: go run ./bench/gen -out DIR -genes 20000 -n 285 -parse-genes 0 -sets=false
#        Rscript bench_data_vs_r.R DIR/counts_285.tsv DIR/samples_285.tsv out.tsv
suppressMessages(library(DESeq2))
args <- commandArgs(trailingOnly = TRUE)
cts <- as.matrix(read.delim(args[1], row.names = 1, check.names = FALSE))
cd <- read.delim(args[2])
cd$timepoint <- factor(cd$timepoint); cd$patient <- factor(cd$patient)
dds <- DESeqDataSetFromMatrix(cts, cd, ~ timepoint)
st <- system.time({dds <- DESeq(dds, quiet = TRUE); res <- results(dds)})
print(st)
mc <- mcols(dds)
out <- data.frame(gene = rownames(dds), dispGeneEst = mc$dispGeneEst, dispMAP = mc$dispMAP,
  dispersion = mc$dispersion, baseMean = res$baseMean, log2FoldChange = res$log2FoldChange,
  lfcSE = res$lfcSE, pvalue = res$pvalue, padj = res$padj)
write.table(format(out, digits = 17), args[3], sep = "\t", quote = FALSE, row.names = FALSE)
