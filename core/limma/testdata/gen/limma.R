# Goldens for core/limma. Run from core/limma/testdata: Rscript gen/limma.R
# R 4.2.2 Patched (2022-11-10 r83330); limma 3.54.1; edgeR 3.40.2; statmod 1.5.0
# (Debian bookworm packages r-bioc-limma, r-bioc-edger, r-cran-statmod).
suppressPackageStartupMessages({library(limma); library(edgeR); library(statmod)})
cat("versions:", R.version.string, "limma", as.character(packageVersion("limma")),
    "edgeR", as.character(packageVersion("edgeR")), "statmod", as.character(packageVersion("statmod")), "\n")
f17 <- function(x) { s <- formatC(x, digits = 17, format = "g"); s[is.na(x)] <- "NA"; gsub(" ", "", s) }
wmat <- function(m, file) {
  con <- file(file, "w")
  writeLines(paste(c("gene", colnames(m)), collapse = "\t"), con)
  for (i in seq_len(nrow(m))) writeLines(paste(c(rownames(m)[i], f17(m[i, ])), collapse = "\t"), con)
  close(con)
}
wcounts <- function(m, file) {
  con <- file(file, "w")
  writeLines(paste(c("gene", colnames(m)), collapse = "\t"), con)
  for (i in seq_len(nrow(m))) writeLines(paste(c(rownames(m)[i], m[i, ]), collapse = "\t"), con)
  close(con)
}
wsheet <- function(d, file) write.table(d, file, sep = "\t", quote = FALSE, row.names = FALSE)
wtop <- function(fit, coef, file) {
  tt <- topTable(fit, coef = coef, number = Inf, sort.by = "none")
  tt <- data.frame(gene = rownames(tt), tt[, c("logFC","AveExpr","t","P.Value","adj.P.Val","B")])
  tt$sigma <- fit$sigma[match(tt$gene, rownames(fit))]
  tt$s2.post <- fit$s2.post[match(tt$gene, rownames(fit))]
  tt$df.total <- fit$df.total[match(tt$gene, rownames(fit))]
  tt$stdev.unscaled <- fit$stdev.unscaled[match(tt$gene, rownames(fit)), coef]
  con <- file(file, "w")
  writeLines(paste(colnames(tt), collapse = "\t"), con)
  for (i in seq_len(nrow(tt))) writeLines(paste(c(tt$gene[i], sapply(tt[i, -1], f17)), collapse = "\t"), con)
  close(con)
}
whyper <- function(lst, file) {
  con <- file(file, "w")
  for (nm in names(lst)) writeLines(paste(c(nm, f17(lst[[nm]])), collapse = "\t"), con)
  close(con)
}
# Seeded negative-binomial counts: base means from a gamma, dispersion trend,
# DE genes shifted by effects[group], some all-zero genes.
simcounts <- function(ngenes, groupeff, libsize, seed, nzero = 5, patient = NULL) {
  set.seed(seed)
  n <- length(libsize)
  base <- rgamma(ngenes, shape = 0.6, scale = 60) + 0.2
  disp <- 0.05 + 1 / sqrt(base + 1)
  lfc <- matrix(0, ngenes, n)
  de <- sample.int(ngenes, round(ngenes * 0.15))
  lfc[de, ] <- outer(rnorm(length(de), 0, 1.2), groupeff)
  if (!is.null(patient)) {
    pf <- factor(patient)
    re <- matrix(rnorm(ngenes * nlevels(pf), 0, 0.6), ngenes, nlevels(pf))
    lfc <- lfc + re[, as.integer(pf)]
  }
  mu <- base * 2^lfc * matrix(libsize / mean(libsize), ngenes, n, byrow = TRUE)
  y <- matrix(rnbinom(ngenes * n, mu = mu, size = 1 / disp), ngenes, n)
  y[sample.int(ngenes, nzero), ] <- 0
  rownames(y) <- sprintf("g%03d", seq_len(ngenes))
  y
}

## 1. two groups, 4 vs 4, TMM lib sizes, voom + lmFit + eBayes
grp <- factor(rep(c("A","B"), each = 4))
y <- simcounts(200, ifelse(grp == "B", 1, 0), c(1.2, 0.8, 1, 1.5, 0.7, 1.1, 0.9, 1.3) * 1e5, 1)
colnames(y) <- sprintf("s%d", 1:8)
dge <- calcNormFactors(DGEList(y))
design <- model.matrix(~ group, data.frame(group = grp))
v <- voom(dge, design)
fit <- eBayes(lmFit(v, design))
wcounts(y, "two_counts.tsv")
wsheet(data.frame(sample = colnames(y), group = grp, efflib = f17(dge$samples$lib.size * dge$samples$norm.factors)), "two_samples.tsv")
dimnames(v$weights) <- dimnames(v$E); wmat(v$weights, "two_weights.tsv")
wtop(fit, 2, "two_top.tsv")
whyper(list(df.prior = fit$df.prior, s2.prior = fit$s2.prior, var.prior = fit$var.prior), "two_hyper.tsv")

