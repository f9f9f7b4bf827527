# Goldens for core/spatial's linear mixed model (random patient intercept, REML,
# Satterthwaite df), from lmerTest::lmer on project-owned seeded data.
# R 4.2.2, lme4 1.1-31, lmerTest 3.1-3 (Debian r-cran-lme4, r-cran-lmertest).
# The optimiser is run to a tight tolerance and theta is then polished to the
# root of the REML criterion's derivative (uniroot on central differences of
# lme4's devfun), so that the golden is the REML optimum itself rather than where
# the optimiser stops (at theta ~ 16 the criterion is flat to 1e-13 over 3e-6 and
# nloptwrap, bobyqa and Nelder-Mead stop at different theta); lmerTest's own
# Satterthwaite code (as_lmerModLT) then runs at that theta.
# Run from core/spatial/testdata: Rscript gen/lmm.R
suppressPackageStartupMessages({library(lme4); library(lmerTest)})
cat("# versions: R", as.character(getRversion()), "lme4", as.character(packageVersion("lme4")),
    "lmerTest", as.character(packageVersion("lmerTest")), "\n")
ctrl <- lmerControl(optimizer = "nloptwrap",
                    optCtrl = list(xtol_abs = 1e-14, ftol_abs = 1e-15, xtol_rel = 0, ftol_rel = 0, maxeval = 1e5),
                    check.conv.singular = "ignore")
f17 <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))
set.seed(20261129)
cases <- list()
# 1: balanced, 8 patients x 4 segments, region effect
np <- 8; d <- expand.grid(seg = 1:4, patient = sprintf("P%02d", 1:np))
d$region <- rep(c(1, 0, 1, 0), np)
u <- rnorm(np, 0, 0.8)
d$y <- 5 + 0.7 * d$region + u[as.integer(factor(d$patient))] + rnorm(nrow(d), 0, 0.5)
cases[["balanced"]] <- list(data = d[, c("patient", "region", "y")], formula = y ~ region + (1 | patient))
# 2: unbalanced sizes 1..6, region and between-patient HET
np <- 10; sizes <- c(1, 2, 3, 4, 5, 6, 2, 3, 4, 6)
patient <- rep(sprintf("Q%02d", 1:np), sizes)
het <- rep(rep(c(1, 0), 5), sizes)
region <- unlist(lapply(sizes, function(n) rep(c(1, 0), length.out = n)))
u <- rnorm(np, 0, 1.1)
y <- 3 + 0.4 * region - 0.9 * het + u[as.integer(factor(patient))] + rnorm(length(patient), 0, 0.6)
cases[["unbalanced"]] <- list(data = data.frame(patient, region, het, y), formula = y ~ region + het + (1 | patient))
# 3: continuous covariate and interaction, small patient variance
np <- 12; sizes <- rep(c(3, 4, 5), 4)
patient <- rep(sprintf("R%02d", 1:np), sizes)
x <- round(rnorm(length(patient)), 6)
region <- unlist(lapply(sizes, function(n) rep(c(0, 1), length.out = n)))
het <- rep(rep(c(0, 1), 6), sizes)
u <- rnorm(np, 0, 0.6)
y <- 1 + 0.5 * x + 0.3 * region + 0.2 * het + 0.6 * region * het + u[as.integer(factor(patient))] + rnorm(length(patient), 0, 0.7)
cases[["interaction"]] <- list(data = data.frame(patient, x, region, het, rh = region * het, y),
                                formula = y ~ x + region + het + rh + (1 | patient))
