package spatial

import (
	"errors"
	"math"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/her2het/her2het/core/dataset"
)

func near(a, b, tol float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= tol*math.Max(1, math.Abs(b))
}

func gm(x ...float64) float64 {
	s := 0.0
	for _, v := range x {
		s += math.Log(v)
	}
	return math.Exp(s / float64(len(x)))
}

// TestNGeoMean checks GeomxTools' ngeoMean / ngeoSD definitions:
// ngeoMean(x, thresh = 0.5) = EnvStats::geoMean(x + 0.5 if min(x) < 0.5 else x, na.rm = TRUE),
// ngeoSD = exp(sd(log(shifted x))).
func TestNGeoMean(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct {
		x        []float64
		mean, sd float64
	}{
		{[]float64{1, 2, 4}, 2, 2},                                       // no shift; logs 0, ln2, 2ln2
		{[]float64{0, 1, 2, 2}, gm(0.5, 1.5, 2.5, 2.5), nan},             // any value < 0.5 shifts ALL by 0.5
		{[]float64{0.5, 2}, 1, math.Exp(math.Sqrt(2) * math.Log(2))},     // 0.5 is not < 0.5: no shift
		{[]float64{3, nan, 12}, 6, math.Exp(math.Sqrt(2) * math.Log(2))}, // NaN dropped
		{nil, nan, nan},
		{[]float64{7}, 7, nan},
	} {
		if got := NGeoMean(c.x, 0.5); !near(got, c.mean, 1e-14) {
			t.Errorf("NGeoMean(%v) = %v, want %v", c.x, got, c.mean)
		}
		if !math.IsNaN(c.sd) {
			if got := NGeoSD(c.x, 0.5); !near(got, c.sd, 1e-14) {
				t.Errorf("NGeoSD(%v) = %v, want %v", c.x, got, c.sd)
			}
		}
	}
	// sd of the shifted logs for {0,1,2,2}: n-1 denominator.
	l := []float64{math.Log(0.5), math.Log(1.5), math.Log(2.5), math.Log(2.5)}
	m := (l[0] + l[1] + l[2] + l[3]) / 4
	ss := 0.0
	for _, v := range l {
		ss += (v - m) * (v - m)
	}
	if got, want := NGeoSD([]float64{0, 1, 2, 2}, 0.5), math.Exp(math.Sqrt(ss/3)); !near(got, want, 1e-14) {
		t.Errorf("NGeoSD shifted = %v, want %v", got, want)
	}
}

// TestTargetCount: aggregateCounts keeps a single probe's count as is and
// takes ngeoMean over several probes.
func TestTargetCount(t *testing.T) {
	for _, c := range []struct {
		x    []float64
		want float64
	}{
		{[]float64{0}, 0},                       // single probe: raw, no shift
		{[]float64{5}, 5},                       // single probe
		{[]float64{2, 8}, 4},                    // geometric mean
		{[]float64{0, 3, 8}, gm(0.5, 3.5, 8.5)}, // a zero shifts every probe by 0.5
		{nil, math.NaN()},
	} {
		if got := TargetCount(c.x); !near(got, c.want, 1e-14) {
			t.Errorf("TargetCount(%v) = %v, want %v", c.x, got, c.want)
		}
	}
}

const testPKC = `{"Name": "Test kit", "Version": 1.0, "AnalyteType": "RNA", "MinArea": 16000, "MinNuclei": 200,
 "Targets": [
  {"DisplayName": "GENE1", "CodeClass": "Endogenous01", "Probes": [
    {"RTS_ID": "RTS01", "DisplayName": "GENE1_01"}, {"RTS_ID": "RTS02"}, {"RTS_ID": "RTS03"}]},
  {"DisplayName": "GENE2", "CodeClass": "Endogenous01", "Probes": [{"RTS_ID": "RTS04"}]},
  {"DisplayName": "NegProbe-Test", "CodeClass": "Negative01", "Probes": [
    {"RTS_ID": "RTS90"}, {"RTS_ID": "RTS91"}, {"RTS_ID": "RTS92"}, {"RTS_ID": "RTS93"}]}
 ]}`

