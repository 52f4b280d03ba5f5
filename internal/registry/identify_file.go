package registry

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/chancery/chancery/internal/identify"
	"github.com/chancery/chancery/internal/metrics"
	"github.com/chancery/chancery/internal/ocr"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/store"
)

// PagesNotRead ends the answer about a PDF whose text is a released letter's when its pages
// could not be read: nothing then says that they show that text.
const PagesNotRead = "Only the file's text layer was compared: its pages were not read (no OCR here), and a PDF's pages may show another text; the released file itself is checked by its digest and its seal"

// What a file's bytes are to this office (Identification.Bytes), when its digest is known.
const (
	// BytesReleased is the letter's released file itself.
	BytesReleased = "released"
	// BytesDraft is a draft's: a copy handed out, or the file of a version never released.
	BytesDraft = "draft"
)

// IdentifyDraftBytes answers for a file whose digest is a draft's, whatever its text: a copy
// handed out for coordination (watermarked DRAFT), or the file of a version that was never
// released. It is that draft, not an official document (Outcome Draft, Bytes BytesDraft), as
// VerifyDigest says: the public learns that alone, members with a role which draft and copy
// it is. For any other digest, a released version's own file included (its text is the
// letter's), it returns nil, and the file is identified by its text.
func (r *Registry) IdentifyDraftBytes(ctx context.Context, a Actor, digest seal.Digest) (*Identification, error) {
	draft := false
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		held, err := tx.HeldByDigest(ctx, string(digest))
		// A version released with the same bytes leaves the answer to the text.
		draft = held.Export || held.Version && !held.ReleasedVersion
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("identify file: %w", err)
	}
	if !draft {
		return nil, nil
	}
	st, err := r.verifyDigest(ctx, a, digest)
	if err != nil {
		return nil, fmt.Errorf("identify file: %w", err)
	}
	if st.Outcome != Draft {
		return nil, nil
	}
	id := &Identification{Outcome: Draft, Match: identify.Exact.String(), Bytes: BytesDraft, Matches: []IdentifiedLetter{}, Status: st,
		Message: "draft: this file has the bytes of a draft of this office (its file, or a copy handed out): " + st.Message}
	if st.Draft != nil {
		id.Reference, id.Version = st.Draft.Reference, st.Draft.Version
	}
	metrics.VerifyAnswer(id.Outcome)
	return id, nil
}

