package web

import (
	"github.com/her2het/her2het/core/api"
	"github.com/vugu/vugu"
	"github.com/vugu/vugu/js"
)

// Chart shows one figure (SVG from the engine) with its caption and parameters,
// and downloads it as SVG or PNG. A click on a mark that belongs to a patient
// highlights that patient in every chart.
type Chart struct {
	Fig   *api.FigureView `vugu:"data"`
	Store *Store
}

func (c *Chart) saveSVG() { download(c.Fig.ID+".svg", "image/svg+xml", c.Fig.SVG) }

func (c *Chart) savePNG() {
	if h := host(); h.Truthy() {
		h.Call("downloadPNG", c.Fig.ID+".png", c.Fig.SVG)
	}
}

func (c *Chart) onClick(event vugu.DOMEvent) {
	el := event.JSEventTarget()
	if !el.Truthy() || !el.Get("closest").Truthy() {
		return
	}
	mark := el.Call("closest", "[data-patient]")
	if !mark.Truthy() {
		return
	}
	if p := mark.Call("getAttribute", "data-patient"); p.Truthy() {
		c.Store.SetHighlight(p.String())
	}
}

// host returns boot.js's her2het object (undefined outside the browser).
func host() js.Value { return js.Global().Get("her2het") }

// download asks the page to save text as a file; nothing leaves the computer.
func download(name, mime, text string) {
	if h := host(); h.Truthy() {
		h.Call("download", name, mime, text)
	}
}
