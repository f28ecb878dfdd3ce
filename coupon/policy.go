package coupon

import (
	"embed"
	"errors"
	"fmt"
	"time"

	"github.com/tradepolicy/tradepolicy/rules"
)

//go:embed policy/*.yaml
var policyFS embed.FS

var schema = rules.MustSchema("coupon",
	rules.Decl{Name: "max_general", Rule: "CPN-3", Type: rules.Int, Doc: "general coupons per order"},
	rules.Decl{Name: "max_shop", Rule: "CPN-3", Type: rules.Int, Doc: "shop coupons per order"},
	rules.Decl{Name: "max_targeted_free", Rule: "CPN-3", Type: rules.Int, Doc: "threshold-free targeted coupons per order"},
	rules.Decl{Name: "max_targeted_threshold", Rule: "CPN-3", Type: rules.Int, Doc: "threshold targeted coupons per order"},
	rules.Decl{Name: "max_cross_store", Rule: "CPN-5", Type: rules.Int, Doc: "cross-store coupons per checkout"},
	rules.Decl{Name: "general_with_targeted", Rule: "CPN-2", Type: rules.Bool},
	rules.Decl{Name: "general_with_shop", Rule: "CPN-2", Type: rules.Bool},
	rules.Decl{Name: "targeted_with_shop", Rule: "CPN-2", Type: rules.Bool},
	rules.Decl{Name: "targeted_free_with_threshold", Rule: "CPN-3", Type: rules.Bool},
	rules.Decl{Name: "cross_store_with_shop", Rule: "CPN-5", Type: rules.Bool},
	rules.Decl{Name: "cross_store_with_general", Rule: "CPN-5", Type: rules.Bool},
	rules.Decl{Name: "cross_store_with_targeted", Rule: "CPN-5", Type: rules.Bool},
	rules.Decl{Name: "threshold_base", Rule: "CPN-4", Type: rules.String, Doc: `"list" or "after_shop"`},
	rules.Decl{Name: "exclude_from_coupon_back", Rule: "CPN-4", Type: rules.Bool},
	rules.Decl{Name: "give_back_on_cancel", Rule: "CPN-7", Type: rules.Bool},
	rules.Decl{Name: "give_back_on_full_refund", Rule: "CPN-6", Type: rules.Bool},
	rules.Decl{Name: "give_back_on_partial_refund", Rule: "CPN-6", Type: rules.Bool},
)

var (
	keyMaxGeneral        = rules.MustKey[int64](schema, "max_general")
	keyMaxShop           = rules.MustKey[int64](schema, "max_shop")
	keyMaxTargetedFree   = rules.MustKey[int64](schema, "max_targeted_free")
	keyMaxTargetedThr    = rules.MustKey[int64](schema, "max_targeted_threshold")
	keyMaxCrossStore     = rules.MustKey[int64](schema, "max_cross_store")
	keyGeneralTargeted   = rules.MustKey[bool](schema, "general_with_targeted")
	keyGeneralShop       = rules.MustKey[bool](schema, "general_with_shop")
	keyTargetedShop      = rules.MustKey[bool](schema, "targeted_with_shop")
	keyFreeWithThreshold = rules.MustKey[bool](schema, "targeted_free_with_threshold")
	keyCrossShop         = rules.MustKey[bool](schema, "cross_store_with_shop")
	keyCrossGeneral      = rules.MustKey[bool](schema, "cross_store_with_general")
	keyCrossTargeted     = rules.MustKey[bool](schema, "cross_store_with_targeted")
	keyThresholdBase     = rules.MustKey[string](schema, "threshold_base")
	keyExcludeCouponBack = rules.MustKey[bool](schema, "exclude_from_coupon_back")
	keyBackOnCancel      = rules.MustKey[bool](schema, "give_back_on_cancel")
	keyBackOnFull        = rules.MustKey[bool](schema, "give_back_on_full_refund")
	keyBackOnPartial     = rules.MustKey[bool](schema, "give_back_on_partial_refund")
)

// Schema returns the declarations of the coupon policy: the thresholds a
// rule file must define and a host may override.
func Schema() *rules.Schema { return schema }

var defaultPolicy = rules.Embedded(schema, policyFS, "policy/*.yaml")

// DefaultPolicy returns the embedded rule file, policy/coupon.yaml, loaded
// once. It panics only if the embedded file is broken, which the package's
// tests prove it is not.
func DefaultPolicy() *rules.Set { return defaultPolicy() }

// Threshold bases (policy value threshold_base, CPN-4).
const (
	BaseList      = "list"       // the eligible amount before any coupon
	BaseAfterShop = "after_shop" // the eligible amount less the shop coupons' discount
)

// Policy is the coupon policy in force at one instant, read from a rule
// file version: every value a check, a search or an allocation uses.
type Policy struct {
	Version string // the rule-file version date
	Zone    *time.Location

	MaxGeneral, MaxShop, MaxTargetedFree, MaxTargetedThreshold int // CPN-3, per order
	MaxCrossStore                                              int // CPN-5, per checkout

	GeneralWithTargeted, GeneralWithShop, TargetedWithShop bool // CPN-2
	TargetedFreeWithThreshold                              bool // CPN-3
	CrossStoreWithShop, CrossStoreWithGeneral              bool // CPN-5
	CrossStoreWithTargeted                                 bool // CPN-5

	ThresholdBase         string // CPN-4: BaseList or BaseAfterShop
	ExcludeFromCouponBack bool   // CPN-4

	GiveBackOnCancel, GiveBackOnFullRefund, GiveBackOnPartialRefund bool // CPN-6, CPN-7
}