func dccText(id, plate string, raw, trimmed, stitched, aligned int, counts string) string {
	return "<Header>\nFileVersion,0.01\nSoftwareVersion,\"1.0.0\"\nDate,2020-7-14\n</Header>\n\n" +
		"<Scan_Attributes>\nID," + id + "\nPlate_ID," + plate + "\nWell,A01\n</Scan_Attributes>\n\n" +
		"<NGS_Processing_Attributes>\nSeqSetId,X\nRaw," + itoa(raw) + "\nTrimmed," + itoa(trimmed) +
		"\nStitched," + itoa(stitched) + "\nAligned," + itoa(aligned) + "\numiQ30,0.98\nrtsQ30,0.97\n</NGS_Processing_Attributes>\n\n" +
		"<Code_Summary>\n" + counts + "</Code_Summary>\nCHECKSUM000\n"
}

func itoa(i int) string {
	b := []byte{}
	if i == 0 {
		return "0"
	}
	for i > 0 {
		b = append([]byte{byte('0' + i%10)}, b...)
		i /= 10
	}
	return string(b)
}

// TestLoadDCCHandmade: a three-file run (one NTC) built by hand; every
// aggregated count, negative summary and NTC value computed by hand with the
// GeomxTools definitions.
func TestLoadDCCHandmade(t *testing.T) {
	fsys := fstest.MapFS{
		"run/S1.dcc":    {Data: []byte(dccText("S1", "P1", 10000, 9000, 8500, 8000, "RTS01,2\nRTS02,8\nRTS03,32\nRTS04,7\nRTS90,1\nRTS91,2\nRTS92,4\nRTS93,8\nRTS99,5\n"))},
		"run/S2.dcc":    {Data: []byte(dccText("S2", "P1", 900, 800, 700, 600, "RTS01,0\nRTS02,3\nRTS04,0\nRTS90,3\nRTS91,3\nRTS92,3\n"))},
		"run/NTC.dcc":   {Data: []byte(dccText("NTC", "P1", 50, 50, 40, 40, "RTS01,3\nRTS90,4\n"))},
		"run/notes.txt": {Data: []byte("ignored")},
	}
	pkc, err := ReadPKC(strings.NewReader(testPKC), "kits/Test_v1.pkc")
	if err != nil {
		t.Fatal(err)
	}
	if pkc.Module != "Test_v1" || pkc.Version != "1.0" || pkc.MinNuclei != 200 {
		t.Errorf("PKC %+v", pkc)
	}
	annot, err := ReadTable(strings.NewReader("Sample_ID\tslide name\tsegment\tarea\tnuclei\tpatient\n"+
		"NTC\tNo Template Control\t\t\t\t\nS1\tslide1\tPanCK+\t20000\t150\tA\nS2\tslide1\tPanCK-\t800.5\t12\tA\nS3\tslide1\tPanCK-\t1\t1\tB\n"), "annot.tsv")
	if err != nil {
		t.Fatal(err)
	}
	set, err := LoadDCC(fsys, DCCOptions{Dir: "run"}, []*PKC{pkc}, annot)
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Segments) != 2 || set.Segments[0].ID != "S1" || set.Segments[1].ID != "S2" {
		t.Fatalf("segments %+v", set.Segments)
	}
	if len(set.Notes) != 1 {
		t.Errorf("notes %v (RTS99 is in no PKC)", set.Notes)
	}
	want := map[string][2]float64{
		"GENE1":         {gm(2, 8, 32), gm(0.5, 3.5, 0.5)}, // S2: RTS03 absent = 0, so all shift by 0.5
		"GENE2":         {7, 0},                            // single probe: raw count
		"NegProbe-Test": {gm(1, 2, 4, 8), gm(3.5, 3.5, 3.5, 0.5)},
	}
	for g, name := range set.Counts.Genes {
		for s := 0; s < 2; s++ {
			if got := set.Counts.At(g, s); !near(got, want[name][s], 1e-14) {
				t.Errorf("%s in S%d = %v, want %v", name, s+1, got, want[name][s])
			}
		}
	}
	s1, s2 := set.Segments[0], set.Segments[1]
	if !near(s1.NegGeoMean[0], gm(1, 2, 4, 8), 1e-14) || !near(s1.NegGeoSD[0], math.Exp(math.Log(2)*math.Sqrt(5.0/3)), 1e-14) {
		t.Errorf("S1 negatives %v %v", s1.NegGeoMean, s1.NegGeoSD)
	}
	if s1.NTC != 7 || s2.NTC != 7 || s1.Deduplicated != 69 || s1.Raw != 10000 || s2.Area != 800.5 || s2.Nuclei != 12 {
		t.Errorf("S1 %+v\nS2 %+v", s1, s2)
	}
	if !set.Targets[2].Negative || set.Targets[0].Probes != 3 {
		t.Errorf("targets %+v", set.Targets)
	}
	// QC with the workflow thresholds; the definitions of setSegmentQCFlags:
	// S2: Raw 900 < 1000; Trimmed 800/900 = 88.9% ok; Stitched 77.8% < 80;
	// Aligned 66.7% < 75; saturation 100(1 - 12/600) = 98% ok; NegGeoMean
	// 2.71 >= 1; NTC 7 <= 9000; nuclei 12 < 20; area 800.5 < 1000.
	// S1: saturation 100(1 - 69/8000) = 99.1%; passes.
	qc := QC(set, WorkflowQC())
	if !qc[0].Pass || qc[0].String() != "PASS" {
		t.Errorf("S1 QC %s", qc[0])
	}
	if got := qc[1].String(); got != "LowReads,LowStitched,LowAligned,LowNuclei,LowArea" {
		t.Errorf("S2 QC %s", got)
	}
	if !near(qc[1].SaturationPct, 100*(1-12.0/600), 1e-14) || !near(qc[1].TrimmedPct, 100*800.0/900, 1e-14) {
		t.Errorf("S2 metrics %+v", qc[1])
	}
	// With the workflow's shiftCountsOne(useDALogic = TRUE), zeros become 1
	// before aggregation: GENE1 in S2 = geoMean(1, 3, 1), GENE2 = 1.
	shifted, err := LoadDCC(fsys, DCCOptions{Dir: "run", ShiftZerosToOne: true}, []*PKC{pkc}, annot)
	if err != nil {
		t.Fatal(err)
	}
	if got := shifted.Counts.At(0, 1); !near(got, gm(1, 3, 1), 1e-14) {
		t.Errorf("shifted GENE1 in S2 = %v", got)
	}
	if got := shifted.Counts.At(1, 1); got != 1 {
		t.Errorf("shifted GENE2 in S2 = %v", got)
	}
	// A second NTC row (its DCC absent) ends the first NTC's block: S2 has no NTC.
	annot2, err := ReadTable(strings.NewReader("Sample_ID\tslide name\n"+
		"NTC\tNo Template Control\nS1\tslide1\nNTC2\tno template control\nS2\tslide1\n"), "annot2.tsv")
	if err != nil {
		t.Fatal(err)
	}
	set2, err := LoadDCC(fsys, DCCOptions{Dir: "run"}, []*PKC{pkc}, annot2)
	if err != nil {
		t.Fatal(err)
	}
	if set2.Segments[0].NTC != 7 || !math.IsNaN(set2.Segments[1].NTC) {
		t.Errorf("NTC blocks: %v %v", set2.Segments[0].NTC, set2.Segments[1].NTC)
	}
	// Missing annotation row is an error naming the file.
	bad := fstest.MapFS{"S9.dcc": {Data: []byte(dccText("S9", "P1", 1, 1, 1, 1, "RTS01,1\n"))}}
	if _, err := LoadDCC(bad, DCCOptions{}, []*PKC{pkc}, annot); err == nil || !strings.Contains(err.Error(), "S9") {
		t.Errorf("missing annotation: %v", err)
	}
}

