package testbin_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// sequential lists the packages whose tests scripts/test runs without the race detector,
// each with the tests of it that it runs with the detector ("" for none): the detector can
// find nothing in code that one goroutine runs, and it made these packages' tests, which
// feed them hostile documents, take six times as long.
var sequential = []struct{ dir, raceRun string }{
	{"internal/pdf", "^TestStampDeterministic$"},
	{"internal/textract", ""},
}

// TestSequentialPackagesRunOneGoroutine: the code and tests of each package that scripts/test
// runs without the race detector start goroutines and run tests in parallel only in the
// tests it runs with the detector, so that it misses nothing there; and scripts/test runs the
// packages so.
func TestSequentialPackagesRunOneGoroutine(t *testing.T) {
	root := filepath.Join("..", "..")
	script, err := os.ReadFile(filepath.Join(root, "scripts", "test"))
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for _, p := range sequential {
		dirs = append(dirs, "./"+p.dir)
		if p.raceRun != "" && !strings.Contains(string(script), `-run '`+p.raceRun+`' ./`+p.dir) {
			t.Errorf("scripts/test does not run %s of %s with the race detector", p.raceRun, p.dir)
		}
		checkOneGoroutine(t, filepath.Join(root, p.dir), p.raceRun)
	}
	if line := "go test -count=1 -timeout 25m " + strings.Join(dirs, " "); !strings.Contains(string(script), line) {
		t.Errorf("scripts/test has no line %q", line)
	}
}

// checkOneGoroutine reports the functions of the package in dir that start a goroutine or run
// a test in parallel, unless raceRun names them.
func checkOneGoroutine(t *testing.T, dir, raceRun string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatal(dir, files, err)
	}
	named := func(string) bool { return false }
	if raceRun != "" {
		named = regexp.MustCompile(raceRun).MatchString
	}
	fset := token.NewFileSet()
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				concurrent := false
				switch n := n.(type) {
				case *ast.GoStmt:
					concurrent = true
				case *ast.CallExpr:
					if sel, ok := n.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Parallel" {
						concurrent = true
					}
				}
				if concurrent && !named(fn.Name.Name) {
					t.Errorf("%s: %s runs code concurrently: run it with the race detector (scripts/test)", fset.Position(n.Pos()), fn.Name.Name)
				}
				return true
			})
		}
	}
}
