package rules_test

import (
	"errors"
	"fmt"
	"testing/fstest"
	"time"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/rules"
)

// A domain package declares its thresholds in Go and ships a rule file;
// a host overrides one threshold with a file of its own and reads the
// version in force at an order's creation.
func Example() {
	schema := rules.MustSchema("order",
		rules.Decl{Name: "payment_timeout", Rule: "ORD-4", Type: rules.Window,
			Doc:    "Unpaid orders cancel after this long; activity orders use their own limit.",
			Inputs: []rules.Input{{Name: "order.activity_limit", Type: rules.Duration}}},
		rules.Decl{Name: "auto_confirm", Rule: "ORD-9", Type: rules.Window},
	)
	timeout := rules.MustKey[clock.Window](schema, "payment_timeout")
	confirm := rules.MustKey[clock.Window](schema, "auto_confirm")

	defaults := fstest.MapFS{"order.yaml": {Data: []byte(`
policy: order
version: 2023-07-23
zone: Asia/Shanghai
thresholds:
  payment_timeout:
    rule: ORD-4
    expr: 'order.activity_limit != duration("0s") ? order.activity_limit : duration("24h")'
  auto_confirm: duration("240h")
`)}}
	set, err := rules.Load(schema, defaults)
	if err != nil {
		fmt.Println(err)
		return
	}

	// The host confirms receipt automatically after 7 calendar days.
	host := fstest.MapFS{"host.yaml": {Data: []byte("policy: order\nthresholds:\n  auto_confirm: days(7)\n")}}
	set, err = set.Override(host)
	if err != nil {
		fmt.Println(err)
		return
	}

	created := time.Date(2024, 3, 1, 15, 4, 5, 0, clock.MustZone("Asia/Shanghai"))
	v := set.In(created)
	w, _ := rules.Get(v, timeout, time.Duration(0))
	fmt.Println("ordinary order pays within", w.Duration)
	w, d, _ := rules.Explain(v, timeout, 15*time.Minute)
	fmt.Println("flash sale pays within", w.Duration, "because", d)
	w, _ = rules.Get(v, confirm)
	fmt.Println("auto-confirm", w, "closes", w.End(created, v.Zone()).In(v.Zone()))
	// Output:
	// ordinary order pays within 24h0m0s
	// flash sale pays within 15m0s because ORD-4 order@2023-07-23 payment_timeout=15m (order.activity_limit=15m)
	// auto-confirm days(7) closes 2024-03-09 00:00:00 +0800 CST
}

// Several versions of one policy: a dispute is judged by the version in
// force when it arose (DSP-12).
func ExampleSet_In() {
	schema := rules.MustSchema("dispute",
		rules.Decl{Name: "reply_window", Rule: "DSP-4", Type: rules.Window})
	files := fstest.MapFS{
		"dispute-2018.yaml": {Data: []byte("policy: dispute\nversion: 2018-12-29\nthresholds:\n  reply_window: duration(\"72h\")\n")},
		"dispute-2023.yaml": {Data: []byte("policy: dispute\nversion: 2023-07-23\nthresholds:\n  reply_window: duration(\"48h\")\n")},
	}
	set, err := rules.Load(schema, files)
	if err != nil {
		fmt.Println(err)
		return
	}
	sh := clock.MustZone("Asia/Shanghai")
	for _, arose := range []time.Time{
		time.Date(2023, 7, 22, 23, 59, 59, 0, sh),
		time.Date(2023, 7, 23, 0, 0, 0, 0, sh),
	} {
		v := set.In(arose)
		w, _ := v.Eval("reply_window")
		fmt.Println(arose.Format(time.DateTime), "->", v.Date(), w)
	}
	// Output:
	// 2023-07-22 23:59:59 -> 2018-12-29 duration("72h")
	// 2023-07-23 00:00:00 -> 2023-07-23 duration("48h")
}

// Every mistake in a rule file comes back at once, each with its position.
func ExampleLoad_errors() {
	schema := rules.MustSchema("order",
		rules.Decl{Name: "auto_confirm", Rule: "ORD-9", Type: rules.Window},
		rules.Decl{Name: "max_items", Rule: "ORD-1", Type: rules.Int})
	_, err := rules.Load(schema, fstest.MapFS{"order.yaml": {Data: []byte(`policy: order
version: 2023-07-23
thresholds:
  auto_confirm: duration("240h") + 1
  max_items: {rule: ORD-2, expr: '3'}
  reply: days(2)
`)}})
	fmt.Println(err)
	fmt.Println(errors.Is(err, rules.ErrType), errors.Is(err, rules.ErrUnknown))
	// Output:
	// order.yaml:4:34: threshold auto_confirm: found no matching overload for '_+_' applied to '(duration, int)'
	//  |   auto_confirm: duration("240h") + 1
	//  |                                  ^
	// order.yaml:5:21: threshold max_items implements ORD-1, not ORD-2
	//  |   max_items: {rule: ORD-2, expr: '3'}
	//  |                     ^
	// order.yaml:6:3: unknown threshold "reply": policy order declares auto_confirm, max_items
	//  |   reply: days(2)
	//  |   ^
	// true true
}

// A schema declares the values a string input can take and the bounds of
// a threshold; a rule file that compares the input with a misspelt value,
// or whose constant is out of bounds, does not load.
func ExampleInput_values() {
	schema := rules.MustSchema("refund",
		rules.Decl{Name: "keep_beans", Rule: "PTS-5", Type: rules.Bool,
			Inputs: []rules.Input{{Name: "refund.stage", Type: rules.String,
				Values: []string{"before_shipment", "shipped", "received"}}}},
		rules.Decl{Name: "merchant_response", Rule: "RFD-3", Type: rules.Window, Min: "1s", Max: "days(30)",
			Doc: "How long a merchant has to answer a request (at least 1s, at most days(30))."},
	)
	_, err := rules.Load(schema, fstest.MapFS{"refund.yaml": {Data: []byte(`policy: refund
version: 2023-07-23
thresholds:
  keep_beans: refund.stage != "recieved"
  merchant_response: duration("0s")
`)}})
	var errs rules.Errors
	if errors.As(err, &errs) {
		for _, e := range errs {
			fmt.Println(e.Position(), e.Msg)
		}
	}
	// Output:
	// refund.yaml:4:31 threshold keep_beans: refund.stage is never "recieved" (it is one of before_shipment, shipped, received); did you mean "received"?
	// refund.yaml:5:22 threshold merchant_response: value 0s is below the minimum 1s that merchant_response declares
}
