package order

import (
	"github.com/tradepolicy/tradepolicy/dispute"
	"github.com/tradepolicy/tradepolicy/refund"
	"slices"
	"testing"
	"time"
)

func benchCart() Cart {
	a, b := item("a", "s1", "30.00", 2), item("b", "s1", "12.50", 1)
	a.Type, b.Type = "tea", "cup"
	a.Discount, a.Coupons = d("5.00"), []string{"c1"}
	return cart(a, b)
}

// trade runs the benchmark's trade: checkout → paid → shipped in 2
// parcels → partial refund → complaint opened and closed → completed by
// auto-confirm.
type step struct {
	e  Event
	at time.Time
}

func trade(b *testing.B, m *Machine, c Cart, steps []step) State {
	rs, err := m.CheckoutAt(c, t0)
	if err != nil {
		b.Fatal(err)
	}
	s := rs[0].State
	for _, st := range steps {
		r, err := m.ApplyAt(s, st.e, st.at)
		if err != nil {
			b.Fatal(err)
		}
		s = r.State
	}
	r := m.AdvanceAt(s, t0.Add(1000*time.Hour))
	if r.State.Status != Completed {
		b.Fatal(r.State.Status)
	}
	return r.State
}

func tradeSteps() []step {
	return []step{
		{Pay{Via: testVia, Number: "p", Amount: d("67.50"), At: t0}, t0},
		{Ship{Lines: []string{"a"}, Carrier: "SF", Tracking: "1", At: t0.Add(time.Hour)}, t0.Add(time.Hour)},
		{Ship{Lines: []string{"b"}, Carrier: "SF", Tracking: "2", At: t0.Add(2 * time.Hour)}, t0.Add(2 * time.Hour)},
		{Refund{Event: refund.Open{Kind: refund.RefundOnly, Reason: refund.Agreed, Items: []refund.Item{{Line: "b"}}}}, t0.Add(3 * time.Hour)},
		{Refund{Event: refund.MerchantAgree{Request: 1}}, t0.Add(4 * time.Hour)},
		{Complaint{Event: dispute.Complain{Type: "product", Filer: dispute.Filer{Identity: "id", Contact: "138"},
			Respondent: "s1", Claims: "refund", Facts: "broken", Reasons: "quality", Evidence: []string{"photo"}}}, t0.Add(5 * time.Hour)},
		{Complaint{Event: dispute.Withdraw{Complaint: 1}}, t0.Add(6 * time.Hour)},
	}
}

func BenchmarkTrade(b *testing.B) {
	m := New(Options{})
	c, steps := benchCart(), tradeSteps()
	b.ReportAllocs()
	for b.Loop() {
		trade(b, m, c, steps)
	}
}

func BenchmarkTradeFloor(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if floorTrade() != fCompleted {
			b.Fatal("floor")
		}
	}
}

