// Command gen builds the embedded reference bundle of package refdata from the
// project's shared reference folder. It is run by hand, never by go generate or a
// test:
//
//	go run ./core/refdata/gen -src /work/shared/refdata -out core/refdata/data
//
// It reads the GMT gene-set files, the PAM50 centroids and settings and the
// PROGENy model listed in PROVENANCE.md, resolves every gene symbol to an NCBI
// Entrez ID through the org.Hs.eg.db 3.16 gene map (current symbol first, then an
// alias or previous symbol naming exactly one gene), and writes one gzip-compressed
// text file per collection in the project's own format (see ../format.go). Every
// symbol that cannot be resolved is listed on stderr; it is kept in the set with
// an empty Entrez ID, never dropped.
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

type geneMap struct {
	bySymbol map[string]string   // current symbol -> entrez
	byAlias  map[string][]string // alias -> entrez IDs
	symbolOf map[string]string   // entrez -> current symbol
}

func readGeneMap(path string) (*geneMap, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	gm := &geneMap{bySymbol: map[string]string{}, byAlias: map[string][]string{}, symbolOf: map[string]string{}}
	br := bufio.NewReaderSize(zr, 1<<20)
	header := true
	for {
		line, err := br.ReadString('\n')
		if line == "" && err != nil {
			if err == io.EOF {
				break
			}
			return nil, err
		}
		line = strings.TrimRight(line, "\r\n")
		if header {
			header = false
			continue
		}
		fs := strings.Split(line, "\t")
		if len(fs) < 8 {
			return nil, fmt.Errorf("%s: short line %q", path, line)
		}
		id, sym := fs[0], fs[1]
		gm.symbolOf[id] = sym
		if _, dup := gm.bySymbol[sym]; !dup {
			gm.bySymbol[sym] = id
		}
		for _, a := range strings.Split(fs[7], ";") {
			if a = strings.TrimSpace(a); a != "" {
				gm.byAlias[a] = append(gm.byAlias[a], id)
			}
		}
	}
	return gm, nil
}

// resolve returns the Entrez ID of a symbol, or "" with a reason.
func (gm *geneMap) resolve(sym string) (string, string) {
	if id, ok := gm.bySymbol[sym]; ok {
		return id, ""
	}
	ids := gm.byAlias[sym]
	switch len(ids) {
	case 0:
		return "", "unknown symbol"
	case 1:
		return ids[0], ""
	}
	return "", "ambiguous alias (" + strings.Join(ids, ",") + ")"
}

type meta struct {
	id, kind, name, version, citation, licence, url, source string
	nsets                                                   int
}

type writer struct {
	buf bytes.Buffer
}

func (w *writer) header(m meta, files ...string) error {
	fmt.Fprintf(&w.buf, "#her2het-refdata\t1\n")
	kv := [][2]string{{"id", m.id}, {"kind", m.kind}, {"name", m.name}, {"version", m.version},
		{"citation", m.citation}, {"licence", m.licence}, {"url", m.url}}
	for _, p := range kv {
		if strings.ContainsAny(p[1], "\t\n") {
			return fmt.Errorf("%s: metadata %s contains a tab or newline", m.id, p[0])
		}
		fmt.Fprintf(&w.buf, "@%s\t%s\n", p[0], p[1])
	}
	fmt.Fprintf(&w.buf, "@nsets\t%d\n", m.nsets)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		fmt.Fprintf(&w.buf, "@source\t%s sha256:%s\n", filepath.Base(f), hex.EncodeToString(sum[:]))
	}
	return nil
}

func (w *writer) line(fields ...string) {
	w.buf.WriteString(strings.Join(fields, "\t"))
	w.buf.WriteByte('\n')
}

func (w *writer) save(path string) error {
	var out bytes.Buffer
	zw, err := gzip.NewWriterLevel(&out, gzip.BestCompression)
	if err != nil {
		return err
	}
	// A fixed header (no name, no time) keeps the output byte-identical between runs.
	if _, err := zw.Write(w.buf.Bytes()); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(path, out.Bytes(), 0o644)
}

type gmtSet struct {
	name, desc string
	genes      []string
}