## 2. three groups, unbalanced 3/4/6, contrasts C - B, plain lib sizes
grp3 <- factor(rep(c("a","b","c"), c(3, 4, 6)))
y3 <- simcounts(200, c(a = 0, b = 0.5, c = -1)[as.character(grp3)], runif(13, 0.6, 1.6) * 2e5, 2)
colnames(y3) <- sprintf("t%02d", 1:13)
d3 <- model.matrix(~ group, data.frame(group = grp3))
v3 <- voom(y3, d3)
fit3 <- lmFit(v3, d3)
cm <- matrix(c(0, -1, 1), 3, 1, dimnames = list(colnames(d3), "cVSb"))
fit3c <- eBayes(contrasts.fit(fit3, cm))
wcounts(y3, "three_counts.tsv")
wsheet(data.frame(sample = colnames(y3), group = grp3), "three_samples.tsv")
dimnames(v3$weights) <- dimnames(v3$E); wmat(v3$weights, "three_weights.tsv")
wtop(fit3c, 1, "three_top.tsv")
whyper(list(df.prior = fit3c$df.prior, s2.prior = fit3c$s2.prior, var.prior = fit3c$var.prior), "three_hyper.tsv")

## 3. paired biopsies: 10 patients, 8 with two biopsies, 2 with one; HET by patient;
##    voom -> duplicateCorrelation -> lmFit(block) -> eBayes
pat <- c(rep(sprintf("P%02d", 1:8), each = 2), "P09", "P10")
het <- ifelse(pat %in% c("P01","P02","P03","P09"), "1", "0")
set.seed(3)
pe <- rnorm(10, 0, 0.5)[as.integer(factor(pat))]
y4 <- simcounts(200, ifelse(het == "1", 1, 0) + pe, runif(18, 0.7, 1.4) * 1.5e5, 3, patient = pat)
colnames(y4) <- sprintf("b%02d", 1:18)
d4 <- model.matrix(~ HET, data.frame(HET = factor(het)))
v4 <- voom(y4, d4)
dc <- duplicateCorrelation(v4, d4, block = pat)
fit4 <- eBayes(lmFit(v4, d4, block = pat, correlation = dc$consensus))
wcounts(y4, "paired_counts.tsv")
wsheet(data.frame(sample = colnames(y4), patient = pat, HET = het), "paired_samples.tsv")
dimnames(v4$weights) <- dimnames(v4$E); wmat(v4$weights, "paired_weights.tsv")
wtop(fit4, 2, "paired_top.tsv")
whyper(list(consensus = dc$consensus, df.prior = fit4$df.prior, s2.prior = fit4$s2.prior, var.prior = fit4$var.prior), "paired_hyper.tsv")
con <- file("paired_atanh.tsv", "w"); writeLines(f17(dc$atanh.correlations), con); close(con)

## 4. limma-trend on log-CPM with block, no weights (duplicateCorrelation unweighted)
# All-zero genes are left out: their log-CPM is constant after TMM, so their
# residuals (and R's REML correlation for them) are rounding noise.
lc <- cpm(calcNormFactors(DGEList(y4)), log = TRUE, prior.count = 3)
lc <- lc[rowSums(y4) > 0, ]
wmat(lc, "trend_logcpm.tsv")
dc5 <- duplicateCorrelation(lc, d4, block = pat)
fit5 <- eBayes(lmFit(lc, d4, block = pat, correlation = dc5$consensus), trend = TRUE)
wtop(fit5, 2, "trend_top.tsv")
whyper(list(consensus = dc5$consensus, df.prior = fit5$df.prior), "trend_hyper.tsv")
con <- file("trend_s2prior.tsv", "w"); writeLines(f17(fit5$s2.prior), con); close(con)
con <- file("trend_atanh.tsv", "w"); writeLines(f17(dc5$atanh.correlations), con); close(con)

