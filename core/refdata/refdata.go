package refdata

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"embed"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/her2het/her2het/core/geneset"
)

//go:embed data/*.txt.gz
var files embed.FS

// order is the order of Collections: gene sets first, then the models.
var order = []string{"hallmark", "reactome", "wikipathways", "mcpcounter", "estimate", "danaher", "breast", "pam50", "progeny"}

// Collection describes one embedded collection and how to cite it.
type Collection struct {
	ID       string   // short name used by Sets, the CLI (--sets hallmark) and sessions
	Kind     string   // "genesets", "pam50" or "progeny"
	Name     string   // human-readable title
	Version  string   // release of the source
	Citation string   // the primary reference(s) to cite
	Licence  string   // licence of the data
	URL      string   // where the source is published
	Sources  []string // input files the generator read, with their SHA-256
	NSets    int      // gene sets, centroids (PAM50: 5) or pathways (PROGENy: 14)
}

// record is one parsed file: metadata and the data lines split on tabs.
type record struct {
	coll  Collection
	lines [][]string
}

var (
	mu    sync.Mutex
	cache = map[string]*record{}
)

// load parses collection id on first use. Errors mean a corrupt build (the data
// are embedded), but they are returned rather than panicking.
func load(id string) (*record, error) {
	mu.Lock()
	defer mu.Unlock()
	if r, ok := cache[id]; ok {
		return r, nil
	}
	b, err := files.ReadFile("data/" + id + ".txt.gz")
	if err != nil {
		return nil, fmt.Errorf("refdata: no collection %q (have %s)", id, strings.Join(order, ", "))
	}
	r, err := parse(id, bytes.NewReader(b), false)
	if err != nil {
		return nil, err
	}
	cache[id] = r
	return r, nil
}

func parse(id string, rd io.Reader, headerOnly bool) (*record, error) {
	zr, err := gzip.NewReader(rd)
	if err != nil {
		return nil, fmt.Errorf("refdata: %s: %v", id, err)
	}
	br := bufio.NewReaderSize(zr, 1<<16)
	r := &record{}
	n := 0
	for {
		line, err := br.ReadString('\n')
		if line == "" && err != nil {
			if err == io.EOF {
				break
			}
			return nil, fmt.Errorf("refdata: %s: %v", id, err)
		}
		n++
		line = strings.TrimSuffix(line, "\n")
		f := strings.Split(line, "\t")
		switch {
		case n == 1:
			if len(f) != 2 || f[0] != "#her2het-refdata" || f[1] != "1" {
				return nil, fmt.Errorf("refdata: %s: not a her2het-refdata v1 file", id)
			}
		case strings.HasPrefix(f[0], "@"):
			if len(f) != 2 {
				return nil, fmt.Errorf("refdata: %s:%d: metadata needs 2 fields", id, n)
			}
			c := &r.coll
			switch f[0][1:] {
			case "id":
				c.ID = f[1]
			case "kind":
				c.Kind = f[1]
			case "name":
				c.Name = f[1]
			case "version":
				c.Version = f[1]
			case "citation":
				c.Citation = f[1]
			case "licence":
				c.Licence = f[1]
			case "url":
				c.URL = f[1]
			case "source":
				c.Sources = append(c.Sources, f[1])
			case "nsets":
				if c.NSets, err = strconv.Atoi(f[1]); err != nil {
					return nil, fmt.Errorf("refdata: %s:%d: %v", id, n, err)
				}
			}
		default:
			if headerOnly {
				return r, nil
			}
			r.lines = append(r.lines, f)
		}
	}
	if r.coll.ID != id {
		return nil, fmt.Errorf("refdata: file for %q holds %q", id, r.coll.ID)
	}
	return r, nil
}

var (
	collOnce sync.Once
	colls    []Collection
	collErr  error
)

// Collections lists the embedded collections with their citation and licence,
// in a fixed order (gene-set collections first). Only the file headers are read.
func Collections() []Collection {
	collOnce.Do(func() {
		for _, id := range order {
			b, err := files.ReadFile("data/" + id + ".txt.gz")
			if err != nil {
				collErr = err
				return
			}
			r, err := parse(id, bytes.NewReader(b), true)
			if err != nil {
				collErr = err
				return
			}
			colls = append(colls, r.coll)
		}
	})
	if collErr != nil {
		panic("refdata: corrupt embedded bundle: " + collErr.Error())
	}
	out := make([]Collection, len(colls))
	for i, c := range colls {
		c.Sources = append([]string(nil), c.Sources...)
		out[i] = c
	}
	return out
}