// ErrPolicy is wrapped by [CheckPolicy]'s error for a rule file value
// the package cannot use, such as an unknown threshold base or a negative
// count, and by [Engine.GiveBack]'s error for a pinned version the set no
// longer holds.
var ErrPolicy = errors.New("coupon: unusable policy")

// CheckPolicy reports whether every version of set is a coupon policy the
// package can use: loaded against [Schema], with every threshold in range
// (counts 0 … 2^20, threshold_base "list" or "after_shop"). A host that
// loads or overrides rule files calls it on the result, on the load path;
// [New] panics on a set it refuses. The error wraps [ErrPolicy].
func CheckPolicy(set *rules.Set) error {
	_, err := readAll(set)
	return err
}

func readAll(set *rules.Set) (map[string]*Policy, error) {
	if set.Schema() != schema {
		return nil, fmt.Errorf("%w: a set of policy %q, not loaded against coupon.Schema()", ErrPolicy, set.Policy())
	}
	out := map[string]*Policy{}
	for _, v := range set.Versions() {
		p, err := ReadPolicy(v)
		if err != nil && !errors.Is(err, ErrPolicy) {
			err = fmt.Errorf("%w: %w", ErrPolicy, err)
		}
		if err != nil {
			return nil, fmt.Errorf("coupon policy version %s: %w", v.Date(), err)
		}
		out[v.Date()] = &p
	}
	return out, nil
}

// ReadPolicy reads every coupon threshold of version v.
func ReadPolicy(v *rules.Version) (Policy, error) {
	p := Policy{Version: v.Date(), Zone: v.Zone()}
	var firstErr error
	geti := func(k rules.Key[int64]) int {
		x, err := rules.Get(v, k)
		if err == nil && (x < 0 || x > 1<<20) {
			err = fmt.Errorf("%w: %s = %d (%s)", ErrPolicy, k.Name(), x, k.Rule())
		}
		if err != nil && firstErr == nil {
			firstErr = err
		}
		return int(x)
	}
	getb := func(k rules.Key[bool]) bool {
		x, err := rules.Get(v, k)
		if err != nil && firstErr == nil {
			firstErr = err
		}
		return x
	}
	gets := func(k rules.Key[string]) string {
		x, err := rules.Get(v, k)
		if err != nil && firstErr == nil {
			firstErr = err
		}
		return x
	}
	p.MaxGeneral = geti(keyMaxGeneral)
	p.MaxShop = geti(keyMaxShop)
	p.MaxTargetedFree = geti(keyMaxTargetedFree)
	p.MaxTargetedThreshold = geti(keyMaxTargetedThr)
	p.MaxCrossStore = geti(keyMaxCrossStore)
	p.GeneralWithTargeted = getb(keyGeneralTargeted)
	p.GeneralWithShop = getb(keyGeneralShop)
	p.TargetedWithShop = getb(keyTargetedShop)
	p.TargetedFreeWithThreshold = getb(keyFreeWithThreshold)
	p.CrossStoreWithShop = getb(keyCrossShop)
	p.CrossStoreWithGeneral = getb(keyCrossGeneral)
	p.CrossStoreWithTargeted = getb(keyCrossTargeted)
	p.ThresholdBase = gets(keyThresholdBase)
	p.ExcludeFromCouponBack = getb(keyExcludeCouponBack)
	p.GiveBackOnCancel = getb(keyBackOnCancel)
	p.GiveBackOnFullRefund = getb(keyBackOnFull)
	p.GiveBackOnPartialRefund = getb(keyBackOnPartial)
	if firstErr != nil {
		return Policy{}, firstErr
	}
	if p.ThresholdBase != BaseList && p.ThresholdBase != BaseAfterShop {
		return Policy{}, fmt.Errorf("%w: threshold_base = %q, want %q or %q (CPN-4)", ErrPolicy, p.ThresholdBase, BaseList, BaseAfterShop)
	}
	return p, nil
}

// compatible reports whether classes a and b may share an order under p,
// and the rule that says so.
func (p *Policy) compatible(a, b class) (bool, string) {
	if a > b {
		a, b = b, a
	}
	switch {
	case a == b:
		return true, "CPN-3"
	case a == clsGeneral && (b == clsTargetedFree || b == clsTargetedThreshold):
		return p.GeneralWithTargeted, "CPN-2"
	case a == clsGeneral && b == clsShop:
		return p.GeneralWithShop, "CPN-2"
	case a == clsTargetedFree && b == clsTargetedThreshold:
		return p.TargetedFreeWithThreshold, "CPN-3"
	case (a == clsTargetedFree || a == clsTargetedThreshold) && b == clsShop:
		return p.TargetedWithShop, "CPN-2"
	case a == clsGeneral && b == clsCrossStore:
		return p.CrossStoreWithGeneral, "CPN-5"
	case (a == clsTargetedFree || a == clsTargetedThreshold) && b == clsCrossStore:
		return p.CrossStoreWithTargeted, "CPN-5"
	case a == clsShop && b == clsCrossStore:
		return p.CrossStoreWithShop, "CPN-5"
	}
	return false, "CPN-2"
}

// limit returns the count limit of class c and its rule.
func (p *Policy) limit(c class) (int, string) {
	switch c {
	case clsGeneral:
		return p.MaxGeneral, "CPN-3"
	case clsTargetedFree:
		return p.MaxTargetedFree, "CPN-3"
	case clsTargetedThreshold:
		return p.MaxTargetedThreshold, "CPN-3"
	case clsShop:
		return p.MaxShop, "CPN-3"
	}
	return p.MaxCrossStore, "CPN-5"
}
