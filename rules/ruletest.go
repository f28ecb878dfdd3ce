package rules

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"time"

	"github.com/shopspring/decimal"
	"go.yaml.in/yaml/v3"

	"github.com/tradepolicy/tradepolicy/clock"
)

// TestResult is the outcome of one expectation of a rule-file test case:
// one threshold's wanted value.
type TestResult struct {
	File      string // the file holding the case
	Line      int    // the case's line
	Case      string
	Threshold string
	Version   string // the version the case ran against
	Want, Got string
	Err       error // evaluation error, if any
	// Skipped is true when the expectation did not run: the case says
	// skip: (Skip holds its reason), or an override file replaced the
	// threshold after the case was written and the override's own cases
	// check it instead (Skip is "").
	Skipped bool
	Skip    string // the case's skip: reason
}

// Passed reports whether the expectation held (a skipped one passes).
func (r TestResult) Passed() bool { return r.Skipped || (r.Err == nil && r.Want == r.Got) }

// preparedTest is a test case with its values parsed against the schema.
type preparedTest struct {
	tc    *rawTest
	input map[string]any // by input name, typed by the first wanted threshold declaring it
	wants []preparedWant
}

type preparedWant struct {
	i    int
	want any
}

// checkTest reports the problems of a test case at load.
func (s *Set) checkTest(tc *rawTest) Errors {
	_, errs := s.prepare(tc)
	return errs
}

func (s *Set) prepare(tc *rawTest) (*preparedTest, Errors) {
	var errs Errors
	f := tc.file
	errAt := func(n *yaml.Node, sentinel error, text, format string, args ...any) {
		errs = append(errs, &Error{File: f.name, Line: n.Line, Col: n.Column, Source: f.line(n.Line),
			Msg: fmt.Sprintf("test %s: ", quote(tc.name)) + fmt.Sprintf(format, args...), Text: text, Err: sentinel})
	}
	pt := &preparedTest{tc: tc, input: map[string]any{}}
	inputTypes := map[string]*Input{}
	for _, w := range tc.want {
		i, ok := s.schema.index[w.name]
		if !ok {
			errAt(w.key, ErrUnknown, w.name, "unknown threshold %s", quote(w.name))
			continue
		}
		d := &s.schema.decls[i]
		want, err := parseValue(d.Type, w.val)
		if err != nil {
			errAt(w.val, ErrValue, w.val.Value, "want %s: %v", w.name, err)
			continue
		}
		pt.wants = append(pt.wants, preparedWant{i: i, want: want})
		for k := range d.Inputs {
			if _, seen := inputTypes[d.Inputs[k].Name]; !seen {
				inputTypes[d.Inputs[k].Name] = &d.Inputs[k]
			}
		}
	}
	names := make([]string, 0, len(tc.input))
	for name := range tc.input {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		n := tc.input[name]
		in, ok := inputTypes[name]
		if !ok {
			errAt(n, ErrUnknown, name, "input %s is read by none of the thresholds the case checks", quote(name))
			continue
		}
		x, err := parseValue(in.Type, n)
		if err == nil {
			_, err = toCEL(in, x) // within the declared sizes and values
		}
		if err != nil {
			errAt(n, ErrValue, n.Value, "input %s: %v", name, err)
			continue
		}
		pt.input[name] = x
	}
	return pt, errs
}

// parseValue reads a value of type t as a rule file writes it.
func parseValue(t Type, n *yaml.Node) (any, error) {
	if t == Strings {
		if n.Kind != yaml.SequenceNode {
			return nil, fmt.Errorf("want a list of strings")
		}
		out := make([]string, 0, len(n.Content))
		for _, c := range n.Content {
			if c.Kind != yaml.ScalarNode {
				return nil, fmt.Errorf("want a list of strings")
			}
			out = append(out, c.Value)
		}
		return out, nil
	}
	if n.Kind != yaml.ScalarNode {
		return nil, fmt.Errorf("want a single %v value", t)
	}
	x, err := parseScalar(t, n.Value)
	if err != nil && len(n.Value) > maxQuoted {
		// The parsers' errors quote the whole text.
		return nil, fmt.Errorf("%s is not a %v value", quote(n.Value), t)
	}
	if d, ok := x.(decimal.Decimal); ok && err == nil && !decimalInRange(d) {
		return nil, errors.New(decimalRangeProblem(d))
	}
	return x, err
}

