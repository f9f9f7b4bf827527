package engine

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/genemap"
	"github.com/her2het/her2het/core/ingest"
)

// TestSymbolRows: symbolRows gives ToSymbols' names and values, sharing the
// values when no rows merge.
func TestSymbolRows(t *testing.T) {
	tests := []struct {
		name   string
		genes  []string
		shared bool
	}{
		{"Ensembl and unknown IDs", []string{"ENSG00000141736", "ENSG00000141738.14", "NOTAGENE1"}, true},
		{"symbols already", []string{"ERBB2", "GRB7", "ESR1"}, true},
		{"two IDs of one gene are summed", []string{"ENSG00000141736", "ERBB2", "GRB7"}, false},
		{"alias and symbol", []string{"HER2", "ERBB2", "ESR1"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := &dataset.Matrix{Kind: dataset.Counts, Genes: tc.genes, Samples: []string{"a", "b"}, Data: []float64{1, 2, 3, 4, 5, 6}}
			want, _ := ingest.ToSymbols(m, genemap.Default())
			got := symbolRows(m)
			if !reflect.DeepEqual(got.Genes, want.Genes) || !reflect.DeepEqual(got.Data, want.Data) || !reflect.DeepEqual(got.Samples, want.Samples) || got.Kind != want.Kind {
				t.Fatalf("symbolRows = %v %v, ToSymbols = %v %v", got.Genes, got.Data, want.Genes, want.Data)
			}
			if shared := &got.Data[0] == &m.Data[0]; shared != tc.shared {
				t.Errorf("values shared: %v, want %v", shared, tc.shared)
			}
			if !reflect.DeepEqual(m.Genes, tc.genes) || !reflect.DeepEqual(m.Data, []float64{1, 2, 3, 4, 5, 6}) {
				t.Errorf("the input changed: %v %v", m.Genes, m.Data)
			}
		})
	}
}

// TestBigInputs: the engine collects garbage between steps only with a memory
// budget and matrices of at least 1/16 of it (4 bytes a count in the store).
func TestBigInputs(t *testing.T) {
	var text strings.Builder
	text.WriteString("gene\ts1\ts2\ts3\ts4\n")
	for g := 0; g < 1000; g++ {
		fmt.Fprintf(&text, "G%d\t%d\t%d\t%d\t%d\n", g, g, g+1, 2*g, 7)
	}
	tests := []struct {
		name   string
		budget int64
		load   bool
		want   bool
	}{
		{"no budget (the command line)", 0, true, false},
		{"nothing loaded", 2 << 30, false, false},
		{"small matrix, browser budget", 2 << 30, true, false},
		{"matrix at 1/16 of the budget", 16 * 4 * 4000, true, true},
		{"matrix just under 1/16", 16*4*4000 + 16, true, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := New()
			e.MemoryBudget = tc.budget
			if tc.load {
				if _, err := e.inputs.Add("counts.tsv", strings.NewReader(text.String()), nil); err != nil {
					t.Fatal(err)
				}
			}
			if got := e.bigInputs(); got != tc.want {
				t.Errorf("bigInputs = %v with %d bytes of matrices and budget %d, want %v", got, e.inputs.MatrixBytes(), tc.budget, tc.want)
			}
		})
	}
}
