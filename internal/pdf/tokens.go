package pdf

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/pdfcpu/pdfcpu/pkg/filter"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// Bounds on the tokens of PDF syntax a read parses, counted before the parsers underneath
// see them. Those cost far more than the bytes they read: pdfcpu allocates some 240 bytes a
// number of a file's objects and 630 a dictionary key, and the text extractor 16 to 190
// bytes a token of a page's content, an operand left on its stack costing the most. A small
// file inflates to millions of tokens: 32 MiB of content "0 0 0 …", a 32 KB upload, cost one
// Text 3.6 s and 3 GB. Every read (Check, the marks, Text, InvisibleText, PicturesOnly,
// ReadTextLayer) refuses the objects past maxObjectTokens; the text extractor's reads
// refuse the content past maxContentTokens, maxOperands or maxContentString (ErrTooLarge).
// The public identification of a PDF reads it once (ReadTextLayer), and PicturesOnly once
// more for a scan that OCR reads.
const (
	// maxContentTokens bounds the tokens of a document's page contents, all pages together, a
	// stream counting each time it is named. Of 55 real documents measured (pdfcpu's test
	// corpus of books, papers, forms and scans, manuals, signed files), most have 1,000 to
	// 5,000 a page, a printed program listing 12,000; LibreOffice positions every glyph of a
	// plain text, 9,500 a page: 500 such pages (MaxPages) are 4.75 million. Just under the
	// bound a read costs some 0.5–1 s and 10–370 MB (0.7–3.6 s and up to 3 GB without it).
	maxContentTokens = 8_000_000
	// maxOperands bounds the operands (array elements included) before one operator: real
	// operators take at most a few, and a TJ array the glyph runs of a line or a paragraph.
	maxOperands = 65_536
	// maxContentString bounds the bytes of one string of a content stream, literal or
	// hexadecimal, as written. A string is one token, but the extractor reads it whole into
	// memory, and decodes it whole, in the usual one-byte encodings through a slice of runes
	// (four bytes a byte), when it shows it: a page of 31 strings of 1 MiB, a 31 KB upload,
	// cost Text 290 to 690 MiB, one string of 31 MiB 600 MiB. A string shows a line of text
	// or a part of one: the longest in the 47 documents of pdfcpu's test corpus is 297 bytes
	// (hexadecimal). The data of an inline image, which the extractor reads as tokens too,
	// already fails its reading when it is binary, whatever its size.
	maxContentString = 64 << 10
	// maxObjectTokens bounds the tokens of the objects pdfcpu parses, outside stream data:
	// the file's own syntax (its cross-reference tables skipped: pdfcpu bounds their rows)
	// and the objects packed in its object streams, weighed as below. Of the same 55 documents the most has 205,000
	// (the book). Just under the bound a read costs some 0.15–0.4 s and 40–190 MB (up to
	// 12 s and 4.8 GB without it, or 37 s and 15.7 GB from a 120 KB object stream).
	maxObjectTokens = 1_000_000
	// objectNameWeight is what a name counts for among those: pdfcpu's dictionaries cost some
	// nine times an array's numbers in time a key (a dictionary of 499,000 keys, a million
	// tokens, cost a read 1.5 s and 316 MB, an array of a million numbers 0.35 s and 237 MB).
	objectNameWeight = 8
	// objectBytesPerToken counts a token more each 8 bytes of object syntax: a string costs
	// pdfcpu some 26 bytes of allocations a byte (one of 32 MiB cost a read 0.8 s and 852 MB).
	objectBytesPerToken = 8
)

// errTokens is returned by a tokenCounter past its bounds.
var errTokens = errors.New("too many tokens")

// tokenCounter counts the tokens of PDF syntax written to it, across writes: a number, a
// name, a keyword or an operator (one run of regular characters), a string, a hex string,
// and each of the delimiters [ ] << >> { }; comments count for nothing (but see inside).
// Past limit tokens, or, when operands is set (a content stream), with operands past
// maxOperands before one operator or a string past maxContentString bytes, Write fails with
// errTokens.
type tokenCounter struct {
	tokens, limit int64
	operands      bool // count the operands before each operator
	// inside counts the runs of regular characters inside strings and comments too.
	inside     bool
	innerWord  bool  // inside a run of regular characters inside a string or comment
	nameWeight int64 // what a name counts for (1 when 0)
	// bytesPerToken, when set, counts a token more each bytesPerToken bytes: a long string
	// or name is one token but costs in proportion to its bytes.
	bytesPerToken, bytes int64
	pending              int   // operands since the last operator
	stringBytes          int64 // bytes of the string being read, when operands is set
	// The lexer's state between writes.
	word       bool // inside a run of regular characters
	wordOp     bool // that run is an operator (starts with neither a digit, sign, point nor /)
	comment    bool
	str        int  // nesting of parentheses inside a literal string, 0 outside one
	escape     bool // after a backslash in a literal string
	hex        bool // inside a hex string
	angle      bool // after one <, not yet known to be << or a hex string
	closeAngle bool // after one > outside a hex string
}

