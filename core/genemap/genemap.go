package genemap

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
)

// Citation is the attribution that must accompany any use of the embedded table.
const Citation = "Gene identifiers: NCBI Gene (public domain) via Bioconductor org.Hs.eg.db 3.16.0 " +
	"(Carlson M, Artistic-2.0; NCBI data of 2022-09-12); GENCODE v36 (Frankish A et al. 2019, " +
	"Nucleic Acids Res 47:D766); gene lengths from the NCI Genomic Data Commons (GENCODE v22) via TCGAbiolinks."

//go:embed genes.tsv.gz
var embedded []byte

// Gene is one human gene of the table.
type Gene struct {
	Entrez  string   // NCBI Gene ID as decimal text; "" for GENCODE-only genes
	Symbol  string   // official symbol (NCBI), or GENCODE gene name when there is no Entrez ID
	Ensembl []string // unversioned Ensembl gene IDs; the first is the primary one
	Aliases []string // aliases and previous symbols, including a differing GENCODE name
	Type    string   // NCBI gene type ("protein-coding", "ncRNA", ...) or GENCODE gene_type
	Chr     string   // chromosome without "chr"
	Length  int      // GDC gene length (union of exons, GENCODE v22) in bp; 0 when unknown
}

// MatchKind says how an identifier was resolved (or why not).
type MatchKind int

const (
	NoMatch      MatchKind = iota // not found
	ByEntrez                      // a numeric Entrez ID (or LOCnnnn)
	ByEnsembl                     // an Ensembl gene ID, versioned or not
	BySymbol                      // the official symbol
	BySymbolCase                  // the official symbol in another letter case
	ByAlias                       // an alias or previous symbol naming exactly one gene
	Ambiguous                     // an alias naming several genes; not resolved
	ExcelMangled                  // a date made by a spreadsheet from a gene name; not resolved
	Empty                         // an empty or NA identifier
)

var kindNames = [...]string{"no match", "Entrez", "Ensembl", "symbol", "symbol (case)", "alias", "ambiguous alias", "Excel-mangled", "empty"}

func (k MatchKind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("MatchKind(%d)", int(k))
}

// Map is a gene table with lookup indexes. It is read-only after construction and
// safe for concurrent use.
type Map struct {
	Genes     []Gene
	entrez    map[string]int32
	ensembl   map[string]int32
	symbol    map[string]int32
	upper     map[string]int32 // upper-case symbol; -1 if several
	alias     map[string]int32 // upper-case alias; -1 if several genes share it
	aliasList map[string][]int32
}

var (
	defOnce sync.Once
	defMap  *Map
	defErr  error
)

// Default returns the embedded human gene table, parsed on first use.
// It panics only if the embedded file is corrupt (a build error, not user data).
func Default() *Map {
	defOnce.Do(func() {
		defMap, defErr = Read(bytes.NewReader(embedded))
	})
	if defErr != nil {
		panic("genemap: embedded table: " + defErr.Error())
	}
	return defMap
}

// Read parses a gene table in the format written by gen/ (gzip TSV with header
// entrez, symbol, ensembl, aliases, type, chr, length). Field strings share one
// buffer with the decompressed text, so the table costs little beyond its text.
func Read(r io.Reader) (*Map, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, err
	}
	var sb strings.Builder
	if _, err := io.Copy(&sb, zr); err != nil {
		return nil, err
	}
	text := sb.String()
	m := &Map{Genes: make([]Gene, 0, strings.Count(text, "\n"))}
	lineNo := 0
	var f [7]string
	for len(text) > 0 {
		line := text
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = ""
		}
		lineNo++
		if lineNo == 1 {
			continue
		}
		line = strings.TrimSuffix(line, "\r")
		k := 0
		for k < 6 {
			i := strings.IndexByte(line, '\t')
			if i < 0 {
				break
			}
			f[k], line = line[:i], line[i+1:]
			k++
		}
		if k != 6 || strings.IndexByte(line, '\t') >= 0 {
			return nil, fmt.Errorf("genemap: line %d: want 7 tab-separated fields", lineNo)
		}
		f[6] = line
		g := Gene{Entrez: f[0], Symbol: f[1], Type: f[4], Chr: f[5]}
		if f[2] != "" {
			g.Ensembl = strings.Split(f[2], ";")
		}
		if f[3] != "" {
			g.Aliases = strings.Split(f[3], ";")
		}
		if f[6] != "" {
			g.Length, _ = strconv.Atoi(f[6])
		}
		m.Genes = append(m.Genes, g)
	}
	m.index()
	return m, nil
}

