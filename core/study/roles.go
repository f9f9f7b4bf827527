package study

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/ingest"
)

// sheetRoles is what the Inputs keep to re-read the sample sheet with roles the
// user chose: the sheet's raw bytes, its columns with the roles detected from
// their names, and the overrides in effect (or waiting for a sheet).
type sheetRoles struct {
	sheetRaw []byte
	// detected lists every column of the sheet, in file order, with the role
	// it got without overrides (ingest's rules: one column per role, the first
	// column is the sample column when none is named like one).
	detected []ColumnRole
	// roles are the user's overrides, column name -> role; only those that
	// differ from the detected role are kept.
	roles map[string]dataset.Role
}

// ColumnRole is one sample-sheet column: its detected role, the role in effect
// and whether the user set it.
type ColumnRole struct {
	Name     string       `json:"name"`
	Detected dataset.Role `json:"detected"`
	Role     dataset.Role `json:"role"`
	Set      bool         `json:"set,omitempty"`
}

// SheetColumns lists every column of the sample sheet in file order, ignored
// ones included, with the detected role and the role in effect. Nil without a
// sheet.
func (in *Inputs) SheetColumns() []ColumnRole {
	if in.sheet == nil {
		return nil
	}
	out := make([]ColumnRole, len(in.detected))
	for i, c := range in.detected {
		out[i] = c
		if r, ok := in.roles[c.Name]; ok {
			out[i].Role, out[i].Set = r, true
		} else if sc := in.sheet.ByName(c.Name); sc != nil {
			out[i].Role = sc.Role
		}
	}
	return out
}

// RoleOverrides returns a copy of the role overrides in effect (column name ->
// role); nil when the sheet's roles are the detected ones.
func (in *Inputs) RoleOverrides() map[string]dataset.Role {
	if len(in.roles) == 0 {
		return nil
	}
	out := make(map[string]dataset.Role, len(in.roles))
	for k, v := range in.roles {
		out[k] = v
	}
	return out
}

// keepSheet records a newly added sheet (read without overrides) and applies
// overrides set before it arrived. It returns the notes and warnings for the
// file summary: overrides that could not be applied are dropped, with the reason.
func (in *Inputs) keepSheet(raw []byte, sh *dataset.SampleSheet) (notes, warnings []string) {
	in.sheetRaw = raw
	in.detected = in.detected[:0:0]
	for _, c := range sh.Columns {
		in.detected = append(in.detected, ColumnRole{Name: c.Name, Detected: c.Role, Role: c.Role})
	}
	pending := in.roles
	in.roles = nil
	if len(pending) == 0 {
		return nil, nil
	}
	n, err := in.SetRoles(pending)
	if err != nil {
		return nil, []string{"the sample-sheet roles set earlier were not applied: " + err.Error()}
	}
	if s := in.RolesText(); s != "" {
		n = append(n, rolesNote+s)
	}
	return n, nil
}

