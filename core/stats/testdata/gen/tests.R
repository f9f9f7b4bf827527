# Generates testdata/tests.tsv: R reference results of wilcox.test,
# kruskal.test, fisher.test, chisq.test and cor.test on seeded inputs,
# including ties, small n, zero variance, the n = 49/50 exact switch and
# one-sided alternatives.
# R version 4.2.2 Patched (2022-11-10 r83330), package stats 4.2.2.
# Run from core/stats: Rscript testdata/gen/tests.R
set.seed(42)
out <- file("testdata/tests.tsv", "w")
cat("case\ttest\topts\tx\ty\tstatistic\tdf\tp.value\testimate\tconf.low\tconf.high\tmethod\n", file = out)
f17 <- function(v) if (is.null(v) || length(v) == 0) "NA" else paste(ifelse(is.na(v), "NA", sprintf("%.17g", v)), collapse = ",")
tab2s <- function(m) paste(apply(m, 1, f17), collapse = "|")
emit <- function(case, test, opts, x, y, r) {
  est <- if (is.null(r$estimate)) NA else unname(r$estimate)
  ci <- if (is.null(r$conf.int)) c(NA, NA) else as.numeric(r$conf.int)
  df <- if (is.null(r$parameter)) NA else unname(r$parameter)
  cat(case, "\t", test, "\t", opts, "\t", x, "\t", y, "\t", f17(unname(r$statistic)), "\t", f17(df), "\t",
      f17(r$p.value), "\t", f17(est), "\t", f17(ci[1]), "\t", f17(ci[2]), "\t", r$method, "\n", sep = "", file = out)
}
q <- function(expr) suppressWarnings(expr)
alts <- c("two.sided", "less", "greater")
# --- wilcox rank sum
W <- list(
  small = list(c(1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30), c(0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29)),
  tiny = list(c(1.1, 2.2), c(0.5, 3.3, 4.4)),
  n49 = list(rnorm(49), rnorm(49, 0.3)),
  n50 = list(rnorm(50), rnorm(50, 0.3)),
  n49x50 = list(rnorm(49), rnorm(50, 0.5)),
  ties = list(c(1, 2, 2, 3, 3, 3, 4, 5), c(2, 3, 4, 4, 5, 5, 6)),
  allsame = list(c(2, 2, 2), c(2, 2)),
  sep = list(c(10.5, 11.2, 12.9, 13.1), c(1.2, 2.5, 3.1, 0.4, 2.2)),
  big = list(rnorm(60), rexp(55)),
  nax = list(c(1.5, NA, 3.2, 4.1, 0.2), c(2.2, 5.1, NA, 6.3))
)
for (nm in names(W)) {
  x <- W[[nm]][[1]]; y <- W[[nm]][[2]]
  for (a in alts) {
    emit(nm, "wilcox", paste0("alt=", a), f17(x), f17(y), q(wilcox.test(x, y, alternative = a)))
    emit(nm, "wilcox", paste0("alt=", a, ",correct=FALSE"), f17(x), f17(y), q(wilcox.test(x, y, alternative = a, correct = FALSE)))
  }
  emit(nm, "wilcox", "exact=FALSE", f17(x), f17(y), q(wilcox.test(x, y, exact = FALSE)))
  emit(nm, "wilcox", "mu=0.25", f17(x), f17(y), q(wilcox.test(x, y, mu = 0.25)))
}
emit("n60exact", "wilcox", "exact=TRUE", f17(W$big[[1]][1:40]), f17(W$big[[2]][1:45]), q(wilcox.test(W$big[[1]][1:40], W$big[[2]][1:45], exact = TRUE)))
# --- signed rank (one-sample and paired)
S <- list(
  small = list(c(1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30), c(0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29)),
  n49 = list(rnorm(49, 0.2), rnorm(49)),
  n50 = list(rnorm(50, 0.2), rnorm(50)),
  ties = list(c(1, 2, 3, 4, 5, 6, 7, 8), c(0, 1, 4, 2, 3, 7, 8, 9)),
  zero = list(c(1.5, 2.5, 3.5, 4.25, 5), c(1.5, 2, 3, 4, 6))
)
for (nm in names(S)) {
  x <- S[[nm]][[1]]; y <- S[[nm]][[2]]
  for (a in alts) {
    emit(nm, "signrank_paired", paste0("alt=", a), f17(x), f17(y), q(wilcox.test(x, y, paired = TRUE, alternative = a)))
    emit(nm, "signrank_one", paste0("alt=", a, ",mu=1"), f17(x), "", q(wilcox.test(x, mu = 1, alternative = a)))
  }
  emit(nm, "signrank_paired", "correct=FALSE", f17(x), f17(y), q(wilcox.test(x, y, paired = TRUE, correct = FALSE)))
  emit(nm, "signrank_paired", "exact=FALSE", f17(x), f17(y), q(wilcox.test(x, y, paired = TRUE, exact = FALSE)))
}
# --- kruskal
K <- list(
  three = list(c(2.9, 3.0, 2.5, 2.6, 3.2), c(3.8, 2.7, 4.0, 2.4), c(2.8, 3.4, 3.7, 2.2, 2.0)),
  ties = list(c(1, 1, 2, 3), c(2, 2, 3, 4, 4), c(3, 4, 5, 5)),
  four = list(rnorm(20), rnorm(25, 0.5), rnorm(12, 1), rnorm(30)),
  two = list(c(1.2, 3.4), c(5.6, 7.8, 9.1)),
  allsame = list(c(1, 1), c(1, 1, 1)),
  na = list(c(1.5, NA, 2.5), c(3.1, 4.2, NA, 0.3))
)
for (nm in names(K)) {
  g <- K[[nm]]
  emit(nm, "kruskal", "", paste(sapply(g, f17), collapse = "|"), "", q(kruskal.test(g)))
}
# --- fisher 2x2 and r x c
F2 <- list(tea = matrix(c(3, 1, 1, 3), 2), big = matrix(c(12, 5, 3, 17), 2), zero = matrix(c(0, 5, 8, 2), 2),
  hi = matrix(c(7, 0, 2, 9), 2), skew = matrix(c(1, 20, 30, 2), 2), even = matrix(c(10, 10, 10, 10), 2),
  large = matrix(c(45, 30, 55, 70), 2), onerow0 = matrix(c(0, 3, 0, 4), 2))
