package points

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tradepolicy/tradepolicy/rules"
)

var payOrder = Order{ID: "G1", Payable: yuan("100.00"), Lines: []Line{
	{ID: "a", Quantity: 3, Amount: yuan("60.00"), BeanCap: yuan("5.00"), Points: true},
	{ID: "b", Quantity: 1, Amount: yuan("40.00"), BeanCap: yuan("10.00"), Points: true},
}}

// paidAt is the payment instant of paid, in UTC.
var paidAt = start.UTC()

func paid(t *testing.T, m *Machine) Spend {
	t.Helper()
	res, err := m.PayAt(payOrder, Wallet{Beans: 100000, Points: 100000}, Ledger{}, Choice{Beans: 2000, Points: 1001}, start)
	if err != nil {
		t.Fatal(err)
	}
	return res.State
}

// paidSpend is what paid returns: beans split 1500:1000 by the lines' caps
// (¥15 and ¥10), points by the amounts after beans (48:32).
var paidSpend = Spend{Order: "G1", PaidAt: paidAt, Version: "2023-07-23", Updated: paidAt, Seq: 2,
	Beans: 2000, BeanValue: yuan("20"), Points: 1001, PointValue: yuan("10.01"), Lines: []SpendLine{
		// 1001 × 4800/8000 = 600.6, and the left-over point (largest remainder)
		{Line: "a", Beans: 1200, BeanValue: yuan("12"), Points: 601, PointValue: yuan("6.01")},
		{Line: "b", Beans: 800, BeanValue: yuan("8"), Points: 400, PointValue: yuan("4")},
	}}

// PTS-1, PTS-2: Pay allocates beans by caps and points by amounts after
// beans, stores units and values, pins the version, and issues effects 1
// and 2 at the payment's instant.
func TestPay(t *testing.T) {
	m, _ := newMachine(nil)
	res, err := m.PayAt(payOrder, Wallet{Beans: 100000, Points: 100000}, Ledger{}, Choice{Beans: 2000, Points: 1001}, start)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(paidSpend, res.State); diff != "" {
		t.Errorf("Spend (-want +got):\n%s", diff)
	}
	wantFx := []Effect{
		{ID: 1, At: paidAt, Rule: "PTS-1", Act: DebitBeans{Order: "G1", Beans: 2000, Value: yuan("20")}},
		{ID: 2, At: paidAt, Rule: "PTS-2", Act: DebitPoints{Order: "G1", Points: 1001, Value: yuan("10.01"), PaidAt: paidAt}},
	}
	if diff := cmp.Diff(wantFx, res.Effects); diff != "" {
		t.Errorf("Effects (-want +got):\n%s", diff)
	}
	if l, ok := res.State.Line("b"); !ok || !cmp.Equal(l, paidSpend.Lines[1]) {
		t.Errorf("Line(b) = %+v, %t", l, ok)
	}
	if _, ok := res.State.Line("z"); ok {
		t.Error("Line(z) found")
	}
	if u := res.Effects[1].Act.(DebitPoints).Use(); u != (Use{ID: "G1", Points: 1001, UsedAt: paidAt}) {
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
		{Choice{Points: 10}, held(2024, 13999995), ErrAnnualCap},
		{Choice{Points: -1}, Ledger{}, ErrInvalid},
	} {
		if _, err := m.Pay(payOrder, Wallet{Beans: 100000, Points: 100000}, tt.l, tt.c); !errors.Is(err, tt.want) {
			t.Errorf("Pay(%+v) err = %v, want %v", tt.c, err, tt.want)
		}
	}
}

// refundB returns a refund of all of line b (paid ¥28 in money) at stage.
func refundB(id string, stage Stage, forced bool) Refund {
	return Refund{ID: id, Stage: stage, Forced: forced, Lines: []RefundLine{{Line: "b", Refunded: yuan("28"), Paid: yuan("28"), Done: true}}}
}

