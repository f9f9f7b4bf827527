package ingest

import (
	"fmt"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/genemap"
)

// Want says what kind of numbers the caller needs.
type Want int

const (
	// WantAuto loads whole non-negative numbers as Counts and anything else as Expression.
	WantAuto Want = iota
	// WantCounts rejects any cell that is not a raw count, naming it.
	WantCounts
	// WantExpression accepts any number; NA/NaN/empty become NaN.
	WantExpression
)

// Format is a detected or requested file format.
type Format int

const (
	FormatUnknown       Format = iota
	FormatDelimited            // generic genes x samples (or samples x genes) table
	FormatFeatureCounts        // featureCounts output
	FormatHTSeq                // HTSeq-count, one sample
	FormatSTAR                 // STAR ReadsPerGene.out.tab
	FormatRSEM                 // RSEM *.genes.results
	FormatRSEMIsoforms         // RSEM *.isoforms.results
	FormatSalmon               // Salmon quant.sf (transcripts)
	FormatSalmonGenes          // Salmon quant.genes.sf
	FormatKallisto             // kallisto abundance.tsv
	FormatGCT                  // GCT 1.2 / 1.3
	FormatXLSX                 // Excel workbook
	FormatSampleSheet          // one row per sample
	FormatTx2Gene              // transcript -> gene table
)

var formatNames = [...]string{"unknown", "delimited matrix", "featureCounts", "HTSeq-count", "STAR ReadsPerGene",
	"RSEM genes.results", "RSEM isoforms.results", "Salmon quant.sf", "Salmon quant.genes.sf", "kallisto abundance.tsv",
	"GCT", "Excel xlsx", "sample sheet", "tx2gene table"}

func (f Format) String() string {
	if f >= 0 && int(f) < len(formatNames) {
		return formatNames[f]
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// CountsFromAbundance is tximport's countsFromAbundance argument.
type CountsFromAbundance int

const (
	CFANo              CountsFromAbundance = iota // "no": summed estimated counts
	CFAScaledTPM                                  // "scaledTPM"
	CFALengthScaledTPM                            // "lengthScaledTPM"
)

func (c CountsFromAbundance) String() string {
	switch c {
	case CFANo:
		return "no"
	case CFAScaledTPM:
		return "scaledTPM"
	case CFALengthScaledTPM:
		return "lengthScaledTPM"
	}
	return fmt.Sprintf("CountsFromAbundance(%d)", int(c))
}

// Options control a load. The zero value detects everything.
type Options struct {
	Format    Format      // FormatUnknown: detect
	Kind      Want        // counts, expression or decide from the numbers
	Delimiter byte        // 0: detect among tab, ';' and ','
	Progress  func(int64) // called with the number of bytes read so far (of the raw, possibly compressed input)

	// SizeHint is the input's size in bytes when known (a File's size); it lets a
	// matrix be allocated once. ReadAny fills it from readers with a Size() method.
	SizeHint int64

	// Transcript quantifications (Salmon, kallisto, RSEM isoforms).
	Tx2Gene             *Tx2Gene            // nil: use GENCODE-style "ENST|ENSG|..." names
	CountsFromAbundance CountsFromAbundance // tximport's countsFromAbundance

	// STARColumn is the ReadsPerGene column to load: 2 unstranded, 3 first-read
	// strand (htseq-count -s yes), 4 reverse (-s reverse); 0 uses the suggested one.
	STARColumn int

	// Genes, when non-nil, resolves row identifiers: unmapped and Excel-mangled
	// identifiers are counted and reported (rows are kept under their original name).
	Genes *genemap.Map

	// Sheet is the worksheet of an .xlsx file to read ("" = the first).
	Sheet string

	// Roles overrides sample-sheet column roles: column name -> role.
	Roles map[string]dataset.Role

	// Transpose: 0 detect, 1 force samples x genes input, -1 never transpose.
	Transpose int

	// Compact keeps a matrix as a dataset.Store (Loaded.Store; Loaded.Matrix is
	// nil): raw counts take 4 bytes per cell instead of 8, and a delimited table's
	// integer rows are parsed straight into it. Without it the matrix is a float64
	// Loaded.Matrix, as before.
	Compact bool
}

// Column is a per-gene text column kept from the input (symbol, description, Chr...).
type Column struct {
	Name   string
	Values []string
}

// Loaded is everything read from one input.
type Loaded struct {
	Name   string
	Format Format

	// Matrix is the count or expression matrix (genes x samples); nil for sample
	// sheets and tx2gene tables, and with Options.Compact (see Store). For
	// Salmon/kallisto/RSEM it holds tximport's counts rounded to whole numbers (as
	// DESeqDataSetFromTximport does), Kind Counts.
	Matrix *dataset.Matrix
	// Store is the same matrix in compact form, set instead of Matrix when
	// Options.Compact was set (Float, Genes, Samples and Kind read either).
	Store *dataset.Store
	// Annotations are per-gene non-numeric columns in file order.
	Annotations []Column
	// GeneLength is a per-gene length column (featureCounts Length), or nil.
	GeneLength []float64
	// Tx holds tximport's gene-level matrices for transcript quantifiers and RSEM.
	Tx *TxImport
	// Sheet is the sample sheet, for FormatSampleSheet.
	Sheet *dataset.SampleSheet
	// Tx2Gene is the table, for FormatTx2Gene.
	Tx2Gene *Tx2Gene

	Transposed   bool           // input was samples x genes
	IDType       genemap.IDType // dominant gene identifier type
	Delimiter    byte
	DecimalComma bool
	Report       Report
}
