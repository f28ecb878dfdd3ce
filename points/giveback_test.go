package points

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var payOrder = Order{ID: "G1", Payable: yuan("100.00"), Lines: []Line{
	{ID: "a", Quantity: 3, Amount: yuan("60.00"), BeanCap: yuan("5.00"), Points: true},
	{ID: "b", Quantity: 1, Amount: yuan("40.00"), BeanCap: yuan("10.00"), Points: true},
}}

func paid(t *testing.T, m *Machine) Spend {
	t.Helper()
	res, err := m.Pay(payOrder, Wallet{Beans: 100000, Points: 100000}, Ledger{}, Choice{Beans: 2000, Points: 1001})
	if err != nil {
		t.Fatal(err)
	}
	return res.State
}

// PTS-1, PTS-2: Pay allocates beans by caps and points by amounts after beans.
func TestPay(t *testing.T) {
	m, _ := newMachine(nil)
	res, err := m.Pay(payOrder, Wallet{Beans: 100000, Points: 100000}, Ledger{}, Choice{Beans: 2000, Points: 1001})
	if err != nil {
		t.Fatal(err)
	}
	want := Spend{Order: "G1", PaidAt: start, Beans: 2000, Points: 1001, Lines: []SpendLine{
		{Line: "a", Quantity: 3, Beans: 1200, Points: 601}, // 1001 × 4800/8000 = 600.6, and the left-over point (largest remainder)
		{Line: "b", Quantity: 1, Beans: 800, Points: 400},
	}}
	if diff := cmp.Diff(want, res.State); diff != "" {
		t.Errorf("Spend (-want +got):\n%s", diff)
	}
	wantFx := []Effect{DebitBeans{Order: "G1", Beans: 2000}, DebitPoints{Order: "G1", Points: 1001, At: start}}
	if diff := cmp.Diff(wantFx, res.Effects); diff != "" {
		t.Errorf("Effects (-want +got):\n%s", diff)
	}
	if u := res.Effects[1].(DebitPoints).Use(); u != (Use{Order: "G1", Points: 1001, At: start}) {
		t.Errorf("Use = %+v", u)
	}
	for _, tt := range []struct {
		c    Choice
		l    Ledger
		want error
	}{
		{Choice{Beans: 2050}, Ledger{}, ErrBeanStep},
		{Choice{Beans: 10000}, Ledger{}, ErrBeanPayable},
		{Choice{Points: 10001}, Ledger{}, ErrPointsPayable},
		{Choice{Beans: 2000, Points: 8001}, Ledger{}, ErrPointsPayable},
		{Choice{Points: 10}, Ledger{Year: 2024, Used: 13999995}, ErrAnnualCap},
	} {
		if _, err := m.Pay(payOrder, Wallet{Beans: 100000, Points: 100000}, tt.l, tt.c); !errors.Is(err, tt.want) {
			t.Errorf("Pay(%+v) err = %v, want %v", tt.c, err, tt.want)
		}
	}
}

// PTS-2: who must approve, by stage.
func TestGiveBackAllowed(t *testing.T) {
	tests := []struct {
		stage    Stage
		approver Approver
		want     error
	}{
		{BeforeShipment, Merchant, nil},
		{Shipped, Merchant, nil},
		{Received, Merchant, ErrForcedRefund},
		{Received, BackOffice, nil},
		{BeforeShipment, BackOffice, nil},
	}
	for _, tt := range tests {
		m, _ := newMachine(nil)
		s := paid(t, m)
		res, err := m.Apply(s, Refund{ID: "r1", Stage: tt.stage, Approver: tt.approver, Lines: []RefundLine{{Line: "b", Quantity: 1}}})
		if !errors.Is(err, tt.want) || (err == nil) != (tt.want == nil) {
			t.Fatalf("%s by %s: err = %v, want %v", tt.stage, tt.approver, err, tt.want)
		}
		if err != nil {
			if ruleOf(err) != "PTS-2" {
				t.Errorf("rule = %q, want PTS-2", ruleOf(err))
			}
			if diff := cmp.Diff(s, res.State); diff != "" {
				t.Errorf("refused refund changed the state (-want +got):\n%s", diff)
			}
			continue
		}
		want := []Effect{
			GiveBackBeans{Order: "G1", Refund: "r1", Beans: 800, Lines: []LineAmount{{"b", 800}}},
			GiveBackPoints{Order: "G1", Refund: "r1", Points: 400, UsedAt: start, Lines: []LineAmount{{"b", 400}}},
		}
		if diff := cmp.Diff(want, res.Effects); diff != "" {
			t.Errorf("%s by %s effects (-want +got):\n%s", tt.stage, tt.approver, diff)
		}
	}
}