func readGMT(path string) ([]gmtSet, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var sets []gmtSet
	for i, line := range strings.Split(string(b), "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fs := strings.Split(line, "\t")
		if len(fs) < 3 {
			return nil, fmt.Errorf("%s:%d: fewer than 3 fields", path, i+1)
		}
		s := gmtSet{name: strings.TrimSpace(fs[0]), desc: strings.TrimSpace(fs[1])}
		seen := map[string]bool{}
		for _, g := range fs[2:] {
			g = strings.TrimSpace(g)
			if g == "" || seen[g] {
				continue
			}
			seen[g] = true
			s.genes = append(s.genes, g)
		}
		sets = append(sets, s)
	}
	return sets, nil
}

// writeSets writes a gene-set collection. entrezRef, if not nil, is the
// publisher's own Entrez release of the same sets (MSigDB's entrez GMT): a set
// with exactly one unresolved symbol and exactly one Entrez ID of the release
// not claimed by its resolved symbols gets that ID.
func writeSets(gm *geneMap, out string, m meta, sets []gmtSet, entrezRef map[string][]string, files ...string) error {
	w := &writer{}
	m.nsets = len(sets)
	if err := w.header(m, files...); err != nil {
		return err
	}
	unresolved := 0
	for _, s := range sets {
		w.line("S", s.name, s.desc)
		ids := make([]string, len(s.genes))
		for i, g := range s.genes {
			id, why := gm.resolve(g)
			if id == "" {
				unresolved++
				fmt.Fprintf(os.Stderr, "%s: %s: %s: %s\n", m.id, s.name, g, why)
				id = "-"
			}
			ids[i] = id
		}
		if ref, ok := entrezRef[s.name]; ok {
			var miss []int
			claimed := map[string]bool{}
			for i, id := range ids {
				if id == "-" {
					miss = append(miss, i)
				} else {
					claimed[id] = true
				}
			}
			var free []string
			for _, id := range ref {
				if !claimed[id] {
					free = append(free, id)
				}
			}
			if len(miss) == 1 && len(free) == 1 {
				fmt.Fprintf(os.Stderr, "%s: %s: %s = Entrez %s from the publisher's Entrez release\n", m.id, s.name, s.genes[miss[0]], free[0])
				ids[miss[0]] = free[0]
				unresolved--
			}
		}
		w.line(append([]string{"G"}, s.genes...)...)
		w.line(append([]string{"E"}, ids...)...)
	}
	fmt.Fprintf(os.Stderr, "%s: %d sets, %d unresolved symbols\n", m.id, len(sets), unresolved)
	return w.save(filepath.Join(out, m.id+".txt.gz"))
}

