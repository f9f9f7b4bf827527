package geneset

import (
	"math"
	"strings"
	"testing"

	"github.com/her2het/her2het/core/dataset"
)

func col(genes []string, v ...float64) *dataset.Matrix {
	m := dataset.NewMatrix(dataset.Expression, genes, []string{"test"})
	copy(m.Data, v)
	return m
}

// TestSingscoreHand reproduces the hand-computed cases of singscore's
// tests/testthat/test-scoring.R (DavisLaboratory/singscore): expression
// (1,2,5,5) ranked with ties "min" gives ranks (1,2,3,3).
func TestSingscoreHand(t *testing.T) {
	m := col([]string{"1", "2", "3", "4"}, 1, 2, 5, 5)
	up := Set{Name: "up", Genes: []string{"3", "4"}}
	dn := Set{Name: "dn", Genes: []string{"1"}}
	const tol = 1e-15
	tests := []struct {
		name       string
		opt        SingscoreOptions
		score, mad float64
	}{
		{"centred", SingscoreOptions{}, 0.25, 0},
		{"uncentred", SingscoreOptions{NoCenter: true}, 0.75, 0},
		// |R - ceiling(median R)| = (2,1,0,0); k'=floor(2/2)=1, N'=ceiling(4/2)=2:
		// low=1, up=2, score=(0-1)/(2-1) = -1; centring is disabled in the
		// current singscore (older tests expected -1.5, i.e. centred).
		{"unknown direction", SingscoreOptions{UnknownDirection: true}, -1, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := SingscoreSets(m, []Set{up}, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			if got := s.Matrix.At(0, 0); math.Abs(got-tc.score) > tol {
				t.Errorf("score %v, want %v", got, tc.score)
			}
			if got := s.Dispersion.At(0, 0); math.Abs(got-tc.mad) > tol {
				t.Errorf("dispersion %v, want %v", got, tc.mad)
			}
		})
	}
	t.Run("up/down", func(t *testing.T) {
		r, err := SingscoreUpDown(m, []UpDown{{Name: "sig", Up: up, Down: dn}}, SingscoreOptions{})
		if err != nil {
			t.Fatal(err)
		}
		want := []float64{0.75, 0, 0.25, 0, 0.5, 0}
		got := []float64{r.Total.At(0, 0), r.TotalDispersion.At(0, 0), r.Up.At(0, 0), r.UpDispersion.At(0, 0), r.Down.At(0, 0), r.DownDispersion.At(0, 0)}
		for i := range want {
			if math.Abs(got[i]-want[i]) > tol {
				t.Errorf("column %d: %v, want %v", i, got[i], want[i])
			}
		}
	})
	t.Run("via Score", func(t *testing.T) {
		s, err := Score(m, []Set{up, {Name: "none", Genes: []string{"x"}}}, DefaultOptions(Singscore))
		if err != nil {
			t.Fatal(err)
		}
		if s.Matrix.At(0, 0) != 0.25 || len(s.Dropped) != 1 || s.Dropped[0].Name != "none" {
			t.Errorf("got %v dropped %v", s.Matrix.Data, s.Dropped)
		}
	})
}

// TestSingscoreDispersion: a hand case with ties and a non-zero MAD.
// Values (10,20,20,30,40,50) -> min ranks (1,2,2,4,5,6); set {g1,g3,g6}:
// ranks (1,2,6), mean 3, k=3, N=6: low 2, up 5 -> (3-2)/3 - 0.5 = -1/6;
// mad = 1.4826 * median(|(1,2,6) - 2|) = 1.4826 * 1.
func TestSingscoreDispersion(t *testing.T) {
	m := col([]string{"g1", "g2", "g3", "g4", "g5", "g6"}, 10, 20, 20, 30, 40, 50)
	s, err := SingscoreSets(m, []Set{{Name: "s", Genes: []string{"g1", "g3", "g6", "absent"}}}, SingscoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := s.Matrix.At(0, 0), 1.0/3-0.5; math.Abs(got-want) > 1e-15 {
		t.Errorf("score %v want %v", got, want)
	}
	if got := s.Dispersion.At(0, 0); math.Abs(got-1.4826) > 1e-15 {
		t.Errorf("mad %v", got)
	}
	if s.Found[0] != 3 || s.Size[0] != 4 {
		t.Errorf("found %d of %d", s.Found[0], s.Size[0])
	}
}

func TestPairUpDown(t *testing.T) {
	sets := []Set{{Name: "A_UP"}, {Name: "B"}, {Name: "A_DN"}, {Name: "C_up"}, {Name: "C_DOWN"}, {Name: "D_UP"}}
	pairs, rest := PairUpDown(sets)
	var names []string
	for _, p := range pairs {
		names = append(names, p.Name+":"+p.Up.Name+"/"+p.Down.Name)
	}
	if got := strings.Join(names, ","); got != "A:A_UP/A_DN,C:C_up/C_DOWN" {
		t.Errorf("pairs %s", got)
	}
	if len(rest) != 2 || rest[0].Name != "B" || rest[1].Name != "D_UP" {
		t.Errorf("rest %v", rest)
	}
}
