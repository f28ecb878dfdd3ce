package rules

import (
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/tradepolicy/tradepolicy/clock"
)

// DefaultZone is the business time zone of a rule file that names none.
const DefaultZone = "Asia/Shanghai"

// versionDef is the source of one version: the thresholds its own files
// define; the others it inherits from the version before it.
type versionDef struct {
	date     civilDate
	zone     *time.Location
	file     *rawFile                 // the file that introduced the version
	explicit map[string]*rawThreshold // by threshold name
	override map[string]bool          // names replaced by an override file
}

func (d *versionDef) clone() *versionDef {
	c := *d
	c.explicit = make(map[string]*rawThreshold, len(d.explicit))
	for k, v := range d.explicit {
		c.explicit[k] = v
	}
	c.override = make(map[string]bool, len(d.override))
	for k, v := range d.override {
		c.override[k] = v
	}
	return &c
}

// Load reads the rule files of fsys that match the patterns (fs.Glob
// patterns; "*.yaml" when none is given), checks them against the
// schema, and compiles every threshold of every version. It returns
// either a complete Set or an [Errors] listing every problem found, each
// with its file, line and column; never both.
//
// Each file is one version of the policy, effective from its version
// date. The earliest version must define every declared threshold; a
// later one may define only what changes and inherits the rest.
func Load(s *Schema, fsys fs.FS, patterns ...string) (*Set, error) {
	files, errs := readFiles(s, fsys, patterns, false)
	var defs []*versionDef
	for _, f := range files {
		if i := slices.IndexFunc(defs, func(d *versionDef) bool { return d.date == f.versionAt }); i >= 0 {
			errs = append(errs, &Error{
				File: f.name, Line: f.versionNod.Line, Col: f.versionNod.Column,
				Msg:  fmt.Sprintf("version %s is already defined by %s", f.version, defs[i].file.name),
				Text: f.version, Source: f.line(f.versionNod.Line), Err: ErrDuplicate,
			})
			continue
		}
		defs = append(defs, newDef(f))
	}
	return finish(s, defs, collectTests(files), errs)
}

// finish builds the set from defs. When reading the files already found
// problems it still compiles what was read, so that one load reports
// every problem, and leaves out the "threshold not defined" errors that
// a file's own mistakes would cause.
func finish(s *Schema, defs []*versionDef, tests []*rawTest, errs Errors) (*Set, error) {
	if len(errs) == 0 {
		return build(s, defs, tests, false)
	}
	if len(defs) > 0 {
		if _, err := build(s, defs, tests, true); err != nil {
			more, ok := err.(Errors)
			if !ok {
				return nil, err
			}
			errs = append(errs, more...)
		}
	}
	sortErrors(errs)
	return nil, capErrors(errs)
}

func newDef(f *rawFile) *versionDef {
	d := &versionDef{date: f.versionAt, zone: f.zone, file: f,
		explicit: map[string]*rawThreshold{}, override: map[string]bool{}}
	for _, th := range f.thresholds {
		d.explicit[th.name] = th
	}
	return d
}

// Override returns a new Set in which the thresholds defined by the
// matching files of fsys replace those of s. An override file names the
// policy; with a version equal to one of s's it replaces thresholds of
// that version only; with a new version date it adds a version that
// inherits everything else from the version before it; without a
// version it replaces the thresholds in every version. A zone given
// without a version applies to every version. The result is checked as a
// whole, as by Load; s itself is never changed.
func (s *Set) Override(fsys fs.FS, patterns ...string) (*Set, error) {
	files, errs := readFiles(s.schema, fsys, patterns, true)
	defs := make([]*versionDef, len(s.defs))
	for i, d := range s.defs {
		defs[i] = d.clone()
	}
	for _, f := range files {
		defs = applyOverride(defs, f)
	}
	return finish(s.schema, defs, append(slices.Clone(s.tests), collectTests(files)...), errs)
}

// OverrideExpr returns a new Set in which the named threshold's
// expression is expr in every version. Problems are reported at
// "<expr>:line:col".
func (s *Set) OverrideExpr(name, expr string) (*Set, error) {
	if len(expr) > MaxFileSize {
		return nil, Errors{tooLarge("<expr>", int64(len(expr)), []byte(expr[:4096]))}
	}
	f := &rawFile{name: "<expr>", lines: strings.Split(expr, "\n"), policy: s.schema.policy, override: true}
	th := &rawThreshold{file: f, name: name, nameNode: &yaml.Node{}, expr: expr, exprNode: &yaml.Node{}}
	f.thresholds = []*rawThreshold{th}
	if _, ok := s.schema.index[name]; !ok {
		return nil, Errors{{File: f.name, Msg: fmt.Sprintf("unknown threshold %s of policy %s", quote(name), s.schema.policy), Text: name, Err: ErrUnknown}}
	}
	defs := make([]*versionDef, len(s.defs))
	for i, d := range s.defs {
		defs[i] = d.clone()
	}
	return build(s.schema, applyOverride(defs, f), s.tests, false)
}

