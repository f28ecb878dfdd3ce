package refund

import (
	"github.com/tradepolicy/tradepolicy/internal/diagram"
	"github.com/tradepolicy/tradepolicy/rules"
)

// Transition is one edge of a request's life: in status From, event (or,
// when Threshold is set, the deadline that threshold sets) On moves the
// request to To under Rule. From == To is an event the status accepts
// without moving. The one table per kind, [Transitions], decides which
// events a status accepts (an event it lacks is refused with
// [ErrNotAllowed]) and draws the [Diagram]. Further conditions of a rule
// (a revocation, a prohibited item, a labelled no-reason item) are
// checked by the event itself, with their own errors.
type Transition struct {
	From, To  Status
	On        string // an event name, or the threshold's name for a deadline
	Threshold string // non-empty: a deadline edge, set by this window threshold
	Rule      string
}

func ev(from Status, on, rule string, to ...Status) []Transition {
	out := make([]Transition, len(to))
	for i, s := range to {
		out[i] = Transition{From: from, To: s, On: on, Rule: rule}
	}
	return out
}

func tm(from Status, threshold, rule string, to ...Status) []Transition {
	out := make([]Transition, len(to))
	for i, s := range to {
		out[i] = Transition{From: from, To: s, On: threshold, Threshold: threshold, Rule: rule}
	}
	return out
}

func join(ts ...[]Transition) []Transition {
	var out []Transition
	for _, t := range ts {
		out = append(out, t...)
	}
	return out
}

// crime is suspect_crime accepted in each of ss (RFD-8): the statuses a
// request on prohibited goods (a return, never refused) can be in.
func crime(ss ...Status) []Transition {
	var out []Transition
	for _, s := range ss {
		out = append(out, ev(s, "suspect_crime", "RFD-8", Held)...)
	}
	return out
}

// refundOnlyTable is the refund-only machine (RFD-2), with a revocation
// of unshipped lines (RFD-9) as its variant.
var refundOnlyTable = join(
	ev(Requested, "merchant_agree", "RFD-2", Refunded),
	ev(Requested, "merchant_agree", "RFD-9", Refunded),
	ev(Requested, "merchant_refuse", "RFD-2", Refused),
	ev(Requested, "modify", "RFD-2", Requested),
	ev(Requested, "withdraw", "RFD-1", Withdrawn),
	ev(Requested, "shipping_voucher", "RFD-9", Requested),
	ev(Requested, "shipped_after_revocation", "RFD-9", Requested),
	tm(Requested, "merchant_response", "RFD-2", Refunded, AwaitingBuyer),
	tm(Requested, "revocation_voucher", "RFD-9", Refunded),

	ev(AwaitingBuyer, "modify", "RFD-2", Requested),
	ev(AwaitingBuyer, "withdraw", "RFD-1", Withdrawn),
	ev(AwaitingBuyer, "ask_intervention", "RFD-2", Intervention),
	tm(AwaitingBuyer, "buyer_feedback", "RFD-2", Closed),

	ev(Refused, "modify", "RFD-2", Requested),
	ev(Refused, "withdraw", "RFD-1", Withdrawn),
	ev(Refused, "ask_intervention", "RFD-2", Intervention),
	tm(Refused, "refusal_response", "RFD-2", Closed),

	ev(Intervention, "withdraw", "RFD-1", Withdrawn),
	ev(Intervention, "platform_decide", "RFD-2", Refunded, Closed),

	ev(Refunded, "shipped_after_revocation", "RFD-9", Refunded),
)

