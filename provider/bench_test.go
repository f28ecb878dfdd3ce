package provider

import (
	"fmt"
	"syscall"
	"testing"
	"time"
)

// cpuTime returns the process's user+system CPU time. The benchmarks
// report it per unit beside wall-clock time, because the machine they run
// on is shared and wall-clock time there measures the other tenants too.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// lifecycle is one case from complaint to a failed objection: six events.
func lifecycle(now time.Time) []Event {
	return []Event{
		Open{Origin: MerchantComplaint, OccurredAt: now, Resolve: true},
		Temporary{Case: 1, Measures: []Measure{StopResources}},
		Judge{Case: 1, Finding: Finding{Clause: 18}},
		NoticeSent{Case: 1, SentAt: now},
		Object{Case: 1, Proof: "reply"},
		RuleObjection{Case: 1, Valid: false},
	}
}

// BenchmarkApply: ns per event of the policy-driven machine.
func BenchmarkApply(b *testing.B) {
	m := New(Options{})
	s0, _ := Start("sp")
	evs := lifecycle(t0)
	b.ReportAllocs()
	c0 := cpuTime()
	for b.Loop() {
		s := s0
		for _, e := range evs {
			res, err := m.ApplyAt(s, e, t0)
			if err != nil {
				b.Fatal(err)
			}
			s = res.State
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(evs)), "ns/event")
	b.ReportMetric(float64((cpuTime()-c0).Nanoseconds())/float64(b.N*len(evs)), "cpu-ns/event")
}

// floor is a hand-written case machine for the same six transitions:
// constant periods, a switch, no policy, no validation, no decisions.
type floor struct {
	status             uint8
	resolveBy, objBy   time.Time
	measures, temp     uint8
	seq                uint64
	effects            []uint8
	record             int
	noticeAt, judgedAt time.Time
}

func (f *floor) apply(e Event, now time.Time) error {
	switch e := e.(type) {
	case Open:
		f.status, f.resolveBy = 1, now.Add(7*day)
		f.seq++
		f.effects = append(f.effects, 1)
	case Temporary:
		if f.status != 1 {
			return ErrNotAllowed
		}
		for _, m := range e.Measures {
			f.temp |= 1 << m
		}
		f.seq++
		f.effects = append(f.effects, 2)
	case Judge:
		if f.status != 1 {
			return ErrNotAllowed
		}
		cls := clauses[e.Finding.Clause].Class
		f.measures = 0b1110
		if cls == ClassI {
			f.measures = 0b110000
		}
		f.temp &^= f.measures
		f.status, f.judgedAt, f.record = 2, now, f.record+1
		f.seq += 2
		f.effects = append(f.effects, 3, 4)
	case NoticeSent:
		if f.status != 2 {
			return ErrNotAllowed
		}
		f.status, f.noticeAt, f.objBy = 3, e.SentAt, e.SentAt.Add(7*day)
	case Object:
		if f.status != 3 || !now.Before(f.objBy) {
			return ErrObjectionLate
		}
		f.status = 4
	case RuleObjection:
		if f.status != 4 {
			return ErrNotAllowed
		}
		f.status = 5
		f.seq++
		f.effects = append(f.effects, 5)
	}
	return nil
}

// BenchmarkApplyFloor: the hand-written floor for BenchmarkApply.
func BenchmarkApplyFloor(b *testing.B) {
	evs := lifecycle(t0)
	b.ReportAllocs()
	c0 := cpuTime()
	for b.Loop() {
		f := floor{}
		for _, e := range evs {
			if err := f.apply(e, t0); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(evs)), "ns/event")
	b.ReportMetric(float64((cpuTime()-c0).Nanoseconds())/float64(b.N*len(evs)), "cpu-ns/event")
}

// BenchmarkAdvance: an advance that closes one objection period, on a
// provider with cases cases on record.
func BenchmarkAdvance(b *testing.B) {
	b.Run("nothing_due", func(b *testing.B) {
		m := New(Options{})
		s, _ := Start("sp")
		res, err := m.ApplyAt(s, Open{Origin: MerchantComplaint, OccurredAt: t0, Resolve: true}, t0)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if res := m.AdvanceAt(res.State, t0.Add(day)); len(res.Effects) != 0 {
				b.Fatal("fired")
			}
		}
	})
	for _, cases := range []int{1, 10} {
		b.Run(fmt.Sprintf("cases=%d", cases), func(b *testing.B) {
			m := New(Options{})
			s, _ := Start("sp")
			now := t0
			for i := 1; i <= cases; i++ {
				for _, e := range []Event{Open{Origin: Inspection, OccurredAt: now}, Judge{Case: i, Finding: Finding{Clause: 27}}, NoticeSent{Case: i, SentAt: now}} {
					res, err := m.ApplyAt(s, e, now)
					if err != nil {
						b.Fatal(err)
					}
					s = res.State
				}
				if i < cases {
					now = now.Add(400 * day) // outside the record window: never serious
					s = m.AdvanceAt(s, now).State
				}
			}
			at := now.Add(7 * day)
			b.ReportAllocs()
			for b.Loop() {
				if res := m.AdvanceAt(s, at); len(res.Effects) != 1 {
					b.Fatalf("%d effects", len(res.Effects))
				}
			}
		})
	}
}

// merchants returns n merchants of which about one in ten shares a name
// or an address with another, in mixed widths and cases.
func merchants(n int) []Merchant {
	ms := make([]Merchant, n)
	for i := range ms {
		ms[i] = Merchant{ID: fmt.Sprintf("m%07d", i), Name: fmt.Sprintf("Shop %d", i), Address: fmt.Sprintf("%d Road", i), Location: fmt.Sprintf("%d,%d", i, i*7)}
		switch i % 20 {
		case 1:
			ms[i].Name = fmt.Sprintf("ＳＨＯＰ　%d", i-1)
		case 2:
			ms[i].Address = fmt.Sprintf("%d  road", i-1)
		}
	}
	return ms
}

// BenchmarkDuplicates: duplicate detection over 10^3, 10^4 and 10^5
// merchants; ns/merchant stays flat when the growth is near-linear.
func BenchmarkDuplicates(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		ms := merchants(n)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			c0 := cpuTime()
			for b.Loop() {
				g, err := DuplicateMerchants(ms)
				if err != nil || len(g) == 0 {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/merchant")
			b.ReportMetric(float64((cpuTime()-c0).Nanoseconds())/float64(b.N*n), "cpu-ns/merchant")
		})
	}
}
