// Package textract pulls the readable text out of a letter's file, for identification and for
// the word-level diffs between versions: plain text, Markdown, PDF, Word (DOCX) and
// OpenDocument text (ODT).
//
// The text of a Word or OpenDocument letter is what LibreOffice shows of it once package convert
// has converted it to PDF, the letter released: its body, then its footnotes and endnotes, then
// its headers and footers, each after a marker line ("[footnote]", "[header]", "[first page
// footer]"…), without hidden text (docs/design/dependencies.md).
package textract

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"strings"
	"unicode/utf8"

	"github.com/chancery/chancery/internal/budget"
	"github.com/chancery/chancery/internal/pdf"
)

// ConvertedDir and ConvertedName are the folder and the name, without its extension, under
// which package convert has LibreOffice open a letter (the folder is LibreOffice's working
// directory, the conversion's own): the fields showing the file's name or path (ODT
// text:file-name, Word FILENAME) show them in the released PDF, and are read so here, rather
// than as the file keeps them.
const (
	ConvertedDir  = "/proc/self/cwd"
	ConvertedName = "letter"
)

// ErrNoText reports a file whose type carries no text this package can read.
var ErrNoText = errors.New("no extractable text")

// MaxText bounds the text returned, in bytes; longer text is cut at a character boundary.
const MaxText = 1 << 20

// Text returns the text of data, a file of the given media type.
func Text(mediaType string, data []byte) (string, error) {
	return TextContext(context.Background(), mediaType, data)
}

// TextContext is Text within the time budget of ctx: past its deadline, the PDF, DOCX and
// ODT decoders stop with an error wrapping budget.ErrExceeded.
func TextContext(ctx context.Context, mediaType string, data []byte) (string, error) {
	mt, _, err := mime.ParseMediaType(mediaType)
	if err != nil {
		return "", fmt.Errorf("extract text: media type %q: %w", mediaType, err)
	}
	var s string
	switch {
	case mt == "text/plain" || mt == "text/markdown" || mt == "text/x-markdown":
		if !utf8.Valid(data) {
			return "", fmt.Errorf("extract text: %s is not valid UTF-8", mt)
		}
		s = string(data)
	case mt == "application/pdf":
		s, _, err := PDFTextContext(ctx, data)
		return s, err
	case mt == DOCXType:
		if s, err = docxText(data, budget.New(ctx)); err != nil {
			return "", fmt.Errorf("extract text: %w", err)
		}
	case mt == ODTType:
		if s, err = odtText(data, budget.New(ctx)); err != nil {
			return "", fmt.Errorf("extract text: %w", err)
		}
	default:
		return "", fmt.Errorf("extract text from %s: %w", mt, ErrNoText)
	}
	return clip(s), nil
}

// PDFTextContext is TextContext of a PDF, with the document it read: the questions its
// pdf.TextLayer answers (whether the text is drawn invisibly) need not read the file again.
func PDFTextContext(ctx context.Context, data []byte) (string, *pdf.TextLayer, error) {
	l, err := pdf.ReadTextLayer(ctx, data)
	if err != nil {
		return "", nil, fmt.Errorf("extract text: %w", err)
	}
	s, err := l.Text()
	if err != nil {
		return "", nil, fmt.Errorf("extract text: %w", err)
	}
	return clip(s), l, nil
}

// clip is s with its invalid UTF-8 replaced, cut to MaxText bytes at a character boundary.
func clip(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) > MaxText {
		cut := MaxText
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut]
	}
	return s
}
