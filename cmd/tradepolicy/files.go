package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/tradepolicy/tradepolicy/rules"
)

// ruleFile is one rule file named on the command line, with what the tool
// reads of it itself: which policy it overrides and where its thresholds
// are.
type ruleFile struct {
	name       string
	src        []byte
	lines      []string
	policy     string
	version    string // "" in a file that overrides every version
	thresholds []fileThreshold
}

type fileThreshold struct {
	name      string
	expr      string
	line, col int // of the expression
}

func (f *ruleFile) line(n int) string {
	if n < 1 || n > len(f.lines) {
		return ""
	}
	return strings.TrimRight(f.lines[n-1], "\r")
}

// loaded is the outcome of loading the files of a command line.
type loaded struct {
	files    []*ruleFile
	byName   map[string]*ruleFile
	sets     map[string]*rules.Set // effective set of each policy a file overrides
	order    []string              // those policies, by name
	problems []problem             // every load error
}

// effective returns the set of the named policy: the loaded one if a
// file overrides it, else the embedded defaults.
func (l *loaded) effective(p policyEntry) *rules.Set {
	if s, ok := l.sets[p.Name]; ok {
		return s
	}
	return p.Defaults()
}

// scenarioSuffix marks YAML files a directory holds that are not rule
// files.
const scenarioSuffix = ".scenario.yaml"

// collect expands the arguments into file names: a file as given, a
// directory into every .yaml and .yml file under it (scenario files
// excepted), in lexical order. A name that does not exist is an error.
func (t *tool) collect(args []string) ([]string, error) {
	out, _, err := t.collectFiles(args, false)
	return out, err
}

// collectFiles is collect that, with scenarios, also returns the
// scenario files (*.scenario.yaml) named or found under a directory; a
// directory then needs rule files or scenario files.
func (t *tool) collectFiles(args []string, scenarios bool) ([]string, []string, error) {
	var out, scen []string
	for _, a := range args {
		name := path.Clean(a)
		info, err := fs.Stat(t.fsys, name)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, nil, fmt.Errorf("%s: no such file or directory", a)
			}
			return nil, nil, fmt.Errorf("%s: %v", a, unwrapPath(err))
		}
		if !info.IsDir() {
			if scenarios && strings.HasSuffix(name, scenarioSuffix) {
				scen = append(scen, name)
			} else {
				out = append(out, name)
			}
			continue
		}
		var foundScen []string
		var found []string
		err = fs.WalkDir(t.fsys, name, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if p != name && strings.HasPrefix(d.Name(), ".") {
					return fs.SkipDir
				}
				return nil
			}
			switch {
			case strings.HasSuffix(p, scenarioSuffix):
				foundScen = append(foundScen, p)
			case strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml"):
				found = append(found, p)
			}
			return nil
		})
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %v", a, unwrapPath(err))
		}
		switch {
		case scenarios && len(found)+len(foundScen) == 0:
			return nil, nil, fmt.Errorf("%s: no rule files (*.yaml, *.yml) or scenario files (*%s) in the directory", a, scenarioSuffix)
		case !scenarios && len(found) == 0:
			return nil, nil, fmt.Errorf("%s: no rule files (*.yaml, *.yml) in the directory", a)
		}
		out = append(out, found...)
		if scenarios {
			scen = append(scen, foundScen...)
		}
	}
	slices.Sort(out)
	slices.Sort(scen)
	return slices.Compact(out), slices.Compact(scen), nil
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// load reads the named files and loads each policy's files over its
// embedded defaults, all of one policy together, so that a file adding a
// version and a file overriding every version combine as they would in a
// host. A file that cannot be read is an error (the caller exits 3).
func (t *tool) load(names []string) (*loaded, error) {
	l := &loaded{byName: map[string]*ruleFile{}, sets: map[string]*rules.Set{}}
	groups := map[string][]string{}
	mem := memFS{}
	for _, name := range names {
		src, err := fs.ReadFile(t.fsys, name)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", name, unwrapPath(err))
		}
		mem[name] = src
		f, probs := t.readRuleFile(name, src)
		l.problems = append(l.problems, probs...)
		if f == nil {
			continue
		}
		l.files = append(l.files, f)
		l.byName[name] = f
		groups[f.policy] = append(groups[f.policy], name)
	}
	for _, p := range t.policies {
		files, ok := groups[p.Name]
		if !ok {
			continue
		}
		set, err := p.Defaults().Override(mem, files...)
		var probs []problem
		if err != nil {
			probs = problemsOf(err, "")
		}
		if len(files) > 1 {
			// A file whose thresholds a later file replaces is not
			// compiled in the whole: load each alone as well, so that
			// every file's own problems are reported.
			for _, f := range files {
				if _, err := p.Defaults().Override(mem, f); err != nil {
					probs = append(probs, problemsOf(err, "")...)
				}
			}
			probs = uniqueProblems(probs)
		}
		if len(probs) > 0 {
			l.problems = append(l.problems, withHints(probs, p.Schema())...)
			continue
		}
		l.sets[p.Name] = set
		l.order = append(l.order, p.Name)
	}
	sortProblems(l.problems)
	return l, nil
}

