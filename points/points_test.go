package points

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var pointsOrder = Order{ID: "P1", Payable: yuan("300.00"), Lines: []Line{
	{ID: "a", Quantity: 1, Amount: yuan("100.00"), BeanCap: yuan("10.00"), Points: true, Item: "tea"},
	{ID: "b", Quantity: 1, Amount: yuan("100.00"), Points: true, Item: "cup"},
	{ID: "c", Quantity: 1, Amount: yuan("100.00")}, // takes no points
}}

type offerSummary struct {
	Max, Limit, PayableCap, Balance, Remaining int64
	Year                                       int
	Blocked                                    bool
}

func summary(o PointsOffer) offerSummary {
	return offerSummary{o.Max, o.Limit, o.PayableCap, o.Balance, o.Remaining, o.Year, o.Blocked}
}

// PTS-2 and PTS-3: the points offer is the least of the per-order limit,
// the eligible amount after beans, the balance and the annual remainder.
func TestOfferPoints(t *testing.T) {
	tests := []struct {
		name   string
		policy [][2]string
		wallet Wallet
		ledger Ledger
		beans  int64
		want   offerSummary
	}{
		{"eligible lines bind", nil, Wallet{Points: 1 << 40}, Ledger{}, 0,
			offerSummary{20000, 14000000, 20000, 1 << 40, 14000000, 2024, false}},
		{"beans come off the eligible lines", nil, Wallet{Beans: 1000, Points: 1 << 40}, Ledger{}, 1000,
			offerSummary{19000, 14000000, 19000, 1 << 40, 14000000, 2024, false}},
		{"balance binds", nil, Wallet{Points: 5000}, Ledger{}, 0,
			offerSummary{5000, 14000000, 20000, 5000, 14000000, 2024, false}},
		{"remainder offered (RULES.md reading)", nil, Wallet{Points: 1 << 40}, held(2024, 13990000), 0,
			offerSummary{10000, 14000000, 20000, 1 << 40, 10000, 2024, false}},
		{"cap reached", nil, Wallet{Points: 1 << 40}, held(2024, 14000000), 0,
			offerSummary{0, 14000000, 20000, 1 << 40, 0, 2024, false}},
		{"last year's use does not count", nil, Wallet{Points: 1 << 40}, held(2023, 14000000), 0,
			offerSummary{20000, 14000000, 20000, 1 << 40, 14000000, 2024, false}},
		{"literal reading blocks the order", [][2]string{{"points_offer_remainder", "false"}}, Wallet{Points: 1 << 40}, held(2024, 13990000), 0,
			offerSummary{0, 14000000, 20000, 1 << 40, 10000, 2024, true}},
		{"literal reading lets a fitting order through", [][2]string{{"points_offer_remainder", "false"}}, Wallet{Points: 1 << 40}, held(2024, 13980000), 0,
			offerSummary{20000, 14000000, 20000, 1 << 40, 20000, 2024, false}},
		{"literal reading: one point short of fitting blocks", [][2]string{{"points_offer_remainder", "false"}}, Wallet{Points: 1 << 40}, held(2024, 13980001), 0,
			offerSummary{0, 14000000, 20000, 1 << 40, 19999, 2024, true}},
		// The block is judged on the order's largest possible use (no
		// beans): paying 1000 beans lowers what points could pay to 19000,
		// which would fit the 19000 left, but the order still may use none.
		{"literal reading is not dodged with beans", [][2]string{{"points_offer_remainder", "false"}}, Wallet{Beans: 1000, Points: 1 << 40}, held(2024, 13981000), 1000,
			offerSummary{0, 14000000, 19000, 1 << 40, 19000, 2024, true}},
		{"literal reading counts the balance in the largest use", [][2]string{{"points_offer_remainder", "false"}}, Wallet{Points: 19000}, held(2024, 13981000), 0,
			offerSummary{19000, 14000000, 20000, 19000, 19000, 2024, false}},
		{"per-item rate and limit", [][2]string{{"points_item_cap", `item.id == "tea" ? item.amount * decimal("0.1") : item.amount`}}, Wallet{Points: 1 << 40}, Ledger{}, 0,
			offerSummary{11000, 14000000, 11000, 1 << 40, 14000000, 2024, false}},
		{"per-item cap after beans and above the line", [][2]string{{"points_item_cap", `item.quantity == 1 && item.amount < decimal("100") ? item.amount * decimal("2") : decimal("0.015")`}}, Wallet{Beans: 1000, Points: 1 << 40}, Ledger{}, 1000,
			offerSummary{9001, 14000000, 9001, 1 << 40, 14000000, 2024, false}},
		{"per-order limit", [][2]string{{"points_order_limit", "3000"}}, Wallet{Points: 1 << 40}, Ledger{}, 0,
			offerSummary{3000, 3000, 20000, 1 << 40, 14000000, 2024, false}},
		{"payable share", [][2]string{{"points_payable_cap", `order.eligible * decimal("0.5")`}}, Wallet{Points: 1 << 40}, Ledger{}, 0,
			offerSummary{10000, 14000000, 10000, 1 << 40, 14000000, 2024, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set := DefaultPolicy()
			for _, o := range tt.policy {
				var err error
				if set, err = set.OverrideExpr(o[0], o[1]); err != nil {
					t.Fatal(err)
				}
			}
			m, _ := newMachine(set)
			got, err := m.OfferPoints(pointsOrder, tt.wallet, tt.ledger, tt.beans)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, summary(got)); diff != "" {
				t.Errorf("OfferPoints (-want +got):\n%s", diff)
			}
		})
	}
}

