package engine

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/her2het/her2het/core/api"
	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/study"
)

// maxLevelsShown caps the levels listed for identifier-like columns (sample,
// patient) and free-text columns; Distinct still counts them all.
const maxLevelsShown = 30

// samples describes the loaded sample sheet (the Samples screen).
func (e *Engine) samples(req api.Request, emit Emit) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	v, err := e.sheetView()
	if err != nil {
		return err
	}
	emit(api.Event{ID: req.ID, Kind: api.EventData, DataType: "samples", Data: api.Marshal(v)})
	return nil
}

// sheetView describes the session's sample sheet with its roles and the samples
// that do not join the matrix. The caller holds e.mu.
func (e *Engine) sheetView() (api.SamplesView, error) {
	sh, name := e.inputs.Sheet()
	v, err := samplesView(sh, name)
	if err != nil {
		return api.SamplesView{}, err
	}
	ms, mname := e.inputs.MatrixSamples()
	v.Warnings = append(v.Warnings, sampleMismatch(v.File, v.sheet, mname, ms)...)
	v.addRoles(e.inputs.SheetColumns())
	for col, r := range e.inputs.RoleOverrides() {
		if v.Roles == nil {
			v.Roles = map[string]string{}
		}
		v.Roles[col] = r.String()
	}
	return v.SamplesView, nil
}

// addRoles marks each column's detected role and whether the user set its role,
// and lists ignored columns (absent from the sheet) in file order.
func (v *sheetView) addRoles(cols []study.ColumnRole) {
	if len(cols) == 0 {
		return
	}
	byName := map[string]api.SheetColumn{}
	for _, c := range v.Columns {
		byName[c.Name] = c
	}
	out := make([]api.SheetColumn, 0, len(cols))
	for _, c := range cols {
		col, ok := byName[c.Name]
		if !ok {
			col = api.SheetColumn{Name: c.Name, Role: c.Role.String()}
		}
		col.Detected, col.Set = c.Detected.String(), c.Set
		out = append(out, col)
	}
	v.Columns = out
}

// setRoles answers KindRoles: the sheet is read again with the roles asked for
// (study.Inputs.SetRoles) and described. An earlier analysis no longer describes
// the inputs and is dropped, as after a load.
func (e *Engine) setRoles(req api.Request, emit Emit) error {
	var p api.RolesParams
	if err := decodeParams(req, &p); err != nil {
		return err
	}
	roles := make(map[string]dataset.Role, len(p.Roles))
	for col, name := range p.Roles {
		r, ok := ParseRole(name)
		if !ok {
			return &api.Error{Message: fmt.Sprintf("column %q: %q is not a role; choose one of %s", col, name, strings.Join(RoleChoices, ", "))}
		}
		roles[col] = r
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	before := e.inputs.RolesText()
	notes, err := e.inputs.SetRoles(roles)
	if err != nil {
		return err
	}
	sh, _ := e.inputs.Sheet()
	if sh == nil {
		return nil // kept for the sheet to come
	}
	if e.inputs.RolesText() != before {
		e.result = nil
	}
	v, err := e.sheetView()
	if err != nil {
		return err
	}
	v.RoleNotes = notes
	emit(api.Event{ID: req.ID, Kind: api.EventData, DataType: "samples", Data: api.Marshal(v)})
	return nil
}

// RoleChoices are the role names a KindRoles request accepts, in the order the
// Samples screen offers them ("other" is shown as covariate).
var RoleChoices = []string{"sample", "patient", "timepoint", "response", "HET", "HR", "ER", "PR", "RCB", "IHC", "batch", "other", "ignore"}

// ParseRole reads a role name of a KindRoles request: dataset's role names (any
// case), "pCR" for response and "covariate" for other.
func ParseRole(s string) (dataset.Role, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "pcr":
		return dataset.RoleResponse, true
	case "covariate":
		return dataset.RoleOther, true
	}
	return dataset.ParseRole(strings.TrimSpace(s))
}

