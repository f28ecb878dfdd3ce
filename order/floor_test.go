package order

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/internal/money"
)

// The floor: the benchmark's trade hand-written as a host might write it
// for this one trade, with constant thresholds (24h to pay, 48h for the
// merchant's reply to a refund request and to a complaint, 240h to
// auto-confirm) and int64 fen. It does what the machine does and nothing
// more: the checkout from the same Cart (decimals to fen, one order for
// the store, the order number, the lines with their allocations), the
// payment, the two parcels, the refund request with its settlement, the
// complaint with its outcome, the ORD-9 pause and resume, the same
// deadline after every step, and the same seven effects with the same
// payloads, numbered in sequence. It has no policy, no validation of a
// stored state, no copy-on-write (it changes its one value in place), no
// decisions and no JSON.

const (
	fPayWithin     = 24 * time.Hour
	fReplyWithin   = 48 * time.Hour
	fConfirmWithin = 240 * time.Hour
)

type fLine struct {
	id, typ                         string
	price, amount, discount         int64
	beanValue, pointValue, refunded int64
	quantity, shipment              int
	coupons                         []string
	done                            bool
}

func (l *fLine) cash() int64 { return l.amount - l.discount - l.beanValue - l.pointValue }

type fPayment struct {
	number, route, account string
	amount                 int64
	at                     time.Time
}

type fParcel struct {
	lines             []string
	carrier, tracking string
	at                time.Time
}

type fSettledLine struct {
	line                  string
	money, refunded, paid int64
	done                  bool
}

type fRequest struct {
	id               int
	kind, reason     string
	lines            []string
	status, stage    string
	requested, since time.Time
	due              time.Time // the merchant's reply
	money            int64
	settled          []fSettledLine
}

type fComplaint struct {
	id              int
	typ, respondent string
	status, outcome string
	filed, since    time.Time
	due             time.Time // the respondent's reply
	round           int
}

// fEffect is one compact record for every kind (no boxing): ref is the
// request or complaint, amount and other the kind's two sums, text its
// words (route and account; party and status; outcome and complaint
// type), due a reply deadline, lines a settlement's lines. The trade and
// respondent of a judgement are the order's number and store, and its
// version the one constant version.
type fEffect struct {
	id            uint64
	at, due       time.Time
	rule          string
	kind          fKind
	ref           int
	amount, other int64
	text          [2]string
	lines         []fSettledLine
}

type fKind uint8

const (
	fFreezeEscrow fKind = iota + 1
	fRefundMoney
	fRefundSettled
	fFundRefund
	fDisputeNotice
	fDisputeJudged
	fReleaseEscrow
)

type fTrade struct {
	number, checkout, store, buyer  string
	status                          int
	lines                           []fLine
	shipping                        int64
	payments                        []fPayment
	parcels                         []fParcel
	paid, frozen, settled, refunded int64
	due                             time.Time // the order's own deadline
	left                            time.Duration
	requests                        []fRequest
	complaints                      []fComplaint
	seq                             uint64
	effects                         []fEffect
	next                            time.Time // the trade's next deadline after each step
}

var errFloor = errors.New("floor: refused")

func (o *fTrade) emit(e fEffect) {
	o.seq++
	e.id = o.seq
	o.effects = append(o.effects, e)
}

func (o *fTrade) line(id string) int {
	for i := range o.lines {
		if o.lines[i].id == id {
			return i
		}
	}
	return -1
}

// open reports whether a refund request or complaint is open (ORD-9).
func (o *fTrade) open() bool {
	for i := range o.requests {
		if o.requests[i].status == "awaiting_merchant" {
			return true
		}
	}
	for i := range o.complaints {
		if o.complaints[i].status == "awaiting_reply" {
			return true
		}
	}
	return false
}

// pause and resume the auto-confirm countdown around a claim (ORD-9).
func (o *fTrade) pause(at time.Time) {
	if o.status == fShipped && !o.due.IsZero() {
		o.left, o.due = o.due.Sub(at), time.Time{}
	}
}

func (o *fTrade) resume(at time.Time) {
	if o.status == fShipped && o.due.IsZero() && o.left > 0 && !o.open() {
		o.due, o.left = at.Add(o.left), 0
	}
}

// deadline is the trade's next deadline: its own, a request's or a
// complaint's, whichever is first.
func (o *fTrade) deadline() {
	n := o.due
	for i := range o.requests {
		if r := &o.requests[i]; r.status == "awaiting_merchant" && (n.IsZero() || r.due.Before(n)) {
			n = r.due
		}
	}
	for i := range o.complaints {
		if c := &o.complaints[i]; c.status == "awaiting_reply" && (n.IsZero() || c.due.Before(n)) {
			n = c.due
		}
	}
	o.next = n
}

