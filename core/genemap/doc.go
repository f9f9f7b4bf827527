// Package genemap resolves human gene identifiers (Entrez, HGNC symbols, Ensembl
// gene IDs with or without version, aliases and previous symbols, and combined
// forms such as "ENSG00000141736.14|ERBB2" or "ERBB2|2064") against an embedded gene
// table, and recognises gene names mangled by spreadsheet software ("1-Mar",
// "9-Sep", "1-Dec").
//
// The table (genes.tsv.gz, about 100k genes) is built by the generator in gen/ from
// NCBI Gene as distributed in Bioconductor org.Hs.eg.db 3.16 and GENCODE v36, with
// gene lengths from the GDC (GENCODE v22); see Citation. It is parsed once, on the
// first call to Default.
//
// Resolution order for a bare symbol: current NCBI symbol (exact case), GENCODE-only
// symbol, case-insensitive symbol, then alias or previous symbol when it names exactly
// one gene; an alias shared by several genes is reported as Ambiguous, never guessed.
package genemap
