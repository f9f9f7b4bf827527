package study

import (
	"fmt"
	"sort"
	"strings"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/stats"
)

// Group labels of patients, in display order.
const (
	GroupNonHETpCR   = "non-HET/pCR"
	GroupNonHETnopCR = "non-HET/no pCR"
	GroupHETpCR      = "HET/pCR"
	GroupHETnopCR    = "HET/no pCR"
)

var groupOrder = []string{GroupNonHETpCR, GroupNonHETnopCR, GroupHETpCR, GroupHETnopCR, "pCR", "no pCR", "non-HET", "HET"}

// groupOf returns the patient-level group from the normalised HET ("1"/"0"/"") and
// response ("yes"/"no"/"") values: "HET/no pCR" etc., only the known part when the
// other is missing, "" when both are.
func groupOf(het, pcr string) string {
	var h, p string
	switch het {
	case "1":
		h = "HET"
	case "0":
		h = "non-HET"
	}
	switch pcr {
	case "yes":
		p = "pCR"
	case "no":
		p = "no pCR"
	}
	switch {
	case h != "" && p != "":
		return h + "/" + p
	case h != "":
		return h
	}
	return p
}

// patient is one patient of the cohort.
type patient struct {
	ID            string
	PCR, HET, HR  string // normalised: yes/no, 1/0, pos/neg, "" missing
	HETSource     string // "sample sheet", "FISH" or ""
	Group         string
	Pre, Post     []int // sample indices (columns of the cohort matrices)
	IHC           string
	ResponseKnown bool
}

// cohort is the joined view of the matrix and the sample sheet.
type cohort struct {
	Samples   []string
	Patient   []string // per sample
	Timepoint []string // per sample: pre, post, on, "" (missing)
	Patients  []*patient
	byID      map[string]*patient
	Notes     []string
}

// newCohort joins the sample sheet to the matrix columns samples. Without a sheet
// every sample is its own pretreatment patient with no group.
func newCohort(samples []string, sheet *dataset.SampleSheet) (*cohort, error) {
	c := &cohort{Samples: samples, byID: map[string]*patient{}}
	c.Patient = make([]string, len(samples))
	c.Timepoint = make([]string, len(samples))
	rows := make([]int, len(samples))
	for i, s := range samples {
		rows[i] = -1
		if sheet != nil {
			rows[i] = sheet.Index(s)
		}
	}
	val := func(r dataset.Role, i int) string {
		if rows[i] < 0 {
			return ""
		}
		return sheet.Value(r, rows[i])
	}
	hasPatient := sheet != nil && sheet.Column(dataset.RolePatient) != nil
	hasTpt := sheet != nil && sheet.Column(dataset.RoleTimepoint) != nil
	if sheet != nil && !hasPatient {
		c.Notes = append(c.Notes, "the sample sheet has no patient column: every sample is its own patient")
	}
	if !hasTpt {
		c.Notes = append(c.Notes, "no timepoint column: every sample is taken as pretreatment")
	}
	for i, s := range samples {
		p := s
		if hasPatient {
			if v := val(dataset.RolePatient, i); v != "" {
				p = v
			}
		}
		c.Patient[i] = p
		t := "pre"
		if hasTpt {
			t = val(dataset.RoleTimepoint, i)
		}
		c.Timepoint[i] = t
		pt := c.byID[p]
		if pt == nil {
			pt = &patient{ID: p}
			c.byID[p] = pt
			c.Patients = append(c.Patients, pt)
		}
		first := func(dst *string, r dataset.Role) {
			if *dst == "" {
				*dst = val(r, i)
			}
		}
		first(&pt.PCR, dataset.RoleResponse)
		first(&pt.HET, dataset.RoleHET)
		first(&pt.HR, dataset.RoleHR)
		first(&pt.IHC, dataset.RoleIHC)
		if pt.HR == "" {
			// HR status from ER/PR when only those are given: positive if either is.
			er, pr := val(dataset.RoleER, i), val(dataset.RolePR, i)
			switch {
			case er == "pos" || pr == "pos":
				pt.HR = "pos"
			case er == "neg" && (pr == "neg" || pr == ""):
				pt.HR = "neg"
			}
		}
		if pt.PCR == "" {
			// RCB 0 is pCR.
			switch val(dataset.RoleRCB, i) {
			case "0":
				pt.PCR = "yes"
			case "I", "II", "III":
				pt.PCR = "no"
			}
		}
		switch t {
		case "pre":
			pt.Pre = append(pt.Pre, i)
		case "post":
			pt.Post = append(pt.Post, i)
		}
	}
	for _, pt := range c.Patients {
		if pt.HET != "" {
			pt.HETSource = "sample sheet"
		}
	}
	sort.Slice(c.Patients, func(a, b int) bool { return c.Patients[a].ID < c.Patients[b].ID })
	c.regroup()
	if len(c.Patients) == 0 {
		return nil, fmt.Errorf("no samples")
	}
	return c, nil
}

func (c *cohort) regroup() {
	for _, pt := range c.Patients {
		pt.Group = groupOf(pt.HET, pt.PCR)
	}
}

// groups returns the groups present among patients with at least one pretreatment
// sample, in display order.
func (c *cohort) groups() []string {
	seen := map[string]bool{}
	for _, pt := range c.Patients {
		if pt.Group != "" && len(pt.Pre) > 0 {
			seen[pt.Group] = true
		}
	}
	var out []string
	for _, g := range groupOrder {
		if seen[g] {
			out = append(out, g)
			delete(seen, g)
		}
	}
	var rest []string
	for g := range seen {
		rest = append(rest, g)
	}
	sort.Strings(rest)
	return append(out, rest...)
}

// unit is one observation of a patient-level (or per-biopsy) analysis.
type unit struct {
	Patient *patient
	Sample  string // the sample, or the patient's samples joined by ";"
	Idx     []int
}

// preUnits returns one unit per patient with pretreatment samples (patient level),
// or one per pretreatment sample when perBiopsy.
func (c *cohort) preUnits(perBiopsy bool) []unit {
	var u []unit
	for _, pt := range c.Patients {
		if len(pt.Pre) == 0 {
			continue
		}
		if perBiopsy {
			for _, i := range pt.Pre {
				u = append(u, unit{pt, c.Samples[i], []int{i}})
			}
			continue
		}
		names := make([]string, len(pt.Pre))
		for k, i := range pt.Pre {
			names[k] = c.Samples[i]
		}
		u = append(u, unit{pt, strings.Join(names, ";"), pt.Pre})
	}
	return u
}

// unitValues averages per-sample values x over each unit's samples (R's mean; NaN
// when any sample is NaN).
func unitValues(units []unit, x []float64) []float64 {
	out := make([]float64, len(units))
	buf := make([]float64, 0, 4)
	for k, u := range units {
		buf = buf[:0]
		for _, i := range u.Idx {
			buf = append(buf, x[i])
		}
		out[k] = stats.Mean(buf)
	}
	return out
}