func floorCheckout(c Cart, now time.Time) (*fTrade, error) {
	o := &fTrade{number: c.ID + "-1", checkout: c.ID, store: c.Items[0].Store, buyer: c.Buyer, status: fPending,
		lines: make([]fLine, len(c.Items)), effects: make([]fEffect, 0, 8), due: now.Add(fPayWithin)}
	for i, it := range c.Items {
		if it.Store != o.store || it.Stock < it.Quantity {
			return nil, errFloor
		}
		var f [5]int64
		for k, d := range [5]decimal.Decimal{it.Price, it.Discount, it.BeanValue, it.PointValue, it.Shipping} {
			v, err := money.Amount(d)
			if err != nil {
				return nil, err
			}
			f[k] = v
		}
		typ := it.Type
		if typ == "" {
			typ = it.ID
		}
		o.lines[i] = fLine{id: it.ID, typ: typ, price: f[0], quantity: it.Quantity, amount: f[0] * int64(it.Quantity),
			discount: f[1], beanValue: f[2], pointValue: f[3], coupons: slices.Clone(it.Coupons)}
		o.shipping += f[4]
	}
	o.deadline()
	return o, nil
}

func (o *fTrade) pay(number, route, account string, amount int64, at time.Time) error {
	payable := o.shipping
	for i := range o.lines {
		payable += o.lines[i].cash()
	}
	if o.status != fPending || amount != payable {
		return errFloor
	}
	o.payments = append(o.payments, fPayment{number: number, route: route, account: account, amount: amount, at: at})
	o.paid, o.frozen, o.status, o.due = amount, amount, fAwaiting, time.Time{}
	o.emit(fEffect{at: at, rule: "ORD-13", kind: fFreezeEscrow, amount: amount})
	o.deadline()
	return nil
}

func (o *fTrade) ship(lines []string, carrier, tracking string, at time.Time) error {
	for _, id := range lines {
		if j := o.line(id); j < 0 || o.lines[j].shipment != 0 || o.lines[j].done {
			return errFloor
		}
	}
	o.parcels = append(o.parcels, fParcel{lines: slices.Clone(lines), carrier: carrier, tracking: tracking, at: at})
	for _, id := range lines {
		o.lines[o.line(id)].shipment = len(o.parcels)
	}
	o.follow(at)
	o.deadline()
	return nil
}

// follow sets the status the lines call for (ORD-11, ORD-12) and starts
// the auto-confirm countdown when the last line ships (ORD-9).
func (o *fTrade) follow(at time.Time) {
	unshipped := 0
	for i := range o.lines {
		if !o.lines[i].done && o.lines[i].shipment == 0 {
			unshipped++
		}
	}
	switch {
	case unshipped > 0:
		o.status = fPartial
	case o.status != fShipped:
		o.status, o.due = fShipped, at.Add(fConfirmWithin)
		if o.open() {
			o.pause(at)
		}
	}
}

func (o *fTrade) requestRefund(line string, at time.Time) error {
	if j := o.line(line); j < 0 || o.lines[j].done {
		return errFloor
	}
	was := o.open()
	o.requests = append(o.requests, fRequest{id: len(o.requests) + 1, kind: "refund_only", reason: "agreed",
		lines: []string{line}, status: "awaiting_merchant", requested: at, since: at, due: at.Add(fReplyWithin)})
	if !was {
		o.pause(at)
	}
	o.deadline()
	return nil
}

func (o *fTrade) agree(id int, at time.Time) error {
	if id < 1 || id > len(o.requests) || o.requests[id-1].status != "awaiting_merchant" {
		return errFloor
	}
	r := &o.requests[id-1]
	stage := "awaiting_shipment"
	r.settled = make([]fSettledLine, len(r.lines))
	var total int64
	for k, l := range r.lines {
		ln := &o.lines[o.line(l)]
		if ln.shipment != 0 {
			stage = "shipped"
		}
		m := ln.cash() - ln.refunded
		ln.refunded += m
		ln.done = true
		r.settled[k] = fSettledLine{line: l, money: m, refunded: ln.refunded, paid: ln.cash(), done: true}
		total += m
	}
	r.status, r.stage, r.since, r.money = "refunded", stage, at, total
	fromEscrow := min(o.frozen, total)
	o.frozen -= fromEscrow
	o.settled -= total - fromEscrow
	o.refunded += total
	p := &o.payments[0]
	o.emit(fEffect{at: at, rule: "RFD-4", kind: fRefundMoney, ref: id, amount: total, text: [2]string{p.route, p.account}})
	o.emit(fEffect{at: at, rule: "RFD-10", kind: fRefundSettled, ref: id, text: [2]string{stage}, lines: r.settled})
	o.emit(fEffect{at: at, rule: "ORD-13", kind: fFundRefund, ref: id, amount: fromEscrow, other: total - fromEscrow})
	o.follow(at)
	o.resume(at)
	o.deadline()
	return nil
}

