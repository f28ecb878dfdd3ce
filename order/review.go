package order

import (
	"fmt"
	"strings"
	"time"

	"github.com/tradepolicy/tradepolicy/rules"
)

func (t *tx) hidden(text string) (bool, error) {
	words, err := value(t.v, keyProhibited)
	if err != nil {
		return false, err
	}
	low := strings.ToLower(text)
	for _, w := range words {
		if w != "" && strings.Contains(low, strings.ToLower(w)) {
			return true, nil
		}
	}
	return false, nil
}

func (t *tx) review(e Rate) error {
	for _, r := range []int{e.Ratings.Description, e.Ratings.Attitude, e.Ratings.ShippingSpeed, e.Ratings.LogisticsSpeed} {
		if r < 1 || r > 5 {
			return fmt.Errorf("%w: a rating is 1 to 5 stars, got %d (ORD-20)", ErrInvalid, r)
		}
	}
	if t.s.Review != nil {
		return rules.Refuse("ORD-20", ErrReviewed, "reviewed at %s; a review cannot be edited", t.s.Review.At.Format(time.RFC3339))
	}
	d, dec, err := span(t.v, keyReviewWindow)
	if err != nil {
		return err
	}
	if end := t.s.CompletedAt.Add(d); !t.now.Before(end) {
		return rules.Refuse("ORD-20", ErrWindowClosed, "the review window closed at %s", end.Format(time.RFC3339))
	}
	h, err := t.hidden(e.Text)
	if err != nil {
		return err
	}
	t.s.Review = &Review{Ratings: e.Ratings, Text: e.Text, At: t.now, Hidden: h}
	t.decide(dec, "reviewed within the window")
	return nil
}

func (t *tx) followUp(e FollowUpReview) error {
	r := t.s.Review
	if r == nil {
		return rules.Refuse("ORD-20", ErrNotEligible, "a follow-up needs a first review")
	}
	if r.FollowUp != nil {
		return rules.Refuse("ORD-20", ErrReviewed, "one follow-up review only")
	}
	opens, err := length(t.v, keyFollowOpens)
	if err != nil {
		return err
	}
	closes, err := length(t.v, keyFollowCloses)
	if err != nil {
		return err
	}
	if o := r.At.Add(opens); t.now.Before(o) {
		return rules.Refuse("ORD-20", ErrWindowNotOpen, "the follow-up opens at %s", o.Format(time.RFC3339))
	}
	if c := r.At.Add(closes); !t.now.Before(c) {
		return rules.Refuse("ORD-20", ErrWindowClosed, "the follow-up closed at %s", c.Format(time.RFC3339))
	}
	h, err := t.hidden(e.Text)
	if err != nil {
		return err
	}
	c := *r
	c.FollowUp = &FollowUp{Text: e.Text, At: t.now, Hidden: h}
	t.s.Review = &c
	return nil
}
