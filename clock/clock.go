package clock

import (
	"errors"
	"fmt"
	"sync"
	"time"
	_ "time/tzdata" // every binary carries the same zone rules; see [Zone].
)

// A Clock tells the current instant. Machines read it once per call, so a
// host controls time by choosing the Clock: [System] in production, a
// [Manual] in tests and replays.
type Clock interface {
	Now() time.Time
}

// Func adapts an ordinary function to the [Clock] interface.
type Func func() time.Time

// Now returns f() with any monotonic clock reading stripped.
func (f Func) Now() time.Time { return f().Round(0) }

// System is the wall clock of the machine. It is the only code in the
// module that calls [time.Now].
type System struct{}

// Now returns the current instant with the monotonic clock reading
// stripped, so that it compares and serialises like a stored instant.
func (System) Now() time.Time { return time.Now().Round(0) }

// Manual is a clock that moves only when told to. It is safe for concurrent
// use. The zero value is not usable; create one with [NewManual].
type Manual struct {
	mu  sync.Mutex
	now time.Time
}

// NewManual returns a clock that stands at t, in t's location, with any
// monotonic clock reading stripped.
func NewManual(t time.Time) *Manual {
	return &Manual{now: t.Round(0)}
}

// Now returns the instant the clock stands at.
func (m *Manual) Now() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.now
}

// Set moves the clock to t, forwards or backwards, stripping any monotonic
// clock reading.
func (m *Manual) Set(t time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.now = t.Round(0)
}

// Advance moves the clock by d (which may be negative) and returns the new
// instant.
func (m *Manual) Advance(d time.Duration) time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.now = m.now.Add(d)
	return m.now
}

// Zone returns the location with the given IANA name, such as
// "Asia/Shanghai" or "UTC". It is [time.LoadLocation] except that it
// refuses "Local", whose rules depend on the machine.
//
// The package embeds [time/tzdata], so every zone loads even on a machine
// without a time zone database. Where the machine does have one, Go prefers
// it (see [time.LoadLocation]); hosts that need identical rules everywhere
// can set the ZONEINFO environment variable or strip the system database.
func Zone(name string) (*time.Location, error) {
	if name == "Local" {
		return nil, errors.New(`clock: zone "Local" depends on the machine; name an IANA zone`)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("clock: zone %q: %w", name, err)
	}
	return loc, nil
}

// MustZone is like [Zone] but panics if the zone cannot be loaded. It is
// meant for tests, examples and package-level constants with fixed names.
func MustZone(name string) *time.Location {
	loc, err := Zone(name)
	if err != nil {
		panic(err)
	}
	return loc
}
