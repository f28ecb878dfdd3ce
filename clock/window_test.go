package clock_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"

	"github.com/tradepolicy/tradepolicy/clock"
)

func TestWindowEnd(t *testing.T) {
	shanghai := clock.MustZone("Asia/Shanghai")
	newYork := clock.MustZone("America/New_York")
	saoPaulo := clock.MustZone("America/Sao_Paulo")
	apia := clock.MustZone("Pacific/Apia")
	tests := []struct {
		name string
		w    clock.Window
		at   time.Time
		loc  *time.Location
		want time.Time
	}{
		{
			name: "within 7 days counting from the day after signing",
			w:    clock.Days(7),
			at:   time.Date(2024, 3, 1, 15, 4, 0, 0, shanghai),
			loc:  shanghai,
			want: time.Date(2024, 3, 9, 0, 0, 0, 0, shanghai),
		},
		{
			name: "signed one second before midnight still counts that day",
			w:    clock.Days(7),
			at:   time.Date(2024, 3, 1, 23, 59, 59, 0, shanghai),
			loc:  shanghai,
			want: time.Date(2024, 3, 9, 0, 0, 0, 0, shanghai),
		},
		{
			name: "signed at midnight: that day still does not count",
			w:    clock.Days(7),
			at:   time.Date(2024, 3, 2, 0, 0, 0, 0, shanghai),
			loc:  shanghai,
			want: time.Date(2024, 3, 10, 0, 0, 0, 0, shanghai),
		},
		{
			name: "the civil date is taken in the policy zone, not the event's",
			w:    clock.Days(1),
			at:   time.Date(2024, 3, 1, 20, 0, 0, 0, time.UTC), // 04:00 on 2 March in Shanghai
			loc:  shanghai,
			want: time.Date(2024, 3, 4, 0, 0, 0, 0, shanghai),
		},
		{
			name: "nil zone means UTC",
			w:    clock.Days(1),
			at:   time.Date(2024, 3, 1, 20, 0, 0, 0, time.UTC),
			want: time.Date(2024, 3, 3, 0, 0, 0, 0, time.UTC),
		},
		{
			name: "crosses a leap day",
			w:    clock.Days(30),
			at:   time.Date(2024, 2, 10, 9, 0, 0, 0, shanghai),
			loc:  shanghai,
			want: time.Date(2024, 3, 12, 0, 0, 0, 0, shanghai),
		},
		{
			name: "exact window ignores the calendar",
			w:    clock.Exactly(240 * time.Hour),
			at:   time.Date(2024, 3, 1, 15, 4, 0, 0, shanghai),
			loc:  shanghai,
			want: time.Date(2024, 3, 11, 15, 4, 0, 0, shanghai),
		},
		{
			name: "zero window closes at once",
			at:   time.Date(2024, 3, 1, 15, 4, 0, 0, shanghai),
			loc:  shanghai,
			want: time.Date(2024, 3, 1, 15, 4, 0, 0, shanghai),
		},
		{
			name: "spring forward: two calendar days are 47 hours",
			w:    clock.Days(1),
			at:   time.Date(2024, 3, 9, 0, 0, 0, 0, newYork),
			loc:  newYork,
			want: time.Date(2024, 3, 9, 5, 0, 0, 0, time.UTC).Add(47 * time.Hour),
		},
		{
			name: "closing day whose midnight does not exist",
			w:    clock.Days(1),
			at:   time.Date(2018, 11, 2, 10, 0, 0, 0, saoPaulo),
			loc:  saoPaulo,
			want: time.Date(2018, 11, 4, 3, 0, 0, 0, time.UTC), // 01:00 -02:00
		},
		{
			name: "closing day skipped by the zone: next day that exists",
			w:    clock.Days(1),
			at:   time.Date(2011, 12, 28, 10, 0, 0, 0, apia),
			loc:  apia,
			want: time.Date(2011, 12, 31, 0, 0, 0, 0, apia),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.w.End(tt.at, tt.loc)
			if got.Location() != time.UTC {
				t.Errorf("End returned location %v, want UTC", got.Location())
			}
			if diff := cmp.Diff(tt.want.UTC(), got); diff != "" {
				t.Errorf("%v.End(%v) (-want +got):\n%s", tt.w, tt.at, diff)
			}
			// One second either side of the deadline.
			if before := tt.want.Add(-time.Second); !before.Before(got) {
				t.Errorf("window closed by %v, one second before the deadline", before)
			}
			if after := tt.want.Add(time.Second); after.Before(got) {
				t.Errorf("window still open at %v, one second after the deadline", after)
			}
		})
	}
}