// TestQCBoundaries: minimums are strict "<", maxNTCCount is strict ">", and
// missing metrics raise no flag.
func TestQCBoundaries(t *testing.T) {
	nan := math.NaN()
	th := GeomxToolsQC()
	seg := func(raw, trimmed, stitched, aligned, dedup, ntc, nuclei, area, neg float64) Segment {
		return Segment{Raw: raw, Trimmed: trimmed, Stitched: stitched, Aligned: aligned, Deduplicated: dedup,
			NTC: ntc, Nuclei: nuclei, Area: area, NegGeoMean: []float64{neg}}
	}
	set := &Set{Analyte: "RNA", Modules: []string{""}, Segments: []Segment{
		seg(1000, 800, 800, 800, 400, 60, 200, 16000, 10),    // every metric exactly at its cutoff: pass
		seg(999, 799, 799, 799, 401, 61, 199, 15999, 9.99),   // every flag
		seg(nan, nan, nan, nan, nan, nan, nan, nan, nan),     // nothing known: no flag
		seg(2000, 2000, 2000, 2000, 2000, nan, nan, nan, 20), // saturation 0% < 50
	}}
	qc := QC(set, th)
	if !qc[0].Pass {
		t.Errorf("at cutoffs: %s", qc[0])
	}
	if got := qc[1].String(); got != strings.Join(QCFlagNames, ",") {
		t.Errorf("below cutoffs: %s", got)
	}
	if !qc[2].Pass || !math.IsNaN(qc[2].AlignedPct) {
		t.Errorf("missing: %s %+v", qc[2], qc[2])
	}
	if qc[3].String() != "LowSaturation" {
		t.Errorf("saturation: %s", qc[3])
	}
	// A zero threshold disables its flag.
	th.MinSegmentReads = 0
	if QC(set, th)[1].Flags[0] {
		t.Error("zero MinSegmentReads still flags")
	}
}

