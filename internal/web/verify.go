package web

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"

	"github.com/chancery/chancery/internal/i18n"
	"github.com/chancery/chancery/internal/ratelimit"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/seal"
)

// result is the verify result page.
type result struct {
	*registry.Status
	Asked string // what was checked: a file's digest or a reference
	// DraftRef is set for a member looking at a draft of this office.
	DraftRef string
	// Code is the check code the holder gave, for the links to the file and the seal.
	Code string
	// SealURL is where the holder downloads the seal.
	SealURL string
	// SealDigest, for an answer by a file's digest, is the digest the page's form posts to
	// /verify/seal for the seal: a link would carry it in its address.
	SealDigest string
	// ByReference says the answer is the public one for a reference alone.
	ByReference bool
	// Preview says the address is the one printed on draft previews (registry.PreviewCode).
	Preview bool
	// Appended says the file is a draft with changes appended to it: its digest is unknown,
	// an earlier revision's is the draft's.
	Appended bool
	// Withdrawn is, for a released file with changes appended, the released letter's
	// outcome when the office withdrew it (retracted or superseded), as the public answer for
	// its reference says; empty otherwise.
	Withdrawn string
	// TrustFingerprint is the fingerprint of the trust root this registry serves
	// (/api/v1/trust, seal.TrustRootFingerprint), for the holder to compare with the one the
	// office publishes elsewhere; render sets it.
	TrustFingerprint string
}

// maxEarlier bounds the earlier revisions' digests a verify request may name, separated by
// commas in its earlier parameter (the page's script sends at most 16: the ends of a PDF's
// first end-of-file markers, and of the last two before its own).
const maxEarlier = 16

