package provider_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/tradepolicy/tradepolicy/provider"
	"github.com/tradepolicy/tradepolicy/provider/providertest"
)

var mt0 = time.Date(2024, 3, 1, 2, 0, 0, 0, time.UTC)

// model runs a machine over random events and clock moves, checking the
// invariants after every step and recording the log for a replay.
type model struct {
	m       *provider.Machine
	s       provider.State
	now     time.Time
	next    time.Time
	log     []provider.Entry
	outputs [][]byte // each step's state and effects, as JSON
	ended   bool
}

func (md *model) step(t *rapid.T, e provider.Event) {
	before := md.s.Clone()
	keep, _ := json.Marshal(md.s)
	var res provider.Result
	if e == nil {
		res = md.m.AdvanceAt(md.s, md.now)
	} else {
		var err error
		res, err = md.m.ApplyAt(md.s, e, md.now)
		if err != nil {
			// Nothing lost on refusal: the advanced state and the fired
			// deadlines' effects, and nothing of the event.
			adv := md.m.AdvanceAt(md.s, md.now)
			if !bytes.Equal(output(adv), output(res)) {
				t.Fatalf("refused %#v (%v):\n%s\nwant the advance\n%s", e, err, output(res), output(adv))
			}
		}
	}
	if again, _ := json.Marshal(md.s); !bytes.Equal(keep, again) {
		t.Fatalf("%v changed its input", e)
	}
	if err := providertest.Check(before, res, md.now); err != nil {
		t.Fatalf("after %#v at %v: %v", e, md.now, err)
	}
	if e == nil {
		// Deadlines fire in order, each once, between the last instant and now.
		last := before.Last
		for _, ef := range res.Effects {
			if !ef.At.After(before.Last) || ef.At.Before(last) || ef.At.After(md.now) {
				t.Fatalf("deadline effect %d at %v out of order (last %v, now %v)", ef.ID, ef.At, last, md.now)
			}
			last = ef.At
		}
		if again := md.m.AdvanceAt(res.State, md.now); len(again.Effects) != 0 {
			t.Fatalf("a second advance at %v fired %v", md.now, again.Effects)
		}
	}
	if md.ended && res.State.Standing == provider.Active {
		t.Fatal("a terminated provider regained its standing")
	}
	md.ended = res.State.Standing != provider.Active
	md.s, md.next = res.State, res.Next
	md.log = append(md.log, provider.Entry{At: md.now, Event: e})
	md.outputs = append(md.outputs, output(res))
}

func output(res provider.Result) []byte {
	b, err := json.Marshal(struct {
		State   provider.State    `json:"state"`
		Effects []provider.Effect `json:"effects"`
	}{res.State, res.Effects})
	if err != nil {
		panic(err)
	}
	return b
}

func TestModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s, _ := provider.Start("sp-1")
		md := &model{m: provider.New(provider.Options{}), s: s, now: mt0}
		t.Repeat(map[string]func(*rapid.T){
			"apply": func(t *rapid.T) {
				md.step(t, providertest.Event(md.s, md.now).Draw(t, "event"))
			},
			"advance": func(t *rapid.T) {
				md.now = md.now.Add(time.Duration(rapid.Int64Range(0, 3*24*3600).Draw(t, "seconds")) * time.Second)
				md.step(t, nil)
			},
			"deadline": func(t *rapid.T) {
				if md.next.IsZero() {
					t.Skip("no deadline")
				}
				md.now = md.next.Add(time.Duration(rapid.IntRange(-1, 1).Draw(t, "off")) * time.Second)
				if md.now.Before(md.s.Last) {
					md.now = md.s.Last
				}
				if rapid.Bool().Draw(t, "with_event") {
					md.step(t, providertest.Event(md.s, md.now).Draw(t, "event"))
				} else {
					md.step(t, nil)
				}
			},
			"behind": func(t *rapid.T) {
				// A clock behind the state changes nothing.
				if md.s.Last.IsZero() {
					t.Skip("no last instant")
				}
				res, err := md.m.ApplyAt(md.s, provider.Clear{Case: 1}, md.s.Last.Add(-time.Second))
				if !errors.Is(err, provider.ErrClockBehind) || !bytes.Equal(output(res), output(provider.Result{State: md.s})) {
					t.Fatalf("clock behind: %v", err)
				}
				if adv := md.m.AdvanceAt(md.s, md.s.Last.Add(-time.Second)); len(adv.Effects) > 0 || adv.Next != md.next {
					t.Fatalf("advance behind the clock: %v", adv.Effects)
				}
			},
			"": func(t *rapid.T) {
				if err := md.s.Validate(); err != nil {
					t.Fatal(err)
				}
			},
		})
		replay(t, md)
	})
}

// replay writes the log as JSON, reads it back and runs it again: every
// step's state and effects are byte-identical.
func replay(t *rapid.T, md *model) {
	var buf bytes.Buffer
	for _, e := range md.log {
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatalf("encode entry: %v", err)
		}
		buf.Write(b)
		buf.WriteByte('\n')
	}
	s, _ := provider.Start("sp-1")
	m := provider.New(provider.Options{})
	for i, line := range bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		var e provider.Entry
		if err := json.Unmarshal(line, &e); err != nil {
			t.Fatalf("decode %s: %v", line, err)
		}
		var res provider.Result
		if e.Event == nil {
			res = m.AdvanceAt(s, e.At)
		} else {
			res, _ = m.ApplyAt(s, e.Event, e.At)
		}
		if got := output(res); !bytes.Equal(got, md.outputs[i]) {
			t.Fatalf("replay step %d (%s) differs:\n%s\n%s", i, line, md.outputs[i], got)
		}
		s = res.State
	}
}
