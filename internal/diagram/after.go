package diagram

import "github.com/tradepolicy/tradepolicy/rules"

// After is the label of a deadline edge for threshold name of v: "after
// NAME = VALUE", the value written as rule files and decisions write it
// ([rules.FormatValue]: 48h, days(7)); args are the threshold's inputs,
// if it reads any. When the threshold cannot be evaluated the label shows
// "?" for its value and the error says why.
func After(v *rules.Version, name string, args ...any) (string, error) {
	val, err := v.Eval(name, args...)
	if err != nil {
		return "after " + name + " = ?", err
	}
	return "after " + name + " = " + rules.FormatValue(val), nil
}