func (c *tokenCounter) Write(p []byte) (int, error) {
	for i, b := range p {
		if err := c.byte(b); err != nil {
			return i, err
		}
	}
	return len(p), nil
}

// byte advances the lexer by one byte.
func (c *tokenCounter) byte(b byte) error {
	if c.bytesPerToken > 0 {
		if c.bytes++; c.bytes%c.bytesPerToken == 0 {
			if err := c.token(false); err != nil {
				return err
			}
		}
	}
	if c.inside && (c.str > 0 || c.hex || c.comment) {
		// A parser that starts inside (at an offset the cross-reference table gives) reads
		// these bytes as syntax: each run of regular characters counts.
		if regular := isRegular(b); regular != c.innerWord {
			if c.innerWord = regular; regular {
				if err := c.token(false); err != nil {
					return err
				}
			}
		}
	}
	if c.str > 0 || c.hex {
		if err := c.stringByte(); err != nil {
			return err
		}
	}
	switch {
	case c.str > 0:
		switch {
		case c.escape:
			c.escape = false
		case b == '\\':
			c.escape = true
		case b == '(':
			c.str++
		case b == ')':
			c.str--
		}
		return nil
	case c.hex:
		c.hex = b != '>'
		return nil
	case c.comment:
		c.comment = b != '\n' && b != '\r'
		return nil
	case c.angle:
		c.angle = false
		if b == '<' {
			return c.token(false)
		}
		c.hex = b != '>'
		if err := c.token(false); err != nil || !c.hex {
			return err
		}
		return nil
	case c.closeAngle:
		c.closeAngle = false
		if b == '>' {
			return c.token(false)
		}
	}
	if isRegular(b) {
		if !c.word {
			c.word = true
			c.wordOp = !(b >= '0' && b <= '9' || b == '+' || b == '-' || b == '.')
		}
		return nil
	}
	if err := c.endWord(); err != nil {
		return err
	}
	switch b {
	case '%':
		c.comment = true
	case '(':
		c.str, c.stringBytes = 1, 0
		return c.token(false)
	case '<':
		c.angle, c.stringBytes = true, 0
	case '>':
		c.closeAngle = true
	case '[', ']', '{', '}':
		return c.token(false)
	case '/':
		// A name: its characters follow as a word, not an operator.
		c.word, c.wordOp = true, false
		c.tokens += max(c.nameWeight, 1) - 1
	}
	return nil
}

// endWord counts the run of regular characters just ended, if any.
func (c *tokenCounter) endWord() error {
	if !c.word {
		return nil
	}
	c.word = false
	return c.token(c.wordOp)
}

// token counts one token, an operator or else an operand.
func (c *tokenCounter) token(op bool) error {
	c.tokens++
	if c.tokens > c.limit {
		return fmt.Errorf("%w: more than %d", errTokens, c.limit)
	}
	if !c.operands {
		return nil
	}
	if op {
		c.pending = 0
		return nil
	}
	if c.pending++; c.pending > maxOperands {
		return fmt.Errorf("%w: more than %d operands before an operator", errTokens, maxOperands)
	}
	return nil
}

// stringByte counts a byte of a string, past maxContentString of one string failing when
// operands is set.
func (c *tokenCounter) stringByte() error {
	if !c.operands {
		return nil
	}
	if c.stringBytes++; c.stringBytes > maxContentString {
		return fmt.Errorf("%w: a string of more than %d bytes", errTokens, maxContentString)
	}
	return nil
}

// close counts a token still open at the end of the input.
func (c *tokenCounter) close() error {
	return c.endWord()
}

