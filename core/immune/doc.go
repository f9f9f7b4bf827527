// Package immune estimates immune and stromal infiltration from bulk expression
// with three published marker-based methods, using the marker lists embedded in
// core/refdata:
//
//   - MCP-counter (Becht E et al. 2016, Genome Biol 17:218,
//     doi:10.1186/s13059-016-1070-5), as MCPcounter.estimate(expression,
//     featuresType="HUGO_symbols") computes it (ebecht/MCPcounter R/MCPcounter.R,
//     appendSignatures): for each of the 10 populations, the per-sample mean
//     (missing values dropped) of the expression of its markers found in the
//     matrix. No transformation is applied: give log2-scale expression, as
//     MCP-counter expects.
//   - ESTIMATE (Yoshihara K et al. 2013, Nat Commun 4:2612,
//     doi:10.1038/ncomms3612), as estimateScore of the estimate package 1.0.13
//     computes it: the expression of each sample is replaced by
//     10000 * rank / N (average ranks over the N genes of the matrix), genes are
//     ordered by decreasing value, and for each signature S (found genes, Nh of
//     them) the random walk
//     RES_i = sum_{j<=i, g_j in S} w_j / sum_{g in S} w - #{j<=i, g_j not in S} / (N - Nh),
//     with w = value^0.25, is summed over all positions: ES = sum_i RES_i.
//     StromalScore and ImmuneScore are the ES of the two 141-gene signatures,
//     ESTIMATEScore their sum, and TumorPurity = cos(0.6049872018 +
//     0.0001467884 * ESTIMATEScore) (calibrated on Affymetrix arrays; NaN when
//     negative, as in estimate). This walk is ESTIMATE's own ssGSEA, not GSVA's
//     (GSVA truncates ranks to integers and uses no 10000/N scaling), which is
//     why it is implemented here rather than with core/geneset.
//     Deviation: estimate first restricts the input to its 10,412 "common genes"
//     (filterCommonGenes); that list is not in the reference bundle, so the
//     ranks are taken over all genes given (Options.Universe restricts them).
//   - Danaher cell-type scores (Danaher P et al. 2017, J Immunother Cancer 5:18,
//     doi:10.1186/s40425-017-0215-8): the per-sample mean of the log2 expression
//     of each cell type's markers (14 types), computed like MCP-counter.
//
// Marker genes are found with refdata.Matcher (exact symbol first, then Entrez
// IDs through core/genemap). Every result reports, per signature, how many
// markers were found and which published symbols were not; a signature with
// none found gives NaN scores. Missing values (NaN): the mean-based methods
// drop them (na.rm=TRUE); ESTIMATE ranks them above every value, as R's
// rank(na.last=TRUE) does inside estimateScore.
//
// ESTIMATE ranks each sample with a stable radix order and runs its samples
// as the core/pool kernel immune.estimate (Options.Pool, or Options.Workers
// goroutines): each sample is computed by the same operations whichever chunk
// it falls in, so the scores do not depend on the number of workers.
package immune
