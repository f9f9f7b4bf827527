# Q and x %*% Rinv of DESeq2's linearModelMu (DESeq2 1.38.3:
# qrx <- qr(x); Q <- qr.Q(qrx); Rinv <- solve(qr.R(qrx))) for the bench
# tool's ~ timepoint design with 285 samples (TestRLinearBasis,
# testdata/linear_basis.tsv). Made for R 4.2.2 with reference BLAS/LAPACK
# 3.11 (Debian libblas3, liblapack3).
#
# usage: go run ./bench/gen -out DIR -genes 20000 -n 285 -parse-genes 0 -sets=false
#        Rscript linear_basis.R DIR/samples_285.tsv out.tsv
args <- commandArgs(trailingOnly = TRUE)
cd <- read.delim(args[1]); cd$timepoint <- factor(cd$timepoint)
x <- model.matrix(~ timepoint, cd)
qrx <- qr(x); Q <- qr.Q(qrx); Rinv <- solve(qr.R(qrx)); xr <- x %*% Rinv
write.table(format(data.frame(Q1 = Q[, 1], Q2 = Q[, 2], xr1 = xr[, 1], xr2 = xr[, 2]), digits = 17),
  args[2], sep = "\t", quote = FALSE, row.names = FALSE)
