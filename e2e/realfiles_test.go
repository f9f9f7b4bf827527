//go:build e2e

package e2e

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestRealQuantifierFiles loads a real RSEM gene-level file (from ../shared/examples,
// when that folder is beside the repository) through the file picker: the engine
// must read what these tools really write.
func TestRealQuantifierFiles(t *testing.T) {
	rsem, _ := filepath.Glob(filepath.Join("..", "..", "shared", "examples", "rsem", "*", "*.genes.results.gz"))
	if len(rsem) == 0 {
		t.Skip("../shared/examples is not beside the repository")
	}
	s := newSession(t)
	s.open()
	for _, f := range rsem[:1] {
		abs, _ := filepath.Abs(f)
		if _, err := os.Stat(abs); err != nil {
			t.Fatal(err)
		}
		s.run(chromedp.SetUploadFiles(chromedp.ID("filepicker"), []string{abs}))
		name := filepath.Base(f)
		s.waitJS(`[...document.querySelectorAll('tr.file-row')].some(r => r.innerText.includes('`+name+`')) || document.querySelector('.banner') !== null`, 60*time.Second)
		if b := evalJS[string](s, `document.querySelector('.banner') ? document.querySelector('.banner').innerText : ''`); b != "" {
			t.Fatalf("%s refused: %s", name, b)
		}
		row := evalJS[string](s, `[...document.querySelectorAll('tr.file-row')].find(r => r.innerText.includes('`+name+`')).innerText`)
		t.Logf("%s: %s", name, row)
	}
	s.screenshot("real-files")
	s.assertNoConsoleErrors()
}
