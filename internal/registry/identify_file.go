package registry

import (
	"context"
	"errors"
	"fmt"

	"github.com/chancery/chancery/internal/identify"
	"github.com/chancery/chancery/internal/metrics"
	"github.com/chancery/chancery/internal/ocr"
	"github.com/chancery/chancery/internal/seal"
)

// PagesNotRead ends the answer about a PDF whose text is a released letter's when its pages
// could not be read: nothing then says that they show that text.
const PagesNotRead = "Only the file's text layer was compared: its pages were not read (no OCR here), and a PDF's pages may show another text; the released file itself is checked by its digest and its seal"

// IdentifyFile says what a PDF is whose text layer reads text: as Identify does, and, when
// that text is a released letter's (or a part of one), whether the file's pages show it. A
// PDF's text layer need not be what its pages show: invisible text over a picture of other
// words reads as the letter while the reader sees a forgery. So pages, which reads what the
// pages show (ocr.Reader.ReadPages), is called, and what it reads is judged as a scan of the
// letter (see IdentifyScan): the same text, OCR noise aside, keeps the answer; another text
// makes the file an altered copy, whose difference shows what the pages changed. A file whose
// digest is the letter's released file's is the office's own and is not read; digest may be
// empty when the file's bytes are not at hand. When pages fails with ocr.ErrNoOCR the answer
// stands with PagesNotRead; any other failure of pages is returned.
func (r *Registry) IdentifyFile(ctx context.Context, a Actor, text string, digest seal.Digest, pages func(context.Context) (string, error)) (id *Identification, err error) {
	defer func() {
		if err == nil {
			metrics.VerifyAnswer(id.Outcome)
		}
	}()
	if id, err = r.identify(ctx, a, text); err != nil {
		return nil, err
	}
	if !id.NamesLetter() {
		return id, nil
	}
	files, err := r.releasedFilesOf(ctx, id.Reference)
	if err != nil {
		return nil, fmt.Errorf("identify file: %w", err)
	}
	if digest != "" && string(digest) == files.rel.FileDigest {
		id.Message += ". This file is the letter's released file, byte for byte"
		return id, nil
	}
	shown, err := pages(ctx)
	if errors.Is(err, ocr.ErrNoOCR) {
		id.Message += ". " + PagesNotRead
		return id, nil
	}
	if err != nil {
		return nil, fmt.Errorf("identify file: what its pages show: %w", err)
	}
	excerpt := id.Match == identify.Excerpt.String()
	best, seen, err := r.compareScan(ctx, id.Reference, excerpt, shown)
	if err != nil {
		return nil, fmt.Errorf("identify file: %w", err)
	}
	switch {
	case !seen:
		id.Message += ". " + PagesNotRead
		return id, nil
	case best.Same() && best.Partial && !excerpt:
		id.Match = identify.Excerpt.String()
		id.Message = fmt.Sprintf("%s: the file's text layer is the text of %s, but its pages, read by OCR, show only a part of it; what they lack is not checked — %s", id.Outcome, id.Reference, id.Status.Message)
		return id, nil
	case best.Same():
		id.Message += ". Its pages, read by OCR, show the same text, OCR noise aside"
		return id, nil
	}
	member := a.Member != nil && len(a.Member.Roles) > 0
	full, err := r.holderStatus(ctx, id.Reference)
	if err != nil {
		return nil, fmt.Errorf("identify file: %w", err)
	}
	st := full.public
	if member {
		st = full.holder
	}
	id.Outcome, id.Status, id.Scan = Altered, st, true
	if !excerpt {
		id.Match = identify.Near.String()
	}
	id.Message = fmt.Sprintf("altered: the file's text layer is the text of %s (%s), but its pages, read by OCR, show another text: see what differs. A PDF's text layer need not be what its pages show; only the released file and its seal prove a file", id.Reference, st.Outcome)
	id.Diff = scanDiff(best, member)
	return id, nil
}
