package order

import (
	"fmt"
	"slices"
	"time"

	"github.com/tradepolicy/tradepolicy/rules"
)

func (t *tx) claimIndex(id string) int {
	for i, c := range t.s.Claims {
		if c.ID == id {
			return i
		}
	}
	return -1
}

func (t *tx) claimOpened(e ClaimOpened) error {
	if e.Claim == "" {
		return fmt.Errorf("%w: claim without an ID", ErrInvalid)
	}
	if err := t.at(e.At, "ORD-9", "claim"); err != nil {
		return err
	}
	if t.claimIndex(e.Claim) >= 0 {
		return rules.Refuse("ORD-9", ErrNotAllowed, "claim %s is already open", e.Claim)
	}
	at := e.At.Round(0).UTC()
	was := t.s.Open()
	t.s.Claims = append(t.s.Claims, Claim{ID: e.Claim, At: at})
	t.pauseOrResume(was, at)
	t.move(t.s.Status, e.Name(), t.now)
	return nil
}

func (t *tx) claimClosed(e ClaimClosed) error {
	if err := t.at(e.At, "ORD-9", "claim close"); err != nil {
		return err
	}
	i := t.claimIndex(e.Claim)
	if i < 0 {
		return rules.Refuse("ORD-9", ErrUnknownClaim, "claim %q", e.Claim)
	}
	at := e.At.Round(0).UTC()
	if at.Before(t.s.Claims[i].At) {
		return rules.Refuse("ORD-9", ErrTime, "claim %s closed at %s, before it opened", e.Claim, at.Format(time.RFC3339))
	}
	was := t.s.Open()
	t.ownClaims()
	t.s.Claims = slices.Delete(t.s.Claims, i, i+1)
	t.pauseOrResume(was, at)
	t.move(t.s.Status, e.Name(), t.now)
	return nil
}

func (t *tx) lock(e Arbitrate) error {
	if e.Case == "" {
		return fmt.Errorf("%w: a lock needs a case", ErrInvalid)
	}
	if err := t.at(e.FiledAt, "ORD-19", "filing"); err != nil {
		return err
	}
	t.s.Lock = &Lock{Case: e.Case, FiledAt: e.FiledAt.Round(0).UTC(), Since: t.now}
	t.note("ORD-19", "locked: case "+e.Case)
	return nil
}

// unlock ends the lock; every pending deadline moves later by the time
// the order was locked (ORD-19), so nothing fires for the locked time.
func (t *tx) unlock(e Unlock) error {
	if err := t.at(e.At, "ORD-19", "unlock"); err != nil {
		return err
	}
	end := e.At.Round(0).UTC()
	if end.Before(t.s.Lock.Since) {
		end = t.s.Lock.Since
	}
	d := end.Sub(t.s.Lock.Since)
	t.shift(d)
	t.note("ORD-19", fmt.Sprintf("unlocked: case %s; deadlines moved later by %s", t.s.Lock.Case, d))
	t.s.Lock = nil
	return nil
}
