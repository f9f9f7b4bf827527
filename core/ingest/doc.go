// Package ingest reads the files a HER2 study team brings: count and expression
// matrices from every common pipeline (delimited text, featureCounts, HTSeq-count,
// STAR ReadsPerGene, RSEM, Salmon, kallisto, GCT, GEO-style processed matrices,
// Excel .xlsx), and sample sheets.
//
// Readers stream: text is read in chunks through a large buffer (no line-length
// limit), progress is reported as bytes read, and memory grows with the numbers
// kept, not with the text. Every rejection is a *ParseError naming file, line and
// column; every row, sample or gene left out is counted in the Report.
//
// # Entry points
//
//   - ReadAny: any single input (detects the format with Detect).
//   - NewTableReader: row-by-row streaming of a delimited matrix.
//   - ReadQuants + Tximport: several Salmon/kallisto/RSEM samples to genes.
//   - ReadSampleSheet, MatchSamples: sample sheets and their agreement with a matrix.
//   - Merge: per-sample HTSeq/STAR files into one matrix.
//   - ToSymbols: rows renamed to official symbols, duplicates summed (counts).
//
// # Speed
//
// Rows of plain non-negative integers (the usual count table) take a fast path
// that reads 8 bytes at a time (see intRow); anything else goes through the
// general parser, which writes every message, so both give the same matrix and the
// same errors. A .gz input is decompressed in a goroutine beside the parser where
// there is more than one core (not in WebAssembly), and its matrix is allocated
// once from the size the gzip trailer states.
//
// # Compact matrices
//
// With Options.Compact a matrix is returned as Loaded.Store (a dataset.Store)
// instead of Loaded.Matrix: raw counts as 4-byte whole numbers, half the memory of
// float64. The fast path then parses a row's digits straight into uint32 (a field
// above dataset.MaxWhole leaves the row to the general path); every other value
// (fractions such as estimated counts, NA, negative numbers, -0, 2^32-1 and
// above) is kept exactly as float64 beside them, and a table of mostly such values
// is held as float64. Loaded.Float gives the float64 matrix; a compact load and a
// float64 load of the same input give the same bits, names, report and errors
// (TestCompactSameAsFloat, TestBadInputs, the fuzz targets).
//
// # Positions
//
// ParseError.Line is the 1-based physical line of the (decompressed, transcoded)
// text; for .xlsx files it is the 1-based spreadsheet row. ParseError.Column is the
// 1-based FIELD index (not a byte offset) of the offending cell; 0 means the whole
// line or file.
//
// # Counts versus expression
//
// A matrix is Counts when every value is a whole, non-negative, finite number; any
// other value makes it Expression. With Options.Kind = WantCounts a value that is not
// a raw count is an error naming the cell and saying why; with WantExpression NaN
// (NA, empty, NaN) and negative values are kept (NaN means missing).
//
// # Transcript quantifications
//
// Salmon, kallisto and RSEM outputs are summarised to genes exactly as tximport 1.26
// does (Soneson C, Love MI, Robinson MD 2015, F1000Research 4:1521,
// doi:10.12688/f1000research.7563.2); see Tximport.
package ingest