// PTS-2, PTS-3: a refused amount names its exact reason.
func TestPointsCheck(t *testing.T) {
	base := PointsOffer{Unit: 1, Limit: 9000, PayableCap: 8000, Balance: 7000, Remaining: 6000, Year: 2024}
	blocked := base
	blocked.Blocked = true
	tenth := base
	tenth.Unit = 10
	tests := []struct {
		name  string
		offer PointsOffer
		n     int64
		want  error
		rule  string
	}{
		{"fits", base, 6000, nil, ""},
		{"per-order limit", base, 9001, ErrPointsLimit, "PTS-2"},
		{"payable share", base, 8001, ErrPointsPayable, "PTS-2"},
		{"balance", base, 7001, ErrPointsBalance, "PTS-2"},
		{"annual cap", base, 6001, ErrAnnualCap, "PTS-3"},
		{"blocked order", blocked, 1, ErrAnnualCap, "PTS-3"},
		{"blocked order may use none", blocked, 0, nil, ""},
		{"unit", tenth, 15, ErrPointsUnit, "PTS-2"},
		{"negative", base, -1, ErrInvalid, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.offer.Check(tt.n)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("Check(%d) = %v, want %v", tt.n, err, tt.want)
			}
			if got := ruleOf(err); got != tt.rule {
				t.Errorf("rule = %q, want %q", got, tt.rule)
			}
		})
	}
}