// readRuleFile reads what the tool needs of a rule file. A file whose
// policy cannot be told is reported here, and nil returned.
func (t *tool) readRuleFile(name string, src []byte) (*ruleFile, []problem) {
	f := &ruleFile{name: name, src: src, lines: strings.Split(string(src), "\n")}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		// Let the rules package place the syntax error: it reports it
		// before it looks at the policy, so any schema serves.
		if len(t.policies) > 0 {
			if _, err := t.policies[0].Defaults().Override(memFS{name: src}, name); err != nil {
				return nil, problemsOf(err, "")
			}
		}
		return nil, []problem{{File: name, Level: levelError, Code: "syntax", Message: err.Error()}}
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		line, col := 1, 1
		if len(doc.Content) > 0 {
			line, col = doc.Content[0].Line, doc.Content[0].Column
		}
		return nil, []problem{f.problemAt(line, col, levelError, "syntax", "a rule file is a mapping with keys policy, version, zone, thresholds, tests")}
	}
	root := doc.Content[0]
	var policyNode, thresholds *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch k.Value {
		case "policy":
			if policyNode == nil {
				policyNode = v
			}
		case "version":
			f.version = v.Value
		case "thresholds":
			thresholds = v
		}
	}
	if policyNode == nil || policyNode.Kind != yaml.ScalarNode {
		return nil, []problem{f.problemAt(root.Line, root.Column, levelError, "missing",
			fmt.Sprintf("missing key policy: which policy the file overrides (%s)", strings.Join(t.policyNames(), ", ")))}
	}
	f.policy = policyNode.Value
	if _, ok := t.policy(f.policy); !ok {
		return nil, []problem{f.problemAt(policyNode.Line, policyNode.Column, levelError, "unknown",
			fmt.Sprintf("unknown policy %q (known: %s)%s", f.policy, strings.Join(t.policyNames(), ", "), hint(f.policy, t.policyNames())))}
	}
	if thresholds != nil && thresholds.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(thresholds.Content); i += 2 {
			k, v := thresholds.Content[i], thresholds.Content[i+1]
			th := fileThreshold{name: k.Value}
			switch v.Kind {
			case yaml.ScalarNode:
				th.expr, th.line, th.col = v.Value, v.Line, v.Column
			case yaml.MappingNode:
				for j := 0; j+1 < len(v.Content); j += 2 {
					if v.Content[j].Value == "expr" {
						e := v.Content[j+1]
						th.expr, th.line, th.col = e.Value, e.Line, e.Column
					}
				}
			}
			if th.line > 0 {
				f.thresholds = append(f.thresholds, th)
			}
		}
	}
	return f, nil
}

func (f *ruleFile) problemAt(line, col int, level, code, msg string) problem {
	return problem{File: f.name, Line: line, Col: col, Level: level, Code: code, Message: msg, Source: f.line(line)}
}

// memFS holds the files read for a load, by the names the user gave, which
// need not be valid fs paths ("../x.yaml", "/abs/x.yaml"). Glob matches a
// name exactly, so that a name with glob metacharacters is still one file.
type memFS map[string][]byte

func (m memFS) Open(name string) (fs.File, error) {
	src, ok := m[name]
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return &memFile{name: name, r: bytes.NewReader(src), size: int64(len(src))}, nil
}

func (m memFS) ReadFile(name string) ([]byte, error) {
	src, ok := m[name]
	if !ok {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrNotExist}
	}
	return slices.Clone(src), nil
}

func (m memFS) Glob(pattern string) ([]string, error) {
	if _, ok := m[pattern]; ok {
		return []string{pattern}, nil
	}
	return nil, nil
}

type memFile struct {
	name string
	r    *bytes.Reader
	size int64
}

func (f *memFile) Stat() (fs.FileInfo, error) { return memInfo{f.name, f.size}, nil }
func (f *memFile) Read(b []byte) (int, error) { return f.r.Read(b) }
func (f *memFile) Close() error               { return nil }

var _ io.Reader = (*memFile)(nil)

type memInfo struct {
	name string
	size int64
}

func (i memInfo) Name() string       { return path.Base(i.name) }
func (i memInfo) Size() int64        { return i.size }
func (i memInfo) Mode() fs.FileMode  { return 0o444 }
func (i memInfo) ModTime() time.Time { return time.Time{} }
func (i memInfo) IsDir() bool        { return false }
func (i memInfo) Sys() any           { return nil }

// withHints adds "did you mean" to the unknown-name errors of a load
// whose name is close to a declared threshold or input of the schema.
func withHints(ps []problem, s *rules.Schema) []problem {
	var names []string
	for _, d := range s.Decls() {
		names = append(names, d.Name)
		for _, in := range d.Inputs {
			names = append(names, in.Name)
		}
	}
	for i := range ps {
		if ps[i].Code == "unknown" && ps[i].text != "" {
			ps[i].Message += hint(ps[i].text, names)
		}
	}
	return ps
}

// uniqueProblems drops repeated problems, keeping the first.
func uniqueProblems(ps []problem) []problem {
	seen := map[problem]bool{}
	var out []problem
	for _, p := range ps {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}
