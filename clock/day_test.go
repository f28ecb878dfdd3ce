package clock_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/tradepolicy/tradepolicy/clock"
)

func TestStartOfDay(t *testing.T) {
	tests := []struct {
		zone       string
		y          int
		m          time.Month
		d          int
		want       string // RFC 3339 in the zone
		wantUTC    string
		midnightOK bool // whether time.Date happens to agree
	}{
		{"Asia/Shanghai", 2024, time.March, 9, "2024-03-09T00:00:00+08:00", "2024-03-08T16:00:00Z", true},
		{"America/Sao_Paulo", 2018, time.November, 4, "2018-11-04T01:00:00-02:00", "2018-11-04T03:00:00Z", false},
		{"America/Santiago", 2008, time.October, 12, "2008-10-12T01:00:00-03:00", "2008-10-12T04:00:00Z", false},
		{"Asia/Tehran", 2020, time.March, 21, "2020-03-21T01:00:00+04:30", "2020-03-20T20:30:00Z", true},
		// Clocks went back at 24:00 to 23:00, so midnight comes once, an hour later.
		{"Asia/Tehran", 2020, time.September, 22, "2020-09-22T00:00:00+03:30", "2020-09-21T20:30:00Z", true},
		// Clocks went back at 01:00 to 00:00: midnight twice, the first one counts.
		{"America/Havana", 2020, time.November, 1, "2020-11-01T00:00:00-04:00", "2020-11-01T04:00:00Z", true},
		{"America/New_York", 2024, time.March, 10, "2024-03-10T00:00:00-05:00", "2024-03-10T05:00:00Z", true},
		// Apia skipped 30 December 2011; the next day that exists begins.
		{"Pacific/Apia", 2011, time.December, 30, "2011-12-31T00:00:00+14:00", "2011-12-30T10:00:00Z", false},
		// Out-of-range days normalise like time.Date.
		{"Asia/Shanghai", 2024, time.February, 30, "2024-03-01T00:00:00+08:00", "2024-02-29T16:00:00Z", true},
	}
	for _, tt := range tests {
		loc := clock.MustZone(tt.zone)
		got := clock.StartOfDay(tt.y, tt.m, tt.d, loc)
		if diff := cmp.Diff([]string{tt.want, tt.wantUTC}, []string{got.Format(time.RFC3339), got.UTC().Format(time.RFC3339)}); diff != "" {
			t.Errorf("StartOfDay(%d, %v, %d, %s) (-want +got):\n%s", tt.y, tt.m, tt.d, tt.zone, diff)
		}
		naive := time.Date(tt.y, tt.m, tt.d, 0, 0, 0, 0, loc)
		if agree := naive.Equal(got); agree != tt.midnightOK {
			t.Errorf("%s %d-%02d-%02d: time.Date gives %v; agreement = %t, want %t", tt.zone, tt.y, tt.m, tt.d, naive, agree, tt.midnightOK)
		}
	}
}

// propertyZones covers gaps and overlaps at midnight, half-hour and
// half-hour-offset zones, a skipped date and zones with no DST.
var propertyZones = []string{
	"UTC", "Asia/Shanghai", "America/Sao_Paulo", "America/Santiago", "Asia/Tehran",
	"Europe/London", "America/New_York", "Australia/Lord_Howe", "Pacific/Apia",
	"America/Havana", "Asia/Beirut", "Africa/Casablanca", "Pacific/Kiritimati", "Asia/Kathmandu",
}

// skippedDates lists the civil dates, among propertyZones and 1990-2035,
// that never happened.
var skippedDates = map[string]date{
	"Pacific/Apia":       {2011, time.December, 30},
	"Pacific/Kiritimati": {1994, time.December, 31},
}

type date struct {
	y int
	m time.Month
	d int
}

func dateOf(t time.Time, loc *time.Location) date {
	y, m, d := t.In(loc).Date()
	return date{y, m, d}
}

// days returns d as a day count, for ordering.
func (d date) days() int64 {
	return time.Date(d.y, d.m, d.d, 0, 0, 0, 0, time.UTC).Unix() / (24 * 60 * 60)
}

func (d date) add(n int) date {
	return dateOf(time.Date(d.y, d.m, d.d+n, 12, 0, 0, 0, time.UTC), time.UTC)
}

var (
	first = time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	last  = time.Date(2035, 12, 31, 0, 0, 0, 0, time.UTC).Unix()
)

