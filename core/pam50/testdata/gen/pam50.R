# Golden data for core/pam50.
# R 4.2.2 (Debian). genefu is not packaged for Debian: its functions rescale,
# geneid.map and intrinsic.cluster.predict (Bioconductor genefu, Artistic-2.0;
# read from bhklab/genefu R/*.R) are sourced from a local copy made outside this
# repository, /tmp/genefu_local.R; genefu's code is never committed here. To
# regenerate, obtain those three functions from the genefu sources
# (https://bioconductor.org/packages/genefu or github.com/bhklab/genefu) into
# /tmp/genefu_local.R (the prediction-strength branch may be left out), then run
# from core/pam50/testdata:
#   Rscript gen/pam50.R /work/shared/refdata/pam50/pam50_centroids.tsv
# The UNC median-centred variant follows hoadley-lab/pam50 R/pam50.R
# (preprocess_input with centers="self" then assign_subtypes), written out below
# in base R.
args <- commandArgs(trailingOnly = TRUE)
cf <- if (length(args) > 0) args[1] else "/work/shared/refdata/pam50/pam50_centroids.tsv"
source("/tmp/genefu_local.R")
cent <- read.delim(cf, stringsAsFactors = FALSE, check.names = FALSE)
centroids <- as.matrix(cent[, c("Basal", "Her2", "LumA", "LumB", "Normal")])
rownames(centroids) <- cent$probe
cmap <- data.frame(probe = cent$probe, probe.centroids = cent$probe, EntrezGene.ID = cent$EntrezGene.ID,
                   stringsAsFactors = FALSE)
rownames(cmap) <- cent$probe
model <- function(std) list(centroids = centroids, centroids.map = cmap, method.cor = "spearman",
                            method.centroids = "mean", std = std, rescale.q = 0.05, mins = 5)

set.seed(5150)
ns <- 60
truth <- rep(colnames(centroids), length.out = ns)
samples <- sprintf("T%02d", 1:ns)
# PAM50 probes: two genes absent (MIA, BAG1); six genes with a second probe.
keep <- setdiff(cent$probe, c("MIA", "BAG1"))
dup <- c("ERBB2", "ESR1", "MKI67", "KRT5", "FOXC1", "CDCA1")
pg <- c(keep, dup)
base <- 7 + rnorm(length(pg), sd = 1)
x <- sapply(truth, function(st) base + 1.6 * centroids[pg, st])
x <- x + matrix(rnorm(length(x), sd = 1.5), nrow = nrow(x))
# the duplicate probes: some noisier (chosen), some flatter (not chosen)
nd <- length(dup)
x[(length(keep) + 1):length(pg), ] <- x[(length(keep) + 1):length(pg), ] * c(1.8, 0.3, 1.5, 0.2, 2.0, 0.4) +
  matrix(rnorm(nd * ns, sd = 0.5), nrow = nd)
ent <- c(cent$EntrezGene.ID[match(keep, cent$probe)], cent$EntrezGene.ID[match(dup, cent$probe)])
# filler probes of other genes, one with no Entrez ID, one all-NA duplicate of TYMS
nf <- 240
fill <- matrix(rnorm(nf * ns, mean = 6, sd = 1.5), nrow = nf)
fent <- as.character(100000 + 1:nf)
fent[7] <- NA
x <- rbind(x, fill, rep(NA, ns))
ent <- c(ent, fent, cent$EntrezGene.ID[cent$probe == "TYMS"])
x <- round(x, 2)  # ties inside samples
# sprinkle missing values over the PAM50 probes
na <- sample(length(pg) * ns, 25)
xm <- x[1:length(pg), ]
xm[na] <- NA
x[1:length(pg), ] <- xm
probes <- sprintf("PR%04d", seq_len(nrow(x)))
rownames(x) <- probes
colnames(x) <- samples
annot <- data.frame(probe = probes, EntrezGene.ID = ent, stringsAsFactors = FALSE)
rownames(annot) <- probes

fmt <- function(v) ifelse(is.na(v), "NA", sprintf("%.17g", v))
fmt15 <- function(v) ifelse(is.na(v), "NA", sprintf("%.15g", v))
out <- cbind(probe = probes, matrix(fmt15(x), nrow = nrow(x), dimnames = list(NULL, samples)))
write.table(out, "pam50_expr.tsv", sep = "\t", quote = FALSE, row.names = FALSE)
# use exactly what was written
x <- as.matrix(read.delim("pam50_expr.tsv", row.names = 1, check.names = FALSE))
write.table(data.frame(probe = probes, EntrezGene.ID = ifelse(is.na(ent), "NA", ent)), "pam50_annot.tsv",
            sep = "\t", quote = FALSE, row.names = FALSE)

