package provider

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/internal/enum"
	"github.com/tradepolicy/tradepolicy/internal/money"
	"github.com/tradepolicy/tradepolicy/rules"
)

// Merchant is a merchant a provider recommended (PRV-1): the facts the
// merchant checks read.
type Merchant struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Address  string `json:"address"`
	Location string `json:"location"` // the actual location, as the host records it
	// CooperationFrom is when its cooperation with the platform began
	// (zero: not yet).
	CooperationFrom time.Time `json:"cooperation_from,omitzero"`
}

// Field is a merchant field duplicates are found on (SP §1.7). The zero
// value is invalid.
type Field uint8

// The fields of SP §1.7.
const (
	NameField     Field = 1
	AddressField  Field = 2
	LocationField Field = 3
)

var fieldNames = enum.Names{"invalid", "name", "address", "location"}

func (f Field) String() string { return enum.String(fieldNames, f) }

// IsValid reports whether f is a Field other than the invalid zero value.
func (f Field) IsValid() bool                { return enum.IsValid(fieldNames, f) }
func (f Field) MarshalText() ([]byte, error) { return enum.Marshal(fieldNames, f, "provider: field") }
func (f *Field) UnmarshalText(b []byte) error {
	return wrapInvalid(enum.Unmarshal(fieldNames, f, b, "provider: field"))
}

// Definitions of SP §1 that the merchant checks name.
const (
	DefFalseMerchant            = "SP §1.6"    // false merchants: facts the platform establishes, not checked here
	DefDuplicate                = "SP §1.7"    // duplicate merchants
	DefInvalid                  = "SP §1.8"    // invalid merchants
	DefAssociatedParty          = "SP §1.9(1)" // trades with associated persons
	DefControlledAccount        = "SP §1.9(2)" // accounts registered or controlled by the provider or merchant
	DefAbnormalLowPrice         = "SP §1.9(4)" // abnormal means, e.g. low-price trades
	FraudClause          Clause = 17           // 4.17: recommending false, invalid or duplicate merchants
	CashOutClause        Clause = 20           // 4.20: false transactions, order brushing
)

// Normalize returns the key two merchant fields are compared by (SP
// §1.7): full-width ASCII forms (U+FF01 … U+FF5E) become their half-width
// forms, every white space (the ideographic space included) is removed,
// and letters are case-folded. Two fields with the same non-empty key
// are shared.
func Normalize(s string) string {
	if plain(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r >= 0xFF01 && r <= 0xFF5E {
			r -= 0xFEE0
		}
		if unicode.IsSpace(r) {
			continue
		}
		b.WriteRune(unicode.ToLower(unicode.ToUpper(r)))
	}
	return b.String()
}

// plain reports whether s is already normalised ASCII: no upper case,
// no white space, nothing outside ASCII.
func plain(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 || (c >= 'A' && c <= 'Z') || c == ' ' || (c >= '\t' && c <= '\r') {
			return false
		}
	}
	return true
}

// Duplicate is one group of duplicate merchants: merchants linked by
// shared fields, directly or through one another (SP §1.7, PRV-1).
type Duplicate struct {
	Merchants []string `json:"merchants"` // sorted
	Shared    []Shared `json:"shared"`    // by field, then key
}

// Shared is one field value shared by merchants of a group.
type Shared struct {
	Field     Field    `json:"field"`
	Key       string   `json:"key"`       // the normalised value
	Merchants []string `json:"merchants"` // sorted
}

// Definition returns the definition the group matches.
func (Duplicate) Definition() string { return DefDuplicate }

// Finding returns the finding the group feeds: recommending duplicate
// merchants (4.17).
func (Duplicate) Finding() Finding { return Finding{Clause: FraudClause} }

