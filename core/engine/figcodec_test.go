package engine

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"math"
	"reflect"
	"testing"

	"github.com/her2het/her2het/core/chart"
	"github.com/her2het/her2het/core/plotdata"
	"github.com/her2het/her2het/core/pool"
)

// gobTrip is how figures reached the drawing tasks before the pool codec.
func gobTrip(t testing.TB, f *plotdata.Figure) plotdata.Figure {
	var b bytes.Buffer
	if err := gob.NewEncoder(&b).Encode(f); err != nil {
		t.Fatal(err)
	}
	var g plotdata.Figure
	if err := gob.NewDecoder(&b).Decode(&g); err != nil {
		t.Fatal(err)
	}
	return g
}

func codecTrip(t testing.TB, f *plotdata.Figure) plotdata.Figure {
	w := pool.NewWriter(0)
	putFigure(w, f)
	r := pool.NewReader(w.Bytes())
	g := getFigure(r)
	if err := r.Done(); err != nil {
		t.Fatal(err)
	}
	return g
}

// codecFigures are figures of every kind with the values gob treats specially:
// -0 and NaN in struct fields and in slices, ±Inf, empty and nil slices and
// strings, a non-nil pointer to an empty struct.
func codecFigures() []plotdata.Figure {
	nz := plotdata.Float(math.Copysign(0, -1))
	nan, inf := plotdata.Float(math.NaN()), plotdata.Float(math.Inf(1))
	pts := []plotdata.Point{{X: nz, Y: 1, Label: "A", Emph: true}, {X: 0, Y: nz, Sample: "S1", Patient: "P1", Group: "g"}, {X: nan, Y: inf},
		{X: 2.5, Y: -3, Label: "B", Group: "h", Emph: true}, {X: -1e-300, Y: 5e-324}}
	return []plotdata.Figure{
		{ID: "box", Title: "Box", Caption: "c", Kind: plotdata.KindBox, XLabel: "x", YLabel: "y", Params: []plotdata.Param{{Name: "n", Value: "v"}, {}},
			Box: &plotdata.Box{Groups: []plotdata.BoxGroup{
				{Name: "a", Values: []plotdata.Float{1, nz, nan, 3, 0}, Samples: []string{"s1", "", "s3", "s4", "s5"}, Patients: []string{"p1", "p1", "p2", "", "p3"},
					Stats: plotdata.Stats{LowerWhisker: nz, LowerHinge: 0.5, Median: 1, UpperHinge: 2, UpperWhisker: 3, N: 5}},
				{Name: "b"}, {Name: "", Values: []plotdata.Float{}}},
				Tests: []plotdata.Annotation{{A: "a", B: "b", P: 0.01, Label: "p = 0.01"}, {P: nz, Label: "all"}, {P: nan}}}},
		{ID: "volcano", Kind: plotdata.KindVolcano, Scatter: &plotdata.Scatter{Points: pts, Groups: []string{"h", "g"},
			Lines: []plotdata.Rule{{Axis: "x", Value: nz}, {Axis: "y", Value: 1.3, Slope: nz, Label: "p"}}}},
		{ID: "scatter", Kind: plotdata.KindScatter, Scatter: &plotdata.Scatter{}},
		{ID: "heat", Kind: plotdata.KindHeatmap, Heatmap: &plotdata.Heatmap{Rows: []string{"r1", "r2"}, Cols: []string{"c1", "c2", "c3"},
			Values: []plotdata.Float{1, nz, nan, -2, inf, 0}, RowOrder: []int{1, 0}, ColOrder: []int{2, 0, 1},
			ColTracks: []plotdata.Track{{Name: "group", Values: []string{"a", "b", "a"}}, {Name: "empty"}}, Diverging: true, Patients: []string{"p1", "p2", "p1"}}},
		{ID: "bars", Kind: plotdata.KindBars, Bars: &plotdata.Bars{Categories: []string{"x", "y"}, Series: []string{"s", "t"},
			Values: [][]plotdata.Float{{1, 2}, {nz, 3}}, Proportion: true}},
		{ID: "lines", Kind: plotdata.KindLines, Lines: &plotdata.Lines{Series: []plotdata.Series{
			{Name: "P1", Patient: "P1", Group: "g", X: []plotdata.Float{0, 1}, Y: []plotdata.Float{nz, 2}},
			{Name: "P2", X: []plotdata.Float{0, 1}, Y: []plotdata.Float{1, nan}, Marks: []plotdata.Float{0.5}}},
			XTicks: []string{"pre", "post"}, Groups: []string{"g"}, Rules: []plotdata.Rule{{Axis: "y", Value: 0}}}},
		{ID: "curve", Kind: plotdata.KindCurve, Lines: &plotdata.Lines{Series: []plotdata.Series{{Name: "ES", X: []plotdata.Float{0, 1, 2}, Y: []plotdata.Float{0, 0.5, nz}, Marks: []plotdata.Float{1}}}}},
		{ID: "hist", Kind: plotdata.KindHistogram, Histogram: &plotdata.Histogram{Edges: []plotdata.Float{0, 1, 2}, Counts: []plotdata.Float{3, 0},
			Rules: []plotdata.Rule{{Axis: "x", Value: 1.5, Label: "cut"}}}},
		{ID: "empty"},
	}
}

