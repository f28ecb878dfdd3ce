package refund

import "time"

// Shift returns a copy of s in which every pending deadline of every
// request that is not final is d later: its current status's Deadline
// and the RFD-3 ReturnDue that still bounds a received return. A composer
// calls it when its order was locked for d (arbitration or litigation,
// ORD-19), so nothing times out for the locked time and what was left of
// each period remains. Final requests and every instant already past
// (RequestedAt, Since, ReceivedAt, logistics, State.At) are untouched. s
// is never modified; with d <= 0 or nothing to move, Shift returns s
// itself.
func (s State) Shift(d time.Duration) State {
	if d <= 0 || !s.pending() {
		return s
	}
	c := s.Clone()
	for i := range c.Requests {
		r := &c.Requests[i]
		if r.Status.Final() {
			continue
		}
		if !r.Deadline.IsZero() {
			r.Deadline = r.Deadline.Add(d)
		}
		if !r.ReturnDue.IsZero() {
			r.ReturnDue = r.ReturnDue.Add(d)
		}
	}
	return c
}

// pending reports whether a request that is not final has a deadline.
func (s State) pending() bool {
	for i := range s.Requests {
		r := &s.Requests[i]
		if !r.Status.Final() && (!r.Deadline.IsZero() || !r.ReturnDue.IsZero()) {
			return true
		}
	}
	return false
}