# 4: large patient variance relative to residual
np <- 6; sizes <- c(4, 4, 6, 6, 8, 8)
patient <- rep(sprintf("S%02d", 1:np), sizes)
region <- unlist(lapply(sizes, function(n) rep(c(1, 0), length.out = n)))
u <- rnorm(np, 0, 3)
y <- 10 - 1.5 * region + u[as.integer(factor(patient))] + rnorm(length(patient), 0, 0.2)
cases[["bigtheta"]] <- list(data = data.frame(patient, region, y), formula = y ~ region + (1 | patient))
# 5: no patient variance (boundary theta = 0, a singular fit)
np <- 7; sizes <- c(2, 3, 4, 5, 3, 4, 2)
patient <- rep(sprintf("T%02d", 1:np), sizes)
region <- unlist(lapply(sizes, function(n) rep(c(1, 0), length.out = n)))
y <- 2 + 0.5 * region + rnorm(length(patient), 0, 1)
cases[["singular"]] <- list(data = data.frame(patient, region, y), formula = y ~ region + (1 | patient))
# 6: patient variance a few times the residual one, 9 patients of 2-6 segments
np <- 9; sizes <- c(2, 6, 3, 5, 4, 4, 6, 2, 3)
patient <- rep(sprintf("U%02d", 1:np), sizes)
region <- unlist(lapply(sizes, function(n) rep(c(1, 0), length.out = n)))
u <- rnorm(np, 0, 1.5)
y <- 6 + 1.2 * region + u[as.integer(factor(patient))] + rnorm(length(patient), 0, 0.5)
cases[["widetheta"]] <- list(data = data.frame(patient, region, y), formula = y ~ region + (1 | patient))
for (nm in names(cases)) {
  cs <- cases[[nm]]
  dw <- cs$data
  for (j in seq_along(dw)) if (is.numeric(dw[[j]])) dw[[j]] <- f17(dw[[j]])
  write.table(dw, sprintf("lmm_%s_data.tsv", nm), sep = "\t", quote = FALSE, row.names = FALSE)
  fit0 <- lmer(cs$formula, data = cs$data, REML = TRUE, control = ctrl)
  # Polish theta to the root of the criterion's derivative (central differences),
  # then build the merMod and lmerTest's object at that theta with their own code.
  lmod <- lFormula(cs$formula, data = cs$data, REML = TRUE)
  devfun <- do.call(mkLmerDevfun, lmod)
  th <- getME(fit0, "theta")
  if (th > 1e-4) {
    g <- function(t) { h <- 1e-5 * t; (devfun(t + h) - devfun(t - h)) / (2 * h) }
    th <- uniroot(g, c(th * 0.99, th * 1.01), extendInt = "yes", tol = 1e-15)$root
  }
  m <- mkMerMod(environment(devfun), list(par = th, fval = devfun(th), conv = 0, message = ""),
                lmod$reTrms, fr = lmod$fr)
  fit <- lmerTest:::as_lmerModLT(m, devfun)
  cat(nm, "theta lmer", sprintf("%.12g", getME(fit0, "theta")), "polished", sprintf("%.12g", th), "\n")
  s <- summary(fit)$coefficients
  out <- data.frame(term = rownames(s), estimate = f17(s[, "Estimate"]), se = f17(s[, "Std. Error"]),
                    df = f17(s[, "df"]), t = f17(s[, "t value"]), p = f17(s[, "Pr(>|t|)"]))
  con <- file(sprintf("lmm_%s_fit.tsv", nm), "w")
  writeLines(sprintf("# formula: %s; theta %s sigma %s REML %s", deparse(cs$formula), f17(getME(fit, "theta")),
                     f17(sigma(fit)), f17(REMLcrit(fit))), con)
  writeLines(sprintf("# R %s lme4 %s lmerTest %s", getRversion(), packageVersion("lme4"), packageVersion("lmerTest")), con)
  write.table(out, con, sep = "\t", quote = FALSE, row.names = FALSE)
  close(con)
  if (nm == "interaction") {
    # A contrast: het + 0.5 rh (HET effect averaged over the two regions).
    ct <- contest(fit, c(0, 0, 0, 1, 0.5), joint = FALSE)
    writeLines(paste(c("estimate", "se", "df", "t", "p"), collapse = "\t"), "lmm_interaction_contrast.tsv")
    cat(paste(f17(c(ct$Estimate, ct$`Std. Error`, ct$df, ct$`t value`, ct$`Pr(>|t|)`)), collapse = "\t"), "\n",
        sep = "", file = "lmm_interaction_contrast.tsv", append = TRUE)
  }
}
