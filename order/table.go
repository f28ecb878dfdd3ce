package order

// Transition is one edge of the order lifecycle: in status From, event
// (or timer) On moves the order to To under Rule. From == To is an event
// the status accepts without changing. The one table, [Transitions],
// decides which events a status accepts and which moves the machine may
// make, and draws the [Diagram].
type Transition struct {
	From, To Status
	On       string // an event name, or a timer's name when Timer is set
	Timer    Timer  // non-zero: a deadline edge
	// Threshold names the window threshold of the order policy that sets
	// a deadline edge's instant (payment_timeout, auto_confirm); "" for
	// an event, and for a deadline that is the merchant's presale term.
	Threshold string
	Rule      string
}

func ev(from Status, on string, rule string, to ...Status) []Transition {
	var out []Transition
	for _, s := range to {
		out = append(out, Transition{From: from, To: s, On: on, Rule: rule})
	}
	return out
}

func tm(from Status, k Timer, threshold, rule string, to Status) []Transition {
	return []Transition{{From: from, To: to, On: k.String(), Timer: k, Threshold: threshold, Rule: rule}}
}

var table = func() []Transition {
	var t []Transition
	add := func(ts ...[]Transition) {
		for _, x := range ts {
			t = append(t, x...)
		}
	}
	add(
		ev(PendingPayment, "pay", "ORD-7", AwaitingShipment),
		ev(PendingPayment, "pay_deposit", "ORD-14", PendingPayment),
		ev(PendingPayment, "pay_balance", "ORD-14", AwaitingShipment),
		ev(PendingPayment, "cancel", "ORD-6", Cancelled),
		ev(PendingPayment, "merchant_cancel", "ORD-10", Closed),
		ev(PendingPayment, "change_delivery", "ORD-8", PendingPayment),
		tm(PendingPayment, PaymentTimeout, "payment_timeout", "ORD-4", Cancelled),
		tm(PendingPayment, DepositTimeout, "", "ORD-14", Cancelled),
		tm(PendingPayment, BalanceTimeout, "", "ORD-14", Closed),

		ev(Cancelled, "delete", "ORD-6", Cancelled),

		ev(AwaitingShipment, "ship", "ORD-12", PartiallyShipped),
		ev(AwaitingShipment, "ship", "ORD-8", Shipped),
		ev(AwaitingShipment, "ship", "ORD-9", Completed),
		ev(AwaitingShipment, "merchant_cancel", "ORD-10", Closed),
		ev(AwaitingShipment, "urge_shipment", "ORD-7", AwaitingShipment),
		ev(AwaitingShipment, "change_delivery", "ORD-8", AwaitingShipment),
		ev(AwaitingShipment, "refund", "ORD-11", AwaitingShipment, Closed),
		tm(AwaitingShipment, PresaleShip, "", "ORD-14", AwaitingShipment),

		ev(PartiallyShipped, "ship", "ORD-12", PartiallyShipped, Shipped),
		ev(PartiallyShipped, "ship", "ORD-9", Completed),
		ev(PartiallyShipped, "urge_shipment", "ORD-7", PartiallyShipped),
		ev(PartiallyShipped, "refund", "ORD-11", PartiallyShipped, Shipped, Completed, Closed),
		ev(PartiallyShipped, "undeliverable", "ORD-8", PartiallyShipped),
		tm(PartiallyShipped, PresaleShip, "", "ORD-14", PartiallyShipped),

		ev(Shipped, "confirm_receipt", "ORD-9", Completed),
		ev(Shipped, "refund", "ORD-11", Shipped, Closed),
		ev(Shipped, "undeliverable", "ORD-8", Shipped),
		tm(Shipped, AutoConfirm, "auto_confirm", "ORD-9", Completed),

		ev(Completed, "refund", "ORD-10", Completed, Closed),
		ev(Completed, "undeliverable", "ORD-8", Completed),
		ev(Completed, "review", "ORD-20", Completed),
		ev(Completed, "follow_up", "ORD-20", Completed),

		ev(Closed, "undeliverable", "ORD-8", Closed),
	)
	for _, s := range []Status{PartiallyShipped, Shipped, Completed, Closed} {
		add(ev(s, "sign", "ORD-16", s))
	}
	// Complaints: package dispute judges DSP-3 from the trade's status.
	for _, s := range []Status{PendingPayment, Cancelled, AwaitingShipment, PartiallyShipped, Shipped, Completed, Closed} {
		add(ev(s, "complaint", "DSP-3", s))
	}
	// A presale order with only its deposit paid takes refund requests
	// (ORD-14); listed last so that ORD-11 stays the rule that refuses a
	// refund event elsewhere.
	add(ev(PendingPayment, "refund", "ORD-14", PendingPayment, Closed))
	return t
}()

// Transitions returns the lifecycle table, in a fixed order.
func Transitions() []Transition { return append([]Transition(nil), table...) }

// eventRule is the rule that refuses an event a status does not accept.
var eventRule = func() map[string]string {
	m := map[string]string{}
	for _, x := range table {
		if x.Timer == 0 {
			if _, ok := m[x.On]; !ok {
				m[x.On] = x.Rule
			}
		}
	}
	return m
}()

// edge is one way out of a status: on an event (or timer) name, to a
// status.
type edge struct {
	on string
	to Status
}

// edgesFrom lists each status's edges (index: Status), in table order. A
// status has a few dozen at most, so a scan that compares names (their
// lengths first) is quicker than hashing the name into a map.
var edgesFrom = func() (out [Closed + 1][]edge) {
	for _, x := range table {
		out[x.From] = append(out[x.From], edge{x.On, x.To})
	}
	return out
}()

// accepts reports whether status s accepts event (or timer) on.
func accepts(s Status, on string) bool {
	if int(s) >= len(edgesFrom) {
		return false
	}
	for _, e := range edgesFrom[s] {
		if e.on == on {
			return true
		}
	}
	return false
}

func edgeExists(from Status, on string, to Status) bool {
	if int(from) >= len(edgesFrom) {
		return false
	}
	for _, e := range edgesFrom[from] {
		if e.on == on && e.to == to {
			return true
		}
	}
	return false
}

func timerOn(k Timer) string { return k.String() }
