package rules

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Limits on one rule file, checked before it is parsed or as it is read,
// so that a load does work linear in a file of bounded size.
const (
	// MaxFileSize bounds a rule file's size in bytes.
	MaxFileSize = 1 << 20
	// MaxEntries bounds the thresholds of one file, and its test cases.
	MaxEntries = 1000
	// maxAliasRatio bounds how much YAML aliases may expand: the text of
	// every alias resolved, together, at most this many times the file's
	// size (and at least minAliasBudget bytes).
	maxAliasRatio  = 10
	minAliasBudget = 64 << 10
)

// splitLines splits src into lines exactly as yaml.v3 counts them: a
// line ends at LF, CR, CR LF, NEL (U+0085), LS (U+2028) or PS (U+2029).
// A byte-order mark at the start, which yaml.v3 skips, is not part of
// line 1.
func splitLines(src string) []string {
	src = strings.TrimPrefix(src, "\ufeff")
	var lines []string
	start := 0
	for i := 0; i < len(src); {
		n := lineBreak(src, i)
		if n == 0 {
			i++
			continue
		}
		lines = append(lines, src[start:i])
		i += n
		start = i
	}
	return append(lines, src[start:])
}

// lineBreak returns the length of the line break at src[i:], or 0.
func lineBreak(src string, i int) int {
	switch src[i] {
	case '\n':
		return 1
	case '\r':
		if i+1 < len(src) && src[i+1] == '\n' {
			return 2
		}
		return 1
	case 0xC2: // NEL
		if i+1 < len(src) && src[i+1] == 0x85 {
			return 2
		}
	case 0xE2: // LS, PS
		if i+2 < len(src) && src[i+1] == 0x80 && (src[i+2] == 0xA8 || src[i+2] == 0xA9) {
			return 3
		}
	}
	return 0
}

// allowedInYAML reports whether r may appear in a YAML stream, as
// yaml.v3's reader checks it.
func allowedInYAML(r rune) bool {
	switch {
	case r == 0x09, r == 0x0A, r == 0x0D, r >= 0x20 && r <= 0x7E, r == 0x85:
		return true
	case r >= 0xA0 && r <= 0xD7FF, r >= 0xE000 && r <= 0xFFFD, r >= 0x10000 && r <= 0x10FFFF:
		return true
	}
	return false
}

// checkEncoding finds what yaml.v3's reader would refuse without a
// position: a UTF-16 or UTF-32 file, invalid UTF-8, a character YAML does
// not allow. It returns the problem's line and column (counted as
// splitLines and yaml.v3 count them), or ok.
func checkEncoding(src []byte) (line, col int, msg string, ok bool) {
	switch {
	case len(src) >= 2 && (src[0] == 0xFE && src[1] == 0xFF || src[0] == 0xFF && src[1] == 0xFE):
		return 1, 1, "the file is UTF-16 (it starts with a UTF-16 byte-order mark); rule files are UTF-8", false
	case len(src) >= 4 && src[0] == 0 && src[1] == 0 && src[2] == 0xFE && src[3] == 0xFF:
		return 1, 1, "the file is UTF-32; rule files are UTF-8", false
	}
	s := string(src)
	i := 0
	if strings.HasPrefix(s, "\ufeff") {
		i = 3
	}
	line, col = 1, 1
	for i < len(s) {
		if n := lineBreak(s, i); n > 0 {
			line, col = line+1, 1
			i += n
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			return line, col, fmt.Sprintf("invalid UTF-8 (byte 0x%02X); rule files are UTF-8", s[i]), false
		case !allowedInYAML(r):
			return line, col, fmt.Sprintf("character %U is not allowed in a YAML file", r), false
		}
		i += size
		col++
	}
	return 0, 0, "", true
}

// firstLine is line 1 of src, without splitting the whole file.
func firstLine(src []byte) string {
	s := strings.TrimPrefix(string(src[:min(len(src), 4096)]), "\ufeff")
	for i := 0; i < len(s); i++ {
		if lineBreak(s, i) > 0 {
			return s[:i]
		}
	}
	return strings.ToValidUTF8(s, "\ufffd")
}
