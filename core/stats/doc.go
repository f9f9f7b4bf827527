// Package stats implements the classical statistics of base R with R's exact
// semantics, so that patient-level numbers computed by her2het equal the numbers
// R prints on the same values.
//
// It has two layers.
//
// Shared helpers used across the analysis packages: Rank and Order (R's rank()
// and order(), stable), Quantile (type 7), Median, MAD, Mean (two-pass, like R's
// mean), Var, SD, TrimmedMean (mean(x, trim=)), Lowess (R's lowess/clowess) and
// PAdjust (p.adjust).
//
// Hypothesis tests, each returning a Result with the statistic, p-value, R's
// method string, the alternative and, where R gives them, estimate and
// confidence interval: WilcoxTest (rank-sum and signed-rank, exact and normal
// approximation, optional Hodges-Lehmann estimate and interval),
// PairwiseWilcoxTest (pairwise.wilcox.test), KruskalTest, FisherTest (2x2 with
// conditional MLE odds ratio and interval; r x c by a network algorithm),
// ChisqTest, CorTest (Pearson and Spearman) and Cor. Models: GLMBinomial
// (logistic regression by IRLS as glm.fit, Wald intervals as
// confint.default), ROC (AUC with DeLong variance and interval as pROC's
// roc + ci.auc) and DeLongTest (pROC's roc.test for paired curves).
//
// Where R finds a number with uniroot (Fisher's odds ratio and its interval,
// the normal-approximation Wilcoxon intervals), the same Brent iteration
// (R's zeroin.c) is run with R's tolerance and brackets, so the results agree
// with R far below uniroot's tolerance.
//
// Reference versions: R 4.2.2 (stats package), pROC 1.18.0. The golden files in
// testdata/ were produced by the scripts in testdata/gen with those versions.
//
// Conventions. NaN plays the role of R's NA. Functions taking a sample document
// what they do with NaN: the summaries return NaN (like R with na.rm=FALSE), the
// tests drop NaN values first (like R's tests do). No function modifies its
// input slices. Functions never panic on data; invalid data gives an error or
// a documented NaN.
package stats