// Lookup returns the description of collection id.
func Lookup(id string) (Collection, bool) {
	for _, c := range Collections() {
		if c.ID == id {
			return c, true
		}
	}
	return Collection{}, false
}

// GeneSet is one embedded gene set with both identifier forms.
// Symbols[i] and Entrez[i] describe the same gene; Entrez[i] is "" when the
// published symbol could not be resolved to one NCBI gene.
type GeneSet struct {
	Name        string
	Description string
	Symbols     []string
	Entrez      []string
}

// GeneSets returns the sets of a gene-set collection with symbols and Entrez IDs.
func GeneSets(id string) ([]GeneSet, error) {
	r, err := load(id)
	if err != nil {
		return nil, err
	}
	if r.coll.Kind != "genesets" {
		return nil, fmt.Errorf("refdata: collection %q holds %s, not gene sets", id, r.coll.Kind)
	}
	var out []GeneSet
	for i := 0; i < len(r.lines); i++ {
		l := r.lines[i]
		if l[0] != "S" || len(l) != 3 || i+2 >= len(r.lines) || r.lines[i+1][0] != "G" || r.lines[i+2][0] != "E" ||
			len(r.lines[i+1]) != len(r.lines[i+2]) {
			return nil, fmt.Errorf("refdata: %s: malformed set record %d", id, i)
		}
		gs := GeneSet{Name: l[1], Description: l[2],
			Symbols: append([]string(nil), r.lines[i+1][1:]...),
			Entrez:  append([]string(nil), r.lines[i+2][1:]...)}
		for j, e := range gs.Entrez {
			if e == "-" {
				gs.Entrez[j] = ""
			}
		}
		out = append(out, gs)
		i += 2
	}
	return out, nil
}

// Sets returns the sets of a gene-set collection with the genes as published
// (HGNC symbols, some outdated). Use EntrezSets to match through the gene map.
func Sets(id string) ([]geneset.Set, error) {
	gs, err := GeneSets(id)
	if err != nil {
		return nil, err
	}
	out := make([]geneset.Set, len(gs))
	for i, s := range gs {
		out[i] = geneset.Set{Name: s.Name, Description: s.Description, Genes: s.Symbols}
	}
	return out, nil
}

// EntrezSets returns the sets of a gene-set collection with NCBI Entrez IDs as
// genes, and for each set the published symbols that could not be resolved
// (left out of Genes). Two symbols resolving to the same gene are kept once.
func EntrezSets(id string) (sets []geneset.Set, unresolved [][]string, err error) {
	gs, err := GeneSets(id)
	if err != nil {
		return nil, nil, err
	}
	sets = make([]geneset.Set, len(gs))
	unresolved = make([][]string, len(gs))
	for i, s := range gs {
		seen := map[string]bool{}
		var genes []string
		for j, e := range s.Entrez {
			switch {
			case e == "":
				unresolved[i] = append(unresolved[i], s.Symbols[j])
			case !seen[e]:
				seen[e] = true
				genes = append(genes, e)
			}
		}
		sets[i] = geneset.Set{Name: s.Name, Description: s.Description, Genes: genes}
	}
	return sets, unresolved, nil
}

// PAM50Model is the PAM50 centroid classifier as distributed in genefu.
type PAM50Model struct {
	Name      string      // "pam50", "pam50.robust" or "pam50.scale"
	Std       string      // gene standardisation: "none", "robust" or "scale"
	MethodCor string      // "spearman"
	RescaleQ  float64     // 0.05: robust rescaling uses the q/2 and 1-q/2 quantiles
	Mins      int         // genefu's minimum cluster size (prediction strength only)
	Subtypes  []string    // Basal, Her2, LumA, LumB, Normal
	Probes    []string    // centroid probe names (the published symbols)
	Symbols   []string    // symbols as published (CDCA1, KNTC2, ORC6L are outdated)
	Entrez    []string    // NCBI Entrez IDs, the key genefu maps by
	Centroids [][]float64 // [gene][subtype]
}

