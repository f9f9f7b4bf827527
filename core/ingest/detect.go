package ingest

import (
	"bytes"
	"strings"

	"github.com/her2het/her2het/core/dataset"
)

// Detect guesses the format of a file from its name and its first bytes (already
// decompressed and converted to UTF-8). It never fails: FormatDelimited is the
// fallback for text, FormatUnknown for empty input.
func Detect(name string, head []byte) Format {
	if bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		return FormatXLSX
	}
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	lname := strings.ToLower(strings.TrimSuffix(strings.ToLower(baseName(name)), ".gz"))
	switch {
	case strings.HasSuffix(lname, "quant.genes.sf"):
		return FormatSalmonGenes
	case strings.HasSuffix(lname, "quant.sf"):
		return FormatSalmon
	case strings.HasSuffix(lname, ".genes.results"):
		return FormatRSEM
	case strings.HasSuffix(lname, ".isoforms.results"):
		return FormatRSEMIsoforms
	case strings.HasSuffix(lname, "readspergene.out.tab"):
		return FormatSTAR
	case strings.HasSuffix(lname, ".htseq.counts"), strings.HasSuffix(lname, ".htseq.txt"), strings.HasSuffix(lname, ".htseq"):
		return FormatHTSeq
	case strings.HasSuffix(lname, ".gct"):
		return FormatGCT
	case strings.HasSuffix(lname, ".xlsx"):
		return FormatXLSX
	}
	var lines [][]byte
	for _, l := range bytes.Split(head, []byte("\n")) {
		l = bytes.TrimRight(l, "\r")
		if len(bytes.TrimSpace(l)) > 0 {
			lines = append(lines, l)
		}
		if len(lines) == 12 {
			break
		}
	}
	// the last line of a partial head may be cut: drop it when more are available
	if len(lines) > 2 && !bytes.HasSuffix(bytes.TrimRight(head, "\r"), []byte("\n")) {
		lines = lines[:len(lines)-1]
	}
	if len(lines) == 0 {
		return FormatUnknown
	}
	first := string(lines[0])
	switch {
	case strings.HasPrefix(first, "#1.2"), strings.HasPrefix(first, "#1.3"):
		return FormatGCT
	case strings.HasPrefix(first, "# Program:featureCounts"):
		return FormatFeatureCounts
	case strings.HasPrefix(first, "Geneid\tChr\tStart\tEnd\tStrand\tLength"):
		return FormatFeatureCounts
	case strings.HasPrefix(first, "Name\tLength\tEffectiveLength\tTPM\tNumReads"):
		if strings.Contains(lname, "gene") {
			return FormatSalmonGenes
		}
		return FormatSalmon
	case strings.HasPrefix(first, "target_id\tlength\teff_length\test_counts\ttpm"):
		return FormatKallisto
	case strings.HasPrefix(first, "gene_id\ttranscript_id(s)\t"):
		return FormatRSEM
	case strings.HasPrefix(first, "transcript_id\tgene_id\tlength\teffective_length"):
		return FormatRSEMIsoforms
	case strings.HasPrefix(first, "N_unmapped\t"):
		return FormatSTAR
	}
	var data [][]byte
	for _, l := range lines {
		if l[0] != '#' && l[0] != '!' {
			data = append(data, l)
		}
	}
	if len(data) == 0 {
		return FormatUnknown
	}
	delim := detectDelimiter(data)
	split := func(l []byte) [][]byte {
		f, _, err := splitFields(l, delim, nil, new([]byte))
		if err != nil {
			return [][]byte{l}
		}
		return f
	}
	f0 := split(data[0])
	// HTSeq: two tab fields, no header, whole numbers
	if delim == '\t' && len(f0) == 2 {
		htseq := true
		for _, l := range data {
			f := split(l)
			if len(f) != 2 {
				htseq = false
				break
			}
			if _, c := parseNum(f[1], false); c != numInt {
				htseq = false
				break
			}
		}
		if htseq {
			return FormatHTSeq
		}
	}
	if len(f0) >= 2 && len(data) > 1 {
		f1 := split(data[1])
		if len(f1) >= 2 {
			a, b := string(trimSpace(f1[0])), string(trimSpace(f1[1]))
			if (strings.HasPrefix(a, "ENST") || isTx2GeneHeader(string(f0[0]))) && strings.HasPrefix(b, "ENSG") && len(f0) <= 3 {
				return FormatTx2Gene
			}
		}
	}
	// sample sheet: a sample-like column plus another role, mostly text cells
	roles := map[dataset.Role]bool{}
	for _, h := range f0 {
		roles[dataset.RoleOf(strings.TrimSpace(string(h)))] = true
	}
	known := 0
	for r := range roles {
		if r != dataset.RoleOther {
			known++
		}
	}
	if roles[dataset.RoleSample] || roles[dataset.RolePatient] {
		text, num := 0, 0
		for _, l := range data[1:] {
			for _, f := range split(l)[1:] {
				switch _, c := parseNum(f, false); c {
				case numInt, numReal:
					num++
				case numBad:
					text++
				}
			}
		}
		// a sample column plus another role, or many text cells: one row per sample
		if (known >= 2 && (num == 0 || text*3 >= num || len(f0) <= 12)) || (text > 0 && text*4 >= text+num) {
			return FormatSampleSheet
		}
	}
	return FormatDelimited
}

func baseName(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		return name[i+1:]
	}
	return name
}
