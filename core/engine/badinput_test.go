package engine

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/her2het/her2het/core/api"
	"github.com/her2het/her2het/core/fish"
	"github.com/her2het/her2het/core/geneset"
)

// biFiles serves in-memory files to Handle by name, like the browser's File handles.
type biFiles map[string][]byte

func (m biFiles) Open(i int, ref api.FileRef) (io.ReadCloser, error) {
	b, ok := m[ref.Name]
	if !ok {
		return nil, fmt.Errorf("no such file %q", ref.Name)
	}
	return io.NopCloser(bytes.NewReader(b)), nil
}

// biHandle runs one request and returns its events; the last one is Done or Error.
func biHandle(t testing.TB, e *Engine, req api.Request, files Opener) []api.Event {
	t.Helper()
	var evs []api.Event
	e.Handle(req, files, func(ev api.Event) { evs = append(evs, ev) })
	if len(evs) == 0 {
		t.Fatalf("request %s: no events", req.Kind)
	}
	return evs
}

// biCohort is a small seeded cohort: a raw count matrix and its sample sheet, 12
// patients (6 non-HET/pCR, 3 non-HET/no pCR, 3 HET/no pCR) with one pretreatment
// biopsy each and a post-treatment sample for the patients without pCR.
func biCohort(seed uint64, genes int) (counts, samples []byte) {
	names := []string{"ERBB2", "GRB7", "STARD3", "PGAP3", "MIEN1", "ESR1", "PGR", "MKI67", "CD8A", "GZMB"}
	for len(names) < genes {
		names = append(names, fmt.Sprintf("GENE%04d", len(names)))
	}
	return biCohortNamed(seed, names)
}

// biCohortNamed is biCohort with the given gene names.
func biCohortNamed(seed uint64, names []string) (counts, samples []byte) {
	rng := rand.New(rand.NewPCG(seed, 13))
	var sheet strings.Builder
	sheet.WriteString("sampleID\tpatientID\ttpt\tpCR\tHET\tHR\n")
	var ids []string
	for p := 1; p <= 12; p++ {
		het, pcr := "0", "Yes"
		switch {
		case p > 9:
			het, pcr = "1", "No"
		case p > 6:
			pcr = "No"
		}
		hr := []string{"Positive", "Negative"}[p%2]
		id := fmt.Sprintf("P%02d_pre", p)
		ids = append(ids, id)
		fmt.Fprintf(&sheet, "%s\tP%02d\tPre\t%s\t%s\t%s\n", id, p, pcr, het, hr)
		if pcr == "No" {
			id = fmt.Sprintf("P%02d_post", p)
			ids = append(ids, id)
			fmt.Fprintf(&sheet, "%s\tP%02d\tPost\t%s\t%s\t%s\n", id, p, pcr, het, hr)
		}
	}
	var c strings.Builder
	c.WriteString("gene\t" + strings.Join(ids, "\t") + "\n")
	for _, g := range names {
		mu := 20 * rng.ExpFloat64()
		c.WriteString(g)
		for range ids {
			// a gamma-Poisson-like draw: exponential jitter around mu, rounded
			fmt.Fprintf(&c, "\t%d", int(mu*(0.5+rng.Float64())+0.5))
		}
		c.WriteByte('\n')
	}
	return []byte(c.String()), []byte(sheet.String())
}

// biGenerated are catalogue files too large to keep in testdata: built on demand.
var biGenerated = map[string]func() []byte{
	// A 1 MiB gene identifier on line 4, followed by a value that is not a number.
	"long_line.tsv": func() []byte {
		return []byte("gene\tS1\tS2\nA\t1\t2\nB\t3\t4\n" + strings.Repeat("G", 1<<20) + "\t3\tx\n")
	},
	// A 1 MiB header that never ends: no newline, no data row.
	"long_header_no_newline.tsv": func() []byte { return []byte("gene" + strings.Repeat("\tS", 1<<19)) },
	// The base session's count matrix again, under another name.
	"same_as_counts.tsv": func() []byte { c, _ := biCohort(1, 60); return c },
}

