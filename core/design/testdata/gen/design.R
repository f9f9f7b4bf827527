# Generates the design-matrix goldens for core/design.
# R 4.2.2 Patched (2022-11-10 r83330), stats 4.2.2 (model.matrix, qr).
# Run from core/design/testdata: Rscript gen/design.R
sheet <- data.frame(
  sample    = sprintf("S%02d", 1:12),
  patient   = c("101","101","102","102","103","103","104","104","105","105","106","106"),
  timepoint = rep(c("Pre","Post"), 6),
  HET       = c(1,1,1,1,0,0,0,0,0,0,0,0),
  pCR       = c("No","No","No","No","Yes","Yes","No","No","Yes","Yes","Yes","Yes"),
  HR        = c("pos","pos","neg","neg","pos","pos","neg","neg","pos","pos","neg","neg"),
  group     = c("b","b","a","a","c","c","a","a","b","b","c","c"),
  age       = c(51,51,43,43,67,67,38,38,59,59,46,46),
  purity    = c(0.4,0.55,0.62,0.3,0.71,0.5,0.45,0.66,0.58,0.36,0.49,0.7),
  stringsAsFactors = FALSE)
write.table(sheet, "sheet.tsv", sep = "\t", quote = FALSE, row.names = FALSE)
# Factors as the Go code codes them by default: patient, HET, timepoint,
# pCR, HR, group factors (alphabetical / numeric level order); age, purity numeric.
d <- sheet
for (v in c("patient","timepoint","pCR","HR","group")) d[[v]] <- factor(d[[v]])
d$HET <- factor(d$HET)
cases <- c(
  pcr           = "~ pCR",
  hr_pcr        = "~ HR + pCR",
  paired        = "~ patient + timepoint",
  het_nested    = "~ HET + HET:timepoint",
  nointercept   = "~ 0 + group",
  nointercept2  = "~ 0 + group + HR",
  numeric       = "~ age + purity + pCR",
  crossed       = "~ HR * timepoint",
  numint        = "~ purity + purity:group",
  reorder       = "~ timepoint:HR + HR + timepoint",
  minus1        = "~ group - 1",
  three         = "~ HR*pCR*timepoint",
  inter_only    = "~ HR:pCR",
  nested_num    = "~ pCR + pCR:age",
  noint_inter   = "~ 0 + group:HR",
  paren         = "~ (HR + pCR):timepoint + HR",
  wrapped       = "~ factor(HET) + as.numeric(age)")
for (nm in names(cases)) {
  X <- model.matrix(as.formula(cases[[nm]]), d)
  con <- file(sprintf("mm_%s.tsv", nm), "w")
  writeLines(paste0("# ", cases[[nm]]), con)
  writeLines(paste(colnames(X), collapse = "\t"), con)
  for (i in seq_len(nrow(X))) writeLines(paste(format(X[i, ], digits = 17), collapse = "\t"), con)
  close(con)
}
# Rank: patient + HET (HET nested in patient) -> aliased columns from lm.fit's QR.
X <- model.matrix(~ patient + HET, d)
q <- qr(X, tol = 1e-7)
cat(q$rank, "\n", paste(colnames(X)[q$pivot[-(1:q$rank)]], collapse = "\t"), "\n", file = "rank_patient_het.txt", sep = "")
