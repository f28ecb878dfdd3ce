package dispute

import (
	"encoding/json"
	"errors"
	"testing"
	"time"
)

func TestTradeValidate(t *testing.T) {
	good := []Trade{{}, inTrade, {ID: "T", Status: Unpaid}, {ID: "T", Status: Cancelled},
		{ID: "T", Status: Completed, PaidAt: t0, CompletedAt: t0},
		{ID: "T", Status: Closed, PaidAt: t0, CompletedAt: t0.Add(time.Hour)}, {ID: "T", Status: Closed}}
	for _, tr := range good {
		if err := tr.Validate(); err != nil {
			t.Errorf("%+v: %v", tr, err)
		}
	}
	bad := []Trade{{Status: InProgress, PaidAt: t0}, {ID: "T"}, {ID: "T", Status: 9},
		{ID: "T", Status: Unpaid, PaidAt: t0}, {ID: "T", Status: InProgress},
		{ID: "T", Status: Completed, PaidAt: t0}, {ID: "T", Status: InProgress, PaidAt: t0, CompletedAt: t0},
		{ID: "T", Status: Completed, PaidAt: t0, CompletedAt: t0.Add(-time.Second)}}
	for _, tr := range bad {
		if err := tr.Validate(); !errors.Is(err, ErrInvalid) {
			t.Errorf("%+v: %v, want ErrInvalid", tr, err)
		}
	}
}

func TestEnumText(t *testing.T) {
	check := func(name string, n int, text func(i int) ([]byte, error), parse func([]byte) (int, error)) {
		t.Helper()
		if _, err := text(0); err == nil {
			t.Errorf("%s: the zero value marshals", name)
		}
		if _, err := text(n); err == nil {
			t.Errorf("%s: %d marshals", name, n)
		}
		for i := 1; i < n; i++ {
			b, err := text(i)
			if err != nil {
				t.Fatalf("%s %d: %v", name, i, err)
			}
			if j, err := parse(b); err != nil || j != i {
				t.Errorf("%s %q: %d %v", name, b, j, err)
			}
		}
		if _, err := parse([]byte("invalid")); err == nil {
			t.Errorf("%s: \"invalid\" parses", name)
		}
	}
	check("status", len(statusNames), func(i int) ([]byte, error) { return Status(i).MarshalText() },
		func(b []byte) (int, error) { var v Status; err := v.UnmarshalText(b); return int(v), err })
	check("trade status", len(tradeStatusNames), func(i int) ([]byte, error) { return TradeStatus(i).MarshalText() },
		func(b []byte) (int, error) { var v TradeStatus; err := v.UnmarshalText(b); return int(v), err })
	check("outcome", len(outcomeNames), func(i int) ([]byte, error) { return Outcome(i).MarshalText() },
		func(b []byte) (int, error) { var v Outcome; err := v.UnmarshalText(b); return int(v), err })
	check("report kind", len(reportKindNames), func(i int) ([]byte, error) { return ReportKind(i).MarshalText() },
		func(b []byte) (int, error) { var v ReportKind; err := v.UnmarshalText(b); return int(v), err })
	check("level", len(levelNames), func(i int) ([]byte, error) { return Level(i).MarshalText() },
		func(b []byte) (int, error) { var v Level; err := v.UnmarshalText(b); return int(v), err })
	if Level(0).String() != "invalid" || Level(99).String() != "invalid(99)" {
		t.Errorf("level strings %q %q", Level(0), Level(99))
	}
	if !IPInfringement.Product() || !ListingViolation.Product() || ProhibitedMarketing.Product() {
		t.Errorf("product kinds")
	}
	data, _ := json.Marshal(Trade{ID: "T", Status: InProgress, PaidAt: t0})
	if string(data) != `{"id":"T","status":"in_progress","paid_at":"2024-03-01T02:00:00Z"}` {
		t.Errorf("trade JSON %s", data)
	}
}
