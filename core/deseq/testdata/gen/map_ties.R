# Inputs and line-search trace of DESeq2's MAP dispersion fit (C++ fitDisp)
# for a few genes of the bench tool's data set whose last Armijo decisions
# are ties within DESeq2's rounding (TestMAPTies, testdata/map_ties.*).
# Made for R 4.2.2, DESeq2 1.38.3 (Debian r-bioc-deseq2).
#
# usage: go run ./bench/gen -out DIR -genes 20000 -n 285 -parse-genes 0 -sets=false
#        Rscript map_ties.R DIR/counts_285.tsv DIR/samples_285.tsv OUTPREFIX GENE09544,GENE03269,GENE00242
# writes OUTPREFIX.counts.tsv (gene, y, mu: the counts and the gene-wise
# means DESeq2 passes to fitDisp) and OUTPREFIX.trace.tsv (per gene and
# maxit = 1..dispIter: log alpha and log posterior after maxit proposals,
# with the starting value, prior mean, prior variance and final dispMAP).
suppressMessages(library(DESeq2))
args <- commandArgs(trailingOnly = TRUE)
cts <- as.matrix(read.delim(args[1], row.names = 1, check.names = FALSE))
cd <- read.delim(args[2])
genes <- strsplit(args[4], ",")[[1]]
cd$timepoint <- factor(cd$timepoint); cd$patient <- factor(cd$patient)
dds <- DESeqDataSetFromMatrix(cts, cd, ~ timepoint)
dds <- estimateSizeFactors(dds)
dds <- estimateDispersionsGeneEst(dds, quiet = TRUE)
dds <- estimateDispersionsFit(dds, quiet = TRUE)
dds <- estimateDispersionsMAP(dds, quiet = TRUE)
mm <- model.matrix(~ timepoint, cd)
pv <- attr(dispersionFunction(dds), "dispPriorVar")
cnt <- NULL; tr <- NULL
for (g in genes) {
  i <- which(rownames(dds) == g)
  mc <- mcols(dds)[i, ]
  y <- counts(dds)[i, , drop = FALSE]; mu <- assays(dds)[["mu"]][i, , drop = FALSE]
  init <- ifelse(mc$dispGeneEst > 0.1 * mc$dispFit, mc$dispGeneEst, mc$dispFit)
  for (k in 1:mc$dispIter) {
    r <- DESeq2:::fitDispWrapper(ySEXP = y, xSEXP = mm, mu_hatSEXP = mu, log_alphaSEXP = log(init),
      log_alpha_prior_meanSEXP = log(mc$dispFit), log_alpha_prior_sigmasqSEXP = pv,
      min_log_alphaSEXP = log(1e-9), kappa_0SEXP = 1, tolSEXP = 1e-6, maxitSEXP = k, usePriorSEXP = TRUE,
      weightsSEXP = matrix(1, 1, ncol(y)), useWeightsSEXP = FALSE, weightThresholdSEXP = 0.01, useCRSEXP = TRUE)
    tr <- rbind(tr, data.frame(gene = g, maxit = k, iter = r$iter, logAlpha = sprintf("%.17g", r$log_alpha),
      lastLP = sprintf("%.17g", r$last_lp), init = sprintf("%.17g", init), dispFit = sprintf("%.17g", mc$dispFit),
      priorVar = sprintf("%.17g", pv), dispMAP = sprintf("%.17g", mc$dispMAP), dispIter = mc$dispIter))
  }
  cnt <- rbind(cnt, data.frame(gene = g, y = as.numeric(y), mu = sprintf("%.17g", as.numeric(mu))))
}
write.table(cnt, paste0(args[3], ".counts.tsv"), sep = "\t", quote = FALSE, row.names = FALSE)
write.table(tr, paste0(args[3], ".trace.tsv"), sep = "\t", quote = FALSE, row.names = FALSE)
