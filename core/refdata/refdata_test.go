package refdata

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"
)

func TestCollections(t *testing.T) {
	want := map[string]struct {
		kind  string
		nsets int
	}{
		"hallmark": {"genesets", 50}, "reactome": {"genesets", 72}, "wikipathways": {"genesets", 992},
		"mcpcounter": {"genesets", 10}, "estimate": {"genesets", 2}, "danaher": {"genesets", 14},
		"breast": {"genesets", 14}, "pam50": {"pam50", 5}, "progeny": {"progeny", 14},
	}
	cs := Collections()
	if len(cs) != len(want) {
		t.Fatalf("got %d collections, want %d", len(cs), len(want))
	}
	for _, c := range cs {
		w, ok := want[c.ID]
		if !ok {
			t.Errorf("unexpected collection %q", c.ID)
			continue
		}
		if c.Kind != w.kind || c.NSets != w.nsets {
			t.Errorf("%s: kind %s nsets %d, want %s %d", c.ID, c.Kind, c.NSets, w.kind, w.nsets)
		}
		if c.Citation == "" || c.Licence == "" || c.Name == "" || c.Version == "" || len(c.Sources) == 0 {
			t.Errorf("%s: missing citation/licence/name/version/sources: %+v", c.ID, c)
		}
		if c.Kind == "genesets" {
			sets, err := Sets(c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(sets) != c.NSets {
				t.Errorf("%s: Sets gives %d sets, header says %d", c.ID, len(sets), c.NSets)
			}
		}
	}
	if _, ok := Lookup("nope"); ok {
		t.Error("Lookup(nope) succeeded")
	}
	if _, err := Sets("nope"); err == nil {
		t.Error("Sets(nope) gave no error")
	}
	if _, err := Sets("pam50"); err == nil {
		t.Error("Sets(pam50) gave no error")
	}
}

func TestSetsContent(t *testing.T) {
	cases := []struct {
		coll, set string
		n         int
		has       []string // symbol=entrez
	}{
		{"hallmark", "HALLMARK_ESTROGEN_RESPONSE_EARLY", 200, []string{"GREB1=9687", "TFF1=7031"}},
		{"mcpcounter", "MCPCOUNTER_CD8_T_CELLS", 1, []string{"CD8B=926"}},
		{"danaher", "DANAHER2017_CD45", 1, []string{"PTPRC=5788"}},
		{"breast", "PAM50_50GENES", 50, []string{"NUF2=83540", "NDC80=10403", "ORC6=23594", "ERBB2=2064"}},
		{"estimate", "ESTIMATE_IMMUNE_SIGNATURE", 141, []string{"PTPRC=5788"}},
		{"reactome", "Signaling by ERBB2", 0, []string{"ERBB2=2064"}},
	}
	for _, c := range cases {
		t.Run(c.coll+"/"+c.set, func(t *testing.T) {
			gs, err := GeneSets(c.coll)
			if err != nil {
				t.Fatal(err)
			}
			var s *GeneSet
			for i := range gs {
				if gs[i].Name == c.set {
					s = &gs[i]
				}
			}
			if s == nil {
				t.Fatalf("set %s not found", c.set)
			}
			if c.n > 0 && len(s.Symbols) != c.n {
				t.Errorf("%d genes, want %d", len(s.Symbols), c.n)
			}
			pairs := map[string]bool{}
			for i := range s.Symbols {
				pairs[s.Symbols[i]+"="+s.Entrez[i]] = true
			}
			for _, h := range c.has {
				if !pairs[h] {
					t.Errorf("missing %s", h)
				}
			}
		})
	}
}

func TestEntrezSetsReportsUnresolved(t *testing.T) {
	sets, unres, err := EntrezSets("mcpcounter")
	if err != nil {
		t.Fatal(err)
	}
	gs, _ := GeneSets("mcpcounter")
	total := 0
	for i := range sets {
		total += len(unres[i])
		if len(sets[i].Genes)+len(unres[i]) > len(gs[i].Symbols) {
			t.Errorf("%s: %d genes + %d unresolved > %d symbols", sets[i].Name, len(sets[i].Genes), len(unres[i]), len(gs[i].Symbols))
		}
		for _, g := range sets[i].Genes {
			if g == "" || strings.Trim(g, "0123456789") != "" {
				t.Errorf("%s: non-Entrez gene %q", sets[i].Name, g)
			}
		}
	}
	if total == 0 {
		t.Error("expected MGC40069 to be reported unresolved")
	}
}

func TestPAM50(t *testing.T) {
	for _, c := range []struct{ name, std string }{{"pam50", "none"}, {"pam50.robust", "robust"}, {"pam50.scale", "scale"}} {
		m, err := PAM50(c.name)
		if err != nil {
			t.Fatal(err)
		}
		if m.Std != c.std || m.MethodCor != "spearman" || m.RescaleQ != 0.05 || m.Mins != 5 {
			t.Errorf("%s: settings %+v", c.name, m)
		}
		if len(m.Probes) != 50 || len(m.Centroids) != 50 || strings.Join(m.Subtypes, ",") != "Basal,Her2,LumA,LumB,Normal" {
			t.Fatalf("%s: %d genes, subtypes %v", c.name, len(m.Probes), m.Subtypes)
		}
		// ACTR3B Basal centroid, pam50_centroids.tsv line 2
		if m.Probes[0] != "ACTR3B" || m.Entrez[0] != "57180" || m.Centroids[0][0] != 0.718331891 {
			t.Errorf("%s: first gene %s %s %v", c.name, m.Probes[0], m.Entrez[0], m.Centroids[0])
		}
	}
	if _, err := PAM50("pam50.unknown"); err == nil {
		t.Error("unknown model accepted")
	}
}

func TestProgeny(t *testing.T) {
	cases := []struct {
		top, genes int // genes: rows of progeny:::getModel("Human", top) in progeny 1.20
	}{
		{100, 1301},
		{1, 13}, // DUSP6 is the top gene of both EGFR and MAPK
	}
	for _, c := range cases {
		t.Run(fmt.Sprint(c.top), func(t *testing.T) {
			m, err := Progeny(c.top)
			if err != nil {
				t.Fatal(err)
			}
			if len(m.Pathways) != 14 || m.Pathways[7] != "p53" || m.Pathways[8] != "PI3K" {
				t.Fatalf("pathways %v", m.Pathways)
			}
			if c.genes > 0 && len(m.Genes) != c.genes {
				t.Errorf("%d genes, want %d", len(m.Genes), c.genes)
			}
			for p := range m.Pathways {
				n := 0
				for g := range m.Genes {
					if m.Weights[g][p] != 0 {
						n++
					}
				}
				if n < c.top {
					t.Errorf("%s: %d genes, want >= %d", m.Pathways[p], n, c.top)
				}
			}
		})
	}
	m, _ := Progeny(100)
	for i, g := range m.Genes {
		if g == "TMPRSS2" {
			// model_human_full: TMPRSS2 Androgen weight
			if math.Abs(m.Weights[i][0]-11.4906307374) > 1e-9 || m.Entrez[i] != "7113" {
				t.Errorf("TMPRSS2 Androgen weight %v entrez %s", m.Weights[i][0], m.Entrez[i])
			}
		}
	}
	for _, bad := range []int{0, -1, MaxProgenyTop + 1} {
		if _, err := Progeny(bad); err == nil {
			t.Errorf("Progeny(%d) gave no error", bad)
		}
	}
}

func BenchmarkProgeny100(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Progeny(100); err != nil {
			b.Fatal(err)
		}
	}
}

