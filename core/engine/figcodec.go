package engine

import (
	"unsafe"

	"github.com/her2het/her2het/core/plotdata"
	"github.com/her2het/her2het/core/pool"
)

// Figures travel to the drawing tasks in the pool codec, written field by
// field (putFigure, getFigure) rather than by encoding/gob, whose reflection
// cost as much as drawing under js/wasm (the example's 95 figures, 8 MB:
// about 0.6 s to encode and 0.7 s to decode in Node). The decoded figure is
// the one gob gave the drawing before (so the same SVG, TestFigureCodecSameSVG):
// empty slices and strings come back nil and empty, nil pointers nil, and a
// zero Float held in a struct field (not in a slice) comes back +0, as gob
// sends no zero field and so turns -0 into +0.

// pos0 is x with -0 as +0 (gob's zero struct field).
func pos0(x plotdata.Float) float64 {
	if x == 0 {
		return 0
	}
	return float64(x)
}

func floatsOf(x []plotdata.Float) []float64 {
	return unsafe.Slice((*float64)(unsafe.SliceData(x)), len(x))
}

func getFloats(r *pool.Reader) []plotdata.Float {
	v := r.Float64s()
	if len(v) == 0 {
		return nil
	}
	return unsafe.Slice((*plotdata.Float)(unsafe.SliceData(v)), len(v))
}

func getStrings(r *pool.Reader) []string {
	v := r.Strings()
	if len(v) == 0 {
		return nil
	}
	return v
}

func getInts(r *pool.Reader) []int {
	v := r.Ints()
	if len(v) == 0 {
		return nil
	}
	return v
}

func putRules(w *pool.Writer, rs []plotdata.Rule) {
	w.Int(len(rs))
	for _, r := range rs {
		w.String(r.Axis)
		w.Float64(pos0(r.Value))
		w.Float64(pos0(r.Slope))
		w.String(r.Label)
	}
}

func getRules(r *pool.Reader) []plotdata.Rule {
	n := r.Int()
	if n <= 0 || r.Err() != nil {
		return nil
	}
	rs := make([]plotdata.Rule, 0, min(n, r.Remaining()))
	for i := 0; i < n && r.Err() == nil; i++ {
		rs = append(rs, plotdata.Rule{Axis: r.String(), Value: plotdata.Float(r.Float64()), Slope: plotdata.Float(r.Float64()), Label: r.String()})
	}
	return rs
}

// putFigure writes f (see getFigure).
func putFigure(w *pool.Writer, f *plotdata.Figure) {
	w.String(f.ID)
	w.String(f.Title)
	w.String(f.Caption)
	w.String(string(f.Kind))
	w.String(f.XLabel)
	w.String(f.YLabel)
	w.Int(len(f.Params))
	for _, p := range f.Params {
		w.String(p.Name)
		w.String(p.Value)
	}
	w.Bool(f.Box != nil)
	if b := f.Box; b != nil {
		w.Int(len(b.Groups))
		for _, g := range b.Groups {
			w.String(g.Name)
			w.Float64s(floatsOf(g.Values))
			w.Strings(g.Samples)
			w.Strings(g.Patients)
			s := g.Stats
			for _, v := range []plotdata.Float{s.LowerWhisker, s.LowerHinge, s.Median, s.UpperHinge, s.UpperWhisker} {
				w.Float64(pos0(v))
			}
			w.Int(s.N)
		}
		w.Int(len(b.Tests))
		for _, a := range b.Tests {
			w.String(a.A)
			w.String(a.B)
			w.Float64(pos0(a.P))
			w.String(a.Label)
		}
	}
	w.Bool(f.Scatter != nil)
	if s := f.Scatter; s != nil {
		w.Int(len(s.Points))
		for _, p := range s.Points {
			w.Float64(pos0(p.X))
			w.Float64(pos0(p.Y))
			w.String(p.Label)
			w.String(p.Sample)
			w.String(p.Patient)
			w.String(p.Group)
			w.Bool(p.Emph)
		}
		w.Strings(s.Groups)
		putRules(w, s.Lines)
	}
	w.Bool(f.Heatmap != nil)
	if h := f.Heatmap; h != nil {
		w.Strings(h.Rows)
		w.Strings(h.Cols)
		w.Float64s(floatsOf(h.Values))
		w.Ints(h.RowOrder)
		w.Ints(h.ColOrder)
		w.Int(len(h.ColTracks))
		for _, t := range h.ColTracks {
			w.String(t.Name)
			w.Strings(t.Values)
		}
		w.Bool(h.Diverging)
		w.Strings(h.Patients)
	}
	w.Bool(f.Bars != nil)
	if b := f.Bars; b != nil {
		w.Strings(b.Categories)
		w.Strings(b.Series)
		w.Int(len(b.Values))
		for _, v := range b.Values {
			w.Float64s(floatsOf(v))
		}
		w.Bool(b.Proportion)
	}
	w.Bool(f.Lines != nil)
	if l := f.Lines; l != nil {
		w.Int(len(l.Series))
		for _, s := range l.Series {
			w.String(s.Name)
			w.String(s.Patient)
			w.String(s.Group)
			w.Float64s(floatsOf(s.X))
			w.Float64s(floatsOf(s.Y))
			w.Float64s(floatsOf(s.Marks))
		}
		w.Strings(l.XTicks)
		w.Strings(l.Groups)
		putRules(w, l.Rules)
	}
	w.Bool(f.Histogram != nil)
	if h := f.Histogram; h != nil {
		w.Float64s(floatsOf(h.Edges))
		w.Float64s(floatsOf(h.Counts))
		putRules(w, h.Rules)
	}
}