## 5. paired ~ patient + timepoint, pre/post for 6 patients, voom, NA-free
pat6 <- rep(sprintf("p%d", 1:6), each = 2); tp <- rep(c("pre","post"), 6)
y6 <- simcounts(200, ifelse(tp == "post", 1, 0) + rnorm(6, 0, 0.4)[rep(1:6, each = 2)], runif(12, 0.7, 1.4) * 1e5, 5)
colnames(y6) <- sprintf("q%02d", 1:12)
d6 <- model.matrix(~ patient + timepoint, data.frame(patient = factor(pat6), timepoint = factor(tp, levels = c("pre","post"))))
v6 <- voom(y6, d6)
fit6 <- eBayes(lmFit(v6, d6))
wcounts(y6, "pt_counts.tsv")
wsheet(data.frame(sample = colnames(y6), patient = pat6, timepoint = tp), "pt_samples.tsv")
dimnames(v6$weights) <- dimnames(v6$E); wmat(v6$weights, "pt_weights.tsv")
wtop(fit6, "timepointpost", "pt_top.tsv")
whyper(list(df.prior = fit6$df.prior, s2.prior = fit6$s2.prior), "pt_hyper.tsv")

## 6. squeezeVar / fitFDist toys (with zeros, NA df, covariate)
sv1 <- squeezeVar(c(0.5, 1.3, 7.8, 0.02, 2.2), df = 3)
sv2 <- squeezeVar(c(.5, .5, 1.3, 1.3, 7.8, 7.8, 0.1, 3), df = 20, covariate = c(1:6, 2.5, 4.5))
sv3 <- squeezeVar(c(0.5, 1.3, 7.8, 0, 2.2, 1.1), df = c(3, 3, 2, 0, 4, 3))
whyper(list(sv1.df = sv1$df.prior, sv1.prior = sv1$var.prior, sv1.post = sv1$var.post,
            sv2.df = sv2$df.prior, sv2.prior = sv2$var.prior, sv2.post = sv2$var.post,
            sv3.df = sv3$df.prior, sv3.prior = sv3$var.prior, sv3.post = sv3$var.post), "squeeze.tsv")

## 7. missing values (gene-wise lm.series, unequal df) and robust eBayes,
##    on the voom output of scenario 1 with 40 values set to NA
set.seed(7)
E7 <- v$E; W7 <- v$weights
E7[sample.int(length(E7), 40)] <- NA
wmat(E7, "na_E.tsv")
fit7 <- lmFit(E7, design, weights = W7)
f7a <- eBayes(fit7)
wtop(f7a, 2, "na_top.tsv")
f7b <- eBayes(fit7, robust = TRUE)
wtop(f7b, 2, "na_robust_top.tsv")
whyper(list(df.prior = f7b$df.prior), "na_robust_dfprior.tsv")
f7c <- eBayes(fit7, trend = TRUE, robust = TRUE)
wtop(f7c, 2, "na_trendrobust_top.tsv")
## robust on complete data (equal df), scenario 2's contrast fit
f3r <- eBayes(contrasts.fit(fit3, cm), robust = TRUE)
wtop(f3r, 1, "three_robust_top.tsv")

## 8. the default workflow: filterByExpr(design) -> TMM on kept genes
##    (keep.lib.sizes = FALSE) -> voom -> [duplicateCorrelation] -> lmFit ->
##    eBayes -> topTable(sort.by = "B", number = Inf)
wf <- function(counts, design, coef, block = NULL, file) {
  d <- DGEList(counts)
  keep <- filterByExpr(d, design)
  d <- calcNormFactors(d[keep, , keep.lib.sizes = FALSE])
  v <- voom(d, design)
  if (is.null(block)) fit <- lmFit(v, design) else {
    dc <- duplicateCorrelation(v, design, block = block)
    fit <- lmFit(v, design, block = block, correlation = dc$consensus)
  }
  fit <- eBayes(fit)
  tt <- topTable(fit, coef = coef, number = Inf, sort.by = "B")
  con <- file(file, "w")
  writeLines(paste(c("gene", c("logFC","AveExpr","t","P.Value","adj.P.Val","B")), collapse = "\t"), con)
  for (i in seq_len(nrow(tt))) writeLines(paste(c(rownames(tt)[i], sapply(tt[i, c("logFC","AveExpr","t","P.Value","adj.P.Val","B")], f17)), collapse = "\t"), con)
  close(con)
}
wf(y4, d4, 2, pat, "wf_paired_top.tsv")
wf(y6, d6, "timepointpost", NULL, "wf_pt_top.tsv")

## 9. voom with block and correlation (second voom pass of the paired workflow)
v9 <- voom(y4, d4, block = pat, correlation = dc$consensus)
dimnames(v9$weights) <- dimnames(v9$E); wmat(v9$weights, "paired_voom2_weights.tsv")

