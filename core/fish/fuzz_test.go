package fish

import (
	"errors"
	"io"
	"math"
	"strings"
	"testing"
	"testing/fstest"
)

// The fuzz targets check that readers never panic, that every error is a *ParseError
// with a position, and that what they return obeys their contract.

func FuzzCellReader(f *testing.F) {
	f.Add("sample\tarea\terbb2\tcep17\nP\tA\t4\t2\nP\tA\t3\t0\n")
	f.Add("Patient,HER2 signals,CEP17 signals,IHC\nX,\"12\",NA,3+\n")
	f.Add("case;her2\n;1\n")
	f.Add("\xef\xbb\xbf# c\nsample,erbb2,x,y\ns,1e3,1,2\ns,-1,,\n")
	f.Fuzz(func(t *testing.T, in string) {
		r := NewCellReader(strings.NewReader(in), "f.tsv")
		for i := 0; i < 10000; i++ {
			c, err := r.Read()
			if err == io.EOF {
				return
			}
			if err != nil {
				var pe *ParseError
				if !errors.As(err, &pe) || pe.File != "f.tsv" {
					t.Fatalf("error %T %v", err, err)
				}
				return
			}
			if c.Sample == "" || c.ERBB2 < 0 || math.IsInf(c.ERBB2, 0) || c.CEP17 < 0 {
				t.Fatalf("bad cell %+v", c)
			}
		}
	})
}

func FuzzCaseReader(f *testing.F) {
	f.Add("sample\tmean_erbb2\tmean_cep17\tratio\tpct_amplified\tn_cells\tihc\nP\t5\t2\t\t30\t40\t2+\n")
	f.Add("sample,mean_erbb2,fraction_amplified\ns,4,0.5\n")
	f.Fuzz(func(t *testing.T, in string) {
		cs, err := ReadCases(strings.NewReader(in), "c.tsv")
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T %v", err, err)
			}
			return
		}
		for _, c := range cs {
			if c.Sample == "" || c.PctAmplified > 100 || c.NCells < -1 {
				t.Fatalf("bad case %+v", c)
			}
		}
		if _, err := CallCases(cs, DefaultOptions()); err != nil {
			t.Fatal(err)
		}
	})
}

func FuzzSpotFile(f *testing.F) {
	f.Add("1 , 0\n2 , 3\n", "1 , 2\n2 , 1\n")
	f.Add("nucleus,count\n1,2\n", "1\t5\n3\t1\n")
	f.Add("1 2\n\n# x\n", "")
	f.Fuzz(func(t *testing.T, erbb2, cep17 string) {
		fsys := fstest.MapFS{
			"Log_MAX_AG-0001_S1_C1_Series001_z6_ch02.txt":      {Data: []byte(erbb2)},
			"Log_MAX_AG-0001_S1_C1_Series001_z6_ch00 copy.txt": {Data: []byte(cep17)},
		}
		set, err := ReadSpotCounts(fsys, SpotOptions{})
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Line < 1 {
				t.Fatalf("error %T %v", err, err)
			}
			return
		}
		res, err := Summarise(set.Cells, DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range res.Areas {
			if a.NCells+a.NExcluded != a.NNuclei || a.NAmplified > a.NEval {
				t.Fatalf("inconsistent counts %+v", a.Summary)
			}
		}
	})
}