// PTS-3: the year turns at the business zone's midnight, not UTC's:
// 2024-12-31 16:00 UTC is already 2025 in Asia/Shanghai.
func TestOfferPointsYearBoundary(t *testing.T) {
	boundary := time.Date(2025, 1, 1, 0, 0, 0, 0, shanghai)
	full := held(2024, 14000000)
	for _, tt := range []struct {
		at        time.Time
		year      int
		remaining int64
	}{
		{boundary.Add(-time.Second), 2024, 0},
		{boundary, 2025, 14000000},
		{boundary.Add(time.Second), 2025, 14000000},
	} {
		m, c := newMachine(nil)
		c.Set(tt.at.UTC())
		got, err := m.OfferPoints(pointsOrder, Wallet{Points: 100}, full, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got.Year != tt.year || got.Remaining != tt.remaining {
			t.Errorf("at %s: year %d remaining %d, want %d and %d", tt.at.UTC(), got.Year, got.Remaining, tt.year, tt.remaining)
		}
	}
	if boundary.UTC().Year() != 2024 {
		t.Fatal("the boundary should still be 2024 in UTC")
	}
}

// A ledger of a later year than the clock's is refused, not trusted.
func TestOfferPointsClockBehind(t *testing.T) {
	m, _ := newMachine(nil)
	_, err := m.OfferPoints(pointsOrder, Wallet{}, Ledger{Year: 2025}, 0)
	if !errors.Is(err, ErrClockBehind) || ruleOf(err) != "PTS-3" {
		t.Errorf("err = %v, want ErrClockBehind (PTS-3)", err)
	}
}

// A rate of 1000 points per yuan makes points come in tens.
func TestPointsUnit(t *testing.T) {
	m, _ := newMachine(override("points_per_yuan", "1000"))
	got, err := m.OfferPoints(pointsOrder, Wallet{Points: 12345}, Ledger{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got.Unit != 10 || got.Max != 12340 || got.PayableCap != 200000 || !got.Value.Equal(yuan("12.34")) {
		t.Errorf("offer = %+v", summary(got))
	}
	parts, err := got.Allocate(12340)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int64{6170, 6170, 0}, parts); diff != "" {
		t.Errorf("Allocate (-want +got):\n%s", diff)
	}
}

func TestOfferPointsInvalid(t *testing.T) {
	m, _ := newMachine(nil)
	if _, err := m.OfferPoints(pointsOrder, Wallet{Beans: 100}, Ledger{}, 150); !errors.Is(err, ErrBeanStep) {
		t.Errorf("beans 150: err = %v, want ErrBeanStep", err)
	}
	if _, err := m.OfferPoints(pointsOrder, Wallet{Points: -1}, Ledger{}, 0); !errors.Is(err, ErrInvalid) {
		t.Errorf("negative points: err = %v, want ErrInvalid", err)
	}
	if _, err := m.OfferPoints(Order{Payable: yuan("0.001")}, Wallet{}, Ledger{}, 0); !errors.Is(err, ErrInvalid) {
		t.Errorf("sub-fen: err = %v, want ErrInvalid", err)
	}
}

// Lines whose amounts sum past an int64 of fen (each fits) must not wrap
// the eligible amount negative: the offer stays within the payable
// amount and never goes negative.
func TestOfferPointsHugeLines(t *testing.T) {
	m, _ := newMachine(nil)
	o := Order{ID: "H", Payable: yuan("1.00"), Lines: []Line{
		{ID: "a", Quantity: 1, Amount: yuan("45035996273704.96"), Points: true},
		{ID: "b", Quantity: 1, Amount: yuan("45035996273704.96"), Points: true},
	}}
	got, err := m.OfferPoints(o, Wallet{Points: 1000}, Ledger{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(offerSummary{100, 14000000, 100, 1000, 14000000, 2024, false}, summary(got)); diff != "" {
		t.Errorf("OfferPoints (-want +got):\n%s", diff)
	}
	if err := got.Check(0); err != nil {
		t.Errorf("Check(0) = %v, want nil", err)
	}
	res, err := m.Pay(o, Wallet{Points: 1000}, Ledger{}, Choice{Points: 100})
	if err != nil {
		t.Fatal(err)
	}
	if s := res.State; s.Lines[0].Points+s.Lines[1].Points != 100 || s.Lines[0].Points < 0 || s.Lines[1].Points < 0 {
		t.Errorf("allocation %+v", s.Lines)
	}
}

// PTS-3 literal reading at payment: an order blocked by its largest use
// may pay no points, whatever beans the buyer chooses; paying only beans
// is still allowed.
func TestPayLiteralBlock(t *testing.T) {
	m, _ := newMachine(override("points_offer_remainder", "false"))
	w := Wallet{Beans: 1000, Points: 1 << 40}
	l := held(2024, 13981000)
	if _, err := m.PayAt(pointsOrder, w, l, Choice{Beans: 1000, Points: 100}, start); !errors.Is(err, ErrAnnualCap) || ruleOf(err) != "PTS-3" {
		t.Errorf("points on a blocked order: %v", err)
	}
	if _, err := m.PayAt(pointsOrder, w, l, Choice{Beans: 1000}, start); err != nil {
		t.Errorf("beans only on a blocked order: %v", err)
	}
}