// biCase is one row of testdata/bad/expected.tsv.
type biCase struct {
	name  string   // case name
	mode  string   // load, analyze, gmt, gmx, spots
	base  string   // session before the case: cs (counts + sheet), c (counts), s (sheet), - (empty)
	files []string // files (or the spot folder) under testdata/bad
	want  string   // substring of the error text, or "OK <format prefix>" for documented acceptance
}

func biReadCatalogue(t *testing.T) []biCase {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "bad", "expected.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []biCase
	for i, line := range strings.Split(string(b), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 5 {
			t.Fatalf("expected.tsv:%d: %d fields, want 5", i+1, len(f))
		}
		var files []string
		if f[3] != "" {
			files = strings.Split(f[3], ",")
		}
		cases = append(cases, biCase{name: f[0], mode: f[1], base: f[2], files: files, want: f[4]})
	}
	return cases
}

func biFile(t *testing.T, name string) []byte {
	t.Helper()
	if g, ok := biGenerated[name]; ok {
		return g()
	}
	b, err := os.ReadFile(filepath.Join("testdata", "bad", filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// biAnalyzeParams keep the follow-up analysis of every case short.
var biAnalyzeParams = json.RawMessage(`{"gseaPerm": 50, "collections": ["hallmark"], "pcaGenes": 50, "workers": 1}`)

// biBase returns an engine holding the base session of a case.
func biBase(t *testing.T, base string) *Engine {
	t.Helper()
	e := New()
	c, s := biCohort(1, 60)
	files := biFiles{"counts.tsv": c, "samples.tsv": s}
	var refs []api.FileRef
	if strings.Contains(base, "c") {
		refs = append(refs, api.FileRef{Name: "counts.tsv", Size: int64(len(c))})
	}
	if strings.Contains(base, "s") {
		refs = append(refs, api.FileRef{Name: "samples.tsv", Size: int64(len(s))})
	}
	if len(refs) > 0 {
		evs := biHandle(t, e, api.Request{ID: 1, Kind: api.KindLoad, Files: refs}, files)
		if last := evs[len(evs)-1]; last.Kind != api.EventDone {
			t.Fatalf("base session %q: %v", base, last.Error)
		}
	}
	return e
}

// biSections runs an analysis and returns its sections' JSON, or the error event.
func biSections(t *testing.T, e *Engine) ([]byte, *api.Error) {
	t.Helper()
	evs := biHandle(t, e, api.Request{ID: 9, Kind: api.KindAnalyze, Params: biAnalyzeParams}, nil)
	last := evs[len(evs)-1]
	if last.Kind == api.EventError {
		return nil, last.Error
	}
	var out bytes.Buffer
	for _, ev := range evs {
		if ev.Kind == api.EventData && ev.DataType == "section" {
			out.Write(ev.Data)
			out.WriteByte('\n')
		}
	}
	return out.Bytes(), nil
}

// biCheckMessage fails when an error message could leak a Go stack trace or
// source position, or is not one line.
func biCheckMessage(t *testing.T, ae *api.Error) {
	t.Helper()
	msg := ae.Error()
	for _, bad := range []string{"goroutine", ".go:", "panic", "runtime error", "\n"} {
		if strings.Contains(msg, bad) {
			t.Errorf("message contains %q: %q", bad, msg)
		}
	}
	if ae.Fatal {
		t.Errorf("bad input reported as an engine failure (Fatal): %q", msg)
	}
}

// TestBadInputCatalogue drives every case of testdata/bad/expected.tsv through the
// engine as the app does: a session is loaded, the bad file is dropped on it, the
// error must carry the expected message (with file:line:column where the reader
// knows a position), the session must be unchanged, and an analysis of the session
// must still give byte-identical sections. A file that is accepted must be
// accepted as the stated format and, where the row says WARN, with the stated
// warning shown in the file list.
func TestBadInputCatalogue(t *testing.T) {
	cases := biReadCatalogue(t)
	if len(cases) < 60 {
		t.Errorf("catalogue has %d cases, want at least 60", len(cases))
	}
	// The reference analysis of the base session.
	ref, aerr := biSections(t, biBase(t, "cs"))
	if aerr != nil {
		t.Fatalf("reference analysis: %v", aerr)
	}
	// Bad files meant for the full session are all dropped on one session, as a user
	// would: it must still give the reference analysis every tenth case and at the end.
	shared := biBase(t, "cs")
	sharedCases := 0
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if strings.HasPrefix(tc.want, "KNOWN:") {
				t.Fatalf("a KNOWN row (%s): every case must state its expected message or warning", tc.want)
			}
			e := biBase(t, tc.base)
			if tc.mode == "load" && tc.base == "cs" && !strings.HasPrefix(tc.want, "OK") {
				e = shared
				if sharedCases++; sharedCases%10 == 0 {
					defer biSameAnalysis(t, e, ref)
				}
			}
			switch tc.mode {
			case "load", "analyze":
				biLoadCase(t, e, tc)
			case "gmt", "gmx":
				biGeneSetCase(t, tc)
			case "spots":
				biSpotCase(t, e, tc)
			default:
				t.Fatalf("unknown mode %q", tc.mode)
			}
		})
	}
	biSameAnalysis(t, shared, ref)
	t.Logf("%d cases, %d on one shared session", len(cases), sharedCases)
}

