package scenario

import (
	"strings"
	"testing"
)

const couponHead = "machine: coupon\nstart: 2024-03-01T10:00:00+08:00\n" +
	"cart: {buyer: u1, lines: [{id: A, store: S1, item: tea, amount: 50.00}]}\n" +
	"wallet: {owner: u1, coupons: [{id: G1, owner: u1, kind: general, face: 10.00, status: available}]}\n"

// The coupon machine's start keys, events and fact updates: each
// malformed one is a load problem naming what is wrong.
func TestCouponLoadProblems(t *testing.T) {
	steps := "steps: [{at: +0s, event: best}]\n"
	for _, tc := range []struct{ name, src, want string }{
		{"missing cart", "machine: coupon\nstart: 2024-03-01T10:00:00+08:00\n" + steps, "cart: missing"},
		{"bad cart", "machine: coupon\nstart: 2024-03-01T10:00:00+08:00\ncart: {buyer: u1, lines: [{id: A}]}\n" + steps, "cart: coupon: invalid input"},
		{"bad wallet", couponHead[:strings.Index(couponHead, "wallet:")] + "wallet: {owner: u1, coupons: [{id: G1, kind: nope}]}\n" + steps, "wallet:"},
		{"unknown event", couponHead + "steps: [{at: +0s, event: pay}]\n", `unknown event "pay"`},
		{"give_back without reason", couponHead + "steps: [{at: +0s, event: {type: give_back, order: S1}}]\n", "give_back: want"},
		{"bad reason", couponHead + "steps: [{at: +0s, event: {type: give_back, order: S1, reason: lost}}]\n", "reason"},
		{"uses on best", couponHead + "steps: [{at: +0s, event: {type: best, uses: [{coupon: G1}]}}]\n", "best: uses are choose's"},
		{"order on choose", couponHead + "steps: [{at: +0s, event: {type: choose, order: S1}}]\n", "order and reason are give_back's"},
		{"bad step cart", couponHead + "steps: [{at: +0s, event: {type: choose, cart: {buyer: u1, lines: [{id: A, store: S1, amount: x}]}}}]\n", "choose: cart:"},
		{"freeze not a list", couponHead + "steps: [{at: +0s, freeze: G1}]\n", "freeze: want a list"},
	} {
		if got := loadProblems(t, tc.src); !strings.Contains(got, tc.want) {
			t.Errorf("%s: problems %q, want one containing %q", tc.name, got, tc.want)
		}
	}
}

// A give-back before any checkout was paid, and a freeze of a coupon the
// wallet does not hold, are the step's errors; a step's cart replaces the
// cart from the step on.
func TestCouponRun(t *testing.T) {
	rep := runSrc(t, couponHead+`steps:
  - at: +0s
    event: {type: give_back, order: S1, reason: cancel}
    expect:
      error: {is: ErrInvalid}
  - at: +0s
    freeze: [G9]
    expect:
      error: {is: ErrInvalid}
  - at: +0s
    event: {type: best, cart: {buyer: u1, lines: [{id: B, store: S1, item: cup, amount: 4.00}]}}
    expect:
      state:
        cart.lines[0].id: B
        choice.allocation.total: 4.00
      decisions:
        - {rule: CPN-4, value: "4.00", note: "coupon G1 (general): 4.00 over S1 4.00"}
  - at: +0s
    event: {type: choose, uses: [{coupon: G1}]}
    expect:
      state:
        allocation.total: 4.00
`)
	if rep.Failed() {
		for _, s := range rep.Steps {
			for _, f := range s.Failures {
				t.Errorf("step %d: %s", s.N, f)
			}
		}
	}
}
