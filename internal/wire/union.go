package wire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"time"
)

// Member is a fixed member written before a variant's "type".
type Member struct {
	Key   string
	Value any
}

// Union encodes and decodes the variants of a sealed interface T, each
// by its stable name. A Union is built once (a package variable) and
// never changed; it is safe for concurrent use.
type Union[T any] struct {
	what  string // e.g. "refund event", for errors
	name  func(T) string
	types map[string]reflect.Type
	names []string
}

// NewUnion returns the union of the given variants (values of distinct
// struct types, usually their zero values), named by name. It panics on
// two variants with one name or a variant with a field named "type": both
// are programming errors found by the package's first test.
func NewUnion[T any](what string, name func(T) string, variants ...T) *Union[T] {
	u := &Union[T]{what: what, name: name, types: map[string]reflect.Type{}}
	for _, v := range variants {
		n := name(v)
		t := reflect.TypeOf(v)
		if _, dup := u.types[n]; dup {
			panic(fmt.Sprintf("wire: %s: two variants named %q", what, n))
		}
		if t.Kind() == reflect.Struct {
			if _, bad := fieldsOf(t)["type"]; bad {
				panic(fmt.Sprintf("wire: %s: variant %q has a field named \"type\"", what, n))
			}
		}
		u.types[n] = t
		u.names = append(u.names, n)
	}
	sort.Strings(u.names)
	return u
}

// Names returns the variants' names, sorted.
func (u *Union[T]) Names() []string { return append([]string(nil), u.names...) }

// New returns the zero value of the variant named n.
func (u *Union[T]) New(n string) (T, bool) {
	t, ok := u.types[n]
	if !ok {
		var zero T
		return zero, false
	}
	return reflect.New(t).Elem().Interface().(T), true
}

// Value returns v itself, or the variant a non-nil pointer v points to;
// ok is false for nil and for values of no variant.
func (u *Union[T]) Value(v T) (T, bool) {
	rv := reflect.ValueOf(v)
	if !rv.IsValid() {
		return v, false
	}
	if rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return v, false
		}
		ev, ok := rv.Elem().Interface().(T)
		if !ok {
			return v, false
		}
		v, rv = ev, rv.Elem()
	}
	t, ok := u.types[u.name(v)]
	return v, ok && t == rv.Type()
}

// Encode writes v as {members…, "type": name, fields…}.
func (u *Union[T]) Encode(v T, members ...Member) ([]byte, error) {
	v, ok := u.Value(v)
	if !ok {
		return nil, fmt.Errorf("wire: encode %s: %T is not a variant", u.what, v)
	}
	body, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("wire: encode %s %s: %w", u.what, u.name(v), err)
	}
	var b bytes.Buffer
	b.WriteByte('{')
	var fields map[string]reflect.Type
	if t := reflect.TypeOf(v); t.Kind() == reflect.Struct {
		fields = fieldsOf(t)
	}
	for _, m := range members {
		if _, clash := fields[m.Key]; clash {
			return nil, fmt.Errorf("wire: encode %s %s: the variant has a field %q, which the member %q would repeat", u.what, u.name(v), m.Key, m.Key)
		}
		val, err := json.Marshal(m.Value)
		if err != nil {
			return nil, fmt.Errorf("wire: encode %s %s: %s: %w", u.what, u.name(v), m.Key, err)
		}
		key, _ := json.Marshal(m.Key)
		b.Write(key)
		b.WriteByte(':')
		b.Write(val)
		b.WriteByte(',')
	}
	name, _ := json.Marshal(u.name(v))
	b.WriteString(`"type":`)
	b.Write(name)
	if len(body) > 2 && body[0] == '{' {
		b.WriteByte(',')
		b.Write(body[1:])
	} else {
		b.WriteByte('}')
	}
	return b.Bytes(), nil
}

// Decode reads a value written by Encode with no members.
func (u *Union[T]) Decode(data []byte) (T, error) {
	v, _, err := u.DecodeWith(data)
	return v, err
}

