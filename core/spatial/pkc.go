package spatial

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"
)

// PKC is a GeoMx probe kit configuration: which probe (RTS ID) measures which
// target, in which pool (module).
type PKC struct {
	File string
	// Module is the file name without directory and ".pkc", which is what
	// GeomxTools calls the module (probe pool) of its probes.
	Module      string
	Name        string
	Version     string
	AnalyteType string // "RNA" or "Protein"
	MinArea     float64
	MinNuclei   float64
	Targets     []PKCTarget
}

// PKCTarget is one target of a PKC with its probes.
type PKCTarget struct {
	Name string // DisplayName
	// CodeClass as written (e.g. Endogenous01, Negative02, Control01).
	CodeClass   string
	AnalyteType string
	Probes      []PKCProbe
}

// PKCProbe is one probe of a target.
type PKCProbe struct {
	RTSID       string
	DisplayName string
	ProbeID     string
}

// Negative tells whether the target is a negative control probe set (CodeClass
// starting with "Negative", which GeomxTools maps to "Negative").
func (t *PKCTarget) Negative() bool { return strings.HasPrefix(t.CodeClass, "Negative") }

type pkcJSON struct {
	Name        string          `json:"Name"`
	Version     json.RawMessage `json:"Version"`
	AnalyteType string          `json:"AnalyteType"`
	MinArea     json.RawMessage `json:"MinArea"`
	MinNuclei   json.RawMessage `json:"MinNuclei"`
	Targets     []struct {
		DisplayName string `json:"DisplayName"`
		CodeClass   string `json:"CodeClass"`
		AnalyteType string `json:"AnalyteType"`
		Probes      []struct {
			RTSID       string `json:"RTS_ID"`
			DisplayName string `json:"DisplayName"`
			ProbeID     string `json:"ProbeID"`
		} `json:"Probes"`
	} `json:"Targets"`
}

// lineCol converts a byte offset into a 1-based line and column.
func lineCol(data []byte, off int64) (int, int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	if off < 0 {
		off = 0
	}
	pre := data[:off]
	line := bytes.Count(pre, []byte{'\n'}) + 1
	col := int(off) - (bytes.LastIndexByte(pre, '\n') + 1) + 1
	return line, col
}

func rawText(m json.RawMessage) string {
	s := strings.TrimSpace(string(m))
	if s == "null" {
		return ""
	}
	return strings.Trim(s, `"`)
}

// ReadPKC reads one PKC file (JSON). name is used in errors and gives the
// module name. It needs Targets, each with a DisplayName, a CodeClass and
// probes with RTS_ID; an RTS ID given twice is an error.
func ReadPKC(r io.Reader, name string) (*PKC, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, perr(name, 0, 0, "read error: %v", err)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var j pkcJSON
	if err := json.Unmarshal(data, &j); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			l, c := lineCol(data, se.Offset)
			return nil, perr(name, l, c, "not a PKC (JSON) file: %v", se)
		case errors.As(err, &te):
			l, c := lineCol(data, te.Offset)
			return nil, perr(name, l, c, "PKC field %s has a %s where a %s is expected", te.Field, te.Value, te.Type)
		}
		return nil, perr(name, 1, 1, "not a PKC (JSON) file: %v", err)
	}
	if len(j.Targets) == 0 {
		return nil, perr(name, 1, 1, "the PKC has no Targets")
	}
	p := &PKC{File: name, Name: j.Name, Version: rawText(j.Version), AnalyteType: j.AnalyteType}
	base := path.Base(strings.ReplaceAll(name, "\\", "/"))
	p.Module = strings.TrimSuffix(base, path.Ext(base))
	fmt.Sscan(rawText(j.MinArea), &p.MinArea)
	fmt.Sscan(rawText(j.MinNuclei), &p.MinNuclei)
	seen := map[string]string{}
	for i, t := range j.Targets {
		if t.DisplayName == "" {
			return nil, perr(name, 0, 0, "target %d has no DisplayName", i+1)
		}
		if len(t.Probes) == 0 {
			return nil, perr(name, 0, 0, "target %s has no probes", t.DisplayName)
		}
		pt := PKCTarget{Name: t.DisplayName, CodeClass: t.CodeClass, AnalyteType: t.AnalyteType}
		if pt.AnalyteType == "" {
			pt.AnalyteType = p.AnalyteType
		}
		for _, pr := range t.Probes {
			if pr.RTSID == "" {
				return nil, perr(name, 0, 0, "a probe of target %s has no RTS_ID", t.DisplayName)
			}
			if other, ok := seen[pr.RTSID]; ok {
				return nil, perr(name, 0, 0, "probe %s is listed for %s and %s", pr.RTSID, other, t.DisplayName)
			}
			seen[pr.RTSID] = t.DisplayName
			pt.Probes = append(pt.Probes, PKCProbe{RTSID: pr.RTSID, DisplayName: pr.DisplayName, ProbeID: pr.ProbeID})
		}
		p.Targets = append(p.Targets, pt)
	}
	return p, nil
}

// ReadPKCZip reads every *.pkc file of a zip archive (as NanoString ships
// them), in name order; entries under __MACOSX and other files are skipped.
// Errors name the entry as "zipname/entry".
func ReadPKCZip(r io.ReaderAt, size int64, name string) ([]*PKC, error) {
	z, err := zip.NewReader(r, size)
	if err != nil {
		return nil, perr(name, 0, 0, "not a zip archive: %v", err)
	}
	var files []*zip.File
	for _, f := range z.File {
		if f.FileInfo().IsDir() || strings.HasPrefix(f.Name, "__MACOSX") || !strings.EqualFold(path.Ext(f.Name), ".pkc") {
			continue
		}
		files = append(files, f)
	}
	sort.Slice(files, func(a, b int) bool { return files[a].Name < files[b].Name })
	if len(files) == 0 {
		return nil, perr(name, 0, 0, "the zip archive has no .pkc file")
	}
	var out []*PKC
	for _, f := range files {
		rc, err := f.Open()
		if err != nil {
			return nil, perr(name+"/"+f.Name, 0, 0, "cannot open: %v", err)
		}
		p, err := ReadPKC(rc, name+"/"+f.Name)
		rc.Close()
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}