// New builds a Map from genes (for tests and custom tables).
func New(genes []Gene) *Map {
	m := &Map{Genes: genes}
	m.index()
	return m
}

func (m *Map) index() {
	n := len(m.Genes)
	m.entrez = make(map[string]int32, n)
	m.ensembl = make(map[string]int32, n+n/4)
	m.symbol = make(map[string]int32, n)
	m.upper = make(map[string]int32, n)
	m.alias = make(map[string]int32, 2*n)
	// NCBI genes first so that a GENCODE-only gene never shadows an NCBI symbol.
	for pass := 0; pass < 2; pass++ {
		for i := range m.Genes {
			g := &m.Genes[i]
			if (g.Entrez != "") != (pass == 0) {
				continue
			}
			id := int32(i)
			if g.Entrez != "" {
				if _, dup := m.entrez[g.Entrez]; !dup {
					m.entrez[g.Entrez] = id
				}
			}
			for _, e := range g.Ensembl {
				if _, dup := m.ensembl[e]; !dup {
					m.ensembl[e] = id
				}
			}
			if _, dup := m.symbol[g.Symbol]; !dup {
				m.symbol[g.Symbol] = id
			}
			u := strings.ToUpper(g.Symbol)
			if old, dup := m.upper[u]; !dup {
				m.upper[u] = id
			} else if old != id && m.Genes[old].Symbol != g.Symbol && !strings.EqualFold(m.Genes[old].Symbol, g.Symbol) {
				m.upper[u] = -1
			}
		}
	}
	for i := range m.Genes {
		for _, a := range m.Genes[i].Aliases {
			u := strings.ToUpper(a)
			if old, dup := m.alias[u]; !dup {
				m.alias[u] = int32(i)
			} else if old != int32(i) {
				m.alias[u] = -1
			}
		}
	}
}

// Len returns the number of genes in the table.
func (m *Map) Len() int { return len(m.Genes) }

// Entrez returns the gene with NCBI Gene ID id.
func (m *Map) Entrez(id string) (Gene, bool) {
	if i, ok := m.entrez[id]; ok {
		return m.Genes[i], true
	}
	return Gene{}, false
}

// Ensembl returns the gene with Ensembl gene ID id (a version suffix is ignored).
func (m *Map) Ensembl(id string) (Gene, bool) {
	if i, ok := m.ensembl[stripVersion(id)]; ok {
		return m.Genes[i], true
	}
	return Gene{}, false
}

// Symbol returns the gene whose current official symbol is s (exact case).
func (m *Map) Symbol(s string) (Gene, bool) {
	if i, ok := m.symbol[s]; ok {
		return m.Genes[i], true
	}
	return Gene{}, false
}

// AliasCandidates returns every gene listing s (any case) as an alias or previous symbol.
func (m *Map) AliasCandidates(s string) []Gene {
	u := strings.ToUpper(s)
	var out []Gene
	for i := range m.Genes {
		for _, a := range m.Genes[i].Aliases {
			if strings.ToUpper(a) == u {
				out = append(out, m.Genes[i])
				break
			}
		}
	}
	return out
}

// stripVersion removes ".N" and GENCODE's "_PAR_Y" from an Ensembl ID.
func stripVersion(id string) string {
	id = strings.TrimSuffix(id, "_PAR_Y")
	if i := strings.IndexByte(id, '.'); i >= 0 {
		return id[:i]
	}
	return id
}
