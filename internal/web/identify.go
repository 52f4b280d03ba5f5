package web

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/chancery/chancery/internal/registry"
)

// maxIdentifyForm bounds the pasted text's form.
const maxIdentifyForm = 256 << 10

// identify answers for pasted text: which letter it is, an altered copy of, or an excerpt of.
// Drafts show only to members; the public sees "not an official letter of this office".
func (h *Handler) identify(w http.ResponseWriter, r *http.Request) {
	if err := h.checkOrigin(r); err != nil {
		h.fail(w, r, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxIdentifyForm)
	if err := r.ParseForm(); err != nil {
		// The page's text box takes 200,000 characters, which a browser sends as up to 12
		// bytes each (an Arabic letter as six): a long text in most scripts other than Latin
		// is over the bound. Say so, rather than "bad request".
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			h.fail(w, r, errTextTooLong)
			return
		}
		h.fail(w, r, errBadRequest)
		return
	}
	if err := takesOnly(r.PostForm, "text"); err != nil {
		h.fail(w, r, err)
		return
	}
	text := r.PostForm.Get("text")
	// Identification takes memory in proportion to the text, many times its bytes: it
	// takes its room in the server's budget of identifications, as the API's does.
	mem, err := registry.IdentifyMemory(text)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if h.cfg.ReserveMemory != nil {
		if err := h.cfg.ReserveMemory(r, mem); err != nil {
			h.fail(w, r, fmt.Errorf("%w: %v", errUploadsBusy, err))
			return
		}
	}
	id, err := h.cfg.Registry.Identify(r.Context(), session(r).actor(), text)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	office := h.cfg.Registry.Office().Name
	h.render(w, r, http.StatusOK, "identified", page{Title: identifiedTitle(id.Outcome), Path: "/verify#identify",
		Data: identified{Identification: id, Office: office}})
}

// identifiedTitle is the title of the answer for pasted text: its verdict, as its heading
// says it, so that the browser's tab and a screen reader, which reads the title first, tell
// the answer before the page is read.
func identifiedTitle(outcome string) string {
	switch outcome {
	case registry.Valid:
		return "The text of a released letter"
	case registry.Altered:
		return "Altered"
	case registry.Retracted:
		return "The text of a retracted letter"
	case registry.Superseded:
		return "The text of a superseded letter"
	case registry.Draft:
		return "Not an official document"
	}
	return "Not an official letter of this office"
}

type identified struct {
	*registry.Identification
	Office string
}
