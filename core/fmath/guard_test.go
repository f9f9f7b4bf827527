package fmath

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// forbiddenMath lists the functions of package math that are not portable
// (assembly on amd64 or built on it; see doc.go).
var forbiddenMath = map[string]bool{
	"Exp": true, "Log": true, "Log2": true, "Log10": true, "Pow": true, "Hypot": true,
	"Lgamma": true, "Gamma": true, "Sinh": true, "Cosh": true, "Tanh": true, "Asinh": true, "Acosh": true,
	"Erf": true, "Erfc": true, "Erfinv": true, "Erfcinv": true,
	"J0": true, "J1": true, "Jn": true, "Y0": true, "Y1": true, "Yn": true,
}

// forbiddenRand lists math/rand methods built on math.Exp/Log.
var forbiddenRand = map[string]bool{"NormFloat64": true, "ExpFloat64": true}

// forbiddenImport reports whether an import path is a gonum package with
// amd64 assembly kernels or math.Exp/Log inside.
func forbiddenImport(path string) bool {
	for _, p := range []string{"mathext", "mat", "lapack", "blas", "floats", "stat", "optimize", "integrate", "diff", "interp", "dsp", "spatial", "num"} {
		if path == "gonum.org/v1/gonum/"+p || strings.HasPrefix(path, "gonum.org/v1/gonum/"+p+"/") {
			return true
		}
	}
	return false
}

// pending lists packages (directories under core/, e.g. "limma") whose
// findings are only logged, for a package being converted; empty: every
// package of core/ is checked.
var pending = map[string]bool{}

// violations returns "file:line: message" for every forbidden call or import
// in one Go source file.
func violations(fset *token.FileSet, name string, src any) ([]string, error) {
	f, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	var out []string
	mathName := ""
	for _, imp := range f.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		local := path[strings.LastIndex(path, "/")+1:]
		if imp.Name != nil {
			local = imp.Name.Name
		}
		if path == "math" {
			mathName = local
		}
		if forbiddenImport(path) {
			out = append(out, fmt.Sprintf("%s: import %q (assembly kernels or math.Exp/Log inside: use core/fmath and own code)", fset.Position(imp.Pos()), path))
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		if id, ok := sel.X.(*ast.Ident); ok && mathName != "" && id.Name == mathName && forbiddenMath[sel.Sel.Name] {
			out = append(out, fmt.Sprintf("%s: math.%s is not portable: use fmath.%s", fset.Position(sel.Pos()), sel.Sel.Name, sel.Sel.Name))
		}
		if forbiddenRand[sel.Sel.Name] {
			out = append(out, fmt.Sprintf("%s: %s (math/rand) calls math.Exp/Log: draw with fmath", fset.Position(sel.Pos()), sel.Sel.Name))
		}
		return true
	})
	return out, nil
}

// TestGuard scans every non-test Go file under core/ for calls of the
// non-portable functions of package math, math/rand's NormFloat64 and
// ExpFloat64, and imports of gonum's mathext, mat, lapack, blas, floats and
// stat. Packages in pending are logged only.
func TestGuard(t *testing.T) {
	fset := token.NewFileSet()
	var found []string
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		v, err := violations(fset, path, nil)
		if err != nil {
			return err
		}
		rel := filepath.ToSlash(path[len(".."+string(filepath.Separator)):])
		pkg := rel[:strings.Index(rel, "/")]
		for _, s := range v {
			if pending[pkg] {
				found = append(found, "pending core/"+strings.TrimPrefix(filepath.ToSlash(s), "../"))
			} else {
				t.Error("core/" + strings.TrimPrefix(filepath.ToSlash(s), "../"))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(found)
	for _, s := range found {
		t.Log(s)
	}
	t.Logf("%d findings in pending packages", len(found))
}

// TestGuardDetects checks that the scanner finds each kind of violation in a
// synthetic file, and nothing in a clean one.
func TestGuardDetects(t *testing.T) {
	bad := `package p

import (
	m "math"
	"math/rand/v2"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

func f(r *rand.Rand) float64 {
	_ = mat.NewDense
	_ = distuv.Normal{}
	a, _ := m.Lgamma(3)
	return m.Exp(1) + m.Sqrt(2) + m.Pow(2, 3) + r.NormFloat64() + a
}
`
	v, err := violations(token.NewFileSet(), "bad.go", bad)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{`import "gonum.org/v1/gonum/mat"`, `import "gonum.org/v1/gonum/stat/distuv"`, "math.Lgamma", "math.Exp", "math.Pow", "NormFloat64"}
	if len(v) != len(want) {
		t.Fatalf("found %d violations, want %d: %q", len(v), len(want), v)
	}
	for i, w := range want {
		if !strings.Contains(v[i], w) {
			t.Errorf("violation %d = %q, want it to mention %q", i, v[i], w)
		}
	}
	if !strings.HasPrefix(v[2], "bad.go:13:") {
		t.Errorf("position of math.Lgamma: %q", v[2])
	}
	clean := `package p

import (
	"math"
	"github.com/her2het/her2het/core/fmath"
)

type T struct{ Exp float64 }

func g(t T) float64 { return fmath.Exp(1) + math.Sqrt(2) + math.Log1p(3) + t.Exp }
`
	if v, err := violations(token.NewFileSet(), "clean.go", clean); err != nil || len(v) != 0 {
		t.Errorf("clean file: %q, %v", v, err)
	}
}
