package genemap

import (
	"strconv"
	"strings"
)

// Resolve maps one identifier to a gene.
//
// Accepted forms: Ensembl gene IDs ("ENSG00000141736", "ENSG00000141736.14",
// "ENSG00000182378.14_PAR_Y"); Entrez IDs ("2064", "LOC2064"); symbols, aliases and
// previous symbols ("ERBB2", "erbb2", "HER2"); and '|'-joined combinations such as
// "ENSG00000141736.14|ERBB2", "ERBB2|2064" or GENCODE transcript headers, where an
// Ensembl gene part wins over an Entrez part, which wins over a symbol part.
// Surrounding spaces and double quotes are ignored.
//
// ok is true only for kinds ByEntrez, ByEnsembl, BySymbol, BySymbolCase and ByAlias.
// For Ambiguous, ExcelMangled, Empty and NoMatch, gene is the zero Gene (see
// Unmangle for a guess at an Excel-mangled name).
func (m *Map) Resolve(id string) (gene Gene, how MatchKind, ok bool) {
	id = strings.Trim(strings.TrimSpace(id), "\"'")
	if id == "" || id == "NA" || id == "-" || id == "?" {
		return Gene{}, Empty, false
	}
	if strings.IndexByte(id, '|') >= 0 {
		return m.resolveParts(strings.Split(id, "|"))
	}
	return m.resolveOne(id)
}

func (m *Map) resolveParts(parts []string) (Gene, MatchKind, bool) {
	// Pass 0: Ensembl gene IDs; pass 1: numeric (Entrez); pass 2: anything else.
	best := NoMatch
	for pass := 0; pass < 3; pass++ {
		for _, p := range parts {
			p = strings.TrimSpace(p)
			if p == "" {
				continue
			}
			isEns := strings.HasPrefix(p, "ENSG")
			isNum := allDigits(p)
			kind := 2
			if isEns {
				kind = 0
			} else if isNum {
				kind = 1
			}
			if kind != pass {
				continue
			}
			if pass == 2 && (strings.HasPrefix(p, "ENST") || strings.HasPrefix(p, "OTTHUM")) {
				continue
			}
			g, how, ok := m.resolveOne(p)
			if ok {
				return g, how, true
			}
			if how == Ambiguous || how == ExcelMangled {
				best = how
			}
		}
	}
	return Gene{}, best, false
}

