package pdf

import (
	"errors"
	"fmt"

	"github.com/yuin/goldmark/ast"
)

// Bounds on the Markdown a letter may be written in. Real letters nest lists and quotes a few
// levels deep and have some thousands of nodes; hostile ones nest tens of thousands deep, which
// goldmark parses in time quadratic in the depth and the renderer lays out recursively.
const (
	// MaxMarkdownDepth is the deepest nesting of blocks (lists, items, quotes) and inlines
	// (emphasis, links) accepted.
	MaxMarkdownDepth = 32
	// MaxMarkdownNodes bounds the parsed document, and so the work of laying it out.
	MaxMarkdownNodes = 500_000
)

// maxTreeDepth bounds the depth of the parsed tree: each level of list nesting is two nodes
// (list and item), and a paragraph with its inlines sits below the deepest.
const maxTreeDepth = 2*MaxMarkdownDepth + 8

// ErrTooComplex is wrapped by errors about Markdown nested deeper than MaxMarkdownDepth or
// with more than MaxMarkdownNodes nodes.
var ErrTooComplex = errors.New("markdown too complex")

// CheckMarkdown reports whether Render would refuse src as too deeply nested, without parsing
// it: a linear scan, line by line. Render runs it too; the registry runs it on upload.
func CheckMarkdown(src []byte) error {
	if d := markdownLineDepth(src, MaxMarkdownDepth); d > MaxMarkdownDepth {
		return fmt.Errorf("%w: lists or quotes nested more than %d deep", ErrTooComplex, MaxMarkdownDepth)
	}
	return nil
}

// markdownLineDepth returns an upper estimate of the container nesting (block quotes and list
// items) in src, stopping once past limit. On each line it counts the container markers that
// open one after the other ("> - 1. > …"), plus one level for every two columns of
// indentation before the first (a nested list item is indented at least two columns per level;
// a quote must repeat its markers on each line). Lines inside a fenced code block count their
// markers only: their indentation is code. Goldmark's parse time grows with the square of
// this depth, so it is measured before parsing; the parsed tree is measured again exactly.
func markdownLineDepth(src []byte, limit int) int {
	deepest := 0
	var fence byte // '`' or '~' inside a fenced code block
	fenceLen := 0
	for len(src) > 0 && deepest <= limit {
		line := src
		if i := indexNewline(src); i >= 0 {
			line, src = src[:i], src[i+1:]
		} else {
			src = nil
		}
		col, i := 0, 0
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			if line[i] == '\t' {
				col += 4 - col%4
			} else {
				col++
			}
			i++
		}
		depth := 0
		if fence == 0 {
			depth = col / 2
		}
		for i < len(line) && !thematicBreak(line[i:]) {
			n := containerMarker(line[i:])
			if n == 0 {
				break
			}
			depth++
			i += n
			for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
				i++
			}
			if depth > limit {
				break
			}
		}
		deepest = max(deepest, depth)
		// Track fences only roughly: a fence opened inside a container that later ends is
		// still counted as open, which can only lower the estimate of indentation, never of
		// markers; the tree check after parsing is exact.
		if c, n := fenceRun(line[i:]); n >= 3 {
			switch {
			case fence == 0:
				fence, fenceLen = c, n
			case c == fence && n >= fenceLen:
				fence, fenceLen = 0, 0
			}
		}
	}
	return deepest
}

func indexNewline(b []byte) int {
	for i, c := range b {
		if c == '\n' || c == '\r' {
			return i
		}
	}
	return -1
}

// containerMarker returns the length of a block-quote marker (">") or list-item marker ("-",
// "+", "*", or up to nine digits and "." or ")") at the start of b, followed by white space or
// the end of the line; 0 if there is none.
func containerMarker(b []byte) int {
	n := 0
	switch {
	case b[0] == '>':
		return 1
	case b[0] == '-' || b[0] == '+' || b[0] == '*':
		n = 1
	default:
		for n < len(b) && n < 9 && b[n] >= '0' && b[n] <= '9' {
			n++
		}
		if n == 0 || n == len(b) || (b[n] != '.' && b[n] != ')') {
			return 0
		}
		n++
	}
	if n < len(b) && b[n] != ' ' && b[n] != '\t' {
		return 0
	}
	return n
}

// thematicBreak reports whether b is a thematic break ("- - -", "***"): three or more of
// one of "-", "*", "_" and nothing else but white space.
func thematicBreak(b []byte) bool {
	var c byte
	n := 0
	for _, x := range b {
		switch {
		case x == ' ' || x == '\t':
		case (x == '-' || x == '*' || x == '_') && (c == 0 || x == c):
			c = x
			n++
		default:
			return false
		}
	}
	return n >= 3
}

// fenceRun returns the fence character and the length of the run of it at the start of b.
func fenceRun(b []byte) (byte, int) {
	if len(b) == 0 || (b[0] != '`' && b[0] != '~') {
		return 0, 0
	}
	n := 0
	for n < len(b) && b[n] == b[0] {
		n++
	}
	return b[0], n
}

// checkTree measures the parsed document iteratively (the renderer recurses, so the depth
// must be known before it starts) and refuses it past the bounds.
func checkTree(doc ast.Node) error {
	nodes, depth := 0, 0
	n := doc
	for n != nil {
		nodes++
		if nodes > MaxMarkdownNodes {
			return fmt.Errorf("%w: more than %d parts", ErrTooComplex, MaxMarkdownNodes)
		}
		if depth > maxTreeDepth {
			return fmt.Errorf("%w: nested more than %d deep", ErrTooComplex, MaxMarkdownDepth)
		}
		if c := n.FirstChild(); c != nil {
			n, depth = c, depth+1
			continue
		}
		for n != nil && n != doc && n.NextSibling() == nil {
			n, depth = n.Parent(), depth-1
		}
		if n == nil || n == doc {
			break
		}
		n = n.NextSibling()
	}
	return nil
}
