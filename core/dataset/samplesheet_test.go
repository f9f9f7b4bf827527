package dataset

import (
	"fmt"
	"strings"
	"testing"
)

func TestRoleOf(t *testing.T) {
	cases := map[string]Role{
		"sampleID": RoleSample, "Sample_ID": RoleSample, "patientID": RolePatient, "Patient ID": RolePatient,
		"tpt": RoleTimepoint, "Timepoint": RoleTimepoint, "pCR": RoleResponse, "RCB category": RoleRCB,
		"HER2 heterogeneity": RoleHET, "HET": RoleHET, "HR": RoleHR, "ER status": RoleER, "batch": RoleBatch,
		"HER2 IHC": RoleIHC, "age": RoleOther, "": RoleOther,
	}
	for name, want := range cases {
		if got := RoleOf(name); got != want {
			t.Errorf("RoleOf(%q) = %v, want %v", name, got, want)
		}
	}
	if r, ok := ParseRole("timepoint"); !ok || r != RoleTimepoint {
		t.Errorf("ParseRole(timepoint) = %v %v", r, ok)
	}
}

func TestNormalizeLevel(t *testing.T) {
	cases := []struct {
		role     Role
		raw, out string
		ok       bool
	}{
		{RoleTimepoint, "Pre", "pre", true}, {RoleTimepoint, "PRE", "pre", true}, {RoleTimepoint, "baseline", "pre", true},
		{RoleTimepoint, "Pre-treatment", "pre", true}, {RoleTimepoint, "Residual", "post", true}, {RoleTimepoint, "surgery", "post", true},
		{RoleTimepoint, "week 3", "week 3", false},
		{RoleResponse, "Yes", "yes", true}, {RoleResponse, "1", "yes", true}, {RoleResponse, "TRUE", "yes", true}, {RoleResponse, "pCR", "yes", true},
		{RoleResponse, "No", "no", true}, {RoleResponse, "0", "no", true}, {RoleResponse, "RD", "no", true}, {RoleResponse, "maybe", "maybe", false},
		{RoleRCB, "RCB-II", "II", true}, {RoleRCB, "3", "III", true}, {RoleRCB, "pCR", "0", true},
		{RoleHET, "1", "1", true}, {RoleHET, "non-HET", "0", true}, {RoleHET, "HET", "1", true},
		{RoleHR, "HR+", "pos", true}, {RoleHR, "negative", "neg", true}, {RoleER, "ER-", "neg", true}, {RoleHR, "0", "neg", true},
		{RoleIHC, "3+", "3+", true}, {RoleIHC, "2", "2+", true}, {RoleIHC, "IHC 1+", "1+", true}, {RoleIHC, "HER2 0", "0", true}, {RoleIHC, "4+", "4+", false},
		{RoleResponse, "NA", "", true}, {RoleTimepoint, "", "", true}, {RoleOther, " 42 ", "42", true},
	}
	for _, c := range cases {
		out, ok := NormalizeLevel(c.role, c.raw)
		if out != c.out || ok != c.ok {
			t.Errorf("NormalizeLevel(%v, %q) = %q %v, want %q %v", c.role, c.raw, out, ok, c.out, c.ok)
		}
	}
}

func TestPatientDisagreements(t *testing.T) {
	s := &SampleSheet{Samples: []string{"a", "b", "c", "d"}}
	for _, c := range []*SheetColumn{
		{Name: "patientID", Role: RolePatient, Raw: []string{"P1", "P1", "P2", "P2"}},
		{Name: "pCR", Role: RoleResponse, Raw: []string{"Yes", "no", "No", "NA"}},
		{Name: "tpt", Role: RoleTimepoint, Raw: []string{"pre", "post", "pre", "pre"}},
	} {
		c.Normalize()
		s.Columns = append(s.Columns, c)
	}
	d := s.PatientDisagreements()
	if len(d) != 1 || d[0].Patient != "P1" || d[0].String() != "patient P1: pCR differs between samples (a=yes, b=no)" {
		t.Fatalf("disagreements %v", d)
	}
	lv := s.Column(RoleResponse).Levels
	if len(lv) != 3 || lv[0].Value != "yes" || lv[1].N != 2 || strings.Join(lv[1].From, ",") != "no,No" || lv[2].Value != "" {
		t.Errorf("levels %+v", lv)
	}
	if s.Index("c") != 2 || s.Value(RoleTimepoint, 1) != "post" || s.ByName("nope") != nil {
		t.Error("lookups")
	}
}

func ExampleNormalizeLevel() {
	for _, raw := range []string{"Pre", "baseline", "Residual"} {
		v, _ := NormalizeLevel(RoleTimepoint, raw)
		fmt.Println(raw, "->", v)
	}
	// Output:
	// Pre -> pre
	// baseline -> pre
	// Residual -> post
}