func BenchmarkApplyShip(b *testing.B) {
	m := New(Options{})
	s := paid(&testing.T{}, m, open(&testing.T{}, m, benchCart().Items...), t0)
	e := Ship{Lines: []string{"a"}, Carrier: "SF", Tracking: "1", At: t0}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.ApplyAt(s, e, t0); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkApplyConfirm(b *testing.B) {
	m := New(Options{})
	s := paid(&testing.T{}, m, open(&testing.T{}, m, benchCart().Items...), t0)
	s = must(&testing.T{}, m, s, Ship{Lines: []string{"a", "b"}, Carrier: "SF", Tracking: "1", At: t0}, t0).State
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.ApplyAt(s, ConfirmReceipt{}, t0); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAdvanceAutoConfirm(b *testing.B) {
	m := New(Options{})
	s := paid(&testing.T{}, m, open(&testing.T{}, m, benchCart().Items...), t0)
	s = must(&testing.T{}, m, s, Ship{Lines: []string{"a", "b"}, Carrier: "SF", Tracking: "1", At: t0}, t0).State
	at := s.Due
	b.ReportAllocs()
	for b.Loop() {
		if r := m.AdvanceAt(s, at); r.State.Status != Completed {
			b.Fatal(r.State.Status)
		}
	}
}

// The floor: the same trade hand-written with constant thresholds, int64
// fen, the same statuses, deadlines and effects, and no policy, no
// validation, no decisions.

const (
	fPending = iota + 1
	fAwaiting
	fPartial
	fShipped
	fCompleted
)

type fLine struct {
	id       string
	cash     int64
	shipment int
	refunded int64
	done     bool
}

type fEffect struct {
	id     uint64
	at     time.Time
	kind   string
	amount int64
}

type fOrder struct {
	status                          int
	lines                           []fLine
	paid, frozen, settled, refunded int64
	due                             time.Time
	left                            time.Duration
	claims                          []string
	seq                             uint64
	shipments                       int
	refunds                         []string
}

func (o *fOrder) emit(at time.Time, kind string, amt int64, out *[]fEffect) {
	o.seq++
	*out = append(*out, fEffect{o.seq, at, kind, amt})
}

func (o *fOrder) advance(now time.Time, out *[]fEffect) {
	if o.status == fShipped && !o.due.IsZero() && !o.due.After(now) {
		o.status = fCompleted
		o.settled += o.frozen
		o.emit(o.due, "release_escrow", o.frozen, out)
		o.frozen, o.due = 0, time.Time{}
	}
}

func (o *fOrder) ship(ids []string, at time.Time) {
	o.shipments++
	for i := range o.lines {
		if slices.Contains(ids, o.lines[i].id) {
			o.lines[i].shipment = o.shipments
		}
	}
	o.follow(at)
}

func (o *fOrder) follow(at time.Time) {
	unshipped := 0
	for _, l := range o.lines {
		if !l.done && l.shipment == 0 {
			unshipped++
		}
	}
	if unshipped == 0 && o.status != fShipped {
		o.status = fShipped
		o.due = at.Add(240 * time.Hour)
		if len(o.claims) > 0 {
			o.left, o.due = 240*time.Hour, time.Time{}
		}
	} else if unshipped > 0 {
		o.status = fPartial
	}
}

func floorTrade() int {
	var out []fEffect
	o := &fOrder{status: fPending, lines: []fLine{{id: "a", cash: 5500}, {id: "b", cash: 1250}}, due: t0.Add(24 * time.Hour)}
	// pay
	o.advance(t0, &out)
	o.paid, o.frozen, o.status, o.due = 6750, 6750, fAwaiting, time.Time{}
	o.emit(t0, "freeze_escrow", 6750, &out)
	o.ship([]string{"a"}, t0.Add(time.Hour))
	o.advance(t0.Add(time.Hour), &out)
	o.ship([]string{"b"}, t0.Add(2*time.Hour))
	open := func(id string, at time.Time) {
		if len(o.claims) == 0 && !o.due.IsZero() {
			o.left, o.due = o.due.Sub(at), time.Time{}
		}
		o.claims = append(o.claims, id)
	}
	closeClaim := func(id string, at time.Time) {
		o.claims = slices.DeleteFunc(o.claims, func(c string) bool { return c == id })
		if len(o.claims) == 0 && o.due.IsZero() {
			o.due, o.left = at.Add(o.left), 0
		}
	}
	open("refund/1", t0.Add(3*time.Hour))
	// partial refund of b from escrow
	o.lines[1].refunded, o.lines[1].done = 1250, true
	o.refunds = append(o.refunds, "refund/1")
	o.frozen -= 1250
	o.refunded += 1250
	o.emit(t0.Add(4*time.Hour), "refund_money", 1250, &out)
	o.emit(t0.Add(4*time.Hour), "refund_settled", 1250, &out)
	o.emit(t0.Add(4*time.Hour), "fund_refund", 1250, &out)
	o.follow(t0.Add(4 * time.Hour))
	closeClaim("refund/1", t0.Add(4*time.Hour))
	open("complaint/1", t0.Add(5*time.Hour))
	o.emit(t0.Add(5*time.Hour), "dispute_notice", 0, &out)
	closeClaim("complaint/1", t0.Add(6*time.Hour))
	o.emit(t0.Add(6*time.Hour), "dispute_judged", 0, &out)
	o.advance(t0.Add(1000*time.Hour), &out)
	return o.status
}

func BenchmarkCheckout(b *testing.B) {
	m := New(Options{})
	c := benchCart()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.CheckoutAt(c, t0); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValidate(b *testing.B) {
	m := New(Options{})
	s := paid(&testing.T{}, m, open(&testing.T{}, m, benchCart().Items...), t0)
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Validate(); err != nil {
			b.Fatal(err)
		}
	}
}
