# R 4.2.2 Patched (2022-11-10 r83330), base R only (utils::read.delim).
# Reads roundtrip.tsv (written by report.TSV, see roundtrip_test.go) the way an R
# user would and writes what R saw, cell by cell, to roundtrip_r.tsv:
#   view <tab> row <tab> col <tab> value
# view "chr": read.delim(colClasses = "character"); view "auto": read.delim's own
# type conversion, numbers printed with %.17g. Row 0 is the header; NA is "NA".
# Run from core/report/testdata: Rscript gen/roundtrip.R
out <- c(paste0("# ", R.version.string, "; read.delim(check.names = FALSE)"))
for (view in c("chr", "auto")) {
  x <- if (view == "chr") {
    read.delim("roundtrip.tsv", check.names = FALSE, colClasses = "character", encoding = "UTF-8")
  } else {
    read.delim("roundtrip.tsv", check.names = FALSE, encoding = "UTF-8")
  }
  for (j in seq_along(x)) out <- c(out, paste(view, 0, j, names(x)[j], sep = "\t"))
  for (i in seq_len(nrow(x))) {
    for (j in seq_along(x)) {
      v <- x[[j]][i]
      s <- if (is.na(v)) "NA" else if (is.numeric(v)) sprintf("%.17g", v) else as.character(v)
      out <- c(out, paste(view, i, j, s, sep = "\t"))
    }
  }
}
con <- file("roundtrip_r.tsv", open = "w", encoding = "UTF-8")
writeLines(out, con)
close(con)
