package provider

import (
	"strconv"
	"testing"
	"testing/fstest"
	"time"
)

// t0 is the tests' first instant: 2024-03-01 10:00 in Asia/Shanghai.
var t0 = time.Date(2024, 3, 1, 2, 0, 0, 0, time.UTC)

const day = 24 * time.Hour

func start(t *testing.T) State {
	t.Helper()
	s, err := Start("sp-1")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// must applies e at now and fails the test on a refusal.
func must(t *testing.T, m *Machine, s State, e Event, now time.Time) Result {
	t.Helper()
	res, err := m.ApplyAt(s, e, now)
	if err != nil {
		t.Fatalf("ApplyAt(%s) at %v: %v", e.Name(), now, err)
	}
	if err := res.State.Validate(); err != nil {
		t.Fatalf("ApplyAt(%s): %v", e.Name(), err)
	}
	return res
}

// kinds lists the effects' kinds.
func kinds(es []Effect) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Kind()
	}
	return out
}

// judged returns a state with one case judged on f at t0+2h.
func judged(t *testing.T, m *Machine, f Finding) State {
	t.Helper()
	s := start(t)
	s = must(t, m, s, Open{Origin: Inspection, OccurredAt: t0}, t0.Add(time.Hour)).State
	return must(t, m, s, Judge{Case: 1, Finding: f}, t0.Add(2*time.Hour)).State
}

// noticed returns judged(f) with its notice sent at t0+3h.
func noticed(t *testing.T, m *Machine, f Finding) State {
	t.Helper()
	s := judged(t, m, f)
	return must(t, m, s, NoticeSent{Case: 1, SentAt: t0.Add(3 * time.Hour)}, t0.Add(3*time.Hour)).State
}

func mapFS(yaml string) fstest.MapFS { return fstest.MapFS{"p.yaml": {Data: []byte(yaml)}} }

func itoa(n int) string { return strconv.Itoa(n) }
