package geneset

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestReadGMT(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Set
		err  string // substring of the error, "" for success
	}{
		{"basic", "A\tdesc a\tG1\tG2\nB\t\tG3\n", []Set{{"A", "desc a", []string{"G1", "G2"}}, {"B", "", []string{"G3"}}}, ""},
		{"crlf trailing tab blank comment", "# c\r\n\r\nA\td\tG1\tG2\t\r\nB\td\tG2", []Set{{"A", "d", []string{"G1", "G2"}}, {"B", "d", []string{"G2"}}}, ""},
		{"duplicate gene kept once", "A\td\tG1\tG2\tG1\n", []Set{{"A", "d", []string{"G1", "G2"}}}, ""},
		{"no tab", "A\n", nil, "x.gmt:1:2: gene set line needs"},
		{"no genes", "A\td\tG1\nB\td\t\n", nil, "x.gmt:2:5: gene set \"B\" has no genes"},
		{"empty name", "\td\tG1\n", nil, "x.gmt:1:1: empty gene set name"},
		{"duplicate name", "A\td\tG1\n\nA\td\tG2\n", nil, "x.gmt:3:1: gene set \"A\" already defined on line 1"},
		{"empty file", "\n", nil, "x.gmt:2:1: no gene sets found"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadGMT("x.gmt", strings.NewReader(tc.in))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error = %v, want containing %q", err, tc.err)
				}
				var pe *ParseError
				if !errors.As(err, &pe) {
					t.Fatalf("error %T is not *ParseError", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %#v\nwant %#v", got, tc.want)
			}
		})
	}
}

func TestReadGMTLongLine(t *testing.T) {
	var b strings.Builder
	b.WriteString("BIG\tdesc")
	for i := 0; i < 30000; i++ {
		b.WriteString("\tGENE")
		b.WriteString(strings.Repeat("x", i%7))
		b.WriteString(string(rune('A' + i%26)))
		b.WriteString(strings.Repeat("0", 1+i%3))
		b.WriteString(itoa(i))
	}
	got, err := ReadGMT("big.gmt", strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || len(got[0].Genes) != 30000 {
		t.Fatalf("got %d sets, %d genes", len(got), len(got[0].Genes))
	}
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var d []byte
	for ; i > 0; i /= 10 {
		d = append([]byte{byte('0' + i%10)}, d...)
	}
	return string(d)
}

func TestReadGMX(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Set
		err  string
	}{
		{"basic ragged", "A\tB\nda\tdb\nG1\tG3\nG2\n\tG4\n", []Set{{"A", "da", []string{"G1", "G2"}}, {"B", "db", []string{"G3", "G4"}}}, ""},
		{"trailing tab header", "A\tB\t\nda\tdb\t\nG1\tG3\t\n", []Set{{"A", "da", []string{"G1"}}, {"B", "db", []string{"G3"}}}, ""},
		{"extra column", "A\nd\nG1\tG2\n", nil, "x.gmx:3:4: gene in column 2"},
		{"dup name", "A\tA\nd\td\nG\tH\n", nil, "x.gmx:1:3: gene set \"A\" appears twice"},
		{"empty set", "A\tB\nd\td\nG\n", nil, "gene set \"B\" has no genes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadGMX("x.gmx", strings.NewReader(tc.in))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error = %v, want containing %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %#v\nwant %#v", got, tc.want)
			}
		})
	}
}

func FuzzReadGMT(f *testing.F) {
	f.Add("A\td\tG1\tG2\n")
	f.Add("A\n\t\t\r\n#x")
	f.Fuzz(func(t *testing.T, s string) {
		sets, err := ReadGMT("f.gmt", strings.NewReader(s))
		if err == nil {
			for _, st := range sets {
				if st.Name == "" || len(st.Genes) == 0 {
					t.Fatalf("invalid set %#v", st)
				}
			}
		}
		_, _ = ReadGMX("f.gmx", strings.NewReader(s))
	})
}
