package testbin_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
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
					// t.Parallel, and sync.WaitGroup's or errgroup's Go.
					if sel, ok := n.Fun.(*ast.SelectorExpr); ok && (sel.Sel.Name == "Parallel" || sel.Sel.Name == "Go") {
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

// plainPackages are the packages whose tests scripts/test's plain_tests names: it runs them
// there without the race detector, and skips them in the run with it.
var plainPackages = []string{"internal/registry", "internal/cli", "internal/server"}

// TestPlainTestsCallFromOneGoroutine: the tests that scripts/test runs without the race
// detector (plain_tests) are in the packages it runs them in, and none of them starts a
// goroutine or a parallel subtest of its own, so that everything they call is called from
// one goroutine. (Each may run beside other tests, with t.Parallel, on an office of its own;
// the command-line scripts, which testscript runs side by side, run chancery as processes of
// their own.) A test of that name elsewhere would be skipped by the run with the detector,
// and run by no other; the packages run wholly without it (sequential) are not concerned.
func TestPlainTestsCallFromOneGoroutine(t *testing.T) {
	root := filepath.Join("..", "..")
	script, err := os.ReadFile(filepath.Join(root, "scripts", "test"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^plain_tests='([^']+)'$`).FindSubmatch(script)
	if m == nil {
		t.Fatal("scripts/test sets no plain_tests")
	}
	plain := regexp.MustCompile(string(m[1]))
	if line := `-run "$plain_tests" ./` + strings.Join(plainPackages, " ./"); !strings.Contains(string(script), line) {
		t.Errorf("scripts/test does not run plain_tests with %q", line)
	}
	if !strings.Contains(string(script), `-skip "$plain_tests"`) {
		t.Error(`scripts/test does not skip plain_tests in the run with the race detector`)
	}
	found := 0
	fset := token.NewFileSet()
	err = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata"):
			return filepath.SkipDir
		case d.IsDir() && slices.ContainsFunc(sequential, func(p struct{ dir, raceRun string }) bool {
			return filepath.Join(root, p.dir) == path
		}):
			return filepath.SkipDir
		case d.IsDir() || !strings.HasSuffix(path, "_test.go"):
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		dir, _ := filepath.Rel(root, filepath.Dir(path))
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv != nil || fn.Body == nil || !plain.MatchString(fn.Name.Name) {
				continue
			}
			found++
			if !slices.Contains(plainPackages, filepath.ToSlash(dir)) {
				t.Errorf("%s: %s is in plain_tests, which scripts/test runs in %v only", fset.Position(fn.Pos()), fn.Name.Name, plainPackages)
			}
			checkCallsFromOneGoroutine(t, fset, fn)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found == 0 {
		t.Error("plain_tests names no test")
	}
}

// checkCallsFromOneGoroutine reports where the test fn starts a goroutine (a go statement, a
// WaitGroup's or errgroup's Go) or a subtest in parallel (t.Parallel in a function literal:
// at the top of fn it runs the test beside others, which is allowed).
func checkCallsFromOneGoroutine(t *testing.T, fset *token.FileSet, fn *ast.FuncDecl) {
	t.Helper()
	var inspect func(n ast.Node, inLiteral bool)
	inspect = func(root ast.Node, inLiteral bool) {
		ast.Inspect(root, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				if n != root {
					inspect(n, true)
					return false
				}
			case *ast.GoStmt:
				t.Errorf("%s: %s starts a goroutine: run it with the race detector (take it out of plain_tests)", fset.Position(n.Pos()), fn.Name.Name)
			case *ast.CallExpr:
				sel, ok := n.Fun.(*ast.SelectorExpr)
				switch {
				case ok && sel.Sel.Name == "Go":
					t.Errorf("%s: %s starts a goroutine (Go): run it with the race detector (take it out of plain_tests)", fset.Position(n.Pos()), fn.Name.Name)
				case ok && sel.Sel.Name == "Parallel" && inLiteral:
					t.Errorf("%s: %s runs subtests in parallel: run it with the race detector (take it out of plain_tests)", fset.Position(n.Pos()), fn.Name.Name)
				}
			}
			return true
		})
	}
	inspect(fn.Body, false)
}
