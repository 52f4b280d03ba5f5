package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	lpdf "github.com/ledongthuc/pdf"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
)

// Bounds of Text: the decoded page content it reads, and the text it returns.
const (
	maxContent = 32 << 20
	maxText    = 4 << 20
)

// Text extracts the readable text of a PDF: the text each page's content stream shows, in the
// order it shows it, a line per text object, pages separated by a form feed. Text drawn inside
// form XObjects is not read, so the marks that Watermark and Stamp add are not part of it: the
// text of a stamped letter or of a draft copy is the text of the document they were made
// from. Text first applies the limits of Check, and refuses (ErrTooLarge) documents whose
// page contents decode to more than 32 MiB, so its work is bounded; it returns at most 4 MiB.
func Text(data []byte) (string, error) {
	ctx, err := read(data)
	if err != nil {
		return "", fmt.Errorf("extract text: %w", err)
	}
	if err := checkContentSize(ctx); err != nil {
		return "", fmt.Errorf("extract text: %w", err)
	}
	r, err := newTextReader(data)
	if err != nil {
		return "", fmt.Errorf("extract text: %w", err)
	}
	var b strings.Builder
	for i := 1; i <= r.NumPage() && b.Len() < maxText; i++ {
		if i > 1 {
			b.WriteByte('\f')
		}
		s, err := pageText(r, i)
		if err != nil {
			return "", fmt.Errorf("extract text: page %d: %w", i, err)
		}
		b.WriteString(s)
	}
	s := b.String()
	if len(s) > maxText {
		s = strings.ToValidUTF8(s[:maxText], "")
	}
	return s, nil
}

func newTextReader(data []byte) (r *lpdf.Reader, err error) {
	defer func() {
		if p := recover(); p != nil {
			r, err = nil, fmt.Errorf("%w: %v", ErrInvalid, p)
		}
	}()
	r, err = lpdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return r, nil
}

// pageText returns the text of page i, its lines trimmed, empty lines dropped.
func pageText(r *lpdf.Reader, i int) (s string, err error) {
	defer func() {
		if p := recover(); p != nil {
			s, err = "", fmt.Errorf("%w: %v", ErrInvalid, p)
		}
	}()
	raw, err := r.Page(i).GetPlainText(nil)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	var lines []string
	for _, l := range strings.Split(raw, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n"), nil
}

// checkContentSize decodes every page's content with pdfcpu, under its decoding limits, and
// refuses a document whose page contents add up to more than maxContent: the extractor
// decodes streams without limits of its own.
func checkContentSize(ctx *model.Context) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: %v", ErrInvalid, p)
		}
	}()
	total := 0
	for i := 1; i <= ctx.PageCount; i++ {
		d, _, _, err := ctx.PageDict(i, false)
		if err != nil || d == nil {
			return fmt.Errorf("%w: page %d: %v", ErrInvalid, i, err)
		}
		content, err := ctx.PageContent(d, i)
		if errors.Is(err, model.ErrNoContent) {
			continue
		}
		if err != nil {
			return fmt.Errorf("%w: page %d content: %v", ErrInvalid, i, err)
		}
		if total += len(content); total > maxContent {
			return fmt.Errorf("%w: page contents decode to more than %d bytes", ErrTooLarge, maxContent)
		}
	}
	return nil
}
