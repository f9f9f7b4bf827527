//go:build js && wasm

package main

import (
	"fmt"
	"syscall/js"

	"github.com/her2het/her2het/core/api"
	"github.com/her2het/her2het/web"
	"github.com/vugu/vugu"
	"github.com/vugu/vugu/domrender"
	vjs "github.com/vugu/vugu/js"
)

// runUI mounts the app and renders it whenever the state changes.
func runUI() {
	renderer, err := domrender.New("#app")
	if err != nil {
		showFatal(err)
		return
	}
	defer renderer.Release()
	env := renderer.EventEnv()
	buildEnv, err := vugu.NewBuildEnv(env)
	if err != nil {
		showFatal(err)
		return
	}
	store := web.NewStore()
	bridge := &bridge{host: js.Global().Get("her2het")}
	root := &web.Root{Store: store, Engine: bridge}

	// Events from the worker arrive through boot.js; apply them under the event lock.
	js.Global().Get("her2het").Set("onEvent", js.FuncOf(func(this js.Value, args []js.Value) any {
		ev, err := decodeEvent(args[0].String())
		if err != nil {
			ev = api.Event{Kind: api.EventError, Error: &api.Error{Message: "malformed event from the engine: " + err.Error()}}
		}
		env.Lock()
		store.Apply(ev)
		if ev.Kind == api.EventError && ev.Error != nil && ev.Error.Fatal {
			store.Restart++
			store.CancelAll()
			bridge.host.Call("restart")
		}
		env.UnlockRender()
		return nil
	}))
	js.Global().Get("her2het").Call("uiReady")

	host := js.Global().Get("her2het")
	for ok := true; ok; ok = renderer.EventWait() {
		if err := renderer.Render(buildEnv.RunBuild(root)); err != nil {
			showFatal(err)
			return
		}
		// Charts are SVG markup from the engine; the highlighted patient is marked
		// on them after every render, so new charts follow the selection too.
		host.Call("highlight", store.Highlight)
	}
}

// bridge implements web.Engine on top of boot.js's her2het object.
type bridge struct {
	host js.Value
	next int64
}

func (b *bridge) Send(kind api.Kind, params any, files vjs.Value) int64 {
	b.next++
	req := api.Request{ID: b.next, Kind: kind}
	if params != nil {
		req.Params = api.Marshal(params)
	}
	var fl js.Value = js.Null()
	if files.Truthy() {
		fl = js.Global().Get("Array").Call("from", js.Value(files))
		for i := 0; i < fl.Length(); i++ {
			f := fl.Index(i)
			req.Files = append(req.Files, api.FileRef{Name: f.Get("name").String(), Size: int64(f.Get("size").Float())})
		}
	}
	b.host.Call("send", string(api.Marshal(req)), fl)
	return req.ID
}

func (b *bridge) Cancel() { b.host.Call("restart") }

func showFatal(err error) {
	js.Global().Get("her2het").Call("fatal", fmt.Sprint(err))
}