// PTS-2: whether beans and points go back, by stage and forced; a refund
// the policy does not allow is no error: its share is kept, with a
// decision.
func TestGiveBackAllowed(t *testing.T) {
	back := []Effect{
		{ID: 3, At: paidAt.Add(time.Hour), Rule: "PTS-2", Act: GiveBackBeans{Order: "G1", Refund: "r1", Beans: 800, Value: yuan("8"),
			Lines: []LineGiveBack{{Line: "b", Units: 800, Value: yuan("8")}}}},
		{ID: 4, At: paidAt.Add(time.Hour), Rule: "PTS-2", Act: GiveBackPoints{Order: "G1", Refund: "r1", Points: 400, Value: yuan("4"), UsedAt: paidAt,
			Lines: []LineGiveBack{{Line: "b", Units: 400, Value: yuan("4")}}}},
	}
	tests := []struct {
		stage  Stage
		forced bool
		want   []Effect
	}{
		{BeforeShipment, false, back},
		{Shipped, false, back},
		{Confirmed, false, nil},
		{Confirmed, true, back},
		{BeforeShipment, true, back},
	}
	for _, tt := range tests {
		m, _ := newMachine(nil)
		s := paid(t, m)
		res, err := m.ApplyAt(s, refundB("r1", tt.stage, tt.forced), paidAt.Add(time.Hour))
		if err != nil {
			t.Fatalf("%s forced %t: %v", tt.stage, tt.forced, err)
		}
		if diff := cmp.Diff(tt.want, res.Effects); diff != "" {
			t.Errorf("%s forced %t effects (-want +got):\n%s", tt.stage, tt.forced, diff)
		}
		b := res.State.Lines[1]
		if tt.want == nil {
			if b.BeansKept != 800 || b.PointsKept != 400 || b.BeansBack != 0 || !b.Done || res.State.Seq != 2 {
				t.Errorf("kept: line %+v, seq %d", b, res.State.Seq)
			}
			last := res.Decisions[len(res.Decisions)-1]
			if last.Rule != "PTS-2" || last.Threshold != "give_back_allowed" || last.Value != "false" {
				t.Errorf("decision = %+v", last)
			}
		} else if b.BeansBack != 800 || b.PointsBack != 400 || res.State.Seq != 4 {
			t.Errorf("back: line %+v, seq %d", b, res.State.Seq)
		}
	}
}

// PTS-2: repeated partial refunds give back in proportion to the
// cumulative refunded share, rounded to whole units; the done line gives
// back all that is left; nothing twice, never more than used. A refund
// not allowed in between keeps its share for good.
func TestGiveBackProportional(t *testing.T) {
	type step struct {
		refunded       string
		done           bool
		stage          Stage
		beans, points  int64 // given back
		kBeans, kPoint int64 // kept, cumulative
	}
	// Line a: 1200 beans, 601 points, paid ¥41.99 in money.
	tests := []struct {
		name  string
		steps []step
	}{
		{"three thirds", []step{
			// 1200 × 14.00/41.99 = 400.09 → 400; 601 × 14/41.99 = 200.38 → 200
			{"14.00", false, Shipped, 400, 200, 0, 0},
			// 1200 × 28/41.99 = 800.19 → 800; 601 × 28/41.99 = 400.76 → 401
			{"28.00", false, Shipped, 400, 201, 0, 0},
			{"41.99", true, Shipped, 400, 200, 0, 0},
		}},
		{"a stale refund adds nothing", []step{
			{"28.00", false, Shipped, 800, 401, 0, 0},
			{"14.00", false, Shipped, 0, 0, 0, 0},
			{"41.99", true, Shipped, 400, 200, 0, 0},
		}},
		{"a confirmed refund in between is kept", []step{
			{"14.00", false, Shipped, 400, 200, 0, 0},
			{"28.00", false, Confirmed, 0, 0, 400, 201},
			{"41.99", true, Shipped, 400, 200, 400, 201},
		}},
		{"half a fen rounds half up", []step{
			// 1200 × 20.995… no: 20.99/41.99 × 1200 = 599.857 → 600; × 601 = 300.43 → 300
			{"20.99", false, Shipped, 600, 300, 0, 0},
			{"41.99", true, Shipped, 600, 301, 0, 0},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _ := newMachine(nil)
			s := paid(t, m)
			at := paidAt
			for i, st := range tt.steps {
				at = at.Add(time.Minute)
				r := Refund{ID: string(rune('A' + i)), Stage: st.stage, Lines: []RefundLine{{Line: "a", Refunded: yuan(st.refunded), Paid: yuan("41.99"), Done: st.done}}}
				res, err := m.ApplyAt(s, r, at)
				if err != nil {
					t.Fatalf("step %d: %v", i, err)
				}
				var b, p int64
				for _, e := range res.Effects {
					switch a := e.Act.(type) {
					case GiveBackBeans:
						b = a.Beans
					case GiveBackPoints:
						p = a.Points
						if a.Release() != (Release{ID: "G1/" + r.ID, Use: "G1", Points: p, UsedAt: paidAt}) {
							t.Errorf("Release = %+v", a.Release())
						}
					}
				}
				l := res.State.Lines[0]
				if b != st.beans || p != st.points || l.BeansKept != st.kBeans || l.PointsKept != st.kPoint {
					t.Errorf("step %d: back %d beans %d points, kept %d %d; want %d %d, kept %d %d",
						i, b, p, l.BeansKept, l.PointsKept, st.beans, st.points, st.kBeans, st.kPoint)
				}
				s = res.State
			}
			l := s.Lines[0]
			if !l.Done || l.BeansBack+l.BeansKept != 1200 || l.PointsBack+l.PointsKept != 601 {
				t.Errorf("after the last refund: %+v", l)
			}
		})
	}
}

