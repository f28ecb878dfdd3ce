package wire

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"sync"
)

// ErrMalformed is wrapped by every error of this package's decoders.
var ErrMalformed = errors.New("malformed JSON")

// MaxDepth is the deepest nesting of arrays and objects Decode accepts.
const MaxDepth = 1000

// Decode decodes data into v, a non-nil pointer, strictly (see the
// package doc). On an error, v may hold part of the input.
func Decode(data []byte, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("%w: Decode needs a non-nil pointer, got %T", ErrMalformed, v)
	}
	if err := Check(data, rv.Type().Elem()); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return nil
}

// Check reports whether data is one JSON value that [Decode] would accept
// for type t as far as its keys go: known, exact and unique. It does not
// check the values of scalars.
func Check(data []byte, t reflect.Type, allow ...string) error {
	w := walker{dec: json.NewDecoder(bytes.NewReader(data))}
	w.dec.UseNumber()
	tok, err := w.dec.Token()
	if err != nil {
		return w.wrap("", err)
	}
	if err := w.rest(tok, t, "", allow); err != nil {
		return err
	}
	if _, err := w.dec.Token(); err != io.EOF {
		return fmt.Errorf("%w: data after the JSON value", ErrMalformed)
	}
	return nil
}

type walker struct {
	dec   *json.Decoder
	depth int
}

func (w *walker) wrap(path string, err error) error {
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	if path == "" {
		return fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return fmt.Errorf("%w: %s: %v", ErrMalformed, path, err)
}

func (w *walker) value(t reflect.Type, path string) error {
	tok, err := w.dec.Token()
	if err != nil {
		return w.wrap(path, err)
	}
	return w.rest(tok, t, path, nil)
}

// rest checks the value that starts with tok against t (nil: any type).
// allow lists extra keys a top-level object may hold.
func (w *walker) rest(tok json.Token, t reflect.Type, path string, allow []string) error {
	d, ok := tok.(json.Delim)
	if !ok {
		return nil
	}
	if w.depth++; w.depth > MaxDepth {
		return fmt.Errorf("%w: %s: nested deeper than %d", ErrMalformed, orTop(path), MaxDepth)
	}
	defer func() { w.depth-- }()
	t = shape(t)
	switch d {
	case '[':
		var elem reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			elem = t.Elem()
		}
		for i := 0; w.dec.More(); i++ {
			if err := w.value(elem, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case '{':
		var fields map[string]reflect.Type
		var elem reflect.Type
		if t != nil && t.Kind() == reflect.Struct {
			fields = fieldsOf(t)
		} else if t != nil && t.Kind() == reflect.Map {
			elem = t.Elem()
		}
		seen := map[string]bool{}
		for w.dec.More() {
			tok, err := w.dec.Token()
			if err != nil {
				return w.wrap(path, err)
			}
			key, _ := tok.(string)
			sub := key
			if path != "" {
				sub = path + "." + key
			}
			if seen[key] {
				return fmt.Errorf("%w: %s: duplicate key %q", ErrMalformed, orTop(path), key)
			}
			seen[key] = true
			ft := elem
			if fields != nil {
				var known bool
				ft, known = fields[key]
				if !known && !contains(allow, key) {
					return fmt.Errorf("%w: %s: unknown field %q%s", ErrMalformed, orTop(path), key, suggest(key, fields))
				}
			}
			if err := w.value(ft, sub); err != nil {
				return err
			}
		}
	}
	if _, err := w.dec.Token(); err != nil { // the closing delimiter
		return w.wrap(path, err)
	}
	return nil
}

func orTop(path string) string {
	if path == "" {
		return "top level"
	}
	return path
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// suggest names the field a wrongly cased key was probably meant to be.
func suggest(key string, fields map[string]reflect.Type) string {
	for name := range fields {
		if strings.EqualFold(name, key) {
			return fmt.Sprintf(" (did you mean %q?)", name)
		}
	}
	return ""
}

var (
	unmarshaler     = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// shape returns t without pointers, or nil when its JSON is not checked
// key by key here: interfaces and types that decode themselves.
func shape(t reflect.Type) reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() == reflect.Interface {
		return nil
	}
	if reflect.PointerTo(t).Implements(unmarshaler) || reflect.PointerTo(t).Implements(textUnmarshaler) {
		return nil
	}
	return t
}

var fieldCache sync.Map // reflect.Type → map[string]reflect.Type

// fieldsOf returns the JSON names of struct t's fields and their types,
// with the fields of untagged embedded structs promoted, as encoding/json
// does.
func fieldsOf(t reflect.Type) map[string]reflect.Type {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string]reflect.Type)
	}
	m := map[string]reflect.Type{}
	addFields(t, m, 0)
	fieldCache.Store(t, m)
	return m
}

func addFields(t reflect.Type, m map[string]reflect.Type, depth int) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if f.Anonymous && name == "" && ft.Kind() == reflect.Struct && depth < 8 {
			addFields(ft, m, depth+1)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if _, dup := m[name]; !dup || depth == 0 {
			m[name] = f.Type
		}
	}
}
