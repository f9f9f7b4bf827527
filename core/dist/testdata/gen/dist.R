# Generates testdata/dist.tsv: reference values of R's nmath distribution
# functions for core/dist tests.
# R version 4.2.2 Patched (2022-11-10 r83330); limma 3.54 (trigammaInverse).
# Run from core/dist: Rscript testdata/gen/dist.R
suppressMessages(library(limma))
out <- file("testdata/dist.tsv", "w")
cat("fn\ta\tb\tc\td\tlower\tlog\tvalue\n", file = out)
f17 <- function(v) ifelse(is.na(v), "NA", sprintf("%.17g", v))
emit <- function(fn, a, b = 0, c = 0, d = 0, lower = TRUE, log = FALSE, value) {
  cat(paste(fn, f17(a), f17(b), f17(c), f17(d), as.integer(lower), as.integer(log), f17(value), sep = "\t"), "\n", sep = "", file = out)
}
xs <- c(-40, -38, -30, -20, -10, -8.3, -6, -5.657, -3, -1.96, -1, -0.6744, -0.5, -1e-10, 0, 0.3, 0.67449, 0.7, 1.5, 2.5, 5, 5.7, 8.2, 8.3, 9, 20, 37.6, 40)
for (x in xs) for (lt in c(TRUE, FALSE)) for (lg in c(FALSE, TRUE)) {
  emit("pnorm", x, 0, 1, lower = lt, log = lg, value = pnorm(x, 0, 1, lt, lg))
}
emit("pnorm", 1.5, 2, 0.5, value = pnorm(1.5, 2, 0.5))
for (x in c(-40, -10, -5.5, -1, 0, 0.5, 3, 5, 6, 30)) for (lg in c(FALSE, TRUE)) emit("dnorm", x, 0, 1, log = lg, value = dnorm(x, 0, 1, lg))
ps <- c(1e-300, 1e-100, 1e-20, 1e-12, 1e-8, 1e-4, 0.01, 0.025, 0.05, 0.0751, 0.2, 0.5, 0.7, 0.925, 0.975, 0.999, 1 - 1e-10)
for (p in ps) for (lt in c(TRUE, FALSE)) {
  emit("qnorm", p, 0, 1, lower = lt, value = qnorm(p, 0, 1, lt))
  emit("qnorm", log(p), 0, 1, lower = lt, log = TRUE, value = qnorm(log(p), 0, 1, lt, TRUE))
}
for (df in c(1, 2, 3, 5, 7.5, 10, 30, 100, 1000, 5e5)) for (x in c(-50, -12, -4, -2.1, -1, -0.1, 0, 0.5, 1.7, 3, 6, 25, 1e3, 1e60)) for (lt in c(TRUE, FALSE)) for (lg in c(FALSE, TRUE))
  emit("pt", x, df, lower = lt, log = lg, value = pt(x, df, lower.tail = lt, log.p = lg))
for (df in c(1, 2, 3, 5, 10, 30, 100, 1000)) for (p in c(1e-12, 1e-6, 0.001, 0.025, 0.05, 0.3, 0.5, 0.8, 0.975, 0.999999)) for (lt in c(TRUE, FALSE))
  emit("qt", p, df, lower = lt, value = qt(p, df, lower.tail = lt))
for (df in c(0.5, 1, 2, 3, 4, 7, 12, 30, 100)) for (x in c(1e-8, 0.01, 0.3, 1, 2, 3.84, 7, 15, 40, 100, 300, 700)) for (lt in c(TRUE, FALSE)) for (lg in c(FALSE, TRUE))
  emit("pchisq", x, df, lower = lt, log = lg, value = pchisq(x, df, lower.tail = lt, log.p = lg))
for (df in c(1, 2, 3, 7, 12, 50)) for (p in c(1e-10, 0.001, 0.05, 0.5, 0.95, 0.999)) for (lt in c(TRUE, FALSE))
  emit("qchisq", p, df, lower = lt, value = qchisq(p, df, lower.tail = lt))
for (sh in c(0.1, 1, 2.5, 10, 60)) for (x in c(0.001, 0.5, 2, 10, 50, 150)) for (lt in c(TRUE, FALSE))
  emit("pgamma", x, sh, 1.5, lower = lt, value = pgamma(x, sh, scale = 1.5, lower.tail = lt))
