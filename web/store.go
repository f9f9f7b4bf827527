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
	Kind     api.Kind
	Label    string
	Step     string
	Fraction float64
	// Indeterminate: the running step reports no fraction (a moving bar).
	Indeterminate bool
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

	// Sections are the analysis results, in the order they arrived.
	Sections []api.Section
	// Highlight is the patient picked by a click on any chart mark ("" = none).
	Highlight string
	// Report is the last report built, ready to save.
	Report *api.Download
	// Analysed is true once an analysis finished.
	Analysed bool
	// Params are the analysis settings; they are sent with every analysis.
	Params Params
	// Example is true when the loaded data are the built-in synthetic cohort.
	Example bool
	// Restoring is a session being restored: its inputs are awaited.
	Restoring *Session
	// Info is what the engine embeds (reference data and citations).
	Info *api.Info

	// Sheet describes the loaded sample sheet (the Samples screen); SheetStale
	// is set when the loaded files changed since it was asked for.
	Sheet      *api.SamplesView
	SheetStale bool
	// DE is the design builder's form; DEDesign the last design check of it.
	DE       api.DEParams
	DEDesign *api.DEDesign
	// DEChecked is the design DEDesign describes (a changed form hides it).
	DEChecked api.DEParams
	// DEResult is what the design builder's shown result was computed from; it
	// survives Analyse and is marked out of date when the inputs change.
	DEResult *DEResultInfo
	// DEPending is what the running DE job computes from.
	DEPending *DEResultInfo

	// Roles are the sample-sheet role overrides (column -> role) as the engine
	// last confirmed them; sessions save them.
	Roles map[string]string
	// RolesUnsent is set when the engine may lack Roles (it restarted, a session
	// was restored, the example cohort replaced the session): they are sent again.
	RolesUnsent bool
	// RoleError is the last refused role change, shown on the Samples screen;
	// RolesRevert puts the selects back to the roles in effect.
	RoleError   *api.Error
	RolesRevert bool
	// AnalysisStale says why the shown analysis no longer describes the session
	// ("" when it does): the engine dropped it, Analyse again.
	AnalysisStale string
}

// NewStore returns the state of a freshly opened page.
func NewStore() *Store { return &Store{Screen: "load", Params: DefaultParams()} }

// Busy reports whether a job is running.
func (s *Store) Busy() bool { return len(s.Jobs) > 0 }

// Start records a job the UI waits for.
func (s *Store) Start(id int64, kind api.Kind, label string) {
	s.Jobs = append(s.Jobs, &Job{ID: id, Kind: kind, Label: label})
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
// The fresh engine gets the session's files again from the host and its roles
// from the page.
func (s *Store) CancelAll() {
	for _, j := range s.Jobs {
		s.logf("cancelled: %s", j.Label)
	}
	s.Jobs = nil
	s.DEPending = nil
	s.RolesUnsent = len(s.Roles) > 0
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
			j.Step, j.Fraction, j.Indeterminate = ev.Step, ev.Fraction, ev.Indeterminate
		}
	case api.EventLog:
		s.logf("%s", ev.Message)
	case api.EventData:
		s.applyData(ev)
	case api.EventError:
		if j := s.job(ev.ID); j != nil && (j.Kind == api.KindLoad || j.Kind == api.KindDemo) {
			s.SheetStale = true // a load that failed part-way may still have added files
			s.staleAnalysis("files were loaded")
		}
		if j := s.job(ev.ID); j != nil && j.Kind == api.KindRoles {
			// Shown beside the roles it refused, not in the banner too.
			s.RoleError, s.RolesRevert = ev.Error, true
			s.logf("roles not changed: %s", ev.Error.Error())
			s.finish(ev.ID)
			return
		}
		s.Banner = ev.Error
		s.logf("error: %s", ev.Error.Error())
		s.finish(ev.ID)
	case api.EventDone:
		if j := s.job(ev.ID); j != nil {
			s.logf("done: %s", j.Label)
			switch j.Kind {
			case api.KindAnalyze:
				s.Analysed = true
			case api.KindDemo:
				s.Example = true
				s.SheetStale = true
			case api.KindLoad:
				s.SheetStale = true
				s.staleAnalysis("files were loaded")
			case api.KindDERun:
				s.DEPending = nil
			}
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
			if s.Restoring != nil {
				if missing, _ := s.Missing(s.Restoring); len(missing) == 0 {
					s.logf("session restored: every input matches its SHA-256")
					s.Restoring = nil
				}
			}
		}
	case "section":
		var sec api.Section
		if err := unmarshalSection(ev.Data, &sec); err == nil {
			s.putSection(sec)
			if sec.ID == "de-custom" && s.DEPending != nil {
				s.DEResult, s.DEPending = s.DEPending, nil
			}
		}
	case "report":
		var d api.Download
		if err := unmarshalDownload(ev.Data, &d); err == nil {
			s.Report = &d
			s.logf("report ready: %s", d.Name)
		}
	case "info":
		var in api.Info
		if err := json.Unmarshal(ev.Data, &in); err == nil {
			s.Info = &in
		}
	case "samples":
		var v api.SamplesView
		if err := json.Unmarshal(ev.Data, &v); err == nil {
			// The design builder follows the sheet's default design until the
			// user edits it (new roles can change the default).
			if v.DE.Formula != "" && (s.DE.Formula == "" || s.Sheet != nil && s.DE == s.Sheet.DE) {
				s.DE = v.DE
			}
			s.Sheet = &v
			if j := s.job(ev.ID); j != nil && j.Kind == api.KindRoles {
				if rolesKey(s.Roles) != rolesKey(v.Roles) {
					s.staleAnalysis("the sample-sheet roles changed")
				}
				s.Roles, s.RoleError = v.Roles, nil
				s.logf("sample-sheet roles: %s", orDetected(s.RolesText()))
				for _, n := range v.RoleNotes {
					s.logf("%s", n)
				}
			} else if !s.RolesUnsent {
				s.Roles = v.Roles // the engine's roles are the truth
			}
		}
	case "deDesign":
		var d api.DEDesign
		if err := json.Unmarshal(ev.Data, &d); err == nil {
			s.DEDesign = &d
		}
	case "bench":
		var b api.BenchResult
		if err := json.Unmarshal(ev.Data, &b); err == nil {
			s.Bench = &b
		}
	}
}

