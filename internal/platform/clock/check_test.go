package clock

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestNoOtherClock walks every Go file of the module, tests included, and fails
// on time.Now, time.Since, time.Until or time.Local outside this package: business time comes from the
// injected clock (Now, Today), elapsed time from Start, real deadlines from After.
// A stray time.Now is how a date ends up as the machine's instead of Taipei's, or
// a test that passes only on the day it was written.
func TestNoOtherClock(t *testing.T) {
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	self := filepath.Join(root, "internal", "platform", "clock")
	files := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || filepath.Dir(path) == self {
			return nil
		}
		files++
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		timeName := ""
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); p == "time" {
				timeName = "time"
				if imp.Name != nil {
					timeName = imp.Name.Name
				}
			}
		}
		if timeName == "" {
			return nil
		}
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == timeName && (sel.Sel.Name == "Now" || sel.Sel.Name == "Local" || sel.Sel.Name == "Since" || sel.Sel.Name == "Until") {
				rel, _ := filepath.Rel(root, fset.Position(sel.Pos()).Filename)
				t.Errorf("%s:%d: time.%s — use the injected clock (clock.Clock: Now, Today), clock.Start for elapsed time or clock.After for a real deadline",
					rel, fset.Position(sel.Pos()).Line, sel.Sel.Name)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 100 {
		t.Fatalf("walked only %d Go files from %s: the check is not looking at the module", files, root)
	}
}