// rolesParam shows the role overrides in effect next to the results they
// produced; ok is false when every role is the detected one.
func (e *Engine) rolesParam() (api.Param, bool) {
	s := e.inputs.RolesText()
	if s == "" {
		return api.Param{}, false
	}
	return api.Param{Name: "sample-sheet roles (set by you)", Value: s}, true
}

type sheetView struct {
	api.SamplesView
	sheet *dataset.SampleSheet
}

// samplesView builds the SamplesView of a sheet: columns with roles and levels,
// counts per patient and per sample, patient-level disagreements and values a
// role did not understand. It returns an error when no sheet was loaded.
func samplesView(sh *dataset.SampleSheet, name string) (*sheetView, error) {
	if sh == nil {
		return nil, &api.Error{Message: "no sample sheet loaded: drop a sample sheet (one row per sample: sample, patient, timepoint, pCR, HET, ...) on the Load screen"}
	}
	v := &sheetView{SamplesView: api.SamplesView{File: name, Samples: len(sh.Samples)}, sheet: sh}
	for _, c := range sh.Columns {
		col := api.SheetColumn{Name: c.Name, Role: c.Role.String()}
		for _, l := range c.Levels {
			if l.Value == "" {
				col.Missing += l.N
				continue
			}
			col.Distinct++
			if len(col.Levels) < maxLevelsShown {
				col.Levels = append(col.Levels, api.SheetLevel{Level: l.Value, From: append([]string(nil), l.From...), N: l.N})
			}
		}
		v.Columns = append(v.Columns, col)
		if c.Role != dataset.RoleOther && c.Role != dataset.RoleSample && c.Role != dataset.RolePatient &&
			c.Role != dataset.RoleBatch && c.Role != dataset.RoleIgnore {
			for _, raw := range c.Raw {
				if _, ok := dataset.NormalizeLevel(c.Role, raw); !ok {
					v.Warnings = append(v.Warnings, fmt.Sprintf("column %s (%s): value %q is not understood and is kept as written", c.Name, c.Role, raw))
					break
				}
			}
		}
	}
	for _, d := range sh.PatientDisagreements() {
		v.Warnings = append(v.Warnings, "patient-level disagreement: "+d.String())
	}
	v.Counts = groupCounts(sh)
	v.DE = DEDefaults(sh)
	return v, nil
}

