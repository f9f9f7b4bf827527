package api

import (
	"encoding/json"
	"fmt"
)

// Request is one instruction from the UI to the engine.
//
// ID is chosen by the sender and echoed in every Event the request causes, so the UI
// can tell which job an event belongs to. Params is the request-specific payload; its
// shape is documented with each Kind.
type Request struct {
	ID     int64           `json:"id"`
	Kind   Kind            `json:"kind"`
	Params json.RawMessage `json:"params,omitempty"`
	// Files names the files attached to the request, in order. In the browser the File
	// handles travel beside the JSON message; natively they are paths.
	Files []FileRef `json:"files,omitempty"`
}

// Kind names what a Request asks for.
type Kind string

// Request kinds.
const (
	// KindLoad reads the attached files, detects their formats and keeps them in the
	// engine's session. Params: none. Events: progress per file, then one Data event
	// with a LoadSummary per file, then Done.
	KindLoad Kind = "load"
	// KindBench runs the engine's self-benchmark: a seeded count matrix is generated
	// and normalised repeatedly for at least Params.Seconds. Events: progress, Data
	// with a BenchResult, Done. It measures how fast this machine runs the engine.
	KindBench Kind = "bench"
	// KindReset forgets everything loaded.
	KindReset Kind = "reset"
	// KindPanic makes the engine panic on purpose, to test crash containment.
	KindPanic Kind = "panic"
)

// FileRef identifies an input file.
type FileRef struct {
	Name string `json:"name"`
	Size int64  `json:"size"`
}

// EventKind says what an Event carries.
type EventKind string

// Event kinds.
const (
	EventProgress EventKind = "progress" // Step and Fraction are set
	EventData     EventKind = "data"     // Data is set
	EventError    EventKind = "error"    // Error is set; the request ended
	EventDone     EventKind = "done"     // the request ended successfully
	EventLog      EventKind = "log"      // Message is a line for the activity log
)

// Event is one message from the engine to the UI.
type Event struct {
	ID       int64           `json:"id"`
	Kind     EventKind       `json:"kind"`
	Step     string          `json:"step,omitempty"`
	Fraction float64         `json:"fraction,omitempty"`
	Message  string          `json:"message,omitempty"`
	DataType string          `json:"dataType,omitempty"`
	Data     json.RawMessage `json:"data,omitempty"`
	Error    *Error          `json:"error,omitempty"`
	// Indeterminate, on a progress event, says the step's size is unknown (a
	// library call that reports nothing until it returns): the page shows a
	// moving bar rather than Fraction.
	Indeterminate bool `json:"indeterminate,omitempty"`
}

// Error is a failure the user can act on. File, Line and Column locate bad input when
// known (1-based; 0 means unknown). Fatal means the engine itself failed (a bug):
// the UI restarts the engine and replays the session.
type Error struct {
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	Message string `json:"message"`
	Fatal   bool   `json:"fatal,omitempty"`
}

// Error formats the error as file:line:column: message, omitting unknown parts.
func (e *Error) Error() string {
	switch {
	case e.File != "" && e.Line > 0 && e.Column > 0:
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Message)
	case e.File != "" && e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Message)
	case e.File != "":
		return fmt.Sprintf("%s: %s", e.File, e.Message)
	}
	return e.Message
}

// LoadSummary describes one loaded file.
type LoadSummary struct {
	Name     string   `json:"name"`
	Size     int64    `json:"size"`
	SHA256   string   `json:"sha256"`
	Format   string   `json:"format"`
	Rows     int      `json:"rows"`
	Cols     int      `json:"cols"`
	Detail   string   `json:"detail,omitempty"`
	Warnings []string `json:"warnings,omitempty"`
}

// BenchParams are the parameters of a KindBench request.
type BenchParams struct {
	Seconds float64 `json:"seconds"`
	Genes   int     `json:"genes"`
	Samples int     `json:"samples"`
}

// BenchResult reports a self-benchmark.
type BenchResult struct {
	Rounds     int     `json:"rounds"`
	Seconds    float64 `json:"seconds"`
	Genes      int     `json:"genes"`
	Samples    int     `json:"samples"`
	Checksum   float64 `json:"checksum"`
	ValuesPerS float64 `json:"valuesPerSecond"`
}

