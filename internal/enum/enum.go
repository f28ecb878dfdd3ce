// Package enum gives every enumeration of the library one text form and
// one set of checks. An enumeration is a uint8 type whose values index a
// fixed list of names; by convention value 0 is "invalid", so that no
// zero value ever stands for a real route, mode, status or outcome.
//
//	type Mode uint8
//	var modeNames = enum.Names{"invalid", "escrow", "direct"}
//	func (m Mode) String() string               { return modeNames.String(m) }
//	func (m Mode) IsValid() bool                { return modeNames.IsValid(m) }
//	func (m Mode) MarshalText() ([]byte, error) { return modeNames.Marshal(m) }
//	func (m *Mode) UnmarshalText(b []byte) error { return modeNames.Unmarshal(m, b) }
package enum

import (
	"errors"
	"fmt"
)

// ErrInvalid is wrapped by the errors of Marshal and Unmarshal.
var ErrInvalid = errors.New("invalid enumeration value")

// Names lists the names of an enumeration's values, by value. Names[0]
// is the name of the zero value ("invalid" by convention); a Names must
// not be changed after its first use.
type Names []string

// String returns the name of v, or "invalid(N)" for a value past the list.
func String[E ~uint8](n Names, v E) string {
	if int(v) < len(n) {
		return n[v]
	}
	return fmt.Sprintf("invalid(%d)", uint8(v))
}

// String is the package function String as a method.
func (n Names) String(v uint8) string { return String(n, v) }

// IsValid reports whether v is a value of the enumeration other than 0.
func IsValid[E ~uint8](n Names, v E) bool { return v != 0 && int(v) < len(n) }

// Marshal returns the name of v, or an error wrapping [ErrInvalid] for
// 0 and for values past the list: what is never valid is never written.
// what names the type in the error ("refund: mode").
func Marshal[E ~uint8](n Names, v E, what string) ([]byte, error) {
	if !IsValid(n, v) {
		return nil, fmt.Errorf("%s: %w %d", what, ErrInvalid, uint8(v))
	}
	return []byte(n[v]), nil
}

// Unmarshal sets *p to the value named b. The name must be spelled
// exactly; the zero value's name and unknown names are errors wrapping
// [ErrInvalid].
func Unmarshal[E ~uint8](n Names, p *E, b []byte, what string) error {
	s := string(b)
	for i := 1; i < len(n); i++ {
		if n[i] == s {
			*p = E(i)
			return nil
		}
	}
	return fmt.Errorf("%s: %w %q", what, ErrInvalid, s)
}

// Parse returns the value named s, as Unmarshal does.
func Parse[E ~uint8](n Names, s, what string) (E, error) {
	var v E
	err := Unmarshal(n, &v, []byte(s), what)
	return v, err
}
