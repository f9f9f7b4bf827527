package dataset

import (
	"fmt"
	"sort"
	"strings"
)

// Role is what a sample-sheet column means to the analyses.
type Role int

const (
	RoleOther     Role = iota // any other covariate, kept as text
	RoleSample                // sample identifier (matches matrix column names)
	RolePatient               // patient identifier (pairs biopsies of one patient)
	RoleTimepoint             // pre / post / on treatment
	RoleResponse              // pathological complete response (yes / no)
	RoleRCB                   // residual cancer burden class (0, I, II, III)
	RoleHET                   // HER2 heterogeneity (1 / 0)
	RoleHR                    // hormone receptor status (pos / neg)
	RoleER                    // oestrogen receptor status (pos / neg)
	RolePR                    // progesterone receptor status (pos / neg)
	RoleBatch                 // technical batch
	RoleIHC                   // HER2 IHC score (0, 1+, 2+, 3+)
	RoleIgnore                // column the user asked to ignore
)

var roleNames = [...]string{"other", "sample", "patient", "timepoint", "response", "RCB", "HET", "HR", "ER", "PR", "batch", "IHC", "ignore"}

func (r Role) String() string {
	if r >= 0 && int(r) < len(roleNames) {
		return roleNames[r]
	}
	return fmt.Sprintf("Role(%d)", int(r))
}

// ParseRole returns the Role named s (as printed by String, any case).
func ParseRole(s string) (Role, bool) {
	for i, n := range roleNames {
		if strings.EqualFold(n, s) {
			return Role(i), true
		}
	}
	return RoleOther, false
}

// PatientLevel reports whether a role describes the patient (so all of a patient's
// samples must agree), not the sample.
func (r Role) PatientLevel() bool {
	switch r {
	case RoleResponse, RoleRCB, RoleHET, RoleHR, RoleER, RolePR:
		return true
	}
	return false
}

// roleSynonyms maps normalised column names (lower case, no spaces, '_', '-', '.')
// to roles.
var roleSynonyms = map[string]Role{
	"sampleid": RoleSample, "sample": RoleSample, "id": RoleSample, "samplename": RoleSample, "sampleids": RoleSample,
	"library": RoleSample, "libraryid": RoleSample, "biopsyid": RoleSample, "specimen": RoleSample, "specimenid": RoleSample,
	"geoaccession": RoleSample, "run": RoleSample, "title": RoleSample,
	"patientid": RolePatient, "patient": RolePatient, "subject": RolePatient, "subjectid": RolePatient, "case": RolePatient,
	"caseid": RolePatient, "donor": RolePatient, "donorid": RolePatient, "individual": RolePatient, "pid": RolePatient,
	"tpt": RoleTimepoint, "timepoint": RoleTimepoint, "time": RoleTimepoint, "visit": RoleTimepoint, "prepost": RoleTimepoint,
	"treatment": RoleTimepoint, "timing": RoleTimepoint, "stage": RoleTimepoint,
	"pcr": RoleResponse, "response": RoleResponse, "pathcr": RoleResponse, "pathologicalcompleteresponse": RoleResponse,
	"rcb": RoleRCB, "rcbcategory": RoleRCB, "rcbclass": RoleRCB, "rcbcat": RoleRCB,
	"het": RoleHET, "her2het": RoleHET, "her2heterogeneity": RoleHET, "heterogeneity": RoleHET, "hetstatus": RoleHET,
	"hr": RoleHR, "hrstatus": RoleHR, "hormonereceptor": RoleHR, "hormonereceptorstatus": RoleHR,
	"er": RoleER, "erstatus": RoleER, "pr": RolePR, "prstatus": RolePR, "pgr": RolePR,
	"batch": RoleBatch, "seqbatch": RoleBatch, "lane": RoleBatch, "flowcell": RoleBatch, "plate": RoleBatch,
	"ihc": RoleIHC, "her2ihc": RoleIHC, "ihcscore": RoleIHC, "her2ihcscore": RoleIHC,
}

