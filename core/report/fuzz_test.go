package report

import (
	"bytes"
	"testing"

	"github.com/her2het/her2het/core/plotdata"
)

// FuzzHTML puts arbitrary text in every string of a document: the report must
// stay well-formed and self-contained (Check) and the text must not become
// markup.
func FuzzHTML(f *testing.F) {
	for _, s := range []string{"", "<script>alert(1)</script>", "a&b", `"><img src=x onerror=alert(1)>`,
		"</style><link href=\"https://x\">", "&#x3c;", "]]><!--", "url(https://x)", "\x00\xff", "#sec-qc", "qc"} {
		f.Add(s, s, s)
	}
	f.Fuzz(func(t *testing.T, a, b, c string) {
		box := plotdata.NewBoxGroup(a, []float64{1, 2, 3}, []string{b, c, a}, []string{c, a, b})
		fig := plotdata.Figure{ID: a, Title: b, Caption: c, Kind: plotdata.KindBox, YLabel: a,
			Params: []plotdata.Param{{Name: a, Value: b}}, Box: &plotdata.Box{Groups: []plotdata.BoxGroup{box},
				Tests: []plotdata.Annotation{{Label: c}}}}
		tab := plotdata.Table{ID: a, Title: b, Columns: []string{a, b, c}, Rows: [][]string{{c, a, b}, {a}}}
		d := &Document{Title: a, Subtitle: b, Generated: c, Synthetic: len(a)%2 == 0, Methods: a + "\n\n" + b,
			Sections: []Section{
				{ID: a, Title: b, Summary: []string{c}, Notes: []string{a}, Figures: []plotdata.Figure{fig, fig}, Tables: []plotdata.Table{tab, tab}},
				{ID: b, Title: c, Skipped: a},
				{ID: "sec-" + a, Title: a},
			},
			Inputs:   []Input{{Name: a, Kind: b, SHA256: c, Detail: a}},
			Versions: []plotdata.Param{{Name: b, Value: c}},
			Params:   []plotdata.Param{{Name: c, Value: a}},
		}
		var out bytes.Buffer
		if err := HTML(&out, d); err != nil {
			t.Fatal(err)
		}
		if err := Check(out.Bytes()); err != nil {
			t.Fatalf("%v\n%s", err, out.Bytes())
		}
		var tsv bytes.Buffer
		tab.Rows = tab.Rows[:1]
		if err := TSV(&tsv, tab); err != nil {
			t.Fatal(err)
		}
		if n := bytes.Count(tsv.Bytes(), []byte("\n")); n != 2 {
			t.Fatalf("TSV has %d lines, want 2", n)
		}
	})
}

// FuzzCheck feeds arbitrary bytes to Check, which must return (nil or an error)
// without panicking (FuzzHTML checks that it accepts what HTML writes).
func FuzzCheck(f *testing.F) {
	f.Add([]byte("<!DOCTYPE html>\n<html><body><p id=\"a\"><a href=\"#a\">x</a></p></body></html>"))
	f.Add([]byte("<svg><g/></svg>&#x1F;&amp;<!-- c --><style>p{}</style>"))
	f.Add([]byte("<p a='1' b=\"2\">&#;&#x;&;</p"))
	f.Add([]byte("<"))
	f.Add([]byte("&"))
	f.Fuzz(func(t *testing.T, b []byte) {
		_ = Check(b)
	})
}