// returnRefundTable is the return-then-refund machine (RFD-3, RFD-7).
var returnRefundTable = join(
	ev(Requested, "merchant_agree", "RFD-3", AwaitingReturn),
	ev(Requested, "merchant_refuse", "RFD-3", Refused),
	ev(Requested, "modify", "RFD-3", Requested),
	ev(Requested, "withdraw", "RFD-1", Withdrawn),
	tm(Requested, "return_merchant_response", "RFD-3", AwaitingReturn),

	ev(Refused, "modify", "RFD-3", Requested, Received),
	ev(Refused, "withdraw", "RFD-1", Withdrawn),
	ev(Refused, "ask_intervention", "RFD-3", Intervention),
	tm(Refused, "return_refusal_response", "RFD-3", Closed),

	ev(AwaitingReturn, "submit_logistics", "RFD-3", Returning),
	ev(AwaitingReturn, "withdraw", "RFD-1", Withdrawn),
	tm(AwaitingReturn, "return_logistics", "RFD-3", Closed),

	ev(Returning, "merchant_receive", "RFD-3", Received),
	ev(Returning, "merchant_refund", "RFD-3", Refunded),
	ev(Returning, "merchant_refuse", "RFD-3", Refused),
	tm(Returning, "return_refund", "RFD-3", Refunded),

	ev(Received, "merchant_refund", "RFD-3", Refunded),
	ev(Received, "merchant_refuse", "RFD-3", Refused),
	tm(Received, "return_refund", "RFD-3", Refunded),
	tm(Received, "no_reason_refund", "RFD-7", Refunded),
	tm(Received, "return_merchant_response", "RFD-3", Refunded),

	ev(Intervention, "withdraw", "RFD-1", Withdrawn),
	ev(Intervention, "platform_decide", "RFD-3", Refunded, Closed),

	crime(Requested, AwaitingReturn, Returning, Received),
)

func tableOf(k Kind) []Transition {
	switch k {
	case RefundOnly:
		return refundOnlyTable
	case ReturnRefund:
		return returnRefundTable
	}
	return nil
}

// Transitions returns the table of the machine of kind k (nil for an
// invalid kind), in a fixed order.
func Transitions(k Kind) []Transition { return append([]Transition(nil), tableOf(k)...) }

type edgeKey struct {
	kind Kind
	from Status
	on   string
}

var accepted = func() map[edgeKey]bool {
	m := map[edgeKey]bool{}
	for _, k := range []Kind{RefundOnly, ReturnRefund} {
		for _, x := range tableOf(k) {
			if x.Threshold == "" {
				m[edgeKey{k, x.From, x.On}] = true
			}
		}
	}
	return m
}()

// accepts reports whether a request of kind k in status s accepts event on.
func accepts(k Kind, s Status, on string) bool { return accepted[edgeKey{k, s, on}] }

// ownRule is the rule of the events that belong to one rule whatever the
// machine: a voucher only a revocation takes, a suspicion only prohibited
// goods raise.
var ownRule = map[string]string{"shipping_voucher": "RFD-9", "suspect_crime": "RFD-8"}

// notAccepted is the refusal of an event r's status does not accept: under
// the event's own rule, else the rule of r's machine.
func notAccepted(r *Request, on string) error {
	rule, ok := ownRule[on]
	if !ok {
		rule = machineRule(r)
	}
	return rules.Refuse(rule, ErrNotAllowed, "request %d is %v", r.ID, r.Status)
}

// Diagram returns a Mermaid stateDiagram-v2 of the machine of kind k,
// drawn from [Transitions]: every edge that changes the status, labelled
// with its event or, for a deadline, its threshold and its value under
// set's latest version (nil: [DefaultPolicy]); events a status accepts
// without moving are listed in a note. It returns "" for an invalid kind.
func Diagram(set *rules.Set, k Kind) string {
	if tableOf(k) == nil {
		return ""
	}
	return diagram.Mermaid(graph(set, k))
}

// DiagramDOT is [Diagram] as a Graphviz digraph.
func DiagramDOT(set *rules.Set, k Kind) string {
	if tableOf(k) == nil {
		return ""
	}
	return diagram.DOT(graph(set, k))
}

func graph(set *rules.Set, k Kind) diagram.Graph {
	if set == nil {
		set = DefaultPolicy()
	}
	v := set.Latest()
	var rows []diagram.Row
	for _, x := range tableOf(k) {
		label := x.On
		if x.Threshold != "" {
			label, _ = diagram.After(v, x.Threshold) // a set that loaded evaluates every threshold
		}
		rows = append(rows, diagram.Row{From: x.From.String(), To: x.To.String(), Label: label, Rule: x.Rule, Timer: x.Threshold != ""})
	}
	var states []string
	used := map[Status]bool{}
	for _, x := range tableOf(k) {
		used[x.From], used[x.To] = true, true
	}
	var final []string
	for s := Requested; s <= Held; s++ {
		if used[s] {
			states = append(states, s.String())
			if s.Final() {
				final = append(final, s.String())
			}
		}
	}
	start := []diagram.Edge{{To: Requested.String(), Label: "open (RFD-1)"}}
	return diagram.Build(k.String(), states, start, rows, final)
}
