package scenario

import (
	"errors"
	"fmt"
	"time"
)

// when is the at: of a step: an absolute instant, or an offset from the
// previous step (from start: for the first step).
type when struct {
	abs    time.Time
	offset time.Duration
	rel    bool
	text   string
}

// resolve returns the instant of a step whose previous step was at prev.
func (w when) resolve(prev time.Time) time.Time {
	if w.rel {
		return prev.Add(w.offset)
	}
	return w.abs
}

const maxOffset = 100 * 366 * 24 * time.Hour

var errAt = errors.New(`want an RFC 3339 instant with its offset (2024-03-01T10:00:00+08:00) or an offset from the previous step (+2d3h, +48h, +1s, +2d-1s)`)

// parseWhen parses an at: value.
func parseWhen(s string) (when, error) {
	if len(s) > 0 && s[0] == '+' {
		d, err := ParseOffset(s)
		if err != nil {
			return when{}, err
		}
		return when{offset: d, rel: true, text: s}, nil
	}
	t, err := parseInstant(s)
	if err != nil {
		return when{}, fmt.Errorf("%q: %w", s, errAt)
	}
	return when{abs: t, text: s}, nil
}

// parseInstant parses an RFC 3339 instant, which always has its offset.
func parseInstant(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, err
	}
	return t, nil
}

// ParseOffset parses an offset of a scenario step: a '+' and one or more
// terms, each a whole number and a unit d (24 hours), h, m or s, each
// term after the first optionally signed: "+2d3h", "+48h", "+1s",
// "+2d-1s" (one second before two days), "+0s". The total is never
// negative: a step is never earlier than the one before it.
func ParseOffset(s string) (time.Duration, error) {
	if len(s) < 3 || s[0] != '+' {
		return 0, fmt.Errorf("offset %q: %w", s, errAt)
	}
	var total time.Duration
	i := 1
	for first := true; i < len(s); first = false {
		sign := time.Duration(1)
		if !first && (s[i] == '+' || s[i] == '-') {
			if s[i] == '-' {
				sign = -1
			}
			i++
		}
		j := i
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j == i || j-i > 9 || j == len(s) {
			return 0, fmt.Errorf("offset %q: each term is a whole number and a unit d, h, m or s: %w", s, errAt)
		}
		var n time.Duration
		for _, c := range s[i:j] {
			n = n*10 + time.Duration(c-'0')
		}
		var unit time.Duration
		switch s[j] {
		case 'd':
			unit = 24 * time.Hour
		case 'h':
			unit = time.Hour
		case 'm':
			unit = time.Minute
		case 's':
			unit = time.Second
		default:
			return 0, fmt.Errorf("offset %q: unknown unit %q (want d, h, m or s)", s, s[j])
		}
		if n > maxOffset/unit {
			return 0, fmt.Errorf("offset %q: longer than a hundred years", s)
		}
		total += sign * n * unit
		if total > maxOffset {
			return 0, fmt.Errorf("offset %q: longer than a hundred years", s)
		}
		i = j + 1
	}
	if total < 0 {
		return 0, fmt.Errorf("offset %q is negative: a step is never earlier than the one before it", s)
	}
	return total, nil
}
