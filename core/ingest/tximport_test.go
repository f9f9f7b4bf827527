package ingest

import (
	"bufio"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/her2het/her2het/core/dataset"
)

// readGolden reads a tximport output written by testdata/gen/tximport.R.
func readGolden(t *testing.T, path string) map[string][]float64 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][]float64{}
	sc := bufio.NewScanner(f)
	sc.Scan()
	for sc.Scan() {
		fs := strings.Split(sc.Text(), "\t")
		var v []float64
		for _, s := range fs[1:] {
			x, err := strconv.ParseFloat(s, 64)
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			v = append(v, x)
		}
		out[fs[0]] = v
	}
	return out
}

func openAll(t *testing.T, names ...string) ([]string, []*os.File) {
	t.Helper()
	var fs []*os.File
	for _, n := range names {
		f, err := os.Open(n)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		fs = append(fs, f)
	}
	return names, fs
}

func compareMatrix(t *testing.T, what string, m *dataset.Matrix, want map[string][]float64, rel float64) {
	t.Helper()
	if m.Rows() != len(want) {
		t.Fatalf("%s: %d genes, tximport has %d", what, m.Rows(), len(want))
	}
	for g, id := range m.Genes {
		w, ok := want[id]
		if !ok {
			t.Fatalf("%s: gene %s not in tximport output", what, id)
		}
		for s := range w {
			got := m.At(g, s)
			if d := math.Abs(got - w[s]); d > rel*math.Abs(w[s]) && d > 1e-300 {
				t.Errorf("%s[%s,%d] = %.17g, tximport %.17g (rel %.3g)", what, id, s, got, w[s], d/math.Abs(w[s]))
			}
		}
	}
}

func TestTximportGoldens(t *testing.T) {
	dir := "testdata/tximport"
	t2g, _, err := ReadTx2Gene("tx2gene.csv", mustOpen(t, filepath.Join(dir, "tx2gene.csv")))
	if err != nil {
		t.Fatal(err)
	}
	salmon := []string{dir + "/salmon_S1.sf", dir + "/salmon_S2.sf", dir + "/salmon_S3.sf"}
	kallisto := []string{dir + "/kallisto_K1.tsv", dir + "/kallisto_K2.tsv"}
	rsem := []string{dir + "/rsem_R1.genes.results", dir + "/rsem_R2.genes.results"}
	cases := []struct {
		name   string
		files  []string
		format Format
		cfa    CountsFromAbundance
		golden string
	}{
		{"salmon no", salmon, FormatSalmon, CFANo, "salmon_no"},
		{"salmon scaledTPM", salmon, FormatSalmon, CFAScaledTPM, "salmon_scaledTPM"},
		{"salmon lengthScaledTPM", salmon, FormatSalmon, CFALengthScaledTPM, "salmon_lengthScaledTPM"},
		{"kallisto no", kallisto, FormatKallisto, CFANo, "kallisto_no"},
		{"kallisto lengthScaledTPM", kallisto, FormatKallisto, CFALengthScaledTPM, "kallisto_lengthScaledTPM"},
		{"rsem genes", rsem, FormatRSEM, CFANo, "rsem_no"},
		{"rsem isoforms", []string{dir + "/rsem_I1.isoforms.results", dir + "/rsem_I2.isoforms.results"}, FormatRSEMIsoforms, CFANo, "rsem_isoforms_no"},
	}
	const rel = 1e-9
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			names, fs := openAll(t, c.files...)
			rs := make([]ioReader, len(fs))
			for i := range fs {
				rs[i] = fs[i]
			}
			ld, err := ReadQuants(names, toReaders(rs), Options{Format: c.format, Tx2Gene: t2g, CountsFromAbundance: c.cfa})
			if err != nil {
				t.Fatal(err)
			}
			compareMatrix(t, "counts", ld.Tx.Counts, readGolden(t, filepath.Join(dir, c.golden+".counts.tsv")), rel)
			compareMatrix(t, "abundance", ld.Tx.Abundance, readGolden(t, filepath.Join(dir, c.golden+".abundance.tsv")), rel)
			compareMatrix(t, "length", ld.Tx.Length, readGolden(t, filepath.Join(dir, c.golden+".length.tsv")), rel)
			if c.format != FormatRSEM && ld.Report.ExcludedRows != 1 {
				t.Errorf("excluded rows = %d, want 1 (the transcript missing from tx2gene)", ld.Report.ExcludedRows)
			}
			// property: rounded counts are whole and within 0.5 of tximport's
			for i, v := range ld.Matrix.Data {
				if v != math.Trunc(v) || math.Abs(v-ld.Tx.Counts.Data[i]) > 0.5 {
					t.Fatalf("rounded count %g for %g", v, ld.Tx.Counts.Data[i])
				}
			}
		})
	}
}

func TestTximportProperties(t *testing.T) {
	// scaledTPM keeps each sample's total count; abundance sums to the TPM total.
	q := func(s string, tpm, cnt, ln []float64) *TxQuant {
		return &TxQuant{File: s, Sample: s, IDs: []string{"t1", "t2", "t3"}, Abundance: tpm, Counts: cnt, Length: ln, lines: []int{2, 3, 4}}
	}
	t2g, _ := NewTx2Gene([]string{"t1", "t2", "t3"}, []string{"gB", "gA", "gB"})
	qs := []*TxQuant{q("a", []float64{5e5, 3e5, 2e5}, []float64{10, 20, 30}, []float64{100, 200, 300}),
		q("b", []float64{0, 1e6, 0}, []float64{0, 40, 0}, []float64{110, 210, 310})}
	tx, _, err := Tximport(qs, t2g, CFAScaledTPM)
	if err != nil {
		t.Fatal(err)
	}
	if tx.Counts.Genes[0] != "gA" || tx.Counts.Genes[1] != "gB" {
		t.Fatalf("genes %v, want sorted [gA gB]", tx.Counts.Genes)
	}
	for s, want := range []float64{60, 40} {
		got := tx.Counts.At(0, s) + tx.Counts.At(1, s)
		if math.Abs(got-want) > 1e-12*want {
			t.Errorf("sample %d total %g, want %g", s, got, want)
		}
	}
	// gB in sample b has zero abundance: its length is the geometric mean of the others (one here)
	if got, want := tx.Length.At(1, 1), tx.Length.At(1, 0); math.Abs(got-want) > 1e-12*want {
		t.Errorf("missing length %g, want %g", got, want)
	}
}
