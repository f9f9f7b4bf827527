# Recompute the patient-level group tests of a `her2het analyze` run from its own
# patients.tsv and compare with its tests.tsv (R 4.2.2; base R only).
# Usage: Rscript check_tests.R OUT/tables/patients.tsv OUT/tables/tests.tsv
# Prints the number of tests checked and every mismatch (relative difference of the
# p-value > 1e-10); exits with status 1 on any mismatch.
args <- commandArgs(trailingOnly = TRUE)
pat <- read.delim(args[1], check.names = FALSE, stringsAsFactors = FALSE, na.strings = "NA")
tst <- read.delim(args[2], check.names = FALSE, stringsAsFactors = FALSE, na.strings = "NA")
column <- function(analysis, variable) {
  if (analysis == "amplicon") return(variable)
  if (startsWith(analysis, "pathway ")) return(paste0(sub("pathway ", "", analysis), ":", variable))
  if (analysis == "PROGENy") return(paste0("progeny:", variable))
  if (startsWith(analysis, "immune by ")) return(paste0("immune:", variable))
  if (analysis == "pam50 correlation") return(gsub(" ", "_", variable))
  NA
}
label <- function(analysis) {
  if (analysis == "immune by pCR") return(ifelse(pat$pCR == "yes", "pCR", ifelse(pat$pCR == "no", "no pCR", NA)))
  if (analysis == "immune by HET") return(ifelse(pat$HET == 1, "HET", ifelse(pat$HET == 0, "non-HET", NA)))
  pat$group
}
n <- 0; bad <- 0
for (i in seq_len(nrow(tst))) {
  col <- column(tst$analysis[i], tst$variable[i])
  if (is.na(col) || !(col %in% names(pat))) next
  g <- label(tst$analysis[i]); x <- pat[[col]]
  if (tst$test[i] == "Kruskal-Wallis") {
    lv <- strsplit(tst$groups[i], " | ", fixed = TRUE)[[1]]
    k <- g %in% lv & !is.na(x)
    p <- kruskal.test(x[k], factor(g[k]))$p.value
  } else if (startsWith(tst$test[i], "Wilcoxon rank-sum")) {
    ab <- strsplit(tst$groups[i], " vs ", fixed = TRUE)[[1]]
    p <- suppressWarnings(wilcox.test(x[g %in% ab[1] & !is.na(x)], x[g %in% ab[2] & !is.na(x)])$p.value)
  } else next
  n <- n + 1
  if (abs(p - tst$pvalue[i]) > 1e-10 * max(abs(p), 1e-300)) {
    bad <- bad + 1
    cat(sprintf("MISMATCH %s | %s | %s: her2het %.17g, R %.17g\n", tst$analysis[i], tst$variable[i], tst$groups[i], tst$pvalue[i], p))
  }
}
cat(sprintf("%d patient-level tests recomputed from patients.tsv, %d mismatches\n", n, bad))
quit(status = if (bad > 0) 1 else 0)