// RoleOf guesses a column's role from its name; RoleOther when nothing matches.
func RoleOf(name string) Role {
	k := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '_', '-', '.', '/', '(', ')':
			return -1
		}
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, name)
	if r, ok := roleSynonyms[k]; ok {
		return r
	}
	return RoleOther
}

// NormalizeLevel maps a raw cell of a column with role r to its normalised level:
//
//	timepoint: pre (Pre, PRE, baseline, biopsy, pretreatment, T0, BL), post (Post,
//	           residual, surgery, posttreatment, resection), on (on-treatment, during)
//	response:  yes (pCR, Yes, Y, 1, TRUE, complete), no (No, N, 0, FALSE, RD, non-pCR)
//	RCB:       0 (RCB-0, pCR), I, II, III (also 1, 2, 3 and "RCB-II")
//	HET:       1 (yes, HET, heterogeneous, TRUE), 0 (no, non-HET, homogeneous, FALSE)
//	HR/ER/PR:  pos (positive, +, 1, yes), neg (negative, -, 0, no)
//	IHC:       0, 1+, 2+, 3+ (also 1, 2, 3)
//
// Missing cells (empty, NA, N/A, unknown, ".") give "" and ok true. Other roles keep
// the trimmed text. ok is false when a value of a recognised role is not understood;
// the trimmed text is returned then.
func NormalizeLevel(r Role, raw string) (level string, ok bool) {
	s := strings.TrimSpace(raw)
	l := strings.ToLower(s)
	switch l {
	case "", "na", "n/a", "nan", "unknown", "unk", ".", "null", "missing", "#n/a":
		return "", true
	}
	key := strings.NewReplacer(" ", "", "-", "", "_", "", ".", "").Replace(l)
	switch r {
	case RoleTimepoint:
		switch key {
		case "pre", "baseline", "biopsy", "pretreatment", "pretx", "t0", "bl", "diagnosis", "diagnostic", "before", "screening", "prenac":
			return "pre", true
		case "post", "residual", "surgery", "surgical", "posttreatment", "posttx", "resection", "after", "rd", "postnac", "t2":
			return "post", true
		case "on", "ontreatment", "during", "ontx", "t1", "early":
			return "on", true
		}
	case RoleResponse:
		switch key {
		case "yes", "y", "1", "true", "t", "pcr", "complete", "cr", "responder":
			return "yes", true
		case "no", "n", "0", "false", "f", "rd", "nonpcr", "nopcr", "residual", "residualdisease", "nonresponder":
			return "no", true
		}
	case RoleRCB:
		k := strings.TrimPrefix(key, "rcb")
		switch k {
		case "0", "pcr":
			return "0", true
		case "i", "1":
			return "I", true
		case "ii", "2":
			return "II", true
		case "iii", "3":
			return "III", true
		}
	case RoleHET:
		switch key {
		case "1", "yes", "y", "het", "true", "heterogeneous", "her2het":
			return "1", true
		case "0", "no", "n", "nonhet", "false", "homogeneous", "nothet":
			return "0", true
		}
	case RoleHR, RoleER, RolePR:
		if strings.HasSuffix(l, "+") || strings.HasSuffix(l, "pos") {
			return "pos", true
		}
		if strings.HasSuffix(l, "-") || strings.HasSuffix(l, "neg") {
			return "neg", true
		}
		switch key {
		case "positive", "1", "yes", "y", "true":
			return "pos", true
		case "negative", "0", "no", "n", "false":
			return "neg", true
		}
	case RoleIHC:
		k := strings.TrimPrefix(strings.TrimPrefix(key, "her2"), "ihc")
		switch strings.TrimSuffix(k, "+") {
		case "0":
			return "0", true
		case "1":
			return "1+", true
		case "2":
			return "2+", true
		case "3":
			return "3+", true
		}
	default:
		return s, true
	}
	return s, false
}

// Level is one normalised value of a column with the raw spellings that became it.
type Level struct {
	Value string   // normalised level ("" = missing)
	From  []string // distinct raw spellings, in order of first appearance
	N     int      // number of samples
}