func main() {
	src := flag.String("src", "/work/shared/refdata", "shared reference folder (see PROVENANCE.md)")
	out := flag.String("out", "core/refdata/data", "output folder")
	progenyMax := flag.Int("progeny-max-top", 1000, "largest PROGENy top kept per pathway")
	flag.Parse()
	if err := run(*src, *out, *progenyMax); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(src, out string, progenyMax int) error {
	gm, err := readGeneMap(filepath.Join(src, "genes/orgHsEgDb_3.16.0_gene_map.tsv.gz"))
	if err != nil {
		return err
	}
	gs := func(f string) string { return filepath.Join(src, "genesets", f) }

	// Gene-set collections.
	type coll struct {
		m      meta
		file   string
		filter func(name string) bool
		entrez string // the publisher's Entrez GMT of the same sets, if any
	}
	colls := []coll{
		{meta{id: "hallmark", kind: "genesets", name: "MSigDB Hallmark gene sets",
			version:  "MSigDB 2024.1.Hs",
			citation: "Liberzon A, Birger C, Thorvaldsdottir H, Ghandi M, Mesirov JP, Tamayo P. The Molecular Signatures Database Hallmark Gene Set Collection. Cell Systems 2015;1:417-425. doi:10.1016/j.cels.2015.12.004",
			licence:  "CC BY 4.0", url: "https://www.gsea-msigdb.org/gsea/msigdb/human/genesets.jsp?collection=H"},
			"h.all.v2024.1.Hs.symbols.gmt", nil, "h.all.v2024.1.Hs.entrez.gmt"},
		{meta{id: "reactome", kind: "genesets", name: "Reactome ERBB, EGFR, PI3K/AKT and MTOR pathways",
			version:  "Reactome release of mid-2022",
			citation: "Gillespie M, Jassal B, Stephan R, et al. The reactome pathway knowledgebase 2022. Nucleic Acids Res 2022;50:D687-D692. doi:10.1093/nar/gkab1028",
			licence:  "CC BY 4.0", url: "https://reactome.org"},
			"reactome_erbb_pi3k.symbols.gmt", nil, ""},
		{meta{id: "wikipathways", kind: "genesets", name: "WikiPathways, all human pathways",
			version:  "WikiPathways 2025-11 GMT (992 human pathways)",
			citation: "Agrawal A, Balci H, Hanspers K, et al. WikiPathways 2024: next generation pathway database. Nucleic Acids Res 2024;52:D679-D689. doi:10.1093/nar/gkad960",
			licence:  "CC0 1.0", url: "https://www.wikipathways.org"},
			"wikipathways.symbols.gmt", nil, ""},
		{meta{id: "mcpcounter", kind: "genesets", name: "MCP-counter cell population markers",
			version:  "MCP-counter HUGO symbol markers (10 populations)",
			citation: "Becht E, Giraldo NA, Lacroix L, et al. Estimating the population abundance of tissue-infiltrating immune and stromal cell populations using gene expression. Genome Biol 2016;17:218. doi:10.1186/s13059-016-1070-5",
			licence:  "CC0 1.0", url: "https://github.com/ebecht/MCPcounter"},
			"mcpcounter.symbols.gmt", nil, ""},
		{meta{id: "estimate", kind: "genesets", name: "ESTIMATE stromal and immune signatures",
			version:  "ESTIMATE 141-gene signatures (2013)",
			citation: "Yoshihara K, Shahmoradgoli M, Martinez E, et al. Inferring tumour purity and stromal and immune cell admixture from expression data. Nat Commun 2013;4:2612. doi:10.1038/ncomms3612",
			licence:  "published gene lists", url: "https://bioinformatics.mdanderson.org/estimate/"},
			"estimate141.symbols.gmt", nil, ""},
		{meta{id: "danaher", kind: "genesets", name: "Danaher immune cell-type markers",
			version:  "Danaher 2017, 14 cell types",
			citation: "Danaher P, Warren S, Dennis L, et al. Gene expression markers of Tumor Infiltrating Leukocytes. J Immunother Cancer 2017;5:18. doi:10.1186/s40425-017-0215-8",
			licence:  "published gene lists (CC BY 4.0 article)", url: "https://doi.org/10.1186/s40425-017-0215-8"},
			"breast_signatures.symbols.gmt", func(n string) bool { return strings.HasPrefix(n, "DANAHER2017_") }, ""},
		{meta{id: "breast", kind: "genesets", name: "Breast cancer modules: PAM50 genes and proliferation, Desmedt 2008, Wirapati 2008, Smid 2008 ERBB2",
			version:  "as published",
			citation: "Parker JS et al. J Clin Oncol 2009;27:1160-1167. doi:10.1200/JCO.2008.18.1370; Desmedt C et al. Clin Cancer Res 2008;14:5158-5165. doi:10.1158/1078-0432.CCR-07-4756; Wirapati P et al. Breast Cancer Res 2008;10:R65. doi:10.1186/bcr2124; Smid M et al. Cancer Res 2008;68:3108-3114. doi:10.1158/0008-5472.CAN-07-5644",
			licence:  "published gene lists (CC BY 4.0 articles / MSigDB); genefu module files Artistic-2.0", url: "https://bioconductor.org/packages/genefu"},
			"breast_signatures.symbols.gmt", func(n string) bool { return !strings.HasPrefix(n, "DANAHER2017_") }, ""},
	}
	for _, c := range colls {
		sets, err := readGMT(gs(c.file))
		if err != nil {
			return err
		}
		if c.filter != nil {
			kept := sets[:0:0]
			for _, s := range sets {
				if c.filter(s.name) {
					kept = append(kept, s)
				}
			}
			sets = kept
		}
		var ref map[string][]string
		files := []string{gs(c.file)}
		if c.entrez != "" {
			es, err := readGMT(gs(c.entrez))
			if err != nil {
				return err
			}
			ref = map[string][]string{}
			for _, s := range es {
				ref[s.name] = s.genes
			}
			files = append(files, gs(c.entrez))
		}
		if err := writeSets(gm, out, c.m, sets, ref, files...); err != nil {
			return err
		}
	}
	if err := checkHallmarkEntrez(gm, gs("h.all.v2024.1.Hs.symbols.gmt"), gs("h.all.v2024.1.Hs.entrez.gmt")); err != nil {
		return err
	}
	if err := writePAM50(gm, src, out); err != nil {
		return err
	}
	return writeProgeny(gm, src, out, progenyMax)
}

// checkHallmarkEntrez compares the Entrez IDs the gene map gives the Hallmark
// symbols with MSigDB's own Entrez release and reports the differences.
func checkHallmarkEntrez(gm *geneMap, symFile, entFile string) error {
	sym, err := readGMT(symFile)
	if err != nil {
		return err
	}
	ent, err := readGMT(entFile)
	if err != nil {
		return err
	}
	byName := map[string]map[string]bool{}
	for _, s := range ent {
		m := map[string]bool{}
		for _, g := range s.genes {
			m[g] = true
		}
		byName[s.name] = m
	}
	diff := 0
	for _, s := range sym {
		for _, g := range s.genes {
			id, _ := gm.resolve(g)
			if !byName[s.name][id] {
				diff++
			}
		}
	}
	fmt.Fprintf(os.Stderr, "hallmark: %d symbol->Entrez resolutions through the gene map alone differ from MSigDB's Entrez GMT\n", diff)
	return nil
}

func readTSV(path string) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return nil, err
		}
		r = zr
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	var rows [][]string
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimRight(line, "\r")
		if line == "" {
			continue
		}
		rows = append(rows, strings.Split(line, "\t"))
	}
	return rows, nil
}

