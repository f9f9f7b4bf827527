// Command gen builds core/genemap/genes.tsv.gz, the embedded human gene table.
//
// Run by hand from the repository root:
//
//	go run ./core/genemap/gen -refdata /work/shared/refdata/genes -out core/genemap/genes.tsv.gz
//
// Inputs (see refdata PROVENANCE.md):
//   - orgHsEgDb_3.16.0_gene_map.tsv.gz: NCBI Gene via Bioconductor org.Hs.eg.db 3.16
//     (Entrez ID, symbol, type, chromosome, Ensembl IDs, aliases incl. previous symbols)
//   - gencode.v36.annotation.genes.tsv.gz: GENCODE v36 genes (Frankish et al. 2019)
//   - geneInfoHT_gencode_length_gc.tsv.gz: GDC gene lengths (GENCODE v22)
//
// Output: gzip TSV, header `entrez symbol ensembl aliases type chr length`, one row per
// gene; ensembl and aliases are ';'-separated; Ensembl IDs unversioned. Genes present in
// GENCODE v36 but in no org.Hs.eg.db row get a row with an empty entrez field and the
// GENCODE name as symbol. A GENCODE name that differs from the NCBI symbol becomes an alias.
// An Ensembl ID that NCBI lists for several genes is kept only for the gene whose
// symbol is GENCODE's name for that ID (when exactly one is).
package main

import (
	"bufio"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

type row struct {
	entrez, symbol, typ, chr string
	ensembl, aliases         []string
	length                   string
}

func readTSV(path string, fn func(f []string)) {
	fh, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer fh.Close()
	zr, err := gzip.NewReader(fh)
	if err != nil {
		log.Fatal(err)
	}
	br := bufio.NewReaderSize(zr, 1<<20)
	first := true
	for {
		line, err := br.ReadString('\n')
		if len(line) > 0 {
			line = strings.TrimRight(line, "\r\n")
			if !first {
				fn(strings.Split(line, "\t"))
			}
			first = false
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			log.Fatal(err)
		}
	}
}

func stripVersion(id string) string {
	if i := strings.IndexByte(id, '.'); i >= 0 {
		return id[:i]
	}
	return id
}

func main() {
	dir := flag.String("refdata", "/work/shared/refdata/genes", "folder with the gene tables")
	out := flag.String("out", "core/genemap/genes.tsv.gz", "output file")
	flag.Parse()

	var rows []*row
	byEns := map[string][]*row{}
	readTSV(filepath.Join(*dir, "orgHsEgDb_3.16.0_gene_map.tsv.gz"), func(f []string) {
		if len(f) < 8 {
			log.Fatalf("org.Hs.eg.db row with %d fields", len(f))
		}
		r := &row{entrez: f[0], symbol: f[1], typ: f[3], chr: f[4]}
		if f[6] != "" && f[6] != "NA" {
			r.ensembl = strings.Split(f[6], ";")
		}
		if f[7] != "" && f[7] != "NA" {
			for _, a := range strings.Split(f[7], ";") {
				if a != "" && a != r.symbol {
					r.aliases = append(r.aliases, a)
				}
			}
		}
		rows = append(rows, r)
		for _, e := range r.ensembl {
			byEns[e] = append(byEns[e], r)
		}
	})
	lengths := map[string]string{}
	readTSV(filepath.Join(*dir, "geneInfoHT_gencode_length_gc.tsv.gz"), func(f []string) {
		if len(f) >= 2 {
			lengths[stripVersion(f[0])] = f[1]
		}
	})
	nOnly := 0
	gencodeName := map[string]string{}
	readTSV(filepath.Join(*dir, "gencode.v36.annotation.genes.tsv.gz"), func(f []string) {
		if len(f) >= 2 && !strings.HasSuffix(f[0], "_PAR_Y") {
			gencodeName[stripVersion(f[0])] = f[1]
		}
	})
	// An Ensembl ID that NCBI gives to several genes stays only with the gene whose
	// symbol is GENCODE's name for it, when exactly one is.
	nShared := 0
	for ens, rs := range byEns {
		if len(rs) < 2 {
			continue
		}
		keep := -1
		for i, r := range rs {
			if r.symbol == gencodeName[ens] {
				if keep >= 0 {
					keep = -2
					break
				}
				keep = i
			}
		}
		if keep < 0 {
			continue
		}
		for i, r := range rs {
			if i != keep {
				r.ensembl = remove(r.ensembl, ens)
			}
		}
		byEns[ens] = []*row{rs[keep]}
		nShared++
	}
	log.Printf("%d shared Ensembl IDs given to the gene GENCODE names", nShared)
	readTSV(filepath.Join(*dir, "gencode.v36.annotation.genes.tsv.gz"), func(f []string) {
		if len(f) < 5 {
			log.Fatalf("gencode row with %d fields", len(f))
		}
		id := f[0]
		if strings.HasSuffix(id, "_PAR_Y") {
			return // the PAR_Y copy shares its gene with the X copy
		}
		ens := stripVersion(id)
		if rs, ok := byEns[ens]; ok {
			for _, r := range rs {
				if f[1] != r.symbol && !contains(r.aliases, f[1]) && len(rs) == 1 {
					r.aliases = append(r.aliases, f[1])
				}
			}
			return
		}
		chr := strings.TrimPrefix(f[4], "chr")
		r := &row{symbol: f[1], typ: f[2], chr: chr, ensembl: []string{ens}}
		rows = append(rows, r)
		byEns[ens] = []*row{r}
		nOnly++
	})
	for _, r := range rows {
		if len(r.ensembl) > 0 {
			r.length = lengths[r.ensembl[0]]
		}
		sort.Strings(r.aliases)
	}

	fh, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	zw, _ := gzip.NewWriterLevel(fh, gzip.BestCompression)
	bw := bufio.NewWriter(zw)
	fmt.Fprintln(bw, "entrez\tsymbol\tensembl\taliases\ttype\tchr\tlength")
	for _, r := range rows {
		fmt.Fprintf(bw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.entrez, r.symbol, strings.Join(r.ensembl, ";"),
			strings.Join(r.aliases, ";"), r.typ, r.chr, r.length)
	}
	if err := bw.Flush(); err != nil {
		log.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		log.Fatal(err)
	}
	if err := fh.Close(); err != nil {
		log.Fatal(err)
	}
	log.Printf("%d genes (%d GENCODE-only) -> %s", len(rows), nOnly, *out)
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

func remove(xs []string, s string) []string {
	out := xs[:0]
	for _, x := range xs {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}
