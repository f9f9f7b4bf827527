// Package bigcohort writes issue 11's big test input: a seeded genes x
// samples count matrix with Ensembl gene IDs (60,000 x 1,000 in the tests)
// and its sample sheet with the study's columns. It is test data only, shared
// by the browser test (e2e TestBigInputDE, TestBigInputDEAndGSVA) and the
// engine's memory harness under Node (core/engine TestLeanBigInput), which
// must see the same numbers; no part of the application imports it.
//
// The model: about 30% of genes unexpressed (mean uniform on [0, 0.5), so
// filterByExpr drops them); the rest log-normal means (median 1,500, sd 1.5 on
// the log scale, like a 30-million-read library); per-sample library factors
// exp(0.25 z); per-cell log-normal biological noise with sd 0.3 (mean 1)
// from a table of 4,096 normal quantiles; Poisson counts by inversion below a
// mean of 15 and their normal approximation above; the first 600 genes 2-fold
// higher in group B (odd samples). Sheet: 900 patients, the first 100 with a
// pretreatment and a post-treatment biopsy, the others pretreatment only.
package bigcohort
