package fish

import (
	"bufio"
	"fmt"
	"io"
	"io/fs"
	"math"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// DefaultSpotPattern matches the per-channel spot-count files of the STAR-FISH image
// analysis (Janiszewska et al., JCI Insight 2021; repository
// mjaniszewska-lab/HER2_heterogeneity_2021) in both naming styles, with or without the
// " copy" suffix:
//
//	Log_MAX_AG-0008_S1_C2_Series005_z6_ch00 copy.txt   sample AG-0008, site S1, core C2
//	Log_MAX_PR-0040_BM_05_Series007_z6_ch02 copy.txt   sample 0040, timepoint PR (pre), site BM_05
//
// Named groups: sample and channel (required), timepoint, site, core, image (optional).
// A name may occur in several alternatives; the first non-empty match wins.
const DefaultSpotPattern = `^(?:Log_)?(?:MAX_)?(?:(?P<timepoint>PR|PO)-(?P<sample>[A-Za-z0-9]+)_(?P<site>[A-Za-z]+_\d+)|(?P<sample>[A-Za-z]+-\d+)_(?P<site>S\d+)_(?P<core>C\d+))_(?P<image>Series\d+)(?:_z\d+)?_(?P<channel>ch\d+)(?:_xy)?(?: copy)?\.txt$`

// DefaultChannels maps channel tokens to what they count, from the STAR-FISH README:
// ch00 CEP17, ch02 ERBB2, ch04 (ch04_xy) nucleus centroids. ch01 and ch03 (PIK3CA wild
// type and mutant probes) are not used.
const DefaultChannels = "ch00=CEP17,ch02=ERBB2,ch04=XY"

// Channel roles.
const (
	RoleERBB2 = "ERBB2"
	RoleCEP17 = "CEP17"
	RoleXY    = "XY"
)

// ParseChannels reads a channel map like "ch00=CEP17,ch02=ERBB2,ch04=XY". Roles are
// ERBB2 (also HER2), CEP17 (also CHR17, CEN17) and XY; each role at most once. Channel
// names are compared case-insensitively and without an "_xy" suffix ("ch04_xy" = "ch04").
func ParseChannels(s string) (map[string]string, error) {
	m := map[string]string{}
	seen := map[string]string{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		k, v = channelKey(k), strings.ToUpper(strings.TrimSpace(v))
		if !ok || k == "" {
			return nil, fmt.Errorf("channel map entry %q: want CHANNEL=ROLE, e.g. ch02=ERBB2", part)
		}
		switch v {
		case "ERBB2", "HER2":
			v = RoleERBB2
		case "CEP17", "CHR17", "CEN17":
			v = RoleCEP17
		case "XY", "CENTROID", "CENTROIDS":
			v = RoleXY
		default:
			return nil, fmt.Errorf("channel map entry %q: role %q is not ERBB2, CEP17 or XY", part, v)
		}
		if prev, dup := seen[v]; dup {
			return nil, fmt.Errorf("channel map: %s given for both %s and %s", v, prev, k)
		}
		if _, dup := m[k]; dup {
			return nil, fmt.Errorf("channel map: channel %s given twice", k)
		}
		seen[v] = k
		m[k] = v
	}
	if _, ok := seen[RoleERBB2]; !ok {
		return nil, fmt.Errorf("channel map %q has no ERBB2 channel", s)
	}
	return m, nil
}

// channelKey normalises a channel name: trimmed, lower case, without "_xy".
func channelKey(s string) string {
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), "_xy")
}

// CompileSpotPattern compiles a file-name pattern (Go regexp syntax) and checks it has
// the named groups sample and channel.
func CompileSpotPattern(s string) (*regexp.Regexp, error) {
	re, err := regexp.Compile(s)
	if err != nil {
		return nil, fmt.Errorf("file-name pattern: %v", err)
	}
	has := map[string]bool{}
	for _, n := range re.SubexpNames() {
		has[n] = true
	}
	for _, n := range []string{"sample", "channel"} {
		if !has[n] {
			return nil, fmt.Errorf("file-name pattern %q has no (?P<%s>...) group", s, n)
		}
	}
	return re, nil
}

