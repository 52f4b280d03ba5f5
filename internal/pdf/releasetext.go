package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/chancery/chancery/internal/budget"
)

// type3Encoding opens the /Encoding dictionary that doc.output writes into each Type 3 font.
var type3Encoding = []byte("/Encoding <</Type /Encoding /Differences [")

// ReleasedText returns the text of a letter that RenderRelease laid out (signed or not), the
// same string Text returns for it, without pdfcpu's read and plain rewrite of the document,
// which cost a release more than laying the letter out: the document is read as it stands,
// its Type 3 fonts' /Encoding dictionaries blanked in a copy (what type3ByToUnicode does to
// the rewrite). It is only for the bytes RenderRelease just returned, which have no object
// streams and whose size this package bounded: it applies none of Text's limits on what a
// document decodes to. It fails, and the caller falls back to Text, on anything else.
func ReleasedText(data []byte) (string, error) {
	if !bytes.HasPrefix(data, []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")) || len(data) > MaxBytes {
		return "", fmt.Errorf("released text: %w: not a letter this package laid out", ErrInvalid)
	}
	flat := bytes.Clone(data)
	for rest := flat; ; {
		i := bytes.Index(rest, type3Encoding)
		if i < 0 {
			break
		}
		end := bytes.Index(rest[i:], []byte("]>>"))
		if end < 0 {
			return "", fmt.Errorf("released text: %w: an /Encoding without its end", ErrInvalid)
		}
		// Spaces of the same length keep every cross-reference offset right.
		end += i + len("]>>")
		for j := i; j < end; j++ {
			rest[j] = ' '
		}
		rest = rest[end:]
	}
	r, err := newTextReader(flat)
	if err != nil {
		return "", fmt.Errorf("released text: %w", err)
	}
	// The page count bounds the walk of the page tree, as pdfcpu's count does in Text; a
	// signature's update may repeat the first page's object, never add a page.
	count := bytes.Count(data, []byte("/Type /Page /Parent "))
	if count == 0 {
		return "", errors.New("released text: no pages")
	}
	bud := budget.New(context.Background())
	pages, visible, err := textPages(r, count, bud)
	if err != nil {
		return "", fmt.Errorf("released text: %w", err)
	}
	return joinPageTexts(pages, visible, bud)
}
