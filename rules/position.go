package rules

import (
	"fmt"
	"unicode"

	"go.yaml.in/yaml/v3"
)

// posMapper maps a position inside an expression (CEL's 1-based line and
// 0-based column, both counted in characters) to the position in the rule
// file of the character YAML decoded it from. It aligns the decoded text
// with the file's text, so that quotes, escape sequences, doubled single
// quotes, indentation and folded line breaks are all accounted for.
type posMapper struct {
	def   *rawThreshold
	lines []int     // offset in the expression of the start of each of its lines
	pos   []filePos // file position of each character of the expression, and of its end
}

type filePos struct{ line, col int }

func newPosMapper(def *rawThreshold) posMapper {
	expr := []rune(def.expr)
	pm := posMapper{def: def, lines: []int{0}, pos: make([]filePos, len(expr)+1)}
	for i, r := range expr {
		if r == '\n' {
			pm.lines = append(pm.lines, i+1)
		}
	}
	n := def.exprNode
	if n == nil || n.Line == 0 { // a single expression given in Go: the file is the expression
		line, col := 1, 1
		for i, r := range expr {
			pm.pos[i] = filePos{line, col}
			if r == '\n' {
				line, col = line+1, 1
			} else {
				col++
			}
		}
		pm.pos[len(expr)] = filePos{line, col}
		return pm
	}
	c := newCursor(def.file, n)
	single := n.Style&yaml.SingleQuotedStyle != 0
	double := n.Style&yaml.DoubleQuotedStyle != 0
	for i, r := range expr {
		for !c.eof() {
			fc := c.peek(0)
			if double && fc == '\\' {
				if c.peek(1) == '\n' { // an escaped line break: no character
					c.advance(2)
					continue
				}
				pm.pos[i] = c.here()
				c.advance(escapeLen(c.peek(1)))
				break
			}
			if single && fc == '\'' && c.peek(1) == '\'' {
				pm.pos[i] = c.here()
				c.advance(2)
				break
			}
			if fc == r || isBlank(r) && isBlank(fc) {
				pm.pos[i] = c.here()
				c.advance(1)
				break
			}
			if isBlank(fc) { // indentation, or a line break folded away
				c.advance(1)
				continue
			}
			// The text differs from the file (an alias, say): keep going in step.
			pm.pos[i] = c.here()
			if !isBlank(r) {
				c.advance(1)
			}
			break
		}
		if c.eof() && pm.pos[i].line == 0 {
			pm.pos[i] = c.here()
		}
	}
	pm.pos[len(expr)] = c.here()
	return pm
}

func isBlank(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' }

// escapeLen is the length of a double-quoted YAML escape sequence whose
// letter is r: \xXX, \uXXXX, \UXXXXXXXX, else two characters.
func escapeLen(r rune) int {
	switch r {
	case 'x':
		return 4
	case 'u':
		return 6
	case 'U':
		return 10
	}
	return 2
}

// cursor walks the characters of a file from a scalar's first character;
// the end of each line reads as '\n'.
type cursor struct {
	f    *rawFile
	line int    // 1-based
	col  int    // 0-based, in characters
	text []rune // the current line
}

func newCursor(f *rawFile, n *yaml.Node) *cursor {
	c := &cursor{f: f, line: n.Line, col: max(0, n.Column-1)}
	switch {
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0: // the text starts on the line after | or >
		c.line, c.col = n.Line+1, 0
	case n.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle) != 0:
		c.col++
	}
	c.text = []rune(f.line(c.line))
	return c
}

func (c *cursor) eof() bool { return c.line > len(c.f.lines) || c.line < 1 }

// peek returns the character k ahead, '\n' at a line's end, 0 past the file.
func (c *cursor) peek(k int) rune {
	line, col, text := c.line, c.col+k, c.text
	for col > len(text) {
		col -= len(text) + 1
		line++
		if line > len(c.f.lines) {
			return 0
		}
		text = []rune(c.f.line(line))
	}
	if c.eof() {
		return 0
	}
	if col == len(text) {
		return '\n'
	}
	return text[col]
}

func (c *cursor) advance(k int) {
	for ; k > 0 && !c.eof(); k-- {
		if c.col < len(c.text) {
			c.col++
			continue
		}
		c.line, c.col = c.line+1, 0
		c.text = []rune(c.f.line(c.line))
	}
}

// here is the cursor's position, 1-based; past the file's end it stays on
// the end of the last line.
func (c *cursor) here() filePos {
	if c.eof() {
		last := len(c.f.lines)
		if last > 0 && c.f.line(last) == "" {
			last--
		}
		return filePos{max(last, 1), len([]rune(c.f.line(last))) + 1}
	}
	return filePos{c.line, c.col + 1}
}

// at maps CEL's (line, 0-based column) to the file's (line, 1-based column).
func (pm posMapper) at(line, col int) (int, int) {
	off := 0
	if line >= 1 && line <= len(pm.lines) {
		off = pm.lines[line-1] + max(col, 0)
	}
	off = min(off, len(pm.pos)-1)
	p := pm.pos[off]
	return p.line, p.col
}

// callee is like at for the position of a call, which CEL puts on its
// "(": it returns the position of the function's name instead.
func (pm posMapper) callee(line, col int) (int, int) {
	if line < 1 || line > len(pm.lines) {
		return pm.at(line, col)
	}
	expr := []rune(pm.def.expr)
	off := min(pm.lines[line-1]+max(col, 0), len(expr))
	for off > 0 && off <= len(expr) && (unicode.IsLetter(expr[off-1]) || unicode.IsDigit(expr[off-1]) || expr[off-1] == '_') {
		off--
	}
	p := pm.pos[off]
	return p.line, p.col
}

// first is the position of the expression's first non-blank character.
func (pm posMapper) first() (int, int) {
	for i, r := range []rune(pm.def.expr) {
		if !isBlank(r) {
			return pm.pos[i].line, pm.pos[i].col
		}
	}
	return pm.pos[0].line, pm.pos[0].col
}

func (pm posMapper) start() string {
	line, col := pm.first()
	return fmt.Sprintf("%s:%d:%d", pm.def.file.name, line, col)
}
