// Package design builds linear-model design matrices from R-style formulas over
// sample-sheet columns, checks their rank, and turns contrasts given by name
// ("timepoint,post,pre") or as numbers into coefficient vectors.
//
// The coding follows R's model.matrix (stats 4.2) with treatment contrasts
// (contr.treatment): terms are ordered by degree, a factor inside a term is coded
// by contrasts when the term without it appears earlier in the formula and by
// indicators for every level otherwise (R's TermCode heuristic, Chambers & Hastie
// 1992, p. 38), and without an intercept the first factor is coded by indicators.
// Column names are R's: "(Intercept)", "timepointpost", "HET1:timepointpost".
//
// The rank check uses a Householder QR with LINPACK dqrdc2's limited column
// pivoting and R's tolerance 1e-7 (the QR behind lm.fit and limma's lmFit), so
// the columns it reports as not estimable are the ones R would give NA.
//
// Entry points: ParseFormula, ModelMatrix (or Build) over a Frame (FromSheet
// converts an ingested dataset.SampleSheet), FromValues for a numeric design
// given directly, Matrix.CheckRank, ContrastVector, and the QR type shared
// with the fitting packages.
//
// Sample-sheet values are strings. Factor levels are compared after the sample
// sheet's normalisation (surrounding space trimmed, lower case), so "Post" and
// "post" name the same level in a contrast; column names keep the spelling of the
// first occurrence in the data.
package design