write_res <- function(sub, cor, proba, file) {
  o <- data.frame(sample = rownames(cor), subtype = ifelse(is.na(sub), "NA", sub), stringsAsFactors = FALSE)
  for (k in colnames(cor)) o[[paste0("cor.", k)]] <- fmt(cor[, k])
  for (k in colnames(proba)) o[[paste0("proba.", k)]] <- fmt(proba[, k])
  write.table(o, file, sep = "\t", quote = FALSE, row.names = FALSE)
}
for (m in c("robust", "none", "scale")) {
  r <- intrinsic.cluster.predict(sbt.model = model(m), data = t(x), annot = annot, do.mapping = TRUE)
  name <- c(robust = "pam50.robust", none = "pam50", scale = "pam50.scale")[m]
  write_res(r$subtype, r$cor, r$subtype.proba, sprintf("%s.tsv", name))
  if (m == "robust") {
    write.table(r$centroids.map, "pam50.robust_map.tsv", sep = "\t", quote = FALSE, row.names = FALSE)
    print(table(r$subtype, truth))
  }
}
# UNC: the same mapped genes (genefu's geneid.map), median-centred per gene,
# scaled per sample, Spearman to the column-scaled centroids with pairwise
# complete observations, which.max.
rr <- geneid.map(geneid1 = setNames(as.character(annot$EntrezGene.ID), annot$probe), data1 = t(x),
                 geneid2 = setNames(as.character(cent$EntrezGene.ID), cent$probe))
d <- t(rr$data1)                                    # genes x samples
rownames(d) <- names(rr$geneid2)
centred <- d - apply(d, 1, median, na.rm = TRUE)
sc <- scale(centred)
cc <- scale(centroids[rownames(d), ])
pw <- t(cor(cc, sc, method = "spearman", use = "pairwise.complete.obs"))
call <- colnames(centroids)[apply(pw, 1, which.max)]
o <- data.frame(sample = rownames(pw), subtype = call, stringsAsFactors = FALSE)
for (k in colnames(pw)) o[[paste0("cor.", k)]] <- fmt(pw[, k])
write.table(o, "pam50_unc.tsv", sep = "\t", quote = FALSE, row.names = FALSE)

# Edge cases (pam50_edge_*): 12 samples x the 50 genes named by Entrez ID; one
# gene constant (robust rescaling gives NaN for it), one gene with two distinct
# values (robust gives +-Inf), a sample with only 3 values (no correlation), a
# sample with 5 values (correlation from 5 genes).
set.seed(7)
ne <- 12
xe <- matrix(round(rnorm(50 * ne, mean = 7, sd = 2), 1), nrow = 50)
xe[3, ] <- 5                                      # constant
xe[4, ] <- rep(c(2, 9), length.out = ne)          # two values
xe[-(1:3), 5] <- NA                               # 3 values in sample 5 (one of them the constant gene)
xe[-(10:14), 9] <- NA                             # 5 values in sample 9
rownames(xe) <- as.character(cent$EntrezGene.ID)
colnames(xe) <- sprintf("E%02d", 1:ne)
oute <- cbind(gene = rownames(xe), matrix(fmt15(xe), nrow = 50, dimnames = list(NULL, colnames(xe))))
write.table(oute, "pam50_edge_expr.tsv", sep = "\t", quote = FALSE, row.names = FALSE)
xe <- as.matrix(read.delim("pam50_edge_expr.tsv", row.names = 1, check.names = FALSE))
annote <- data.frame(probe = rownames(xe), EntrezGene.ID = rownames(xe), stringsAsFactors = FALSE)
rownames(annote) <- annote$probe
for (m in c("robust", "none", "scale")) {
  r <- intrinsic.cluster.predict(sbt.model = model(m), data = t(xe), annot = annote, do.mapping = TRUE)
  name <- c(robust = "pam50.robust", none = "pam50", scale = "pam50.scale")[m]
  write_res(r$subtype, r$cor, r$subtype.proba, sprintf("pam50_edge_%s.tsv", name))
}
