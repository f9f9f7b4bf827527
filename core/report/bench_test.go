package report

import (
	"fmt"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/her2het/her2het/core/plotdata"
)

// benchDoc is shaped like a full study report on 285 samples of 129 patients:
// 10 sections, each with 8 box plots of 285 points and a 285 x 200 table, one
// volcano plot of 20,000 genes and a 20,000-row top table.
func benchDoc() *Document {
	rng := rand.New(rand.NewPCG(1, 2))
	groups := []string{"non-HET/pCR", "non-HET/no pCR", "HET/no pCR"}
	d := &Document{Title: "bench", Methods: "m"}
	for s := 0; s < 10; s++ {
		sec := Section{ID: fmt.Sprint("s", s), Title: fmt.Sprint("Section ", s), Summary: []string{"summary"}}
		for f := 0; f < 8; f++ {
			box := &plotdata.Box{}
			for g, name := range groups {
				n := 95
				v, samples, patients := make([]float64, n), make([]string, n), make([]string, n)
				for i := range v {
					v[i] = rng.NormFloat64() + float64(g)
					samples[i] = fmt.Sprintf("S%d_%d", g, i)
					patients[i] = fmt.Sprintf("P%d_%d", g, i/2)
				}
				box.Groups = append(box.Groups, plotdata.NewBoxGroup(name, v, samples, patients))
			}
			sec.Figures = append(sec.Figures, plotdata.Figure{ID: fmt.Sprint("f", s, "-", f), Title: "box", Kind: plotdata.KindBox, Box: box})
		}
		tab := plotdata.Table{ID: fmt.Sprint("t", s), Title: "table"}
		for j := 0; j < 200; j++ {
			tab.Columns = append(tab.Columns, fmt.Sprint("c", j))
		}
		for i := 0; i < 285; i++ {
			row := make([]string, 200)
			for j := range row {
				row[j] = fmt.Sprint(rng.Float64())
			}
			tab.Rows = append(tab.Rows, row)
		}
		sec.Tables = append(sec.Tables, tab)
		d.Sections = append(d.Sections, sec)
	}
	pts := make([]plotdata.Point, 20000)
	top := plotdata.Table{ID: "top", Title: "top", Columns: []string{"gene", "logFC", "p"}}
	for i := range pts {
		pts[i] = plotdata.Point{X: plotdata.Float(rng.NormFloat64()), Y: plotdata.Float(rng.ExpFloat64()), Label: fmt.Sprint("G", i)}
		top.Rows = append(top.Rows, []string{pts[i].Label, fmt.Sprint(float64(pts[i].X)), fmt.Sprint(float64(pts[i].Y))})
	}
	d.Sections = append(d.Sections, Section{ID: "de", Title: "DE",
		Figures: []plotdata.Figure{{ID: "volcano", Title: "volcano", Kind: plotdata.KindVolcano, Scatter: &plotdata.Scatter{Points: pts}}},
		Tables:  []plotdata.Table{top}})
	return d
}

func BenchmarkHTML(b *testing.B) {
	d := benchDoc()
	b.ReportAllocs()
	for b.Loop() {
		if err := HTML(io.Discard, d); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTSV(b *testing.B) {
	t := benchDoc().Sections[10].Tables[0]
	b.ReportAllocs()
	for b.Loop() {
		if err := TSV(io.Discard, t); err != nil {
			b.Fatal(err)
		}
	}
}