// SpotOptions configures ReadSpotCounts. The zero value uses the defaults.
type SpotOptions struct {
	Dir        string            // folder within the fs.FS, "." when empty
	Pattern    *regexp.Regexp    // nil: DefaultSpotPattern
	Channels   map[string]string // channel token -> role; nil: DefaultChannels
	Timepoints map[string]string // captured timepoint token -> timepoint; nil: PR=pre, PO=post (others via NormaliseTimepoint)
	// DefaultTimepoint is given to images whose name has no timepoint ("" leaves it
	// unknown; the STAR-FISH trial-cohort names carry none).
	DefaultTimepoint string
}

// SpotImage describes one image (the files sharing a stem up to the channel).
type SpotImage struct {
	Sample, Timepoint, Site, Area string
	Files                         map[string]string // role -> path in the fs.FS
	NNuclei                       int
}

// SpotSet is what ReadSpotCounts returns.
type SpotSet struct {
	Cells    []Cell
	Images   []SpotImage
	Ignored  []string // files that do not match the pattern, or channels not in the map
	Warnings []string
}

// ReadSpotCounts reads a folder of per-channel spot-count files (one file per image and
// channel; rows "nucleus_id , count", or "nucleus_id , x , y" for centroids; comma, tab
// or blank separated). Files are matched by name against the pattern; channels map to
// ERBB2, CEP17 or XY. Nuclei of one image are joined by id across channels; a nucleus
// absent from a channel file gets NaN for it (so it is excluded, or has no ratio), and an
// image without an ERBB2 or CEP17 file is warned about. Areas are named
// "<core>_<image>" (or the image, or the file stem). Sub-folders are walked. Errors are
// *ParseError values naming the file (its path in fsys), line and column.
func ReadSpotCounts(fsys fs.FS, opts SpotOptions) (*SpotSet, error) {
	re := opts.Pattern
	if re == nil {
		re = regexp.MustCompile(DefaultSpotPattern)
	}
	chans := opts.Channels
	if chans == nil {
		chans, _ = ParseChannels(DefaultChannels)
	}
	tps := opts.Timepoints
	if tps == nil {
		tps = map[string]string{"PR": TimepointPre, "PO": TimepointPost}
	}
	dir := opts.Dir
	if dir == "" {
		dir = "."
	}
	set := &SpotSet{}
	type imageFiles struct{ img SpotImage }
	images := map[string]*imageFiles{}
	var order []string
	names := re.SubexpNames()
	group := func(m []string, name string) string {
		for i, n := range names {
			if n == name && m[i] != "" {
				return m[i]
			}
		}
		return ""
	}
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		base := path.Base(p)
		m := re.FindStringSubmatch(base)
		if m == nil {
			set.Ignored = append(set.Ignored, p)
			return nil
		}
		role, ok := chans[channelKey(group(m, "channel"))]
		if !ok {
			set.Ignored = append(set.Ignored, p)
			return nil
		}
		sample := group(m, "sample")
		if sample == "" {
			set.Ignored = append(set.Ignored, p)
			set.Warnings = append(set.Warnings, fmt.Sprintf("%s: the pattern captured no sample; file ignored", p))
			return nil
		}
		tp := group(m, "timepoint")
		if v, ok := tps[tp]; ok {
			tp = v
		} else if tp != "" {
			tp = NormaliseTimepoint(tp)
		} else {
			tp = opts.DefaultTimepoint
		}
		area := label2(group(m, "core"), group(m, "image"))
		// The image key is everything but the channel: the stem up to the channel group.
		loc := re.FindStringSubmatchIndex(base)
		stem := base
		for i, n := range names {
			if n == "channel" && loc[2*i] >= 0 {
				stem = base[:loc[2*i]]
				break
			}
		}
		stem = strings.TrimRight(stem, "_ -.")
		key := path.Join(path.Dir(p), stem)
		if area == "" {
			area = stem
		}
		im := images[key]
		if im == nil {
			im = &imageFiles{img: SpotImage{Sample: sample, Timepoint: tp, Site: group(m, "site"), Area: area, Files: map[string]string{}}}
			images[key] = im
			order = append(order, key)
		}
		if prev, dup := im.img.Files[role]; dup {
			// Prefer the file without " copy"; keep the first otherwise.
			keep, drop := prev, p
			if strings.Contains(path.Base(prev), " copy") && !strings.Contains(base, " copy") {
				keep, drop = p, prev
			}
			im.img.Files[role] = keep
			set.Ignored = append(set.Ignored, drop)
			set.Warnings = append(set.Warnings, fmt.Sprintf("%s: two %s files (%s, %s); using %s", key, role, path.Base(prev), base, path.Base(keep)))
			return nil
		}
		im.img.Files[role] = p
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(order)
	for _, key := range order {
		im := images[key]
		cells, warns, err := readImage(fsys, &im.img)
		if err != nil {
			return nil, err
		}
		for _, w := range warns {
			set.Warnings = append(set.Warnings, key+": "+w)
		}
		im.img.NNuclei = len(cells)
		set.Cells = append(set.Cells, cells...)
		set.Images = append(set.Images, im.img)
	}
	return set, nil
}

