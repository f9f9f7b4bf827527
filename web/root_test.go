package web

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/her2het/her2het/core/api"
	"github.com/vugu/vugu"
	"github.com/vugu/vugu/js"
	"github.com/vugu/vugu/staticrender"
)

type fakeEngine struct {
	sent      []api.Kind
	cancelled int
}

func (f *fakeEngine) Send(kind api.Kind, params any, files js.Value) int64 {
	f.sent = append(f.sent, kind)
	return int64(len(f.sent))
}
func (f *fakeEngine) Cancel() { f.cancelled++ }

func render(t *testing.T, root *Root) string {
	t.Helper()
	env, err := vugu.NewBuildEnv()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := staticrender.New(&buf).Render(env.RunBuild(root)); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestRootRendersScreens(t *testing.T) {
	tests := []struct {
		name   string
		setup  func(s *Store)
		want   []string
		absent []string
	}{
		{
			name:   "fresh page: nav and drop zone",
			setup:  func(s *Store) {},
			want:   []string{"<nav", `id="nav-load"`, `id="nav-about"`, `id="dropzone"`, `id="filepicker"`},
			absent: []string{`class="banner"`, `id="cancel"`},
		},
		{
			name: "error banner with position",
			setup: func(s *Store) {
				s.Apply(api.Event{ID: 1, Kind: api.EventError, Error: &api.Error{File: "counts.tsv", Line: 3, Column: 2, Message: `"x" is not a number`}})
			},
			want: []string{`class="banner"`, "counts.tsv:3:2: &#34;x&#34; is not a number"},
		},
		{
			name: "running job shows progress and cancel",
			setup: func(s *Store) {
				s.Start(5, api.KindLoad, "Loading 1 file(s)")
				s.Apply(api.Event{ID: 5, Kind: api.EventProgress, Step: "read counts.tsv", Fraction: 0.42})
			},
			want: []string{`id="cancel"`, "Loading 1 file(s)", "read counts.tsv 42%", "<progress"},
		},
		{
			name: "loaded file is listed",
			setup: func(s *Store) {
				s.Apply(api.Event{ID: 2, Kind: api.EventData, DataType: "loadSummary", Data: api.Marshal(api.LoadSummary{Name: "counts.tsv", Format: "text", Rows: 20000, Cols: 12, Size: 3 << 20, SHA256: strings.Repeat("ab", 32)})})
			},
			want: []string{"counts.tsv", "20000", "3.0 MB", "abababababab"},
		},
		{
			name: "analysis screen shows its sections with figures, params and tables",
			setup: func(s *Store) {
				s.Screen = "expression"
				s.Apply(api.Event{ID: 3, Kind: api.EventData, DataType: "section", Data: api.Marshal(api.Section{
					ID: "erbb2", Screen: "expression", Title: "ERBB2 mRNA by group", Summary: []string{"Highest in pCR."},
					Params:  []api.Param{{Name: "normalisation", Value: "TMM log2 CPM"}},
					Figures: []api.FigureView{{ID: "erbb2-box", Title: "ERBB2", SVG: `<svg xmlns="http://www.w3.org/2000/svg"><circle data-patient="P1" r="2"/></svg>`}},
					Tables:  []api.TableView{{ID: "erbb2-tests", Title: "Tests", Columns: []string{"test", "pvalue"}, Rows: [][]string{{"kruskal", "0.001"}}}},
				})})
				s.Apply(api.Event{ID: 3, Kind: api.EventData, DataType: "section", Data: api.Marshal(api.Section{ID: "pca", Screen: "qc", Title: "PCA"})})
			},
			want:   []string{"ERBB2 mRNA by group", "Highest in pCR.", "TMM log2 CPM", `data-patient="P1"`, `id="fig-erbb2-box"`, `id="table-erbb2-tests"`, "kruskal", "1 rows"},
			absent: []string{"PCA"},
		},
		{
			name:  "analysis screen before any analysis",
			setup: func(s *Store) { s.Screen = "de" },
			want:  []string{"No results yet"},
		},
		{
			name:  "about screen",
			setup: func(s *Store) { s.Screen = "about" },
			want:  []string{"About her2het", api.Version, `id="bench"`},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := NewStore()
			tc.setup(s)
			html := render(t, &Root{Store: s, Engine: &fakeEngine{}})
			for _, w := range tc.want {
				if !strings.Contains(html, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			for _, a := range tc.absent {
				if strings.Contains(html, a) {
					t.Errorf("page has %q", a)
				}
			}
		})
	}
}

func TestStoreJobLifecycle(t *testing.T) {
	s := NewStore()
	s.Start(1, api.KindAnalyze, "a")
	s.Start(2, api.KindLoad, "b")
	s.Apply(api.Event{ID: 1, Kind: api.EventDone})
	if !s.Analysed {
		t.Fatal("a finished analysis does not mark the store analysed")
	}
	if len(s.Jobs) != 1 || s.Jobs[0].ID != 2 {
		t.Fatalf("jobs after done: %+v", s.Jobs)
	}
	s.Apply(api.Event{ID: 2, Kind: api.EventError, Error: &api.Error{Message: "bad"}})
	if s.Busy() || s.Banner == nil || s.Banner.Message != "bad" {
		t.Fatalf("after error: busy=%v banner=%v", s.Busy(), s.Banner)
	}
}

func TestTSV(t *testing.T) {
	got := TSV(&api.TableView{Columns: []string{"gene", "logFC"}, Rows: [][]string{{"ERBB2", "1.5"}, {"a\tb", "NA"}}})
	if want := "gene\tlogFC\nERBB2\t1.5\na b\tNA\n"; got != want {
		t.Fatalf("TSV %q, want %q", got, want)
	}
}

func TestTableFilterAndPaging(t *testing.T) {
	tv := &api.TableView{Columns: []string{"gene"}}
	for i := 0; i < 120; i++ {
		tv.Rows = append(tv.Rows, []string{fmt.Sprintf("G%03d", i)})
	}
	c := &Table{Table: tv}
	if len(c.visible()) != pageRows || !c.more() {
		t.Fatalf("first page %d rows", len(c.visible()))
	}
	c.Filter = "g11"
	if got := c.visible(); len(got) != 10 || c.countText() != "10 of 120 rows" {
		t.Fatalf("filtered %d rows, %q", len(got), c.countText())
	}
}
