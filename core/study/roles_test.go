package study

import (
	"strings"
	"testing"

	"github.com/her2het/her2het/core/dataset"
)

const rolesSheet = "sample\tpatient\tpCR\toutcome\tHET\tgrade\tsite\tarm\n" +
	"S1\tP1\tpCR\tyes\t1\t1\tA\tT\n" +
	"S2\tP1\tpCR\tyes\t1\t2\tB\tT\n" +
	"S3\tP2\tRD\tno\t0\t3\tA\tT\n" +
	"S4\tP3\tRD\tmaybe\t0\t1\tB\tT\n"

func rolesInputs(t *testing.T) *Inputs {
	t.Helper()
	in := &Inputs{}
	if _, err := in.Add("samples.tsv", strings.NewReader(rolesSheet), nil); err != nil {
		t.Fatal(err)
	}
	return in
}

func TestSetRoles(t *testing.T) {
	tests := []struct {
		name  string
		roles map[string]dataset.Role
		// want: column -> role in effect afterwards (checked with SheetColumns)
		want    map[string]dataset.Role
		wantErr string
		note    string
		check   func(t *testing.T, in *Inputs)
	}{
		{name: "covariate becomes HR", roles: map[string]dataset.Role{"grade": dataset.RoleHR},
			wantErr: `column "grade" as HR: 3 level(s) after normalisation (pos, "2", "3"); a HR column needs exactly two (pos and neg); "2", "3" not understood as HR levels`},
		{name: "site becomes batch", roles: map[string]dataset.Role{"site": dataset.RoleBatch},
			want: map[string]dataset.Role{"site": dataset.RoleBatch, "pCR": dataset.RoleResponse}},
		{name: "outcome as response with a value not understood",
			roles: map[string]dataset.Role{"outcome": dataset.RoleResponse},
			// outcome has yes, no, maybe: maybe is not a response level
			wantErr: `column "outcome" as response: 3 level(s) after normalisation (yes, no, "maybe"); a response column needs exactly two (yes and no); "maybe" not understood`},
		{name: "HET column as response has two levels", roles: map[string]dataset.Role{"HET": dataset.RoleResponse, "pCR": dataset.RoleIgnore},
			want: map[string]dataset.Role{"HET": dataset.RoleResponse, "pCR": dataset.RoleIgnore},
			check: func(t *testing.T, in *Inputs) {
				sh, _ := in.Sheet()
				if got := sh.Column(dataset.RoleResponse).Values; strings.Join(got, ",") != "yes,yes,no,no" {
					t.Errorf("response values %v", got)
				}
				if sh.Column(dataset.RoleHET) != nil || sh.ByName("pCR") != nil {
					t.Error("HET role or the ignored pCR column still present")
				}
			}},
		{name: "response role taken from the detected column", roles: map[string]dataset.Role{"HET": dataset.RoleResponse},
			want: map[string]dataset.Role{"HET": dataset.RoleResponse, "pCR": dataset.RoleOther},
			note: `column "pCR" (detected as response) is now a covariate: "HET" is the response column`},
		{name: "one response column with three levels", roles: map[string]dataset.Role{"grade": dataset.RoleResponse},
			wantErr: `column "grade" as response: 3 level(s) after normalisation (yes, "2", "3")`},
		{name: "identifiers as response", roles: map[string]dataset.Role{"patient": dataset.RoleResponse},
			wantErr: `column "patient" as response: 3 level(s) after normalisation ("P1", "P2", "P3")`},
		{name: "one response level only", roles: map[string]dataset.Role{"arm": dataset.RoleResponse},
			wantErr: `column "arm" as response: 1 level(s) after normalisation (yes); a response column needs exactly two (yes and no)`},
		{name: "timepoint with unknown values", roles: map[string]dataset.Role{"site": dataset.RoleTimepoint},
			wantErr: `column "site" as timepoint: "A", "B" not understood as timepoint levels`},
		{name: "two columns set to the same role", roles: map[string]dataset.Role{"site": dataset.RoleBatch, "grade": dataset.RoleBatch},
			wantErr: `columns "grade" and "site" are both set to batch`},
		{name: "unknown column", roles: map[string]dataset.Role{"Site": dataset.RoleBatch},
			wantErr: `samples.tsv has no column "Site" (columns: sample, patient, pCR, outcome, HET, grade, site, arm)`},
		{name: "no sample column", roles: map[string]dataset.Role{"sample": dataset.RoleOther},
			wantErr: "no sample column"},
		{name: "sample column that repeats", roles: map[string]dataset.Role{"patient": dataset.RoleSample, "sample": dataset.RoleOther},
			wantErr: `column "patient" cannot be the sample column: its values repeat (samples.tsv:3: sample "P1" already on line 2`},
		{name: "ignored column leaves the sheet but stays listed", roles: map[string]dataset.Role{"site": dataset.RoleIgnore},
			want: map[string]dataset.Role{"site": dataset.RoleIgnore},
			check: func(t *testing.T, in *Inputs) {
				sh, _ := in.Sheet()
				if sh.ByName("site") != nil {
					t.Error("ignored column still in the sheet")
				}
			}},
		{name: "a role equal to the detected one is no override", roles: map[string]dataset.Role{"pCR": dataset.RoleResponse},
			want: map[string]dataset.Role{"pCR": dataset.RoleResponse}},
		{name: "bad role number", roles: map[string]dataset.Role{"site": dataset.Role(99)}, wantErr: "is not a sample-sheet role"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := rolesInputs(t)
			before, _ := in.Sheet()
			notes, err := in.SetRoles(tc.roles)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want it to contain %q", err, tc.wantErr)
				}
				if after, _ := in.Sheet(); after != before || in.RoleOverrides() != nil {
					t.Error("a failed SetRoles changed the inputs")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			cols := map[string]ColumnRole{}
			for _, c := range in.SheetColumns() {
				cols[c.Name] = c
			}
			for name, r := range tc.want {
				if cols[name].Role != r {
					t.Errorf("column %s: role %s, want %s", name, cols[name].Role, r)
				}
			}
			if tc.note != "" && !strings.Contains(strings.Join(notes, "\n"), tc.note) {
				t.Errorf("notes %q, want %q", notes, tc.note)
			}
			// Every set override is reported, real changes only.
			for name, r := range in.RoleOverrides() {
				if cols[name].Detected == r || !cols[name].Set {
					t.Errorf("override %s = %s kept though it is the detected role", name, r)
				}
			}
			if tc.check != nil {
				tc.check(t, in)
			}
		})
	}
}

