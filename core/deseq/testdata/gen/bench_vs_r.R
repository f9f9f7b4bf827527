# Speed and agreement of `her2het de` against DESeq2 1.38.3 on a study-sized
# simulation (20,000 genes x 285 samples, ~ timepoint with 242 pre / 43 post,
# as the cohort of Li et al. 2024), when R is present.
# Made for R 4.2.2, DESeq2 1.38.3 (Debian r-bioc-deseq2).
#
# usage: Rscript bench_vs_r.R /path/to/her2het [genes] [samples] [design]
#   design: "timepoint" (default) or "paired" (~ patient + timepoint, every
#   patient sampled twice)
# It prints both timings (R single-threaded DESeq() + results(); her2het with
# --workers 1 and with all CPUs), their ratio, and the largest differences.
suppressMessages(library(DESeq2))
args <- commandArgs(trailingOnly = TRUE)
bin <- if (length(args) >= 1) args[1] else "her2het"
G <- if (length(args) >= 2) as.integer(args[2]) else 20000L
m <- if (length(args) >= 3) as.integer(args[3]) else 285L
des <- if (length(args) >= 4) args[4] else "timepoint"
set.seed(20241129)
dir <- tempfile("deseq_bench"); dir.create(dir)
if (des == "paired") {
  np <- m %/% 2; m <- 2 * np
  patient <- factor(sprintf("P%03d", rep(seq_len(np), 2)))
  timepoint <- factor(rep(c("pre", "post"), each = np), levels = c("post", "pre"))
  formula <- ~ patient + timepoint
} else {
  npost <- round(m * 43 / 285)
  timepoint <- factor(c(rep("pre", m - npost), rep("post", npost)), levels = c("post", "pre"))
  patient <- factor(sprintf("P%03d", seq_len(m)))
  formula <- ~ timepoint
}
base <- exp(rnorm(G, 3.5, 2))
disp <- (0.04 + 2 / base) * exp(rnorm(G, 0, 0.5))
sf <- exp(runif(m, -0.5, 0.5))
lfc <- ifelse(runif(G) < 0.1, rnorm(G, 0, 1.5), 0)
pe <- rnorm(nlevels(patient), 0, 0.4)[as.integer(patient)]
mu <- outer(base, sf) * 2^(outer(lfc, as.numeric(timepoint == "pre"))) * rep(exp(pe), each = G)
cts <- matrix(rnbinom(G * m, mu = mu, size = 1 / disp), G, m,
              dimnames = list(sprintf("g%05d", seq_len(G)), sprintf("s%03d", seq_len(m))))
coldata <- data.frame(sample = colnames(cts), patient = patient, timepoint = timepoint)
write.table(cts, file.path(dir, "counts.tsv"), sep = "\t", quote = FALSE, col.names = NA)
write.table(coldata, file.path(dir, "samples.tsv"), sep = "\t", quote = FALSE, row.names = FALSE)

cpu <- function(st) sum(st[c("user.self", "sys.self", "user.child", "sys.child")], na.rm = TRUE)
stR <- system.time({
  dds <- DESeqDataSetFromMatrix(cts, coldata, formula)
  dds <- DESeq(dds, quiet = TRUE)
  res <- results(dds, contrast = c("timepoint", "pre", "post"))
})
tR <- stR[["elapsed"]]; cR <- cpu(stR)

run <- function(workers) {
  out <- file.path(dir, sprintf("go_%d.tsv", workers))
  st <- system.time(system2(bin, c("de", "--counts", file.path(dir, "counts.tsv"),
    "--samples", file.path(dir, "samples.tsv"), "--design", shQuote(deparse(formula)),
    "--contrast", "timepoint,pre,post", "--workers", workers, "--out", out)))
  list(t = st[["elapsed"]], c = cpu(st), res = read.delim(out, comment.char = "#"))
}
g1 <- run(1); gN <- run(0)
# CPU seconds (user + system) are reported beside the elapsed time because
# they do not depend on how busy the machine is.
cat(sprintf("%d genes x %d samples, %s\n", G, m, deparse(formula)))
cat(sprintf("DESeq2 %s (R, 1 thread): %.1f s elapsed, %.1f s CPU\n", packageVersion("DESeq2"), tR, cR))
cat(sprintf("her2het de --workers 1:   %.1f s elapsed, %.1f s CPU  (%.1fx faster by elapsed, %.1fx by CPU)\n", g1$t, g1$c, tR / g1$t, cR / g1$c))
cat(sprintf("her2het de (all CPUs):    %.1f s elapsed  (%.1fx faster)\n", gN$t, tR / gN$t))
go <- g1$res
stopifnot(identical(go$gene, rownames(res)))
bm1 <- res$baseMean >= 1
cat(sprintf("max |LFC diff| (baseMean >= 1): %.3g\n", max(abs(go$log2FoldChange - res$log2FoldChange)[bm1], na.rm = TRUE)))
cat(sprintf("max |log10 p diff|: %.3g\n", max(abs(log10(go$pvalue) - log10(res$pvalue)), na.rm = TRUE)))
cat(sprintf("same NA pattern: pvalue %s, padj %s\n", identical(is.na(go$pvalue), is.na(res$pvalue)),
            identical(is.na(go$padj), is.na(res$padj))))