// refPattern is what a reference looks like (PREFIX-YEAR-NUMBER, loosely). It is compiled on
// first use, not in every run of the command line: its bounded repetition makes a large program.
var refPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`) })

// verify shows the verify form, or the answer for ?digest= or ?q= (a reference or a digest
// typed in). The verify page itself posts (verifyPost); these addresses are kept for the
// scripts and links that use them.
func (h *Handler) verify(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	in := strings.TrimSpace(q.Get("digest"))
	if in == "" {
		line := strings.TrimSpace(q.Get("q"))
		if in = digestOfLine(line); in != line && namesASeal(line) {
			h.sealDigest(w, r)
			return
		}
	}
	if in == "" {
		h.render(w, r, http.StatusOK, "verify", page{Title: "Check a letter"})
		return
	}
	if d, err := seal.ParseDigest(in); err == nil {
		var earlier []string
		if e := q.Get("earlier"); e != "" {
			earlier = strings.Split(e, ",")
		}
		h.showDigest(w, r, d, earlier)
		return
	}
	if q.Get("digest") != "" || !refPattern().MatchString(in) {
		h.notAReference(w, r)
		return
	}
	h.showRef(w, r, in)
}

// maxVerifyForm bounds the verify page's post: a digest, at most maxEarlier earlier ones and
// the typed line, with room to spare.
const maxVerifyForm = 8 << 10

// verifyPost answers the verify page's post: the script's digest of a chosen file (digest,
// with its earlier revisions' in earlier), or the line typed in the form (q). A file's digest
// is a capability (whoever holds it reads what the letter says): posted, and answered with the
// result page itself, it stays out of the address bar, the browser's history and the Referer
// of the page's links, where ?digest= put it. A reference typed in is no capability: it is
// sent on to its own page, /v/REF, which can be kept and shared. Another site's post is
// refused, as the pasted text's is.
func (h *Handler) verifyPost(w http.ResponseWriter, r *http.Request) {
	if err := h.readPostedForm(w, r, "digest", "earlier", "q"); err != nil {
		h.fail(w, r, err)
		return
	}
	f := r.PostForm
	if d := strings.TrimSpace(f.Get("digest")); d != "" {
		pd, err := seal.ParseDigest(d)
		if err != nil {
			h.fail(w, r, errNotADigest)
			return
		}
		var earlier []string
		if e := f.Get("earlier"); e != "" {
			earlier = strings.Split(e, ",")
		}
		h.showDigest(w, r, pd, earlier)
		return
	}
	line := strings.TrimSpace(f.Get("q"))
	in := digestOfLine(line)
	if in != line && namesASeal(line) {
		h.sealDigest(w, r)
		return
	}
	if in == "" {
		h.render(w, r, http.StatusOK, "verify", page{Title: "Check a letter"})
		return
	}
	if d, err := seal.ParseDigest(in); err == nil {
		h.showDigest(w, r, d, nil)
		return
	}
	if !refPattern().MatchString(in) {
		h.notAReference(w, r)
		return
	}
	http.Redirect(w, r, "/v/"+url.PathEscape(in), http.StatusSeeOther)
}

// digestOfLine returns the digest of a line that a tool printed with it, such as sha256sum's
// and shasum's "HEX  FILE" (which the page without JavaScript says to run), Get-FileHash's
// table ("Algorithm Hash Path … SHA256 HEX PATH") or certutil -hashfile's three lines, which
// the browser joins with spaces when they are pasted into the one-line field: the text's one
// word that is a digest, or else its one run of 32 words of two hexadecimal digits (certutil
// before Windows 10 writes the digest's bytes apart). Any other text is returned as it is, and
// so refused, as a text with two digests is (one a word, the other its bytes apart too), or
// whose tool names another hash function than SHA-256 at its start, as openssl's
// "SHA3-256(FILE)= HEX" and the tagged "SHA512/256 (FILE) = HEX" do: their 64 digits are no
// SHA-256 of the file, whose answer would be "unknown: altered, forged".
func digestOfLine(in string) string {
	words := strings.Fields(in)
	if len(words) < 2 {
		return in
	}
	found := ""
	for _, w := range words {
		// sha256sum starts the line with a backslash when the file's name has one.
		w = strings.TrimPrefix(w, "\\")
		if _, err := seal.ParseDigest(w); err != nil {
			continue
		}
		if found != "" {
			return in
		}
		found = w
	}
	switch apart := bytesApart(words); {
	case found == "":
		found = apart
	case apart != "":
		// A digest written as a word and another, or the same, written bytes apart.
		return in
	}
	if found == "" || !sha256Named(in) {
		return in
	}
	return found
}

// hashLabel is the name of the hash function a tool writes at the start of its line, before
// the file's name in brackets (openssl dgst's "SHA2-256(FILE)= HEX"; the tag of shasum
// --tag, b2sum --tag or macOS's sha256, "SHA256 (FILE) = HEX") or before certutil's "hash
// of FILE:". A name is short: sha256sum's digest before a file's name in brackets is none.
var hashLabel = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^([A-Za-z][A-Za-z0-9/_-]{0,15})(?:\s*\(|\s+hash of\s)`)
})