## 10. limma-trend workflow: filterByExpr -> TMM -> cpm(log, prior.count = 3)
##     -> lmFit -> eBayes(trend = TRUE), paired data with a block
wft <- function(counts, design, coef, block = NULL, file) {
  d <- DGEList(counts)
  keep <- filterByExpr(d, design)
  d <- calcNormFactors(d[keep, , keep.lib.sizes = FALSE])
  lc <- cpm(d, log = TRUE, prior.count = 3)
  if (is.null(block)) fit <- lmFit(lc, design) else {
    dc <- duplicateCorrelation(lc, design, block = block)
    fit <- lmFit(lc, design, block = block, correlation = dc$consensus)
  }
  fit <- eBayes(fit, trend = TRUE)
  tt <- topTable(fit, coef = coef, number = Inf, sort.by = "B")
  con <- file(file, "w")
  writeLines(paste(c("gene", c("logFC","AveExpr","t","P.Value","adj.P.Val","B")), collapse = "\t"), con)
  for (i in seq_len(nrow(tt))) writeLines(paste(c(rownames(tt)[i], sapply(tt[i, c("logFC","AveExpr","t","P.Value","adj.P.Val","B")], f17)), collapse = "\t"), con)
  close(con)
}
wft(y4, d4, 2, pat, "wft_paired_top.tsv")

## 11. moderated F-test: three groups, topTable with coef = 2:3
f11 <- eBayes(fit3)
tt <- topTable(f11, coef = 2:3, number = Inf, sort.by = "none")
tt <- data.frame(gene = rownames(tt), tt[, c("groupb", "groupc", "AveExpr", "F", "P.Value", "adj.P.Val")])
con <- file("three_F.tsv", "w")
writeLines(paste(colnames(tt), collapse = "\t"), con)
for (i in seq_len(nrow(tt))) writeLines(paste(c(tt$gene[i], sapply(tt[i, -1], f17)), collapse = "\t"), con)
close(con)
con <- file("three_Fall.tsv", "w"); writeLines(f17(f11$F), con); writeLines(f17(f11$F.p.value), con); close(con)

## 12. duplicateCorrelation with blocks of sizes 1-4, random weights and NAs
set.seed(12)
blk <- rep(sprintf("B%d", 1:8), c(1, 2, 3, 4, 2, 3, 1, 4))
n12 <- length(blk)
x12 <- rnorm(n12)
d12 <- model.matrix(~ x12)
be <- matrix(rnorm(150 * 8, 0, 0.7), 150, 8)[, as.integer(factor(blk))]
E12 <- matrix(rnorm(150 * n12), 150, n12) + be + outer(rnorm(150), x12)
W12 <- matrix(rgamma(150 * n12, shape = 4, rate = 4), 150, n12)
E12[sample.int(length(E12), 60)] <- NA
W12[sample.int(length(W12), 20)] <- 0
dimnames(E12) <- dimnames(W12) <- list(sprintf("r%03d", 1:150), sprintf("c%02d", 1:n12))
wmat(E12, "blocks_E.tsv"); wmat(W12, "blocks_W.tsv")
wsheet(data.frame(sample = colnames(E12), block = blk, x = f17(x12)), "blocks_samples.tsv")
dc12 <- duplicateCorrelation(new("EList", list(E = E12, weights = W12)), d12, block = blk)
con <- file("blocks_atanh.tsv", "w"); writeLines(f17(dc12$atanh.correlations), con); close(con)
whyper(list(consensus = dc12$consensus), "blocks_hyper.tsv")
f12 <- eBayes(lmFit(new("EList", list(E = E12, weights = W12)), d12, block = blk, correlation = dc12$consensus))
wtop(f12, 2, "blocks_top.tsv")

## 13. "voom twice" paired workflow
wf2 <- function(counts, design, coef, block, file) {
  d <- DGEList(counts)
  keep <- filterByExpr(d, design)
  d <- calcNormFactors(d[keep, , keep.lib.sizes = FALSE])
  v <- voom(d, design)
  dc <- duplicateCorrelation(v, design, block = block)
  v <- voom(d, design, block = block, correlation = dc$consensus)
  dc <- duplicateCorrelation(v, design, block = block)
  fit <- eBayes(lmFit(v, design, block = block, correlation = dc$consensus))
  tt <- topTable(fit, coef = coef, number = Inf, sort.by = "B")
  con <- file(file, "w")
  writeLines(paste(c("gene", c("logFC","AveExpr","t","P.Value","adj.P.Val","B")), collapse = "\t"), con)
  for (i in seq_len(nrow(tt))) writeLines(paste(c(rownames(tt)[i], sapply(tt[i, c("logFC","AveExpr","t","P.Value","adj.P.Val","B")], f17)), collapse = "\t"), con)
  close(con)
}
wf2(y4, d4, 2, pat, "wf2_paired_top.tsv")

## Large tables are stored gzipped (gzip -n: no name or time stamp); the Go
## tests read "x.tsv" from "x.tsv.gz" when only the latter exists.
for (f in list.files(pattern = "\\.tsv$")) if (file.size(f) > 20000) system2("gzip", c("-n", "-f", "-9", f))
