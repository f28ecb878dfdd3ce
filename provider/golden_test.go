package provider

import (
	"bytes"
	"encoding/json"
	"flag"
	"path/filepath"
	"testing"
	"time"

	"github.com/tradepolicy/tradepolicy/internal/goldentest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGoldenLifecycle pins the wire form of states, effects and decisions:
// a host's stored rows and outbox must keep decoding across releases.
func TestGoldenLifecycle(t *testing.T) {
	m := New(Options{})
	s := start(t)
	steps := []struct {
		e   Event
		now time.Time
	}{
		{Open{Origin: MerchantComplaint, OccurredAt: t0, Resolve: true}, t0},
		{Temporary{Case: 1, Measures: []Measure{StopResources}}, t0.Add(time.Hour)},
		{Judge{Case: 1, Finding: Finding{Clause: 20, Staff: []string{"zhang"}}}, t0.Add(2 * time.Hour)},
		{NoticeSent{Case: 1, SentAt: t0.Add(2 * time.Hour)}, t0.Add(3 * time.Hour)},
		{nil, t0.Add(10 * day)},
	}
	var buf bytes.Buffer
	for _, st := range steps {
		var res Result
		if st.e == nil {
			res = m.AdvanceAt(s, st.now)
		} else {
			res = must(t, m, s, st.e, st.now)
		}
		s = res.State
		entry, _ := json.Marshal(Entry{At: st.now, Event: st.e})
		out, err := json.MarshalIndent(res, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		buf.Write(entry)
		buf.WriteString("\n")
		buf.Write(out)
		buf.WriteString("\n\n")
	}
	path := filepath.Join("testdata", "lifecycle.golden")
	goldentest.Check(t, path, buf.String(), *update)
}