func writePAM50(gm *geneMap, src, out string) error {
	cf := filepath.Join(src, "pam50/pam50_centroids.tsv")
	rows, err := readTSV(cf)
	if err != nil {
		return err
	}
	w := &writer{}
	files := []string{cf}
	for _, p := range []string{"pam50_params.txt", "pam50.robust_params.txt", "pam50.scale_params.txt"} {
		files = append(files, filepath.Join(src, "pam50", p))
	}
	if err := w.header(meta{id: "pam50", kind: "pam50", name: "PAM50 centroids and genefu classifier settings",
		version:  "centroids as distributed in Bioconductor genefu (pam50, pam50.robust, pam50.scale)",
		citation: "Parker JS, Mullins M, Cheang MCU, et al. Supervised risk predictor of breast cancer based on intrinsic subtypes. J Clin Oncol 2009;27:1160-1167. doi:10.1200/JCO.2008.18.1370; Gendoo DMA et al. Genefu: an R/Bioconductor package for computation of gene expression-based signatures in breast cancer. Bioinformatics 2016;32:1097-1099. doi:10.1093/bioinformatics/btv693",
		licence:  "published figures; genefu Artistic-2.0", url: "https://bioconductor.org/packages/genefu", nsets: 5}, files...); err != nil {
		return err
	}
	if len(rows) < 2 || len(rows[0]) != 8 || rows[0][2] != "EntrezGene.ID" {
		return fmt.Errorf("%s: unexpected header %v", cf, rows[0])
	}
	w.line(append([]string{"C"}, rows[0][3:]...)...)
	for _, r := range rows[1:] {
		if len(r) != 8 {
			return fmt.Errorf("%s: row %v has %d fields", cf, r, len(r))
		}
		for _, v := range r[3:] {
			if _, err := strconv.ParseFloat(v, 64); err != nil {
				return fmt.Errorf("%s: %v", cf, err)
			}
		}
		if cur := gm.symbolOf[r[2]]; cur == "" {
			return fmt.Errorf("%s: Entrez %s of %s not in the gene map", cf, r[2], r[1])
		} else if cur != r[1] {
			fmt.Fprintf(os.Stderr, "pam50: %s is now %s (Entrez %s)\n", r[1], cur, r[2])
		}
		w.line(append([]string{"P"}, r...)...)
	}
	// The settings of genefu's three PAM50 models (pam50*_params.txt): only std differs.
	w.line("M", "pam50", "none", "spearman", "mean", "0.05", "5")
	w.line("M", "pam50.robust", "robust", "spearman", "mean", "0.05", "5")
	w.line("M", "pam50.scale", "scale", "spearman", "mean", "0.05", "5")
	for _, p := range files[1:] {
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		s := string(b)
		for _, want := range []string{`"spearman"`, `"mean"`, "rescale.q       : num 0.05", "mins            : num 5"} {
			if !strings.Contains(s, want) {
				return fmt.Errorf("%s: expected %q", p, want)
			}
		}
	}
	fmt.Fprintf(os.Stderr, "pam50: %d genes\n", len(rows)-1)
	return w.save(filepath.Join(out, "pam50.txt.gz"))
}

