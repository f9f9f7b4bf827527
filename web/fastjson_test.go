package web

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/her2het/her2het/core/api"
)

// fastjsonCases are section JSON texts: what the engine writes, and variants
// the fast path must hand to encoding/json.
func fastjsonCases() []string {
	sec := api.Section{ID: "qc", Screen: "qc", Title: `Sample "QC" <&> \ é ✓ 𝄞`, Summary: []string{"a\tb\nc", "\u2028\x7f"},
		Notes: []string{}, Params: []api.Param{{Name: "n", Value: "v"}},
		Figures: []api.FigureView{{ID: "f", Title: "t", SVG: `<svg x="1">&amp;</svg>`, Params: []api.Param{{Name: "a", Value: "b"}}}, {ID: "g"}},
		Tables:  []api.TableView{{ID: "t", Columns: []string{"a", "b"}, Rows: [][]string{{"1", "2"}, {}, {"x\\y", `"`}}}, {ID: "empty"}}}
	enc := string(api.Marshal(sec))
	return []string{
		enc,
		string(api.Marshal(api.Section{})),
		` { "id" : "x" , "summary" : [ "a" , "b" ] , "tables" : null , "figures" : [ ] } `,
		`{"id":"x","ID":"y"}`,                // another spelling: encoding/json matches it
		`{"id":"x","extra":1}`,               // unknown member
		`{"id":null}`,                        // null string
		`{"id":"\ud834\udd1e"}`,              // surrogate pair
		`{"id":"\u00e9\u0041\/"}`,            // escapes
		"{\"id\":\"\xff\"}",                  // invalid UTF-8
		"{\"id\":\"a\xffb\\n\"}",             // invalid UTF-8 after an escape
		`{"id":"x"} x`,                       // trailing data
		`{"id":"x",}`,                        // trailing comma
		`{"id":"x"`,                          // cut
		`{"id":"a` + "\n" + `"}`,             // control character
		`{"id":"x","id":"y"}`,                // duplicate key
		`{"tables":[{"rows":[["a"],null]}]}`, // null row
		`{"figures":[null]}`,                 // null figure
		`[]`, ``, `null`, `{"id":"\q"}`, `{"id":"\u12"}`,
		enc[:len(enc)/2],
	}
}

// TestUnmarshalSection: the fast decoder gives json.Unmarshal's section and error
// for every case.
func TestUnmarshalSection(t *testing.T) {
	for _, c := range fastjsonCases() {
		var got, want api.Section
		gotErr := unmarshalSection([]byte(c), &got)
		wantErr := json.Unmarshal([]byte(c), &want)
		if (gotErr == nil) != (wantErr == nil) || !reflect.DeepEqual(got, want) {
			t.Errorf("%.60q: got %+v (%v), json.Unmarshal %+v (%v)", c, got, gotErr, want, wantErr)
		}
	}
}

// TestFastPathTaken: the engine's own encoding is decoded without encoding/json
// (the point of the fast path).
func TestFastPathTaken(t *testing.T) {
	for _, c := range fastjsonCases()[:3] {
		var s api.Section
		d := jdec{b: c}
		if !d.section(&s) || !d.end() {
			t.Errorf("fast path refused %.60q", c)
		}
	}
	var dl api.Download
	b := api.Marshal(api.Download{Name: "r.html", Mime: "text/html", Text: strings.Repeat(`<p class="x">&é</p>`, 100)})
	d := jdec{b: string(b)}
	if !d.object(func(k string) bool { var s string; return d.str(&s) }) || !d.end() {
		t.Error("fast path refused a download")
	}
	if err := unmarshalDownload(b, &dl); err != nil || dl.Name != "r.html" || !strings.HasPrefix(dl.Text, `<p class="x">&é</p>`) {
		t.Errorf("download: %+v %v", dl.Name, err)
	}
}

func TestUnmarshalDownload(t *testing.T) {
	for _, c := range []string{string(api.Marshal(api.Download{Name: "a", Mime: "b", Text: "<x>\"\\"})), `{"name":"a","size":3}`, `{"text":null}`, `{}`, `{"name":"a"}x`} {
		var got, want api.Download
		gotErr := unmarshalDownload([]byte(c), &got)
		wantErr := json.Unmarshal([]byte(c), &want)
		if (gotErr == nil) != (wantErr == nil) || got != want {
			t.Errorf("%q: got %+v (%v), json.Unmarshal %+v (%v)", c, got, gotErr, want, wantErr)
		}
	}
}

// FuzzUnmarshalSection: whatever the input, the result is json.Unmarshal's.
func FuzzUnmarshalSection(f *testing.F) {
	for _, c := range fastjsonCases() {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var got, want api.Section
		gotErr := unmarshalSection(b, &got)
		wantErr := json.Unmarshal(b, &want)
		if (gotErr == nil) != (wantErr == nil) || !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: got %+v (%v), json.Unmarshal %+v (%v)", b, got, gotErr, want, wantErr)
		}
	})
}

