package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// Bounds of the entries of /ToUnicode CMaps (codespace ranges, bfchar pairs and bfrange
// ranges, as the extractor makes them). maxCMap bounds a map's bytes, not its entries, and
// the extractor decodes each code of a string by a search of all the entries of its font's
// map, after parsing the maps of a page's fonts whole: a map of 100,000 entries (1.3 MB)
// took 1.2 s to decode 10 KB of strings, and neither one string (up to 64 KiB) nor the
// parse looks at the time budget. It also makes as many entries as a section's count says,
// whatever the section holds, so a map of a few bytes could make a thousand million of
// them. The most measured (TestRealCMapsWithinEntryBounds) are 225 entries for one map and
// 6,075 for a page, of a CJK letter of 6,000 distinct characters that Chancery rendered (it
// lays out fonts of at most 256 glyphs, each with its map); in pdfcpu's test corpus, 150
// and 562 (golang.pdf). A page naming every glyph of Chancery's fonts, some 75,000 with
// CJK's 65,535, would stay under maxPageCMapEntries.
const (
	// maxCMapEntries bounds the entries of one map, and so the search for each code: some
	// 1.7 s for a string of 64 KiB at most.
	maxCMapEntries = 20_000
	// maxPageCMapEntries bounds the entries of the maps of one page's fonts together, which
	// the extractor parses and keeps while it reads the page (2 s and 20 MB at most).
	maxPageCMapEntries = 200_000
)

// cmapEntries returns the entries the extractor makes of the CMap program p: for each
// "endcodespacerange", "endbfchar" and "endbfrange", the count of the last section begun,
// as the extractor reads it (it keeps that count past the end of a bfchar or bfrange
// section). It stops with ErrTooLarge past limit entries, and when a section's count is not
// written as an integer: the extractor takes it from the top of its stack, which the
// program can fill otherwise (a name defined earlier, "pop"), and its work cannot be told.
// The tokens are read as the extractor's lexer reads them; a program it fails to read it
// stops reading, so counting the rest counts at most more than it makes.
func cmapEntries(p []byte, limit int64) (int64, error) {
	var entries int64
	count := int64(-1) // of the last section begun, -1 after a codespace range's end
	prev, prevInt := int64(0), false
	for i := 0; i < len(p); {
		c := p[i]
		switch {
		case cmapSpace(c):
			i++
			continue
		case c == '%':
			for i < len(p) && p[i] != '\r' && p[i] != '\n' {
				i++
			}
			continue
		}
		isInt, v := false, int64(0)
		switch c {
		case '(':
			i = literalEnd(p, i+1)
		case '<':
			if i+1 < len(p) && p[i+1] == '<' {
				i += 2
			} else if j := bytes.IndexByte(p[i:], '>'); j >= 0 {
				i += j + 1
			} else {
				i = len(p)
			}
		case '>':
			if i+1 < len(p) && p[i+1] == '>' {
				i++
			}
			i++
		case '[', ']', '{', '}', ')':
			i++
		default:
			j := i + 1
			for j < len(p) && !cmapSpace(p[j]) && !cmapDelim(p[j]) {
				j++
			}
			word := string(p[i:j])
			i = j
			if c == '/' {
				break
			}
			switch word {
			case "begincodespacerange", "beginbfchar", "beginbfrange":
				if !prevInt {
					return entries, fmt.Errorf("%w: a /ToUnicode map's %s has no count", ErrTooLarge, word)
				}
				count = prev
			case "endbfchar", "endbfrange":
				entries += max(count, 0)
			case "endcodespacerange":
				entries, count = entries+max(count, 0), -1
			default:
				n, err := strconv.ParseInt(word, 10, 64)
				isInt, v = err == nil, n
			}
			if entries > limit {
				return entries, fmt.Errorf("%w: /ToUnicode maps over their bound of entries (%d)", ErrTooLarge, limit)
			}
		}
		prev, prevInt = v, isInt
	}
	return entries, nil
}

// cmapSink holds a decoded map for cmapEntries. It reads 8 KiB at a time, as io.Discard
// does, so that decoding a map looks at the time budget as often as when the map was
// discarded (a bytes.Buffer reads in ever larger chunks).
type cmapSink struct{ bytes.Buffer }

func (s *cmapSink) ReadFrom(r io.Reader) (int64, error) {
	var n int64
	buf := make([]byte, 8<<10)
	for {
		k, err := r.Read(buf)
		s.Write(buf[:k])
		n += int64(k)
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
}

// literalEnd returns the index past the end of the literal string of p that starts at i,
// just past its "(": its parentheses nest, and a backslash escapes the byte after it.
func literalEnd(p []byte, i int) int {
	for depth := 1; i < len(p); i++ {
		switch p[i] {
		case '(':
			depth++
		case ')':
			if depth--; depth == 0 {
				return i + 1
			}
		case '\\':
			i++
		}
	}
	return len(p)
}

// cmapSpace and cmapDelim are the extractor lexer's white space and delimiters.
func cmapSpace(c byte) bool {
	switch c {
	case 0, '\t', '\n', '\f', '\r', ' ':
		return true
	}
	return false
}

func cmapDelim(c byte) bool {
	switch c {
	case '<', '>', '(', ')', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}
