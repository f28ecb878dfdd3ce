package refund

import (
	"errors"
	"flag"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tradepolicy/tradepolicy/internal/goldentest"
	"github.com/tradepolicy/tradepolicy/rules"
)

var update = flag.Bool("update", false, "rewrite golden files")

// tableEvents are the variants of the event of each name aimed at
// request 1, with fields the event's own checks accept.
func tableEvents(name string) []Event {
	if name == "platform_decide" {
		return []Event{PlatformDecide{Request: 1, Outcome: RefundAll}, PlatformDecide{Request: 1, Outcome: Reject}}
	}
	return []Event{tableEvent(name)}
}

func tableEvent(name string) Event {
	switch name {
	case "merchant_agree":
		return MerchantAgree{Request: 1}
	case "merchant_refuse":
		return MerchantRefuse{Request: 1}
	case "modify":
		return Modify{Request: 1, Items: []Item{{Line: "B", Amount: d("10.00")}}}
	case "withdraw":
		return Withdraw{Request: 1}
	case "ask_intervention":
		return AskIntervention{Request: 1}
	case "submit_logistics":
		return SubmitLogistics{Request: 1, Carrier: "SF", Tracking: "SF1"}
	case "merchant_receive":
		return MerchantReceive{Request: 1}
	case "merchant_refund":
		return MerchantRefund{Request: 1}
	case "platform_decide":
		return PlatformDecide{Request: 1, Outcome: RefundAll}
	case "shipping_voucher":
		return ShippingVoucher{Request: 1, ShippedAt: t0.Add(-day)}
	case "suspect_crime":
		return SuspectCrime{Request: 1}
	case "shipped_after_revocation":
		return ShippedAfterRevocation{Lines: []string{"B"}}
	}
	return nil
}

// tableStart is a request 1 reached by events, with the variant a row needs.
type tableStart struct {
	name  string
	kind  Kind
	order func(*Order)
	steps []Event // at t0, t0+1h, …
	wait  bool    // then let the first deadline pass
	due   string  // the threshold that set the pending deadline, where its rule has several
}

func (c tableStart) reach(t *testing.T) *fixture {
	t.Helper()
	f := newFixtureWith(t, c.order)
	for i, e := range c.steps {
		f.at(hour * time.Duration(i))
		f.apply(e)
	}
	f.at(hour * time.Duration(len(c.steps)))
	if c.wait {
		f.now = f.s.Next()
		f.advance()
	}
	return f
}

const hour = time.Hour

func tableStarts() []tableStart {
	direct := func(o *Order) { o.Mode = Direct }
	unshippedB := func(o *Order) { unshipped(o, "B") }
	prohibited := func(o *Order) { o.Lines[1].Prohibited = true }
	signedA := func(o *Order) { o.Lines[0].SignedAt = t0.Add(-hour).UTC() }
	ro := Open{Kind: RefundOnly, Reason: Agreed, Items: []Item{{Line: "B"}}}
	rr := Open{Kind: ReturnRefund, Reason: Agreed, Items: []Item{{Line: "B"}}}
	nr := Open{Kind: ReturnRefund, Reason: NoReason, Items: []Item{{Line: "A"}}}
	pr := Open{Kind: ReturnRefund, Reason: Prohibited, Items: []Item{{Line: "B"}}}
	agree, refuse := MerchantAgree{Request: 1}, MerchantRefuse{Request: 1}
	ship := tableEvent("submit_logistics")
	receive, ask := MerchantReceive{Request: 1}, AskIntervention{Request: 1}
	modify := tableEvent("modify")
	return []tableStart{
		{"refund only, escrow", RefundOnly, nil, []Event{ro}, false, ""},
		{"refund only, direct", RefundOnly, direct, []Event{ro}, false, ""},
		{"revocation", RefundOnly, unshippedB, []Event{ro}, false, ""},
		{"revocation completed", RefundOnly, unshippedB, []Event{ro, agree}, false, ""},
		{"direct, merchant silent", RefundOnly, direct, []Event{ro}, true, ""},
		{"refund only, refused", RefundOnly, nil, []Event{ro, refuse}, false, ""},
		{"refund only, intervention", RefundOnly, nil, []Event{ro, refuse, ask}, false, ""},
		{"return", ReturnRefund, nil, []Event{rr}, false, ""},
		{"return, refused", ReturnRefund, nil, []Event{rr, refuse}, false, ""},
		{"return, refused after receipt", ReturnRefund, nil, []Event{rr, agree, ship, receive, refuse}, false, ""},
		{"return, awaiting return", ReturnRefund, nil, []Event{rr, agree}, false, ""},
		{"return, returning", ReturnRefund, nil, []Event{rr, agree, ship}, false, ""},
		{"return, received", ReturnRefund, nil, []Event{rr, agree, ship, receive}, false, "return_refund"},
		{"no-reason return, received", ReturnRefund, signedA, []Event{nr, agree, ship, receive}, false, ""},
		{"return, modified after receipt", ReturnRefund, nil, []Event{rr, agree, ship, receive, refuse, modify}, false, "return_merchant_response"},
		{"return, intervention", ReturnRefund, nil, []Event{rr, refuse, ask}, false, ""},
		{"prohibited", ReturnRefund, prohibited, []Event{pr}, false, ""},
		{"prohibited, awaiting return", ReturnRefund, prohibited, []Event{pr, agree}, false, ""},
		{"prohibited, returning", ReturnRefund, prohibited, []Event{pr, agree, ship}, false, ""},
		{"prohibited, received", ReturnRefund, prohibited, []Event{pr, agree, ship, receive}, false, "return_refund"},
	}
}

type rowKey struct {
	kind     Kind
	from, to Status
	on, rule string
}

