package enum

import (
	"errors"
	"testing"
)

type mode uint8

var names = Names{"invalid", "escrow", "direct"}

func TestRoundTrip(t *testing.T) {
	for v := mode(1); int(v) < len(names); v++ {
		b, err := Marshal(names, v, "mode")
		if err != nil {
			t.Fatal(err)
		}
		var got mode
		if err := Unmarshal(names, &got, b, "mode"); err != nil || got != v {
			t.Fatalf("Unmarshal(%s) = %v, %v; want %v", b, got, err, v)
		}
	}
}

func TestInvalid(t *testing.T) {
	for _, v := range []mode{0, 3, 255} {
		if IsValid(names, v) {
			t.Errorf("IsValid(%d) = true", v)
		}
		if _, err := Marshal(names, v, "mode"); !errors.Is(err, ErrInvalid) {
			t.Errorf("Marshal(%d) error = %v, want ErrInvalid", v, err)
		}
	}
	if got := String(names, mode(7)); got != "invalid(7)" {
		t.Errorf("String(7) = %q", got)
	}
	var m mode
	for _, s := range []string{"invalid", "Escrow", "", "cash"} {
		if err := Unmarshal(names, &m, []byte(s), "mode"); !errors.Is(err, ErrInvalid) {
			t.Errorf("Unmarshal(%q) error = %v, want ErrInvalid", s, err)
		}
	}
	if v, err := Parse[mode](names, "direct", "mode"); err != nil || v != 2 {
		t.Errorf("Parse(direct) = %v, %v", v, err)
	}
}