// biSameAnalysis fails unless e's analysis gives the reference sections byte for byte.
func biSameAnalysis(t *testing.T, e *Engine, ref []byte) {
	t.Helper()
	got, aerr := biSections(t, e)
	if aerr != nil {
		t.Fatalf("analysis after bad files: %v", aerr)
	}
	if !bytes.Equal(got, ref) {
		t.Errorf("analysis after bad files differs from the analysis of the same session without them")
	}
}

// biGot fails unless err's text holds want (discovery: want "?" prints it).
func biGot(t *testing.T, got string, want string) {
	t.Helper()
	if want == "?" {
		t.Errorf("GOT\t%s", got)
		return
	}
	if !strings.Contains(got, want) {
		t.Errorf("got %q, want it to contain %q", got, want)
	}
}

func biLoadCase(t *testing.T, e *Engine, tc biCase) {
	before := e.Files()
	files := biFiles{}
	var refs []api.FileRef
	for _, f := range tc.files {
		b := biFile(t, f)
		files[f] = b
		refs = append(refs, api.FileRef{Name: f, Size: int64(len(b))})
	}
	var last api.Event
	var evs []api.Event
	if len(refs) > 0 {
		evs = biHandle(t, e, api.Request{ID: 2, Kind: api.KindLoad, Files: refs}, files)
		last = evs[len(evs)-1]
		if last.ID != 2 {
			t.Fatalf("last event for request %d, want 2", last.ID)
		}
	}
	if tc.mode == "analyze" {
		if len(refs) > 0 && last.Kind != api.EventDone {
			t.Fatalf("load before the analysis failed: %v", last.Error)
		}
		before = e.Files()
		_, aerr := biSections(t, e)
		if aerr == nil {
			biGot(t, "OK", tc.want)
			return
		}
		biCheckMessage(t, aerr)
		biGot(t, aerr.Error(), tc.want)
		if !reflect.DeepEqual(e.Files(), before) {
			t.Errorf("a failed analysis changed the session")
		}
		return
	}
	if last.Kind == api.EventDone {
		var s api.LoadSummary
		for _, ev := range evs {
			if ev.Kind == api.EventData {
				json.Unmarshal(ev.Data, &s)
			}
		}
		want, warn, hasWarn := strings.Cut(tc.want, " WARN ")
		biGot(t, "OK "+s.Format, want)
		if !strings.HasPrefix(tc.want, "OK") {
			t.Errorf("accepted: %+v", s)
		}
		if hasWarn {
			// The file list shows the reader's warnings and notes: the expected one
			// must be among them, with its position.
			found := false
			for _, w := range s.Warnings {
				found = found || strings.Contains(w, warn)
			}
			if !found {
				t.Errorf("warnings %q, want one containing %q", s.Warnings, warn)
			}
		}
		return
	}
	if last.Kind != api.EventError || last.Error == nil {
		t.Fatalf("last event %+v, want an error", last)
	}
	biCheckMessage(t, last.Error)
	biGot(t, last.Error.Error(), tc.want)
	if after := e.Files(); !reflect.DeepEqual(after, before) {
		t.Errorf("the failed load changed the session:\nbefore %+v\nafter  %+v", before, after)
	}
}