// PAM50 returns genefu's PAM50 model name: "pam50" (std none), "pam50.robust"
// (the model molecular.subtyping uses) or "pam50.scale". The centroids are the
// same in the three; only Std differs.
func PAM50(name string) (*PAM50Model, error) {
	r, err := load("pam50")
	if err != nil {
		return nil, err
	}
	m := &PAM50Model{}
	found := false
	for _, l := range r.lines {
		switch l[0] {
		case "C":
			m.Subtypes = append([]string(nil), l[1:]...)
		case "P":
			if len(l) != 4+len(m.Subtypes) {
				return nil, fmt.Errorf("refdata: pam50: malformed centroid line %v", l)
			}
			m.Probes = append(m.Probes, l[1])
			m.Symbols = append(m.Symbols, l[2])
			m.Entrez = append(m.Entrez, l[3])
			row := make([]float64, len(m.Subtypes))
			for k := range row {
				if row[k], err = strconv.ParseFloat(l[4+k], 64); err != nil {
					return nil, fmt.Errorf("refdata: pam50: %v", err)
				}
			}
			m.Centroids = append(m.Centroids, row)
		case "M":
			if len(l) != 7 || l[1] != name {
				continue
			}
			found = true
			m.Name, m.Std, m.MethodCor = l[1], l[2], l[3]
			if m.RescaleQ, err = strconv.ParseFloat(l[5], 64); err != nil {
				return nil, fmt.Errorf("refdata: pam50: %v", err)
			}
			if m.Mins, err = strconv.Atoi(l[6]); err != nil {
				return nil, fmt.Errorf("refdata: pam50: %v", err)
			}
		}
	}
	if !found {
		return nil, fmt.Errorf("refdata: no PAM50 model %q (have pam50, pam50.robust, pam50.scale)", name)
	}
	return m, nil
}

// ProgenyModel is a PROGENy weight matrix, genes x pathways, zero where a gene
// is not among a pathway's top genes (progeny:::getModel).
type ProgenyModel struct {
	Top      int
	Pathways []string    // Androgen, EGFR, Estrogen, Hypoxia, JAK-STAT, MAPK, NFkB, p53, PI3K, TGFb, TNFa, Trail, VEGF, WNT
	Genes    []string    // symbols as in the model, sorted (C locale)
	Entrez   []string    // "" when unresolved
	Weights  [][]float64 // [gene][pathway]
}

// MaxProgenyTop is the largest top that Progeny can serve from the embedded model.
const MaxProgenyTop = 1000

// Progeny returns the human PROGENy model with the top genes of each pathway as
// progeny:::getModel(organism="Human", top) in progeny 1.20 selects them:
// dplyr::top_n(top, wt=-p.value) per pathway, which keeps every gene whose
// p-value has min-rank <= top (ties at the boundary are all kept).
// top must be in [1, MaxProgenyTop].
func Progeny(top int) (*ProgenyModel, error) {
	if top < 1 || top > MaxProgenyTop {
		return nil, fmt.Errorf("refdata: PROGENy top must be between 1 and %d, got %d", MaxProgenyTop, top)
	}
	r, err := load("progeny")
	if err != nil {
		return nil, err
	}
	m := &ProgenyModel{Top: top}
	pwIndex := map[string]int{}
	type w struct {
		gene, entrez string
		pw           int
		weight       float64
	}
	var ws []w
	// lines are grouped by pathway in ascending p-value order
	var lastPW string
	var lastP float64
	var pos, minRank int
	for _, l := range r.lines {
		if l[0] != "W" {
			continue
		}
		if len(l) != 6 {
			return nil, fmt.Errorf("refdata: progeny: malformed weight line %v", l)
		}
		p, err1 := strconv.ParseFloat(l[5], 64)
		wt, err2 := strconv.ParseFloat(l[4], 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("refdata: progeny: bad number in %v", l)
		}
		if l[1] != lastPW {
			lastPW, pos, minRank = l[1], 0, 0
			if _, ok := pwIndex[l[1]]; !ok {
				pwIndex[l[1]] = len(m.Pathways)
				m.Pathways = append(m.Pathways, l[1])
			}
		}
		pos++
		if pos == 1 || p != lastP {
			minRank = pos
		}
		lastP = p
		if minRank > top {
			continue
		}
		e := l[3]
		if e == "-" {
			e = ""
		}
		ws = append(ws, w{l[2], e, pwIndex[l[1]], wt})
	}
	geneIdx := map[string]int{}
	for _, x := range ws {
		if _, ok := geneIdx[x.gene]; !ok {
			geneIdx[x.gene] = 0
			m.Genes = append(m.Genes, x.gene)
		}
	}
	sort.Strings(m.Genes)
	entrez := map[string]string{}
	for _, x := range ws {
		entrez[x.gene] = x.entrez
	}
	m.Entrez = make([]string, len(m.Genes))
	m.Weights = make([][]float64, len(m.Genes))
	for i, g := range m.Genes {
		geneIdx[g] = i
		m.Entrez[i] = entrez[g]
		m.Weights[i] = make([]float64, len(m.Pathways))
	}
	for _, x := range ws {
		m.Weights[geneIdx[x.gene]][x.pw] = x.weight
	}
	return m, nil
}