// SheetColumn is one column of a sample sheet.
type SheetColumn struct {
	Name   string
	Role   Role
	Raw    []string // per sample, as in the file
	Values []string // per sample, normalised ("" = missing)
	Levels []Level  // in order of first appearance
}

// SampleSheet holds one row per sample. Samples[i] is the sample of row i;
// each column's Raw and Values are aligned with Samples.
type SampleSheet struct {
	Samples []string
	Columns []*SheetColumn
}

// Column returns the first column with role r, or nil.
func (s *SampleSheet) Column(r Role) *SheetColumn {
	for _, c := range s.Columns {
		if c.Role == r {
			return c
		}
	}
	return nil
}

// ByName returns the column called name (exact), or nil.
func (s *SampleSheet) ByName(name string) *SheetColumn {
	for _, c := range s.Columns {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Index returns the row of sample id, or -1.
func (s *SampleSheet) Index(id string) int {
	for i, x := range s.Samples {
		if x == id {
			return i
		}
	}
	return -1
}

// Value returns the normalised value of role r for sample row i ("" if absent).
func (s *SampleSheet) Value(r Role, i int) string {
	if c := s.Column(r); c != nil && i >= 0 && i < len(c.Values) {
		return c.Values[i]
	}
	return ""
}

// Normalize fills c.Values and c.Levels from c.Raw according to c.Role and returns
// the raw values it did not understand (distinct, in order).
func (c *SheetColumn) Normalize() (unknown []string) {
	c.Values = make([]string, len(c.Raw))
	c.Levels = c.Levels[:0]
	idx := map[string]int{}
	seenBad := map[string]bool{}
	for i, raw := range c.Raw {
		v, ok := NormalizeLevel(c.Role, raw)
		if !ok && !seenBad[raw] {
			seenBad[raw] = true
			unknown = append(unknown, raw)
		}
		c.Values[i] = v
		j, ok := idx[v]
		if !ok {
			j = len(c.Levels)
			idx[v] = j
			c.Levels = append(c.Levels, Level{Value: v})
		}
		lv := &c.Levels[j]
		lv.N++
		found := false
		for _, f := range lv.From {
			if f == raw {
				found = true
				break
			}
		}
		if !found {
			lv.From = append(lv.From, raw)
		}
	}
	return unknown
}

// Disagreement is a patient-level value that differs between a patient's samples.
type Disagreement struct {
	Patient string
	Column  string
	Values  map[string]string // sample -> normalised value
}

// PatientDisagreements lists, for every patient-level column (see Role.PatientLevel),
// the patients whose samples carry different non-missing values. Patients are in
// order of first appearance. It returns nil without a patient column.
func (s *SampleSheet) PatientDisagreements() []Disagreement {
	pc := s.Column(RolePatient)
	if pc == nil {
		return nil
	}
	var order []string
	rows := map[string][]int{}
	for i, p := range pc.Values {
		if p == "" {
			continue
		}
		if _, ok := rows[p]; !ok {
			order = append(order, p)
		}
		rows[p] = append(rows[p], i)
	}
	var out []Disagreement
	for _, c := range s.Columns {
		if !c.Role.PatientLevel() {
			continue
		}
		for _, p := range order {
			vals := map[string]bool{}
			for _, i := range rows[p] {
				if c.Values[i] != "" {
					vals[c.Values[i]] = true
				}
			}
			if len(vals) > 1 {
				d := Disagreement{Patient: p, Column: c.Name, Values: map[string]string{}}
				for _, i := range rows[p] {
					d.Values[s.Samples[i]] = c.Values[i]
				}
				out = append(out, d)
			}
		}
	}
	return out
}

// String describes a disagreement in one line, samples sorted.
func (d Disagreement) String() string {
	keys := make([]string, 0, len(d.Values))
	for k := range d.Values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		v := d.Values[k]
		if v == "" {
			v = "NA"
		}
		parts[i] = k + "=" + v
	}
	return fmt.Sprintf("patient %s: %s differs between samples (%s)", d.Patient, d.Column, strings.Join(parts, ", "))
}
