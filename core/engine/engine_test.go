package engine

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/her2het/her2het/core/api"
)

type memFiles map[string][]byte

func (m memFiles) Open(i int, ref api.FileRef) (io.ReadCloser, error) {
	return io.NopCloser(bytes.NewReader(m[ref.Name])), nil
}

func run(t *testing.T, e *Engine, req api.Request, files Opener) []api.Event {
	t.Helper()
	var evs []api.Event
	e.Handle(req, files, func(ev api.Event) { evs = append(evs, ev) })
	if len(evs) == 0 {
		t.Fatal("no events")
	}
	return evs
}

func gz(s string) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.Bytes()
}

func TestLoad(t *testing.T) {
	tests := []struct {
		name    string
		content []byte
		wantErr string // substring of the error's text; empty for success
		rows    int    // genes
		cols    int    // samples
		format  string
	}{
		{name: "counts.tsv", content: []byte("gene\ts1\ts2\nA\t1\t2\nB\t3\t4\n"), rows: 2, cols: 2, format: "counts"},
		{name: "counts.csv", content: []byte("gene,s1,s2,s3\r\nA,1,2,3\r\n"), rows: 1, cols: 3, format: "counts"},
		{name: "counts.tsv.gz", content: gz("gene;s1\nA;1\nB;2\nC;3"), rows: 3, cols: 1, format: "counts"},
		{name: "logcpm.tsv", content: []byte("gene\ts1\ts2\nA\t1.5\t-2\n"), rows: 1, cols: 2, format: "expression"},
		{name: "empty.tsv", content: nil, wantErr: "empty.tsv:1:"},
		{name: "junk.bin", content: []byte("ab\x00cd\n"), wantErr: "junk.bin:1:"},
		{name: "bad.gz", content: []byte{0x1f, 0x8b, 1, 2}, wantErr: "bad.gz: looks gzip-compressed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := New()
			files := memFiles{tc.name: tc.content}
			evs := run(t, e, api.Request{ID: 7, Kind: api.KindLoad, Files: []api.FileRef{{Name: tc.name, Size: int64(len(tc.content))}}}, files)
			last := evs[len(evs)-1]
			if last.ID != 7 {
				t.Fatalf("last event id %d, want 7", last.ID)
			}
			if tc.wantErr != "" {
				if last.Kind != api.EventError || !strings.Contains(last.Error.Error(), tc.wantErr) {
					t.Fatalf("got %+v %v, want error containing %q", last, last.Error, tc.wantErr)
				}
				if len(e.Files()) != 0 {
					t.Fatalf("a failed load changed the session: %v", e.Files())
				}
				return
			}
			if last.Kind != api.EventDone {
				t.Fatalf("last event %+v (%v), want done", last, last.Error)
			}
			var s api.LoadSummary
			for _, ev := range evs {
				if ev.Kind == api.EventData {
					if err := json.Unmarshal(ev.Data, &s); err != nil {
						t.Fatal(err)
					}
				}
			}
			if s.Rows != tc.rows || s.Cols != tc.cols || !strings.HasPrefix(s.Format, tc.format) {
				t.Fatalf("summary %+v, want %d genes x %d samples of %s", s, tc.rows, tc.cols, tc.format)
			}
			if s.Size != int64(len(tc.content)) || len(s.SHA256) != 64 {
				t.Fatalf("size %d hash %q", s.Size, s.SHA256)
			}
		})
	}
}

func TestFailedLoadKeepsEarlierFiles(t *testing.T) {
	e := New()
	files := memFiles{"a.tsv": []byte("g\ts\nA\t1\n"), "b.tsv": nil}
	run(t, e, api.Request{ID: 1, Kind: api.KindLoad, Files: []api.FileRef{{Name: "a.tsv", Size: 9}}}, files)
	evs := run(t, e, api.Request{ID: 2, Kind: api.KindLoad, Files: []api.FileRef{{Name: "b.tsv"}}}, files)
	if evs[len(evs)-1].Kind != api.EventError {
		t.Fatal("empty file accepted")
	}
	if got := e.Files(); len(got) != 1 || got[0].Name != "a.tsv" {
		t.Fatalf("session after failed load: %+v", got)
	}
}

func TestPanicBecomesFatalError(t *testing.T) {
	evs := run(t, New(), api.Request{ID: 3, Kind: api.KindPanic}, nil)
	last := evs[len(evs)-1]
	if last.Kind != api.EventError || !last.Error.Fatal || strings.Contains(last.Error.Message, "goroutine") {
		t.Fatalf("got %+v", last)
	}
}

func TestBench(t *testing.T) {
	e := New()
	// A fake clock that advances 0.4 s per reading makes the run length deterministic.
	var tick time.Duration
	base := time.Unix(0, 0)
	e.now = func() time.Time { tick += 400 * time.Millisecond; return base.Add(tick) }
	params, _ := json.Marshal(api.BenchParams{Seconds: 1, Genes: 50, Samples: 4})
	evs := run(t, e, api.Request{ID: 4, Kind: api.KindBench, Params: params}, nil)
	var res api.BenchResult
	var progress int
	for _, ev := range evs {
		switch ev.Kind {
		case api.EventData:
			json.Unmarshal(ev.Data, &res)
		case api.EventProgress:
			progress++
		}
	}
	if evs[len(evs)-1].Kind != api.EventDone || res.Rounds != 3 || progress != 3 || res.Checksum == 0 {
		t.Fatalf("bench result %+v after %d progress events", res, progress)
	}
}