func TestSetRolesResetAndNote(t *testing.T) {
	in := rolesInputs(t)
	if _, err := in.SetRoles(map[string]dataset.Role{"site": dataset.RoleBatch}); err != nil {
		t.Fatal(err)
	}
	if got := in.RolesText(); got != "site = batch" {
		t.Errorf("RolesText %q", got)
	}
	if n := strings.Join(in.Files[0].Notes, "\n"); !strings.Contains(n, "roles set by the user: site = batch") {
		t.Errorf("file notes %q lack the roles", n)
	}
	if _, err := in.SetRoles(nil); err != nil {
		t.Fatal(err)
	}
	sh, _ := in.Sheet()
	if in.RoleOverrides() != nil || sh.ByName("site").Role != dataset.RoleOther {
		t.Error("an empty map did not return to the detected roles")
	}
	if n := strings.Join(in.Files[0].Notes, "\n"); strings.Contains(n, "roles set by the user") {
		t.Errorf("file notes %q still show roles", n)
	}
}

func TestSetRolesBeforeSheet(t *testing.T) {
	for _, tc := range []struct {
		name    string
		roles   map[string]dataset.Role
		applied bool
		warn    string
	}{
		{name: "valid", roles: map[string]dataset.Role{"site": dataset.RoleBatch}, applied: true},
		{name: "invalid", roles: map[string]dataset.Role{"nosuch": dataset.RoleBatch}, warn: `roles set earlier were not applied: samples.tsv has no column "nosuch"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := &Inputs{}
			if _, err := in.SetRoles(tc.roles); err != nil {
				t.Fatal(err)
			}
			fs, err := in.Add("samples.tsv", strings.NewReader(rolesSheet), nil)
			if err != nil {
				t.Fatal(err)
			}
			sh, _ := in.Sheet()
			if got := sh.ByName("site").Role == dataset.RoleBatch; got != tc.applied {
				t.Errorf("applied %v, want %v", got, tc.applied)
			}
			w := strings.Join(fs.Warnings, "\n")
			if tc.warn != "" && !strings.Contains(w, tc.warn) {
				t.Errorf("warnings %q, want %q", w, tc.warn)
			}
			if tc.applied && !strings.Contains(strings.Join(fs.Notes, "\n"), "roles set by the user: site = batch") {
				t.Errorf("notes %q", fs.Notes)
			}
		})
	}
}

func TestSetRolesSampleNotInMatrix(t *testing.T) {
	in := rolesInputs(t)
	counts := "gene\tS1\tS2\tS3\tS4\nG1\t1\t2\t3\t4\nG2\t5\t6\t7\t8\n"
	if _, err := in.Add("counts.tsv", strings.NewReader(counts), nil); err != nil {
		t.Fatal(err)
	}
	_, err := in.SetRoles(map[string]dataset.Role{"outcome": dataset.RoleSample, "sample": dataset.RoleOther})
	want := `column "outcome" cannot be the sample column`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("error %v, want %q", err, want)
	}
}