// PTS-2: unit by unit, a line gives back its allocation exactly, once.
func TestGiveBackProportional(t *testing.T) {
	m, _ := newMachine(nil)
	s := paid(t, m)
	orig := s
	var beans, pts []int64
	for i, id := range []string{"r1", "r2", "r3"} {
		res, err := m.Apply(s, Refund{ID: id, Stage: Shipped, Approver: Merchant, Lines: []RefundLine{{Line: "a", Quantity: 1}}})
		if err != nil {
			t.Fatalf("refund %d: %v", i, err)
		}
		var b, p int64
		for _, e := range res.Effects {
			switch e := e.(type) {
			case GiveBackBeans:
				b = e.Beans
			case GiveBackPoints:
				p = e.Points
				if e.Release() != (Release{Order: "G1", Points: p, UsedAt: start}) {
					t.Errorf("Release = %+v", e.Release())
				}
			}
		}
		beans, pts = append(beans, b), append(pts, p)
		s = res.State
	}
	if diff := cmp.Diff([]int64{400, 400, 400}, beans); diff != "" {
		t.Errorf("beans back (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int64{200, 201, 200}, pts); diff != "" {
		t.Errorf("points back (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(Spend{Order: "G1", PaidAt: start, Beans: 2000, Points: 1001, Lines: []SpendLine{
		{Line: "a", Quantity: 3, Beans: 1200, Points: 601, Refunded: 3, BeansBack: 1200, PointsBack: 601},
		{Line: "b", Quantity: 1, Beans: 800, Points: 400},
	}, Refunds: []string{"r1", "r2", "r3"}}, s); diff != "" {
		t.Errorf("state (-want +got):\n%s", diff)
	}
	if len(orig.Refunds) != 0 || orig.Lines[0].Refunded != 0 {
		t.Error("Apply modified its input")
	}
	for _, tt := range []struct {
		r    Refund
		want error
	}{
		{Refund{ID: "r1", Stage: Shipped, Approver: Merchant}, ErrRefundRepeated},
		{Refund{ID: "r4", Stage: Shipped, Approver: Merchant, Lines: []RefundLine{{"a", 1}}}, ErrRefundQuantity},
		{Refund{ID: "r4", Stage: Shipped, Approver: Merchant, Lines: []RefundLine{{"z", 1}}}, ErrRefundLine},
		{Refund{ID: "r4", Stage: Shipped, Approver: Merchant, Lines: []RefundLine{{"b", 0}}}, ErrInvalid},
		{Refund{ID: "", Stage: Shipped, Approver: Merchant}, ErrInvalid},
		{Refund{ID: "r4", Stage: "lost", Approver: Merchant}, ErrInvalid},
		{Refund{ID: "r4", Stage: Shipped, Approver: "buyer"}, ErrInvalid},
	} {
		if _, err := m.Apply(s, tt.r); !errors.Is(err, tt.want) {
			t.Errorf("Apply(%+v) err = %v, want %v", tt.r, err, tt.want)
		}
	}
	if _, err := m.Apply(s, Use{Points: 1}); !errors.Is(err, ErrInvalid) {
		t.Errorf("Apply(Use) err = %v, want ErrInvalid", err)
	}
	if res := m.Advance(s); !cmp.Equal(res.State, s) || res.Effects != nil {
		t.Errorf("Advance changed a spend")
	}
}

// PTS-2: a refund of two of three units at once gives back the rounded
// share, and the last unit the rest.
func TestGiveBackRounding(t *testing.T) {
	m, _ := newMachine(nil)
	s := Spend{Order: "x", PaidAt: start, Beans: 100, Points: 10, Lines: []SpendLine{{Line: "a", Quantity: 3, Beans: 100, Points: 10}}}
	res, err := m.Apply(s, Refund{ID: "r1", Stage: BeforeShipment, Approver: Merchant, Lines: []RefundLine{{"a", 1}, {"a", 1}}})
	if err != nil {
		t.Fatal(err)
	}
	if l := res.State.Lines[0]; l.BeansBack != 67 || l.PointsBack != 7 || l.Refunded != 2 {
		t.Errorf("after 2 of 3: %+v, want 67 beans and 7 points back", l)
	}
	res, err = m.Apply(res.State, Refund{ID: "r2", Stage: Received, Approver: BackOffice, Lines: []RefundLine{{"a", 1}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.State; got.BeansBack() != 100 || got.PointsBack() != 10 {
		t.Errorf("after all: %d beans %d points back, want 100 and 10", got.BeansBack(), got.PointsBack())
	}
	bad := s
	bad.Beans = 99
	if _, err := m.Apply(bad, Refund{ID: "r", Stage: Shipped, Approver: Merchant}); !errors.Is(err, ErrInvalid) {
		t.Errorf("malformed spend: err = %v, want ErrInvalid", err)
	}
}

// States serialise and come back unchanged, so a host can store them.
func TestStateJSON(t *testing.T) {
	m, _ := newMachine(nil)
	s := paid(t, m)
	res, err := m.Apply(s, Refund{ID: "r1", Stage: Shipped, Approver: Merchant, Lines: []RefundLine{{"a", 2}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range []any{res.State, Ledger{Customer: "c", Year: 2024, Used: 7}} {
		b, err := json.Marshal(x)
		if err != nil {
			t.Fatal(err)
		}
		var got any
		switch x.(type) {
		case Spend:
			var s Spend
			err = json.Unmarshal(b, &s)
			got = s
		case Ledger:
			var l Ledger
			err = json.Unmarshal(b, &l)
			got = l
		}
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(x, got); diff != "" {
			t.Errorf("JSON round trip of %T (-want +got):\n%s", x, diff)
		}
	}
}