// TestLOQ: LOQ = max(NegGeoMean * NegGeoSD^2, 2).
func TestLOQ(t *testing.T) {
	set := &Set{Modules: []string{"a", "b"}, Segments: []Segment{
		{NegGeoMean: []float64{3, 0.5}, NegGeoSD: []float64{1.5, 1.2}},
		{NegGeoMean: []float64{math.NaN(), 10}, NegGeoSD: []float64{math.NaN(), math.NaN()}},
	}}
	loq, fromSD := LOQ(set, 2, 2)
	if loq[0][0] != 3*1.5*1.5 || loq[0][1] != 2 || !math.IsNaN(loq[1][0]) || loq[1][1] != 10 || fromSD {
		t.Errorf("LOQ %v fromSD %v", loq, fromSD)
	}
}

// TestQ3Factors: GeomxTools quantileNorm: q_s = quantile(x_s, 0.75) (type 7),
// factor = q_s / ngeoMean(q); normalised = count / factor.
func TestQ3Factors(t *testing.T) {
	m := dataset.NewMatrix(dataset.Counts, []string{"a", "b", "c", "d", "e"}, []string{"s1", "s2", "s3"})
	cols := [][]float64{{7, 1, 3, 10, 2}, {1, 2, 3, 4, 5}, {0, 0, 0, 0, 0.4}}
	for s, c := range cols {
		for g, v := range c {
			m.Set(g, s, v)
		}
	}
	// Type 7 Q3 (R: quantile(c(7,1,3,10,2), .75) = 7); {1..5}: 4; {0,0,0,0,0.4}: 0.
	q := []float64{7, 4, 0}
	g := gm(7.5, 4.5, 0.5) // a q below 0.5 shifts all by 0.5
	f := Q3Factors(m)
	for s := range q {
		if !near(f[s], q[s]/g, 1e-14) {
			t.Errorf("factor %d = %v, want %v", s, f[s], q[s]/g)
		}
	}
	n, err := ApplyFactors(m, f)
	if err != nil {
		t.Fatal(err)
	}
	if !near(n.At(0, 0), 7/(7/g), 1e-14) || !math.IsNaN(n.At(0, 2)) || n.Kind != dataset.Expression {
		t.Errorf("normalised %v", n.Data)
	}
}