func applyOverride(defs []*versionDef, f *rawFile) []*versionDef {
	targets := defs
	if f.version != "" {
		i := slices.IndexFunc(defs, func(d *versionDef) bool { return d.date == f.versionAt })
		if i < 0 {
			d := newDef(f)
			defs = append(defs, d)
			slices.SortFunc(defs, func(a, b *versionDef) int { return compareDates(a.date, b.date) })
			for _, th := range f.thresholds {
				d.override[th.name] = true
			}
			return defs
		}
		targets = defs[i : i+1]
	}
	for _, d := range targets {
		if f.zone != nil {
			d.zone = f.zone
		}
		for _, th := range f.thresholds {
			d.explicit[th.name] = th
			d.override[th.name] = true
		}
	}
	return defs
}

func compareDates(a, b civilDate) int {
	switch {
	case a.before(b):
		return -1
	case b.before(a):
		return 1
	}
	return 0
}

// readFiles globs, reads and parses the files, checking each one's
// policy name. Files come back sorted by version date, then name.
func readFiles(s *Schema, fsys fs.FS, patterns []string, override bool) ([]*rawFile, Errors) {
	if len(patterns) == 0 {
		patterns = []string{"*.yaml"}
	}
	var names []string
	var errs Errors
	for _, pat := range patterns {
		m, err := fs.Glob(fsys, pat)
		if err != nil {
			errs = append(errs, &Error{File: pat, Msg: fmt.Sprintf("bad pattern: %v", err), Err: ErrValue})
			continue
		}
		names = append(names, m...)
	}
	slices.Sort(names)
	names = slices.Compact(names)
	if len(names) == 0 && len(errs) == 0 {
		errs = append(errs, &Error{File: strings.Join(patterns, " "), Msg: "no rule files match", Err: ErrMissing})
	}
	var files []*rawFile
	for _, name := range names {
		if info, err := fs.Stat(fsys, name); err == nil && info.Size() > MaxFileSize {
			errs = append(errs, tooLarge(path.Clean(name), info.Size(), readHead(fsys, name)))
			continue
		}
		src, err := fs.ReadFile(fsys, name)
		if err != nil {
			errs = append(errs, &Error{File: name, Msg: err.Error(), Err: ErrMissing})
			continue
		}
		if len(src) > MaxFileSize {
			errs = append(errs, tooLarge(path.Clean(name), int64(len(src)), src))
			continue
		}
		f, ferrs := parseFile(path.Clean(name), src, override, s.inputs)
		errs = append(errs, ferrs...)
		if f == nil {
			continue
		}
		if f.policyNode != nil && f.policy != s.policy {
			errs = append(errs, &Error{
				File: f.name, Line: f.policyNode.Line, Col: f.policyNode.Column,
				Msg:  fmt.Sprintf("unknown policy %s: this schema is for policy %q", quote(f.policy), s.policy),
				Text: f.policy, Source: f.line(f.policyNode.Line), Err: ErrUnknown,
			})
		}
		files = append(files, f)
	}
	slices.SortStableFunc(files, func(a, b *rawFile) int { return compareDates(a.versionAt, b.versionAt) })
	return files, errs
}

// readHead reads the start of a file, for the line an error shows.
func readHead(fsys fs.FS, name string) []byte {
	f, err := fsys.Open(name)
	if err != nil {
		return nil
	}
	defer f.Close()
	buf := make([]byte, 4096)
	n, _ := io.ReadFull(f, buf)
	return buf[:n]
}

// tooLarge is the error for a file over MaxFileSize, refused unread.
func tooLarge(name string, size int64, src []byte) *Error {
	e := &Error{File: name, Line: 1, Col: 1, Err: ErrValue,
		Msg: fmt.Sprintf("the file is %d bytes, over the maximum of %d for a rule file", size, MaxFileSize)}
	if src != nil {
		e.Source = firstLine(src)
	}
	return e
}

func collectTests(files []*rawFile) []*rawTest {
	var out []*rawTest
	for _, f := range files {
		out = append(out, f.tests...)
	}
	return out
}