func biGeneSetCase(t *testing.T, tc biCase) {
	b := biFile(t, tc.files[0])
	read := geneset.ReadGMT
	if tc.mode == "gmx" {
		read = geneset.ReadGMX
	}
	sets, err := read(tc.files[0], bytes.NewReader(b))
	if err == nil {
		biGot(t, fmt.Sprintf("OK %d sets", len(sets)), tc.want)
		return
	}
	ae := toAPIError(err)
	biCheckMessage(t, ae)
	biGot(t, ae.Error(), tc.want)
}

func biSpotCase(t *testing.T, e *Engine, tc biCase) {
	before := e.Files()
	e.mu.Lock()
	_, err := e.inputs.AddSpotFolder(os.DirFS(filepath.Join("testdata", "bad")), tc.files[0], fish.SpotOptions{})
	e.mu.Unlock()
	if err == nil {
		biGot(t, "OK", tc.want)
		return
	}
	ae := toAPIError(err)
	biCheckMessage(t, ae)
	biGot(t, ae.Error(), tc.want)
	if after := e.Files(); !reflect.DeepEqual(after, before) {
		t.Errorf("the failed folder changed the session")
	}
}

// biFailOpener fails to open one named file, as a browser File whose read fails.
type biFailOpener struct {
	biFiles
	fail string
}

func (o biFailOpener) Open(i int, ref api.FileRef) (io.ReadCloser, error) {
	if ref.Name == o.fail {
		return nil, fmt.Errorf("NotReadableError: the file could not be read")
	}
	return o.biFiles.Open(i, ref)
}

// TestBadFileAmongGoodOnes: in one load request the good files load, each bad
// one is logged with its position, the request ends with the first error, and
// the session then analyses like one that never saw the bad files.
func TestBadFileAmongGoodOnes(t *testing.T) {
	c, s := biCohort(1, 60)
	files := biFailOpener{biFiles: biFiles{
		"counts.tsv": c, "samples.tsv": s,
		"short_row.tsv": biFile(t, "short_row.tsv"), "truncated.tsv.gz": biFile(t, "truncated.tsv.gz"), "gone.tsv": nil,
	}, fail: "gone.tsv"}
	e := New()
	refs := []api.FileRef{{Name: "short_row.tsv"}, {Name: "counts.tsv"}, {Name: "gone.tsv"}, {Name: "truncated.tsv.gz"}, {Name: "samples.tsv"}}
	evs := biHandle(t, e, api.Request{ID: 4, Kind: api.KindLoad, Files: refs}, files)
	last := evs[len(evs)-1]
	if last.Kind != api.EventError || last.Error.Error() != "short_row.tsv:3:3: row has 2 fields, expected 3 like the header" {
		t.Fatalf("last event %+v %v, want the first file's error", last, last.Error)
	}
	var logs []string
	for _, ev := range evs {
		if ev.Kind == api.EventLog {
			logs = append(logs, ev.Message)
		}
	}
	want := []string{
		"not loaded: short_row.tsv:3:3: row has 2 fields, expected 3 like the header",
		"not loaded: truncated.tsv.gz: the gzip stream is damaged or truncated",
	}
	unopened := "not loaded: gone.tsv: cannot open: NotReadableError: the file could not be read"
	loggedUnopened := false
	var parse []string
	for _, l := range logs {
		if l == unopened {
			loggedUnopened = true
		} else {
			parse = append(parse, l)
		}
	}
	if len(parse) != len(want) {
		t.Fatalf("log lines %q, want %q", logs, want)
	}
	for i := range want {
		if !strings.HasPrefix(parse[i], want[i]) {
			t.Errorf("log %d = %q, want prefix %q", i, parse[i], want[i])
		}
	}
	got := e.Files()
	if len(got) != 2 || got[0].Name != "counts.tsv" || got[1].Name != "samples.tsv" {
		t.Fatalf("session %+v, want counts.tsv and samples.tsv", got)
	}
	ref, aerr := biSections(t, biBase(t, "cs"))
	if aerr != nil {
		t.Fatal(aerr)
	}
	biSameAnalysis(t, e, ref)
	if !loggedUnopened {
		t.Errorf("no %q log line for the file the Opener cannot open: logs %q", unopened, logs)
	}
}