// staleAnalysis marks the shown analysis as no longer describing the session
// (the engine dropped it).
func (s *Store) staleAnalysis(why string) {
	if s.Analysed && s.AnalysisStale == "" {
		s.AnalysisStale = "The results below were computed before " + why + ": press Analyse (Load screen) to bring them up to date."
	}
}

func orDetected(s string) string {
	if s == "" {
		return "as detected"
	}
	return s
}

// putSection adds a section or replaces the one with the same ID.
func (s *Store) putSection(sec api.Section) {
	for i := range s.Sections {
		if s.Sections[i].ID == sec.ID {
			s.Sections[i] = sec
			return
		}
	}
	s.Sections = append(s.Sections, sec)
}

// SectionsFor returns the sections shown on a screen.
func (s *Store) SectionsFor(screen string) []api.Section {
	var out []api.Section
	for _, sec := range s.Sections {
		if sec.Screen == screen {
			out = append(out, sec)
		}
	}
	return out
}

// SetHighlight picks a patient to highlight everywhere; picking it again clears it.
func (s *Store) SetHighlight(patient string) {
	if s.Highlight == patient {
		s.Highlight = ""
		return
	}
	s.Highlight = patient
}

// Screen is one page of the app, listed in the navigation bar. Analysis screens
// show the result sections whose Screen matches their ID.
type Screen struct {
	ID       string
	Title    string
	Analysis bool   // shows analysis sections
	Empty    string // what to do when it has nothing yet
}

// Screens are the app's pages in workflow order.
var Screens = []Screen{
	{ID: "load", Title: "Load"},
	{ID: "samples", Title: "Samples", Analysis: true},
	{ID: "qc", Title: "QC", Analysis: true},
	{ID: "fish", Title: "FISH", Analysis: true, Empty: "Load per-cell FISH counts (a table or spot-count files) to see areas, tumours and heterogeneity calls."},
	{ID: "expression", Title: "Expression", Analysis: true},
	{ID: "pathways", Title: "Pathways", Analysis: true},
	{ID: "subtypes", Title: "Subtypes", Analysis: true},
	{ID: "immune", Title: "Immune", Analysis: true},
	{ID: "de", Title: "Differential expression", Analysis: true},
	{ID: "prepost", Title: "Pre/Post", Analysis: true, Empty: "Needs pre- and post-treatment samples of the same patients."},
	{ID: "spatial", Title: "Spatial", Analysis: true, Empty: "Load GeoMx DCC files with their PKC and annotation, or a DSP export."},
	{ID: "response", Title: "Response", Analysis: true},
	{ID: "report", Title: "Report"},
	{ID: "about", Title: "About"},
}

// ScreenByID returns the screen with the given ID.
func ScreenByID(id string) Screen {
	for _, s := range Screens {
		if s.ID == id {
			return s
		}
	}
	return Screen{ID: id, Title: id}
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