func (o *fTrade) complain(typ, respondent string, at time.Time) error {
	if len(o.payments) == 0 || respondent != o.store || typ == "" {
		return errFloor
	}
	was := o.open()
	c := fComplaint{id: len(o.complaints) + 1, typ: typ, respondent: respondent, status: "awaiting_reply",
		filed: at, since: at, due: at.Add(fReplyWithin), round: 1}
	o.complaints = append(o.complaints, c)
	if !was {
		o.pause(at)
	}
	o.emit(fEffect{at: at, rule: "DSP-4", kind: fDisputeNotice, ref: c.id, text: [2]string{"merchant", c.status}, due: c.due})
	o.deadline()
	return nil
}

func (o *fTrade) withdraw(id int, at time.Time) error {
	if id < 1 || id > len(o.complaints) || o.complaints[id-1].status != "awaiting_reply" {
		return errFloor
	}
	c := &o.complaints[id-1]
	c.status, c.outcome, c.since = "done", "withdrawn", at
	o.emit(fEffect{at: at, rule: "DSP-3", kind: fDisputeJudged, ref: id, text: [2]string{c.outcome, c.typ}})
	o.resume(at)
	o.deadline()
	return nil
}

// advance fires the auto-confirm deadline if it is due (ORD-9).
func (o *fTrade) advance(now time.Time) {
	if o.status == fShipped && !o.due.IsZero() && !o.due.After(now) {
		at := o.due
		o.status = fCompleted
		o.settled += o.frozen
		o.emit(fEffect{at: at, rule: "ORD-9", kind: fReleaseEscrow, amount: o.frozen, other: o.refunded})
		o.frozen, o.due = 0, time.Time{}
	}
	o.deadline()
}

// floorStep runs step i of the benchmark's trade (tradeSteps) on the
// floor; there are floorSteps of them.
func floorStep(o *fTrade, i int) error {
	switch i {
	case 0:
		return o.pay("p", "wallet_balance", "buyer", 6750, t0)
	case 1:
		return o.ship([]string{"a"}, "SF", "1", t0.Add(time.Hour))
	case 2:
		return o.ship([]string{"b"}, "SF", "2", t0.Add(2*time.Hour))
	case 3:
		return o.requestRefund("b", t0.Add(3*time.Hour))
	case 4:
		return o.agree(1, t0.Add(4*time.Hour))
	case 5:
		return o.complain("product", "s1", t0.Add(5*time.Hour))
	case 6:
		return o.withdraw(1, t0.Add(6*time.Hour))
	}
	return errFloor
}

const floorSteps = 7

// floorTrade runs the benchmark's trade on the floor.
func floorTrade(c Cart) (*fTrade, error) {
	o, err := floorCheckout(c, t0)
	if err != nil {
		return nil, err
	}
	for i := range floorSteps {
		if err := floorStep(o, i); err != nil {
			return nil, err
		}
	}
	o.advance(t0.Add(1000 * time.Hour))
	return o, nil
}

