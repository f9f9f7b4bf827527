package fish

import (
	"os"
	"strings"
	"testing"
)

// The real STAR-FISH spot-count folder kept outside the repository
// (../shared/examples/fish-spotcounts from /work/main). Skipped when absent.
const examplesDir = "../../../shared/examples/fish-spotcounts"

func TestRealSpotCounts(t *testing.T) {
	if _, err := os.Stat(examplesDir); err != nil {
		t.Skip("examples folder absent:", err)
	}
	set, err := ReadSpotCounts(os.DirFS(examplesDir), SpotOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Both naming styles load: T-DM1 trial style (AG-0008_S1_C2) and PR/PO style.
	var styleTrial, stylePrePost, copyFiles, plainFiles int
	for _, im := range set.Images {
		if strings.Contains(im.Sample, "-") {
			styleTrial++
		} else {
			stylePrePost++
		}
		for _, f := range im.Files {
			if strings.Contains(f, " copy") {
				copyFiles++
			} else {
				plainFiles++
			}
		}
	}
	if styleTrial == 0 || stylePrePost == 0 || copyFiles == 0 || plainFiles == 0 {
		t.Fatalf("images: trial style %d, PR/PO style %d; files with copy %d, without %d", styleTrial, stylePrePost, copyFiles, plainFiles)
	}
	for _, f := range set.Ignored {
		if strings.HasSuffix(f, ".txt") && !strings.Contains(f, "_ch01") && !strings.Contains(f, "_ch03") {
			t.Errorf("channel file ignored by the default pattern: %s", f)
		}
	}
	if len(set.Cells) < 10000 {
		t.Fatalf("only %d cells", len(set.Cells))
	}
	res, err := Summarise(set.Cells, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Areas) != len(set.Images) {
		t.Errorf("%d areas for %d images", len(res.Areas), len(set.Images))
	}
	t.Logf("%d images, %d cells, %d areas, %d sites, %d tumours, %d changes, %d warnings",
		len(set.Images), len(set.Cells), len(res.Areas), len(res.Sites), len(res.Tumours), len(res.Changes), len(res.Warnings))
	for _, tu := range res.Tumours {
		t.Logf("%s %s: areas %d cells %d ratio %.3g meanE %.3g het %s | %s", tu.Sample, tu.Timepoint, tu.NAreas, tu.NCells, tu.Ratio, tu.MeanERBB2, tu.Het, tu.Reason)
	}
}