// parseScalar parses the text of a value of type t.
func parseScalar(t Type, s string) (any, error) {
	switch t {
	case Bool:
		return strconv.ParseBool(s)
	case Int:
		return strconv.ParseInt(s, 10, 64)
	case String:
		return s, nil
	case Decimal:
		return decimal.NewFromString(s)
	case Window:
		return clock.ParseWindow(s)
	case Duration:
		return time.ParseDuration(s)
	case Timestamp:
		return time.Parse(time.RFC3339, s)
	}
	return nil, fmt.Errorf("unsupported type %v", t)
}

// zeroValue is the value of an input a test case leaves out: its type's
// zero, and for a string input with Values the first of them.
func zeroValue(in *Input) any {
	switch in.Type {
	case String:
		if len(in.Values) > 0 {
			return in.Values[0]
		}
	case Strings:
		if len(in.Values) > 0 {
			return []string{}
		}
	}
	switch in.Type {
	case Bool:
		return false
	case Int:
		return int64(0)
	case String:
		return ""
	case Strings:
		return []string{}
	case Decimal:
		return decimal.Zero
	case Duration:
		return time.Duration(0)
	case Timestamp:
		return time.Time{}
	}
	return nil
}

func equalValues(a, b any) bool {
	if da, ok := a.(decimal.Decimal); ok {
		db, ok := b.(decimal.Decimal)
		return ok && da.Equal(db)
	}
	return reflect.DeepEqual(a, b)
}

// RunTests runs the test cases of every file the set was loaded from, each
// against the version it names (its "at" instant, else its file's version,
// else the latest), and returns one result per expectation, in file order.
func (s *Set) RunTests() []TestResult {
	var out []TestResult
	for _, tc := range s.tests {
		pt, errs := s.prepare(tc)
		if len(errs) > 0 { // cannot happen for a loaded set; report rather than hide it
			out = append(out, TestResult{File: tc.file.name, Line: tc.node.Line, Case: tc.name, Err: errs})
			continue
		}
		v := s.versionFor(tc)
		for _, w := range pt.wants {
			d := &s.schema.decls[w.i]
			r := TestResult{File: tc.file.name, Line: tc.node.Line, Case: tc.name, Threshold: d.Name,
				Version: v.dateStr, Want: FormatValue(w.want)}
			if tc.skip != "" {
				r.Skipped, r.Skip = true, tc.skip
				out = append(out, r)
				continue
			}
			if def := v.progs[w.i].def.file; def != tc.file && def.override {
				r.Skipped = true
				out = append(out, r)
				continue
			}
			args := make([]any, len(d.Inputs))
			for k, in := range d.Inputs {
				if x, ok := pt.input[in.Name]; ok {
					args[k] = x
				} else {
					args[k] = zeroValue(&d.Inputs[k])
				}
			}
			got, err := v.eval(w.i, args)
			switch {
			case err != nil:
				r.Err = err
			case equalValues(w.want, got):
				r.Got = r.Want
			default:
				r.Got = FormatValue(got)
			}
			out = append(out, r)
		}
	}
	return out
}

func (s *Set) versionFor(tc *rawTest) *Version {
	switch {
	case !tc.at.IsZero():
		return s.In(tc.at)
	case tc.file.version != "":
		for _, v := range s.versions {
			if v.date == tc.file.versionAt {
				return v
			}
		}
	}
	return s.Latest()
}
