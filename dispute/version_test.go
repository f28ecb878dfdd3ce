package dispute

import (
	"errors"
	"testing"
	"testing/fstest"
	"time"
)

// DSP-12: a filing from 00:00 Asia/Shanghai on 2023-07-23 takes the
// revision; a second earlier the first version.
func TestVersionAtFiling(t *testing.T) {
	m := testMachine()
	rev := time.Date(2023, 7, 23, 0, 0, 0, 0, shanghai).UTC()
	tr := Trade{ID: "T1", Status: InProgress, PaidAt: rev.Add(-time.Hour)}
	for _, tc := range []struct {
		at   time.Time
		want string
	}{{rev.Add(-sec), "2018-12-29"}, {rev, "2023-07-23"}, {rev.Add(sec), "2023-07-23"}} {
		res := apply(t, m, tr, State{}, filing(), tc.at)
		if got := res.State.Complaints[0].Version; got != tc.want {
			t.Errorf("filed %v: version %s, want %s", tc.at, got, tc.want)
		}
		for _, d := range res.Decisions {
			if d.Version != tc.want {
				t.Errorf("filed %v: decision %v of version %s", tc.at, d, d.Version)
			}
		}
		if j := m.AdvanceAt(tr, res.State, tc.at.Add(72*time.Hour)).Effects[1].Act.(Judged); j.Version != tc.want {
			t.Errorf("judged by %s, want %s", j.Version, tc.want)
		}
	}
}

// A policy reloaded with an earlier version inserted does not change how
// a complaint in flight is judged; a dropped version is refused.
func TestPinnedVersion(t *testing.T) {
	filedAt := time.Date(2022, 5, 1, 9, 0, 0, 0, shanghai).UTC()
	tr := Trade{ID: "T1", Status: InProgress, PaidAt: filedAt.Add(-time.Hour)}
	m := testMachine()
	s := apply(t, m, tr, State{}, filing(), filedAt).State
	s = apply(t, m, tr, s, Reply{Complaint: 1}, filedAt.Add(time.Hour)).State
	if s.Complaints[0].Version != "2018-12-29" {
		t.Fatalf("version %s", s.Complaints[0].Version)
	}
	inserted, err := DefaultPolicy().Override(fstest.MapFS{"v.yaml": {Data: []byte(
		"policy: dispute\nversion: 2020-01-01\nthresholds:\n  reply_period: 'duration(\"24h\")'\n  day3_end: 'duration(\"36h\")'\n")}})
	if err != nil {
		t.Fatal(err)
	}
	m2 := New(Options{Policy: inserted})
	u := filedAt.Add(2 * time.Hour)
	c := apply(t, m2, tr, s, Unsatisfied{Complaint: 1}, u).State.Complaints[0]
	if !c.Deadline.Equal(u.Add(48*time.Hour)) || !c.Day3End.Equal(u.Add(72*time.Hour)) {
		t.Errorf("new round judged by the inserted version: due %v, day 3 ends %v", c.Deadline, c.Day3End)
	}
	if c := apply(t, m2, tr, State{}, filing(), filedAt).State.Complaints[0]; c.Version != "2020-01-01" || !c.Deadline.Equal(filedAt.Add(24*time.Hour)) {
		t.Errorf("a new filing: version %s due %v", c.Version, c.Deadline)
	}

	gone := s.Clone()
	gone.Complaints[0].Version = "2019-06-01"
	if _, err := m.ApplyAt(tr, gone, Unsatisfied{Complaint: 1}, u); !errors.Is(err, ErrPolicy) {
		t.Errorf("unknown pinned version: %v, want ErrPolicy", err)
	}
}
