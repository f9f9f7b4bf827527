# Generates core/geneset/phitable.bin: the 10,001-entry table of the standard
# normal CDF that GSVA 1.46.0 precomputes in src/kernel_estimation.c (initCdfs:
# pnorm5(10*i/10000, 0, 1, TRUE, FALSE), i = 0..10000), written as little-endian
# float64 so that Go uses R's exact values (Go's math.Exp differs from glibc's
# in the last bit for ~0.3% of entries, which can flip GSVA's ties).
# R 4.2.2. Run from core/geneset:  Rscript testdata/gen/phitable.R
x <- pnorm(10 * (0:10000) / 10000)
writeBin(x, "phitable.bin", endian = "little")
