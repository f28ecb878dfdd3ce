package dispute

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/tradepolicy/tradepolicy/clock"
)

// DSP-5: the notes of the two timeouts name the windows of the version
// that judges the complaint, so a version that moves day3_end reads true.
func TestDay3NotesFollowVersion(t *testing.T) {
	set, err := DefaultPolicy().Override(fstest.MapFS{"v.yaml": {Data: []byte(
		"policy: dispute\nversion: 2024-01-01\nthresholds:\n  reply_period: 'duration(\"24h\")'\n  day3_end: 'duration(\"96h\")'\n")}})
	if err != nil {
		t.Fatal(err)
	}
	m := New(Options{Policy: set, Clock: clock.NewManual(t0)})
	s := apply(t, m, inTrade, State{}, filing(), t0).State
	res := m.AdvanceAt(inTrade, s, t0.Add(96*time.Hour))
	var notes []string
	for _, d := range res.Decisions {
		if d.Rule == "DSP-5" && d.Note != "" {
			notes = append(notes, d.Note)
		}
	}
	want := []string{
		"no reply within reply_period = 24h: until day3_end = 96h after the round began, the buyer may ask for intervention and a late reply is still accepted",
		"neither a reply nor an intervention request within day3_end = 96h: closed, valid",
	}
	if diff := cmp.Diff(want, notes); diff != "" {
		t.Errorf("DSP-5 notes (-want +got):\n%s", diff)
	}
	for _, n := range notes {
		if strings.Contains(n, "day 3") {
			t.Errorf("note %q names day 3 under a version whose day3_end is 96h", n)
		}
	}
}