// TestFloorAgrees checks that the floor is the machine's trade: after
// every step the same next deadline, and in the end the same effects
// (ID, instant, rule, kind, amounts) and the same books.
func TestFloorAgrees(t *testing.T) {
	m := New(Options{})
	c, steps := benchCart(), tradeSteps()
	rs, err := m.CheckoutAt(c, t0)
	if err != nil {
		t.Fatal(err)
	}
	o, err := floorCheckout(c, t0)
	if err != nil {
		t.Fatal(err)
	}
	if o.number != rs[0].State.Number || !o.next.Equal(rs[0].Next) {
		t.Fatalf("checkout: floor %s next %v, machine %s next %v", o.number, o.next, rs[0].State.Number, rs[0].Next)
	}
	s := rs[0].State
	var effects []Effect
	if len(steps) != floorSteps {
		t.Fatalf("%d steps, %d on the floor", len(steps), floorSteps)
	}
	for i, st := range steps {
		r, err := m.ApplyAt(s, st.e, st.at)
		if err != nil {
			t.Fatal(err)
		}
		if err := floorStep(o, i); err != nil {
			t.Fatalf("floor step %d: %v", i, err)
		}
		if !o.next.Equal(r.Next) {
			t.Errorf("after %s: floor next %v, machine %v", st.e.Name(), o.next, r.Next)
		}
		s, effects = r.State, append(effects, r.Effects...)
	}
	r := m.AdvanceAt(s, t0.Add(1000*time.Hour))
	o.advance(t0.Add(1000 * time.Hour))
	effects = append(effects, r.Effects...)
	s = r.State
	if len(effects) != len(o.effects) {
		t.Fatalf("machine %d effects, floor %d", len(effects), len(o.effects))
	}
	kinds := [...]string{fFreezeEscrow: "freeze_escrow", fRefundMoney: "refund_money", fRefundSettled: "refund_settled",
		fFundRefund: "fund_refund", fDisputeNotice: "dispute_notice", fDisputeJudged: "dispute_judged", fReleaseEscrow: "release_escrow"}
	for i, e := range effects {
		f := o.effects[i]
		if e.ID != f.id || !e.At.Equal(f.at) || e.Rule != f.rule || e.Act.Kind() != kinds[f.kind] {
			t.Errorf("effect %d: machine %d %v %s %s, floor %d %v %s %s", i, e.ID, e.At, e.Rule, e.Act.Kind(), f.id, f.at, f.rule, kinds[f.kind])
		}
		// The payloads, field by field as JSON writes them.
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		var got map[string]any
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatal(err)
		}
		yuan := func(f int64) string { return Fen(f).Decimal().String() }
		want := map[fKind]map[string]any{
			fFreezeEscrow:  {"amount": yuan(f.amount)},
			fRefundMoney:   {"request": float64(f.ref), "amount": yuan(f.amount), "route": f.text[0], "account": f.text[1]},
			fRefundSettled: {"request": float64(f.ref), "stage": f.text[0]},
			fFundRefund:    {"request": float64(f.ref), "from_escrow": yuan(f.amount), "from_merchant": yuan(f.other)},
			fDisputeNotice: {"complaint": float64(f.ref), "party": f.text[0], "status": f.text[1], "due": f.due.Format(time.RFC3339)},
			fDisputeJudged: {"complaint": float64(f.ref), "outcome": f.text[0], "complaint_type": f.text[1], "trade": o.number, "respondent": o.store},
			fReleaseEscrow: {"amount": yuan(f.amount), "refunded": yuan(f.other)},
		}[f.kind]
		for k, v := range want {
			g := got[k]
			if gs, ok := g.(string); ok && strings.Contains(gs, ".") { // "12.5" and "12.50" are one amount
				if a, b := decimal.RequireFromString(gs), decimal.RequireFromString(v.(string)); a.Equal(b) {
					continue
				}
			}
			if g != v {
				t.Errorf("effect %d %s: %s is %v on the machine, %v on the floor", i, kinds[f.kind], k, g, v)
			}
		}
	}
	if s.Status != Completed || o.status != fCompleted || int64(s.Paid) != o.paid || int64(s.Settled) != o.settled ||
		int64(s.Refunded) != o.refunded || int64(s.Frozen) != o.frozen {
		t.Errorf("books: machine %v paid %d settled %d refunded %d frozen %d; floor paid %d settled %d refunded %d frozen %d",
			s.Status, s.Paid, s.Settled, s.Refunded, s.Frozen, o.paid, o.settled, o.refunded, o.frozen)
	}
}

// The bare floor: the trade's statuses, its auto-confirm deadline and its
// effects' kinds and amounts only, from an order already built (no
// checkout), with no records of the payment, parcels, refund request or
// complaint and no effect payloads beyond an amount. It is the floor as it
// was first written, kept to show how far below the full floor it sits.

const (
	fPending = iota + 1
	fAwaiting
	fPartial
	fShipped
	fCompleted
)

type bareLine struct {
	id       string
	cash     int64
	shipment int
	refunded int64
	done     bool
}

type bareEffect struct {
	id     uint64
	at     time.Time
	kind   string
	amount int64
}

type bareOrder struct {
	status                          int
	lines                           []bareLine
	paid, frozen, settled, refunded int64
	due                             time.Time
	left                            time.Duration
	claims                          []string
	seq                             uint64
	shipments                       int
	refunds                         []string
}

func (o *bareOrder) emit(at time.Time, kind string, amt int64, out *[]bareEffect) {
	o.seq++
	*out = append(*out, bareEffect{o.seq, at, kind, amt})
}

func (o *bareOrder) advance(now time.Time, out *[]bareEffect) {
	if o.status == fShipped && !o.due.IsZero() && !o.due.After(now) {
		o.status = fCompleted
		o.settled += o.frozen
		o.emit(o.due, "release_escrow", o.frozen, out)
		o.frozen, o.due = 0, time.Time{}
	}
}

func (o *bareOrder) ship(ids []string, at time.Time) {
	o.shipments++
	for i := range o.lines {
		if slices.Contains(ids, o.lines[i].id) {
			o.lines[i].shipment = o.shipments
		}
	}
	o.follow(at)
}

func (o *bareOrder) follow(at time.Time) {
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

func bareTrade() int {
	var out []bareEffect
	o := &bareOrder{status: fPending, lines: []bareLine{{id: "a", cash: 5500}, {id: "b", cash: 1250}}, due: t0.Add(24 * time.Hour)}
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