// build checks the version definitions against the schema, compiles
// every distinct expression once, and assembles the Set.
// partial says the files had problems already reported: then a
// threshold missing from the earliest version is not reported again.
func build(s *Schema, defs []*versionDef, tests []*rawTest, partial bool) (*Set, error) {
	c, err := newCompiler(s)
	if err != nil {
		return nil, err
	}
	var errs Errors
	errAt := func(f *rawFile, n *yaml.Node, sentinel error, text, format string, args ...any) {
		e := &Error{File: f.name, Msg: fmt.Sprintf(format, args...), Text: text, Err: sentinel}
		if n != nil && n.Line > 0 {
			e.Line, e.Col, e.Source = n.Line, n.Column, f.line(n.Line)
		}
		errs = append(errs, e)
	}
	compiled := map[*rawThreshold]*program{}
	reported := map[*rawThreshold]bool{}
	set := &Set{schema: s, defs: defs, tests: tests}
	var prev *Version
	for _, d := range defs {
		v := &Version{schema: s, date: d.date, dateStr: d.date.String(), progs: make([]*program, len(s.decls))}
		switch {
		case d.zone != nil:
			v.zone = d.zone
		case prev != nil:
			v.zone = prev.zone
		default:
			v.zone, _ = time.LoadLocation(DefaultZone)
		}
		v.effective = startOfDay(d.date, v.zone)
		for name, th := range d.explicit {
			i, ok := s.index[name]
			if !ok {
				if !reported[th] {
					reported[th] = true
					errAt(th.file, th.nameNode, ErrUnknown, name, "unknown threshold %s: policy %s declares %s", quote(name), s.policy, strings.Join(declNames(s), ", "))
				}
				continue
			}
			if th.ruleNode != nil && th.rule != s.decls[i].Rule {
				if !reported[th] {
					reported[th] = true
					errAt(th.file, th.ruleNode, ErrValue, th.rule, "threshold %s implements %s, not %s", name, s.decls[i].Rule, clip(th.rule))
				}
				continue
			}
			p, done := compiled[th]
			if !done {
				var perrs Errors
				p, perrs = c.compile(i, th)
				compiled[th] = p
				errs = append(errs, perrs...)
			}
			v.progs[i] = p
		}
		for i := range s.decls {
			if v.progs[i] != nil || d.explicit[s.decls[i].Name] != nil {
				continue
			}
			if prev != nil {
				v.progs[i] = prev.progs[i]
				continue
			}
			if partial {
				continue
			}
			at := d.file.root
			if d.file.thrKey != nil {
				at = d.file.thrKey
			}
			errAt(d.file, at, ErrMissing, s.decls[i].Name, "threshold %s (%s) is not defined; the earliest version must define every threshold", s.decls[i].Name, s.decls[i].Rule)
		}
		set.versions = append(set.versions, v)
		prev = v
	}
	for _, tc := range tests {
		errs = append(errs, set.checkTest(tc)...)
	}
	if len(errs) > 0 {
		sortErrors(errs)
		if !partial {
			errs = capErrors(errs)
		}
		return nil, errs
	}
	return set, nil
}

// sortErrors puts errors in file order: by file, line, column.
func sortErrors(errs Errors) {
	slices.SortStableFunc(errs, func(a, b *Error) int {
		if a.File != b.File {
			return strings.Compare(a.File, b.File)
		}
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Col - b.Col
	})
}

func declNames(s *Schema) []string {
	out := make([]string, len(s.decls))
	for i, d := range s.decls {
		out[i] = d.Name
	}
	return out
}

// startOfDay is the first instant of the civil date in loc, correct on
// days whose midnight does not exist.
func startOfDay(d civilDate, loc *time.Location) time.Time {
	return clock.StartOfDay(d.y, d.m, d.d, loc)
}

// Embedded returns a function that loads a package's embedded default
// rule files on its first call and returns the same Set on every call. It
// is meant for a domain package's DefaultPolicy:
//
//	//go:embed policy/*.yaml
//	var policyFS embed.FS
//	var defaultPolicy = rules.Embedded(schema, policyFS, "policy/*.yaml")
//
// The returned function panics if the files do not load: embedded files
// are part of the program, and the package's tests load them.
func Embedded(s *Schema, fsys fs.FS, patterns ...string) func() *Set {
	return sync.OnceValue(func() *Set {
		set, err := Load(s, fsys, patterns...)
		if err != nil {
			panic(fmt.Sprintf("rules: embedded policy %s is broken:\n%v", s.policy, err))
		}
		return set
	})
}
