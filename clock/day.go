package clock

import "time"

// StartOfDay returns the first instant of the civil date year-month-day in
// loc (UTC if loc is nil), in loc. Out-of-range months and days are
// normalised as by [time.Date].
//
// Unlike time.Date(year, month, day, 0, 0, 0, 0, loc) it is right on days
// whose midnight does not exist because the clocks jump over it: in
// America/Sao_Paulo on 2018-11-04 clocks went from 00:00 to 01:00, so the
// day starts at 01:00 -02:00, where time.Date answers 23:00 the day before.
// Where midnight happens twice, the first one is the start.
//
// The result r satisfies: r's civil date in loc is the given date, and
// r.Add(-time.Nanosecond)'s is earlier. The one exception is a date a zone
// skipped altogether (Pacific/Apia dropped 2011-12-30 when it crossed the
// date line); then r is the start of the next date that exists.
func StartOfDay(year int, month time.Month, day int, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	target := civil(time.Date(year, month, day, 0, 0, 0, 0, time.UTC), time.UTC)
	isStart := func(r time.Time) bool {
		return civil(r, loc) >= target && civil(r.Add(-time.Nanosecond), loc) < target
	}

	// Fast path: time.Date is right unless a transition is near.
	guess := time.Date(year, month, day, 0, 0, 0, 0, loc)
	if start, end := guess.ZoneBounds(); isStart(guess) &&
		(start.IsZero() || guess.Sub(start) > 48*time.Hour) &&
		(end.IsZero() || end.Sub(guess) > 48*time.Hour) {
		return guess
	}

	// Slow path: look at each zone period within two days of the date. The
	// day starts either at a wall-clock midnight inside a period, or at the
	// transition that opens a period.
	wall := time.Unix(target*secondsPerDay, 0)
	var best time.Time
	consider := func(r time.Time) {
		if isStart(r) && (best.IsZero() || r.Before(best)) {
			best = r
		}
	}
	for p := wall.Add(-48 * time.Hour).In(loc); p.Before(wall.Add(48 * time.Hour)); {
		start, end := p.ZoneBounds()
		_, offset := p.Zone()
		midnight := wall.Add(-time.Duration(offset) * time.Second)
		if (start.IsZero() || !midnight.Before(start)) && (end.IsZero() || midnight.Before(end)) {
			consider(midnight)
		}
		if !start.IsZero() {
			consider(start)
		}
		if end.IsZero() {
			break
		}
		p = end
	}
	if best.IsZero() {
		return guess // unreachable with real zone data
	}
	return best.In(loc)
}

const secondsPerDay = 24 * 60 * 60

// civil returns t's civil date in loc as days since 1970-01-01.
func civil(t time.Time, loc *time.Location) int64 {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / secondsPerDay
}
