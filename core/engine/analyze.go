package engine

import (
	"time"

	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/her2het/her2het/core/api"
	"github.com/her2het/her2het/core/chart"
	"github.com/her2het/her2het/core/demo"
	"github.com/her2het/her2het/core/plotdata"
	"github.com/her2het/her2het/core/pool"
	"github.com/her2het/her2het/core/report"
	"github.com/her2het/her2het/core/study"
)

// demo generates the built-in synthetic cohort and loads its files like dropped ones.
func (e *Engine) demo(req api.Request, emit Emit) error {
	var p api.DemoParams
	if err := decodeParams(req, &p); err != nil {
		return err
	}
	emit(api.Event{ID: req.ID, Kind: api.EventProgress, Step: "generate the example cohort", Fraction: 0})
	// Uncompressed: the files go straight to the readers, so gzip would only cost time.
	// Not on the pool: demo.Options.Pool showed no gain in Chromium within the
	// noise, doubled the CPU natively, and a lost helper would fail the load of
	// the example (and its replay after Cancel) rather than an analysis.
	c, err := demo.Generate(demo.Options{Seed: p.Seed, Uncompressed: true})
	if err != nil {
		return err
	}
	// The example cohort replaces whatever was loaded: it is a complete study.
	e.mu.Lock()
	e.files, e.inputs, e.result, e.synthetic = nil, &study.Inputs{}, nil, false
	e.mu.Unlock()
	files := c.Files()
	for i, f := range files {
		if !loadable(f.Name) {
			continue
		}
		s, err := e.add(req.ID, f.Name, int64(len(f.Data)), bytes.NewReader(f.Data), func(ev api.Event) {
			ev.Fraction = (float64(i) + ev.Fraction) / float64(len(files))
			emit(ev)
		})
		if err != nil {
			return fmt.Errorf("the example cohort's %s did not load: %w", f.Name, err)
		}
		emit(api.Event{ID: req.ID, Kind: api.EventData, DataType: "loadSummary", Data: api.Marshal(s)})
	}
	e.mu.Lock()
	e.synthetic = true
	e.mu.Unlock()
	return nil
}

// loadable tells which of the example cohort's files the study takes: all but its README.
func loadable(name string) bool {
	return !strings.HasSuffix(name, ".txt") && !strings.HasSuffix(name, ".md")
}

// screens maps study section IDs to the app's screens.
var screens = map[string]string{
	"qc": "qc", "amplicon": "expression", "pathways": "pathways", "pam50": "subtypes", "de": "de",
	"change": "prepost", "immune": "immune", "fish": "fish", "spatial": "spatial", "response": "response",
}

// screenFor returns the screen that shows a study section (QC for any new one).
func screenFor(id string) string {
	if s, ok := screens[id]; ok {
		return s
	}
	return "qc"
}

// analyze runs the study on the session's inputs and sends each section, drawn.
func (e *Engine) analyze(req api.Request, emit Emit) error {
	p := study.DefaultParams()
	if len(req.Params) > 0 {
		var err error
		if p, err = study.ReadParams("parameters", bytes.NewReader(req.Params)); err != nil {
			return err
		}
	}
	// A helper worker lost during the analysis stops it and fails the request
	// (its step may have turned the error into a "not run" note).
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	wp := pool.Watch(e.pool())
	wp.OnLost = func(error) { cancel() }
	p.Pool = wp
	// The browser pool's view without the engine worker: the study overlaps its
	// DE step with the others on it (study.Params.HelperPool).
	var hw *pool.Watched
	if h, ok := e.pool().(interface{ HelpersOnly() pool.Pool }); ok {
		if hp := h.HelpersOnly(); hp != nil {
			hw = pool.Watch(hp)
			hw.OnLost = func(error) { cancel() }
			p.HelperPool = hw
			// The study's DE step runs beside the gene-set scores' helper
			// tasks; a short sleep returns this worker's thread to its event
			// loop, where their replies arrive (study.Params.Yield).
			p.Yield = func() { time.Sleep(time.Millisecond) }
		}
	}
	lost := func() error {
		if err := wp.Lost(); err != nil {
			return err
		}
		if hw != nil {
			return hw.Lost()
		}
		return nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.inputs.Files) == 0 {
		return &api.Error{Message: "nothing to analyse: load a count matrix and a sample sheet (or the example cohort) first"}
	}
	if e.bigInputs() {
		p.Collect = e.collect // also within the DE step (lean.go)
	}
	e.collect()
	res, err := study.Run(ctx, e.inputs, p, func(step string, frac float64) {
		if frac >= 0 { // a step of the study (not one within a step)
			e.collect()
		}
		emit(api.Event{ID: req.ID, Kind: api.EventProgress, Step: step, Fraction: frac})
	})
	if lost := lost(); lost != nil {
		return lostWorker(lost)
	}
	if err != nil {
		return err
	}
	e.result = res
	emit(api.Event{ID: req.ID, Kind: api.EventProgress, Step: "draw the figures", Fraction: 1})
	e.drawn = map[string]drawnFigure{}
	var figs []*plotdata.Figure
	for _, sec := range res.Sections {
		for i := range sec.Figures {
			figs = append(figs, &sec.Figures[i])
		}
	}
	pics, err := drawAll(wp, figs)
	if lost := wp.Lost(); lost != nil {
		return lostWorker(lost)
	}
	if err != nil {
		return err
	}
	emit(api.Event{ID: req.ID, Kind: api.EventProgress, Step: "send the results", Fraction: 1})
	params := paramList(res.Params)
	roles, hasRoles := e.rolesParam()
	if hasRoles {
		params = append(params, roles)
	}
	samples := api.Section{ID: "samples", Screen: "samples", Title: "Samples and patient groups", Params: params,
		Summary: []string{fmt.Sprintf("%d input files; one row per patient with the group and every patient-level value a test used.", len(res.Files))},
		Tables:  []api.TableView{tableView(res.Patients)}}
	emit(api.Event{ID: req.ID, Kind: api.EventData, DataType: "section", Data: marshalView(samples)})
	for _, sec := range res.Sections {
		v := e.sectionView(sec, pics[:len(sec.Figures)])
		pics = pics[len(sec.Figures):]
		if hasRoles { // the roles change every analysis: shown with each
			v.Params = append(v.Params, roles)
		}
		emit(api.Event{ID: req.ID, Kind: api.EventData, DataType: "section", Data: marshalView(v)})
	}
	tests := api.Section{ID: "tests", Screen: "report", Title: "Every test run", Summary: []string{res.Methods}, Tables: []api.TableView{tableView(res.Tests)}}
	emit(api.Event{ID: req.ID, Kind: api.EventData, DataType: "section", Data: marshalView(tests)})
	return nil
}

