package web

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/her2het/her2het/core/api"
	"github.com/vugu/vugu/js"
)

// Engine is what the UI needs from the engine host: send a request (with browser File
// handles attached, or a null js.Value), and cancel everything running.
type Engine interface {
	// Send posts a request and returns its ID.
	Send(kind api.Kind, params any, files js.Value) int64
	// Cancel stops the running job: the worker is terminated, a fresh one started and
	// the session replayed into it.
	Cancel()
}

// Job is a request the UI is waiting for.
type Job struct {
	ID       int64
	Label    string
	Step     string
	Fraction float64
}

// Store is the UI state. It is changed only inside the Vugu event lock: by event
// handlers, and by Apply, which the host calls with the lock held.
type Store struct {
	Screen  string
	Files   []api.LoadSummary
	Jobs    []*Job
	Banner  *api.Error // the last error, shown until dismissed
	Log     []string
	Bench   *api.BenchResult
	Restart int // how many times the engine was restarted after a crash
}

// NewStore returns the state of a freshly opened page.
func NewStore() *Store { return &Store{Screen: "load"} }

// Busy reports whether a job is running.
func (s *Store) Busy() bool { return len(s.Jobs) > 0 }

// Start records a job the UI waits for.
func (s *Store) Start(id int64, label string) {
	s.Jobs = append(s.Jobs, &Job{ID: id, Label: label})
}

func (s *Store) job(id int64) *Job {
	for _, j := range s.Jobs {
		if j.ID == id {
			return j
		}
	}
	return nil
}

func (s *Store) finish(id int64) {
	for i, j := range s.Jobs {
		if j.ID == id {
			s.Jobs = append(s.Jobs[:i], s.Jobs[i+1:]...)
			return
		}
	}
}

// CancelAll forgets every running job (after the host terminated the worker).
func (s *Store) CancelAll() {
	for _, j := range s.Jobs {
		s.logf("cancelled: %s", j.Label)
	}
	s.Jobs = nil
}

func (s *Store) logf(format string, a ...any) {
	s.Log = append(s.Log, fmt.Sprintf(format, a...))
	if len(s.Log) > 200 {
		s.Log = s.Log[len(s.Log)-200:]
	}
}

// Apply folds one engine event into the state.
func (s *Store) Apply(ev api.Event) {
	switch ev.Kind {
	case api.EventProgress:
		if j := s.job(ev.ID); j != nil {
			j.Step, j.Fraction = ev.Step, ev.Fraction
		}
	case api.EventLog:
		s.logf("%s", ev.Message)
	case api.EventData:
		s.applyData(ev)
	case api.EventError:
		s.Banner = ev.Error
		s.logf("error: %s", ev.Error.Error())
		s.finish(ev.ID)
	case api.EventDone:
		if j := s.job(ev.ID); j != nil {
			s.logf("done: %s", j.Label)
		}
		s.finish(ev.ID)
	}
}

func (s *Store) applyData(ev api.Event) {
	switch ev.DataType {
	case "loadSummary":
		var f api.LoadSummary
		if err := json.Unmarshal(ev.Data, &f); err == nil {
			s.Files = append(s.Files, f)
			s.logf("loaded %s (%s, %d x %d)", f.Name, f.Format, f.Rows, f.Cols)
		}
	case "bench":
		var b api.BenchResult
		if err := json.Unmarshal(ev.Data, &b); err == nil {
			s.Bench = &b
		}
	}
}

// Screen is one page of the app, listed in the navigation bar.
type Screen struct {
	ID    string
	Title string
}

// Screens are the app's pages in workflow order.
var Screens = []Screen{
	{"load", "Load"},
	{"about", "About"},
}

// HumanBytes formats a size for people: 1.5 MB, 320 kB.
func HumanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f kB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// Percent formats a fraction in [0,1] as a whole percentage.
func Percent(f float64) string { return fmt.Sprintf("%.0f%%", 100*f) }

// ShortHash shows the first 12 hex digits of a SHA-256.
func ShortHash(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

func joinWarnings(w []string) string { return strings.Join(w, "; ") }