// TestExactVersusCalendarAcrossDST shows why a rule must say which kind of
// window it means. In New York the clocks went forward on 2024-03-10 and
// back on 2024-11-03.
func TestExactVersusCalendarAcrossDST(t *testing.T) {
	newYork := clock.MustZone("America/New_York")
	tests := []struct {
		name         string
		at           time.Time
		calendar     clock.Window
		exact        clock.Window
		wantCalendar time.Time
		wantExact    time.Time
	}{
		{
			name:         "spring forward: 2 days are 47 hours, 48h ends at 01:00",
			at:           time.Date(2024, 3, 9, 0, 0, 0, 0, newYork),
			calendar:     clock.Days(1),
			exact:        clock.Exactly(48 * time.Hour),
			wantCalendar: time.Date(2024, 3, 11, 0, 0, 0, 0, newYork),
			wantExact:    time.Date(2024, 3, 11, 1, 0, 0, 0, newYork),
		},
		{
			name:         "fall back: 2 days are 49 hours, 48h ends at 23:00",
			at:           time.Date(2024, 11, 2, 0, 0, 0, 0, newYork),
			calendar:     clock.Days(1),
			exact:        clock.Exactly(48 * time.Hour),
			wantCalendar: time.Date(2024, 11, 4, 0, 0, 0, 0, newYork),
			wantExact:    time.Date(2024, 11, 3, 23, 0, 0, 0, newYork),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := []time.Time{tt.calendar.End(tt.at, newYork), tt.exact.End(tt.at, newYork)}
			want := []time.Time{tt.wantCalendar.UTC(), tt.wantExact.UTC()}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("[calendar, exact] ends (-want +got):\n%s", diff)
			}
			if got[0] == got[1] {
				t.Errorf("calendar and exact windows agree at %v; the case shows nothing", got[0])
			}
		})
	}
}