// Marshal encodes v for an Event's Data; it panics only on programmer error
// (a type that cannot be encoded).
func Marshal(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic("api: cannot encode " + fmt.Sprintf("%T", v) + ": " + err.Error())
	}
	return b
}

// More request kinds: the analyses.
const (
	// KindDemo loads the built-in synthetic example cohort into the session, as if its
	// files had been dropped. Params: DemoParams. Events: like KindLoad.
	KindDemo Kind = "demo"
	// KindAnalyze runs the study's analyses on the session. Params: the study
	// parameters as JSON (core/study.Params; empty = defaults). Events: progress per
	// step, one Data event "section" per finished section (a Section), then Done.
	KindAnalyze Kind = "analyze"
	// KindReport builds the self-contained HTML report of the last analysis. Events:
	// Data "report" with a Download, then Done.
	KindReport Kind = "report"
)

// DemoParams are the parameters of a KindDemo request.
type DemoParams struct {
	Seed uint64 `json:"seed"`
}

// Param is a named setting shown next to the results it produced.
type Param struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Section is one analysis of the study, ready to show: its figures as SVG and its
// tables. Screen says which screen of the app shows it.
type Section struct {
	ID      string       `json:"id"`
	Screen  string       `json:"screen"`
	Title   string       `json:"title"`
	Summary []string     `json:"summary,omitempty"`
	Notes   []string     `json:"notes,omitempty"`
	Params  []Param      `json:"params,omitempty"`
	Figures []FigureView `json:"figures,omitempty"`
	Tables  []TableView  `json:"tables,omitempty"`
}

// FigureView is a drawn figure: SVG markup (from core/chart) and its provenance.
type FigureView struct {
	ID      string  `json:"id"`
	Title   string  `json:"title"`
	Caption string  `json:"caption,omitempty"`
	Params  []Param `json:"params,omitempty"`
	SVG     string  `json:"svg"`
}

// TableView is a result table. Cells are already formatted; Columns name them.
type TableView struct {
	ID      string     `json:"id"`
	Title   string     `json:"title"`
	Columns []string   `json:"columns"`
	Rows    [][]string `json:"rows"`
}

// Download is a file the engine made for the user to save.
type Download struct {
	Name string `json:"name"`
	Mime string `json:"mime"`
	Text string `json:"text"`
}

// KindInfo asks for what the engine embeds: versions and the reference data with
// their citations and licences (the About screen). Events: Data "info" (an Info).
const KindInfo Kind = "info"

// Info describes the engine and its embedded reference data.
type Info struct {
	Version    string      `json:"version"`
	References []Reference `json:"references"`
}

// Reference is one embedded data collection and how to cite it.
type Reference struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Version  string `json:"version"`
	Citation string `json:"citation"`
	Licence  string `json:"licence"`
	Size     string `json:"size"`
}

// Request kinds of the Samples and Differential-expression screens.
const (
	// KindSamples describes the loaded sample sheet: each column's role and levels
	// (raw spellings -> normalised level), group counts per patient and per sample,
	// and warnings. Params: none. Events: Data "samples" (a SamplesView), Done.
	KindSamples Kind = "samples"
	// KindDEDesign builds the model matrix of a DEParams design over the loaded
	// sample sheet (the samples also in the count matrix) and checks its rank.
	// Events: Data "deDesign" (a DEDesign), Done. A rank-deficient design is not
	// an error: DEDesign.Problems names the columns and says why in words.
	KindDEDesign Kind = "deDesign"
	// KindDERun runs the DEParams analysis (limma-voom, or DESeq2) and sends its
	// result as Data "section" (a Section with Screen "de": volcano, MA plot and
	// the top table with R's column names, the parameters shown with them).
	KindDERun Kind = "deRun"
)

