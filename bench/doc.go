// Package bench holds the benchmarks of her2het against R (issue 11).
//
// The folder is driven by run.sh (called by ./build.sh bench):
//
//   - gen writes seeded data sets (NB counts, sample sheets, a GMT of 50
//     Hallmark-sized sets, a 60k x 300 integer TSV) to bench/out/data;
//   - cmd runs the analyses through the project's public APIs (core/deseq,
//     core/limma, core/geneset, core/ingest) natively and under wasm;
//   - R/*.R run the same analyses in R on the same files;
//   - report joins the `name seconds [key=value ...]` lines of every side
//     into the ours/R table and bench/RESULTS.md.
//
// Nothing here is needed by the tests of the analysis packages, and no test
// depends on R.
package bench
