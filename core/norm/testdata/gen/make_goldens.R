# Golden data for core/norm.
# R 4.2.2, edgeR 3.40.2, DESeq2 1.38.3, limma 3.54.1, sva 3.46.0 (Debian packages).
# Run from core/norm/testdata:  Rscript gen/make_goldens.R
# Inputs are seeded simulations owned by the project; every number is written with %.17g, NA as NA.
suppressPackageStartupMessages({
  library(edgeR); library(DESeq2); library(limma); library(sva)
})
stopifnot(packageVersion("edgeR") == "3.40.2", packageVersion("DESeq2") == "1.38.3",
          packageVersion("limma") == "3.54.1", packageVersion("sva") == "3.46.0")

f17 <- function(x) { s <- sprintf("%.17g", x); s[is.na(x) & !is.nan(x)] <- "NA"; s }
writeMat <- function(m, file, rows = seq_len(nrow(m))) {
  m <- m[rows, , drop = FALSE]
  con <- file(file, "w")
  writeLines(paste(c("gene", colnames(m)), collapse = "\t"), con)
  for (i in seq_len(nrow(m))) writeLines(paste(c(rownames(m)[i], f17(m[i, ])), collapse = "\t"), con)
  close(con)
}
writeCounts <- function(m, file) {
  con <- file(file, "w")
  writeLines(paste(c("gene", colnames(m)), collapse = "\t"), con)
  for (i in seq_len(nrow(m))) writeLines(paste(c(rownames(m)[i], as.character(m[i, ])), collapse = "\t"), con)
  close(con)
}
# scalars/vectors: one "key<TAB>v1<TAB>v2..." line each
kv <- new.env()
put <- function(key, x) assign(key, if (is.logical(x)) as.character(as.integer(x)) else f17(x), envir = kv)
writeKV <- function(file) {
  keys <- sort(ls(kv))
  con <- file(file, "w")
  for (k in keys) writeLines(paste(c(k, get(k, envir = kv)), collapse = "\t"), con)
  close(con)
}

# ---------------- simulations ----------------
set.seed(20261129)
simNB <- function(ngenes, nsamp, meanlog = 5, sdlog = 1.6, depth = NULL) {
  mu <- rlnorm(ngenes, meanlog, sdlog)
  if (is.null(depth)) depth <- runif(nsamp, 0.5, 2)
  disp <- 0.03 + 1 / (mu + 1)
  y <- sapply(seq_len(nsamp), function(j) rnbinom(ngenes, mu = mu * depth[j], size = 1 / disp))
  y
}
# A: 1200 genes x 8 samples, unbalanced 3 vs 5, 20 all-zero genes, 80 low-count genes,
# sample 8 zero-heavy, a few DE genes.
A <- simNB(1200, 8, meanlog = 5.2, sdlog = 1.5)
A[1:20, ] <- 0
A[21:100, ] <- matrix(rnbinom(80 * 8, mu = 1.5, size = 2), 80, 8)
z <- sample(1200, 700); A[z, 8] <- 0
A[101:140, 4:8] <- A[101:140, 4:8] * 3
A[141:160, 1] <- 0     # zeros only in sample 1
dimnames(A) <- list(sprintf("gA%04d", 1:1200), paste0("A_s", 1:8))
groupA <- factor(c("ctl", "ctl", "ctl", "trt", "trt", "trt", "trt", "trt"))
batchA <- factor(c("b1", "b2", "b1", "b2", "b1", "b2", "b1", "b2"))
batchA2 <- factor(c("x", "x", "y", "y", "x", "y", "x", "y"))
covA <- round(runif(8, 20, 70))
lenA <- round(runif(1200, 300, 12000))
writeCounts(A, "counts_A.tsv")

# B: 2 vs 2, 400 genes, zeros.
B <- simNB(400, 4, meanlog = 3, sdlog = 2)
B[1:5, ] <- 0
dimnames(B) <- list(sprintf("gB%03d", 1:400), paste0("B_s", 1:4))
writeCounts(B, "counts_B.tsv")

# D: 200 genes x 5 samples, ~85% zeros so median(f75) == 0 (TMM reference by sqrt column sums).
D <- matrix(rnbinom(200 * 5, mu = 8, size = 0.5), 200, 5)
D[matrix(runif(200 * 5) < 0.8, 200, 5)] <- 0
dimnames(D) <- list(sprintf("gD%03d", 1:200), paste0("D_s", 1:5))
writeCounts(D, "counts_D.tsv")

