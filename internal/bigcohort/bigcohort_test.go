package bigcohort

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestWriteCounts: the header, one row per gene with one whole count per
// sample, the same bytes on every call, and the 2-fold genes higher in group
// B; the SHA-256 pins the data the browser tests' expectations were made on.
func TestWriteCounts(t *testing.T) {
	f, err := os.Open("../../core/genemap/genes.tsv.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ids, err := GeneIDs(f, 3000)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		genes, samples int
		sha            string
	}{
		{3000, 40, wantSHA3000x40},
		{700, 8, ""},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%dx%d", tc.genes, tc.samples), func(t *testing.T) {
			var a, b bytes.Buffer
			if err := WriteCounts(&a, ids[:tc.genes], tc.samples); err != nil {
				t.Fatal(err)
			}
			WriteCounts(&b, ids[:tc.genes], tc.samples)
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Fatal("two calls wrote different bytes")
			}
			lines := strings.Split(strings.TrimSuffix(a.String(), "\n"), "\n")
			if len(lines) != tc.genes+1 {
				t.Fatalf("%d lines, want %d", len(lines), tc.genes+1)
			}
			if h := strings.Split(lines[0], "\t"); len(h) != tc.samples+1 || h[0] != "gene_id" || h[1] != "S0001" {
				t.Fatalf("header %q", lines[0])
			}
			var sumA, sumB float64 // the first 600 genes: group A (even samples) vs B
			for g, l := range lines[1:] {
				c := strings.Split(l, "\t")
				if len(c) != tc.samples+1 || c[0] != ids[g] {
					t.Fatalf("row %d: %d fields, id %q", g, len(c), c[0])
				}
				for j, v := range c[1:] {
					var n int64
					if _, err := fmt.Sscan(v, &n); err != nil || n < 0 {
						t.Fatalf("row %d col %d: %q is not a count", g, j, v)
					}
					if g < 600 {
						if j%2 == 0 {
							sumA += float64(n)
						} else {
							sumB += float64(n)
						}
					}
				}
			}
			if r := sumB / sumA; r < 1.6 || r > 2.5 {
				t.Errorf("group B / group A over the first 600 genes = %.2f, want about 2", r)
			}
			if got := fmt.Sprintf("%x", sha256.Sum256(a.Bytes())); tc.sha != "" && got != tc.sha {
				t.Errorf("SHA-256 %s, want %s (the model or the seed changed)", got, tc.sha)
			}
		})
	}
}

// wantSHA3000x40 is WriteCounts' SHA-256 for the first 3,000 IDs x 40
// samples, as written by e2e's generator before it moved here.
const wantSHA3000x40 = "bada1c51ef9c3142da2005c0dfd6dee14d27d44d17bbe44c327605e24dbc1953"

// TestSheet: the header, 900 patients, 100 of them with two biopsies, and the
// rules of Sheet's comment.
func TestSheet(t *testing.T) {
	lines := strings.Split(strings.TrimSuffix(Sheet(1000), "\n"), "\n")
	if lines[0] != "sampleID\tpatientID\ttpt\tpCR\tHER2 heterogeneity\tHR\tgroup" || len(lines) != 1001 {
		t.Fatalf("header %q, %d lines", lines[0], len(lines))
	}
	pats := map[string]int{}
	for _, l := range lines[1:] {
		pats[strings.Split(l, "\t")[1]]++
	}
	two := 0
	for _, n := range pats {
		if n == 2 {
			two++
		}
	}
	if len(pats) != 900 || two != 100 {
		t.Errorf("%d patients, %d with two biopsies; want 900 and 100", len(pats), two)
	}
	for _, tc := range []struct{ row, want string }{
		{lines[1], "S0001\tP0001\tPre\tno\tnon-HET\tnegative\tA"},
		{lines[2], "S0002\tP0001\tPost\tno\tnon-HET\tnegative\tB"},
		{lines[8], "S0008\tP0004\tPost\tno\tHET\tpositive\tB"},
		{lines[201], "S0201\tP0101\tPre\tno\tnon-HET\tnegative\tA"},
	} {
		if tc.row != tc.want {
			t.Errorf("row %q, want %q", tc.row, tc.want)
		}
	}
}