// SetRoles re-reads the sample sheet with the given column roles (column name ->
// role) in place of the roles detected from the column names, as
// ingest.Options.Roles does for the command line; every analysis then uses them.
// An empty map returns to the detected roles. Without a sheet the overrides are
// kept and applied when a sheet is added (a failure then is a warning of that
// file and the detected roles stay).
//
// The overrides are checked before anything changes, and a failed call leaves the
// Inputs unchanged. Errors, in words a person can act on:
//   - a column the sheet does not have; a role that is not one of dataset's;
//   - two columns set to the same role (one column per role; a column detected
//     with a role someone else was given becomes a covariate, noted in the
//     returned notes);
//   - no sample column, or one whose values repeat, or (with a matrix loaded)
//     none of whose values is a matrix column;
//   - a response, HET, HR, ER or PR column without exactly two levels after
//     normalisation, or with values the role does not understand; timepoint,
//     RCB and IHC columns with values not understood; a role column with no
//     value at all.
//
// The returned notes say what changed beyond the overrides themselves.
func (in *Inputs) SetRoles(roles map[string]dataset.Role) (notes []string, err error) {
	for name, r := range roles {
		if r < dataset.RoleOther || r > dataset.RoleIgnore {
			return nil, fmt.Errorf("column %q: role %d is not a sample-sheet role", name, int(r))
		}
	}
	if in.sheet == nil {
		in.roles = nil
		for k, v := range roles {
			if in.roles == nil {
				in.roles = map[string]dataset.Role{}
			}
			in.roles[k] = v
		}
		return nil, nil
	}
	byName := map[string]int{}
	var names []string
	for i, c := range in.detected {
		byName[c.Name] = i
		names = append(names, c.Name)
	}
	// Keep only real changes, in file order for deterministic messages.
	set := map[string]dataset.Role{}
	var order []string
	for name, r := range roles {
		i, ok := byName[name]
		if !ok {
			return nil, fmt.Errorf("%s has no column %q (columns: %s)", in.sheetName, name, strings.Join(names, ", "))
		}
		if r != in.detected[i].Detected {
			set[name] = r
			order = append(order, name)
		}
	}
	sort.Slice(order, func(a, b int) bool { return byName[order[a]] < byName[order[b]] })
	// One column per role among those set explicitly.
	owner := map[dataset.Role]string{}
	for _, name := range order {
		r := set[name]
		if r == dataset.RoleOther || r == dataset.RoleIgnore {
			continue
		}
		if prev, dup := owner[r]; dup {
			return nil, fmt.Errorf("columns %q and %q are both set to %s: a sample sheet has one %s column (make the other a covariate or ignore it)", prev, name, r, r)
		}
		owner[r] = name
	}
	// What ingest reads: the overrides, plus detected columns whose role was
	// given to another column, now covariates.
	read := make(map[string]dataset.Role, len(set))
	for k, v := range set {
		read[k] = v
	}
	sample := ""
	for _, c := range in.detected {
		if _, own := set[c.Name]; own {
			if set[c.Name] == dataset.RoleSample {
				sample = c.Name
			}
			continue
		}
		if by, taken := owner[c.Detected]; taken && c.Detected != dataset.RoleOther && c.Detected != dataset.RoleIgnore {
			read[c.Name] = dataset.RoleOther
			notes = append(notes, fmt.Sprintf("column %q (detected as %s) is now a covariate: %q is the %s column", c.Name, c.Detected, by, c.Detected))
			continue
		}
		if c.Detected == dataset.RoleSample && sample == "" {
			sample = c.Name
		}
	}
	if sample == "" {
		return nil, fmt.Errorf("no sample column: one column must identify the samples (its values are the count matrix's column names); set one column to sample")
	}
	if len(read) == 0 {
		read = nil
	}
	l, err := ingest.ReadAny(in.sheetName, bytes.NewReader(in.sheetRaw), ingest.Options{SizeHint: int64(len(in.sheetRaw)), Roles: read})
	if err != nil {
		return nil, err
	}
	sh := l.Sheet
	if sh == nil {
		return nil, fmt.Errorf("%s is no longer read as a sample sheet with these roles", in.sheetName)
	}
	if _, own := set[sample]; own {
		for _, w := range l.Report.Warnings {
			if strings.Contains(w.Msg, "already on line") {
				return nil, fmt.Errorf("column %q cannot be the sample column: its values repeat (%s:%d: %s)", sample, w.File, w.Line, w.Msg)
			}
		}
		if ms, mname := in.MatrixSamples(); ms != nil {
			found := false
			for _, s := range ms {
				if sh.Index(s) >= 0 {
					found = true
					break
				}
			}
			if !found {
				return nil, fmt.Errorf("column %q cannot be the sample column: none of its values is a column of %s (e.g. %q)", sample, mname, ms[0])
			}
		}
	}
	for _, name := range order {
		if err := checkRoleLevels(sh.ByName(name), set[name]); err != nil {
			return nil, err
		}
	}
	in.sheet = sh
	in.roles = set
	if len(in.roles) == 0 {
		in.roles = nil
	}
	in.noteRoles()
	return notes, nil
}

