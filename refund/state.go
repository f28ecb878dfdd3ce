package refund

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/internal/money"
)

// Item is one line of a request and the money asked back for it. In an
// [Open] or [Modify] event a zero Amount means all the line's money not
// yet refunded; in a Request it is always resolved.
type Item struct {
	Line   string          `json:"line"`
	Amount decimal.Decimal `json:"amount"`
}

// State is every refund request of one order. It holds no order facts:
// those are the [Order] passed to every call. The zero State (no
// request) is the state of a paid order before its first request. A
// State is a plain value that serialises to JSON and back without loss
// ([DecodeState]); [Machine.ApplyAt] never changes the State it is given.
// Instants in it are UTC without a monotonic reading.
type State struct {
	// Seq is the ID of the last effect issued; the next is Seq+1.
	Seq uint64 `json:"seq"`
	// At is the latest instant a transition of this state took place; a
	// call at an earlier instant is refused ([ErrClockBehind]).
	At       time.Time `json:"at,omitzero"`
	Requests []Request `json:"requests,omitempty"` // oldest first; Request.ID is index+1
}

// Request is one refund request. A line is in at most one open request.
type Request struct {
	ID          int       `json:"id"`
	Kind        Kind      `json:"kind"`
	Reason      Reason    `json:"reason"`
	Items       []Item    `json:"items"`
	Status      Status    `json:"status"`
	RequestedAt time.Time `json:"requested_at"`
	Since       time.Time `json:"since"` // when Status began
	// Version is the date of the policy version in force at RequestedAt;
	// the request is judged by it for its whole life ([rules.Set.Pin]).
	Version string `json:"version"`
	// Stage is where the order stood for the request's lines when it was
	// made; it is reported with the refund ([Settled]) for PTS-2.
	Stage Stage `json:"stage"`
	// Revocation marks a refund-only request on lines not shipped at the
	// request: it revokes the trade for them (RFD-9, ORD-17) unless a
	// shipping voucher predates it.
	Revocation bool `json:"revocation,omitempty"`
	// ReturnDue is the RFD-3 refund deadline set when the buyer submitted
	// logistics; it still bounds the Received status.
	ReturnDue  time.Time  `json:"return_due,omitzero"`
	Logistics  *Logistics `json:"logistics,omitempty"`
	ReceivedAt time.Time  `json:"received_at,omitzero"` // the merchant confirmed receipt of the goods
	// Deadline is when the current status times out; zero: none. DueRule
	// names the rule whose threshold set it.
	Deadline time.Time `json:"deadline,omitzero"`
	DueRule  string    `json:"due_rule,omitempty"`
	// Settlement is what went back, set when Status becomes Refunded.
	Settlement *Settlement `json:"settlement,omitempty"`
	// Loss lists the lines of a revocation that the merchant shipped after
	// the request: it bears their shipping and any loss (ORD-17).
	Loss []string `json:"loss,omitempty"`
}

// Logistics is the buyer's return shipment (RFD-3).
type Logistics struct {
	Carrier  string    `json:"carrier"`
	Tracking string    `json:"tracking"`
	At       time.Time `json:"at"`
}

// Settlement is the money one completed request refunded (RFD-10). Beans,
// points and coupons are not refund's to give back: the points and coupon
// policies decide them from the [Settled] act.
type Settlement struct {
	// Money is the total refunded by the original route (RFD-4): the
	// lines' money plus Shipping.
	Money decimal.Decimal `json:"money"`
	// Shipping is the part of Money that is the order's outbound shipping
	// fee. It goes back once: with the request that leaves every line
	// refunded in full (threshold shipping_fee_with_full_refund), unless
	// the buyer pays the outbound leg of that request (RFD-6), and with a
	// prohibited-goods return (RFD-8).
	Shipping decimal.Decimal `json:"shipping"`
	Lines    []LineMoney     `json:"lines"`
	// Forced reports a refund the platform decided.
	Forced bool `json:"forced,omitempty"`
	// Full reports that with this refund every line of the order is
	// refunded in full.
	Full bool `json:"full,omitempty"`
}

// LineMoney is the money a settlement refunded for one line. Done is set
// on the settlement with which the line's whole payment is refunded.
type LineMoney struct {
	Line  string          `json:"line"`
	Money decimal.Decimal `json:"money"`
	Done  bool            `json:"done,omitempty"`
}

// Total is the money the request asks for.
func (r Request) Total() decimal.Decimal {
	var sum int64
	for _, it := range r.Items {
		f, _ := money.Amount(it.Amount)
		sum += f
	}
	return money.FromFen(sum)
}

func (r *Request) has(line string) bool {
	for i := range r.Items {
		if r.Items[i].Line == line {
			return true
		}
	}
	return false
}

// Request returns the request with the given ID.
func (s State) Request(id int) (Request, bool) {
	if id < 1 || id > len(s.Requests) {
		return Request{}, false
	}
	return s.Requests[id-1], true
}

// Next returns the earliest deadline of the open requests; zero if none.
func (s State) Next() time.Time {
	var next time.Time
	for i := range s.Requests {
		r := &s.Requests[i]
		if r.Status.timed() && !r.Deadline.IsZero() && (next.IsZero() || r.Deadline.Before(next)) {
			next = r.Deadline
		}
	}
	return next
}