// TestProteinFactors: housekeeper and IgG factors (GeomxTools hkNorm with the
// given targets) and area scaling.
func TestProteinFactors(t *testing.T) {
	m := dataset.NewMatrix(dataset.Counts, []string{"Histone H3", "S6", "GAPDH", "Rb IgG", "Ms IgG1", "CD3"}, []string{"s1", "s2"})
	vals := [][]float64{{100, 400}, {50, 50}, {20, 80}, {4, 9}, {1, 4}, {30, 90}}
	for g, r := range vals {
		for s, v := range r {
			m.Set(g, s, v)
		}
	}
	f, missing, err := TargetSetFactors(m, DefaultHousekeepers)
	if err != nil || len(missing) != 0 {
		t.Fatal(err, missing)
	}
	h1, h2 := gm(100, 50, 20), gm(400, 50, 80)
	if !near(f[0], h1/gm(h1, h2), 1e-14) || !near(f[1], h2/gm(h1, h2), 1e-14) {
		t.Errorf("housekeeper factors %v", f)
	}
	igg := IgGTargets(m)
	if strings.Join(igg, ",") != "Rb IgG,Ms IgG1" {
		t.Errorf("IgG targets %v", igg)
	}
	b, _, _ := TargetSetFactors(m, igg)
	if !near(b[0], 2/gm(2, 6), 1e-14) || !near(b[1], 6/gm(2, 6), 1e-14) {
		t.Errorf("IgG factors %v", b)
	}
	if _, _, err := TargetSetFactors(m, []string{"nothing"}); err == nil {
		t.Error("no housekeeper found: no error")
	}
	a, err := ScaleFactors([]float64{1000, 4000})
	if err != nil || !near(a[0], 0.5, 1e-14) || !near(a[1], 2, 1e-14) {
		t.Errorf("area factors %v %v", a, err)
	}
	if _, err := ScaleFactors([]float64{1000, 0}); err == nil {
		t.Error("zero area: no error")
	}
}

// TestPairedTTest against R 4.2.2: t.test(x, y, paired = TRUE) with
// x = c(5.1,4.8,6.0,5.5,5.9), y = c(4.2,4.9,5.1,5.0,5.2).
func TestPairedTTest(t *testing.T) {
	r := PairedTTest([]float64{5.1, 4.8, 6.0, 5.5, 5.9}, []float64{4.2, 4.9, 5.1, 5.0, 5.2})
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"t", r.Statistic, 3.127150422899712}, {"df", r.DF, 4}, {"p", r.PValue, 0.035282137185940532},
		{"estimate", r.Estimate, 0.57999999999999985}, {"lower", r.ConfInt[0], 0.0650461464141842},
		{"upper", r.ConfInt[1], 1.0949538535858154},
	} {
		if !near(c.got, c.want, 1e-12) {
			t.Errorf("%s = %.17g, want %.17g", c.name, c.got, c.want)
		}
	}
	if r := PairedTTest([]float64{1, 2}, []float64{0, 1}); !math.IsNaN(r.PValue) {
		t.Errorf("constant differences: p = %v, want NaN", r.PValue)
	}
}