// DuplicateMerchants returns the groups of duplicate merchants among ms
// (SP §1.7): merchants sharing a normalised name, address or location
// ([Normalize]), linked transitively, sorted by their first merchant. It
// indexes each field by its key and joins merchants with a union-find, so
// it runs in near-linear time, never comparing all pairs. Merchant IDs
// must be non-empty and distinct ([ErrInvalid]).
func DuplicateMerchants(ms []Merchant) ([]Duplicate, error) {
	ids := make(map[string]struct{}, len(ms))
	for _, m := range ms {
		if m.ID == "" {
			return nil, fmt.Errorf("%w: merchants: empty merchant ID", ErrInvalid)
		}
		if _, dup := ids[m.ID]; dup {
			return nil, fmt.Errorf("%w: merchants: merchant %q twice", ErrInvalid, m.ID)
		}
		ids[m.ID] = struct{}{}
	}
	parent := make([]int32, len(ms))
	for i := range parent {
		parent[i] = int32(i)
	}
	find := func(i int32) int32 {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	type bucketKey struct {
		f   Field
		key string
	}
	// Each bucket (a field's key) keeps its members as a linked list
	// through next, so that indexing allocates no slice per bucket.
	type bucket struct {
		key         bucketKey
		first, last int32 // merchant positions in members
		n           int32
	}
	index := make(map[bucketKey]int32, 3*len(ms))
	buckets := make([]bucket, 0, len(ms))
	members := make([]int32, 0, 3*len(ms)) // merchant index per membership
	next := make([]int32, 0, 3*len(ms))    // next membership of the same bucket, -1 at the end
	for i, m := range ms {
		for f, v := range [...]string{NameField: m.Name, AddressField: m.Address, LocationField: m.Location} {
			if f == 0 {
				continue
			}
			k := Normalize(v)
			if k == "" {
				continue
			}
			bk := bucketKey{Field(f), k}
			at := int32(len(members))
			members, next = append(members, int32(i)), append(next, -1)
			bi, ok := index[bk]
			if !ok {
				index[bk] = int32(len(buckets))
				buckets = append(buckets, bucket{key: bk, first: at, last: at, n: 1})
				continue
			}
			b := &buckets[bi]
			if ra, rb := find(members[b.first]), find(int32(i)); ra != rb {
				parent[rb] = ra
			}
			next[b.last], b.last, b.n = at, at, b.n+1
		}
	}
	groups := map[int32]*Duplicate{}
	for _, b := range buckets {
		if b.n < 2 {
			continue
		}
		root := find(members[b.first])
		g := groups[root]
		if g == nil {
			g = &Duplicate{}
			groups[root] = g
		}
		sh := Shared{Field: b.key.f, Key: b.key.key, Merchants: make([]string, 0, b.n)}
		for at := b.first; at >= 0; at = next[at] {
			sh.Merchants = append(sh.Merchants, ms[members[at]].ID)
		}
		slices.Sort(sh.Merchants)
		g.Shared = append(g.Shared, sh)
	}
	for i := range ms {
		if g := groups[find(int32(i))]; g != nil {
			g.Merchants = append(g.Merchants, ms[i].ID)
		}
	}
	out := make([]Duplicate, 0, len(groups))
	for _, g := range groups {
		slices.Sort(g.Merchants)
		slices.SortFunc(g.Shared, func(a, b Shared) int {
			return cmp.Or(cmp.Compare(a.Field, b.Field), cmp.Compare(a.Key, b.Key))
		})
		out = append(out, *g)
	}
	slices.SortFunc(out, func(a, b Duplicate) int { return cmp.Compare(a.Merchants[0], b.Merchants[0]) })
	return out, nil
}

// Trade is one trade of a merchant with an account.
type Trade struct {
	ID       string          `json:"id"`
	Merchant string          `json:"merchant"`
	Account  string          `json:"account"`
	At       time.Time       `json:"at"`
	Amount   decimal.Decimal `json:"amount"`
}

// Relation ties an account to a merchant or its provider: an associated
// person's (friends, classmates, family, staff of the same company) or
// one the provider or merchant registered or controls.
type Relation struct {
	Merchant string  `json:"merchant"`
	Account  string  `json:"account"`
	Kind     Related `json:"kind"`
}

// Related is how an account is related to a merchant. The zero value is
// invalid.
type Related uint8

// The relations of SP §1.9.
const (
	Associated Related = 1 // an associated person's account (SP §1.9(1))
	Controlled Related = 2 // an account the provider or merchant registered or controls (SP §1.9(2))
)

var relatedNames = enum.Names{"invalid", "associated", "controlled"}

func (r Related) String() string { return enum.String(relatedNames, r) }

// IsValid reports whether r is a Related other than the invalid zero value.
func (r Related) IsValid() bool { return enum.IsValid(relatedNames, r) }
func (r Related) MarshalText() ([]byte, error) {
	return enum.Marshal(relatedNames, r, "provider: relation")
}
func (r *Related) UnmarshalText(b []byte) error {
	return wrapInvalid(enum.Unmarshal(relatedNames, r, b, "provider: relation"))
}

// Signal is one false-transaction signal on a trade (SP §1.9, PRV-1).
type Signal struct {
	Trade      string `json:"trade"`
	Merchant   string `json:"merchant"`
	Definition string `json:"definition"` // DefAssociatedParty, DefControlledAccount or DefAbnormalLowPrice
}

// Finding returns the finding the signal feeds: false transactions (4.20).
func (Signal) Finding() Finding { return Finding{Clause: CashOutClause} }

// FalseTransactions returns the false-transaction signals of trades, in
// trade order and, per trade, in the order of SP §1.9: the counterparty
// is an associated person's account, or one the provider or merchant
// controls, of the trade's merchant; or the amount is below the low_price
// threshold of the version in force at the trade (a low-price trade).
func (m *Machine) FalseTransactions(trades []Trade, relations []Relation) ([]Signal, error) {
	type rk struct{ merchant, account string }
	rel := make(map[rk][3]bool, len(relations))
	for _, r := range relations {
		if !r.Kind.IsValid() || r.Merchant == "" || r.Account == "" {
			return nil, fmt.Errorf("%w: relation %+v", ErrInvalid, r)
		}
		k := rk{r.Merchant, r.Account}
		v := rel[k]
		v[r.Kind] = true
		rel[k] = v
	}
	var out []Signal
	var last *rules.Version
	var floor int64
	for _, t := range trades {
		fen, err := money.Amount(t.Amount)
		if err != nil || t.ID == "" || t.Merchant == "" || t.At.IsZero() {
			return nil, fmt.Errorf("%w: trade %q: id, merchant, instant and a valid amount are required", ErrInvalid, t.ID)
		}
		if v := m.policy.In(t.At); v != last {
			if floor, err = lowPriceFen(v); err != nil {
				return nil, err
			}
			last = v
		}
		r := rel[rk{t.Merchant, t.Account}]
		if r[Associated] {
			out = append(out, Signal{Trade: t.ID, Merchant: t.Merchant, Definition: DefAssociatedParty})
		}
		if r[Controlled] {
			out = append(out, Signal{Trade: t.ID, Merchant: t.Merchant, Definition: DefControlledAccount})
		}
		if fen < floor {
			out = append(out, Signal{Trade: t.ID, Merchant: t.Merchant, Definition: DefAbnormalLowPrice})
		}
	}
	return out, nil
}

// Invalid is an invalid merchant (SP §1.8, PRV-1): no real trade within
// the period after its cooperation began, which closed at Deadline.
type Invalid struct {
	Merchant string    `json:"merchant"`
	Deadline time.Time `json:"deadline"`
}

// Definition returns the definition the merchant matches.
func (Invalid) Definition() string { return DefInvalid }

// Finding returns the finding it feeds: recommending invalid merchants (4.17).
func (Invalid) Finding() Finding { return Finding{Clause: FraudClause} }

// InvalidMerchants returns, in merchant order, the merchants whose
// invalid_merchant_period (of the version in force when their cooperation
// began) has closed by now without one real trade in it: a trade at or
// after the start and before the close that carries no false-transaction
// signal ([Machine.FalseTransactions]). Merchants not yet cooperating are
// skipped.
func (m *Machine) InvalidMerchants(ms []Merchant, trades []Trade, relations []Relation, now time.Time) ([]Invalid, error) {
	signals, err := m.FalseTransactions(trades, relations)
	if err != nil {
		return nil, err
	}
	flagged := make(map[string]bool, len(signals))
	for _, s := range signals {
		flagged[s.Trade] = true
	}
	byMerchant := map[string][]time.Time{}
	for _, t := range trades {
		if !flagged[t.ID] {
			byMerchant[t.Merchant] = append(byMerchant[t.Merchant], t.At)
		}
	}
	var out []Invalid
	for _, mc := range ms {
		if mc.ID == "" {
			return nil, fmt.Errorf("%w: merchants: empty merchant ID", ErrInvalid)
		}
		if mc.CooperationFrom.IsZero() {
			continue
		}
		end, _, err := window(m.policy.In(mc.CooperationFrom), invalidMerchantPeriod, mc.CooperationFrom)
		if err != nil {
			return nil, err
		}
		if now.Before(end) {
			continue
		}
		real := slices.ContainsFunc(byMerchant[mc.ID], func(at time.Time) bool {
			return !at.Before(mc.CooperationFrom) && at.Before(end)
		})
		if !real {
			out = append(out, Invalid{Merchant: mc.ID, Deadline: end})
		}
	}
	return out, nil
}