for (nm in names(F2)) for (a in alts) {
  m <- F2[[nm]]
  emit(nm, "fisher", paste0("alt=", a), tab2s(m), "", fisher.test(m, alternative = a))
}
emit("big", "fisher", "or=2", tab2s(F2$big), "", fisher.test(F2$big, or = 2))
emit("big", "fisher", "conf=0.9", tab2s(F2$big), "", fisher.test(F2$big, conf.level = 0.9))
FR <- list(
  r3x2 = matrix(c(3, 5, 7, 6, 2, 1), 3),
  r2x3 = matrix(c(8, 2, 5, 5, 1, 9), 2),
  r3x3 = matrix(c(2, 3, 6, 4, 1, 5, 7, 2, 3), 3),
  job = matrix(c(1, 2, 1, 0, 3, 3, 6, 1, 10, 10, 14, 9, 6, 7, 12, 11), 4),
  pam5x3 = matrix(c(20, 10, 8, 5, 3, 15, 12, 10, 4, 4, 10, 12, 8, 5, 3), 5, 3),
  pam5x4 = matrix(c(12, 6, 5, 3, 2, 9, 7, 6, 2, 3, 6, 8, 5, 3, 2, 4, 3, 4, 2, 1), 5, 4),
  zerorow = matrix(c(3, 0, 4, 2, 0, 5, 1, 0, 6), 3),
  sparse = matrix(c(5, 0, 0, 0, 4, 0, 0, 0, 6), 3)
)
for (nm in names(FR)) emit(nm, "fisher", "", tab2s(FR[[nm]]), "", fisher.test(FR[[nm]], workspace = 2e7))
# --- chisq
C <- c(F2[c("tea", "big", "even", "large")], FR[c("r3x2", "r3x3", "job", "pam5x3")])
for (nm in names(C)) {
  emit(nm, "chisq", "correct=TRUE", tab2s(C[[nm]]), "", q(chisq.test(C[[nm]])))
  emit(nm, "chisq", "correct=FALSE", tab2s(C[[nm]]), "", q(chisq.test(C[[nm]], correct = FALSE)))
}
emit("yates0", "chisq", "correct=TRUE", tab2s(matrix(c(10, 10, 10, 10), 2)), "", q(chisq.test(matrix(c(10, 10, 10, 10), 2))))
emit("yatessmall", "chisq", "correct=TRUE", tab2s(matrix(c(5, 5, 5, 6), 2)), "", q(chisq.test(matrix(c(5, 5, 5, 6), 2))))
# --- cor.test
R <- list(
  n10 = list(rnorm(10), rnorm(10)),
  n5 = list(c(1.2, 2.3, 0.7, 4.1, 3.3), c(2.1, 2.9, 1.1, 3.8, 4.5)),
  n9 = list(rnorm(9), rnorm(9)),
  n30 = { a <- rnorm(30); list(a, a + rnorm(30)) },
  neg = { a <- rnorm(25); list(a, -a + rnorm(25, sd = 0.5)) },
  ties = list(c(1, 2, 2, 3, 4, 4, 5, 6), c(2, 1, 3, 3, 5, 4, 6, 6)),
  n4 = list(c(1, 2, 3, 4), c(1.5, 1.2, 3.9, 4.4)),
  zerovar = list(c(1, 2, 3, 4, 5), c(2, 2, 2, 2, 2)),
  perfect = list(1:7 + 0.5, 2 * (1:7))
)
for (nm in names(R)) {
  x <- R[[nm]][[1]]; y <- R[[nm]][[2]]
  for (a in alts) {
    emit(nm, "pearson", paste0("alt=", a), f17(x), f17(y), q(cor.test(x, y, alternative = a)))
    emit(nm, "spearman", paste0("alt=", a), f17(x), f17(y), q(cor.test(x, y, alternative = a, method = "spearman")))
  }
  emit(nm, "spearman", "exact=FALSE", f17(x), f17(y), q(cor.test(x, y, method = "spearman", exact = FALSE)))
  emit(nm, "pearson", "conf=0.9", f17(x), f17(y), q(cor.test(x, y, conf.level = 0.9)))
}
a <- rnorm(1300); b <- round(a + rnorm(1300, sd = 5), 2)
emit("n1300", "spearman", "alt=two.sided", f17(a), f17(b), q(cor.test(a, b, method = "spearman")))
a <- a[1:1290]; b <- b[1:1290] + (1:1290) * 1e-9
emit("n1290", "spearman", "alt=two.sided", f17(a), f17(b), q(cor.test(a, b, method = "spearman")))
close(out)
# --- wilcox.test(conf.int = TRUE): Hodges-Lehmann estimate and interval
out <- file("testdata/wilcoxci.tsv", "w")
cat("case\topts\tx\ty\testimate\tconf.low\tconf.high\tconf.level\n", file = out)
for (nm in c("small", "tiny", "n49", "n50", "n49x50", "ties", "sep", "big")) for (a in alts) for (cr in c(TRUE, FALSE)) {
  x <- W[[nm]][[1]]; y <- W[[nm]][[2]]
  r <- q(wilcox.test(x, y, alternative = a, correct = cr, conf.int = TRUE))
  cat(nm, paste0("alt=", a, ",correct=", cr), f17(x), f17(y), f17(unname(r$estimate)), f17(r$conf.int[1]), f17(r$conf.int[2]),
      f17(attr(r$conf.int, "conf.level")), sep = "\t", file = out)
  cat("\n", file = out)
}
r <- q(wilcox.test(W$small[[1]], W$sep[[2]], conf.int = TRUE, conf.level = 0.8))
cat("level80", "alt=two.sided,correct=TRUE,conf=0.8", f17(W$small[[1]]), f17(W$sep[[2]]), f17(unname(r$estimate)), f17(r$conf.int[1]), f17(r$conf.int[2]),
    f17(attr(r$conf.int, "conf.level")), sep = "\t", file = out)
