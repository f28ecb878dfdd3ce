package main

import (
	"github.com/tradepolicy/tradepolicy/coupon"
	"github.com/tradepolicy/tradepolicy/dispute"
	"github.com/tradepolicy/tradepolicy/order"
	"github.com/tradepolicy/tradepolicy/points"
	"github.com/tradepolicy/tradepolicy/provider"
	"github.com/tradepolicy/tradepolicy/refund"
	"github.com/tradepolicy/tradepolicy/rules"
)

// policyEntry is one policy the tool knows: its schema, its embedded
// default rule files and, when its package exports one, its rule
// catalogue (which rules read which thresholds).
type policyEntry struct {
	Name      string
	Schema    func() *rules.Schema
	Defaults  func() *rules.Set
	Catalogue func() []rules.RuleInfo // nil: the package exports none yet
}

// knownPolicies is every policy of the module, by name. Adding a policy
// is one line.
var knownPolicies = []policyEntry{
	{Name: "coupon", Schema: coupon.Schema, Defaults: coupon.DefaultPolicy, Catalogue: coupon.Catalogue},
	{Name: "dispute", Schema: dispute.Schema, Defaults: dispute.DefaultPolicy, Catalogue: dispute.Catalogue},
	{Name: "order", Schema: order.Schema, Defaults: order.DefaultPolicy, Catalogue: order.Catalogue},
	{Name: "points", Schema: points.Schema, Defaults: points.DefaultPolicy, Catalogue: points.Catalogue},
	{Name: "provider", Schema: provider.Schema, Defaults: provider.DefaultPolicy, Catalogue: provider.Catalogue},
	{Name: "refund", Schema: refund.Schema, Defaults: refund.DefaultPolicy, Catalogue: refund.Catalogue},
}

// thresholdRef names one threshold of one policy.
type thresholdRef struct{ Policy, Threshold string }

func (r thresholdRef) String() string { return r.Policy + "." + r.Threshold }

// windowPair says that the window Inner must fit inside the window Outer:
// a period that opens with (or after) Outer's and must close before it.
// check warns when, in some version, Inner can be longer than Outer. A
// pair naming a policy the tool does not know yet is skipped.
type windowPair struct {
	Inner, Outer thresholdRef
	Why          string
}

// knownWindowPairs are the window relations the rules imply.
var knownWindowPairs = []windowPair{
	{Inner: thresholdRef{"refund", "revocation_voucher"}, Outer: thresholdRef{"refund", "merchant_response"},
		Why: "RFD-9: the merchant shows a shipping voucher within the RFD-2 response period, after which the request proceeds under RFD-2"},
	{Inner: thresholdRef{"refund", "merchant_response"}, Outer: thresholdRef{"dispute", "complaint_window"},
		Why: "DSP-3: a buyer whose refund request the merchant ignores can still complain within the complaint window"},
	{Inner: thresholdRef{"refund", "return_refund"}, Outer: thresholdRef{"dispute", "complaint_window"},
		Why: "DSP-3: a return the merchant does not refund can still be complained about within the complaint window"},
}
