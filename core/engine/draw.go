package engine

import (
	"fmt"

	"github.com/her2het/her2het/core/chart"
	"github.com/her2het/her2het/core/plotdata"
	"github.com/her2het/her2het/core/pool"
)

// Drawing the figures of an analysis (core/chart) is work of its own: 1.8 s
// natively for the example cohort's 95 figures, several seconds in WebAssembly,
// after the study has run. The figures are independent, so they are drawn as
// pool tasks: in the browser the engine worker and its helpers each draw a
// contiguous share (balanced by the figures' encoded size, see heatmapCost). A figure travels
// in the pool codec (putFigure, figcodec.go: exact float64 bits, unlike plotdata's
// JSON, which writes ±Inf as null; until session 5 encoding/gob, whose decoded
// figure it reproduces) and chart.SVG is a pure function of it, so the markup is
// the same whichever worker draws it.

func init() { pool.Register("engine.svg", svgKernel) }

// drawn is one figure's markup, or the reason it could not be drawn.
type drawn struct {
	svg []byte
	err string
}

// svgKernel draws the figures of one task: a count, then each figure as a blob
// written by putFigure; the result is, per figure, its SVG and an error text (""
// when drawn).
func svgKernel(in []byte) ([]byte, error) {
	r := pool.NewReader(in)
	n := r.Int()
	w := pool.NewWriter(0)
	for i := 0; i < n && r.Err() == nil; i++ {
		fr := pool.NewReader(r.Blob())
		f := getFigure(fr)
		if err := fr.Done(); err != nil {
			return nil, fmt.Errorf("engine.svg: figure %d: %v", i, err)
		}
		svg, err := chart.SVG(&f, chart.Options{})
		w.Blob(svg)
		if err != nil {
			w.String(err.Error())
		} else {
			w.String("")
		}
	}
	if err := r.Done(); err != nil {
		return nil, fmt.Errorf("engine.svg: %v", err)
	}
	return w.Bytes(), nil
}

// heatmapCost weighs a small heatmap's encoded bytes against other figures':
// per byte its cells (a rectangle and a tooltip each) take 8-10 times as long to
// draw as scatter points. Heatmaps above chart.HeatmapRasterCells are drawn as
// one PNG (the example's 285 x 285 correlation heatmap: ~25 ms natively for
// 0.75 MB, like a volcano or MA plot of that size) and weigh by bytes alone.
const heatmapCost = 8

// drawAll draws figs on p (one task per worker, contiguous, balanced by
// encoded size, small heatmaps weighted by heatmapCost) and returns their markup in
// order.
func drawAll(p pool.Pool, figs []*plotdata.Figure) ([]drawn, error) {
	enc := make([][]byte, len(figs))
	cost := make([]int, len(figs))
	total := 0
	for i, f := range figs {
		w := pool.NewWriter(0)
		putFigure(w, f)
		enc[i] = w.Bytes()
		cost[i] = len(enc[i])
		if hm := f.Heatmap; hm != nil && len(hm.Rows)*len(hm.Cols) <= chart.HeatmapRasterCells {
			cost[i] *= heatmapCost
		}
		total += cost[i]
	}
	parts := max(1, min(p.Size(), len(figs)))
	var tasks [][]byte
	var counts []int
	start := 0
	for k := 0; k < parts && start < len(figs); k++ {
		// Figures until this part's share of the cost is reached (the last takes the rest).
		end, sum, size := start, 0, 0
		for end < len(figs) && (k == parts-1 || sum < total/parts || end == start) {
			sum += cost[end]
			size += len(enc[end])
			end++
		}
		w := pool.NewWriter(size + 16*(end-start))
		w.Int(end - start)
		for _, b := range enc[start:end] {
			w.Blob(b)
		}
		tasks = append(tasks, w.Bytes())
		counts = append(counts, end-start)
		start = end
	}
	out, err := p.Run("engine.svg", tasks)
	if err != nil {
		return nil, err
	}
	res := make([]drawn, 0, len(figs))
	for k, o := range out {
		r := pool.NewReader(o)
		for i := 0; i < counts[k]; i++ {
			svg := r.Blob()
			res = append(res, drawn{svg: svg, err: r.String()})
		}
		if err := r.Done(); err != nil {
			return nil, fmt.Errorf("engine.svg result: %v", err)
		}
	}
	if len(res) != len(figs) {
		return nil, fmt.Errorf("engine.svg: %d figures drawn of %d", len(res), len(figs))
	}
	return res, nil
}