func (m *Map) resolveOne(id string) (Gene, MatchKind, bool) {
	switch {
	case strings.HasPrefix(id, "ENSG"):
		if i, ok := m.ensembl[stripVersion(id)]; ok {
			return m.Genes[i], ByEnsembl, true
		}
		return Gene{}, NoMatch, false
	case allDigits(id):
		if i, ok := m.entrez[strings.TrimLeft(id, "0")]; ok {
			return m.Genes[i], ByEntrez, true
		}
		return Gene{}, NoMatch, false
	case len(id) > 3 && strings.HasPrefix(id, "LOC") && allDigits(id[3:]):
		if i, ok := m.entrez[id[3:]]; ok {
			return m.Genes[i], ByEntrez, true
		}
		// LOC symbols are also symbols; fall through to the symbol lookups.
	}
	if i, ok := m.symbol[id]; ok {
		return m.Genes[i], BySymbol, true
	}
	if IsExcelMangled(id) {
		return Gene{}, ExcelMangled, false
	}
	u := strings.ToUpper(id)
	if i, ok := m.upper[u]; ok && i >= 0 {
		return m.Genes[i], BySymbolCase, true
	}
	if i, ok := m.alias[u]; ok {
		if i < 0 {
			return Gene{}, Ambiguous, false
		}
		return m.Genes[i], ByAlias, true
	}
	return Gene{}, NoMatch, false
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

var months = map[string]string{
	"JAN": "Jan", "FEB": "Feb", "MAR": "Mar", "APR": "Apr", "MAY": "May", "JUN": "Jun",
	"JUL": "Jul", "AUG": "Aug", "SEP": "Sep", "OCT": "Oct", "NOV": "Nov", "DEC": "Dec",
}

// excelDate splits "1-Mar", "Mar-1", "01-Mar-2023", "1-Mar-23" or "Mar-01" into day and
// month abbreviation; ok is false for anything else.
func excelDate(id string) (day int, month string, ok bool) {
	if len(id) > 20 || strings.IndexByte(id, '-') < 0 {
		return 0, "", false
	}
	f := strings.Split(id, "-")
	if len(f) < 2 || len(f) > 3 {
		return 0, "", false
	}
	num := func(s string) (int, bool) {
		if len(s) == 0 || len(s) > 2 || !allDigits(s) {
			return 0, false
		}
		n, _ := strconv.Atoi(s)
		return n, n >= 1 && n <= 31
	}
	mon := func(s string) (string, bool) {
		if len(s) < 3 {
			return "", false
		}
		mm, ok := months[strings.ToUpper(s[:3])]
		if !ok || (len(s) > 3 && !isMonthName(s)) {
			return "", false
		}
		return mm, true
	}
	if d, ok1 := num(f[0]); ok1 {
		if mm, ok2 := mon(f[1]); ok2 {
			if len(f) == 3 && (!allDigits(f[2]) || (len(f[2]) != 2 && len(f[2]) != 4)) {
				return 0, "", false
			}
			return d, mm, true
		}
	}
	if len(f) == 2 {
		if mm, ok1 := mon(f[0]); ok1 {
			if d, ok2 := num(f[1]); ok2 {
				return d, mm, true
			}
		}
	}
	return 0, "", false
}

func isMonthName(s string) bool {
	switch strings.ToLower(s) {
	case "january", "february", "march", "april", "june", "july", "august", "september",
		"sept", "october", "november", "december":
		return true
	}
	return false
}

// IsExcelMangled reports whether id looks like a date a spreadsheet made from a
// gene symbol, e.g. "1-Mar" (MARCHF1), "9-Sep" (SEPTIN9), "1-Dec" (DELEC1),
// "Mar-01", "2-Oct" (POU2F2's alias OCT2) or "01-Mar-2023"; also ISO-like dates
// "2023-03-01". See Ziemann M et al. 2016, Genome Biol 17:177 (doi:10.1186/s13059-016-1044-7).
func IsExcelMangled(id string) bool {
	if strings.IndexByte(id, '-') < 0 && strings.IndexByte(id, '/') < 0 {
		return false
	}
	if _, _, ok := excelDate(id); ok {
		return true
	}
	// 2023-03-01 or 2023/03/01
	if len(id) == 10 && (id[4] == '-' || id[4] == '/') && id[7] == id[4] &&
		allDigits(id[:4]) && allDigits(id[5:7]) && allDigits(id[8:]) {
		return true
	}
	return false
}

// Unmangle guesses the gene behind an Excel-mangled name: "1-Mar" tries MARCHF1 and
// MARCH1, "9-Sep" SEPTIN9 and SEPT9, "1-Dec" DEC1, "2-Oct" OCT2, "1-Nov" NOV... and
// returns the first candidate that resolves to exactly one gene. ok is false when id
// is not a mangled name or no candidate resolves.
func (m *Map) Unmangle(id string) (Gene, bool) {
	day, mon, ok := excelDate(strings.TrimSpace(id))
	if !ok {
		return Gene{}, false
	}
	d := strconv.Itoa(day)
	var cands []string
	switch mon {
	case "Mar":
		cands = []string{"MARCHF" + d, "MARCH" + d}
	case "Sep":
		cands = []string{"SEPTIN" + d, "SEPT" + d, "SEP" + d}
	case "Dec":
		cands = []string{"DEC" + d}
	case "Nov":
		cands = []string{"NOV" + d, "NOV"}
	default:
		cands = []string{strings.ToUpper(mon) + d}
	}
	for _, c := range cands {
		if g, how, ok := m.resolveOne(c); ok && how != ExcelMangled {
			return g, true
		}
	}
	return Gene{}, false
}

// IDType is the syntactic kind of an identifier, judged without the table.
type IDType int

const (
	IDUnknown    IDType = iota
	IDEnsembl           // ENSG...
	IDEntrez            // digits
	IDSymbol            // anything else
	IDCombined          // '|'-joined
	IDTranscript        // ENST... (needs tx2gene)
)

var idTypeNames = [...]string{"unknown", "Ensembl", "Entrez", "symbol", "combined (|)", "Ensembl transcript"}

func (t IDType) String() string {
	if t >= 0 && int(t) < len(idTypeNames) {
		return idTypeNames[t]
	}
	return "IDType(" + strconv.Itoa(int(t)) + ")"
}

// TypeOf classifies id syntactically.
func TypeOf(id string) IDType {
	id = strings.TrimSpace(id)
	switch {
	case id == "":
		return IDUnknown
	case strings.IndexByte(id, '|') >= 0:
		return IDCombined
	case strings.HasPrefix(id, "ENSG"):
		return IDEnsembl
	case strings.HasPrefix(id, "ENST"):
		return IDTranscript
	case allDigits(id):
		return IDEntrez
	}
	return IDSymbol
}

// DominantType returns the IDType of the majority of ids (IDUnknown for none).
func DominantType(ids []string) IDType {
	var n [6]int
	for _, id := range ids {
		n[TypeOf(id)]++
	}
	best := IDUnknown
	for t := IDEnsembl; t <= IDTranscript; t++ {
		if n[t] > n[best] {
			best = t
		}
	}
	return best
}