// groupCounts tabulates pCR x HET per patient and per sample, and timepoint per sample.
func groupCounts(sh *dataset.SampleSheet) []api.TableView {
	var out []api.TableView
	resp, het, tp := sh.Column(dataset.RoleResponse), sh.Column(dataset.RoleHET), sh.Column(dataset.RoleTimepoint)
	pat := sh.Column(dataset.RolePatient)
	if resp != nil || het != nil {
		// The dimensions present: response and HET, or the one the sheet has.
		var roles []dataset.Role
		var names []string
		for _, c := range []*dataset.SheetColumn{resp, het} {
			if c != nil {
				roles, names = append(roles, c.Role), append(names, c.Name)
			}
		}
		key := func(i int) [2]string {
			var k [2]string
			for d, r := range roles {
				k[d] = levelOrNA(sh.Value(r, i))
			}
			return k
		}
		perSample := map[[2]string]int{}
		perPatient := map[[2]string]int{}
		seen := map[string]bool{}
		for i := range sh.Samples {
			k := key(i)
			perSample[k]++
			if pat != nil {
				p := sh.Value(dataset.RolePatient, i)
				if p == "" || seen[p] {
					continue
				}
				seen[p] = true
				perPatient[k]++
			}
		}
		cols := append([]string(nil), names...)
		if pat != nil {
			cols = append(cols, "patients")
		}
		cols = append(cols, "samples")
		t := api.TableView{ID: "samples-groups", Title: "Groups: " + strings.Join(names, " x ") + " (patients and samples)", Columns: cols}
		for _, k := range sortedKeys(perSample) {
			row := append([]string(nil), k[:len(names)]...)
			if pat != nil {
				row = append(row, strconv.Itoa(perPatient[k]))
			}
			t.Rows = append(t.Rows, append(row, strconv.Itoa(perSample[k])))
		}
		out = append(out, t)
	}
	if tp != nil {
		perSample := map[[2]string]int{}
		patients := map[[2]string]map[string]bool{}
		for i := range sh.Samples {
			k := [2]string{levelOrNA(sh.Value(dataset.RoleTimepoint, i)), ""}
			perSample[k]++
			if pat != nil {
				if patients[k] == nil {
					patients[k] = map[string]bool{}
				}
				if p := sh.Value(dataset.RolePatient, i); p != "" {
					patients[k][p] = true
				}
			}
		}
		cols := []string{tp.Name, "samples"}
		if pat != nil {
			cols = []string{tp.Name, "patients", "samples"}
		}
		t := api.TableView{ID: "samples-timepoints", Title: "Samples per " + tp.Name, Columns: cols}
		for _, k := range sortedKeys(perSample) {
			row := []string{k[0]}
			if pat != nil {
				row = append(row, strconv.Itoa(len(patients[k])))
			}
			t.Rows = append(t.Rows, append(row, strconv.Itoa(perSample[k])))
		}
		out = append(out, t)
	}
	if pat != nil {
		// Samples per patient: how many patients have 1, 2, 3... samples.
		n := map[string]int{}
		for i := range sh.Samples {
			if p := sh.Value(dataset.RolePatient, i); p != "" {
				n[p]++
			}
		}
		hist := map[[2]string]int{}
		for _, c := range n {
			hist[[2]string{fmt.Sprintf("%03d", c), ""}]++
		}
		t := api.TableView{ID: "samples-per-patient", Title: "Samples per patient", Columns: []string{"samples per patient", "patients"}}
		for _, k := range sortedKeys(hist) {
			c, _ := strconv.Atoi(k[0])
			t.Rows = append(t.Rows, []string{strconv.Itoa(c), strconv.Itoa(hist[k])})
		}
		out = append(out, t)
	}
	return out
}

func levelOrNA(s string) string {
	if s == "" {
		return "NA"
	}
	return s
}

func sortedKeys(m map[[2]string]int) [][2]string {
	keys := make([][2]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(a, b int) bool {
		if keys[a][0] != keys[b][0] {
			return keys[a][0] < keys[b][0]
		}
		return keys[a][1] < keys[b][1]
	})
	return keys
}

// sampleMismatch lists the samples found in the sheet but not the matrix and the
// other way round (the first few of each, with counts).
func sampleMismatch(sheetName string, sh *dataset.SampleSheet, matName string, matSamples []string) []string {
	if sh == nil || matSamples == nil {
		return nil
	}
	inMat := make(map[string]bool, len(matSamples))
	for _, s := range matSamples {
		inMat[s] = true
	}
	var onlySheet, onlyMat []string
	for _, s := range sh.Samples {
		if !inMat[s] {
			onlySheet = append(onlySheet, s)
		}
	}
	for _, s := range matSamples {
		if sh.Index(s) < 0 {
			onlyMat = append(onlyMat, s)
		}
	}
	var w []string
	if len(onlySheet) > 0 {
		w = append(w, fmt.Sprintf("%d sample(s) of %s are not columns of %s: %s", len(onlySheet), sheetName, matName, firstFew(onlySheet)))
	}
	if len(onlyMat) > 0 {
		w = append(w, fmt.Sprintf("%d column(s) of %s are not samples of %s: %s", len(onlyMat), matName, sheetName, firstFew(onlyMat)))
	}
	return w
}

func firstFew(s []string) string {
	const n = 8
	if len(s) <= n {
		return strings.Join(s, ", ")
	}
	return strings.Join(s[:n], ", ") + fmt.Sprintf(", ... (%d more)", len(s)-n)
}