// objectTokens counts the tokens of data's object syntax, as pdfcpu parses them, skipping
// stream data and cross-reference tables, and fails with errTokens past limit. A
// cross-reference table may point anywhere, and pdfcpu parses an object there: the words
// inside strings and comments count too, and what follows "stream" is skipped to the next
// "endstream" (and "xref" to "trailer") only when it holds no object header ("12 0 obj").
func objectTokens(data []byte, limit int64) (int64, error) {
	c := &tokenCounter{limit: limit, inside: true, nameWeight: objectNameWeight, bytesPerToken: objectBytesPerToken}
	start := -1 // where the current run of regular characters began
	for i := 0; i < len(data); i++ {
		inWord := c.word
		if err := c.byte(data[i]); err != nil {
			return c.tokens, err
		}
		switch {
		case !inWord && c.word:
			start = i
		case inWord && !c.word:
			// Stream data, and a cross-reference table's rows (bounded by pdfcpu), are
			// skipped.
			var until string
			switch string(data[start:i]) {
			case "stream":
				if data[i] == '\r' || data[i] == '\n' {
					until = "endstream"
				}
			case "xref":
				until = "trailer"
			}
			if until == "" {
				continue
			}
			end := bytes.Index(data[i:], []byte(until))
			if end < 0 {
				end = len(data) - i
			}
			if !hasObjectHeader(data[i : i+end]) {
				i += end - 1
			}
		}
	}
	return c.tokens, c.close()
}

// hasObjectHeader reports whether b holds the header of an indirect object: a number, white
// space, a number, white space and "obj".
func hasObjectHeader(b []byte) bool {
	for {
		i := bytes.Index(b, []byte("obj"))
		if i < 0 {
			return false
		}
		if j, ok := numberBefore(b, i); ok {
			if _, ok := numberBefore(b, j); ok {
				return true
			}
		}
		b = b[i+3:]
	}
}

// numberBefore reports whether white space and then digits end b[:i], and returns where
// the digits begin.
func numberBefore(b []byte, i int) (int, bool) {
	j := i
	for j > 0 && isSpace(b[j-1]) {
		j--
	}
	if j == i {
		return 0, false
	}
	d := j
	for j > 0 && b[j-1] >= '0' && b[j-1] <= '9' {
		j--
	}
	return j, j < d
}

// maxObjectStreamBytes bounds the object streams of a document, decoded, all together: they
// hold only the objects that are not streams, some kilobytes a page.
const maxObjectStreamBytes = 64 << 20

// boundObjectStreams refuses a document whose object streams decode past
// maxObjectStreamBytes, or hold more than left tokens (ErrTooLarge). It runs before anything
// dereferences an object packed in one, which makes pdfcpu decode the stream and parse all
// of it, at its own limit of 128 MiB.
func boundObjectStreams(ctx *model.Context, left int64) error {
	c := &tokenCounter{limit: left, nameWeight: objectNameWeight, bytesPerToken: objectBytesPerToken}
	seen := map[int]bool{}
	size := int64(0)
	for _, e := range ctx.Table {
		if e == nil || e.Free || e.ObjectStream == nil || seen[*e.ObjectStream] {
			continue
		}
		seen[*e.ObjectStream] = true
		se, ok := ctx.Table[*e.ObjectStream]
		if !ok || se == nil {
			continue
		}
		var sd types.StreamDict
		switch o := se.Object.(type) {
		case types.StreamDict:
			sd = o
		case types.ObjectStreamDict:
			sd = o.StreamDict
		default:
			continue
		}
		n, decoded, err := decodeStream(&sd, maxObjectStreamBytes-size, nil, c)
		if err == nil && !decoded {
			// A filter the streaming decoder does not know: pdfcpu's own, on a copy.
			cp := sd
			cp.Content = nil
			var b []byte
			switch b, err = cp.DecodeLengthWithLimit(-1, maxObjectStreamBytes-size); {
			case errors.Is(err, filter.ErrDecodeLimitExceeded):
				err = fmt.Errorf("%w: object streams decode to more than %d bytes", ErrTooLarge, maxObjectStreamBytes)
			case err != nil:
				err = nil // left to pdfcpu, which cannot decode it either
			default:
				n = int64(len(b))
				_, err = c.Write(b)
			}
		}
		if errors.Is(err, errTokens) {
			err = fmt.Errorf("%w: %v", ErrTooLarge, err)
		}
		if err != nil {
			return fmt.Errorf("object stream %d: %w", *e.ObjectStream, err)
		}
		size += n
		if err := c.close(); err != nil {
			return fmt.Errorf("%w: object stream %d: %v", ErrTooLarge, *e.ObjectStream, err)
		}
	}
	return nil
}
