package rules

import (
	"testing"
	"time"

	"github.com/tradepolicy/tradepolicy/clock"
)

// Durations are written as rule files write them, without zero units.
func TestFormatValueDurations(t *testing.T) {
	for _, c := range []struct {
		v    any
		want string
	}{
		{48 * time.Hour, "48h"},
		{90 * time.Minute, "1h30m"},
		{30 * time.Minute, "30m"},
		{time.Hour + time.Second, "1h0m1s"},
		{90 * time.Second, "1m30s"},
		{2 * time.Minute, "2m"},
		{0 * time.Second, "0s"},
		{1500 * time.Millisecond, "1.5s"},
		{clock.Window{Duration: 240 * time.Hour}, "240h"},
	} {
		if got := FormatValue(c.v); got != c.want {
			t.Errorf("FormatValue(%v) = %q, want %q", c.v, got, c.want)
		}
	}
}
