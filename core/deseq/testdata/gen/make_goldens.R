# Golden data for core/deseq.
# Made with R 4.2.2, DESeq2 1.38.3 (Debian packages r-base, r-bioc-deseq2).
# Run from core/deseq/testdata:  Rscript gen/make_goldens.R
# Every input is a seeded simulation owned by the project (set.seed below).
# Outputs per scenario <name>:
#   <name>.counts.tsv      gene x sample integer counts (input)
#   <name>.design.tsv      model matrix as DESeq2 builds it (column names as resultsNames)
#   <name>.mcols.tsv.gz    per-gene intermediates (mcols(dds)) and sizeFactors in the header
#   <name>.res.tsv.gz      results() tables (one block per call, column "call")
#   <name>.meta.tsv        scalars: dispPriorVar, varLogDispEsts, fitType, trend coefficients, filterTheta...
suppressMessages(library(DESeq2))
stopifnot(packageVersion("DESeq2") == "1.38.3")
fmt <- function(x) { if (is.logical(x)) x <- as.numeric(x); ifelse(is.na(x), "NA", sprintf("%.17g", x)) }

simulate <- function(seed, ngenes, groups, lfcFrac = 0.1, nzero = 5, nout = 6,
                     trend = function(m) 0.04 + 2/m, paired = NULL) {
  set.seed(seed)
  m <- length(groups)
  base <- exp(rnorm(ngenes, 3.5, 2))
  disp <- trend(base) * exp(rnorm(ngenes, 0, 0.5))
  sf <- exp(runif(m, log(0.6), log(1.6)))
  lev <- levels(groups)
  eff <- matrix(0, ngenes, length(lev))
  de <- sample(ngenes, round(lfcFrac * ngenes))
  for (k in seq_along(lev)[-1]) eff[de, k] <- rnorm(length(de), 0, 1.5)
  pat <- if (is.null(paired)) rep(0, m) else { pe <- rnorm(nlevels(paired), 0, 0.5); pe[as.integer(paired)] }
  mu <- sapply(seq_len(m), function(j) sf[j] * base * 2^(eff[, as.integer(groups[j])] + pat[j]))
  cts <- matrix(rnbinom(ngenes * m, mu = mu, size = 1/disp), ngenes, m)
  cts[sample(ngenes, nzero), ] <- 0L
  if (nout > 0) {
    og <- sample(which(rowSums(cts) > 50), nout)
    for (g in og) { j <- sample(m, 1); cts[g, j] <- as.integer(cts[g, j] * 20 + 100) }
  }
  rownames(cts) <- sprintf("g%04d", seq_len(ngenes))
  colnames(cts) <- sprintf("s%02d", seq_len(m))
  cts
}

writeTSV <- function(df, file, rownm = NULL) {
  con <- if (grepl("\\.gz$", file)) gzfile(file, "w") else file(file, "w")
  on.exit(close(con))
  cols <- names(df)
  writeLines(paste(c(if (!is.null(rownm)) "gene", cols), collapse = "\t"), con)
  body <- do.call(cbind, lapply(df, function(v) if (is.character(v)) v else fmt(v)))
  if (!is.null(rownm)) body <- cbind(rownm, body)
  writeLines(apply(body, 1, paste, collapse = "\t"), con)
}

resDF <- function(res, call) {
  data.frame(call = call, baseMean = res$baseMean, log2FoldChange = res$log2FoldChange,
             lfcSE = res$lfcSE, stat = res$stat, pvalue = res$pvalue, padj = res$padj,
             stringsAsFactors = FALSE)
}

run <- function(name, cts, coldata, design, calls, fitType = "parametric", lrtReduced = NULL,
                shrinkCoef = NULL, writeCounts = TRUE) {
  dds <- DESeqDataSetFromMatrix(cts, coldata, design)
  if (is.null(lrtReduced)) {
    dds <- DESeq(dds, fitType = fitType, quiet = TRUE)
  } else {
    dds <- DESeq(dds, test = "LRT", reduced = lrtReduced, fitType = fitType, quiet = TRUE)
  }
  if (writeCounts) write.table(cts, paste0(name, ".counts.tsv"), sep = "\t", quote = FALSE, col.names = NA)
  mm <- attr(dds, "modelMatrix")
  colnames(mm) <- resultsNames(dds)
  writeTSV(as.data.frame(mm), paste0(name, ".design.tsv"), rownm = colnames(cts))
  mc <- as.data.frame(mcols(dds))
  keep <- intersect(c("baseMean", "allZero", "dispGeneEst", "dispGeneIter", "dispFit",
                      "dispersion", "dispIter", "dispOutlier", "dispMAP", resultsNames(dds),
                      paste0("SE_", resultsNames(dds)), "betaConv", "betaIter",
                      "maxCooks", "replace", "LRTStatistic", "LRTPvalue"), names(mc))
  writeTSV(mc[keep], paste0(name, ".mcols.tsv.gz"), rownm = rownames(dds))
  writeTSV(data.frame(sizeFactor = sizeFactors(dds)), paste0(name, ".sf.tsv"), rownm = colnames(dds))
  out <- NULL; meta <- list()
  df <- dispersionFunction(dds)
  meta$fitType <- attr(df, "fitType")
  meta$dispPriorVar <- fmt(attr(df, "dispPriorVar"))
  meta$varLogDispEsts <- fmt(attr(df, "varLogDispEsts"))
  if (!is.null(attr(df, "coefficients"))) {
    meta$asymptDisp <- fmt(attr(df, "coefficients")[1]); meta$extraPois <- fmt(attr(df, "coefficients")[2])
  }
  if (!is.null(attr(df, "mean"))) meta$meanDisp <- fmt(attr(df, "mean"))
  meta$cooksCutoff <- fmt(qf(0.99, ncol(mm), nrow(mm) - ncol(mm)))
  for (cl in names(calls)) {
    res <- eval(calls[[cl]])
    out <- rbind(out, resDF(res, cl))
    if (!is.null(metadata(res)$filterTheta)) {
      meta[[paste0(cl, ".filterTheta")]] <- fmt(metadata(res)$filterTheta)
      meta[[paste0(cl, ".filterThreshold")]] <- fmt(unname(metadata(res)$filterThreshold))
    }
  }
  if (!is.null(shrinkCoef)) {
    sh <- lfcShrink(dds, coef = shrinkCoef, type = "normal", quiet = TRUE)
    out <- rbind(out, resDF(sh, paste0("shrink:", shrinkCoef)))
    meta$shrinkBetaPriorVar <- paste(fmt(priorInfo(sh)$betaPriorVar), collapse = ",")
  }
  out$gene <- rep(rownames(dds), length.out = nrow(out))
  writeTSV(out[c("gene", setdiff(names(out), "gene"))], paste0(name, ".res.tsv.gz"))
  writeLines(paste(names(meta), unlist(meta), sep = "\t"), paste0(name, ".meta.tsv"))
  invisible(dds)
}

