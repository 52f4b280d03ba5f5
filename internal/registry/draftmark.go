package registry

import (
	"sync"

	"github.com/chancery/chancery/internal/identify"
	"github.com/chancery/chancery/internal/pdf"
)

// DraftMarkNote ends the answer about a text that carries the banner of a draft copy or of a
// preview (Identification.DraftMark).
const DraftMarkNote = "The text carries the office's DRAFT mark, which every page of a draft copy shows: a draft is not an official document, whatever letter its text is close to"

// draftBanners are the banners every page of a draft copy or a preview shows, in each
// language Chancery stamps in, read for identify.ComputeFinding.
var draftBanners = sync.OnceValue(func() *identify.Phrases { return identify.NewPhrases(pdf.Banners()...) })

// draftMarked reports whether text carries one of the banners of draft copies and previews
// ("DRAFT — NOT AN OFFICIAL DOCUMENT", in any stamp language), read as OCR reads a stamp
// (identify.HasPhrase), within one clause (identify.Phrases.InClause): a sentence that says
// "a draft, not an official document" carries no banner. It says what the asker's own text
// shows, not whether the office recorded a copy: anyone may type a banner, so it never makes
// the outcome a draft. The text being identified is searched as its fingerprint is computed
// (identifyText), and read again by this only when its words hold a banner.
func draftMarked(text string) bool { return draftBanners().InClause(text) }

// noteDraftMark ends the message of an answer whose text carries a draft banner with
// DraftMarkNote.
func (id *Identification) noteDraftMark() {
	if id.DraftMark {
		id.Message = AddSentence(id.Message, DraftMarkNote)
	}
}
