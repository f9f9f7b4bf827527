package refdata

import (
	"github.com/her2het/her2het/core/genemap"
	"github.com/her2het/her2het/core/geneset"
)

// Matcher finds the rows of an expression matrix that hold the genes of a
// reference model, whatever identifiers the matrix uses (symbols, old symbols,
// Entrez or Ensembl IDs, "ENSG...|SYMBOL" forms).
//
// Rule: a model gene is matched first by its symbol spelled exactly as in the
// matrix (the first such row, as R's x[symbol, ] does), else through NCBI
// Entrez IDs: every matrix identifier is resolved once with genemap.Resolve, and
// the first row resolving to the gene's Entrez ID is used. The first rule alone
// reproduces the R packages on symbol-named input; the second rescues outdated
// symbols (CDCA1 = NUF2) and other identifier types.
type Matcher struct {
	ids    []string
	exact  map[string]int
	entrez map[string][]int // Entrez ID -> rows, in matrix order
	kinds  []genemap.MatchKind
}

// NewMatcher resolves the row identifiers ids through m (nil: genemap.Default()).
func NewMatcher(ids []string, m *genemap.Map) *Matcher {
	if m == nil {
		m = genemap.Default()
	}
	mt := &Matcher{ids: ids, exact: make(map[string]int, len(ids)), entrez: make(map[string][]int, len(ids)),
		kinds: make([]genemap.MatchKind, len(ids))}
	for i, id := range ids {
		if _, dup := mt.exact[id]; !dup {
			mt.exact[id] = i
		}
		g, how, ok := m.Resolve(id)
		mt.kinds[i] = how
		if ok && g.Entrez != "" {
			mt.entrez[g.Entrez] = append(mt.entrez[g.Entrez], i)
		}
	}
	return mt
}

// Row returns the matrix row of a model gene given by symbol and Entrez ID
// ("" if unknown), or -1.
func (mt *Matcher) Row(symbol, entrez string) int {
	if r, ok := mt.exact[symbol]; ok {
		return r
	}
	if entrez != "" {
		if rs := mt.entrez[entrez]; len(rs) > 0 {
			return rs[0]
		}
	}
	return -1
}

// EntrezRows returns every matrix row that resolves to the Entrez ID, in matrix
// order (genefu's geneid.map then keeps the most variable one).
func (mt *Matcher) EntrezRows(entrez string) []int {
	return append([]int(nil), mt.entrez[entrez]...)
}

// Kind returns how row i's identifier was resolved.
func (mt *Matcher) Kind(i int) genemap.MatchKind { return mt.kinds[i] }

// ToEntrez maps the genes of user gene sets (symbols, aliases, Entrez or
// Ensembl IDs, e.g. from a GMT file) to NCBI Entrez IDs through m (nil:
// genemap.Default()), so that they match matrices whatever identifiers each
// side uses. Genes are kept once per set, in order; identifiers that resolve to
// no gene, or to several (an ambiguous alias), are returned per set in
// unresolved, never dropped silently.
func ToEntrez(sets []geneset.Set, m *genemap.Map) (out []geneset.Set, unresolved [][]string) {
	if m == nil {
		m = genemap.Default()
	}
	out = make([]geneset.Set, len(sets))
	unresolved = make([][]string, len(sets))
	for i, s := range sets {
		seen := map[string]bool{}
		var genes []string
		for _, id := range s.Genes {
			g, _, ok := m.Resolve(id)
			if !ok || g.Entrez == "" {
				unresolved[i] = append(unresolved[i], id)
				continue
			}
			if !seen[g.Entrez] {
				seen[g.Entrez] = true
				genes = append(genes, g.Entrez)
			}
		}
		out[i] = geneset.Set{Name: s.Name, Description: s.Description, Genes: genes}
	}
	return out, unresolved
}
