package genemap

import (
	"fmt"
	"testing"
)

func TestResolve(t *testing.T) {
	m := Default()
	cases := []struct {
		name, id, symbol string
		how              MatchKind
		ok               bool
	}{
		{"symbol", "ERBB2", "ERBB2", BySymbol, true},
		{"symbol lower", "erbb2", "ERBB2", BySymbolCase, true},
		{"alias", "HER2", "ERBB2", ByAlias, true},
		{"entrez", "2064", "ERBB2", ByEntrez, true},
		{"LOC entrez", "LOC2064", "ERBB2", ByEntrez, true},
		{"ensembl", "ENSG00000141736", "ERBB2", ByEnsembl, true},
		{"ensembl versioned", "ENSG00000141736.14", "ERBB2", ByEnsembl, true},
		{"ensembl PAR_Y", "ENSG00000002586.20_PAR_Y", "CD99", ByEnsembl, true},
		{"ens|symbol", "ENSG00000141736.14|ERBB2", "ERBB2", ByEnsembl, true},
		{"shared ensembl goes to GENCODE name", "ENSG00000228262", "LINC01320", ByEnsembl, true},
		{"shared ensembl GAGE", "ENSG00000215269.5", "GAGE12G", ByEnsembl, true},
		{"symbol|entrez", "ERBB2|2064", "ERBB2", ByEntrez, true},
		{"tcga unknown|entrez", "?|2064", "ERBB2", ByEntrez, true},
		{"gencode header", "ENST00000269571.10|ENSG00000141736.14|OTTHUMG00000179300.5|OTTHUMT00000446486.2|ERBB2-201|ERBB2|4624|protein_coding|", "ERBB2", ByEnsembl, true},
		{"quoted", ` "ESR1" `, "ESR1", BySymbol, true},
		{"previous symbol", "SEPT9", "SEPTIN9", ByAlias, true},
		{"previous MARCH", "MARCH1", "MARCHF1", ByAlias, true},
		{"pam50 outdated CDCA1", "CDCA1", "NUF2", ByAlias, true},
		{"pam50 outdated ORC6L", "ORC6L", "ORC6", ByAlias, true},
		{"excel 1-Mar", "1-Mar", "", ExcelMangled, false},
		{"excel 9-Sep", "9-Sep", "", ExcelMangled, false},
		{"excel 1-Dec", "1-Dec", "", ExcelMangled, false},
		{"excel Mar-01", "Mar-01", "", ExcelMangled, false},
		{"excel iso", "2023-03-01", "", ExcelMangled, false},
		{"empty", "", "", Empty, false},
		{"NA", "NA", "", Empty, false},
		{"unknown", "NOTAGENE_XYZ", "", NoMatch, false},
		{"unknown ensembl", "ENSG99999999999", "", NoMatch, false},
		{"unknown entrez", "999999999", "", NoMatch, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g, how, ok := m.Resolve(c.id)
			if ok != c.ok || how != c.how || g.Symbol != c.symbol {
				t.Errorf("Resolve(%q) = (%q, %v, %v), want (%q, %v, %v)", c.id, g.Symbol, how, ok, c.symbol, c.how, c.ok)
			}
		})
	}
}

func TestAmbiguousAlias(t *testing.T) {
	m := New([]Gene{
		{Entrez: "1", Symbol: "AAA", Aliases: []string{"SHARED", "ONLYA"}},
		{Entrez: "2", Symbol: "BBB", Aliases: []string{"SHARED"}},
	})
	if _, how, ok := m.Resolve("SHARED"); ok || how != Ambiguous {
		t.Errorf("shared alias: got %v %v, want Ambiguous", how, ok)
	}
	if g, how, ok := m.Resolve("onlya"); !ok || how != ByAlias || g.Symbol != "AAA" {
		t.Errorf("unique alias: got %q %v %v", g.Symbol, how, ok)
	}
	if n := len(m.AliasCandidates("shared")); n != 2 {
		t.Errorf("AliasCandidates: %d genes, want 2", n)
	}
}

func TestUnmangle(t *testing.T) {
	m := Default()
	for id, want := range map[string]string{"1-Mar": "MARCHF1", "9-Sep": "SEPTIN9", "Sep-09": "SEPTIN9"} {
		g, ok := m.Unmangle(id)
		if !ok || g.Symbol != want {
			t.Errorf("Unmangle(%q) = %q, %v; want %q", id, g.Symbol, ok, want)
		}
	}
	if _, ok := m.Unmangle("1-Dec"); ok {
		t.Errorf("Unmangle(1-Dec): DEC1 names two genes (DELEC1, BHLHE40); want no guess")
	}
	for _, id := range []string{"ERBB2", "32-Mar", "1-Foo", "1-Mar-5"} {
		if IsExcelMangled(id) {
			t.Errorf("IsExcelMangled(%q) = true", id)
		}
	}
}

func TestTable(t *testing.T) {
	m := Default()
	if m.Len() < 90000 {
		t.Fatalf("table has %d genes, want > 90000", m.Len())
	}
	g, ok := m.Entrez("2064")
	if !ok || g.Chr != "17" || g.Type != "protein-coding" || g.Length <= 0 || g.Ensembl[0] != "ENSG00000141736" {
		t.Errorf("ERBB2 row = %+v", g)
	}
	// Property: every NCBI gene resolves back to itself by Entrez, and its symbol to a
	// gene with the same symbol.
	for i, g := range m.Genes {
		if g.Entrez == "" || i%97 != 0 {
			continue
		}
		r, how, ok := m.Resolve(g.Entrez)
		if !ok || how != ByEntrez || r.Entrez != g.Entrez {
			t.Fatalf("Resolve(%q) = %+v %v", g.Entrez, r, how)
		}
		s, _, ok := m.Resolve(g.Symbol)
		if !ok || s.Symbol != g.Symbol {
			t.Fatalf("Resolve(%q) -> %q", g.Symbol, s.Symbol)
		}
	}
}

func TestTypeOf(t *testing.T) {
	for id, want := range map[string]IDType{"ENSG1.2": IDEnsembl, "ENST1": IDTranscript, "17": IDEntrez, "A|B": IDCombined, "TP53": IDSymbol, "": IDUnknown} {
		if got := TypeOf(id); got != want {
			t.Errorf("TypeOf(%q) = %v, want %v", id, got, want)
		}
	}
	if got := DominantType([]string{"ENSG1", "ENSG2", "TP53"}); got != IDEnsembl {
		t.Errorf("DominantType = %v", got)
	}
}

func ExampleMap_Resolve() {
	g, how, ok := Default().Resolve("ENSG00000141736.14|ERBB2")
	fmt.Println(g.Symbol, g.Entrez, how, ok)
	// Output: ERBB2 2064 Ensembl true
}

func BenchmarkResolve(b *testing.B) {
	m := Default()
	ids := []string{"ERBB2", "ENSG00000141736.14", "2064", "HER2", "1-Mar", "NOPE"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		m.Resolve(ids[i%len(ids)])
	}
}

func BenchmarkDefaultParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Read(bytesReader()); err != nil {
			b.Fatal(err)
		}
	}
}
