package main

import (
	"fmt"
	"io"
)

// balance is the end of the trade: for every order, the money the relay
// saw move must add up (paid = settled to the merchant + refunded +
// frozen) and agree with the order's own ledger; then what the buyer got
// back of her beans, points and coupons.
func (h *host) balance(w io.Writer) error {
	fmt.Fprintln(w, "== in the end")
	for _, n := range h.numbers {
		s, b := h.rows[n], h.books[n]
		if b.paid != b.settled+b.refunded+b.frozen || *b != (books{s.Paid, s.Frozen, s.Settled, s.Refunded}) {
			return fmt.Errorf("order %s: the outbox moved %+v, the order holds %+v", n, *b, books{s.Paid, s.Frozen, s.Settled, s.Refunded})
		}
		fmt.Fprintf(w, "   %s %s: paid ¥%s = ¥%s settled to the merchant + ¥%s refunded + ¥%s frozen\n",
			n, s.Status, b.paid, b.settled, b.refunded, b.frozen)
		if next := h.wake[n]; !next.IsZero() {
			fmt.Fprintln(w, "   still to wake at", local(next))
		}
		if sp := s.Spend; sp != nil {
			fmt.Fprintf(w, "   %s: beans back %d of %d", n, sp.BeansBack(), sp.Beans)
			if sp.Points > 0 {
				fmt.Fprintf(w, ", points back %d of %d", sp.PointsBack(), sp.Points)
			}
			fmt.Fprintln(w, " (PTS-2: in proportion to the money refunded)")
		}
	}
	fmt.Fprintln(w, "   points used this year:", h.ledger.Used, "(PTS-3; given-back points no longer count)")
	fmt.Fprint(w, "   coupons in the wallet:")
	for _, c := range h.wallet.Coupons {
		fmt.Fprintf(w, " %s %s", c.ID, c.Status)
	}
	fmt.Fprintln(w, " (only an order refunded in full gives its coupons back, CPN-6)")
	return nil
}