func TestMatcher(t *testing.T) {
	ids := []string{"ERBB2", "NUF2", "CDCA1", "ENSG00000141738", "7113", "ERBB2"}
	mt := NewMatcher(ids, nil)
	cases := []struct {
		symbol, entrez string
		want           int
	}{
		{"ERBB2", "2064", 0},  // exact symbol, first of two rows
		{"CDCA1", "83540", 2}, // exact (outdated) symbol wins over the NUF2 row
		{"NUF2", "83540", 1},
		{"GRB7", "2886", 3},    // through Ensembl
		{"TMPRSS2", "7113", 4}, // through Entrez
		{"KNTC2", "10403", -1}, // absent
		{"NOPE", "", -1},
	}
	for _, c := range cases {
		if got := mt.Row(c.symbol, c.entrez); got != c.want {
			t.Errorf("Row(%s, %s) = %d, want %d", c.symbol, c.entrez, got, c.want)
		}
	}
	if rs := mt.EntrezRows("83540"); len(rs) != 2 || rs[0] != 1 || rs[1] != 2 {
		t.Errorf("EntrezRows(83540) = %v", rs)
	}
}

func FuzzParse(f *testing.F) {
	for _, id := range []string{"mcpcounter", "pam50"} {
		b, err := files.ReadFile("data/" + id + ".txt.gz")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(id, b)
	}
	f.Fuzz(func(t *testing.T, id string, b []byte) {
		// must never panic, whatever the bytes
		_, _ = parse(id, bytes.NewReader(b), false)
		_, _ = parse(id, bytes.NewReader(b), true)
	})
}

func TestMatcherCache(t *testing.T) {
	ids := []string{"ERBB2", "GRB7", "CDCA1"}
	a := NewMatcher(ids, nil)
	b := NewMatcher([]string{"ERBB2", "GRB7", "CDCA1"}, nil)
	if a != b {
		t.Error("identical identifier lists did not share a matcher")
	}
	ids[2] = "NUF2" // the caller reuses its slice: the cached matcher must not change
	c := NewMatcher(ids, nil)
	if c == a || a.Row("CDCA1", "") != 2 || c.Row("NUF2", "") != 2 || c.Row("CDCA1", "") != -1 {
		t.Errorf("cache confused lists: %p %p, rows %d %d %d", a, c, a.Row("CDCA1", ""), c.Row("NUF2", ""), c.Row("CDCA1", ""))
	}
}