// BenchmarkUnmarshalSection decodes a section shaped like the example cohort's DE
// section: four 17,000-row top tables of seven numbers as text and eight figures.
func BenchmarkUnmarshalSection(b *testing.B) {
	sec := api.Section{ID: "de", Screen: "de", Title: "Differential expression", Summary: []string{"s"}}
	for k := 0; k < 4; k++ {
		t := api.TableView{ID: "t", Columns: []string{"gene", "logFC", "AveExpr", "t", "P.Value", "adj.P.Val", "B"}}
		for i := 0; i < 17000; i++ {
			t.Rows = append(t.Rows, []string{"GENE1234", "-0.12345678901234567", "5.123456789012345", "-1.2345678901234567",
				"0.012345678901234567", "0.9876543210987654", "-4.567890123456789"})
		}
		sec.Tables = append(sec.Tables, t)
	}
	for k := 0; k < 8; k++ {
		sec.Figures = append(sec.Figures, api.FigureView{ID: "f", Title: "t", SVG: strings.Repeat(`<circle class="mark" cx="1.5" cy="2.5" r="2"/>`, 8000)})
	}
	data := api.Marshal(sec)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		var s api.Section
		if err := unmarshalSection(data, &s); err != nil || len(s.Tables) != 4 {
			b.Fatal(err)
		}
	}
}

// TestPlain8: the word test agrees with a byte-by-byte one (every byte value in
// every position, and random words).
func TestPlain8(t *testing.T) {
	ref := func(w [8]byte) bool {
		for _, c := range w {
			if c < 0x20 || c >= 0x80 || c == '"' || c == '\\' {
				return false
			}
		}
		return true
	}
	check := func(w [8]byte) {
		s := string(w[:])
		if got := plain8(load8(s, 0)); got != ref(w) {
			t.Fatalf("plain8(%q) = %v", s, got)
		}
	}
	for pos := 0; pos < 8; pos++ {
		for c := 0; c < 256; c++ {
			w := [8]byte{'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'}
			w[pos] = byte(c)
			check(w)
			w = [8]byte{0x7f, ' ', '!', '#', '[', ']', '~', '0'}
			w[pos] = byte(c)
			check(w)
		}
	}
	var x uint64 = 88172645463325252
	for i := 0; i < 200000; i++ {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		var w [8]byte
		for k := range w {
			w[k] = byte(x >> (8 * k))
			if i%2 == 0 {
				w[k] = 0x20 + w[k]%0x60 // mostly plain
			}
		}
		if i%4 == 0 {
			w[int(x%8)] = "\"\\\x1f\x00\x80\xff "[int(x>>8)%7]
		}
		check(w)
	}
}

// TestLongEscapedStrings: strings over 64 kB with escapes (kept in their own
// buffer) decode as encoding/json decodes them, and later strings do not
// overwrite them.
func TestLongEscapedStrings(t *testing.T) {
	long := strings.Repeat(`<circle cx="1.5" r="2"/>`+"\n", 5000)
	sec := api.Section{ID: "x", Figures: []api.FigureView{{ID: "a", SVG: long}, {ID: "b", SVG: long + "é"}, {ID: "c", SVG: `short "q"`}}}
	b := api.Marshal(sec)
	var got, want api.Section
	if err := unmarshalSection(b, &got); err != nil {
		t.Fatal(err)
	}
	json.Unmarshal(b, &want)
	if !reflect.DeepEqual(got, want) || got.Figures[0].SVG != long {
		t.Error("long escaped SVG decoded differently")
	}
	var dl api.Download
	if err := unmarshalDownload(api.Marshal(api.Download{Name: "r", Text: long}), &dl); err != nil || dl.Text != long {
		t.Errorf("long escaped download: %v", err)
	}
}

// TestSkip8: skip8 counts the plain bytes before the first one that is not.
func TestSkip8(t *testing.T) {
	var x uint64 = 0x9E3779B97F4A7C15
	for i := 0; i < 300000; i++ {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		var w [8]byte
		for k := range w {
			w[k] = 0x20 + byte(x>>(8*k))%0x60
		}
		for k := 0; k < int(x>>61); k++ {
			w[(x>>(3*k))%8] = "\"\\\x1f\x00\x80\xff\x01"[(x>>(5*k+7))%7]
		}
		want := 0
		for want < 8 && w[want] >= 0x20 && w[want] < 0x80 && w[want] != '"' && w[want] != '\\' {
			want++
		}
		if got := skip8(load8(string(w[:]), 0)); got != want {
			t.Fatalf("skip8(%q) = %d, want %d", w, got, want)
		}
	}
}

// BenchmarkUnmarshalDownload decodes a report-shaped download: 9 MB of SVG
// markup, whose quotes JSON escapes every few bytes.
func BenchmarkUnmarshalDownload(b *testing.B) {
	text := strings.Repeat(`<circle class="mark" cx="12.34" cy="56.7" r="2" fill="#5b6475" fill-opacity="0.45"><title>GENE1; x 0.1234, y 5.678</title></circle>`+"\n", 70000)
	data := api.Marshal(api.Download{Name: "her2het-report.html", Mime: "text/html", Text: text})
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		var d api.Download
		if err := unmarshalDownload(data, &d); err != nil || len(d.Text) != len(text) {
			b.Fatal(err)
		}
	}
}
