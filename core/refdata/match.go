package refdata

import (
	"fmt"
	"hash/maphash"
	"sync"

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
// Resolving is the costly part (tens of ms for 20,000 identifiers), so the last
// few matchers are kept and reused for an identical identifier list; a Matcher
// is read-only and safe for concurrent use.
func NewMatcher(ids []string, m *genemap.Map) *Matcher {
	if m == nil {
		m = genemap.Default()
	}
	key := matcherKey(ids, m)
	matcherMu.Lock()
	for _, c := range matcherCache {
		if c.key == key && sameIDs(c.mt.ids, ids) {
			matcherMu.Unlock()
			return c.mt
		}
	}
	matcherMu.Unlock()
	mt := newMatcher(ids, m)
	matcherMu.Lock()
	matcherCache = append(matcherCache, cachedMatcher{key, mt})
	if len(matcherCache) > 4 {
		matcherCache = matcherCache[1:]
	}
	matcherMu.Unlock()
	return mt
}

type cachedMatcher struct {
	key uint64
	mt  *Matcher
}

var (
	matcherMu    sync.Mutex
	matcherCache []cachedMatcher
)

var matcherSeed = maphash.MakeSeed()

func matcherKey(ids []string, m *genemap.Map) uint64 {
	var h maphash.Hash
	h.SetSeed(matcherSeed)
	h.WriteString(fmt.Sprintf("%p\x00%d\x00", m, len(ids)))
	for _, id := range ids {
		h.WriteString(id)
		h.WriteByte(0)
	}
	return h.Sum64()
}

func sameIDs(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func newMatcher(ids []string, m *genemap.Map) *Matcher {
	ids = append([]string(nil), ids...) // the caller may reuse its slice
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
