# ComBat at sva's "constant within a batch" discontinuity (golden for
# TestComBatNearConstant in core/norm).
# R 4.2.2, sva 3.46.0. Run from core/norm/testdata:  Rscript gen/combat_nearconst.R
# Input: A_batch_input.tsv (TMM log-CPM of A written by make_goldens.R). In batch b2
# some genes (all-zero counts) have log-CPM values equal only up to rounding
# (range < 1e-12 but var > 0), so sva adjusts them; here those values are made
# exactly equal to the batch's first sample (a change of ~3e-15), which makes sva
# leave them unchanged and leave them out of the priors.
suppressPackageStartupMessages(library(sva))
stopifnot(packageVersion("sva") == "3.46.0")
f17 <- function(x) sprintf("%.17g", x)
x <- as.matrix(read.table("A_batch_input.tsv", header = TRUE, row.names = 1, sep = "\t", check.names = FALSE))
b <- factor(c("b1", "b2", "b1", "b2", "b1", "b2", "b1", "b2"))
s2 <- which(b == "b2")
near <- which(apply(x[, s2], 1, function(z) { r <- max(z) - min(z); r > 0 && r < 1e-12 }))
y <- x
for (g in near) y[g, s2] <- y[g, s2[1]]
capture.output(cb <- suppressMessages(ComBat(y, batch = b)))
con <- file("A_combat_nearconst.tsv", "w")
writeLines(paste(c("gene", colnames(cb)), collapse = "\t"), con)
for (i in seq_len(nrow(cb))) writeLines(paste(c(rownames(cb)[i], f17(cb[i, ])), collapse = "\t"), con)
close(con)
cat("near-constant genes in b2:", length(near), "\n")