// DEParams describe one differential-expression analysis chosen by the user.
type DEParams struct {
	// Formula is a one-sided R formula over sample-sheet columns, e.g. "~ pCR".
	Formula string `json:"formula"`
	// Contrast is "factor,level,reference" or one number per design column.
	Contrast string `json:"contrast"`
	// Method is "voom" (limma-voom) or "deseq2".
	Method string `json:"method"`
	// Block is a sample-sheet column of correlated samples (e.g. patient) for
	// limma's duplicateCorrelation; voom only; "" = none.
	Block string `json:"block,omitempty"`
	// FDR is the adjusted p-value cut for calling genes (0 = 0.05).
	FDR float64 `json:"fdr,omitempty"`
}

// DEDesign is the result of a design check.
type DEDesign struct {
	Formula string   `json:"formula"`
	Samples int      `json:"samples"`
	Columns []string `json:"columns"`
	// Rank is the column rank (R's qr()$rank with tolerance 1e-7).
	Rank int `json:"rank"`
	// OK is true when the design has full column rank and the contrast is valid.
	OK bool `json:"ok"`
	// Contrast is the contrast as a vector over Columns (empty when invalid).
	Contrast []float64 `json:"contrast,omitempty"`
	// Problems explains, in words, each column that cannot be estimated and any
	// contrast problem.
	Problems []string `json:"problems,omitempty"`
	// Notes are informative lines (samples left out, block column used).
	Notes []string `json:"notes,omitempty"`
}

// SamplesView describes the loaded sample sheet for the Samples screen.
type SamplesView struct {
	File    string        `json:"file"`
	Samples int           `json:"samples"`
	Columns []SheetColumn `json:"columns"`
	Counts  []TableView   `json:"counts,omitempty"`
	// Warnings: samples in one file but not the other, patient-level values that
	// disagree between a patient's samples, values a role did not understand.
	Warnings []string `json:"warnings,omitempty"`
	// DE is a differential-expression design the sheet allows (the design
	// builder's starting point); empty when none was found.
	DE DEParams `json:"de"`
	// Roles are the role overrides in effect (column -> role, the roles of
	// SheetColumn.Role); empty when every role is the detected one.
	Roles map[string]string `json:"roles,omitempty"`
	// RoleNotes say what the last KindRoles request changed beyond the roles
	// asked for (e.g. a column that lost its role to another one).
	RoleNotes []string `json:"roleNotes,omitempty"`
}

// SheetColumn is one sample-sheet column with its detected role and levels.
type SheetColumn struct {
	Name string `json:"name"`
	// Role is one of sample, patient, timepoint, response, RCB, HET, HR, ER, PR,
	// batch, IHC, other, ignore.
	Role   string       `json:"role"`
	Levels []SheetLevel `json:"levels,omitempty"`
	// Detected is the role read from the column's name; Set is true when the
	// user chose Role (KindRoles).
	Detected string `json:"detected,omitempty"`
	Set      bool   `json:"set,omitempty"`
	// Distinct is the number of distinct non-missing values (levels are listed
	// only up to a limit for identifier-like columns).
	Distinct int `json:"distinct"`
	Missing  int `json:"missing"`
}

// SheetLevel is one normalised level and the raw spellings that became it.
type SheetLevel struct {
	Level string   `json:"level"`
	From  []string `json:"from"`
	N     int      `json:"n"`
}

// KindRoles sets the roles of sample-sheet columns, replacing the detected ones
// (the Samples screen). Params: RolesParams. The sheet is read again with the
// roles and every later analysis, design check and DE run uses them; an analysis
// made before no longer describes the inputs. Events: Data "samples" (the
// SamplesView with the new roles), Done. A choice that cannot work (two columns
// with one role, no sample column, a response column without two levels, ...) is
// an error that says why, and nothing changes. Roles sent before a sheet is
// loaded are applied when it arrives.
const KindRoles Kind = "roles"

// RolesParams are the parameters of a KindRoles request.
type RolesParams struct {
	// Roles maps column names to roles: sample, patient, timepoint, response
	// (or pCR), RCB, HET, HR, ER, PR, batch, IHC, other (or covariate), ignore.
	// Columns not named keep their detected role; an empty map restores every
	// detected role.
	Roles map[string]string `json:"roles"`
}
