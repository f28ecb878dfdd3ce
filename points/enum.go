package points

import "github.com/tradepolicy/tradepolicy/internal/enum"

// Stage is where the order stood when a refund was requested (PTS-2). It
// has the values and the text of refund.Stage, so a host converts one to
// the other by name ([ParseStage]). The zero value is invalid.
type Stage uint8

// The stages of PTS-2.
const (
	BeforeShipment Stage = iota + 1 // not shipped
	Shipped                         // shipped, receipt not confirmed
	Confirmed                       // receipt confirmed
)

var stageNames = enum.Names{"invalid", "before_shipment", "shipped", "confirmed"}

func (s Stage) String() string { return enum.String(stageNames, s) }

// IsValid reports whether s is one of the stages (not the zero value).
func (s Stage) IsValid() bool                { return enum.IsValid(stageNames, s) }
func (s Stage) MarshalText() ([]byte, error) { return enum.Marshal(stageNames, s, "points: stage") }
func (s *Stage) UnmarshalText(b []byte) error {
	return enum.Unmarshal(stageNames, s, b, "points: stage")
}

// ParseStage returns the stage named s ("before_shipment", "shipped",
// "confirmed"), or an error wrapping [ErrInvalid].
func ParseStage(s string) (Stage, error) {
	st, err := enum.Parse[Stage](stageNames, s, "points: stage")
	if err != nil {
		return 0, invalid(err)
	}
	return st, nil
}
