# Times edgeR 3.40 calcNormFactors + cpm(log=TRUE) and DESeq2 1.38 size factors on a seeded
# 20000 x n simulation, writes the counts so that her2het can be timed on the same data.
# Usage: Rscript bench_norm.R N OUT.tsv   (prints "r_seconds <tmm+logcpm> <sizefactors>")
suppressPackageStartupMessages({ library(edgeR); library(DESeq2) })
args <- commandArgs(TRUE)
n <- as.integer(args[1]); out <- args[2]
set.seed(285)
mu <- rlnorm(20000, 4, 1.8); disp <- 0.05 + 1 / (mu + 1)
depth <- runif(n, 0.5, 2)
y <- sapply(seq_len(n), function(j) rnbinom(20000, mu = mu * depth[j], size = 1 / disp))
dimnames(y) <- list(sprintf("g%05d", 1:20000), sprintf("s%03d", 1:n))
write.table(cbind(gene = rownames(y), y), out, sep = "\t", quote = FALSE, row.names = FALSE)
t1 <- system.time({ d <- calcNormFactors(DGEList(y)); l <- cpm(d, log = TRUE) })[["elapsed"]]
t2 <- system.time(estimateSizeFactorsForMatrix(y))[["elapsed"]]
cat(sprintf("r_seconds %.3f %.3f\n", t1, t2))
