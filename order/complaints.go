package order

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/tradepolicy/tradepolicy/dispute"
	"github.com/tradepolicy/tradepolicy/internal/wire"
	"github.com/tradepolicy/tradepolicy/rules"
)

// Complaint is an event of the order's complaints and reports (package
// dispute: complain, reply, go_to_court, unlock, …), applied by dispute's
// machine inside the order at the order's instant, with dispute's facts
// ([dispute.Trade]) derived from the order. Its JSON form nests the
// dispute event: {"type":"complaint","event":{"type":"complain",…}}. An
// open complaint pauses the auto-confirm countdown (ORD-9); going to
// court locks the order (DSP-9, ORD-19) until dispute's unlock.
type Complaint struct {
	Event dispute.Event `json:"event"`
	// Objection classifies what a [dispute.Complain] objects to, for
	// ORD-18 (JSON "objection", omitted when nil): barred when every
	// parcel shipped was validly signed for and the objection is on
	// surface consistency without evidence or a carrier's note, or latent
	// after inspection_window. Nil: not classified, not judged. Only a
	// complain may carry one.
	Objection *Objection `json:"objection,omitempty"`
}

// Name returns "complaint".
func (Complaint) Name() string { return "complaint" }
func (Complaint) event()       {}

// MarshalJSON writes {"event":{…}} (and "objection" when set).
func (e Complaint) MarshalJSON() ([]byte, error) {
	if e.Event == nil {
		return nil, fmt.Errorf("%w: complaint event: none", ErrInvalid)
	}
	b, err := dispute.EncodeEvent(e.Event)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return wrapped(b, e.Objection)
}

// UnmarshalJSON reads {"event":{…}} strictly (dispute.DecodeEvent).
func (e *Complaint) UnmarshalJSON(data []byte) error {
	var rm struct {
		Event     json.RawMessage `json:"event"`
		Objection *Objection      `json:"objection"`
	}
	if err := wire.Decode(data, &rm); err != nil {
		return fmt.Errorf("%w: complaint: %w", ErrInvalid, err)
	}
	if rm.Event == nil {
		return fmt.Errorf("%w: complaint: no \"event\"", ErrInvalid)
	}
	ev, err := dispute.DecodeEvent(rm.Event)
	if err != nil {
		return fmt.Errorf("%w: complaint: %w", ErrInvalid, err)
	}
	*e = Complaint{Event: ev, Objection: rm.Objection}
	return nil
}

// Trade derives package dispute's facts from the order (each fact held
// once; the order passes it to dispute on every call).
func (s *State) Trade() dispute.Trade {
	t := dispute.Trade{ID: s.Number, CompletedAt: s.CompletedAt}
	switch {
	case s.Status == Cancelled:
		t.Status = dispute.Cancelled
	case s.Status == Closed:
		t.Status = dispute.Closed
	case s.Status == Completed:
		t.Status = dispute.Completed
	case len(s.Payments) == 0:
		t.Status = dispute.Unpaid
	default:
		t.Status = dispute.InProgress
	}
	if len(s.Payments) > 0 && t.Status != dispute.Unpaid {
		t.PaidAt = s.Payments[0].At
	}
	if t.Status == dispute.Cancelled || t.Status == dispute.Unpaid {
		t.PaidAt = time.Time{}
		if t.Status == dispute.Cancelled {
			t.CompletedAt = time.Time{}
		}
	}
	return t
}

// Locked reports whether the order is locked (ORD-19): a complaint was
// taken to arbitration or court (package dispute's lock, read from its
// state, never copied).
func (s State) Locked() bool { return s.Complaints.Locked() }

func (t *tx) complaintEvent(e Complaint) error {
	if e.Event == nil {
		return fmt.Errorf("%w: complaint: no event", ErrInvalid)
	}
	if err := t.inspectComplaint(e); err != nil {
		return err
	}
	res, err := t.disputes.ApplyAt(t.s.Trade(), t.s.Complaints, e.Event, t.now)
	if err != nil {
		var re *rules.RuleError
		switch {
		case errors.As(err, &re):
			return err
		case errors.Is(err, dispute.ErrPolicy):
			return fmt.Errorf("%w: %w", ErrPolicy, err)
		}
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	t.takeComplaint(res, t.now)
	t.move(t.s.Status, e.Name(), t.now)
	return nil
}

// complaintDeadline fires dispute's deadlines due at `at` (its earliest).
func (t *tx) complaintDeadline(at time.Time) {
	res := t.disputes.AdvanceAt(t.s.Trade(), t.s.Complaints, at)
	if n := res.State.Next(); !n.IsZero() && !n.After(at) {
		t.fail(fmt.Errorf("%w: complaints cannot advance at %s", ErrPolicy, at.Format(time.RFC3339)))
		return
	}
	t.takeComplaint(res, at)
}

// takeComplaint adopts a dispute result: its state, its effects
// re-emitted with the order's IDs, the ORD-9 pause or resume, and at an
// unlock the order's own deadlines moved later by the time locked
// (ORD-19).
func (t *tx) takeComplaint(res dispute.Result, at time.Time) {
	was := t.s.open()
	t.s.Complaints = res.State
	t.adopt(res.Decisions, 1) // and the ORD-9 pause or resume
	t.growEffects(len(res.Effects))
	for _, e := range res.Effects {
		t.emit(e.At, e.Rule, e.Act)
		if u, ok := e.Act.(dispute.UnlockOrder); ok {
			t.shift(e.At.Sub(u.Since))
			t.note("ORD-19", fmt.Sprintf("unlocked: complaint %d; deadlines moved later by %s", u.Complaint, rules.FormatValue(e.At.Sub(u.Since))))
		}
	}
	t.pauseOrResume(was, at)
}

// shift moves the order's own pending deadlines and its open refund
// requests' later by d, the time the order was locked (ORD-19): nothing
// fires for the locked time, and what was left of each period remains.
// (Complaints shift their own, as dispute's lock_shift says.)
func (t *tx) shift(d time.Duration) {
	if d <= 0 {
		return
	}
	if !t.s.Due.IsZero() {
		t.s.Due = t.s.Due.Add(d)
	}
	if !t.s.Original.IsZero() {
		t.s.Original = t.s.Original.Add(d)
	}
	t.s.Refunds = t.s.Refunds.Shift(d) // refund moves its own open requests'
}