// checkRoleLevels checks the values of a column the user gave role r.
func checkRoleLevels(c *dataset.SheetColumn, r dataset.Role) error {
	if c == nil { // ignored
		return nil
	}
	var two [2]string
	switch r {
	case dataset.RoleResponse:
		two = [2]string{"yes", "no"}
	case dataset.RoleHET:
		two = [2]string{"1", "0"}
	case dataset.RoleHR, dataset.RoleER, dataset.RolePR:
		two = [2]string{"pos", "neg"}
	case dataset.RoleTimepoint, dataset.RoleRCB, dataset.RoleIHC:
	default:
		return nil
	}
	var unknown, levels []string
	seenU, seenL := map[string]bool{}, map[string]bool{}
	for _, raw := range c.Raw {
		v, ok := dataset.NormalizeLevel(r, raw)
		shown := v
		if !ok {
			shown = fmt.Sprintf("%q", v)
			if !seenU[v] {
				seenU[v] = true
				unknown = append(unknown, shown)
			}
		}
		if v != "" && !seenL[v] {
			seenL[v] = true
			levels = append(levels, shown)
		}
	}
	if len(levels) == 0 {
		return fmt.Errorf("column %q as %s: every value is missing", c.Name, r)
	}
	notUnderstood := ""
	if len(unknown) > 0 {
		if len(unknown) > 6 {
			unknown = append(unknown[:6], fmt.Sprintf("... (%d more)", len(unknown)-6))
		}
		notUnderstood = fmt.Sprintf("%s not understood as %s levels (%s)", strings.Join(unknown, ", "), r, roleLevelHint(r))
	}
	if two[0] != "" && (len(levels) != 2 || notUnderstood != "") {
		if len(levels) > 8 {
			levels = append(levels[:8], "...")
		}
		msg := fmt.Sprintf("column %q as %s: %d level(s) after normalisation (%s); a %s column needs exactly two (%s and %s)",
			c.Name, r, len(seenL), strings.Join(levels, ", "), r, two[0], two[1])
		if notUnderstood != "" {
			msg += "; " + notUnderstood
		}
		return errors.New(msg)
	}
	if notUnderstood != "" {
		return fmt.Errorf("column %q as %s: %s", c.Name, r, notUnderstood)
	}
	return nil
}

func roleLevelHint(r dataset.Role) string {
	switch r {
	case dataset.RoleResponse:
		return "yes: pCR, yes, 1, TRUE; no: RD, no, 0, FALSE"
	case dataset.RoleHET:
		return "1: HET, yes, heterogeneous; 0: non-HET, no, homogeneous"
	case dataset.RoleHR, dataset.RoleER, dataset.RolePR:
		return "pos: positive, +, 1; neg: negative, -, 0"
	case dataset.RoleTimepoint:
		return "pre: baseline, biopsy; post: surgery, residual; on: on-treatment"
	case dataset.RoleRCB:
		return "0, I, II, III or RCB-0 ... RCB-III"
	case dataset.RoleIHC:
		return "0, 1+, 2+, 3+"
	}
	return ""
}

const rolesNote = "roles set by the user: "

// noteRoles records the overrides in the sample sheet's file summary notes (the
// Load screen and the report's inputs show them).
func (in *Inputs) noteRoles() {
	for i := range in.Files {
		f := &in.Files[i]
		if f.Name != in.sheetName || f.Kind != KindSamples {
			continue
		}
		keep := f.Notes[:0:0]
		for _, n := range f.Notes {
			if !strings.HasPrefix(n, rolesNote) {
				keep = append(keep, n)
			}
		}
		if s := in.RolesText(); s != "" {
			keep = append(keep, rolesNote+s)
		}
		f.Notes = keep
		if len(f.Notes) == 0 {
			f.Notes = nil
		}
	}
}

// RolesText describes the overrides in effect in file order: `pCR_status =
// response, site = ignore`; "" when there are none.
func (in *Inputs) RolesText() string {
	var parts []string
	for _, c := range in.detected {
		if r, ok := in.roles[c.Name]; ok {
			parts = append(parts, c.Name+" = "+r.String())
		}
	}
	return strings.Join(parts, ", ")
}
