package scenario_test

import (
	"fmt"
	"os"
	"testing/fstest"

	"github.com/tradepolicy/tradepolicy/scenario"
)

func ExampleRunFile() {
	fsys := fstest.MapFS{"silence.scenario.yaml": {Data: []byte(`
machine: refund
rules: [RFD-2]
start: 2024-03-01T10:00:00+08:00
order:
  mode: escrow
  payment: {route: wallet_balance, account: w}
  shipping_fee: 0
  free_shipping: true
  lines: [{id: A, amount: 30.00, shipped_at: 2024-02-28T09:00:00+08:00}]
steps:
  - at: +0s
    event: {type: open, kind: refund_only, reason: agreed, items: [{line: A}]}
    expect:
      next: +2d
  - at: +3d
    advance: true
    expect:
      effects:
        - {type: refund_money, amount: 30, at: 2024-03-03T10:00:00+08:00}
        - {type: refund_settled}
`)}}
	rep, err := scenario.RunFile(fsys, "silence.scenario.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	last := rep.Steps[len(rep.Steps)-1]
	fmt.Println("failed:", rep.Failed())
	fmt.Println("woke at:", last.Wakes[0].Format("2006-01-02 15:04 -07:00"))
	fmt.Println("fired:", last.Fired)
	if err := rep.Explain(os.Stdout, 2); err != nil {
		fmt.Println(err)
	}
	// Output:
	// failed: false
	// woke at: 2024-03-03 02:00 +00:00
	// fired: [requested -RFD-2-> refunded]
	// silence.scenario.yaml step 2 (line 16): advance at 2024-03-04 10:00:00 +08:00
	//   A deadline was due at 2024-03-03 10:00:00 +08:00, before the step: the machine fired it at that instant.
	//   Timer requested -RFD-2-> refunded fired.
	//   By RFD-2 (refund policy, version 2023-07-23): escrow merchant silent: automatic refund.
	//   Effect #1 refund_money 2024-03-03T10:00:00+08:00 RFD-4 {"account":"w","amount":"30","request":1,"route":"wallet_balance"}.
	//   Effect #2 refund_settled 2024-03-03T10:00:00+08:00 RFD-10 {"full":true,"lines":[{"line":"A","money":"30","refunded":"30","paid":"30","done":true}],"request":1,"stage":"shipped"}.
	//   Nothing is pending: no deadline is left.
}

func ExampleParseOffset() {
	for _, s := range []string{"+2d3h", "+48h", "+2d-1s", "+1s-2s"} {
		d, err := scenario.ParseOffset(s)
		fmt.Println(s, d, err != nil)
	}
	// Output:
	// +2d3h 51h0m0s false
	// +48h 48h0m0s false
	// +2d-1s 47h59m59s false
	// +1s-2s 0s true
}
