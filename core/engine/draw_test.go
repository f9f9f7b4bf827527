package engine

import (
	"bytes"
	"math"
	"testing"

	"github.com/her2het/her2het/core/plotdata"
	"github.com/her2het/her2het/core/pool"
)

// TestDrawAll: figures drawn on the pool (1 to 4 parts, gob-encoded) are
// chart.SVG's bytes here, in order, including values ±Inf and NaN and a figure
// that cannot be drawn (its error kept).
func TestDrawAll(t *testing.T) {
	inf, nan := plotdata.Float(math.Inf(1)), plotdata.Float(math.NaN())
	figs := []*plotdata.Figure{
		{ID: "s", Title: "scatter", Kind: plotdata.KindScatter, Scatter: &plotdata.Scatter{Points: []plotdata.Point{{X: 1, Y: 2, Label: "a"}, {X: inf, Y: 1}, {X: 3, Y: nan}, {X: -2, Y: 5, Sample: "x"}}}},
		{ID: "bad", Title: "no data", Kind: plotdata.KindBox},
		{ID: "h", Title: "heat", Kind: plotdata.KindHeatmap, Heatmap: &plotdata.Heatmap{Rows: []string{"a", "b"}, Cols: []string{"a", "b"}, Values: []plotdata.Float{1, 0.5, 0.5, nan}}},
		{ID: "b", Title: "box", Kind: plotdata.KindBox, Box: &plotdata.Box{Groups: []plotdata.BoxGroup{{Name: "g", Values: []plotdata.Float{1, 2, 3, inf}}}}},
	}
	for _, n := range []int{1, 2, 3, 4} {
		got, err := drawAll(pool.Local(n), figs)
		if err != nil {
			t.Fatal(err)
		}
		for i, f := range figs {
			want := drawHere(f)
			if !bytes.Equal(got[i].svg, want.svg) || got[i].err != want.err {
				t.Errorf("%d parts, figure %s: pool %q/%q, here %q/%q", n, f.ID, got[i].svg, got[i].err, want.svg, want.err)
			}
		}
		if got[1].err == "" {
			t.Errorf("%d parts: the figure without data has no error", n)
		}
	}
	if got, err := drawAll(pool.Local(2), nil); err != nil || len(got) != 0 {
		t.Errorf("no figures: %v %v", got, err)
	}
}