// getFigure reads a figure putFigure wrote; a malformed input leaves r's error
// set (the caller checks r.Err or r.Done).
func getFigure(r *pool.Reader) plotdata.Figure {
	f := plotdata.Figure{ID: r.String(), Title: r.String(), Caption: r.String(), Kind: plotdata.Kind(r.String()), XLabel: r.String(), YLabel: r.String()}
	if n := r.Int(); n > 0 && r.Err() == nil {
		f.Params = make([]plotdata.Param, 0, min(n, r.Remaining()))
		for i := 0; i < n && r.Err() == nil; i++ {
			f.Params = append(f.Params, plotdata.Param{Name: r.String(), Value: r.String()})
		}
	}
	if r.Bool() {
		b := &plotdata.Box{}
		if n := r.Int(); n > 0 && r.Err() == nil {
			b.Groups = make([]plotdata.BoxGroup, 0, min(n, r.Remaining()))
			for i := 0; i < n && r.Err() == nil; i++ {
				g := plotdata.BoxGroup{Name: r.String(), Values: getFloats(r), Samples: getStrings(r), Patients: getStrings(r)}
				g.Stats = plotdata.Stats{LowerWhisker: plotdata.Float(r.Float64()), LowerHinge: plotdata.Float(r.Float64()), Median: plotdata.Float(r.Float64()),
					UpperHinge: plotdata.Float(r.Float64()), UpperWhisker: plotdata.Float(r.Float64()), N: r.Int()}
				b.Groups = append(b.Groups, g)
			}
		}
		if n := r.Int(); n > 0 && r.Err() == nil {
			b.Tests = make([]plotdata.Annotation, 0, min(n, r.Remaining()))
			for i := 0; i < n && r.Err() == nil; i++ {
				b.Tests = append(b.Tests, plotdata.Annotation{A: r.String(), B: r.String(), P: plotdata.Float(r.Float64()), Label: r.String()})
			}
		}
		f.Box = b
	}
	if r.Bool() {
		s := &plotdata.Scatter{}
		if n := r.Int(); n > 0 && r.Err() == nil {
			s.Points = make([]plotdata.Point, 0, min(n, r.Remaining()))
			for i := 0; i < n && r.Err() == nil; i++ {
				s.Points = append(s.Points, plotdata.Point{X: plotdata.Float(r.Float64()), Y: plotdata.Float(r.Float64()), Label: r.String(),
					Sample: r.String(), Patient: r.String(), Group: r.String(), Emph: r.Bool()})
			}
		}
		s.Groups = getStrings(r)
		s.Lines = getRules(r)
		f.Scatter = s
	}
	if r.Bool() {
		h := &plotdata.Heatmap{Rows: getStrings(r), Cols: getStrings(r), Values: getFloats(r), RowOrder: getInts(r), ColOrder: getInts(r)}
		if n := r.Int(); n > 0 && r.Err() == nil {
			h.ColTracks = make([]plotdata.Track, 0, min(n, r.Remaining()))
			for i := 0; i < n && r.Err() == nil; i++ {
				h.ColTracks = append(h.ColTracks, plotdata.Track{Name: r.String(), Values: getStrings(r)})
			}
		}
		h.Diverging = r.Bool()
		h.Patients = getStrings(r)
		f.Heatmap = h
	}
	if r.Bool() {
		b := &plotdata.Bars{Categories: getStrings(r), Series: getStrings(r)}
		if n := r.Int(); n > 0 && r.Err() == nil {
			b.Values = make([][]plotdata.Float, 0, min(n, r.Remaining()))
			for i := 0; i < n && r.Err() == nil; i++ {
				b.Values = append(b.Values, getFloats(r))
			}
		}
		b.Proportion = r.Bool()
		f.Bars = b
	}
	if r.Bool() {
		l := &plotdata.Lines{}
		if n := r.Int(); n > 0 && r.Err() == nil {
			l.Series = make([]plotdata.Series, 0, min(n, r.Remaining()))
			for i := 0; i < n && r.Err() == nil; i++ {
				l.Series = append(l.Series, plotdata.Series{Name: r.String(), Patient: r.String(), Group: r.String(), X: getFloats(r), Y: getFloats(r), Marks: getFloats(r)})
			}
		}
		l.XTicks = getStrings(r)
		l.Groups = getStrings(r)
		l.Rules = getRules(r)
		f.Lines = l
	}
	if r.Bool() {
		f.Histogram = &plotdata.Histogram{Edges: getFloats(r), Counts: getFloats(r), Rules: getRules(r)}
	}
	return f
}
