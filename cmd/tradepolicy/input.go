package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/internal/wire"
	"github.com/tradepolicy/tradepolicy/rules"
)

// parseInput reads the --input JSON of explain: an object whose members
// are the threshold's inputs, nested ({"order": {"payable": "100.00"}})
// or dotted ({"order.payable": "100.00"}), each written as in a rule
// file's test case. It returns the arguments in declaration order (zero
// for an input left out) and which inputs were given.
func parseInput(d rules.Decl, data string) ([]any, map[string]bool, error) {
	if strings.TrimSpace(data) == "" {
		data = "{}"
	}
	if err := wire.Check([]byte(data), reflect.TypeFor[map[string]any]()); err != nil {
		return nil, nil, fmt.Errorf("bad JSON: %v", strings.TrimPrefix(err.Error(), wire.ErrMalformed.Error()+": "))
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(data)))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil || m == nil {
		return nil, nil, fmt.Errorf("bad JSON: want an object such as {\"order\": {\"payable\": \"100.00\"}}")
	}
	flat := map[string]any{}
	flatten("", m, flat)
	given := map[string]bool{}
	args := make([]any, len(d.Inputs))
	for k, in := range d.Inputs {
		x, ok := flat[in.Name]
		if !ok {
			args[k] = zeroOf(in.Type)
			continue
		}
		v, err := inputValue(in.Type, x)
		if err != nil {
			return nil, nil, fmt.Errorf("input %s: %v", in.Name, err)
		}
		args[k], given[in.Name] = v, true
		delete(flat, in.Name)
	}
	if len(flat) > 0 {
		var names, declared []string
		for n := range flat {
			names = append(names, n)
		}
		slices.Sort(names)
		for _, in := range d.Inputs {
			declared = append(declared, in.Name)
		}
		decl := "none"
		if len(declared) > 0 {
			decl = strings.Join(declared, ", ")
		}
		return nil, nil, fmt.Errorf("threshold %s reads no input %s (it declares: %s)", d.Name, strings.Join(names, ", "), decl)
	}
	return args, given, nil
}

func flatten(prefix string, m map[string]any, out map[string]any) {
	for k, v := range m {
		name := k
		if prefix != "" {
			name = prefix + "." + k
		}
		if sub, ok := v.(map[string]any); ok {
			flatten(name, sub, out)
			continue
		}
		out[name] = v
	}
}

func inputValue(t rules.Type, x any) (any, error) {
	str, isStr := x.(string)
	num, isNum := x.(json.Number)
	switch t {
	case rules.Bool:
		if b, ok := x.(bool); ok {
			return b, nil
		}
		if isStr {
			if b, err := strconv.ParseBool(str); err == nil {
				return b, nil
			}
		}
		return nil, fmt.Errorf("want true or false, got %s", jsonText(x))
	case rules.Int:
		if isNum || isStr {
			s := str
			if isNum {
				s = num.String()
			}
			if n, err := strconv.ParseInt(s, 10, 64); err == nil {
				return n, nil
			}
		}
		return nil, fmt.Errorf("want a whole number, got %s", jsonText(x))
	case rules.String:
		if isStr {
			return str, nil
		}
		return nil, fmt.Errorf("want a string, got %s", jsonText(x))
	case rules.Strings:
		if l, ok := x.([]any); ok {
			out := make([]string, 0, len(l))
			for _, e := range l {
				s, ok := e.(string)
				if !ok {
					return nil, fmt.Errorf("want a list of strings, got %s", jsonText(x))
				}
				out = append(out, s)
			}
			return out, nil
		}
		return nil, fmt.Errorf("want a list of strings, got %s", jsonText(x))
	case rules.Decimal:
		if isNum || isStr {
			s := str
			if isNum {
				s = num.String()
			}
			if d, err := decimal.NewFromString(s); err == nil {
				return d, nil
			}
		}
		return nil, fmt.Errorf(`want a decimal like "100.00", got %s`, jsonText(x))
	case rules.Duration:
		if isStr {
			if d, err := time.ParseDuration(str); err == nil {
				return d, nil
			}
		}
		return nil, fmt.Errorf(`want a duration like "15m", got %s`, jsonText(x))
	case rules.Timestamp:
		if isStr {
			if ts, err := time.Parse(time.RFC3339, str); err == nil {
				return ts, nil
			}
		}
		return nil, fmt.Errorf(`want an RFC 3339 instant like "2024-03-01T12:00:00+08:00", got %s`, jsonText(x))
	}
	return nil, fmt.Errorf("inputs of type %v are not supported", t)
}

func jsonText(x any) string {
	b, _ := json.Marshal(x)
	return string(b)
}

// zeroOf is the value of an input a case or --input leaves out, as in
// the rules package's test cases.
func zeroOf(t rules.Type) any {
	switch t {
	case rules.Bool:
		return false
	case rules.Int:
		return int64(0)
	case rules.String:
		return ""
	case rules.Strings:
		return []string{}
	case rules.Decimal:
		return decimal.Zero
	case rules.Duration:
		return time.Duration(0)
	case rules.Timestamp:
		return time.Time{}
	}
	return nil
}