// The value of what goes back is the value at payment, never converted by
// the host: at 1000 points per yuan a point is worth a tenth of a fen and
// points go back in whole tens.
func TestGiveBackValue(t *testing.T) {
	m, _ := newMachine(override("points_per_yuan", "1000"))
	res, err := m.PayAt(payOrder, Wallet{Points: 1_000_000}, Ledger{}, Choice{Points: 10010}, start)
	if err != nil {
		t.Fatal(err)
	}
	a := res.State.Lines[0]
	if a.Points != 6010 || !a.PointValue.Equal(yuan("6.01")) {
		t.Fatalf("line a: %+v", a)
	}
	paidA := yuan("60").Sub(a.PointValue)
	r := Refund{ID: "r", Stage: Shipped, Lines: []RefundLine{{Line: "a", Refunded: yuan("18"), Paid: paidA}}}
	back, err := m.ApplyAt(res.State, r, start)
	if err != nil {
		t.Fatal(err)
	}
	// 601 granules of 10 points × 18/53.99 = 200.37 → 200 granules, ¥2.00
	want := GiveBackPoints{Order: "G1", Refund: "r", Points: 2000, Value: yuan("2"), UsedAt: paidAt,
		Lines: []LineGiveBack{{Line: "a", Units: 2000, Value: yuan("2")}}}
	if diff := cmp.Diff(want, back.Effects[0].Act); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// RFD-10 reading: beans follow points by default, so an override of
// give_back_allowed reaches beans; beans_give_back_allowed overrides them
// on their own.
func TestBeansFollowPoints(t *testing.T) {
	for _, tt := range []struct {
		name          string
		set           *rules.Set
		beans, points bool
	}{
		{"default", nil, false, false},
		{"points always", override("give_back_allowed", "true"), true, true},
		{"beans always", override("beans_give_back_allowed", "true"), true, false},
		{"beans never", must(override("give_back_allowed", "true").OverrideExpr("beans_give_back_allowed", "false")), false, true},
	} {
		m, _ := newMachine(tt.set)
		res, err := m.ApplyAt(paid(t, m), refundB("r", Confirmed, false), paidAt)
		if err != nil {
			t.Fatal(err)
		}
		var beans, points bool
		for _, e := range res.Effects {
			beans = beans || e.Kind() == "give_back_beans"
			points = points || e.Kind() == "give_back_points"
		}
		if beans != tt.beans || points != tt.points {
			t.Errorf("%s: beans %t points %t, want %t %t", tt.name, beans, points, tt.beans, tt.points)
		}
	}
}

// A refund applied twice (a redelivery) changes nothing and is no error.
func TestGiveBackRedelivered(t *testing.T) {
	m, _ := newMachine(nil)
	res, err := m.ApplyAt(paid(t, m), refundB("r1", Shipped, false), paidAt)
	if err != nil {
		t.Fatal(err)
	}
	later, err := m.ApplyAt(res.State, Refund{ID: "r2", Stage: Shipped, Lines: []RefundLine{{Line: "a", Refunded: yuan("1"), Paid: yuan("41.99")}}}, paidAt.Add(2*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	// Redelivered at its own instant, before the spend's last change.
	again, err := m.ApplyAt(later.State, refundB("r1", Shipped, false), paidAt)
	if err != nil || len(again.Effects) != 0 {
		t.Fatalf("redelivery: %v, effects %v", err, again.Effects)
	}
	if diff := cmp.Diff(later.State, again.State); diff != "" {
		t.Errorf("late redelivery changed the spend (-want +got):\n%s", diff)
	}
	again, err = m.ApplyAt(res.State, refundB("r1", Shipped, false), paidAt.Add(time.Hour))
	if err != nil || len(again.Effects) != 0 {
		t.Fatalf("redelivery: %v, effects %v", err, again.Effects)
	}
	if diff := cmp.Diff(res.State, again.State); diff != "" {
		t.Errorf("redelivery changed the spend (-want +got):\n%s", diff)
	}
	// Another refund of a done line finds nothing left.
	more, err := m.ApplyAt(res.State, refundB("r2", Shipped, false), paidAt.Add(time.Hour))
	if err != nil || len(more.Effects) != 0 {
		t.Errorf("refund of a done line: %v, effects %v", err, more.Effects)
	}
}

// Malformed refunds are ErrInvalid, an instant before the last change is
// ErrClockBehind; either way Result.State is the input, storable.
func TestGiveBackRefused(t *testing.T) {
	ok := RefundLine{Line: "b", Refunded: yuan("10"), Paid: yuan("28")}
	tests := []struct {
		name string
		e    Event
		at   time.Time
		want error
	}{
		{"no ID", Refund{Stage: Shipped, Lines: []RefundLine{ok}}, paidAt, ErrInvalid},
		{"zero stage", Refund{ID: "r", Lines: []RefundLine{ok}}, paidAt, ErrInvalid},
		{"unknown line", Refund{ID: "r", Stage: Shipped, Lines: []RefundLine{{Line: "z", Refunded: yuan("1"), Paid: yuan("1")}}}, paidAt, ErrInvalid},
		{"line twice", Refund{ID: "r", Stage: Shipped, Lines: []RefundLine{ok, ok}}, paidAt, ErrInvalid},
		{"more than paid", Refund{ID: "r", Stage: Shipped, Lines: []RefundLine{{Line: "b", Refunded: yuan("29"), Paid: yuan("28")}}}, paidAt, ErrInvalid},
		{"done short", Refund{ID: "r", Stage: Shipped, Lines: []RefundLine{{Line: "b", Refunded: yuan("27"), Paid: yuan("28"), Done: true}}}, paidAt, ErrInvalid},
		{"sub-fen", Refund{ID: "r", Stage: Shipped, Lines: []RefundLine{{Line: "b", Refunded: yuan("0.001"), Paid: yuan("28")}}}, paidAt, ErrInvalid},
		{"negative", Refund{ID: "r", Stage: Shipped, Lines: []RefundLine{{Line: "b", Refunded: yuan("-1"), Paid: yuan("28")}}}, paidAt, ErrInvalid},
		{"not a refund", Use{ID: "u", Points: 1, UsedAt: paidAt}, paidAt, ErrInvalid},
		{"nil", nil, paidAt, ErrInvalid},
		{"clock behind", Refund{ID: "r", Stage: Shipped, Lines: []RefundLine{ok}}, paidAt.Add(-time.Second), ErrClockBehind},
	}
	for _, tt := range tests {
		m, _ := newMachine(nil)
		s := paid(t, m)
		res, err := m.ApplyAt(s, tt.e, tt.at)
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.want)
		}
		if tt.want == ErrInvalid && ruleOf(err) != "" {
			t.Errorf("%s: malformed input reported as a rule refusal: %v", tt.name, err)
		}
		if diff := cmp.Diff(s, res.State); diff != "" || len(res.Effects) != 0 {
			t.Errorf("%s: state changed (-want +got):\n%s", tt.name, diff)
		}
	}
	// A pointer to a refund is the refund; at the exact instant of the
	// last change it applies.
	m, _ := newMachine(nil)
	r := refundB("p", Shipped, false)
	if res, err := m.ApplyAt(paid(t, m), &r, paidAt); err != nil || len(res.Effects) != 2 {
		t.Errorf("pointer refund at the last instant: %v, %v", err, res.Effects)
	}
}

// versionFile is the default rule file as a version of date with
// give_back_allowed set to expr, without its tests.
func versionFile(t *testing.T, date, expr string) []byte {
	t.Helper()
	return []byte("policy: points\nversion: " + date + "\nthresholds:\n  give_back_allowed:\n    rule: PTS-2\n    expr: '" + expr + "'\n")
}

// Pinned versions: a Spend is judged by the version in force at its
// payment for its whole life, also after the host reloads a set with an
// earlier version inserted; a set without that version refuses clearly.
func TestPinnedVersion(t *testing.T) {
	v1 := must(DefaultPolicy().Override(fstest.MapFS{"v1.yaml": {Data: versionFile(t, "2024-01-01", `refund.stage != "confirmed"`)}}, "*.yaml"))
	m, _ := newMachine(v1)
	s := paid(t, m)
	if s.Version != "2024-01-01" {
		t.Fatalf("pinned version %q", s.Version)
	}
	// Reloaded with a version dated after the pinned one and before the
	// payment: In(PaidAt) would now pick it, the pin does not.
	v2 := must(v1.Override(fstest.MapFS{"v2.yaml": {Data: versionFile(t, "2024-02-01", "false")}}, "*.yaml"))
	if v2.In(s.PaidAt).Date() != "2024-02-01" {
		t.Fatalf("setup: In(PaidAt) = %s", v2.In(s.PaidAt).Date())
	}
	m2 := New(Options{Policy: v2})
	res, err := m2.ApplyAt(s, refundB("r1", Shipped, false), paidAt)
	if err != nil || len(res.Effects) != 2 {
		t.Fatalf("judged by the pinned version: %v, effects %v", err, res.Effects)
	}
	if res.Decisions[0].Version != "2024-01-01" {
		t.Errorf("decision version %q", res.Decisions[0].Version)
	}
	// A set that no longer holds the pinned version.
	dropped := must(rules.Load(Schema(), fstest.MapFS{"p.yaml": {Data: must(policyFS.ReadFile("policy/points.yaml"))}}, "*.yaml"))
	m3 := New(Options{Policy: dropped})
	res, err = m3.ApplyAt(s, refundB("r1", Shipped, false), paidAt)
	if !errors.Is(err, ErrPolicy) || ruleOf(err) != "" {
		t.Fatalf("dropped version: err = %v, want ErrPolicy", err)
	}
	if diff := cmp.Diff(s, res.State); diff != "" {
		t.Errorf("dropped version changed the spend (-want +got):\n%s", diff)
	}
}

// Spend and Result round-trip through JSON, instants in UTC.
func TestStateJSON(t *testing.T) {
	m, _ := newMachine(nil)
	pay, err := m.PayAt(payOrder, Wallet{Beans: 100000, Points: 100000}, Ledger{}, Choice{Beans: 2000, Points: 1001}, start)
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.ApplyAt(pay.State, refundB("r1", Shipped, false), paidAt.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []Result{pay, res} {
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		var std Result
		if err := json.Unmarshal(b, &std); err != nil {
			t.Fatalf("json.Unmarshal: %v", err)
		}
		got, err := DecodeResult(b)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range []Result{std, got} {
			if diff := cmp.Diff(r, g); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
		}
		sb, _ := json.Marshal(r.State)
		if s, err := DecodeSpend(sb); err != nil || !cmp.Equal(s, r.State) {
			t.Errorf("DecodeSpend: %v", err)
		}
	}
	b, _ := json.Marshal(pay.State)
	if want := `"paid_at":"2024-03-01T02:00:00Z"`; !strings.Contains(string(b), want) {
		t.Errorf("spend JSON %s lacks %s", b, want)
	}
}

// The Spend's last instant at the exact second: one second before it is
// refused (ErrClockBehind, PTS-2) with the spend unchanged, the instant
// itself and one second after are applied.
func TestSpendClockBoundary(t *testing.T) {
	m, _ := newMachine(nil)
	first, err := m.ApplyAt(paid(t, m), refundB("r1", Shipped, false), paidAt.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	s := first.State
	last := s.Updated
	r := Refund{ID: "r2", Stage: Shipped, Lines: []RefundLine{{Line: "a", Refunded: yuan("1"), Paid: yuan("41.99")}}}
	for _, tt := range []struct {
		at   time.Time
		want error
	}{
		{last.Add(-time.Second), ErrClockBehind},
		{last, nil},
		{last.Add(time.Second), nil},
	} {
		res, err := m.ApplyAt(s, r, tt.at)
		if !errors.Is(err, tt.want) || (err == nil) != (tt.want == nil) {
			t.Errorf("at %s: %v, want %v", tt.at, err, tt.want)
			continue
		}
		if err != nil {
			if ruleOf(err) != "PTS-2" || !cmp.Equal(res.State, s) {
				t.Errorf("at %s: refusal %v changed the state", tt.at, err)
			}
			continue
		}
		if !res.State.Updated.Equal(tt.at) || res.State.Seq != s.Seq+2 || res.Effects[0].ID != s.Seq+1 {
			t.Errorf("at %s: updated %s, seq %d, effects %v", tt.at, res.State.Updated, res.State.Seq, res.Effects)
		}
	}
}
