# Generates core/geneset/ppoistable.bin: R 4.2.2's ppois(y, x + 0.5) for
# integers x, y in 0..63 at index y*64 + x, little-endian float64. GSVA 1.46's
# Poisson kernel sums these in C order; exact ties between genes are common for
# low counts, so the Go port uses R's exact values there (its own gamma
# function differs from R's in the last bit now and then, which flips ties).
# Run from core/geneset:  Rscript testdata/gen/ppoistable.R
K <- 64
g <- expand.grid(x = 0:(K - 1), y = 0:(K - 1))
writeBin(ppois(g$y, g$x + 0.5), "ppoistable.bin", endian = "little")