// TestTableDrivesMachine drives every row of both tables: from each start,
// every event the table accepts moves the request along one of its rows,
// every other event is refused with ErrNotAllowed, and the pending
// deadline moves it along the timer row of the threshold that set it;
// every row must be driven by some start.
func TestTableDrivesMachine(t *testing.T) {
	driven := map[rowKey]bool{}
	rows := map[Kind][]rowKey{}
	for _, k := range []Kind{RefundOnly, ReturnRefund} {
		for _, x := range Transitions(k) {
			rows[k] = append(rows[k], rowKey{k, x.From, x.To, x.On, x.Rule})
		}
	}
	// row finds the row from --on--> to; of rows that differ only in
	// their rule, the one of r's machine.
	row := func(r Request, to Status, on, rule string) (rowKey, bool) {
		var found []rowKey
		for _, key := range rows[r.Kind] {
			if key.from == r.Status && key.to == to && key.on == on {
				found = append(found, key)
			}
		}
		for _, key := range found {
			if len(found) == 1 || key.rule == rule {
				return key, true
			}
		}
		return rowKey{}, false
	}
	for _, c := range tableStarts() {
		base := c.reach(t)
		r := base.req(1)
		if r.Kind != c.kind {
			t.Fatalf("%s: kind %v", c.name, r.Kind)
		}
		if r.Revocation || r.Status == Refunded {
			base.ship("B") // the merchant ships B after the request, as the order records
		}
		for _, name := range EventNames() {
			if name == "open" {
				continue
			}
			for _, e := range tableEvents(name) {
				res, err := base.m.ApplyAt(base.o, base.s, e, base.now)
				if !accepts(r.Kind, r.Status, name) {
					var re *rules.RuleError
					if !errors.Is(err, ErrNotAllowed) && !(r.Status.Final() && errors.Is(err, ErrFinal)) || !errors.As(err, &re) {
						t.Errorf("%s (%v): %s not in the table, got %v", c.name, r.Status, name, err)
					}
					continue
				}
				if err != nil {
					continue // a further condition of the rule; the start that meets it drives the row
				}
				got, _ := res.State.Request(1)
				key, ok := row(r, got.Status, name, machineRule(&r))
				if !ok {
					t.Errorf("%s: %v --%s--> %v is no row", c.name, r.Status, name, got.Status)
					continue
				}
				driven[key] = true
			}
		}
		if r.Deadline.IsZero() {
			for _, x := range tableOf(r.Kind) {
				if x.From == r.Status && x.Threshold != "" {
					t.Errorf("%s: %v has no deadline, the table has %+v", c.name, r.Status, x)
				}
			}
			continue
		}
		res := base.m.AdvanceAt(base.o, base.s, r.Deadline)
		got, _ := res.State.Request(1)
		var found []rowKey
		for _, key := range rows[r.Kind] {
			if key.from == r.Status && key.to == got.Status && key.rule == r.DueRule && key.on != "" &&
				tableThreshold(r.Kind, key) && (c.due == "" || key.on == c.due) {
				found = append(found, key)
			}
		}
		if len(found) != 1 {
			t.Errorf("%s: deadline (%s) moved %v to %v: timer rows %v", c.name, r.DueRule, r.Status, got.Status, found)
			continue
		}
		driven[found[0]] = true
	}
	for k, keys := range rows {
		for _, key := range keys {
			if !driven[key] {
				t.Errorf("%v: row %v --%s--> %v (%s) driven by no start", k, key.from, key.on, key.to, key.rule)
			}
		}
	}
}

// tableThreshold reports whether key is a timer row of k's table.
func tableThreshold(k Kind, key rowKey) bool {
	for _, x := range tableOf(k) {
		if x.Threshold != "" && x.From == key.from && x.To == key.to && x.On == key.on && x.Rule == key.rule {
			return true
		}
	}
	return false
}

// Every timer edge names a window threshold of the schema, declared for
// the edge's rule.
func TestTableThresholdsDeclared(t *testing.T) {
	for _, k := range []Kind{RefundOnly, ReturnRefund} {
		for _, x := range Transitions(k) {
			if x.Threshold == "" {
				if !contains(EventNames(), x.On) {
					t.Errorf("%v: unknown event %q", k, x.On)
				}
				continue
			}
			d, ok := Schema().Decl(x.Threshold)
			if !ok || d.Type != rules.Window || d.Rule != x.Rule || x.On != x.Threshold {
				t.Errorf("%v: timer edge %+v: declared %v %+v", k, x, ok, d)
			}
		}
	}
}

func TestDiagramGolden(t *testing.T) {
	for _, k := range []Kind{RefundOnly, ReturnRefund} {
		for ext, got := range map[string]string{"mmd": Diagram(nil, k), "dot": DiagramDOT(nil, k)} {
			golden(t, filepath.Join("testdata", k.String()+"."+ext), got)
		}
	}
	if got := Diagram(nil, RefundOnly); !strings.Contains(got, "after merchant_response = 48h (RFD-2)") {
		t.Errorf("no merchant_response label:\n%s", got)
	}
	if Diagram(nil, 0) != "" {
		t.Error("a diagram of an invalid kind")
	}
	// The values are those of the given policy.
	set, err := DefaultPolicy().OverrideExpr("merchant_response", `duration("72h")`)
	if err != nil {
		t.Fatal(err)
	}
	if got := Diagram(set, RefundOnly); !strings.Contains(got, "after merchant_response = 72h (RFD-2)") {
		t.Errorf("override not shown:\n%s", got)
	}
}

func golden(t *testing.T, path, got string) {
	t.Helper()
	goldentest.Check(t, path, got, *update)
}
