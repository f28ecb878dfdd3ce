package rules

import (
	"fmt"
	"sort"
	"time"
)

// Set is every version of one policy, loaded and compiled. It is
// immutable and safe for concurrent use; a host that reloads its rules
// builds a new Set and swaps a pointer. A Set comes from [Load] (or from
// a Set's Override methods) and always has at least one version; the zero
// Set is not usable.
type Set struct {
	schema   *Schema
	defs     []*versionDef
	versions []*Version // by effective date
	tests    []*rawTest
}

// Schema returns the schema the set was loaded against.
func (s *Set) Schema() *Schema { return s.schema }

// Policy returns the policy's name.
func (s *Set) Policy() string { return s.schema.policy }

// Versions returns the versions, earliest first.
func (s *Set) Versions() []*Version { return append([]*Version(nil), s.versions...) }

// Latest returns the most recent version.
func (s *Set) Latest() *Version { return s.versions[len(s.versions)-1] }

// In returns the version in force at instant t: the latest one whose
// effective date (the start of its version date in its zone) is not after
// t. An instant before the earliest version is judged by the earliest.
func (s *Set) In(t time.Time) *Version {
	i := sort.Search(len(s.versions), func(i int) bool { return s.versions[i].effective.After(t) })
	if i == 0 {
		return s.versions[0]
	}
	return s.versions[i-1]
}

// Version returns the version with the given date ("YYYY-MM-DD"), and
// whether the set has one. A machine that pinned the version in force
// when something was first judged (its [Version.Date]) looks it up here
// for the rest of that thing's life, so that loading a set with versions
// added or changed around it does not change how it is judged. A date the
// set does not hold (the host dropped that version) gives false: the
// caller refuses rather than judge by another version.
func (s *Set) Version(date string) (*Version, bool) {
	for _, v := range s.versions {
		if v.dateStr == date {
			return v, true
		}
	}
	return nil, false
}

// Pin returns the version in force at t (as [Set.In]) if pinned is empty,
// and otherwise the version whose date is pinned (as [Set.Version]). It
// fails with an error wrapping [ErrUnknown] when the set has no version of
// that date.
func (s *Set) Pin(pinned string, t time.Time) (*Version, error) {
	if pinned == "" {
		return s.In(t), nil
	}
	if v, ok := s.Version(pinned); ok {
		return v, nil
	}
	return nil, fmt.Errorf("%w: policy %s has no version %s", ErrUnknown, s.schema.policy, quote(pinned))
}

// Version is one version of a policy: the thresholds in force from its
// effective date. It is immutable and safe for concurrent use. Versions
// come from a Set; the zero Version is not usable.
type Version struct {
	schema    *Schema
	date      civilDate
	dateStr   string
	effective time.Time
	zone      *time.Location
	progs     []*program // by declaration index
}

// Policy returns the policy's name.
func (v *Version) Policy() string { return v.schema.policy }

// Date returns the version date, "YYYY-MM-DD".
func (v *Version) Date() string { return v.dateStr }

// Effective returns the instant the version takes effect: the start of
// its date in its zone.
func (v *Version) Effective() time.Time { return v.effective }

// Zone returns the policy's business time zone in this version. Calendar
// windows and years are counted in it.
func (v *Version) Zone() *time.Location { return v.zone }

// Expr returns the expression of the named threshold in this version.
func (v *Version) Expr(name string) (string, bool) {
	i, ok := v.schema.index[name]
	if !ok {
		return "", false
	}
	return v.progs[i].expr, true
}

// Source returns "file:line:col" of the named threshold's expression in
// this version: where a reader finds the rule that judged.
func (v *Version) Source(name string) (string, bool) {
	i, ok := v.schema.index[name]
	if !ok {
		return "", false
	}
	return v.progs[i].source, true
}

// Cost returns the estimated worst-case cost of the named threshold's
// expression, as checked against CostBudget at load.
func (v *Version) Cost(name string) (uint64, bool) {
	i, ok := v.schema.index[name]
	if !ok {
		return 0, false
	}
	return v.progs[i].cost, true
}