// TestFigureCodecSameSVG: a figure through the pool codec is the figure gob
// gave (the same values, -0 in struct fields as +0 too) and draws the same SVG.
func TestFigureCodecSameSVG(t *testing.T) {
	for _, f := range codecFigures() {
		g, c := gobTrip(t, &f), codecTrip(t, &f)
		if !reflect.DeepEqual(fmtFig(g), fmtFig(c)) {
			t.Errorf("%s: codec gives\n%#v\ngob gives\n%#v", f.ID, c, g)
		}
		sg, eg := chart.SVG(&g, chart.Options{})
		sc, ec := chart.SVG(&c, chart.Options{})
		if !bytes.Equal(sg, sc) || (eg == nil) != (ec == nil) {
			t.Errorf("%s: SVG differs from the gob-decoded figure's (%v, %v)", f.ID, eg, ec)
		}
	}
	// A truncated encoding is an error, not a panic.
	w := pool.NewWriter(0)
	f := codecFigures()[0]
	putFigure(w, &f)
	b := w.Bytes()
	for _, n := range []int{0, 1, len(b) / 3, len(b) - 1} {
		r := pool.NewReader(b[:n])
		getFigure(r)
		if r.Done() == nil {
			t.Errorf("truncated to %d bytes: no error", n)
		}
	}
}

// fmtFig writes out a figure's values, every Float as its bits (so -0, +0 and
// NaN compare as bits: DeepEqual has NaN != NaN and -0 == +0), nil slices and
// pointers as nil.
func fmtFig(f plotdata.Figure) string {
	var b bytes.Buffer
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Float64:
			fmt.Fprintf(&b, "%#x;", math.Float64bits(v.Float()))
		case reflect.Pointer:
			if v.IsNil() {
				b.WriteString("nil;")
				return
			}
			b.WriteString("&")
			walk(v.Elem())
		case reflect.Struct:
			b.WriteString("{")
			for i := 0; i < v.NumField(); i++ {
				walk(v.Field(i))
				b.WriteString(",")
			}
			b.WriteString("}")
		case reflect.Slice:
			if v.IsNil() {
				b.WriteString("nil[]")
				return
			}
			b.WriteString("[")
			for i := 0; i < v.Len(); i++ {
				walk(v.Index(i))
				b.WriteString(",")
			}
			b.WriteString("]")
		default:
			fmt.Fprintf(&b, "%#v;", v.Interface())
		}
	}
	walk(reflect.ValueOf(f))
	return b.String()
}
