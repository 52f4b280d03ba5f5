package web

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/seal"
)

// Signing in the browser: the signer's key is made by WebCrypto on their device
// (static/sign.js), kept there as a non-extractable CryptoKey in IndexedDB, and only its
// public key and its signatures reach the server. The server registers the public key
// exactly as `chancery key register` does (a logged key-added entry) and checks a signature
// exactly as for `chancery sign`: over the DSSE PAE of the signing statement it gave.

func (h *Handler) registerSigning(mux *http.ServeMux) {
	mux.HandleFunc("POST /keys", h.withSession(h.member(h.needs(keyRefused, h.addBrowserKey, registry.RoleSigner))))
	mux.HandleFunc("POST /letters/{ref}/sign", h.withSession(h.member(h.needs(h.actionFailed, h.signLetter, registry.RoleSigner))))
}

// signingStatementRead runs just before the letter page asks for the signing statement; tests
// set it (export_test.go) to revise the letter between the page's reads.
var signingStatementRead = func() {}

func init() {
	notices["signed"] = "Your signature is recorded."
}

// browserSigning is what the letter page's Sign button needs: the exact statement to sign
// and its DSSE payload type.
type browserSigning struct {
	Statement   string // base64 (standard encoding) of the statement's bytes
	PayloadType string
	KeysInForce string // the member's signer key IDs not revoked, separated by spaces
}

// signingFor returns the signing data for a signer's letter page, whose latest version has
// the digest shown, or nil when the member cannot sign that version now (not a signer, not a
// draft, they drafted it, or a revision came after the page read the letter): the page then
// shows no Sign button, and the registry would refuse the signature anyway. The statement is
// asked for the version shown, not the latest, since the letter is read before it: a
// revision in between would have the button labelled with one version sign another.
func (h *Handler) signingFor(ctx context.Context, a registry.Actor, ref, shown string, canSign bool) (*browserSigning, error) {
	if !canSign {
		return nil, nil
	}
	signingStatementRead()
	st, err := h.cfg.Registry.SigningStatementOf(ctx, a, ref, shown)
	switch {
	case errors.Is(err, registry.ErrForbidden), errors.Is(err, registry.ErrConflict), errors.Is(err, registry.ErrInvalid):
		return nil, nil
	case err != nil:
		return nil, err
	}
	keys, err := h.cfg.Registry.KeysInForce(ctx, a)
	if err != nil {
		return nil, err
	}
	return &browserSigning{Statement: base64.StdEncoding.EncodeToString(st), PayloadType: seal.SigningPayloadType,
		KeysInForce: strings.Join(keys, " ")}, nil
}

// addBrowserKey registers the public key of a key made in the signer's browser. It answers
// JSON for the page's script: the key ID, or an error message.
func (h *Handler) addBrowserKey(w http.ResponseWriter, r *http.Request) {
	reply := func(status int, v any) { writeJSON(w, status, v) }
	if err := h.form(w, r, nil, "public_key"); err != nil {
		keyRefused(w, r, err)
		return
	}
	pub, err := base64.StdEncoding.DecodeString(r.PostForm.Get("public_key"))
	if err != nil || len(pub) != ed25519.PublicKeySize {
		reply(http.StatusBadRequest, map[string]string{"error": "the public key must be 32 bytes of Ed25519, in base64"})
		return
	}
	id, idx, err := h.cfg.Registry.RegisterKey(r.Context(), session(r).actor(), ed25519.PublicKey(pub))
	if err != nil {
		status, msg := statusOf(err)
		if status == http.StatusInternalServerError {
			h.cfg.Logger.ErrorContext(r.Context(), "register browser key", "err", err)
		}
		reply(status, map[string]string{"error": msg})
		return
	}
	reply(http.StatusCreated, map[string]any{"keyid": id, "log_index": idx})
}

// keyRefused answers the page's script with the error of a refused key.
func keyRefused(w http.ResponseWriter, _ *http.Request, err error) {
	status, msg := statusOf(err)
	writeJSON(w, status, map[string]string{"error": msg})
}

// signLetter records a signature made in the browser over the statement the page gave.
func (h *Handler) signLetter(w http.ResponseWriter, r *http.Request) {
	if err := h.form(w, r, nil, "keyid", "statement", "sig"); err != nil {
		h.fail(w, r, err)
		return
	}
	ref := r.PathValue("ref")
	st, err1 := base64.StdEncoding.DecodeString(r.PostForm.Get("statement"))
	sig, err2 := base64.StdEncoding.DecodeString(r.PostForm.Get("sig"))
	if err := errors.Join(err1, err2); err != nil {
		h.actionFailed(w, r, fmt.Errorf("%w: the statement and signature must be base64", errBadRequest))
		return
	}
	if err := h.cfg.Registry.Sign(r.Context(), session(r).actor(), ref, r.PostForm.Get("keyid"), st, sig); err != nil {
		h.actionFailed(w, r, err)
		return
	}
	http.Redirect(w, r, "/letters/"+url.PathEscape(ref)+"?done=signed", http.StatusSeeOther)
}
