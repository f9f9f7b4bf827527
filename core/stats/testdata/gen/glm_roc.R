# Generates testdata/glm.tsv and testdata/roc.tsv: R reference results of
# glm(family = binomial) with confint.default, and of pROC roc/ci.auc
# (DeLong) and roc.test (DeLong, paired).
# R version 4.2.2 Patched (2022-11-10 r83330); pROC 1.18.0 (Debian r-cran-proc).
# Run from core/stats: Rscript testdata/gen/glm_roc.R
suppressMessages(library(pROC))
set.seed(7)
f17 <- function(v) paste(ifelse(is.na(v), "NA", sprintf("%.17g", v)), collapse = ",")
out <- file("testdata/glm.tsv", "w")
cat("case\tX\ty\tcoef\tse\tz\tp\tci.low\tci.high\tdeviance\tnull.deviance\taic\titer\tconverged\n", file = out)
emitg <- function(case, X, y) {
  fit <- suppressWarnings(if (is.null(X)) glm(y ~ 1, family = binomial) else glm(y ~ X, family = binomial))
  s <- summary(fit)$coefficients
  ci <- confint.default(fit)
  xs <- if (is.null(X)) "" else paste(apply(as.matrix(X), 1, f17), collapse = "|")
  cat(case, xs, f17(y), f17(s[, 1]), f17(s[, 2]), f17(s[, 3]), f17(s[, 4]), f17(ci[, 1]), f17(ci[, 2]),
      f17(deviance(fit)), f17(fit$null.deviance), f17(AIC(fit)), fit$iter, fit$converged, sep = "\t", file = out)
  cat("\n", file = out)
}
n <- 120; x1 <- rnorm(n); x2 <- rbinom(n, 1, 0.4); y <- rbinom(n, 1, plogis(-0.5 + 1.2 * x1 - 0.8 * x2))
emitg("two", cbind(x1, x2), y)
emitg("one", cbind(x1), y)
emitg("intercept", NULL, y)
g <- factor(sample(c("A", "B", "C"), 80, TRUE)); yg <- rbinom(80, 1, c(A = 0.2, B = 0.5, C = 0.7)[as.character(g)])
emitg("factor3", model.matrix(~g)[, -1], yg)
xs <- c(1, 2, 3, 4, 5, 6, 7, 8); ys <- c(0, 0, 0, 0, 1, 1, 1, 1)
emitg("separated", cbind(xs), ys)
xq <- c(1, 2, 3, 4, 5, 6, 7, 8); yq <- c(0, 0, 0, 1, 0, 1, 1, 1)
emitg("small", cbind(xq), yq)
xr <- rnorm(300); yr <- rbinom(300, 1, plogis(3 * xr))
emitg("steep", cbind(xr, xr^2), yr)
close(out)
out <- file("testdata/roc.tsv", "w")
cat("case\tcontrols\tcases\tdirection\tauc\tvar\tci.low\tci.high\n", file = out)
emitr <- function(case, controls, cases) {
  r <- roc(controls = controls, cases = cases, quiet = TRUE)
  ci <- suppressWarnings(ci.auc(r, method = "delong"))
  v <- if (length(controls) > 1 && length(cases) > 1) var(r, method = "delong") else NA
  cat(case, f17(controls), f17(cases), r$direction, f17(as.numeric(r$auc)), f17(v), f17(ci[1]), f17(ci[3]), sep = "\t", file = out)
  cat("\n", file = out)
}
emitr("norm", rnorm(40), rnorm(35, 1))
emitr("reverse", rnorm(30, 1), rnorm(25))
emitr("ties", c(1, 2, 2, 3, 3, 3, 4), c(2, 3, 3, 4, 4, 5, 5, 6))
emitr("perfect", c(1, 2, 3), c(4, 5, 6, 7))
emitr("small", c(0.2, 0.9), c(0.5, 0.7, 1.1))
emitr("medianeq", c(1, 5, 3), c(3, 0, 4))
emitr("int", sample(0:3, 60, TRUE), sample(1:4, 50, TRUE))
close(out)
out <- file("testdata/roctest.tsv", "w")
cat("case\tresponse\tpred1\tpred2\tz\tp\tci.low\tci.high\n", file = out)
emitt <- function(case, resp, p1, p2) {
  r1 <- roc(resp, p1, quiet = TRUE, levels = c(0, 1)); r2 <- roc(resp, p2, quiet = TRUE, levels = c(0, 1))
  t <- suppressWarnings(roc.test(r1, r2, method = "delong"))
  cat(case, f17(resp), f17(p1), f17(p2), f17(unname(t$statistic)), f17(t$p.value), f17(t$conf.int[1]), f17(t$conf.int[2]), sep = "\t", file = out)
  cat("\n", file = out)
}
resp <- rbinom(90, 1, 0.45); p1 <- resp + rnorm(90); p2 <- resp * 0.5 + rnorm(90)
emitt("paired", resp, p1, p2)
emitt("same", resp, p1, p1)
emitt("roundties", resp, round(p1), round(p2 * 2))
close(out)