// TestDCCErrors: malformed DCC files give file:line:column errors at the offending text.
func TestDCCErrors(t *testing.T) {
	good := dccText("S1", "P1", 10, 10, 10, 10, "RTS01,2\n")
	for _, c := range []struct {
		name, text, want string
	}{
		{"no code summary", strings.Replace(strings.Replace(good, "<Code_Summary>", "<Other>", 1), "</Code_Summary>", "</Other>", 1), "x.dcc:26:0: no <Code_Summary> section"},
		{"unclosed (the checksum line is then read as a count)", strings.Replace(good, "</Code_Summary>", "", 1), "x.dcc:26:1: Code_Summary line \"CHECKSUM000\" is not RTS_ID,count"},
		{"bad count", strings.Replace(good, "RTS01,2", "RTS01,two", 1), "x.dcc:24:7: count \"two\" of RTS01 is not a non-negative number"},
		{"negative count", strings.Replace(good, "RTS01,2", "RTS01,-2", 1), "x.dcc:24:7:"},
		{"three fields", strings.Replace(good, "RTS01,2", "RTS01,2,3", 1), "x.dcc:24:7: Code_Summary line has more than two fields"},
		{"duplicate", strings.Replace(good, "RTS01,2\n", "RTS01,2\n  RTS01,3\n", 1), "x.dcc:25:3: probe RTS01 is listed twice (first at line 24)"},
		{"raw not integer", strings.Replace(good, "Raw,10", "Raw,1.5e3", 1), "x.dcc:15:5: Raw \"1.5e3\" is not a non-negative integer"},
		{"no raw", strings.Replace(good, "Raw,10\n", "", 1), "x.dcc:13:1: <NGS_Processing_Attributes> has no Raw"},
		{"nested", strings.Replace(good, "Date,2020-7-14", "<Scan_Attributes>", 1), "x.dcc:4:1: <Scan_Attributes> opens inside <Header>"},
		{"stray close", strings.Replace(good, "</Header>", "</Scan_Attributes>", 1), "x.dcc:5:1: </Scan_Attributes> closes <Header>"},
		{"twice", good + "<Header>\nFileVersion,1\n</Header>\n", "x.dcc:27:1: second <Header> section (the first is at line 1)"},
		{"malformed first", strings.Replace(good, "FileVersion,0.01", "FileVersion", 1), "x.dcc:2:1: Header section has a malformed first line"},
		{"empty", "", "x.dcc:0:0: no <Header> section"},
	} {
		_, err := ReadDCC(strings.NewReader(c.text), "x.dcc")
		var pe *ParseError
		if err == nil || !errors.As(err, &pe) || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s: error %v, want prefix %q", c.name, err, c.want)
		}
	}
	// A line without a comma continues the previous value, like readDccFile.
	d, err := ReadDCC(strings.NewReader(strings.Replace(good, "SeqSetId,X", "SeqSetId,X\nmore words", 1)), "x.dcc")
	if err != nil {
		t.Fatal(err)
	}
	if a, _ := getAttr(d.NGS, "SeqSetId"); a.Value != "X more words" {
		t.Errorf("continued value %q", a.Value)
	}
	// Windows line ends and a byte-order mark are accepted.
	crlf := "\ufeff" + strings.ReplaceAll(good, "\n", "\r\n")
	if d, err := ReadDCC(strings.NewReader(crlf), "x.dcc"); err != nil || d.Raw != 10 || d.Probes[0] != "RTS01" {
		t.Errorf("CRLF file: %v %+v", err, d)
	}
	// Counts are rounded half to even, like as.integer(round(x)) in R.
	d, err = ReadDCC(strings.NewReader(strings.Replace(good, "RTS01,2", "RTS01,2.5", 1)), "x.dcc")
	if err != nil || d.Counts[0] != 2 {
		t.Errorf("rounded count %v %v", d.Counts, err)
	}
}

