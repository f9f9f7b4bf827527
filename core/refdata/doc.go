// Package refdata is the reference bundle embedded in her2het: published gene
// sets, the PAM50 centroids with genefu's classifier settings, and the PROGENy
// pathway weights, each with the citation and licence that must travel with it
// (Collections; shown by `her2het refdata --list` and the app's About page).
//
// # Collections
//
//	hallmark      MSigDB Hallmark 2024.1.Hs, 50 sets (CC BY 4.0)
//	reactome      Reactome ERBB/EGFR/PI3K/AKT/MTOR pathways, 72 sets (CC BY 4.0)
//	wikipathways  all 992 human WikiPathways (CC0)
//	mcpcounter    MCP-counter markers, 10 populations (CC0)
//	estimate      ESTIMATE stromal and immune 141-gene signatures
//	danaher       Danaher 2017 immune cell-type markers, 14 types
//	breast        PAM50 genes and 11-gene proliferation, Desmedt 2008 and
//	              Wirapati 2008 modules, Smid 2008 ERBB2 up/down
//	pam50         PAM50 centroids (Parker 2009 as in genefu) and the settings of
//	              genefu's pam50, pam50.robust and pam50.scale models
//	progeny       PROGENy human model (progeny 1.20): the genes of p-value rank
//	              <= 1000 per pathway, so any top <= 1000 is available
//
// # Format
//
// The files in data/ are written by the generator in gen/ (run by hand from the
// project's shared reference folder) in the project's own format: gzip-compressed
// UTF-8 text, one record per line, fields separated by tabs. The first line is
// "#her2het-refdata<TAB>1"; "@key<TAB>value" lines carry the metadata (id, kind,
// name, version, citation, licence, url, nsets, and one "@source" line per input
// file with its SHA-256). Records then depend on the kind:
//
//	genesets  S name description / G symbol... / E entrez... ("-" = unresolved)
//	pam50     C subtype... / P probe symbol entrez centroid... / M model std cor centroids q mins
//	progeny   T maxtop / W pathway symbol entrez weight p-value (by pathway, p ascending)
//
// Gene symbols are kept exactly as published (PAM50 still says CDCA1, KNTC2,
// ORC6L); the Entrez IDs were resolved by the generator through NCBI Gene as in
// org.Hs.eg.db 3.16 (current symbol, else an alias naming exactly one gene).
// Symbols that could not be resolved keep an empty Entrez ID and are never
// dropped silently: EntrezSets leaves them out and reports them.
//
// Files are parsed lazily, on the first request for a collection, and cached;
// everything returned is a fresh copy the caller may modify. The package does no
// file or network I/O and compiles for js/wasm.
package refdata
