# Golden per-area and per-tumour FISH measures for core/fish (TestGoldenR).
# R version 4.2.2 Patched (2022-11-10 r83330); base R only (stats, utils).
# Run from core/fish/testdata:  Rscript gen/fish_golden.R
# Writes cells.tsv (the seeded input), areas_golden.tsv and tumours_golden.tsv.
# Rules (study defaults): cell amplified when ERBB2/CEP17 >= 2 (CEP17 > 0 only);
# area called when >= 20 nuclei with a ratio; heterogeneous when 5 < % amplified < 50;
# HER2-negative when ASCO/CAP 2018 group 5 (and called); tumour HET when any called area
# is heterogeneous or HER2-negative, NA when no area is called.
set.seed(20261129)
rows <- list()
for (p in c("P01", "P02", "P03", "P04")) for (tp in c("pre", "post")) for (site in c("S1", "S2")) for (a in 1:3) {
  n <- sample(c(19, 20, 21, 25, 40, 60), 1)
  frac <- sample(c(0, 0.05, 0.1, 0.3, 0.5, 0.9, 1), 1)
  amp <- runif(n) < frac
  cep <- rpois(n, 2)
  erbb2 <- ifelse(amp, rpois(n, 10), rpois(n, 2.5))
  rows[[length(rows) + 1]] <- data.frame(sample = p, timepoint = tp, site = site, area = paste0("A", a),
                                         cell = seq_len(n), erbb2 = erbb2, cep17 = cep)
}
cells <- do.call(rbind, rows)
write.table(cells, "cells.tsv", sep = "\t", quote = FALSE, row.names = FALSE)

fmt <- function(x) ifelse(is.na(x), "NA", trimws(formatC(x, digits = 17, format = "g")))
group2018 <- function(e, r) {
  if (is.na(r) || is.na(e)) return(NA_integer_)
  if (r >= 2) return(if (e >= 4) 1L else 2L)
  if (e >= 6) return(3L)
  if (e >= 4) return(4L)
  5L
}
shannon <- function(e) {
  cls <- cut(e, c(-Inf, 4, 6, 10, Inf), right = FALSE)
  p <- as.numeric(table(cls)) / length(e)
  p <- p[p > 0]
  -sum(p * log(p))
}
akey <- paste(cells$sample, cells$timepoint, cells$site, cells$area, sep = "|")
areas <- NULL
for (k in unique(akey)) {
  d <- cells[akey == k, ]
  e <- d$erbb2; c <- d$cep17; ok <- c > 0
  q <- e[ok] / c[ok]
  amp <- q >= 2
  nr <- sum(ok)
  ratio <- if (nr > 0) sum(e[ok]) / sum(c[ok]) else NA
  g <- group2018(mean(e), ratio)
  pct <- if (nr > 0) 100 * sum(amp) / nr else NA
  called <- nr >= 20
  areas <- rbind(areas, data.frame(
    sample = d$sample[1], timepoint = d$timepoint[1], site = d$site[1], area = d$area[1],
    n_cells = length(e), n_ratio = nr, n_amplified = sum(amp),
    mean_erbb2 = mean(e), mean_cep17 = mean(c), ratio = ratio, mean_cell_ratio = if (nr > 0) mean(q) else NA,
    pct_amplified = pct, fraction_nonamplified = if (nr > 0) 1 - sum(amp) / nr else NA,
    sd_erbb2 = sd(e), cv_erbb2 = sd(e) / mean(e), sd_ratio = if (nr > 1) sd(q) else NA,
    cv_ratio = if (nr > 1) sd(q) / mean(q) else NA, shannon = shannon(e),
    group_2018 = g, called = called,
    het = called && pct > 5 && pct < 50, negative = called && !is.na(g) && g == 5,
    stringsAsFactors = FALSE))
}
out <- areas
for (col in c("mean_erbb2", "mean_cep17", "ratio", "mean_cell_ratio", "pct_amplified", "fraction_nonamplified",
              "sd_erbb2", "cv_erbb2", "sd_ratio", "cv_ratio", "shannon")) out[[col]] <- fmt(out[[col]])
out$group_2018 <- ifelse(is.na(out$group_2018), "NA", out$group_2018)
out$called <- as.integer(out$called); out$het <- as.integer(out$het); out$negative <- as.integer(out$negative)
write.table(out, "areas_golden.tsv", sep = "\t", quote = FALSE, row.names = FALSE)

tkey <- paste(areas$sample, areas$timepoint, sep = "|")
tum <- NULL
for (k in unique(tkey)) {
  a <- areas[tkey == k, ]
  d <- cells[paste(cells$sample, cells$timepoint, sep = "|") == k, ]
  e <- d$erbb2; c <- d$cep17; ok <- c > 0; q <- e[ok] / c[ok]
  het <- if (any(a$called)) as.integer(any(a$het | a$negative)) else NA
  tum <- rbind(tum, data.frame(sample = a$sample[1], timepoint = a$timepoint[1], n_areas = nrow(a), n_called = sum(a$called),
    het = ifelse(is.na(het), "NA", het), mean_erbb2 = fmt(mean(e)), ratio = fmt(sum(e[ok]) / sum(c[ok])),
    fraction_nonamplified = fmt(1 - sum(q >= 2) / length(q)), sd_ratio = fmt(sd(q)), shannon = fmt(shannon(e)),
    stringsAsFactors = FALSE))
}
write.table(tum, "tumours_golden.tsv", sep = "\t", quote = FALSE, row.names = FALSE)
