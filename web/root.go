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

func (c *Root) show(id string) { c.Store.Screen = id }

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
	c.Store.Start(id, fmt.Sprintf("Loading %d file(s)", n))
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
	c.Store.Start(id, "Self-benchmark")
}

func (c *Root) benchText() string {
	b := c.Store.Bench
	return fmt.Sprintf("%d rounds of log-CPM on %d genes x %d samples in %.2f s: %.1f million values per second.",
		b.Rounds, b.Genes, b.Samples, b.Seconds, b.ValuesPerS/1e6)
}

func (c *Root) version() string { return api.Version }
