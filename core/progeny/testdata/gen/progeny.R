# Golden data for core/progeny.
# R 4.2.2 (Debian), progeny 1.20.0 (Debian r-bioc-progeny 1.20.0+ds-1).
# Run from core/progeny/testdata:  Rscript gen/progeny.R
# Input: a project-owned seeded simulation (log2-like expression), 1200 genes x 10
# samples: all 1301 top-100 genes would be too many for the size budget, so the
# matrix holds 900 of them, 250 further genes of the full model and 50 genes that
# are in no model; one gene (the first) is repeated to check first-match semantics.
suppressPackageStartupMessages(library(progeny))
set.seed(20261129)
full <- progeny::model_human_full
m100 <- progeny:::getModel("Human", top = 100)
top <- sample(rownames(m100), 900)
others <- setdiff(unique(as.character(full$gene)), rownames(m100))
more <- sample(others, 250)
junk <- sprintf("NOTAGENE%02d", 1:50)
genes <- c(top, more, junk)
genes <- genes[sample(length(genes))]
ns <- 10
x <- matrix(rnorm(length(genes) * ns, mean = 6, sd = 2), nrow = length(genes))
# give some genes a sample structure so pathway scores vary
x <- x + outer(rnorm(length(genes), sd = 1), seq(-1, 1, length.out = ns))
rownames(x) <- genes
colnames(x) <- sprintf("S%02d", 1:ns)
x <- rbind(x, DUPGENE = x[1, ] + 1)
rownames(x)[nrow(x)] <- rownames(x)[1]
fmt <- function(v) ifelse(is.na(v), "NA", sprintf("%.17g", v))
write_mat <- function(m, file, corner) {
  out <- cbind(rownames(m), matrix(fmt(m), nrow = nrow(m), dimnames = dimnames(m)))
  colnames(out)[1] <- corner
  write.table(out, file, sep = "\t", quote = FALSE, row.names = FALSE)
}
write_mat(x, "expr.tsv", "gene")
for (cfg in list(list(100, TRUE), list(100, FALSE), list(500, TRUE), list(1, TRUE))) {
  r <- progeny(x, scale = cfg[[2]], organism = "Human", top = cfg[[1]])
  write_mat(r, sprintf("progeny_top%d_scale%s.tsv", cfg[[1]], cfg[[2]]), "sample")
}
# A single sample is not scaled (nrow(result) == 1).
r1 <- progeny(x[, 1, drop = FALSE], scale = TRUE, top = 100)
write_mat(r1, "progeny_top100_single.tsv", "sample")
# A missing value in a model gene: NA * 0 is NA in R, so that sample's 14 raw
# scores are NA; scale() then centres and scales the other samples without it.
xna <- x
xna[which(rownames(x) %in% rownames(m100))[1], 3] <- NA
r <- progeny(xna, scale = TRUE, top = 100)
write_mat(r, "progeny_top100_na.tsv", "sample")