// TestPKCErrors: JSON errors carry the line and column.
func TestPKCErrors(t *testing.T) {
	_, err := ReadPKC(strings.NewReader("{\n \"Name\": \"x\",\n \"Targets\": [ }\n"), "k.pkc")
	if err == nil || !strings.HasPrefix(err.Error(), "k.pkc:3:") {
		t.Errorf("syntax error: %v", err)
	}
	_, err = ReadPKC(strings.NewReader("{\"Targets\": [{\"DisplayName\": 5}]}"), "k.pkc")
	if err == nil || !strings.HasPrefix(err.Error(), "k.pkc:1:") {
		t.Errorf("type error: %v", err)
	}
	_, err = ReadPKC(strings.NewReader(`{"Targets": [{"DisplayName": "A", "CodeClass": "Endogenous", "Probes": [{"RTS_ID": "R1"}]},
	{"DisplayName": "B", "CodeClass": "Endogenous", "Probes": [{"RTS_ID": "R1"}]}]}`), "k.pkc")
	if err == nil || !strings.Contains(err.Error(), "R1 is listed for A and B") {
		t.Errorf("duplicate probe: %v", err)
	}
}

// TestAnalyzeAllFail: when every segment fails QC, Analyze returns
// ErrNoSegments with the QC filled in.
func TestAnalyzeAllFail(t *testing.T) {
	m := dataset.NewMatrix(dataset.Counts, []string{"G"}, []string{"a", "b"})
	set := &Set{Analyte: "RNA", Modules: []string{""}, Counts: m, Targets: []Target{{Name: "G"}},
		Segments: []Segment{{Name: "a", Raw: 10}, {Name: "b", Raw: 20}}}
	nan := math.NaN()
	for i := range set.Segments {
		g := &set.Segments[i]
		g.Trimmed, g.Stitched, g.Aligned, g.Deduplicated, g.NTC, g.Area, g.Nuclei = nan, nan, nan, nan, nan, nan, nan
		g.NegGeoMean, g.NegGeoSD = []float64{5}, []float64{2}
	}
	r, err := Analyze(set, DefaultOptions())
	if !errors.Is(err, ErrNoSegments) || r == nil || r.QC[0].String() != "LowReads" {
		t.Fatalf("%v %+v", err, r)
	}
	if tab := r.SegmentTable(); len(tab.Rows) != 2 || tab.Rows[0][len(tab.Rows[0])-2] != "false" {
		t.Errorf("segment table %v", tab.Rows)
	}
}

// TestCompareDesignErrors: malformed designs are errors, not panics.
func TestCompareDesignErrors(t *testing.T) {
	m := dataset.NewMatrix(dataset.Expression, []string{"G"}, []string{"a", "b", "c", "d"})
	copy(m.Data, []float64{1, 2, 3, 4})
	good := Design{Patient: []string{"p", "p", "q", "q"}, Region: []int{1, 0, 1, 0}, HET: []int{1, 1, 0, 0}}
	if _, err := Compare(m, good, CompareOptions{}); err != nil {
		t.Fatal(err)
	}
	for name, d := range map[string]Design{
		"region 2":    {Patient: good.Patient, Region: []int{2, 0, 1, 0}, HET: good.HET},
		"HET 5":       {Patient: good.Patient, Region: good.Region, HET: []int{5, 1, 0, 0}},
		"short":       {Patient: good.Patient[:2], Region: good.Region, HET: good.HET},
		"one patient": {Patient: []string{"p", "p", "p", "p"}, Region: good.Region, HET: good.HET},
		"no regions":  {Patient: good.Patient, Region: []int{-1, -1, -1, -1}, HET: good.HET},
	} {
		if _, err := Compare(m, d, CompareOptions{}); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := TargetFigure(m, Design{Region: []int{1}}, "G", 1); err == nil {
		t.Error("TargetFigure with a short design: no error")
	}
}
