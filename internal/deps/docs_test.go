package deps

import (
	"go/ast"
	"go/token"
	"strings"
	"testing"
)

// TestExportedNamesDocumented: every exported name of the library's public
// packages has a doc comment. A const or var in a documented group counts,
// and so does a trailing line comment on it. A method that implements an
// interface is documented by the interface: one of the standard ones
// (String, Error, MarshalText, …) or one the package declares, such as
// an Event's Name or an Effect's Kind.
func TestExportedNamesDocumented(t *testing.T) {
	_, files := moduleFiles(t)
	byPkg := map[string][]goFile{}
	for _, f := range files {
		if !f.test && public(f.pkg) {
			byPkg[f.pkg] = append(byPkg[f.pkg], f)
		}
	}
	for _, pkgFiles := range byPkg {
		documented := map[string]bool{}
		for _, m := range standardMethods {
			documented[m] = true
		}
		for _, f := range pkgFiles {
			for _, m := range interfaceMethods(f.ast) {
				documented[m] = true
			}
		}
		for _, f := range pkgFiles {
			for _, miss := range undocumented(f.ast, documented) {
				t.Errorf("%s:%d: exported %s has no doc comment", f.rel, f.fset.Position(miss.pos).Line, miss.name)
			}
		}
	}
}

// standardMethods are methods of the standard library's interfaces, whose
// meaning their interfaces document.
var standardMethods = []string{"String", "Error", "Unwrap", "Is", "As", "GoString", "Format",
	"MarshalText", "UnmarshalText", "MarshalJSON", "UnmarshalJSON", "MarshalYAML", "UnmarshalYAML"}

// interfaceMethods lists the methods of the interfaces a file declares.
func interfaceMethods(f *ast.File) []string {
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		it, ok := n.(*ast.InterfaceType)
		if !ok {
			return true
		}
		for _, m := range it.Methods.List {
			for _, name := range m.Names {
				out = append(out, name.Name)
			}
		}
		return true
	})
	return out
}

// public reports whether pkg is part of the library's API: not internal,
// not a command or an example program.
func public(pkg string) bool {
	for _, part := range strings.Split(pkg, "/") {
		if part == "internal" {
			return false
		}
	}
	return !within(pkg, "examples") && !within(pkg, "cmd") && pkg != "."
}

type missing struct {
	name string
	pos  token.Pos
}

func undocumented(f *ast.File, byInterface map[string]bool) []missing {
	var out []missing
	for _, decl := range f.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			if !d.Name.IsExported() || d.Doc != nil {
				continue
			}
			if d.Recv != nil {
				recv := receiverName(d.Recv.List[0].Type)
				if !ast.IsExported(recv) || byInterface[d.Name.Name] {
					continue
				}
				out = append(out, missing{recv + "." + d.Name.Name, d.Pos()})
				continue
			}
			out = append(out, missing{d.Name.Name, d.Pos()})
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				switch s := spec.(type) {
				case *ast.TypeSpec:
					if s.Name.IsExported() && s.Doc == nil && d.Doc == nil && s.Comment == nil {
						out = append(out, missing{s.Name.Name, s.Pos()})
					}
				case *ast.ValueSpec:
					if s.Doc != nil || d.Doc != nil || s.Comment != nil {
						continue
					}
					for _, n := range s.Names {
						if n.IsExported() {
							out = append(out, missing{n.Name, n.Pos()})
						}
					}
				}
			}
		}
	}
	return out
}

func receiverName(x ast.Expr) string {
	switch r := x.(type) {
	case *ast.StarExpr:
		return receiverName(r.X)
	case *ast.IndexExpr:
		return receiverName(r.X)
	case *ast.IndexListExpr:
		return receiverName(r.X)
	case *ast.Ident:
		return r.Name
	}
	return ""
}
