package pdf_test

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

// raceRun names the tests of this package that scripts/test runs with the race detector;
// it runs the rest without (see there).
const raceRun = "^TestStampDeterministic$"

// TestRaceRunNamed: the package's code and tests start goroutines and run tests in parallel
// only in the tests that scripts/test runs with the race detector, so that running the others
// without it misses nothing it could find; and scripts/test runs those.
func TestRaceRunNamed(t *testing.T) {
	script, err := os.ReadFile(filepath.Join("..", "..", "scripts", "test"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(script), `-run '`+raceRun+`' ./internal/pdf`) {
		t.Errorf("scripts/test does not run %s with the race detector", raceRun)
	}
	named := regexp.MustCompile(raceRun)
	files, err := filepath.Glob("*.go")
	if err != nil || len(files) == 0 {
		t.Fatal(files, err)
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
				if concurrent && !named.MatchString(fn.Name.Name) {
					t.Errorf("%s: %s runs code concurrently: name it in raceRun, and in scripts/test", fset.Position(n.Pos()), fn.Name.Name)
				}
				return true
			})
		}
	}
}