cat("\n", file = out)
close(out)
# --- signed-rank conf.int: (pseudo)median and interval (paired and one-sample)
out <- file("testdata/signrankci.tsv", "w")
cat("case\ttest\topts\tx\ty\testimate\tconf.low\tconf.high\tconf.level\n", file = out)
for (nm in names(S)) for (a in alts) for (cr in c(TRUE, FALSE)) {
  x <- S[[nm]][[1]]; y <- S[[nm]][[2]]
  r <- q(wilcox.test(x, y, paired = TRUE, alternative = a, correct = cr, conf.int = TRUE))
  cat(nm, "paired", paste0("alt=", a, ",correct=", cr), f17(x), f17(y), f17(unname(r$estimate)), f17(r$conf.int[1]), f17(r$conf.int[2]),
      f17(attr(r$conf.int, "conf.level")), sep = "\t", file = out)
  cat("\n", file = out)
  r <- q(wilcox.test(x, mu = 1, alternative = a, correct = cr, conf.int = TRUE))
  cat(nm, "one", paste0("alt=", a, ",correct=", cr, ",mu=1"), f17(x), "", f17(unname(r$estimate)), f17(r$conf.int[1]), f17(r$conf.int[2]),
      f17(attr(r$conf.int, "conf.level")), sep = "\t", file = out)
  cat("\n", file = out)
}
x5 <- c(1.1, 2.3, 0.4, 3.3)
r <- q(wilcox.test(x5, conf.int = TRUE))
cat("n4", "one", "alt=two.sided,correct=TRUE", f17(x5), "", f17(unname(r$estimate)), f17(r$conf.int[1]), f17(r$conf.int[2]),
    f17(attr(r$conf.int, "conf.level")), sep = "\t", file = out)
cat("\n", file = out)
close(out)