# E: 300 genes x 24 samples, two groups of 12 (filterByExpr large.n rule).
E <- simNB(300, 24, meanlog = 2, sdlog = 1.5)
dimnames(E) <- list(sprintf("gE%03d", 1:300), paste0("E_s", 1:24))
groupE <- factor(rep(c("p", "q"), each = 12))
writeCounts(E, "counts_E.tsv")


assign("A.group", as.character(groupA), envir = kv); assign("A.batch", as.character(batchA), envir = kv)
assign("A.batch2", as.character(batchA2), envir = kv)
put("A.cov", covA); put("A.length", lenA)

# ---------------- edgeR ----------------
for (nm in c("A", "B", "D", "E")) {
  x <- get(nm)
  put(paste0(nm, ".libsize"), colSums(x))
  for (m in c("TMM", "TMMwsp", "RLE", "upperquartile")) {
    f <- tryCatch(calcNormFactors(x, method = m), warning = function(w) suppressWarnings(calcNormFactors(x, method = m)))
    put(paste0(nm, ".nf.", m), f)
  }
}
put("A.nf.TMM.noweight", calcNormFactors(A, method = "TMM", doWeighting = FALSE))
put("A.nf.TMM.ref2", calcNormFactors(A, method = "TMM", refColumn = 2))
put("A.nf.TMM.trim", calcNormFactors(A, method = "TMM", logratioTrim = 0.2, sumTrim = 0.1, Acutoff = -15))
put("A.nf.uq.p50", calcNormFactors(A, method = "upperquartile", p = 0.5))
libA <- colSums(A) * c(1.1, 0.9, 1, 1, 1.2, 0.8, 1, 1)
put("A.libsize.custom", libA)
put("A.nf.TMM.customlib", calcNormFactors(A, lib.size = libA, method = "TMM"))
put("A.nf.TMMwsp.customlib", calcNormFactors(A, lib.size = libA, method = "TMMwsp"))

rowsA <- c(1:25, seq(26, 1200, by = 15))
yA <- DGEList(A, group = groupA); yA <- calcNormFactors(yA)
writeMat(cpm(yA), "A_cpm_tmm.tsv", rowsA)
writeMat(cpm(yA, log = TRUE), "A_logcpm_tmm.tsv", rowsA)
writeMat(cpm(A, log = TRUE, prior.count = 0.5), "A_logcpm_raw_p05.tsv", rowsA)
rowsB <- c(1:10, seq(11, 400, by = 4))
writeMat(cpm(B, log = TRUE), "B_logcpm_raw.tsv", rowsB)
writeMat(rpkm(yA, gene.length = lenA), "A_fpkm_tmm.tsv", rowsA)
writeMat(rpkm(A, gene.length = lenA, log = TRUE), "A_logfpkm_raw.tsv", rowsA)
rate <- A / lenA
writeMat(t(t(rate) / colSums(rate)) * 1e6, "A_tpm.tsv", rowsA)

# filterByExpr
put("A.keep.group", filterByExpr(A, group = groupA))
put("A.keep.design", filterByExpr(A, design = model.matrix(~groupA)))
put("A.keep.none", suppressMessages(filterByExpr(A)))
put("A.keep.dge", filterByExpr(yA))                     # lib.size * norm.factors, group from DGEList
put("A.keep.dge.design", filterByExpr(yA, design = model.matrix(~groupA + covA)))
put("A.keep.mincount", filterByExpr(A, group = groupA, min.count = 5, min.total.count = 30))
put("E.keep.group", filterByExpr(E, group = groupE))
put("E.keep.design", filterByExpr(E, design = model.matrix(~groupE)))
put("B.keep.group", filterByExpr(B, group = c(1, 1, 2, 2)))

# ---------------- DESeq2 size factors ----------------
for (nm in c("A", "B", "E")) {
  x <- get(nm)
  put(paste0(nm, ".sf.ratio"), estimateSizeFactorsForMatrix(x))
  dds <- DESeqDataSetFromMatrix(x, data.frame(row.names = colnames(x), k = rep(1, ncol(x))), ~1)
  put(paste0(nm, ".sf.poscounts"), sizeFactors(estimateSizeFactors(dds, type = "poscounts")))
  put(paste0(nm, ".sf.ratio.control"), sizeFactors(estimateSizeFactors(dds, controlGenes = 21:150)))
  put(paste0(nm, ".sf.poscounts.control"), sizeFactors(estimateSizeFactors(dds, type = "poscounts", controlGenes = 21:150)))
}