func genZone() *rapid.Generator[*time.Location] {
	return rapid.Custom(func(t *rapid.T) *time.Location {
		return clock.MustZone(rapid.SampledFrom(propertyZones).Draw(t, "zone"))
	})
}

func genInstant() *rapid.Generator[time.Time] {
	return rapid.Custom(func(t *rapid.T) time.Time {
		sec := rapid.Int64Range(first, last).Draw(t, "unix")
		nsec := rapid.OneOf(rapid.Just(int64(0)), rapid.Int64Range(0, 999_999_999)).Draw(t, "nsec")
		return time.Unix(sec, nsec).UTC()
	})
}

// fataler is the part of *testing.T and *rapid.T that checkStart uses.
type fataler interface {
	Helper()
	Fatalf(format string, args ...any)
}

// checkStart asserts that r is the first instant of civil date want in loc.
func checkStart(t fataler, r time.Time, want date, loc *time.Location) {
	t.Helper()
	got, before := dateOf(r, loc), dateOf(r.Add(-time.Nanosecond), loc)
	if before.days() >= want.days() {
		t.Fatalf("start of %v in %v is %v, but the instant before is already %v", want, loc, r, before)
	}
	if got == want {
		return
	}
	if skipped, ok := skippedDates[loc.String()]; ok && skipped == want && got == want.add(1) {
		return
	}
	t.Fatalf("start of %v in %v is %v, whose date is %v", want, loc, r, got)
}

func TestStartOfDayProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		loc := genZone().Draw(t, "loc")
		want := dateOf(genInstant().Draw(t, "day"), time.UTC)
		r := clock.StartOfDay(want.y, want.m, want.d, loc)
		if r.Location() != loc {
			t.Fatalf("StartOfDay returned location %v, want %v", r.Location(), loc)
		}
		checkStart(t, r, want, loc)
	})
}

// TestStartOfDayEveryTransition checks the days around every zone
// transition in propertyZones between 1990 and 2035, where mistakes live.
func TestStartOfDayEveryTransition(t *testing.T) {
	for _, name := range propertyZones {
		loc := clock.MustZone(name)
		for p := time.Unix(first, 0).In(loc); p.Unix() < last; {
			_, end := p.ZoneBounds()
			if end.IsZero() {
				break
			}
			for _, probe := range []time.Time{end.Add(-time.Nanosecond), end} {
				day := dateOf(probe, loc)
				for n := -1; n <= 1; n++ {
					d := day.add(n)
					r := clock.StartOfDay(d.y, d.m, d.d, loc)
					checkStart(t, r, d, loc)
				}
			}
			p = end
		}
	}
}

func TestWindowEndProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		loc := genZone().Draw(t, "loc")
		at := genInstant().Draw(t, "at")
		n := rapid.IntRange(1, 400).Draw(t, "days")
		end := clock.Days(n).End(at, loc)
		checkStart(t, end, dateOf(at, loc).add(n+1), loc)
		if !end.After(at) {
			t.Fatalf("days(%d) from %v closes at %v, not after", n, at, end)
		}
		if end.Location() != time.UTC {
			t.Fatalf("End returned location %v", end.Location())
		}
	})
}

func TestWindowEndMonotone(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		loc := genZone().Draw(t, "loc")
		a := genInstant().Draw(t, "a")
		b := a.Add(time.Duration(rapid.Int64Range(0, int64(72*time.Hour)).Draw(t, "gap")))
		n := rapid.IntRange(1, 60).Draw(t, "days")
		m := n + rapid.IntRange(0, 60).Draw(t, "more")
		if ea, eb := clock.Days(n).End(a, loc), clock.Days(n).End(b, loc); eb.Before(ea) {
			t.Fatalf("days(%d): later event %v closes at %v, before %v for %v", n, b, eb, ea, a)
		}
		if en, em := clock.Days(n).End(a, loc), clock.Days(m).End(a, loc); em.Before(en) {
			t.Fatalf("from %v: days(%d) closes at %v, before days(%d) at %v", a, m, em, n, en)
		}
		d := time.Duration(rapid.Int64Range(0, int64(1000*time.Hour)).Draw(t, "duration"))
		if got, want := clock.Exactly(d).End(a, loc), a.Add(d); !got.Equal(want) {
			t.Fatalf("Exactly(%v).End(%v) = %v, want %v", d, a, got, want)
		}
	})
}
