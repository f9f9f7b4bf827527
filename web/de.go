package web

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/her2het/her2het/core/api"
	"github.com/vugu/vugu"
	"github.com/vugu/vugu/js"
)

// customDE is the ID of the section the design builder's Run produces.
const customDE = "de-custom"

// Compute (called by Vugu before each build) asks the engine for the sample sheet's description when the Samples
// or Differential-expression screen is shown and the loaded files changed.
func (c *Root) Compute() {
	c.syncRoles()
	s := c.Store
	if !s.SheetStale || s.Busy() || (s.Screen != "samples" && s.Screen != "de") || !s.HasSheet() {
		return
	}
	c.askSheet()
}

// HasSheet reports whether a sample sheet is among the loaded files.
func (s *Store) HasSheet() bool {
	for _, f := range s.Files {
		if strings.HasPrefix(f.Format, "samples") {
			return true
		}
	}
	return false
}

func (c *Root) askSheet() {
	c.Store.SheetStale = false
	id := c.Engine.Send(api.KindSamples, nil, js.Null())
	c.Store.Start(id, api.KindSamples, "Reading the sample sheet")
}

// setDE updates one field of the design builder from a form control.
func (c *Root) setDE(field string, event vugu.DOMEvent) {
	v := event.PropString("target", "value")
	p := &c.Store.DE
	switch field {
	case "formula":
		p.Formula = v
	case "contrast":
		p.Contrast = v
	case "method":
		p.Method = v
		if v != "voom" {
			p.Block = ""
		}
	case "block":
		p.Block = v
	case "fdr":
		if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && f > 0 && f < 1 {
			p.FDR = f
		}
	}
}

func (c *Root) deParams() api.DEParams {
	p := c.Store.DE
	if p.Method == "" {
		p.Method = "voom"
	}
	return p
}

func (c *Root) checkDesign() {
	p := c.deParams()
	c.Store.DEChecked = p
	c.Store.DEDesign = nil
	id := c.Engine.Send(api.KindDEDesign, p, js.Null())
	c.Store.Start(id, api.KindDEDesign, "Checking the design "+p.Formula)
}

func (c *Root) runDE() {
	p := c.deParams()
	c.Store.DEPending = &DEResultInfo{Params: p, Roles: rolesKey(c.Store.Roles), Inputs: c.Store.inputsKey()}
	id := c.Engine.Send(api.KindDERun, p, js.Null())
	c.Store.Start(id, api.KindDERun, "Differential expression ("+methodName(p.Method)+") "+p.Formula)
}

func methodName(m string) string {
	if m == "deseq2" {
		return "DESeq2"
	}
	return "limma-voom"
}

// designStale reports whether the form changed since the shown design check.
func (c *Root) designStale() bool {
	return c.Store.DEDesign != nil && c.Store.DEChecked != c.deParams()
}

func (c *Root) designClass() string {
	switch {
	case c.Store.DEDesign == nil:
		return "de-design"
	case c.Store.DEDesign.OK:
		return "de-design ok"
	}
	return "de-design bad"
}

func (c *Root) designHeadline() string {
	d := c.Store.DEDesign
	if d.OK {
		return fmt.Sprintf("The design can be fitted: %d columns, rank %d, %d samples.", len(d.Columns), d.Rank, d.Samples)
	}
	return fmt.Sprintf("The design cannot be fitted as it stands (%d columns, rank %d, %d samples):", len(d.Columns), d.Rank, d.Samples)
}

func (c *Root) contrastText() string {
	d := c.Store.DEDesign
	if len(d.Contrast) == 0 {
		return ""
	}
	parts := make([]string, len(d.Contrast))
	for i, v := range d.Contrast {
		parts[i] = d.Columns[i] + " " + strconv.FormatFloat(v, 'g', -1, 64)
	}
	return "Contrast: " + strings.Join(parts, ", ")
}

// blockChoices lists the sample-sheet columns a block can be (patient first).
func (c *Root) blockChoices() []string {
	var out []string
	if c.Store.Sheet == nil {
		if c.Store.DE.Block != "" {
			out = append(out, c.Store.DE.Block)
		}
		return out
	}
	for _, col := range c.Store.Sheet.Columns {
		if col.Role == "patient" {
			out = append([]string{col.Name}, out...)
		} else if col.Role != "sample" && col.Role != "ignore" {
			out = append(out, col.Name)
		}
	}
	return out
}

func (c *Root) fdrText() string {
	if c.Store.DE.FDR == 0 {
		return "0.05"
	}
	return strconv.FormatFloat(c.Store.DE.FDR, 'g', -1, 64)
}

// customSection returns the index of the design builder's result, or -1.
func (c *Root) customSection() int {
	for i := range c.Store.Sections {
		if c.Store.Sections[i].ID == customDE {
			return i
		}
	}
	return -1
}

// shown says whether the screen's section loop shows section i (the design
// builder's result is shown under the builder instead).
func (c *Root) shown(i int, screen string) bool {
	return c.Store.Sections[i].Screen == screen && c.Store.Sections[i].ID != customDE
}

// sheetSummary is the headline of the Samples screen.
func (c *Root) sheetSummary() string {
	v := c.Store.Sheet
	return fmt.Sprintf("%s: %d samples, %d columns. Roles are detected from the column names; levels are normalised (e.g. Pre, PRE and baseline are all pre).", v.File, v.Samples, len(v.Columns))
}

// showLevels says whether a column's levels are listed (not for identifiers).
func showLevels(col api.SheetColumn) bool { return col.Role != "sample" && col.Role != "patient" }

func distinctText(col api.SheetColumn) string {
	s := fmt.Sprintf("%d distinct", col.Distinct)
	if showLevels(col) && col.Distinct > len(col.Levels) {
		s += fmt.Sprintf(" (first %d listed)", len(col.Levels))
	}
	return s
}

// fromText shows the raw spellings that became a level: "Pre, PRE".
func fromText(l api.SheetLevel) string { return strings.Join(l.From, ", ") }

func (c *Root) sheetVisible() bool {
	return c.Store.Screen == "samples" && (c.Store.Sheet != nil || c.Store.HasSheet())
}

func countText(n int) string { return "(" + strconv.Itoa(n) + ")" }
