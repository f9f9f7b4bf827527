# Golden data for core/study: patient-level aggregation and the tests run on it.
# R version 4.2.2 Patched (2022-11-10 r83330); pROC 1.18.0 (Debian r-cran-proc).
# Run from core/study/testdata/gen:  Rscript patient_level.R
# Writes ../patient_samples.tsv (the per-sample input) and ../patient_expected.tsv
# (key <TAB> value, numbers with 17 significant digits).
suppressMessages(library(pROC))
set.seed(20241129)
np <- 30
pat <- sprintf("P%02d", 1:np)
het <- c(rep(1, 6), rep(0, 24))
pcr <- ifelse(het == 1, "No", ifelse(seq_len(np) %% 2 == 0, "Yes", "No"))
hr <- ifelse(runif(np) < 0.5, "Positive", "Negative")
nb <- ifelse(seq_len(np) %% 5 == 0, 1, 2)
rows <- list()
for (i in seq_len(np)) {
  for (b in seq_len(nb[i])) {
    shift <- (pcr[i] == "Yes") * 1 - (het[i] == 1) * 0.8
    rows[[length(rows) + 1]] <- data.frame(
      sampleID = sprintf("%s_site%d", pat[i], b), patientID = pat[i], tpt = "Pre",
      pCR = pcr[i], HET = het[i], HR = hr[i],
      # v1 has ties (one decimal), v2 is continuous, v3 is constant within HET.
      v1 = round(8 + shift + rnorm(1, sd = 0.7), 1),
      v2 = 3 + 0.5 * shift + rnorm(1),
      v3 = ifelse(het[i] == 1, 2, 2 + rnorm(1)))
  }
}
s <- do.call(rbind, rows)
# One post-treatment sample that must not enter the pretreatment means.
s <- rbind(s, data.frame(sampleID = "P01_Residual", patientID = "P01", tpt = "Post", pCR = "No",
  HET = 1, HR = hr[1], v1 = 99, v2 = 99, v3 = 99))
f17 <- function(x) ifelse(is.na(x), "NA", trimws(formatC(x, digits = 17, format = "g")))
out <- s
for (v in c("v1", "v2", "v3")) out[[v]] <- f17(s[[v]])
write.table(out, "../patient_samples.tsv", sep = "\t", quote = FALSE, row.names = FALSE)

pre <- s[s$tpt == "Pre", ]
pm <- aggregate(cbind(v1, v2, v3) ~ patientID + pCR + HET + HR, data = pre, FUN = mean)
pm <- pm[order(pm$patientID), ]
pm$group <- paste0(ifelse(pm$HET == 1, "HET", "non-HET"), "/", ifelse(pm$pCR == "Yes", "pCR", "no pCR"))
res <- character()
add <- function(k, x) res <<- c(res, paste0(k, "\t", f17(x)))
for (i in seq_len(nrow(pm))) for (v in c("v1", "v2", "v3")) add(paste("mean", pm$patientID[i], v), pm[[v]][i])
order_g <- c("non-HET/pCR", "non-HET/no pCR", "HET/no pCR")
for (v in c("v1", "v2", "v3")) {
  kw <- kruskal.test(pm[[v]], factor(pm$group))
  add(paste("kw", v, "statistic"), kw$statistic)
  add(paste("kw", v, "p"), kw$p.value)
  pw <- suppressWarnings(pairwise.wilcox.test(pm[[v]], pm$group, p.adjust.method = "BH"))
  praw <- suppressWarnings(pairwise.wilcox.test(pm[[v]], pm$group, p.adjust.method = "none"))
  for (a in 1:2) for (b in (a + 1):3) {
    A <- order_g[a]; B <- order_g[b]
    w <- suppressWarnings(wilcox.test(pm[[v]][pm$group == A], pm[[v]][pm$group == B]))
    key <- paste("wilcox", v, A, "vs", B)
    add(paste(key, "W"), w$statistic)
    add(paste(key, "p"), w$p.value)
    padj <- if (!is.na(pw$p.value[A, B])) pw$p.value[A, B] else pw$p.value[B, A]
    add(paste(key, "padj"), padj)
  }
  # Two groups: by pCR.
  w <- suppressWarnings(wilcox.test(pm[[v]][pm$pCR == "Yes"], pm[[v]][pm$pCR == "No"]))
  add(paste("bypcr", v, "W"), w$statistic)
  add(paste("bypcr", v, "p"), w$p.value)
}
# Logistic regression of pCR on v2 adjusted for HR, Wald intervals; ROC with DeLong.
y <- as.integer(pm$pCR == "Yes")
hrn <- as.integer(pm$HR == "Positive")
fit <- glm(y ~ pm$v2 + hrn, family = binomial)
sm <- summary(fit)$coefficients
ci <- confint.default(fit)
add("glm v2 coef", sm[2, 1]); add("glm v2 z", sm[2, 3]); add("glm v2 p", sm[2, 4])
add("glm v2 lower", ci[2, 1]); add("glm v2 upper", ci[2, 2])
for (v in c("v1", "v2")) {
  r <- roc(y, pm[[v]], levels = c(0, 1), direction = "auto", quiet = TRUE)
  cia <- ci.auc(r, method = "delong")
  add(paste("roc", v, "auc"), as.numeric(r$auc))
  add(paste("roc", v, "lower"), cia[1]); add(paste("roc", v, "upper"), cia[3])
  add(paste("roc", v, "direction"), ifelse(r$direction == "<", 1, -1))
}
writeLines(res, "../patient_expected.tsv")