# ---------------- DESeq2 VST ----------------
ddsA <- DESeqDataSetFromMatrix(A, data.frame(row.names = colnames(A), group = groupA), ~group)
ddsA <- estimateSizeFactors(ddsA)
put("A.vst.sf", sizeFactors(ddsA))
fitDisp <- function(dds, fitType, design = ~1) {
  d <- dds; design(d) <- design
  d <- estimateDispersionsGeneEst(d, quiet = TRUE)
  estimateDispersionsFit(d, fitType = fitType, quiet = TRUE)
}
# blind=TRUE parametric
vb <- varianceStabilizingTransformation(ddsA, blind = TRUE, fitType = "parametric")
co <- attr(dispersionFunction(fitDisp(ddsA, "parametric")), "coefficients")
put("A.vst.blind.par.coef", co[c("asymptDisp", "extraPois")])
writeMat(assay(vb), "A_vst_blind_parametric.tsv", rowsA)
# blind=FALSE parametric: dispersion trend from the full design ~group
dfull <- fitDisp(ddsA, "parametric", ~group)
co <- attr(dispersionFunction(dfull), "coefficients")
put("A.vst.noblind.par.coef", co[c("asymptDisp", "extraPois")])
writeMat(assay(varianceStabilizingTransformation(dfull, blind = FALSE)), "A_vst_noblind_parametric.tsv", rowsA)
# mean fit
dmean <- fitDisp(ddsA, "mean")
put("A.vst.blind.mean.alpha", attr(dispersionFunction(dmean), "mean"))
writeMat(assay(varianceStabilizingTransformation(ddsA, blind = TRUE, fitType = "mean")), "A_vst_blind_mean.tsv", rowsA)
# local fit: dump the dispersion function at R's integration grid
dloc <- fitDisp(ddsA, "local")
nc <- counts(dloc, normalized = TRUE)
xg <- sinh(seq(asinh(0), asinh(max(nc)), length.out = 1000))[-1]
put("A.vst.local.xg", xg)
put("A.vst.local.disp", dispersionFunction(dloc)(xg))
writeMat(assay(varianceStabilizingTransformation(ddsA, blind = TRUE, fitType = "local")), "A_vst_blind_local.tsv", rowsA)
# vst(): nsub = 1000 subset, parametric fit on the subset. Uses samples 1-7 of A (without the
# zero-heavy sample the parametric trend converges on the subset).
dds7 <- estimateSizeFactors(ddsA[, 1:7])
put("A7.vst.sf", sizeFactors(dds7))
vv <- vst(dds7, blind = TRUE)
bm <- rowMeans(counts(dds7, normalized = TRUE))
sub <- dds7[bm > 5, ]; bms <- bm[bm > 5]; o <- order(bms)
idx <- o[round(seq(from = 1, to = length(o), length = 1000))]
sub <- sub[idx, ]
put("A7.vst.nsub.genes", match(rownames(sub), rownames(A)))
design(sub) <- ~1
sub <- estimateDispersionsFit(estimateDispersionsGeneEst(sub, quiet = TRUE), quiet = TRUE)
co <- attr(dispersionFunction(sub), "coefficients")
stopifnot(!is.null(co))
put("A7.vst.nsub.coef", co[c("asymptDisp", "extraPois")])
writeMat(assay(vv), "A7_vst_nsub.tsv", rowsA)
# VST with user size factors on B (2 vs 2), parametric with given coefficients
ddsB <- DESeqDataSetFromMatrix(B, data.frame(row.names = colnames(B), g = factor(c("a", "a", "b", "b"))), ~g)
sizeFactors(ddsB) <- c(0.8, 1.1, 1.3, 0.9)
dB <- fitDisp(ddsB, "mean")
put("B.vst.mean.alpha", attr(dispersionFunction(dB), "mean"))
writeMat(assay(varianceStabilizingTransformation(ddsB, blind = TRUE, fitType = "mean")), "B_vst_blind_mean.tsv", rowsB)

