package scenario_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/tradepolicy/tradepolicy/scenario"
)

// The patterns match exactly the texts the parser reads as offsets and
// instants (an offset out of range matches but is refused by
// ParseOffset).
func TestPatternsAgreeWithTheParser(t *testing.T) {
	offset := regexp.MustCompile(scenario.OffsetPattern)
	instant := regexp.MustCompile(scenario.InstantPattern)
	for _, c := range []struct {
		s                string
		offset, instant  bool
		outOfRangeOffset bool
	}{
		{s: "+0s", offset: true},
		{s: "+2d3h", offset: true},
		{s: "+48h", offset: true},
		{s: "+2d-1s", offset: true},
		{s: "+1h+30m", offset: true},
		{s: "+999999999s", offset: true},
		{s: "+1s-2s", offset: true, outOfRangeOffset: true},
		{s: "+99999d", offset: true, outOfRangeOffset: true},
		{s: "+1000000000s"},
		{s: "+-1s"},
		{s: "+10"},
		{s: "+1w"},
		{s: "+1.5h"},
		{s: "+"},
		{s: "2d"},
		{s: "+1h "},
		{s: "2024-03-01T10:00:00+08:00", instant: true},
		{s: "2024-03-01T02:00:00Z", instant: true},
		{s: "2024-03-01T02:00:00.5Z", instant: true},
		{s: "2024-03-01T10:00:00"},
		{s: "2024-03-01 10:00:00+08:00"},
		{s: "2024-03-01"},
	} {
		_, err := scenario.ParseOffset(c.s)
		if ok := err == nil; ok != (c.offset && !c.outOfRangeOffset) {
			t.Errorf("ParseOffset(%q) error %v; the table says offset %v", c.s, err, c.offset)
		}
		if got := offset.MatchString(c.s); got != c.offset {
			t.Errorf("OffsetPattern matches %q: %v, want %v", c.s, got, c.offset)
		}
		if got := instant.MatchString(c.s); got != c.instant {
			t.Errorf("InstantPattern matches %q: %v, want %v", c.s, got, c.instant)
		}
		// The parser reads the text as a step's at: exactly when a pattern
		// matches it.
		src := "machine: refund\nstart: 2024-03-01T10:00:00+08:00\nsteps:\n  - at: '" + c.s + "'\n    advance: true\n"
		_, perr := scenario.Parse("x", []byte(src))
		if parsed, want := perr == nil, (c.offset && !c.outOfRangeOffset) || c.instant; parsed != want {
			t.Errorf("at: %q parses %v (%v), want %v", c.s, parsed, perr, want)
		}
	}
}

// The vocabulary is the parser's: every key and name it lists is
// accepted where it belongs, a name it does not list is refused, and the
// slices are the caller's to change.
func TestFileFormat(t *testing.T) {
	f := scenario.FileFormat()
	if len(f.Machines) != len(scenario.Machines()) {
		t.Fatalf("%d machines, Machines lists %d", len(f.Machines), len(scenario.Machines()))
	}
	for i, m := range f.Machines {
		info := scenario.Machines()[i]
		if m.Name != info.Name || !slices.Equal(m.Events, info.EventNames) || len(m.Rules) != len(info.Catalogue) {
			t.Errorf("machine %d: %s %v %d rules; Machines says %s %v %d rules", i, m.Name, m.Events, len(m.Rules), info.Name, info.EventNames, len(info.Catalogue))
		}
		if len(m.EffectKinds) == 0 || len(m.StartKeys) == 0 || len(m.FactKeys) == 0 || !slices.IsSorted(m.Sentinels) || len(m.Sentinels) == 0 {
			t.Errorf("%s: incomplete: %+v", m.Name, m)
		}
		for _, is := range m.Sentinels {
			for _, c := range []struct {
				errKeys string
				ok      bool
			}{
				{"{" + f.ErrorKeys[0] + ": " + m.Rules[0] + ", " + f.ErrorKeys[1] + ": " + is + "}", true},
				{"{rule: " + m.Rules[0] + ", is: " + is + ", code: 1}", false},
			} {
				src := "machine: " + m.Name + "\nstart: 2024-03-01T10:00:00+08:00\nsteps:\n  - at: +0s\n    advance: true\n    expect:\n      error: " + c.errKeys + "\n"
				if _, err := scenario.Parse("x", []byte(src)); (err == nil) != c.ok {
					t.Errorf("%s: error: %s parses %v (%v), want %v", m.Name, c.errKeys, err == nil, err, c.ok)
				}
			}
		}
		for _, k := range m.StartKeys {
			if slices.Contains(f.TopKeys, k) {
				t.Errorf("%s: start key %s is also a key of every file", m.Name, k)
			}
		}
	}
	for _, keys := range [][]string{f.TopKeys, f.StepKeys, f.ExpectKeys, f.DecisionKeys, f.PendingKeys} {
		if len(keys) == 0 {
			t.Errorf("empty key list in %+v", f)
		}
	}
	const unknown = "machine: refund\nstart: 2024-03-01T10:00:00+08:00\ncolour: red\nsteps: []\n"
	if _, err := scenario.Parse("x", []byte(unknown)); err == nil || !strings.Contains(err.Error(), strings.Join(f.TopKeys, ", ")) {
		t.Errorf("an unknown top-level key: %v; want the refusal to list %v", err, f.TopKeys)
	}
	f.TopKeys[0] = "changed"
	f.Machines[0].Events[0] = "changed"
	if g := scenario.FileFormat(); g.TopKeys[0] == "changed" || g.Machines[0].Events[0] == "changed" {
		t.Error("FileFormat shares its slices with the parser")
	}
}
