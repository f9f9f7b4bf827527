package web

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/her2het/her2het/core/api"
)

// Params are the analysis settings the app exposes; they travel to the engine as
// core/study parameters (JSON field names match) and are shown with the results.
type Params struct {
	Normalisation   string `json:"normalisation"`
	ScoreMethod     string `json:"scoreMethod"`
	Kernel          string `json:"kernel"`
	FISHRule        string `json:"fishRule"`
	MinNuclei       int    `json:"minNuclei"`
	PerBiopsy       bool   `json:"perBiopsy"`
	ExcludeOutliers bool   `json:"excludeOutliers"`
}

// DefaultParams are the study's documented defaults.
func DefaultParams() Params {
	return Params{Normalisation: "tmm-logcpm", ScoreMethod: "gsva", Kernel: "gaussian", FISHRule: "ratio>=2", MinNuclei: 20, ExcludeOutliers: true}
}

// Choices lists the values each setting offers, for the settings form.
var Choices = map[string][]string{
	"normalisation": {"tmm-logcpm", "logcpm"},
	"scoreMethod":   {"gsva", "ssgsea", "zscore", "plage", "singscore"},
	"kernel":        {"gaussian", "poisson"},
	"fishRule":      {"ratio>=2", "ratio>2.2", "erbb2>=6"},
}

// Session is what a saved session file holds: the settings, the version, and the
// identity of every input (name, size, SHA-256) but no patient data. Restoring asks
// for the same files and checks their hashes before re-running.
type Session struct {
	Format  string        `json:"format"` // "her2het-session"
	Version string        `json:"version"`
	Params  Params        `json:"params"`
	Inputs  []SessionFile `json:"inputs"`
	Example bool          `json:"example,omitempty"` // the built-in synthetic cohort
	// DE is the differential-expression design builder's form (formula, contrast,
	// method, block, FDR), when one was filled in.
	DE *api.DEParams `json:"de,omitempty"`
	// Roles are the sample-sheet role overrides (column -> role) chosen on the
	// Samples screen; restoring sends them to the engine, which applies them
	// when the sheet is loaded.
	Roles map[string]string `json:"roles,omitempty"`
}

// SessionFile identifies one input.
type SessionFile struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// SessionJSON returns the current session as indented JSON.
func (s *Store) SessionJSON() string {
	ses := Session{Format: "her2het-session", Version: api.Version, Params: s.Params, Example: s.Example, Roles: s.Roles}
	if s.DE.Formula != "" {
		de := s.DE
		ses.DE = &de
	}
	for _, f := range s.Files {
		ses.Inputs = append(ses.Inputs, SessionFile{Name: f.Name, Size: f.Size, SHA256: f.SHA256})
	}
	b, _ := json.MarshalIndent(ses, "", "  ")
	return string(b) + "\n"
}

// ReadSession parses a saved session, with a message a person can act on.
func ReadSession(name, text string) (*Session, error) {
	var ses Session
	if err := json.Unmarshal([]byte(text), &ses); err != nil {
		return nil, fmt.Errorf("%s: not a her2het session file: %v", name, err)
	}
	if ses.Format != "her2het-session" {
		return nil, fmt.Errorf("%s: not a her2het session file (format %q)", name, ses.Format)
	}
	return &ses, nil
}

// Missing lists the session inputs not yet loaded (by SHA-256), and loaded files
// whose name matches an input but whose content differs.
func (s *Store) Missing(ses *Session) (missing []SessionFile, changed []string) {
	have := map[string]bool{}
	byName := map[string]string{}
	for _, f := range s.Files {
		have[f.SHA256] = true
		byName[f.Name] = f.SHA256
	}
	for _, in := range ses.Inputs {
		if have[in.SHA256] {
			continue
		}
		missing = append(missing, in)
		if h, ok := byName[in.Name]; ok && h != in.SHA256 {
			changed = append(changed, in.Name)
		}
	}
	sort.Strings(changed)
	return missing, changed
}
