package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/tradepolicy/tradepolicy/rules"
)

// Levels of a problem. An error means the file does not load; a warning
// or an info is a lint on a file that loads.
const (
	levelError   = "error"
	levelWarning = "warning"
	levelInfo    = "info"
)

// problem is one finding of check, in the shape every format renders.
type problem struct {
	File    string `json:"file"`
	Line    int    `json:"line,omitempty"`
	Col     int    `json:"col,omitempty"`
	Level   string `json:"level"`
	Code    string `json:"code"` // stable: syntax, unknown, ..., identical_override, unread_threshold, window_order
	Message string `json:"message"`
	Source  string `json:"source,omitempty"` // the line of the file the problem is on
	text    string // the offending name or text, as rules.Error.Text
}

// sentinelCodes names the load-error sentinels of package rules.
var sentinelCodes = []struct {
	err  error
	code string
}{
	{rules.ErrSyntax, "syntax"}, {rules.ErrUnknown, "unknown"}, {rules.ErrDuplicate, "duplicate"},
	{rules.ErrMissing, "missing"}, {rules.ErrType, "type"}, {rules.ErrCost, "cost"},
	{rules.ErrValue, "value"}, {rules.ErrInput, "input"}, {rules.ErrCostLimit, "cost_limit"}, {rules.ErrEval, "eval"},
}

func codeOf(err error) string {
	for _, s := range sentinelCodes {
		if errors.Is(err, s.err) {
			return s.code
		}
	}
	return "error"
}

// problemsOf converts a load error into problems; file names a problem
// without a position of its own.
func problemsOf(err error, file string) []problem {
	var es rules.Errors
	if errors.As(err, &es) {
		out := make([]problem, 0, len(es))
		for _, e := range es {
			out = append(out, problem{File: e.File, Line: e.Line, Col: e.Col, Level: levelError,
				Code: codeOf(e.Err), Message: e.Msg, Source: e.Source, text: e.Text})
		}
		return out
	}
	var e *rules.Error
	if errors.As(err, &e) {
		return []problem{{File: e.File, Line: e.Line, Col: e.Col, Level: levelError, Code: codeOf(e.Err), Message: e.Msg, Source: e.Source}}
	}
	return []problem{{File: file, Level: levelError, Code: codeOf(err), Message: err.Error()}}
}

func sortProblems(ps []problem) {
	slices.SortStableFunc(ps, func(a, b problem) int {
		if c := strings.Compare(a.File, b.File); c != 0 {
			return c
		}
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Col - b.Col
	})
}

// position is "file:line:col", leaving out what is unknown.
func (p problem) position() string {
	switch {
	case p.Line == 0:
		return p.File
	case p.Col == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// writeText writes "file:line:col: level: message", then the source line
// and a caret under the column.
func (p problem) writeText(w io.Writer) {
	fmt.Fprintf(w, "%s: %s: %s\n", p.position(), p.Level, p.Message)
	if p.Source != "" && p.Col > 0 {
		fmt.Fprintf(w, " | %s\n | %s^\n", p.Source, caretPad(p.Source, p.Col))
	}
}

// caretPad returns the blanks that put a caret under column col (in
// characters) of line, keeping tabs so that the caret lines up.
func caretPad(line string, col int) string {
	var b strings.Builder
	i := 1
	for _, r := range line {
		if i >= col {
			break
		}
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
		i++
	}
	return b.String()
}

// writeGitHub writes the problem as a GitHub Actions workflow command,
// which the Actions runner shows as an annotation on the line.
func (p problem) writeGitHub(w io.Writer) {
	kind := map[string]string{levelError: "error", levelWarning: "warning", levelInfo: "notice"}[p.Level]
	props := []string{"file=" + ghProperty(p.File)}
	if p.Line > 0 {
		props = append(props, fmt.Sprintf("line=%d", p.Line))
	}
	if p.Col > 0 {
		props = append(props, fmt.Sprintf("col=%d", p.Col))
	}
	props = append(props, "title="+ghProperty("tradepolicy "+p.Code))
	fmt.Fprintf(w, "::%s %s::%s\n", kind, strings.Join(props, ","), ghData(p.Message))
}

func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// counts tallies problems by level.
type counts struct {
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Infos    int `json:"infos"`
}

func countProblems(ps []problem) counts {
	var c counts
	for _, p := range ps {
		switch p.Level {
		case levelError:
			c.Errors++
		case levelWarning:
			c.Warnings++
		default:
			c.Infos++
		}
	}
	return c
}

func plural(n int, one string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %ss", n, one)
}

// writeJSON writes v as indented JSON and a newline.
func writeJSON(w io.Writer, v any) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		panic(err) // every value written is plain data
	}
	w.Write(append(b, '\n'))
}