func tableView(t plotdata.Table) api.TableView {
	return api.TableView{ID: t.ID, Title: t.Title, Columns: t.Columns, Rows: t.Rows}
}

// drawnFigure is a figure's SVG kept for the report, so it is not drawn twice.
type drawnFigure struct {
	title string
	svg   []byte
}

// sectionView makes the app's view of a study section whose figures are drawn
// (pics, in order; see drawAll).
func (e *Engine) sectionView(sec *study.Section, pics []drawn) api.Section {
	v := api.Section{ID: sec.ID, Screen: screenFor(sec.ID), Title: sec.Title, Notes: sec.Notes}
	if sec.Summary != "" {
		v.Summary = append(v.Summary, sec.Summary)
	}
	if sec.Skipped != "" {
		v.Summary = append(v.Summary, "Not run: "+sec.Skipped)
	}
	for i := range sec.Figures {
		fv := figureView(&sec.Figures[i], pics[i])
		if fv.SVG != "" {
			e.drawn[fv.ID] = drawnFigure{title: fv.Title, svg: pics[i].svg}
		}
		v.Figures = append(v.Figures, fv)
	}
	for _, t := range sec.Tables {
		v.Tables = append(v.Tables, tableView(t))
	}
	return v
}

// drawHere draws a figure on the calling goroutine.
func drawHere(f *plotdata.Figure) drawn {
	svg, err := chart.SVG(f, chart.Options{})
	if err != nil {
		return drawn{err: err.Error()}
	}
	return drawn{svg: svg}
}

// figureView is the app's view of a figure drawn as d.
func figureView(f *plotdata.Figure, d drawn) api.FigureView {
	v := api.FigureView{ID: f.ID, Title: f.Title, Caption: f.Caption}
	for _, p := range f.Params {
		v.Params = append(v.Params, api.Param{Name: p.Name, Value: p.Value})
	}
	if d.err != "" {
		v.Caption = strings.TrimSpace(v.Caption + " (this figure could not be drawn: " + d.err + ")")
		return v
	}
	v.SVG = string(d.svg)
	return v
}

// render draws a figure for the report, reusing the drawing made for the app.
func (e *Engine) render(f *plotdata.Figure) ([]byte, error) {
	if d, ok := e.drawn[f.ID]; ok && d.title == f.Title {
		return d.svg, nil
	}
	return chart.SVG(f, chart.Options{})
}

// paramList flattens the study parameters for display.
func paramList(p study.Params) []api.Param {
	return []api.Param{
		{Name: "normalisation", Value: p.Normalisation},
		{Name: "gene-set score", Value: p.ScoreMethod + " (" + p.Kernel + ")"},
		{Name: "collections", Value: strings.Join(p.Collections, ", ")},
		{Name: "differential expression", Value: p.DEMethod},
		{Name: "FISH rule", Value: fmt.Sprintf("%s; >= %d nuclei; HET when %.0f%% < amplified < %.0f%%", p.FISHRule, p.MinNuclei, p.HetLow, p.HetHigh)},
	}
}

// report builds the self-contained HTML report of the last analysis (the same
// document `her2het analyze` writes).
func (e *Engine) report(req api.Request, emit Emit) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	res, synthetic := e.result, e.synthetic
	if res == nil {
		return &api.Error{Message: "no analysis to report yet: press Analyse first (the report describes the last analysis of the loaded files)"}
	}
	emit(api.Event{ID: req.ID, Kind: api.EventProgress, Step: "draw the report", Fraction: 0})
	// Standalone: the download has no tables/ or figures/ folder beside it.
	doc := report.FromStudy(res, report.FromStudyOptions{Synthetic: synthetic, Standalone: true, Render: e.render})
	if rp, ok := e.rolesParam(); ok { // the analysis was made with them (a change drops it)
		doc.Params = append(doc.Params, plotdata.Param{Name: rp.Name, Value: rp.Value})
	}
	var b bytes.Buffer
	if err := report.HTML(&b, doc); err != nil {
		return err
	}
	emit(api.Event{ID: req.ID, Kind: api.EventData, DataType: "report", Data: marshalView(api.Download{Name: "her2het-report.html", Mime: "text/html", Text: b.String()})})
	return nil
}
