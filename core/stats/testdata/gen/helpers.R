# Generates testdata/helpers.tsv: R reference values for the shared helpers
# (rank, order, quantile, median, mad, mean, mean(trim=), var, lowess, p.adjust).
# R version 4.2.2 Patched (2022-11-10 r83330). Run from core/stats:
#   Rscript testdata/gen/helpers.R
set.seed(20261129)
out <- file("testdata/helpers.tsv", "w")
cat("case\tfn\tparam\tx\ty\tresult\n", file = out)
f17 <- function(v) paste(ifelse(is.na(v), "NA", sprintf("%.17g", v)), collapse = ",")
emit <- function(case, fn, param, x, y, res) cat(case, "\t", fn, "\t", param, "\t", f17(x), "\t", if (is.null(y)) "" else f17(y), "\t", f17(res), "\n", sep = "", file = out)
xs <- list(
  ties = c(3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5),
  cont = rnorm(17),
  int = sample(1:6, 25, replace = TRUE),
  one = 42,
  two = c(2, 1),
  neg = c(-100, 100, -0.5, 0.25, 0, 0),
  huge = c(-1e300, 1e300, 1e300),
  same = rep(7.25, 6)
)
for (nm in names(xs)) {
  x <- xs[[nm]]
  for (tm in c("average", "min", "max", "first", "last")) emit(nm, "rank", tm, x, NULL, rank(x, ties.method = tm))
  emit(nm, "order", "inc", x, NULL, order(x) - 1)
  emit(nm, "order", "dec", x, NULL, order(x, decreasing = TRUE) - 1)
  for (p in c(0, 0.1, 0.25, 0.3, 0.5, 0.75, 0.9, 0.999, 1)) emit(nm, "quantile", p, x, NULL, quantile(x, p, names = FALSE))
  emit(nm, "median", 0, x, NULL, median(x))
  emit(nm, "mad", 0, x, NULL, mad(x))
  emit(nm, "mean", 0, x, NULL, mean(x))
  for (tr in c(0.1, 0.2, 0.25, 0.4, 0.5)) emit(nm, "trim", tr, x, NULL, mean(x, trim = tr))
  if (length(x) > 1) emit(nm, "var", 0, x, NULL, var(x))
}
emit("rankNA", "rank", "average", c(2, NA, 1, 2), NULL, rank(c(2, NA, 1, 2), na.last = "keep"))
emit("orderNA", "order", "dec", c(2, NA, 1, 2, NA, 3), NULL, order(c(2, NA, 1, 2, NA, 3), decreasing = TRUE) - 1)
# lowess: smooth, outliers, ties in x, small n
x <- sort(runif(60, 0, 10)); y <- sin(x) + rnorm(60, sd = 0.3); y[c(5, 30)] <- y[c(5, 30)] + 6
lw <- lowess(x, y); emit("smooth", "lowess", "f=2/3", x, y, lw$y)
lw <- lowess(x, y, f = 0.2, iter = 0); emit("smooth", "lowess", "f=0.2,iter=0", x, y, lw$y)
xt <- round(runif(40, 0, 5)); yt <- xt^2 + rnorm(40)
lw <- lowess(xt, yt, f = 0.5); emit("tiesx", "lowess", "f=0.5", xt, yt, lw$y)
emit("tiesx", "lowessx", "f=0.5", xt, yt, lw$x)
x3 <- c(1, 2, 3); y3 <- c(2, 1, 5); emit("n3", "lowess", "f=2/3", x3, y3, lowess(x3, y3)$y)
xd <- seq(0, 1, length = 200); yd <- xd + rnorm(200, sd = 0.1)
emit("delta", "lowess", "f=0.3,delta=0.05", xd, yd, lowess(xd, yd, f = 0.3, delta = 0.05)$y)
emit("const", "lowess", "f=2/3", 1:10, rep(3, 10), lowess(1:10, rep(3, 10))$y)
# p.adjust
p <- c(runif(30)^3, 0.05, 0.05, 1, 0)
p[c(3, 17)] <- NA
for (m in c("BH", "BY", "holm", "hochberg", "bonferroni", "hommel")) emit("p", "padjust", m, p, NULL, p.adjust(p, m))
pt <- c(0.01, 0.02, 0.02, 0.03, 0.04, 0.04, 0.5)
for (m in c("BH", "BY", "holm", "hochberg", "bonferroni", "hommel")) emit("pties", "padjust", m, pt, NULL, p.adjust(pt, m))
emit("pn20", "padjustN", "BH", pt, NULL, p.adjust(pt, "BH", n = 20))
emit("pn20", "padjustN", "holm", pt, NULL, p.adjust(pt, "holm", n = 20))
emit("p2", "padjust", "hommel", c(0.02, 0.04), NULL, p.adjust(c(0.02, 0.04), "hommel"))
close(out)