// progenyPathways is the column order of progeny::getModel (the factor levels of
// model_human_full$pathway in R's collation).
var progenyPathways = []string{"Androgen", "EGFR", "Estrogen", "Hypoxia", "JAK-STAT", "MAPK", "NFkB", "p53", "PI3K", "TGFb", "TNFa", "Trail", "VEGF", "WNT"}

func writeProgeny(gm *geneMap, src, out string, maxTop int) error {
	ff := filepath.Join(src, "progeny/model_human_full.tsv.gz")
	tf := filepath.Join(src, "progeny/model_human_top100.tsv")
	rows, err := readTSV(ff)
	if err != nil {
		return err
	}
	type entry struct {
		gene, weight, pval string
		p                  float64
		idx                int
	}
	by := map[string][]entry{}
	for i, r := range rows[1:] {
		if len(r) != 4 {
			return fmt.Errorf("%s: row %d has %d fields", ff, i+2, len(r))
		}
		p, err := strconv.ParseFloat(r[3], 64)
		if err != nil {
			return fmt.Errorf("%s: row %d: %v", ff, i+2, err)
		}
		if _, err := strconv.ParseFloat(r[2], 64); err != nil {
			return fmt.Errorf("%s: row %d: %v", ff, i+2, err)
		}
		by[r[1]] = append(by[r[1]], entry{r[0], r[2], r[3], p, i})
	}
	if len(by) != len(progenyPathways) {
		return fmt.Errorf("%s: %d pathways, want %d", ff, len(by), len(progenyPathways))
	}
	w := &writer{}
	if err := w.header(meta{id: "progeny", kind: "progeny", name: "PROGENy pathway responsive genes (human)",
		version:  fmt.Sprintf("progeny 1.20 model_human_full, genes with p-value rank <= %d per pathway", maxTop),
		citation: "Schubert M, Klinger B, Kluenemann M, et al. Perturbation-response genes reveal signaling footprints in cancer gene expression. Nat Commun 2018;9:20. doi:10.1038/s41467-017-02391-6",
		licence:  "Apache-2.0", url: "https://bioconductor.org/packages/progeny", nsets: len(progenyPathways)}, ff, tf); err != nil {
		return err
	}
	w.line("T", strconv.Itoa(maxTop))
	kept := 0
	top100 := map[string]bool{}
	for _, pw := range progenyPathways {
		es := by[pw]
		sort.SliceStable(es, func(a, b int) bool { return es[a].p < es[b].p })
		for i, e := range es {
			// min rank of e's p-value = 1 + number of strictly smaller p-values.
			minRank := i + 1
			for minRank > 1 && es[minRank-2].p == e.p {
				minRank--
			}
			if minRank > maxTop {
				break
			}
			if minRank <= 100 {
				top100[pw+"\t"+e.gene] = true
			}
			id, _ := gm.resolve(e.gene)
			if id == "" {
				id = "-"
			}
			w.line("W", pw, e.gene, id, e.weight, e.pval)
			kept++
		}
	}
	// Check against the distributed top-100 table.
	trows, err := readTSV(tf)
	if err != nil {
		return err
	}
	if len(trows)-1 != len(top100) {
		return fmt.Errorf("progeny: top-100 from the full model has %d genes, %s has %d", len(top100), tf, len(trows)-1)
	}
	for _, r := range trows[1:] {
		if !top100[r[1]+"\t"+r[0]] {
			return fmt.Errorf("progeny: %s/%s of %s is not in the top 100 of the full model", r[1], r[0], tf)
		}
	}
	fmt.Fprintf(os.Stderr, "progeny: %d weights kept (top-100 table agrees)\n", kept)
	return w.save(filepath.Join(out, "progeny.txt.gz"))
}