func TestBenchRejectsBadParams(t *testing.T) {
	params, _ := json.Marshal(api.BenchParams{Seconds: -1, Genes: 1, Samples: 1})
	evs := run(t, New(), api.Request{ID: 5, Kind: api.KindBench, Params: params}, nil)
	if last := evs[len(evs)-1]; last.Kind != api.EventError || !strings.Contains(last.Error.Message, "out of range") {
		t.Fatalf("got %+v", last)
	}
}

func TestLogCPM(t *testing.T) {
	y := []float64{1, 3, 0, 5} // 2 genes x 2 samples: libs 1, 8
	lib := make([]float64, 2)
	out := make([]float64, 4)
	logCPM(y, lib, out, 2)
	for i, v := range y {
		l := []float64{1, 8}[i%2]
		w := logBase2((v + 0.5) / (l + 1) * 1e6)
		if d := out[i] - w; d > 1e-12 || d < -1e-12 {
			t.Fatalf("out[%d]=%v want %v", i, out[i], w)
		}
	}
	if d := out[0] - 19.5165310700; d > 1e-9 || d < -1e-9 {
		t.Fatalf("out[0]=%.12f, want log2(0.75e6)=19.5165310700", out[0])
	}
}

func logBase2(x float64) float64 { return math.Log2(x) }

func TestToAPIErrorKeepsPosition(t *testing.T) {
	tests := []struct {
		in           string
		file         string
		line, column int
		msg          string
	}{
		{"counts.tsv:12:3: \"x\" is not a number", "counts.tsv", 12, 3, "\"x\" is not a number"},
		{"sheet.csv:4: duplicated sample S1", "sheet.csv", 4, 0, "duplicated sample S1"},
		{"something failed", "", 0, 0, "something failed"},
	}
	for _, tc := range tests {
		got := toAPIError(errors.New(tc.in))
		if got.File != tc.file || got.Line != tc.line || got.Column != tc.column || got.Message != tc.msg {
			t.Errorf("toAPIError(%q) = %+v", tc.in, got)
		}
		if got.Error() != tc.in {
			t.Errorf("round trip %q -> %q", tc.in, got.Error())
		}
	}
}

func TestMemoryBudgetRefusesBeforeReading(t *testing.T) {
	e := New()
	e.MemoryBudget = 1 << 30
	opened := false
	files := openerFunc(func(int, api.FileRef) (io.ReadCloser, error) {
		opened = true
		return nil, errors.New("should not open")
	})
	evs := run(t, e, api.Request{ID: 1, Kind: api.KindLoad, Files: []api.FileRef{{Name: "huge.tsv.gz", Size: 200 << 20}}}, files)
	last := evs[len(evs)-1]
	if last.Kind != api.EventError || opened {
		t.Fatalf("got %+v, opened=%v", last, opened)
	}
	for _, want := range []string{"huge.tsv.gz: 200.0 MB is too large", "about 3.9 GB", "budget is 1.0 GB"} {
		if !strings.Contains(last.Error.Error(), want) {
			t.Errorf("message %q lacks %q", last.Error.Error(), want)
		}
	}
	// A file within the budget loads.
	small := memFiles{"ok.tsv": []byte("gene\ts1\nA\t1\n")}
	if evs := run(t, e, api.Request{ID: 2, Kind: api.KindLoad, Files: []api.FileRef{{Name: "ok.tsv", Size: 14}}}, small); evs[len(evs)-1].Kind != api.EventDone {
		t.Fatalf("small file refused: %+v", evs[len(evs)-1])
	}
}

type openerFunc func(int, api.FileRef) (io.ReadCloser, error)

func (f openerFunc) Open(i int, ref api.FileRef) (io.ReadCloser, error) { return f(i, ref) }

func TestInfoListsReferencesWithCitations(t *testing.T) {
	evs := run(t, New(), api.Request{ID: 9, Kind: api.KindInfo}, nil)
	var in api.Info
	for _, ev := range evs {
		if ev.DataType == "info" {
			json.Unmarshal(ev.Data, &in)
		}
	}
	if in.Version != api.Version || len(in.References) < 5 {
		t.Fatalf("info %+v", in)
	}
	for _, r := range in.References {
		if r.Citation == "" || r.Licence == "" {
			t.Errorf("reference %s lacks citation or licence", r.ID)
		}
	}
}

func TestDemoReplacesLoadedFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("generates the example cohort")
	}
	e := New()
	run(t, e, api.Request{ID: 1, Kind: api.KindLoad, Files: []api.FileRef{{Name: "mine.tsv", Size: 14}}}, memFiles{"mine.tsv": []byte("gene\ts1\nA\t1\n")})
	evs := run(t, e, api.Request{ID: 2, Kind: api.KindDemo}, nil)
	if last := evs[len(evs)-1]; last.Kind != api.EventDone {
		t.Fatalf("demo after a file: %+v", last.Error)
	}
	for _, f := range e.Files() {
		if f.Name == "mine.tsv" {
			t.Fatal("the example cohort was mixed with an earlier file")
		}
	}
}