// DecodeWith reads a value written by Encode with members of the given
// keys, returning each member's raw JSON (nil when absent) for the caller
// to decode with [Decode]. Everything is checked as strictly as Decode
// checks: the keys of the variant's fields, the members and "type", each
// once and spelled exactly.
func (u *Union[T]) DecodeWith(data []byte, keys ...string) (T, []json.RawMessage, error) {
	var zero T
	var raw map[string]json.RawMessage
	// A first pass checks the shape and duplicates everywhere; the
	// variant's own type is known only once "type" is read.
	if err := Check(data, reflect.TypeOf(raw)); err != nil {
		return zero, nil, fmt.Errorf("%s: %w", u.what, err)
	}
	if err := json.Unmarshal(data, &raw); err != nil || raw == nil {
		return zero, nil, fmt.Errorf("%s: %w: want a JSON object", u.what, ErrMalformed)
	}
	var name string
	if t, ok := raw["type"]; !ok {
		return zero, nil, fmt.Errorf("%s: %w: no \"type\"", u.what, ErrMalformed)
	} else if err := json.Unmarshal(t, &name); err != nil {
		return zero, nil, fmt.Errorf("%s: %w: \"type\" is not a string", u.what, ErrMalformed)
	}
	t, ok := u.types[name]
	if !ok {
		return zero, nil, fmt.Errorf("%s: %w: unknown type %q", u.what, ErrMalformed, name)
	}
	if err := Check(data, t, append(keys, "type")...); err != nil {
		return zero, nil, fmt.Errorf("%s %s: %w", u.what, name, err)
	}
	vals := make([]json.RawMessage, len(keys))
	for i, k := range keys {
		vals[i] = raw[k]
		delete(raw, k)
	}
	delete(raw, "type")
	rest, err := json.Marshal(raw)
	if err != nil {
		return zero, nil, fmt.Errorf("%s %s: %w: %v", u.what, name, ErrMalformed, err)
	}
	p := reflect.New(t)
	if err := Decode(rest, p.Interface()); err != nil {
		return zero, nil, fmt.Errorf("%s %s: %w", u.what, name, err)
	}
	return p.Elem().Interface().(T), vals, nil
}

// Stamp is the envelope every effect carries before its variant: an ID
// unique within its state, the instant it took effect and the rule that
// requires it. Each package's Effect holds the same three fields and
// writes them with [Union.EncodeStamped].
type Stamp struct {
	ID   uint64
	At   time.Time
	Rule string
}

// EncodeStamped writes v as {"id":…,"at":…,"rule":…,"type":…,fields…}.
func (u *Union[T]) EncodeStamped(s Stamp, v T) ([]byte, error) {
	return u.Encode(v, Member{"id", s.ID}, Member{"at", s.At}, Member{"rule", s.Rule})
}

// DecodeStamped reads a value written by EncodeStamped, as strictly as
// [Union.DecodeWith]: "id", "at" and "rule" are required, the instant is
// non-zero and returned in UTC, the rule is not empty, and the variant
// must encode again (a required enumeration left out is an error).
func (u *Union[T]) DecodeStamped(data []byte) (Stamp, T, error) {
	var s Stamp
	v, raw, err := u.DecodeWith(data, "id", "at", "rule")
	if err != nil {
		return s, v, err
	}
	name := u.name(v)
	for i, dst := range []any{&s.ID, &s.At, &s.Rule} {
		key := [...]string{"id", "at", "rule"}[i]
		if raw[i] == nil {
			return s, v, fmt.Errorf("%s %s: %w: no %q", u.what, name, ErrMalformed, key)
		}
		if err := Decode(raw[i], dst); err != nil {
			return s, v, fmt.Errorf("%s %s: %s: %w", u.what, name, key, err)
		}
	}
	if s.At.IsZero() || s.Rule == "" {
		return s, v, fmt.Errorf("%s %s: %w: zero instant or empty rule", u.what, name, ErrMalformed)
	}
	s.At = s.At.UTC()
	if _, err := u.Encode(v); err != nil {
		return s, v, fmt.Errorf("%s %s: %w: %v", u.what, name, ErrMalformed, err)
	}
	return s, v, nil
}

// EncodeAt writes v as one line of an event log: {"at":…,"type":…,fields…}.
func (u *Union[T]) EncodeAt(at time.Time, v T) ([]byte, error) {
	return u.Encode(v, Member{"at", at})
}

// DecodeAt reads a line written by EncodeAt, as strictly as
// [Union.DecodeWith]: "at" is required, and the variant must encode again
// (a required enumeration left out is an error).
func (u *Union[T]) DecodeAt(data []byte) (time.Time, T, error) {
	var at time.Time
	v, raw, err := u.DecodeWith(data, "at")
	if err != nil {
		return at, v, err
	}
	if raw[0] == nil {
		return at, v, fmt.Errorf("%s %s: %w: no \"at\"", u.what, u.name(v), ErrMalformed)
	}
	if err := Decode(raw[0], &at); err != nil {
		return at, v, fmt.Errorf("%s %s: at: %w", u.what, u.name(v), err)
	}
	if _, err := u.Encode(v); err != nil {
		return at, v, fmt.Errorf("%s %s: %w: %v", u.what, u.name(v), ErrMalformed, err)
	}
	return at, v, nil
}
