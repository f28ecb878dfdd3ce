package wire

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

type item struct {
	Line   string          `json:"line"`
	Amount decimal.Decimal `json:"amount"`
}

type base struct {
	Note string `json:"note,omitempty"`
}

type open struct {
	base
	Items []item          `json:"items"`
	Tags  map[string]int  `json:"tags,omitempty"`
	At    time.Time       `json:"opened_at,omitzero"`
	Ptr   *item           `json:"ptr,omitempty"`
	Any   any             `json:"any,omitempty"`
	Fixed [2]item         `json:"fixed,omitzero"`
	Raw   decimal.Decimal `json:"-"`
}

func TestDecodeStrict(t *testing.T) {
	ok := []string{
		`{"items":[{"line":"A","amount":"1.5"}]}`,
		`{"items":[],"note":"x","tags":{"Line":1,"line":2}}`,
		` {"ptr":{"line":"B","amount":2}} `,
		`{"any":{"x":{"y":1}}}`,
		`{"ptr":null,"items":null}`,
	}
	for _, s := range ok {
		var v open
		if err := Decode([]byte(s), &v); err != nil {
			t.Errorf("Decode(%s) = %v", s, err)
		}
	}
	bad := map[string]string{
		`{"Items":[]}`:                            `unknown field "Items" (did you mean "items"?)`,
		`{"items":[{"LINE":"A"}]}`:                `items[0]: unknown field "LINE"`,
		`{"items":[],"items":[]}`:                 `duplicate key "items"`,
		`{"tags":{"a":1,"a":2}}`:                  `tags: duplicate key "a"`,
		`{"any":{"x":1,"x":2}}`:                   `any: duplicate key "x"`,
		`{"ptr":{"line":"A","amount":"1","z":1}}`: `ptr: unknown field "z"`,
		`{"items":[]} {}`:                         `data after the JSON value`,
		`{"items":[`:                              `unexpected EOF`,
		`{"skip":1}`:                              `unknown field "skip"`,
		`{"Raw":"1"}`:                             `unknown field "Raw"`,
		`{"items":[{"line":"A","amount":"x"}]}`:   `decimal`,
		``:                                        `EOF`,
	}
	for s, want := range bad {
		var v open
		err := Decode([]byte(s), &v)
		if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), want) {
			t.Errorf("Decode(%s) = %v, want ErrMalformed with %q", s, err, want)
		}
	}
}

func TestDecodeDepth(t *testing.T) {
	s := `{"any":` + strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1) + `}`
	var v open
	if err := Decode([]byte(s), &v); !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "deeper") {
		t.Fatalf("Decode(deep) = %v", err)
	}
}

type event interface{ Name() string }

type agree struct {
	Request int `json:"request"`
}
type confirm struct{}

func (agree) Name() string   { return "agree" }
func (confirm) Name() string { return "confirm" }
func (open) Name() string    { return "open" }

var events = NewUnion[event]("test event", event.Name, agree{}, confirm{}, open{})

func TestUnionRoundTrip(t *testing.T) {
	at := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, e := range []event{agree{Request: 2}, confirm{}, &agree{Request: 3},
		open{Items: []item{{Line: "A", Amount: decimal.RequireFromString("1.50")}}}} {
		b, err := events.Encode(e, Member{"id", 7}, Member{"at", at})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(b), `{"id":7,"at":"2024-03-01T00:00:00Z","type":"`+e.Name()+`"`) {
			t.Errorf("Encode(%#v) = %s", e, b)
		}
		got, vals, err := events.DecodeWith(b, "id", "at")
		if err != nil {
			t.Fatalf("DecodeWith(%s) = %v", b, err)
		}
		want, _ := events.Value(e)
		b2, _ := events.Encode(got, Member{"id", 7}, Member{"at", at})
		if string(b2) != string(b) || string(vals[0]) != "7" || got.Name() != want.Name() {
			t.Errorf("round trip of %s gave %s, members %s", b, b2, vals)
		}
	}
}

func TestUnionRefuses(t *testing.T) {
	bad := map[string]string{
		`{"type":"nope"}`:                        `unknown type "nope"`,
		`{"request":1}`:                          `no "type"`,
		`{"type":1}`:                             `not a string`,
		`{"type":"agree","request":1,"x":2}`:     `unknown field "x"`,
		`{"type":"agree","Request":1}`:           `unknown field "Request"`,
		`{"type":"agree","type":"agree"}`:        `duplicate key "type"`,
		`{"type":"agree","request":1,"id":1}`:    `unknown field "id"`,
		`[{"type":"agree"}]`:                     `want a JSON object`,
		`{"type":"agree","request":"1"}`:         `cannot unmarshal`,
		`{"type":"confirm","request":1}`:         `unknown field "request"`,
		`{"type":"agree","request":1}trailing`:   `after the JSON value`,
		`{"type":"agree","request":1,"at":null}`: `unknown field "at"`,
	}
	for s, want := range bad {
		_, err := events.Decode([]byte(s))
		if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), want) {
			t.Errorf("Decode(%s) = %v, want ErrMalformed with %q", s, err, want)
		}
	}
	if _, err := events.Encode(nil); err == nil {
		t.Error("Encode(nil) succeeded")
	}
	var nilAgree *agree
	if _, err := events.Encode(nilAgree); err == nil {
		t.Error("Encode((*agree)(nil)) succeeded")
	}
}

