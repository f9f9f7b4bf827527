# Golden outputs of tximport for core/ingest (salmon, kallisto, RSEM gene level).
# R 4.2.2, tximport 1.26.1 (Debian r-bioc-tximport 1.26.1+dfsg-1).
# Run from core/ingest/testdata:  Rscript gen/tximport.R
# Writes seeded fixtures (quant.sf, abundance.tsv, genes.results, tx2gene.csv) and
# tximport's gene-level counts, abundance and length, numbers as %.17g.
suppressMessages(library(tximport))
set.seed(20261129)
out <- "tximport"
dir.create(out, showWarnings = FALSE)

ngenes <- 14
ntx <- sample(1:4, ngenes, replace = TRUE)
gene <- sprintf("ENSG%011d.%d", seq_len(ngenes) * 7, sample(1:9, ngenes, replace = TRUE))
tx2gene <- data.frame(TXNAME = sprintf("ENST%011d.%d", seq_len(sum(ntx)) * 3, 1),
                      GENEID = rep(gene, ntx), stringsAsFactors = FALSE)
ntxAll <- nrow(tx2gene)
txLen <- sample(300:5000, ntxAll + 1)
txNames <- c(tx2gene$TXNAME, "ENST99999999999.1") # last one is missing from tx2gene
zeroGene <- gene[3]   # zero in every sample -> length from aveLengthSampGene
someZero <- gene[5]   # zero in sample 2 only -> geometric mean of the others

fmt <- function(x) trimws(formatC(x, digits = 10, format = "g"))
sim <- function(s) {
  eff <- pmax(txLen - sample(100:250, length(txLen), replace = TRUE), 1)
  eff <- eff + round(runif(length(eff)), 3)
  reads <- round(rgamma(length(txLen), shape = 0.6, scale = 300), 3)
  g <- c(tx2gene$GENEID, "none")
  reads[g == zeroGene] <- 0
  if (s == 2) reads[g == someZero] <- 0
  reads[sample(length(reads), 3)] <- 0
  rpk <- reads / eff
  tpm <- rpk / sum(rpk) * 1e6
  data.frame(len = txLen, eff = eff, tpm = tpm, reads = reads)
}
samples <- c("S1", "S2", "S3")
files <- character(0)
for (i in seq_along(samples)) {
  d <- sim(i)
  f <- file.path(out, paste0("salmon_", samples[i], ".sf"))
  write.table(data.frame(Name = txNames, Length = d$len, EffectiveLength = fmt(d$eff),
                         TPM = fmt(d$tpm), NumReads = fmt(d$reads)),
              f, sep = "\t", quote = FALSE, row.names = FALSE)
  files[samples[i]] <- f
}
write.csv(tx2gene, file.path(out, "tx2gene.csv"), row.names = FALSE, quote = FALSE)

kfiles <- character(0)
for (i in 1:2) {
  d <- sim(i)
  f <- file.path(out, paste0("kallisto_K", i, ".tsv"))
  write.table(data.frame(target_id = txNames, length = d$len, eff_length = fmt(d$eff),
                         est_counts = fmt(d$reads), tpm = fmt(d$tpm)),
              f, sep = "\t", quote = FALSE, row.names = FALSE)
  kfiles[paste0("K", i)] <- f
}

rfiles <- character(0)
for (i in 1:2) {
  len <- sample(300:5000, ngenes)
  eff <- pmax(len - 180 + round(runif(ngenes), 2), 0)
  eff[4] <- 0
  cnt <- round(rgamma(ngenes, shape = 0.6, scale = 300), 2)
  cnt[4] <- 0
  tpm <- ifelse(eff > 0, cnt / pmax(eff, 1), 0); tpm <- tpm / sum(tpm) * 1e6
  f <- file.path(out, paste0("rsem_R", i, ".genes.results"))
  write.table(data.frame(gene_id = gene, `transcript_id(s)` = paste0("tx", seq_len(ngenes)),
                         length = fmt(len), effective_length = fmt(eff), expected_count = fmt(cnt),
                         TPM = fmt(tpm), FPKM = fmt(tpm / 2), check.names = FALSE),
              f, sep = "\t", quote = FALSE, row.names = FALSE)
  rfiles[paste0("R", i)] <- f
}

dump <- function(txi, name) {
  for (what in c("counts", "abundance", "length")) {
    m <- txi[[what]]
    df <- data.frame(gene = rownames(m), apply(m, 2, function(x) sprintf("%.17g", x)), check.names = FALSE)
    write.table(df, file.path(out, paste0(name, ".", what, ".tsv")), sep = "\t", quote = FALSE, row.names = FALSE)
  }
}
for (cfa in c("no", "scaledTPM", "lengthScaledTPM")) {
  dump(suppressMessages(tximport(files, type = "salmon", tx2gene = tx2gene, countsFromAbundance = cfa)),
       paste0("salmon_", cfa))
}
dump(suppressMessages(tximport(kfiles, type = "kallisto", tx2gene = tx2gene, countsFromAbundance = "lengthScaledTPM")),
     "kallisto_lengthScaledTPM")
dump(suppressMessages(tximport(kfiles, type = "kallisto", tx2gene = tx2gene)), "kallisto_no")
dump(suppressMessages(tximport(rfiles, type = "rsem", txIn = FALSE, txOut = FALSE)), "rsem_no")

# RSEM isoforms (transcript level): effective lengths below 1 become 1 in tximport.
ifiles <- character(0)
for (i in 1:2) {
  d <- sim(i)
  eff <- d$eff
  eff[c(2, 7)] <- c(0, 0.5)
  f <- file.path(out, paste0("rsem_I", i, ".isoforms.results"))
  write.table(data.frame(transcript_id = txNames, gene_id = c(tx2gene$GENEID, "ENSG99999999999.1"),
                         length = d$len, effective_length = fmt(eff), expected_count = fmt(d$reads),
                         TPM = fmt(d$tpm), FPKM = fmt(d$tpm / 2), IsoPct = "100.00"),
              f, sep = "\t", quote = FALSE, row.names = FALSE)
  ifiles[paste0("I", i)] <- f
}
dump(suppressMessages(tximport(ifiles, type = "rsem", txIn = TRUE, tx2gene = tx2gene)), "rsem_isoforms_no")