func TestParseWindow(t *testing.T) {
	tests := []struct {
		in   string
		want clock.Window
	}{
		{"days(7)", clock.Days(7)},
		{" days( 7 ) ", clock.Days(7)},
		{"days(007)", clock.Days(7)},
		{"7d", clock.Days(7)},
		{"1000000d", clock.Days(1_000_000)},
		{`duration("24h")`, clock.Exactly(24 * time.Hour)},
		{`duration('15m')`, clock.Exactly(15 * time.Minute)},
		{`duration("240h0m0s")`, clock.Exactly(240 * time.Hour)},
		{"24h", clock.Exactly(24 * time.Hour)},
		{"15m", clock.Exactly(15 * time.Minute)},
		{"1h30m", clock.Exactly(90 * time.Minute)},
		{"0s", clock.Window{}},
		{"0", clock.Window{}},
	}
	for _, tt := range tests {
		got, err := clock.ParseWindow(tt.in)
		if err != nil {
			t.Errorf("ParseWindow(%q): %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ParseWindow(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestParseWindowErrors(t *testing.T) {
	for _, in := range []string{
		"", "d", "days()", "days(0)", "0d", "days(-1)", "-1d", "+7d", "days(1000001)",
		"days(7", "7 days", "1d12h", "days(1.5)", `duration(24h)`, `duration("24h')`,
		`duration("")`, `duration("7d")`, "-24h", `duration("-1s")`, "week", "99999999999999999999d",
	} {
		w, err := clock.ParseWindow(in)
		if !errors.Is(err, clock.ErrBadWindow) {
			t.Errorf("ParseWindow(%q) = %v, %v; want an error wrapping ErrBadWindow", in, w, err)
		}
	}
}

func TestWindowString(t *testing.T) {
	tests := []struct {
		w    clock.Window
		want string
	}{
		{clock.Window{}, `duration("0s")`},
		{clock.Days(7), "days(7)"},
		{clock.Exactly(240 * time.Hour), `duration("240h")`},
		{clock.Exactly(90 * time.Minute), `duration("1h30m")`},
		{clock.Exactly(90 * time.Second), `duration("1m30s")`},
		{clock.Exactly(1500 * time.Millisecond), `duration("1.5s")`},
		{clock.Window{Days: 7, Duration: time.Hour}, "clock.Window{Days:7, Duration:1h0m0s}"},
	}
	for _, tt := range tests {
		if got := tt.w.String(); got != tt.want {
			t.Errorf("%#v.String() = %s, want %s", tt.w, got, tt.want)
		}
	}
}

type policyDoc struct {
	Return  clock.Window `json:"return" yaml:"return"`
	Confirm clock.Window `json:"confirm" yaml:"confirm"`
}

func TestWindowJSON(t *testing.T) {
	in := policyDoc{Return: clock.Days(7), Confirm: clock.Exactly(240 * time.Hour)}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"return":"days(7)","confirm":"duration(\"240h\")"}`; got != want {
		t.Errorf("json.Marshal = %s, want %s", got, want)
	}
	var out policyDoc
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(in, out); diff != "" {
		t.Errorf("JSON round trip (-want +got):\n%s", diff)
	}
	if err := json.Unmarshal([]byte(`{"return":"a week"}`), &out); !errors.Is(err, clock.ErrBadWindow) {
		t.Errorf("json.Unmarshal of a bad window: %v, want ErrBadWindow", err)
	}
	if _, err := json.Marshal(policyDoc{Return: clock.Window{Days: 1, Duration: 1}}); !errors.Is(err, clock.ErrBadWindow) {
		t.Errorf("json.Marshal of an invalid window: %v, want ErrBadWindow", err)
	}
}

func TestWindowYAML(t *testing.T) {
	var got policyDoc
	if err := yaml.Unmarshal([]byte("return: days(7)\nconfirm: 240h\n"), &got); err != nil {
		t.Fatal(err)
	}
	want := policyDoc{Return: clock.Days(7), Confirm: clock.Exactly(240 * time.Hour)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("yaml.Unmarshal (-want +got):\n%s", diff)
	}
	b, err := yaml.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	var again policyDoc
	if err := yaml.Unmarshal(b, &again); err != nil {
		t.Fatalf("yaml.Unmarshal(%s): %v", b, err)
	}
	if diff := cmp.Diff(want, again); diff != "" {
		t.Errorf("YAML round trip via %s (-want +got):\n%s", b, diff)
	}
}

func FuzzParseWindow(f *testing.F) {
	for _, s := range []string{
		"days(7)", "7d", `duration("24h")`, `duration('1.5s')`, "24h", "15m", "0", "days(0)",
		"-1h", "1000000d", " days( 3 ) ", `duration("")`, "9223372036854775807ns",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		w, err := clock.ParseWindow(s)
		if err != nil {
			if !errors.Is(err, clock.ErrBadWindow) {
				t.Fatalf("ParseWindow(%q) error %v does not wrap ErrBadWindow", s, err)
			}
			return
		}
		again, err := clock.ParseWindow(w.String())
		if err != nil {
			t.Fatalf("ParseWindow(%q) = %v, whose String does not parse: %v", s, w, err)
		}
		if again != w {
			t.Fatalf("ParseWindow(%q) = %#v, but its String %s parses to %#v", s, w, w, again)
		}
		if _, err := w.MarshalText(); err != nil {
			t.Fatalf("MarshalText of parsed window %#v: %v", w, err)
		}
	})
}