func TestNewUnionPanics(t *testing.T) {
	type typed struct {
		Type string `json:"type"`
	}
	for name, f := range map[string]func(){
		"duplicate": func() { NewUnion[event]("x", event.Name, agree{}, agree{}) },
		"type field": func() {
			NewUnion("x", func(any) string { return "t" }, any(typed{}))
		},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

func FuzzDecode(f *testing.F) {
	for _, s := range []string{`{"type":"agree","request":1}`, `{"type":"open","items":[{"line":"A","amount":"1"}]}`,
		`{"type":"confirm"}`, `{"type":"open","tags":{"a":1}}`, `{}`, `[`, "\"\\u0000\""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := events.Decode(data)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			return
		}
		b, err := events.Encode(e)
		if err != nil {
			t.Fatalf("Encode of a decoded value: %v", err)
		}
		e2, err := events.Decode(b)
		if err != nil {
			t.Fatalf("Decode(Encode(%s)) = %v", b, err)
		}
		if b2, _ := events.Encode(e2); string(b2) != string(b) {
			t.Fatalf("not stable: %s then %s", b, b2)
		}
	})
}

type stamped struct {
	At time.Time `json:"at"`
}

func (stamped) Name() string { return "stamped" }

func TestEncodeRefusesMemberClash(t *testing.T) {
	u := NewUnion[event]("test event", event.Name, stamped{})
	if _, err := u.Encode(stamped{}, Member{"at", time.Time{}}); err == nil || !strings.Contains(err.Error(), `field "at"`) {
		t.Fatalf("Encode with a clashing member = %v, want an error", err)
	}
	if _, err := u.Encode(stamped{}); err != nil {
		t.Fatalf("Encode without members = %v", err)
	}
}

func TestStamped(t *testing.T) {
	at := time.Date(2024, 3, 1, 8, 0, 0, 0, time.FixedZone("CST", 8*3600))
	b, err := events.EncodeStamped(Stamp{ID: 3, At: at, Rule: "RFD-4"}, agree{Request: 1})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"id":3,"at":"2024-03-01T08:00:00+08:00","rule":"RFD-4","type":"agree","request":1}`; string(b) != want {
		t.Fatalf("EncodeStamped = %s, want %s", b, want)
	}
	s, v, err := events.DecodeStamped(b)
	if err != nil || s.ID != 3 || s.Rule != "RFD-4" || !s.At.Equal(at) || s.At.Location() != time.UTC || v != (agree{Request: 1}) {
		t.Fatalf("DecodeStamped = %+v, %#v, %v", s, v, err)
	}
	for in, want := range map[string]string{
		`{"at":"2024-03-01T00:00:00Z","rule":"R","type":"agree","request":1}`:                   `no "id"`,
		`{"id":1,"rule":"R","type":"agree","request":1}`:                                        `no "at"`,
		`{"id":1,"at":"2024-03-01T00:00:00Z","type":"agree","request":1}`:                       `no "rule"`,
		`{"id":1,"at":"0001-01-01T00:00:00Z","rule":"R","type":"agree"}`:                        `zero instant`,
		`{"id":1,"at":"2024-03-01T00:00:00Z","rule":"","type":"agree"}`:                         `empty rule`,
		`{"id":-1,"at":"2024-03-01T00:00:00Z","rule":"R","type":"agree"}`:                       `id`,
		`{"id":1,"at":"2024-03-01T00:00:00Z","rule":"R","type":"agree","request":1,"Rule":"x"}`: `unknown field "Rule"`,
	} {
		if _, _, err := events.DecodeStamped([]byte(in)); !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), want) {
			t.Errorf("DecodeStamped(%s) = %v, want ErrMalformed with %q", in, err, want)
		}
	}
}

func TestEntryAt(t *testing.T) {
	at := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	b, err := events.EncodeAt(at, agree{Request: 2})
	if err != nil || string(b) != `{"at":"2024-03-01T00:00:00Z","type":"agree","request":2}` {
		t.Fatalf("EncodeAt = %s, %v", b, err)
	}
	got, v, err := events.DecodeAt(b)
	if err != nil || !got.Equal(at) || v != (agree{Request: 2}) {
		t.Fatalf("DecodeAt = %v, %#v, %v", got, v, err)
	}
	for in, want := range map[string]string{
		`{"type":"agree","request":2}`:             `no "at"`,
		`{"at":1,"type":"agree","request":2}`:      `at:`,
		`{"at":"2024-03-01T00:00:00Z","type":"x"}`: `unknown type`,
	} {
		if _, _, err := events.DecodeAt([]byte(in)); !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), want) {
			t.Errorf("DecodeAt(%s) = %v, want ErrMalformed with %q", in, err, want)
		}
	}
}