for (ab in list(c(0.5, 0.5), c(1, 3), c(2, 5), c(10, 10), c(0.5, 40), c(40, 0.5), c(100, 300), c(3, 1e3))) for (x in c(1e-6, 0.01, 0.2, 0.5, 0.8, 0.99, 1 - 1e-9)) for (lt in c(TRUE, FALSE)) for (lg in c(FALSE, TRUE))
  emit("pbeta", x, ab[1], ab[2], lower = lt, log = lg, value = pbeta(x, ab[1], ab[2], lower.tail = lt, log.p = lg))
for (d in list(c(1, 1), c(2, 10), c(5, 3), c(4, 100), c(30, 30))) for (x in c(0.01, 0.5, 1, 3, 10, 100)) for (lt in c(TRUE, FALSE))
  emit("pf", x, d[1], d[2], lower = lt, value = pf(x, d[1], d[2], lower.tail = lt))
for (np in list(c(10, 0.3), c(50, 0.02), c(300, 0.5), c(7, 0.99), c(1000, 0.001))) for (x in c(0, 1, 3, 5, 7, 10, 25, 150, 299)) {
  for (lt in c(TRUE, FALSE)) emit("pbinom", x, np[1], np[2], lower = lt, value = pbinom(x, np[1], np[2], lower.tail = lt))
  for (lg in c(FALSE, TRUE)) emit("dbinom", x, np[1], np[2], log = lg, value = dbinom(x, np[1], np[2], log = lg))
}
for (h in list(c(10, 7, 8), c(30, 40, 25), c(5, 120, 30), c(150, 150, 129), c(3, 3, 3), c(60, 240, 100))) for (x in unique(c(0, 1, 2, 3, 5, 8, 12, 20, 40, 64, 100))) {
  for (lt in c(TRUE, FALSE)) for (lg in c(FALSE, TRUE)) emit("phyper", x, h[1], h[2], h[3], lower = lt, log = lg, value = phyper(x, h[1], h[2], h[3], lower.tail = lt, log.p = lg))
  for (lg in c(FALSE, TRUE)) emit("dhyper", x, h[1], h[2], h[3], log = lg, value = dhyper(x, h[1], h[2], h[3], log = lg))
}
for (x in c(1e-8, 0.1, 0.5, 1, 1.5, 2, 3.7, 9.99, 10, 12.5, 55, 1e3, 1e6, -0.5, -2.3)) {
  emit("lgamma", x, value = lgamma(x))
  emit("digamma", x, value = digamma(x))
  emit("trigamma", x, value = trigamma(x))
}
for (ab in list(c(1e-3, 2), c(0.5, 0.5), c(3, 7), c(2, 15), c(12, 30), c(200, 1e4), c(9.5, 9.5))) emit("lbeta", ab[1], ab[2], value = lbeta(ab[1], ab[2]))
for (nk in list(c(5, 2), c(10, 0), c(10, 1), c(10, 9), c(50, 25), c(300, 129), c(7.5, 3), c(-4, 3), c(1e5, 17))) emit("lchoose", nk[1], nk[2], value = lchoose(nk[1], nk[2]))
for (x in c(1e-8, 1e-3, 0.1, 0.5, 1, 1.6449, 3, 10, 100, 1e5, 1e8)) emit("trigammaInverse", x, value = trigammaInverse(x))
# large df: continued-fraction / saddle-point paths
for (df in c(2000, 1e4, 1e5)) for (x in c(-30, -8, -3, -1, 0.5, 2, 5)) for (lt in c(TRUE, FALSE))
  emit("pt", x, df, lower = lt, value = pt(x, df, lower.tail = lt))
for (df in c(500, 2000, 1e4, 1e5)) for (q in c(0.5, 0.9, 1, 1.1, 1.5)) for (lt in c(TRUE, FALSE)) for (lg in c(FALSE, TRUE))
  emit("pchisq", df * q, df, lower = lt, log = lg, value = pchisq(df * q, df, lower.tail = lt, log.p = lg))
close(out)