func label2(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "_" + b
}

// spotRow is one parsed line of a spot-count file.
type spotRow struct {
	id   string
	v    [2]float64
	line int
}

// readSpotFile parses one channel file; want is 1 (count) or 2 (x, y) values per row.
// A first line whose values are not numbers is taken as a header and skipped.
func readSpotFile(r io.Reader, file string, want int) ([]spotRow, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var rows []spotRow
	seen := map[string]int{}
	for line := 1; ; line++ {
		s, err := br.ReadString('\n')
		if err != nil && err != io.EOF {
			return nil, &ParseError{File: file, Line: line, Err: err}
		}
		if len(s) == 0 && err == io.EOF {
			return rows, nil
		}
		if line == 1 {
			s = strings.TrimPrefix(s, "\xef\xbb\xbf")
		}
		row, ok, perr := parseSpotLine(strings.TrimRight(s, "\r\n"), file, line, want)
		if perr != nil {
			return nil, perr
		}
		if ok {
			if prev, dup := seen[row.id]; dup {
				return nil, &ParseError{File: file, Line: line, Column: 1, Err: fmt.Errorf("nucleus %q repeats line %d", row.id, prev)}
			}
			seen[row.id] = line
			rows = append(rows, row)
		}
		if err == io.EOF {
			return rows, nil
		}
	}
}

// parseSpotLine parses one line; ok is false for blank, comment and header lines.
func parseSpotLine(text, file string, line, want int) (row spotRow, ok bool, err error) {
	t := strings.TrimSpace(text)
	if t == "" || strings.HasPrefix(t, "#") {
		return row, false, nil
	}
	fields, cols := splitSpotLine(text)
	if len(fields) != want+1 {
		what := "count"
		if want == 2 {
			what = "x, y"
		}
		return row, false, &ParseError{File: file, Line: line, Column: 1,
			Err: fmt.Errorf("want %d fields (nucleus id, %s), got %d", want+1, what, len(fields))}
	}
	if fields[0] == "" {
		return row, false, &ParseError{File: file, Line: line, Column: cols[0], Err: fmt.Errorf("empty nucleus id")}
	}
	row = spotRow{id: fields[0], line: line}
	for k := 0; k < want; k++ {
		v, perr := strconv.ParseFloat(fields[k+1], 64)
		if perr != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			if line == 1 {
				return row, false, nil // header
			}
			return row, false, &ParseError{File: file, Line: line, Column: cols[k+1], Err: fmt.Errorf("%q is not a number", fields[k+1])}
		}
		if want == 1 && v < 0 {
			return row, false, &ParseError{File: file, Line: line, Column: cols[k+1], Err: fmt.Errorf("count %q is negative", fields[k+1])}
		}
		row.v[k] = v
	}
	return row, true, nil
}

