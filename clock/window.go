package clock

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ErrBadWindow is the error, wrapped with the offending text, that
// [ParseWindow] and [Window.UnmarshalText] return for text that is not a
// window, and that [Window.MarshalText] returns for an invalid window.
var ErrBadWindow = errors.New("clock: bad window")

// MaxDays bounds calendar windows (about 2,700 years) so that date
// arithmetic cannot overflow: [ParseWindow] and days(n) in rule files
// accept 1 to MaxDays days.
const MaxDays = 1_000_000

// A Window is a policy period that starts at an event: either a number of
// calendar days in the policy's time zone, or an exact duration.
//
// A Window is a comparable value. The zero value is an exact window of
// length zero, whose [Window.End] is the event itself. A valid window has
// exactly one of its fields set, or neither; [Days] and [Exactly] build
// valid windows and [ParseWindow] returns only valid windows.
//
// A Window encodes as text (its [Window.String] form) in JSON, YAML and
// any other encoding that honours [encoding.TextMarshaler].
type Window struct {
	// Days, if > 0, makes the window calendar days counted from the day
	// after the event: it closes at the start of day Days+1.
	Days int `json:"days,omitempty"`
	// Duration is the exact length of the window, used when Days == 0.
	// It should not be negative.
	Duration time.Duration `json:"duration,omitempty"`
}

// Days returns a window of n calendar days counted from the day after the
// event. n should be between 1 and [MaxDays]; Days(0) is the zero window.
func Days(n int) Window { return Window{Days: n} }

// Exactly returns a window of exactly d, which should not be negative.
func Exactly(d time.Duration) Window { return Window{Duration: d} }

// IsCalendar reports whether w counts calendar days rather than an exact
// duration.
func (w Window) IsCalendar() bool { return w.Days > 0 }

// End returns the instant at which a window that opened at t closes,
// in UTC with no monotonic clock reading. The window is open for instants
// before End and closed from End on.
//
// An exact window closes at t.Add(w.Duration); loc is not used.
//
// A calendar window of n days counts civil dates in loc (UTC if loc is
// nil). If t falls on civil date D, day 1 of the window is D+1, day n is
// D+n, and the window closes at the start of D+n+1: the first instant whose
// civil date in loc is D+n+1, as [StartOfDay] finds it. Its length in hours
// therefore varies across daylight-saving changes, as a person counting
// days on a calendar would expect. For example, days(7) from 2024-03-01
// 15:04 in Asia/Shanghai closes at 2024-03-09 00:00 +08:00.
func (w Window) End(t time.Time, loc *time.Location) time.Time {
	if !w.IsCalendar() {
		return t.Add(w.Duration).UTC()
	}
	if loc == nil {
		loc = time.UTC
	}
	y, m, d := t.In(loc).Date()
	return StartOfDay(y, m, d+w.Days+1, loc).UTC()
}

// String returns the canonical text of w: "days(N)" for a calendar window
// and `duration("D")` for an exact one, where D is [time.Duration.String].
// Both forms are also CEL expressions in the rule files. An invalid window
// (both fields set) prints as "clock.Window{Days:N, Duration:D}", which does
// not parse.
func (w Window) String() string {
	switch {
	case w.Days == 0:
		return `duration("` + FormatDuration(w.Duration) + `")`
	case w.Days > 0 && w.Duration == 0:
		return "days(" + strconv.Itoa(w.Days) + ")"
	default:
		return fmt.Sprintf("clock.Window{Days:%d, Duration:%s}", w.Days, w.Duration)
	}
}

// FormatDuration writes d as rule files write it: 48h, 1h30m, 1m30s —
// time.Duration.String without its trailing zero minutes and seconds.
// time.ParseDuration reads it back.
func FormatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// ParseWindow parses a window written in any of these forms:
//
//	days(7)             7 calendar days
//	7d                  the same
//	duration("240h")    exactly 240 hours (single quotes also work)
//	240h                the same: any [time.ParseDuration] text
//
// Surrounding spaces are ignored. Days must be between 1 and [MaxDays] and
// durations must not be negative. Errors wrap [ErrBadWindow].
// The [Window.String] of the result parses back to the same window.
func ParseWindow(s string) (Window, error) {
	text := strings.TrimSpace(s)
	if inner, ok := cut(text, "days(", ")"); ok {
		return parseDays(s, strings.TrimSpace(inner))
	}
	if digits, ok := strings.CutSuffix(text, "d"); ok && digits != "" && allDigits(digits) {
		return parseDays(s, digits)
	}
	if inner, ok := cut(text, "duration(", ")"); ok {
		inner = strings.TrimSpace(inner)
		if len(inner) < 2 || (inner[0] != '"' && inner[0] != '\'') || inner[len(inner)-1] != inner[0] {
			return Window{}, fmt.Errorf("%w %q: duration needs a quoted argument", ErrBadWindow, s)
		}
		return parseDuration(s, inner[1:len(inner)-1])
	}
	return parseDuration(s, text)
}

func cut(s, prefix, suffix string) (string, bool) {
	rest, ok := strings.CutPrefix(s, prefix)
	if !ok {
		return "", false
	}
	return strings.CutSuffix(rest, suffix)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func parseDays(s, digits string) (Window, error) {
	if digits == "" || !allDigits(digits) {
		return Window{}, fmt.Errorf("%w %q: days need a whole number", ErrBadWindow, s)
	}
	n, err := strconv.Atoi(digits)
	if err != nil || n < 1 || n > MaxDays {
		return Window{}, fmt.Errorf("%w %q: days must be between 1 and %d", ErrBadWindow, s, MaxDays)
	}
	return Days(n), nil
}

func parseDuration(s, text string) (Window, error) {
	d, err := time.ParseDuration(text)
	if err != nil {
		return Window{}, fmt.Errorf("%w %q: not days(N), Nd or a duration", ErrBadWindow, s)
	}
	if d < 0 {
		return Window{}, fmt.Errorf("%w %q: negative duration", ErrBadWindow, s)
	}
	return Exactly(d), nil
}

func (w Window) valid() bool {
	if w.Days == 0 {
		return w.Duration >= 0
	}
	return w.Days > 0 && w.Days <= MaxDays && w.Duration == 0
}

// MarshalText implements [encoding.TextMarshaler] with the [Window.String]
// form. It fails, wrapping [ErrBadWindow], for a window that
// [ParseWindow] could not return, so what is written can be read back.
func (w Window) MarshalText() ([]byte, error) {
	if !w.valid() {
		return nil, fmt.Errorf("%w: %s", ErrBadWindow, w)
	}
	return []byte(w.String()), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler] with [ParseWindow].
func (w *Window) UnmarshalText(text []byte) error {
	v, err := ParseWindow(string(text))
	if err != nil {
		return err
	}
	*w = v
	return nil
}