# 1. two groups 6 v 6, zeros, all-zero genes, outliers (no replacement: < 7 per cell)
g <- factor(rep(c("A", "B"), each = 6))
cts <- simulate(101, 300, g)
run("two", cts, data.frame(condition = g), ~condition,
    list(default = quote(results(dds)),
         noIF = quote(results(dds, independentFiltering = FALSE)),
         rev = quote(results(dds, contrast = c("condition", "A", "B")))),
    shrinkCoef = "condition_B_vs_A")

# 2. 8 v 8: Cook's replacement and refit (minReplicatesForReplace = 7)
g <- factor(rep(c("ctl", "trt"), each = 8))
cts <- simulate(202, 300, g, nout = 12)
run("rep8", cts, data.frame(condition = g), ~condition,
    list(default = quote(results(dds)),
         rev = quote(results(dds, contrast = c("condition", "ctl", "trt")))))

# 3. 2 v 2: residual df 2, Monte-Carlo prior variance
g <- factor(rep(c("A", "B"), each = 2))
cts <- simulate(303, 300, g, nout = 0)
run("twovtwo", cts, data.frame(condition = g), ~condition,
    list(default = quote(results(dds))))

# 4. three groups 3/3/3 and the LRT against ~1
g <- factor(rep(c("A", "B", "C"), each = 3))
cts <- simulate(404, 300, g)
run("three", cts, data.frame(group = g), ~group,
    list(BvsA = quote(results(dds, name = "group_B_vs_A")),
         CvsB = quote(results(dds, contrast = c("group", "C", "B"))),
         num = quote(results(dds, contrast = c(0, -1, 1)))))
run("threeLRT", cts, data.frame(group = g), ~group,
    list(default = quote(results(dds))), lrtReduced = ~1, writeCounts = FALSE)

# 5. paired ~ patient + timepoint, 6 patients (GLM mu in the gene-wise step)
pt <- factor(rep(sprintf("P%d", 1:6), times = 2))
tp <- factor(rep(c("pre", "post"), each = 6), levels = c("pre", "post"))
cts <- simulate(505, 300, tp, paired = pt)
run("paired", cts, data.frame(patient = pt, timepoint = tp), ~patient + timepoint,
    list(default = quote(results(dds)),
         contrast = quote(results(dds, contrast = c("timepoint", "post", "pre")))),
    shrinkCoef = "timepoint_post_vs_pre")

# 5b. paired with 12 patients: p = 13, the block (patient-diagonal) path of core/deseq
pt <- factor(rep(sprintf("P%02d", 1:12), times = 2))
tp <- factor(rep(c("pre", "post"), each = 12), levels = c("pre", "post"))
cts <- simulate(515, 200, tp, paired = pt)
run("paired12", cts, data.frame(patient = pt, timepoint = tp), ~patient + timepoint,
    list(default = quote(results(dds))))

# 6. unbalanced 3 v 9
g <- factor(c(rep("a", 3), rep("b", 9)))
cts <- simulate(606, 300, g)
run("unbal", cts, data.frame(condition = g), ~condition,
    list(default = quote(results(dds))))

# 7. a trend the parametric form cannot capture: DESeq2 falls back to 'local'
g <- factor(rep(c("A", "B"), each = 5))
cts <- simulate(707, 300, g, trend = function(m) 0.002 * m^0.6 + 0.01)
run("nopar", cts, data.frame(condition = g), ~condition,
    list(default = quote(results(dds))))
run("nopar_mean", cts, data.frame(condition = g), ~condition,
    list(default = quote(results(dds))), fitType = "mean", writeCounts = FALSE)
