package main

import (
	"slices"
	"strings"
	"time"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/rules"
)

// formatValue renders a value as rules.FormatValue does, except that
// durations drop zero minutes and seconds ("72h", not "72h0m0s").
func formatValue(x any) string {
	switch v := x.(type) {
	case clock.Window:
		if !v.IsCalendar() {
			return shortDuration(v.Duration)
		}
	case time.Duration:
		return shortDuration(v)
	}
	return rules.FormatValue(x)
}

func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

func sortStrings(s []string) { slices.Sort(s) }
