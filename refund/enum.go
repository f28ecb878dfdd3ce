package refund

import "fmt"

// The enumerations of this package share one text form: a fixed name per
// value, used in JSON, logs and scenario files. Value 0 of each is
// "invalid" except where its doc says otherwise.

func enumString(names []string, i uint8) string {
	if int(i) < len(names) {
		return names[i]
	}
	return fmt.Sprintf("invalid(%d)", i)
}

func enumMarshal(names []string, i uint8, what string) ([]byte, error) {
	if int(i) >= len(names) {
		return nil, fmt.Errorf("refund: invalid %s %d", what, i)
	}
	return []byte(names[i]), nil
}

func enumParse(names []string, text []byte, what string) (uint8, error) {
	s := string(text)
	for i, n := range names {
		if n == s {
			return uint8(i), nil
		}
	}
	return 0, fmt.Errorf("refund: unknown %s %q", what, s)
}
