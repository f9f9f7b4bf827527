package web

import (
	"sort"
	"strconv"
	"strings"

	"github.com/her2het/her2het/core/api"
	"github.com/vugu/vugu"
	"github.com/vugu/vugu/js"
)

// RoleChoice is one role the Samples screen offers for a sheet column.
type RoleChoice struct {
	Value string // the role's name in api.RolesParams
	Label string
}

// RoleChoices are the roles a column can be given, in the order offered.
var RoleChoices = []RoleChoice{
	{"sample", "sample (matrix column names)"}, {"patient", "patient"}, {"timepoint", "timepoint (pre/post)"},
	{"response", "response (pCR yes/no)"}, {"HET", "HET (1/0)"}, {"HR", "HR (pos/neg)"}, {"ER", "ER (pos/neg)"},
	{"PR", "PR (pos/neg)"}, {"RCB", "RCB (0, I, II, III)"}, {"IHC", "HER2 IHC (0 to 3+)"}, {"batch", "batch"},
	{"other", "covariate"}, {"ignore", "ignore"},
}

// roleLabel names a role as the Samples screen shows it.
func roleLabel(role string) string {
	for _, r := range RoleChoices {
		if r.Value == role {
			return r.Label
		}
	}
	return role
}

// DEResultInfo is what the design builder's result was computed from, to tell
// when it no longer describes the inputs.
type DEResultInfo struct {
	Params api.DEParams
	Roles  string // rolesKey of the roles then
	Inputs string // inputsKey of the files then
}

// rolesKey is a canonical text of role overrides, for comparison.
func rolesKey(roles map[string]string) string {
	keys := make([]string, 0, len(roles))
	for k := range roles {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(k + "\x00" + roles[k] + "\x00")
	}
	return b.String()
}

// inputsKey identifies the loaded files by their hashes.
func (s *Store) inputsKey() string {
	h := make([]string, len(s.Files))
	for i, f := range s.Files {
		h[i] = f.SHA256
	}
	return strings.Join(h, ",")
}

// RolesText lists the role overrides in effect: "pCR_status = response, site =
// ignore" (sorted by column); "" when there are none.
func (s *Store) RolesText() string {
	keys := make([]string, 0, len(s.Roles))
	for k := range s.Roles {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + " = " + roleLabel(s.Roles[k])
	}
	return strings.Join(parts, ", ")
}

// DEStale says why the design builder's result no longer describes what the
// form and the session hold ("" when it does).
func (s *Store) DEStale(form api.DEParams) string {
	r := s.DEResult
	if r == nil {
		return ""
	}
	var why []string
	if r.Inputs != s.inputsKey() {
		why = append(why, "the loaded files changed")
	}
	if r.Roles != rolesKey(s.Roles) {
		why = append(why, "the sample-sheet roles changed")
	}
	if r.Params != form {
		why = append(why, "the form above changed")
	}
	if len(why) == 0 {
		return ""
	}
	return "Out of date: " + strings.Join(why, " and ") + " since this result was computed. It is kept with the parameters it was computed with; press Run to update it."
}

// setRole asks the engine to give column name the role chosen in a select.
func (c *Root) setRole(name string, event vugu.DOMEvent) {
	role := event.PropString("target", "value")
	roles := map[string]string{}
	for k, v := range c.Store.Roles {
		roles[k] = v
	}
	detected := ""
	if c.Store.Sheet != nil {
		for _, col := range c.Store.Sheet.Columns {
			if col.Name == name {
				detected = col.Detected
			}
		}
	}
	if role == detected || detected == "" && role == "" {
		delete(roles, name)
	} else {
		roles[name] = role
	}
	c.sendRoles(roles, "Column "+name+": "+roleLabel(role))
}

// resetRoles returns every column to its detected role.
func (c *Root) resetRoles() { c.sendRoles(map[string]string{}, "Detected sample-sheet roles") }

func (c *Root) sendRoles(roles map[string]string, label string) {
	c.Store.RoleError = nil
	c.Store.RolesUnsent = false
	id := c.Engine.Send(api.KindRoles, api.RolesParams{Roles: roles}, js.Null())
	c.Store.Start(id, api.KindRoles, label)
}

// syncRoles is called by Compute: it sends the session's roles to an engine
// that may not have them (after a restart, a restored session or the example
// cohort), and puts the role selects back after a refused change.
func (c *Root) syncRoles() {
	s := c.Store
	if s.RolesUnsent && !s.Busy() {
		if len(s.Roles) > 0 {
			c.sendRoles(s.Roles, "Restoring sample-sheet roles")
		}
		s.RolesUnsent = false
	}
	if s.RolesRevert && s.Sheet != nil {
		s.RolesRevert = false
		doc := js.Global().Get("document")
		if !doc.Truthy() {
			return
		}
		for i, col := range s.Sheet.Columns {
			if el := doc.Call("getElementById", roleID(i)); el.Truthy() {
				el.Set("value", col.Role)
			}
		}
	}
}

func roleID(i int) string { return "role-" + strconv.Itoa(i) }

// roleNote describes a column's role next to its select.
func roleNote(col api.SheetColumn) string {
	switch {
	case col.Set:
		return "set by you; detected: " + roleLabel(col.Detected)
	case col.Detected != "" && col.Detected != col.Role:
		return "detected: " + roleLabel(col.Detected)
	}
	return ""
}

func (c *Root) roleRowClass(col api.SheetColumn) string {
	if col.Set {
		return "sheet-col role-changed"
	}
	return "sheet-col"
}

func roleAria(col api.SheetColumn) string { return "Role of column " + col.Name }

// deStale says why the design builder's result is out of date ("" when not).
func (c *Root) deStale() string { return c.Store.DEStale(c.deParams()) }

func (c *Root) deResultClass() string {
	if c.deStale() != "" {
		return "de-result stale"
	}
	return "de-result"
}

// jobStatus is the text of the polite live region: what is running, without
// the progress figures (the progress bars carry those), so a screen reader
// hears each job once.
func (c *Root) jobStatus() string {
	if len(c.Store.Jobs) == 0 {
		return ""
	}
	labels := make([]string, len(c.Store.Jobs))
	for i, j := range c.Store.Jobs {
		labels[i] = j.Label
	}
	return "Working: " + strings.Join(labels, "; ")
}

// jobStep is the text beside a job's bar: the step and its percentage, or the
// step alone when it reports no fraction.
func jobStep(j *Job) string {
	if j.Indeterminate {
		return j.Step
	}
	return j.Step + " " + Percent(j.Fraction)
}