// splitSpotLine splits on commas, tabs or semicolons when the line has any (keeping
// empty fields), else on runs of blanks, and returns the trimmed fields with their
// 1-based byte columns.
func splitSpotLine(s string) ([]string, []int) {
	var fields []string
	var cols []int
	if strings.ContainsAny(s, ",\t;") {
		start := 0
		for i := 0; i <= len(s); i++ {
			if i == len(s) || s[i] == ',' || s[i] == '\t' || s[i] == ';' {
				f := s[start:i]
				lead := len(f) - len(strings.TrimLeft(f, " "))
				fields = append(fields, strings.TrimSpace(f))
				cols = append(cols, start+lead+1)
				start = i + 1
			}
		}
		return fields, cols
	}
	for i := 0; i < len(s); {
		for i < len(s) && s[i] == ' ' {
			i++
		}
		j := i
		for j < len(s) && s[j] != ' ' {
			j++
		}
		if j > i {
			fields = append(fields, s[i:j])
			cols = append(cols, i+1)
		}
		i = j
	}
	return fields, cols
}

// readImage reads the channel files of one image and joins them by nucleus id.
func readImage(fsys fs.FS, im *SpotImage) ([]Cell, []string, error) {
	var warns []string
	type vals struct {
		e, c, x, y float64
		first      int
	}
	byID := map[string]*vals{}
	var ids []string
	for _, role := range []string{RoleERBB2, RoleCEP17, RoleXY} {
		p, ok := im.Files[role]
		if !ok {
			switch role {
			case RoleERBB2:
				warns = append(warns, "no ERBB2 file: every nucleus is excluded")
			case RoleCEP17:
				warns = append(warns, "no CEP17 file: no ratios")
			}
			continue
		}
		f, err := fsys.Open(p)
		if err != nil {
			return nil, nil, &ParseError{File: p, Line: 0, Column: 0, Err: err}
		}
		want := 1
		if role == RoleXY {
			want = 2
		}
		rows, err := readSpotFile(f, p, want)
		f.Close()
		if err != nil {
			return nil, nil, err
		}
		for _, r := range rows {
			v := byID[r.id]
			if v == nil {
				nan := math.NaN()
				v = &vals{e: nan, c: nan, x: nan, y: nan, first: len(ids)}
				byID[r.id] = v
				ids = append(ids, r.id)
			}
			switch role {
			case RoleERBB2:
				v.e = r.v[0]
			case RoleCEP17:
				v.c = r.v[0]
			case RoleXY:
				v.x, v.y = r.v[0], r.v[1]
			}
		}
	}
	// Order nuclei by numeric id when all ids are whole numbers, else by first appearance.
	numeric := true
	num := make(map[string]int64, len(ids))
	for _, id := range ids {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil {
			numeric = false
			break
		}
		num[id] = n
	}
	if numeric {
		sort.SliceStable(ids, func(i, j int) bool { return num[ids[i]] < num[ids[j]] })
	}
	var missE, missC int
	cells := make([]Cell, 0, len(ids))
	for _, id := range ids {
		v := byID[id]
		if math.IsNaN(v.e) {
			missE++
		}
		if math.IsNaN(v.c) {
			missC++
		}
		cells = append(cells, Cell{Sample: im.Sample, Timepoint: im.Timepoint, Site: im.Site, Area: im.Area, ID: id,
			ERBB2: v.e, CEP17: v.c, X: v.x, Y: v.y, IHC: IHCUnknown})
	}
	if _, ok := im.Files[RoleERBB2]; ok && missE > 0 {
		warns = append(warns, fmt.Sprintf("%d nuclei missing from the ERBB2 file", missE))
	}
	if _, ok := im.Files[RoleCEP17]; ok && missC > 0 {
		warns = append(warns, fmt.Sprintf("%d nuclei missing from the CEP17 file", missC))
	}
	return cells, warns, nil
}
