package web

import (
	"fmt"

	"github.com/her2het/her2het/core/api"
	"github.com/vugu/vugu"
	"github.com/vugu/vugu/js"
)

// Root is the whole app: navigation, banner, progress and the current screen.
type Root struct {
	Store  *Store `vugu:"data"`
	Engine Engine
}

func (c *Root) show(id string) {
	c.Store.Screen = id
	if id == "about" && c.Store.Info == nil {
		c.askInfo()
	}
}

func (c *Root) askInfo() { c.Engine.Send(api.KindInfo, nil, js.Null()) }

func (c *Root) ariaCurrent(id string) string {
	if c.Store.Screen == id {
		return "page"
	}
	return "false"
}

func (c *Root) isAnalysis() bool { return ScreenByID(c.Store.Screen).Analysis }

func (c *Root) emptyText() string {
	switch {
	case c.Store.Screen == "samples" && c.Store.Sheet != nil && !c.Store.Analysed:
		return "After Analyse, one row per patient with the group and every patient-level value a test used appears here."
	case c.Store.Screen == "de" && c.Store.HasSheet() && !c.Store.Analysed:
		return "After Analyse (Load screen), the study's comparisons appear here: pCR, HET, and post vs pre within HET and non-HET."
	}
	if e := ScreenByID(c.Store.Screen).Empty; e != "" && c.Store.Analysed {
		return e
	}
	if c.Store.Analysed {
		return "The loaded data do not allow this analysis; the activity log says why."
	}
	return "No results yet: load your files (or the example cohort) on the Load screen and press Analyse."
}

func (c *Root) loadDemo() {
	// The example cohort replaces what was loaded.
	c.Store.Files, c.Store.Sections, c.Store.Report, c.Store.Analysed = nil, nil, nil, false
	c.Store.Sheet, c.Store.DE, c.Store.DEDesign = nil, api.DEParams{}, nil
	c.Store.DEResult, c.Store.DEPending, c.Store.AnalysisStale = nil, nil, ""
	c.Store.Roles, c.Store.RolesUnsent, c.Store.RoleError = nil, false, nil
	id := c.Engine.Send(api.KindDemo, api.DemoParams{Seed: 1}, js.Null())
	c.Store.Start(id, api.KindDemo, "Loading the example cohort")
}

// analyse runs the study again. The design builder's result is kept: it is
// not part of the study's analysis.
func (c *Root) analyse() {
	var keep []api.Section
	for _, sec := range c.Store.Sections {
		if sec.ID == customDE {
			keep = append(keep, sec)
		}
	}
	c.Store.Sections = keep
	c.Store.Report = nil
	c.Store.Analysed = false
	c.Store.AnalysisStale = ""
	id := c.Engine.Send(api.KindAnalyze, c.Store.Params, js.Null())
	c.Store.Start(id, api.KindAnalyze, "Analysing")
}

func (c *Root) buildReport() {
	id := c.Engine.Send(api.KindReport, nil, js.Null())
	c.Store.Start(id, api.KindReport, "Building the report")
}

func (c *Root) saveReport() {
	if r := c.Store.Report; r != nil {
		download(r.Name, r.Mime, r.Text)
	}
}

func (c *Root) goSection(event vugu.DOMEvent, screen string) {
	c.Store.Screen = screen
}

func (c *Root) sectionCounts(sec api.Section) string {
	return fmt.Sprintf(" (%d figures, %d tables)", len(sec.Figures), len(sec.Tables))
}

func (c *Root) navClass(id string) string {
	if c.Store.Screen == id {
		return "nav current"
	}
	return "nav"
}

func (c *Root) dismiss() { c.Store.Banner = nil }

func (c *Root) cancel() {
	c.Engine.Cancel()
	c.Store.CancelAll()
}

func (c *Root) sendFiles(files js.Value) {
	if files.IsUndefined() || files.IsNull() || files.Get("length").Int() == 0 {
		return
	}
	n := files.Get("length").Int()
	id := c.Engine.Send(api.KindLoad, nil, files)
	c.Store.Start(id, api.KindLoad, fmt.Sprintf("Loading %d file(s)", n))
}

func (c *Root) onDrop(event vugu.DOMEvent) {
	event.PreventDefault()
	c.sendFiles(event.JSEvent().Get("dataTransfer").Get("files"))
}

func (c *Root) onPick(event vugu.DOMEvent) {
	c.sendFiles(event.JSEventTarget().Get("files"))
}

func (c *Root) bench() {
	id := c.Engine.Send(api.KindBench, api.BenchParams{Seconds: 3, Genes: 20000, Samples: 24}, js.Null())
	c.Store.Start(id, api.KindBench, "Self-benchmark")
}

func (c *Root) benchText() string {
	b := c.Store.Bench
	return fmt.Sprintf("%d rounds of log-CPM on %d genes x %d samples in %.2f s: %.1f million values per second.",
		b.Rounds, b.Genes, b.Samples, b.Seconds, b.ValuesPerS/1e6)
}

func (c *Root) version() string { return api.Version }

// setParam updates one analysis setting from a form control.
func (c *Root) setParam(name string, event vugu.DOMEvent) {
	t := event.JSEventTarget()
	p := &c.Store.Params
	switch name {
	case "normalisation":
		p.Normalisation = t.Get("value").String()
	case "scoreMethod":
		p.ScoreMethod = t.Get("value").String()
	case "kernel":
		p.Kernel = t.Get("value").String()
	case "fishRule":
		p.FISHRule = t.Get("value").String()
	case "minNuclei":
		if n := t.Get("valueAsNumber").Int(); n >= 1 {
			p.MinNuclei = n
		}
	case "perBiopsy":
		p.PerBiopsy = t.Get("checked").Bool()
	case "excludeOutliers":
		p.ExcludeOutliers = t.Get("checked").Bool()
	}
}

func (c *Root) saveSession() {
	download("her2het-session.json", "application/json", c.Store.SessionJSON())
}

// onSession reads a saved session file in the page (it holds no patient data) and
// waits for its inputs.
func (c *Root) onSession(event vugu.DOMEvent) {
	files := event.JSEventTarget().Get("files")
	if !files.Truthy() || files.Get("length").Int() == 0 {
		return
	}
	f := files.Index(0)
	name := f.Get("name").String()
	env := event.EventEnv()
	var then js.Func
	then = js.FuncOf(func(this js.Value, args []js.Value) any {
		defer then.Release()
		env.Lock()
		defer env.UnlockRender()
		ses, err := ReadSession(name, args[0].String())
		if err != nil {
			c.Store.Banner = &api.Error{File: name, Message: err.Error()}
			return nil
		}
		c.Store.Params = ses.Params
		c.Store.Restoring = ses
		c.Store.logf("session %s: %d inputs to load", name, len(ses.Inputs))
		if ses.Example && !c.Store.Example {
			c.loadDemo()
		}
		if ses.DE != nil {
			c.Store.DE = *ses.DE // after loadDemo, which clears the form
		}
		if len(ses.Roles) > 0 { // sent when the engine is free (after the example loads)
			c.Store.Roles, c.Store.RolesUnsent = ses.Roles, true
		}
		return nil
	})
	f.Call("text").Call("then", then)
}

func (c *Root) restoreMissing() []SessionFile {
	m, _ := c.Store.Missing(c.Store.Restoring)
	return m
}

func (c *Root) restoreChanged() []string {
	_, ch := c.Store.Missing(c.Store.Restoring)
	return ch
}