// IdentifyFile says what a file is whose text is text (a PDF's, its text layer): as Identify
// does, and more, when that text is a released letter's (or a part of one), since the file is
// at hand. digest, when not empty, is the file's SHA-256: the letter's released file is the
// office's own (Bytes BytesReleased) and is not read further. pages, when not nil, reads
// what the pages of the file, a PDF, show (ocr.Reader.ReadPages): a PDF's text layer need not
// be what its pages show, since invisible text, or text under a picture, reads as the letter
// while the reader sees a forgery. What pages reads is judged as a scan of the letter (see
// IdentifyScan): the same text, OCR noise aside, keeps the answer; another text makes the
// file an altered copy, whose difference shows what the pages changed. When pages fails with
// ocr.ErrNoOCR the answer stands with PagesNotRead; any other failure of pages is returned.
// A file whose digest is a draft's is answered by IdentifyDraftBytes first.
func (r *Registry) IdentifyFile(ctx context.Context, a Actor, text string, digest seal.Digest, pages func(context.Context) (ocr.Reading, error)) (id *Identification, err error) {
	defer func() {
		if err == nil {
			id.noteDraftMark()
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
		id.Bytes = BytesReleased
		id.Message = AddSentence(id.Message, "This file is the letter's released file, byte for byte")
		return id, nil
	}
	if pages == nil {
		return id, nil
	}
	shown, err := pages(ctx)
	if errors.Is(err, ocr.ErrNoOCR) {
		id.Message = AddSentence(id.Message, PagesNotRead)
		return id, nil
	}
	if err != nil {
		return nil, fmt.Errorf("identify file: what its pages show: %w", err)
	}
	if err := checkIdentifyText(shown.Text); err != nil {
		return nil, err
	}
	id.DraftMark = id.DraftMark || draftMarked(shown.Text)
	excerpt := id.Match == identify.Excerpt.String()
	v, err := r.compareScan(ctx, id.Reference, excerpt, shown)
	if err != nil {
		return nil, fmt.Errorf("identify file: %w", err)
	}
	best := v.best
	// OCR reads the first ocr.MaxPages pages: what a longer file's other pages show (a page
	// drawn after them with a figure changed) is not checked, so the file is at most a part
	// of the letter shown.
	unread := strings.Count(text, "\f") >= ocr.MaxPages
	switch {
	case !v.seen:
		id.Message = AddSentence(id.Message, PagesNotRead)
		return id, nil
	case v.misleads():
		// Its pages show a QR code the letter's do not, or it has a link they do not:
		// whatever their text, the file is not the letter as released (below).
	case best.Same() && (best.Partial || unread) && !excerpt:
		id.Match, id.UncheckedCodes, id.UncheckedLinks = identify.Excerpt.String(), v.unchecked, v.uncheckedLinks
		if best.Partial {
			id.Message = fmt.Sprintf("%s: the file's text layer is the text of %s, but its pages, read by OCR, show only a part of it; what they lack is not checked — %s", id.Outcome, id.Reference, id.Status.Message)
		} else {
			id.Message = fmt.Sprintf("%s: the file's text layer is the text of %s, and its first %d pages, read by OCR, show it, but its other pages were not read: what they show is not checked — %s", id.Outcome, id.Reference, ocr.MaxPages, id.Status.Message)
		}
		if s := v.uncheckedSentences(); s != "" {
			id.Message = AddSentence(id.Message, s)
		}
		return id, nil
	case best.Same():
		id.Message, id.UncheckedCodes, id.UncheckedLinks = AddSentence(id.Message, "Its pages, read by OCR, show the same text, OCR noise aside"), v.unchecked, v.uncheckedLinks
		if unread {
			id.Message = AddSentence(id.Message, fmt.Sprintf("Its pages after the %dth were not read: what they show is not checked", ocr.MaxPages))
		}
		switch {
		case v.unchecked != nil || v.uncheckedLinks != nil:
			id.Message = AddSentence(id.Message, v.uncheckedSentences())
		case shown.CodesUnread || v.ownUnread:
			id.Message = AddSentence(id.Message, unreadSentence(true))
		}
		return id, nil
	}
	member := a.Member != nil && len(a.Member.Roles) > 0
	st, err := r.statusFor(ctx, id.Reference, member)
	if err != nil {
		return nil, fmt.Errorf("identify file: %w", err)
	}
	id.Outcome, id.Status, id.Scan, id.ForeignCodes, id.UncheckedCodes = Altered, st, true, v.foreign, v.unchecked
	id.ForeignLinks, id.UncheckedLinks = v.foreignLinks, v.uncheckedLinks
	if best.Same() {
		id.Message = fmt.Sprintf("altered: the file's text layer is the text of %s (%s), and its pages, read by OCR, show it, but %s. Only the released file and its seal prove a file", id.Reference, st.Outcome, strings.Replace(v.foreignSentence(), "it shows", "its pages show", 1))
		return id, nil
	}
	if !excerpt {
		id.Match = identify.Near.String()
	}
	also := ""
	if v.misleads() {
		also = "; and " + strings.Replace(v.foreignSentence(), "it shows", "they show", 1)
	}
	id.Message = fmt.Sprintf("altered: the file's text layer is the text of %s (%s), but its pages, read by OCR, show another text: see what differs%s. A PDF's text layer need not be what its pages show; only the released file and its seal prove a file", id.Reference, st.Outcome, also)
	if s := v.uncheckedSentences(); s != "" {
		id.Message = AddSentence(id.Message, s)
	}
	id.Diff = scanDiff(best, member)
	return id, nil
}

// AddSentence ends message with sentence, after one full stop: a status message may end with
// a withdrawal's reason, which may end with its own.
func AddSentence(message, sentence string) string {
	return strings.TrimRight(message, ". ") + ". " + sentence
}