# ---------------- ComBat and removeBatchEffect on log-CPM of A ----------------
# Input: the first 400 genes of TMM log-CPM of A, written in full so that Go starts from
# R's exact values (ComBat's "constant within a batch" test is exact equality, and
# log-CPM of zero counts is constant across samples only up to rounding).
lA <- cpm(yA, log = TRUE)[1:400, ]
writeMat(lA, "A_batch_input.tsv")
rowsA <- rowsA[rowsA <= 400]
capture.output({
  cb1 <- suppressMessages(ComBat(lA, batch = batchA))
  cb2 <- suppressMessages(ComBat(lA, batch = batchA, mod = model.matrix(~groupA)))
  cb3 <- suppressMessages(ComBat(lA, batch = batchA, mod = model.matrix(~groupA), mean.only = TRUE))
  batch3 <- factor(c("u", "v", "u", "w", "v", "u", "v", "u"))
  cb4 <- suppressMessages(ComBat(lA, batch = batch3, mod = model.matrix(~covA)))
})
assign("A.batch3", as.character(batch3), envir = kv)
writeMat(cb1, "A_combat_batch.tsv", rowsA)
writeMat(cb2, "A_combat_mod.tsv", rowsA)
writeMat(cb3, "A_combat_meanonly.tsv", rowsA)
writeMat(cb4, "A_combat_3batch_cov.tsv", rowsA)
# three batches, one of them a single sample: ComBat switches to mean.only
batch5 <- factor(c("u", "v", "u", "w", "v", "u", "v", "v"))
capture.output(cb5 <- suppressMessages(ComBat(lA, batch = batch5)))
assign("A.batch5", as.character(batch5), envir = kv)
writeMat(cb5, "A_combat_single.tsv", rowsA)

rb1 <- removeBatchEffect(lA, batch = batchA)
rb2 <- removeBatchEffect(lA, batch = batchA, design = model.matrix(~groupA))
rb3 <- removeBatchEffect(lA, batch = batchA, batch2 = batchA2, covariates = covA, design = model.matrix(~groupA))
lNA <- lA; lNA[30, 2] <- NA; lNA[31, c(1, 5)] <- NA; lNA[33, 1:7] <- NA
rb4 <- removeBatchEffect(lNA, batch = batchA, design = model.matrix(~groupA))
writeMat(rb1, "A_rbe_batch.tsv", rowsA)
writeMat(rb2, "A_rbe_design.tsv", rowsA)
writeMat(rb3, "A_rbe_all.tsv", rowsA)
writeMat(rb4, "A_rbe_na.tsv", rowsA)


writeKV("values.tsv")

# ComBat with a reference batch (appended later; reruns reproduce every file above).
capture.output(cb6 <- suppressMessages(ComBat(lA, batch = batchA, mod = model.matrix(~groupA), ref.batch = "b2")))
writeMat(cb6, "A_combat_ref.tsv", rowsA)

# ComBat with missing values (sva's NA path: Beta.NA, rowVars with n-1 for every gene).
lNA2 <- lA; lNA2[30, 2] <- NA; lNA2[31, c(1, 5)] <- NA; lNA2[50, 8] <- NA; lNA2[200, 3] <- NA
capture.output(cb7 <- suppressMessages(ComBat(lNA2, batch = batchA, mod = model.matrix(~groupA))))
writeMat(cb7, "A_combat_na.tsv", sort(c(rowsA, 30, 31, 50, 200)))

# DESeq2 normalization factors from average transcript lengths (tximport's avgTxLength
# as DESeqDataSetFromTximport stores it), and the VST on counts / normalizationFactors.
set.seed(77)
txlen <- matrix(round(rlnorm(1200 * 8, log(1500), 0.3)), 1200, 8, dimnames = dimnames(A))  # whole numbers keep the file small
writeMat(txlen, "A_avgtxlength.tsv")
ddsT <- DESeqDataSetFromMatrix(A, data.frame(row.names = colnames(A), group = groupA), ~group)
assays(ddsT, withDimnames = FALSE)[["avgTxLength"]] <- txlen
ddsT <- suppressMessages(estimateSizeFactors(ddsT))
writeMat(normalizationFactors(ddsT), "A_txnf_ratio.tsv", rowsA)
ddsTp <- suppressMessages(estimateSizeFactors(ddsT, type = "poscounts"))
writeMat(normalizationFactors(ddsTp), "A_txnf_poscounts.tsv", rowsA)
dT <- fitDisp(ddsT, "parametric")
co <- attr(dispersionFunction(dT), "coefficients")
put("A.txnf.vst.par.coef", co[c("asymptDisp", "extraPois")])
writeMat(assay(varianceStabilizingTransformation(ddsT, blind = TRUE)), "A_txnf_vst_parametric.tsv", rowsA)
writeKV("values.tsv")