// sha256Label is SHA-256 named as hashLabel finds a name, anywhere in a text: certutil's
// lines for SHA-1 (its default) then for SHA-256, copied together, name SHA-1 first.
var sha256Label = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)(?:^|\s)sha-?(?:2-)?256(?:\s*\(|\s+hash of\s)`)
})

// sha256Named reports whether the text names no hash function at its start, or names
// SHA-256 ("SHA256", "SHA2-256", "sha-256") there or as a tool's name further on.
func sha256Named(in string) bool {
	m := hashLabel().FindStringSubmatch(in)
	if m == nil {
		return true
	}
	name := strings.NewReplacer("-", "", "_", "", "/", "").Replace(strings.ToUpper(m[1]))
	return name == "SHA256" || name == "SHA2256" || sha256Label().MatchString(in)
}

// bytesApart returns the digest written as the one run of exactly 32 words of two
// hexadecimal digits among words, joined, and "" when there is none or more than one.
func bytesApart(words []string) string {
	found, run := "", 0
	for i := 0; i <= len(words); i++ {
		if i < len(words) && len(words[i]) == 2 && isHex(words[i]) {
			run++
			continue
		}
		if run == sha256.Size {
			if found != "" {
				return ""
			}
			found = strings.Join(words[i-run:i], "")
		}
		run = 0
	}
	return found
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; !('0' <= s[i] && s[i] <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// namesASeal reports whether the line a tool printed with a digest names a seal file
// (FILE.seal, beside the letter FILE): sha256sum's "HEX  FILE.seal", certutil's "SHA256 hash
// of FILE.seal:", openssl's "SHA2-256(FILE.seal)= HEX", Get-FileHash's path.
func namesASeal(line string) bool {
	for _, w := range strings.Fields(line) {
		if strings.HasSuffix(strings.ToLower(strings.TrimRight(w, ":)=\"'")), ".seal") {
			return true
		}
	}
	return false
}

// sealDigest answers the pasted digest of a seal file, which no letter has: "unknown … may be
// altered, forged" would be said of the genuine letter beside it. The page says what the
// script says of a seal file chosen.
func (h *Handler) sealDigest(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusBadRequest, "verify", page{Title: "Check a letter",
		Error: "This is the fingerprint of a seal file, not of a letter: compute the fingerprint of the letter's own file. A seal is checked offline, beside its letter, with chancery verify --offline."})
}

// notAReference answers a reference or digest that is neither with the verify form and a
// refusal that does not repeat it: a link's author would choose the words the page shows.
func (h *Handler) notAReference(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusBadRequest, "verify", page{Title: "Check a letter",
		Error: "That is neither a reference (such as TFN-2020-000001) nor a SHA-256 digest (64 hexadecimal digits)."})
}

// errNotADigest refuses a digest in a page's address that is not one, without repeating it.
var errNotADigest = formError{i18n.Msg("bad request: the address gives a digest that is not sha256: and 64 hexadecimal digits")}

// verifyRef answers for a reference typed in. A check code typed in the form beside it
// (?code=) leads to the holder's page.
func (h *Handler) verifyRef(w http.ResponseWriter, r *http.Request) {
	ref := r.PathValue("ref")
	if !refPattern().MatchString(ref) {
		h.notAReference(w, r)
		return
	}
	if code := strings.ToLower(strings.Join(strings.Fields(r.URL.Query().Get("code")), "")); code != "" && refPattern().MatchString(ref) {
		http.Redirect(w, r, "/v/"+ref+"/"+url.PathEscape(code), http.StatusSeeOther)
		return
	}
	h.showRef(w, r, ref)
}

// verifyCode answers the holder of a letter: the QR code and footer of a released letter
// open /v/{ref}/{code}. With the right code the page shows what the letter says, who signed
// it, and the released file itself, to compare with the paper in hand; a wrong code gets the
// public answer for the reference and costs the client a token of the check-code limiter. A
// signed-in member with a role, whom the registry answers whatever the code, gets the
// member's answer for the reference and is not charged.
func (h *Handler) verifyCode(w http.ResponseWriter, r *http.Request) {
	ref, code := r.PathValue("ref"), strings.ToLower(r.PathValue("code"))
	if !refPattern().MatchString(ref) {
		h.notAReference(w, r)
		return
	}
	if code == strings.ToLower(registry.PreviewCode) && !memberWithRole(r) {
		// The QR code of a draft preview: whatever became of the letter since, the paper
		// that shows it is a preview, never the released letter. The answer is the same
		// for every reference (nothing is looked up, no code is charged).
		st := &registry.Status{Outcome: registry.Draft, Reference: ref, Office: h.cfg.Registry.Office().Name}
		h.render(w, r, http.StatusOK, "result", page{Title: title(st.Outcome), Data: &result{Status: st, Asked: ref, Preview: true}})
		return
	}
	if h.codeRefused(w, r) {
		return
	}
	st, ok, err := h.cfg.Registry.StatusWithCode(r.Context(), ref, code)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !ok && memberWithRole(r) {
		h.showRef(w, r, ref)
		return
	}
	if !ok {
		h.wrongCode(r)
		h.render(w, r, http.StatusOK, "result", page{Title: titleByReference(st.Outcome), Data: &result{Status: st, Asked: ref, ByReference: true}})
		return
	}
	res := &result{Status: st, Asked: ref}
	// An erased letter's file and seal are gone (410): the page offers neither.
	if !st.Erased {
		res.Code, res.SealURL = code, "/v/"+ref+"/"+code+"/seal"
	}
	h.render(w, r, http.StatusOK, "result", page{Title: title(st.Outcome), Data: res})
}

// memberWithRole reports whether r comes from a signed-in member with a role: the registry
// serves them a letter's file and seal whatever check code they give, so their codes are not
// judged, nor charged.
func memberWithRole(r *http.Request) bool {
	m := session(r).member
	return m != nil && len(m.Roles) > 0
}

// codeRefused answers 429 to a client that has spent its wrong check codes, before its code
// is judged, and reports whether it did. Members with a role are never refused.
func (h *Handler) codeRefused(w http.ResponseWriter, r *http.Request) bool {
	if h.cfg.CodeLimiter == nil || r.PathValue("code") == "" || memberWithRole(r) {
		return false
	}
	if ok, wait := h.cfg.CodeLimiter.Check(ratelimit.Key(r)); !ok {
		TooMany(w, r, wait)
		return true
	}
	return false
}

// wrongCode charges a wrong check code to the client: a token of the check-code limiter.
func (h *Handler) wrongCode(r *http.Request) {
	if h.cfg.CodeLimiter != nil && r.PathValue("code") != "" && !memberWithRole(r) {
		h.cfg.CodeLimiter.Allow(ratelimit.Key(r))
	}
}

// heldFile serves the released file, or its seal, to the holder of the check code.
func (h *Handler) heldFile(seal bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, ref, code := r.Context(), r.PathValue("ref"), strings.ToLower(r.PathValue("code"))
		a := session(r).actor()
		w.Header().Set("Cache-Control", "no-store")
		if h.codeRefused(w, r) {
			return
		}
		if seal {
			sl, err := h.cfg.Registry.Seal(ctx, a, ref, code)
			if err != nil {
				if errors.Is(err, registry.ErrNotFound) {
					h.wrongCode(r)
				}
				h.fail(w, r, err)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Disposition", disposition("attachment", ref+".seal"))
			w.Write(sl.Marshal())
			return
		}
		data, rel, err := h.cfg.Registry.ReleasedFile(ctx, a, ref, code)
		if err != nil {
			if errors.Is(err, registry.ErrNotFound) {
				h.wrongCode(r)
			}
			h.fail(w, r, err)
			return
		}
		w.Header().Set("Content-Type", rel.MediaType)
		w.Header().Set("Content-Disposition", disposition("attachment", rel.FileName))
		w.Write(data)
	}
}

// readPostedForm reads the verify page's posted form, of the fields named alone, refused
// from another site or beyond maxVerifyForm.
func (h *Handler) readPostedForm(w http.ResponseWriter, r *http.Request, fields ...string) error {
	if err := h.checkOrigin(r); err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxVerifyForm)
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	return takesOnly(r.PostForm, fields...)
}

// sealByDigest serves the seal of the released file with this digest: whoever holds the file
// may have its seal. The result page's form posts the digest (a download's address stays in
// the browser's list of downloads); ?digest= answers as before, for scripts and links.
// Another site's post is refused.
func (h *Handler) sealByDigest(w http.ResponseWriter, r *http.Request) {
	in := r.URL.Query().Get("digest")
	if r.Method == http.MethodPost {
		if err := h.readPostedForm(w, r, "digest"); err != nil {
			h.fail(w, r, err)
			return
		}
		in = r.PostForm.Get("digest")
	}
	d, err := seal.ParseDigest(in)
	if err != nil {
		h.fail(w, r, errNotADigest)
		return
	}
	st, err := h.cfg.Registry.VerifyDigest(r.Context(), registry.Actor{}, d)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if st.Erased { // as its holder's page by reference answers: the registry has no seal left
		h.fail(w, r, fmt.Errorf("%w: the content of this letter was erased", registry.ErrGone))
		return
	}
	if st.Seal == nil {
		h.fail(w, r, fmt.Errorf("%w: no released letter of this office has these exact bytes", registry.ErrNotFound))
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Disposition", disposition("attachment", "letter.seal"))
	w.Write(st.Seal.Marshal())
}

func (h *Handler) showDigest(w http.ResponseWriter, r *http.Request, d seal.Digest, earlier []string) {
	st, err := h.cfg.Registry.VerifyDigest(r.Context(), session(r).actor(), d)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	res := &result{Status: st, Asked: string(d)}
	// A PDF whose bytes are unknown may be a draft copy with changes appended to it (an
	// incremental update, which can hide its marks): the page's script sends the digests of
	// its earlier revisions (found by audit, forty-ninth session: such a copy was unknown here).
	if st.Outcome == registry.Unknown && len(earlier) <= maxEarlier {
		// A released file with changes appended (which can change what a PDF shows while its
		// signature still verifies) is altered, as chancery verify answers: the page names
		// the letter and, when the office withdrew it, says so as the public answer for its
		// reference does; it shows nothing else of it (no reason, no new letter).
		var released *registry.Status
		for _, e := range earlier {
			ed, err := seal.ParseDigest(e)
			if err != nil {
				h.fail(w, r, errNotADigest)
				return
			}
			est, err := h.cfg.Registry.VerifyDigest(r.Context(), session(r).actor(), ed)
			if err != nil {
				h.fail(w, r, err)
				return
			}
			if est.Outcome == registry.Draft {
				res = &result{Status: est, Asked: string(d), Appended: true}
				st = est
				released = nil
				break
			}
			if released == nil && est.Seal != nil {
				released = est
			}
		}
		if released != nil {
			st = &registry.Status{Outcome: registry.Altered, Reference: released.Reference, Office: released.Office}
			res = &result{Status: st, Asked: string(d), Appended: true}
			if released.Outcome == registry.Retracted || released.Outcome == registry.Superseded {
				res.Withdrawn = released.Outcome
			}
		}
	}
	if st.Seal != nil {
		res.SealDigest = string(d)
	}
	if st.Draft != nil {
		res.DraftRef = st.Draft.Reference
	}
	h.render(w, r, http.StatusOK, "result", page{Title: title(st.Outcome), Data: res})
}

// showRef answers for a reference. The public learns only whether a released letter with it
// exists and stands, nothing of what it says, and nothing of drafts (an unreleased reference
// is unknown); a signed-in member with a role sees the holder's answer, and for a draft is
// told it is one and where to find it. Answers are shared and cached: they are copied, never
// changed.
func (h *Handler) showRef(w http.ResponseWriter, r *http.Request, ref string) {
	ctx, s := r.Context(), session(r)
	member := s.member != nil && len(s.member.Roles) > 0
	var st *registry.Status
	var err error
	if member {
		st, err = h.cfg.Registry.MemberStatus(ctx, s.actor(), ref)
	} else {
		st, err = h.cfg.Registry.StatusOf(ctx, ref)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	res := &result{Status: st, Asked: ref, ByReference: !member}
	heading := title(st.Outcome)
	if !member {
		heading = titleByReference(st.Outcome)
	}
	if member && st.Seal != nil {
		res.SealURL = "/letters/" + url.PathEscape(ref) + "/seal" // the API wants a bearer token, the browser has a session
	}
	if st.Outcome == registry.Unknown && member {
		v, err := h.cfg.Registry.Letter(ctx, s.actor(), ref)
		switch {
		case err == nil && v.State == "draft":
			own := *st
			own.Outcome, own.Subject, own.Message = registry.Draft, v.Subject, "a draft: not released"
			res.Status, res.DraftRef = &own, v.Reference
			// The member's answer, not the public's "unknown": what the reference is to them.
			heading = "An unreleased draft: not an official document"
		case err != nil && !errors.Is(err, registry.ErrNotFound):
			h.fail(w, r, err)
			return
		}
	}
	h.render(w, r, http.StatusOK, "result", page{Title: heading, Data: res})
}

// titleByReference is the title of the public's answer for a reference alone (or with a
// wrong check code), which says as its heading does that a letter with this reference exists,
// not that the paper in hand is that letter: a forgery carries a real reference, and a
// forger's QR code any code.
func titleByReference(outcome string) string {
	switch outcome {
	case registry.Valid:
		return "A letter with this reference exists"
	case registry.Retracted, registry.Superseded:
		return "Withdrawn"
	}
	return "Unknown to this registry"
}

func title(outcome string) string {
	switch outcome {
	case registry.Valid:
		return "Released and valid"
	case registry.Retracted:
		return "Retracted"
	case registry.Superseded:
		return "Superseded"
	case registry.Draft:
		return "Not an official document"
	case registry.Altered:
		return "Altered"
	}
	return "Unknown to this registry"
}