// Refunded returns the money refunded so far over all requests.
func (s State) Refunded() decimal.Decimal {
	var sum int64
	for i := range s.Requests {
		if st := s.Requests[i].Settlement; st != nil {
			f, _ := money.Amount(st.Money)
			sum += f
		}
	}
	return money.FromFen(sum)
}

// Remaining returns the money of line not yet refunded, as o says it was
// paid; zero for a line o does not have.
func (s State) Remaining(o Order, line string) decimal.Decimal {
	i := o.line(line)
	if i < 0 {
		return decimal.Zero
	}
	paid, _ := paidFen(o.Lines[i])
	refunded, _ := s.lineRefunded(line, len(s.Requests))
	return money.FromFen(paid - refunded)
}

// lineRefunded returns the money refunded for line by the settlements of
// the first n requests, and whether one of them finished it.
func (s State) lineRefunded(line string, n int) (fen int64, done bool) {
	for i := range s.Requests[:n] {
		st := s.Requests[i].Settlement
		if st == nil {
			continue
		}
		for j := range st.Lines {
			if st.Lines[j].Line == line {
				f, _ := money.Amount(st.Lines[j].Money)
				fen += f
				done = done || st.Lines[j].Done
			}
		}
	}
	return fen, done
}

// paidFen is Line.Paid in fen; an error if an amount is not valid.
func paidFen(l Line) (int64, error) {
	var f [4]int64
	for i, d := range [4]decimal.Decimal{l.Amount, l.Discount, l.BeanValue, l.PointValue} {
		v, err := money.Amount(d)
		if err != nil {
			return 0, err
		}
		f[i] = v
	}
	return f[0] - f[1] - f[2] - f[3], nil
}

// Clone returns a deep copy of s: no slice or pointer of it is shared
// with s (decimals are, being immutable). Every State a [Machine] returns
// is such a copy of what it was given, changed.
func (s State) Clone() State { return s.clone(0) }

// clone is Clone with room for extra more requests. What the requests
// point to is copied into one new array per kind (items, logistics,
// settlements, settled lines, loss lines) rather than one per request:
// each request gets its part with no room beyond its end, so an append
// to one request's slice never reaches the next one's. Empty slices come
// back nil, as Request.clone makes them.
func (s State) clone(extra int) State {
	c := s
	if s.Requests == nil {
		return c
	}
	var first *oneRequest
	if len(s.Requests) == 1 && extra == 0 && len(s.Requests[0].Items) == 1 {
		first = new(oneRequest)
		c.Requests = first.req[:]
	} else {
		c.Requests = make([]Request, len(s.Requests), len(s.Requests)+extra)
	}
	copy(c.Requests, s.Requests)
	var nItems, nLogistics, nSettlements, nLines, nLoss int
	for i := range s.Requests {
		r := &s.Requests[i]
		nItems += len(r.Items)
		nLoss += len(r.Loss)
		if r.Logistics != nil {
			nLogistics++
		}
		if r.Settlement != nil {
			nSettlements++
			nLines += len(r.Settlement.Lines)
		}
	}
	var items []Item
	if first != nil {
		items = first.item[:0]
	} else {
		items = make([]Item, 0, nItems)
	}
	loss := make([]string, 0, nLoss)
	logistics := make([]Logistics, 0, nLogistics)
	settlements := make([]Settlement, 0, nSettlements)
	lines := make([]LineMoney, 0, nLines)
	for i := range c.Requests {
		r := &c.Requests[i]
		r.Items, items = carve(items, r.Items)
		r.Loss, loss = carve(loss, r.Loss)
		if r.Logistics != nil {
			logistics = append(logistics, *r.Logistics)
			r.Logistics = &logistics[len(logistics)-1]
		}
		if r.Settlement != nil {
			settlements = append(settlements, *r.Settlement)
			st := &settlements[len(settlements)-1]
			st.Lines, lines = carve(lines, st.Lines)
			r.Settlement = st
		}
	}
	return c
}

// oneRequest is the requests of a state that has one, and that
// request's items when it has one: the commonest state, held in one
// allocation rather than two. Each slice has no room beyond its end.
type oneRequest struct {
	req  [1]Request
	item [1]Item
}

// carve copies xs to the end of block, which has room for them, and
// returns the copy (nil if xs is empty) and the block.
func carve[T any](block, xs []T) (copied, rest []T) {
	if len(xs) == 0 {
		return nil, block
	}
	n := len(block)
	block = append(block, xs...)
	return block[n:len(block):len(block)], block
}

func (r Request) clone() Request {
	c := r
	c.Items = append([]Item(nil), r.Items...)
	if r.Logistics != nil {
		l := *r.Logistics
		c.Logistics = &l
	}
	if r.Settlement != nil {
		st := *r.Settlement
		st.Lines = append([]LineMoney(nil), r.Settlement.Lines...)
		c.Settlement = &st
	}
	if r.Loss != nil {
		c.Loss = append([]string(nil), r.Loss...)
	}
	return c
}
