package web

import (
	"context"
	"crypto/rand"
	"errors"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chancery/chancery/internal/i18n"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/store"
)

// registerDispatch adds the pages of dispatch: the receipt links (public, no account), sending
// from the letter page, and the admin page of recipients and webhook endpoints.
func (h *Handler) registerDispatch(mux *http.ServeMux) {
	mux.HandleFunc("GET /receipt/{token}", h.withSession(h.receipt))
	mux.HandleFunc("GET "+receiptRecordedPath, h.withSession(h.receiptRecorded))
	mux.HandleFunc("POST /receipt/{token}", h.withSession(h.acknowledge))
	mux.HandleFunc("POST /letters/{ref}/dispatch", h.withSession(h.member(h.needs(h.actionFailed, h.dispatchLetter, registry.RoleRelease))))
	mux.HandleFunc("POST /letters/{ref}/dispatch/retry", h.withSession(h.member(h.needs(h.actionFailed, h.retryDispatch, registry.RoleRelease))))
	mux.HandleFunc("POST /letters/{ref}/drafts/send", h.withSession(h.member(h.needs(h.actionFailed, h.sendDraft, copyRoles...))))
	mux.HandleFunc("GET /admin/recipients", h.withSession(h.member(h.recipients)))
	mux.HandleFunc("POST /admin/recipients", h.withSession(h.member(h.needs(h.fail, h.addRecipient, registry.RoleAdmin))))
	mux.HandleFunc("POST /admin/webhooks", h.withSession(h.member(h.needs(h.fail, h.addWebhook, registry.RoleAdmin))))
	mux.HandleFunc("POST /admin/recipients/{name}/emails", h.withSession(h.member(h.needs(h.fail, h.setRecipientEmails, registry.RoleAdmin))))
	mux.HandleFunc("POST /admin/recipients/{name}/retire", h.withSession(h.member(h.needs(h.fail, h.retireRecipient, registry.RoleAdmin))))
	mux.HandleFunc("POST /admin/webhooks/{name}/rekey", h.withSession(h.member(h.needs(h.fail, h.rekeyWebhook, registry.RoleAdmin))))
	mux.HandleFunc("POST /admin/webhooks/{name}/retry", h.withSession(h.member(h.needs(h.fail, h.retryWebhook, registry.RoleAdmin))))
	mux.HandleFunc("POST /admin/webhooks/{name}/remove", h.withSession(h.member(h.needs(h.fail, h.removeWebhook, registry.RoleAdmin))))
}

// dispatchData is the letter page's dispatch section.
type dispatchData struct {
	Messages   []registry.DispatchView
	Recipients []registry.RecipientView
	// CanDispatch: a release officer, a released letter in force. CanSendDraft: a draft, and
	// a member who may export it.
	CanDispatch, CanSendDraft bool
	// CanRetry: a release officer may queue again what failed (registry.RetryDispatch).
	CanRetry bool
}

// letterDispatch gathers the dispatch section of the letter page.
func (h *Handler) letterDispatch(ctx context.Context, a registry.Actor, v *registry.LetterView, canExport bool) (*dispatchData, error) {
	ms, err := h.cfg.Registry.Dispatches(ctx, a, v.Reference)
	if errors.Is(err, registry.ErrForbidden) {
		return nil, nil // a member without roles sees no dispatches
	}
	if err != nil {
		return nil, err
	}
	d := &dispatchData{Messages: ms,
		CanDispatch:  v.State == "released" && a.Member.HasRole(registry.RoleRelease),
		CanSendDraft: canExport}
	if d.CanDispatch || d.CanSendDraft {
		if d.Recipients, err = h.cfg.Registry.Recipients(ctx, a); err != nil {
			return nil, err
		}
	}
	for _, m := range ms {
		// What RetryDispatch queues again: the letter's copies while it is in force, to an
		// address still their recipient's in the directory (a release officer, who may
		// dispatch it, has the directory), and notices.
		if m.Status == store.StatusFailed && (m.Kind == store.KindNotice || m.Kind == store.KindLetter && v.State == "released" && stillListed(d.Recipients, m)) {
			d.CanRetry = a.Member.HasRole(registry.RoleRelease)
		}
	}
	return d, nil
}

// stillListed reports whether the address m went to is still one of its recipient's in the
// directory rs: a copy to a recipient retired, or to an address an admin replaced, is not
// sent again (registry.RetryDispatch), and a form offering it answered that nothing could be.
func stillListed(rs []registry.RecipientView, m registry.DispatchView) bool {
	i := slices.IndexFunc(rs, func(r registry.RecipientView) bool { return r.Name == m.Recipient })
	return i >= 0 && slices.Contains(rs[i].Emails, m.Email)
}

// dispatchLetter queues the released letter for the recipients ticked on the letter page.
func (h *Handler) dispatchLetter(w http.ResponseWriter, r *http.Request) {
	if err := h.form(w, r, []string{"recipient"}); err != nil {
		h.fail(w, r, err)
		return
	}
	ref := r.PathValue("ref")
	if _, err := h.cfg.Registry.Dispatch(r.Context(), session(r).actor(), ref, r.PostForm["recipient"]); err != nil {
		h.actionFailed(w, r, err)
		return
	}
	http.Redirect(w, r, "/letters/"+url.PathEscape(ref)+"?done=dispatched#dispatch", http.StatusSeeOther)
}

// retryDispatch queues again the letter's messages that failed.
func (h *Handler) retryDispatch(w http.ResponseWriter, r *http.Request) {
	if err := h.form(w, r, nil); err != nil {
		h.fail(w, r, err)
		return
	}
	ref := r.PathValue("ref")
	if _, err := h.cfg.Registry.RetryDispatch(r.Context(), session(r).actor(), ref); err != nil {
		h.actionFailed(w, r, err)
		return
	}
	http.Redirect(w, r, "/letters/"+url.PathEscape(ref)+"?done=retried#dispatch", http.StatusSeeOther)
}

// sendDraft mails a coordination copy of the version the letter page showed (the form
// carries its digest) to the recipient chosen there.
func (h *Handler) sendDraft(w http.ResponseWriter, r *http.Request) {
	if err := h.form(w, r, nil, "version", "recipient"); err != nil {
		h.fail(w, r, err)
		return
	}
	ref := r.PathValue("ref")
	if _, err := h.cfg.Registry.SendDraftVersion(r.Context(), session(r).actor(), ref, r.PostForm.Get("recipient"), r.PostForm.Get("version")); err != nil {
		h.actionFailed(w, r, err)
		return
	}
	http.Redirect(w, r, "/letters/"+url.PathEscape(ref)+"?done=draft-sent#dispatch", http.StatusSeeOther)
}

// receiptData is the receipt page: its confirmation (Receipt, and the Token its button posts
// with), or the page of a receipt recorded (Done), which names no letter.
type receiptData struct {
	Token   string
	Receipt *registry.ReceiptView
	Done    bool
	// Recorded is, on the page of a receipt recorded, whether this browser's post recorded
	// the receipt the page's address names (its cookie, receiptCookie): without it, the page
	// says only that an acknowledgement just made is recorded, as anyone may open it.
	Recorded bool
	// Withdrawn is, on the page of a receipt recorded, the withdrawal of the letter just
	// acknowledged ("retraction", "supersession"), as its confirmation page said, or "".
	Withdrawn string
}

// receipt shows the confirmation page of a receipt link. Opening it records nothing: mail
// scanners open links by themselves; only the page's button does.
func (h *Handler) receipt(w http.ResponseWriter, r *http.Request) {
	tok := r.PathValue("token")
	v, err := h.cfg.Registry.Receipt(r.Context(), tok)
	if err != nil {
		h.receiptFailed(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "receipt", page{Title: receiptTitle(v.Withdrawn, false), Data: &receiptData{Token: tok, Receipt: v}})
}

// receiptTitle is the receipt page's title, before (done false) or after the receipt is
// recorded, which says when the letter is withdrawn: the title is what a screen reader says
// first, and an alert already on the page when it loads may not be announced at all.
func receiptTitle(withdrawn string, done bool) string {
	switch {
	case withdrawn == "retraction" && done:
		return "Receipt recorded: the letter is retracted"
	case withdrawn == "retraction":
		return "Acknowledge receipt: the letter is retracted"
	case withdrawn == "supersession" && done:
		return "Receipt recorded: the letter is superseded"
	case withdrawn == "supersession":
		return "Acknowledge receipt: the letter is superseded"
	case done:
		return "Receipt recorded"
	}
	return "Acknowledge receipt"
}

// receiptRecordedPath is the page a receipt confirmed leads to (Post/Redirect/Get): an
// address without the token, so that reloading it, or going back to it, posts nothing again,
// where the page the post answered was posted again on reload and said that the link, just
// used, was not valid. Anyone may open it: it names no letter, no recipient and no date. The
// post leads to it with a key of that receipt alone, ?r=ID (receiptKey), which names its
// cookie.
const receiptRecordedPath = "/receipt/recorded"

// receiptCookie, followed by a receipt's key, names the cookie that carries to the page of
// that receipt recorded that this browser recorded it, and the withdrawal of the letter
// acknowledged that its confirmation page said: "recorded" for a letter that stands, or the
// kind only ("retraction", "supersession"), nothing of the letter. It is set by the post (a
// page of another site cannot set it) and read on that page alone, by the page of its own
// key: one cookie for the browser was the last receipt's, and a tab of an earlier one,
// reloaded, read that letter's withdrawal as its own, or lost its own.
const receiptCookie = "chancery_receipt_"

// receiptCookieAge is how long the page of a receipt recorded, reloaded, still says that the
// receipt is recorded and that the letter acknowledged is withdrawn: the hour of a reader who
// keeps the tab open.
const receiptCookieAge = 3600

// receiptKey is a new receipt's key on the page of a receipt recorded: random, derived from
// neither the token nor the letter, so that the address of the page links nothing to them.
func receiptKey() string {
	return rand.Text()
}

// validReceiptKey reports whether k is written as receiptKey writes a key (26 characters of
// the base32 alphabet), so a cookie is never looked up by a name the client made up.
func validReceiptKey(k string) bool {
	if len(k) != 26 {
		return false
	}
	for _, c := range []byte(k) {
		if !(c >= 'A' && c <= 'Z' || c >= '2' && c <= '7') {
			return false
		}
	}
	return true
}

// acknowledge records the receipt confirmed on the page and leads to the page of a receipt
// recorded. The token in the path is the capability: no account, no session.
func (h *Handler) acknowledge(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil || r.PostForm.Get("confirm") != "received" {
		h.render(w, r, http.StatusBadRequest, "error", page{Title: "Bad request", Error: "Confirm with the button on the receipt page."})
		return
	}
	if err := takesOnly(r.PostForm, "confirm"); err != nil {
		h.fail(w, r, err)
		return
	}
	v, err := h.cfg.Registry.Acknowledge(r.Context(), r.PathValue("token"), r.RemoteAddr)
	if err != nil {
		h.receiptFailed(w, r, err)
		return
	}
	state := v.Withdrawn
	if state == "" {
		state = "recorded"
	}
	key := receiptKey()
	http.SetCookie(w, &http.Cookie{Name: receiptCookie + key, Value: state, Path: receiptRecordedPath, MaxAge: receiptCookieAge,
		HttpOnly: true, Secure: h.secure(r), SameSite: http.SameSiteStrictMode})
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, receiptRecordedPath+"?r="+key, http.StatusSeeOther)
}

// receiptRecorded is the page a receipt confirmed leads to. With the cookie of the receipt
// its address names (receiptCookie), it says that the receipt is recorded, and that the
// letter acknowledged is withdrawn when its confirmation page said so; without it (no key, a
// key unknown, the cookie expired or refused), only that an acknowledgement just made is
// recorded: a mail pretending to be the office's could lead anyone there, to be thanked for a
// receipt never given.
func (h *Handler) receiptRecorded(w http.ResponseWriter, r *http.Request) {
	d := &receiptData{Done: true}
	if k := r.URL.Query().Get("r"); validReceiptKey(k) {
		if c, err := r.Cookie(receiptCookie + k); err == nil {
			switch c.Value {
			case "recorded":
				d.Recorded = true
			case "retraction", "supersession":
				d.Recorded, d.Withdrawn = true, c.Value
			}
		}
	}
	title := "Acknowledgement of receipt"
	if d.Recorded {
		title = receiptTitle(d.Withdrawn, true)
	}
	h.render(w, r, http.StatusOK, "receipt", page{Title: title, Data: d})
}

// receiptFailed gives one answer for a wrong, used or expired link: nothing about any letter.
func (h *Handler) receiptFailed(w http.ResponseWriter, r *http.Request, err error) {
	if status, _ := statusOf(err); status == http.StatusNotFound {
		h.render(w, r, http.StatusNotFound, "error", page{Title: "Link not valid", Error: "This acknowledgement link is not valid: it was already used, has expired, or is mistyped."})
		return
	}
	h.fail(w, r, err)
}

// recipientsData is the admin page of recipients and webhook endpoints.
type recipientsData struct {
	Recipients []registry.RecipientView
	Webhooks   []registry.WebhookView
	Deliveries []registry.WebhookDeliveryView
	// Secret is an endpoint's signing secret just issued, shown once.
	Secret, SecretFor string
}

func (h *Handler) recipients(w http.ResponseWriter, r *http.Request) {
	h.showRecipients(w, r, http.StatusOK, "", "", "")
}

func (h *Handler) showRecipients(w http.ResponseWriter, r *http.Request, status int, errMsg, secretFor, secret string) {
	h.showRecipientsNotice(w, r, status, errMsg, secretFor, secret, h.notice(r))
}

// plainHTTPNotice is the notice shown when an endpoint just added is plain http:// to another
// machine (registry.PlainHTTPWebhook): accepted, as offices have such endpoints.
const plainHTTPNotice = "This endpoint's address is plain http://: what is posted to it (references, recipients' names, the reasons of withdrawals) crosses the network unencrypted, readable by whoever sees it. Give it an https:// address if the endpoint has one: remove it, then add it again."

// showSecret shows the page with the signing secret just issued to the endpoint of secretFor
// at url, and the plain http:// notice if url is one.
func (h *Handler) showSecret(w http.ResponseWriter, r *http.Request, secretFor, secret, url string) {
	notice := ""
	if registry.PlainHTTPWebhook(url) {
		notice = plainHTTPNotice
	}
	h.showRecipientsNotice(w, r, http.StatusOK, "", secretFor, secret, notice)
}

func (h *Handler) showRecipientsNotice(w http.ResponseWriter, r *http.Request, status int, errMsg, secretFor, secret, notice string) {
	ctx, a := r.Context(), session(r).actor()
	d := &recipientsData{Secret: secret, SecretFor: secretFor}
	var err error
	if d.Webhooks, err = h.cfg.Registry.Webhooks(ctx, a); err != nil {
		h.fail(w, r, err)
		return
	}
	if d.Recipients, err = h.cfg.Registry.Recipients(ctx, a); err != nil {
		h.fail(w, r, err)
		return
	}
	if d.Deliveries, err = h.cfg.Registry.WebhookLog(ctx, a, 50); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, status, "recipients", page{Title: "Recipients and webhooks", Error: errMsg, Notice: notice, Data: d})
}

func (h *Handler) adminFailed(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := pageStatus(r, err)
	switch status {
	case http.StatusBadRequest, http.StatusConflict:
		h.showRecipients(w, r, status, msg, "", "")
		return
	}
	h.fail(w, r, err)
}

func (h *Handler) addRecipient(w http.ResponseWriter, r *http.Request) {
	if err := h.form(w, r, nil, "name", "organization", "contact", "emails", "webhook"); err != nil {
		h.fail(w, r, err)
		return
	}
	f := r.PostForm
	emails := strings.FieldsFunc(f.Get("emails"), func(c rune) bool { return c == ',' || c == ' ' || c == '\n' || c == '\r' })
	v, secret, err := h.cfg.Registry.AddRecipient(r.Context(), session(r).actor(), registry.NewRecipient{Name: f.Get("name"),
		Organization: f.Get("organization"), Contact: f.Get("contact"), Emails: emails, Webhook: f.Get("webhook")})
	if err != nil {
		h.adminFailed(w, r, err)
		return
	}
	if secret != "" {
		h.showSecret(w, r, v.Name, secret, f.Get("webhook"))
		return
	}
	http.Redirect(w, r, "/admin/recipients?done=recipient-added", http.StatusSeeOther)
}

// setRecipientEmails replaces a recipient's addresses from the recipients page.
func (h *Handler) setRecipientEmails(w http.ResponseWriter, r *http.Request) {
	if err := h.form(w, r, nil, "emails"); err != nil {
		h.fail(w, r, err)
		return
	}
	emails := strings.FieldsFunc(r.PostForm.Get("emails"), func(c rune) bool { return c == ',' || c == ' ' || c == '\n' || c == '\r' })
	if _, err := h.cfg.Registry.SetRecipientEmails(r.Context(), session(r).actor(), r.PathValue("name"), emails); err != nil {
		h.adminFailed(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/recipients?done=recipient-updated", http.StatusSeeOther)
}

// retireRecipient retires a recipient from the directory, from the recipients page.
func (h *Handler) retireRecipient(w http.ResponseWriter, r *http.Request) {
	if err := h.form(w, r, nil); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.cfg.Registry.RetireRecipient(r.Context(), session(r).actor(), r.PathValue("name")); err != nil {
		h.adminFailed(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/recipients?done=recipient-retired", http.StatusSeeOther)
}

// rekeyWebhook gives an endpoint a new signing secret and shows it once. The form's
// overlap_hours (24 when not given) is how long the previous secret still signs.
func (h *Handler) rekeyWebhook(w http.ResponseWriter, r *http.Request) {
	if err := h.form(w, r, nil, "overlap_hours"); err != nil {
		h.fail(w, r, err)
		return
	}
	overlap := registry.DefaultWebhookOverlap
	if v := strings.TrimSpace(r.PostForm.Get("overlap_hours")); v != "" {
		n, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(n) || math.IsInf(n, 0) || n < 0 || n > registry.MaxWebhookOverlap.Hours() {
			h.adminFailed(w, r, i18n.Errorf(registry.ErrInvalid, "the previous secret may sign for 0 to 720 hours (%s asked)", v+" h"))
			return
		}
		overlap = time.Duration(n * float64(time.Hour))
	}
	name := r.PathValue("name")
	secret, _, err := h.cfg.Registry.RekeyWebhook(r.Context(), session(r).actor(), name, overlap)
	if err != nil {
		h.adminFailed(w, r, err)
		return
	}
	h.showRecipients(w, r, http.StatusOK, "", name, secret)
}

// retryWebhook queues again an endpoint's failed deliveries, from the recipients page.
func (h *Handler) retryWebhook(w http.ResponseWriter, r *http.Request) {
	if err := h.form(w, r, nil); err != nil {
		h.fail(w, r, err)
		return
	}
	if _, err := h.cfg.Registry.RetryWebhook(r.Context(), session(r).actor(), r.PathValue("name")); err != nil {
		h.adminFailed(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/recipients?done=webhook-retried#webhooks", http.StatusSeeOther)
}

// removeWebhook removes an endpoint and its deliveries, from the recipients page.
func (h *Handler) removeWebhook(w http.ResponseWriter, r *http.Request) {
	if err := h.form(w, r, nil); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.cfg.Registry.RemoveWebhook(r.Context(), session(r).actor(), r.PathValue("name")); err != nil {
		h.adminFailed(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/recipients?done=webhook-removed", http.StatusSeeOther)
}

func (h *Handler) addWebhook(w http.ResponseWriter, r *http.Request) {
	if err := h.form(w, r, nil, "name", "url"); err != nil {
		h.fail(w, r, err)
		return
	}
	name := r.PostForm.Get("name")
	secret, err := h.cfg.Registry.AddWebhook(r.Context(), session(r).actor(), name, r.PostForm.Get("url"))
	if err != nil {
		h.adminFailed(w, r, err)
		return
	}
	h.showSecret(w, r, name, secret, r.PostForm.Get("url"))
}

func init() {
	notices["dispatched"] = "The letter is queued for the recipients: the status below follows its delivery."
	notices["draft-sent"] = "The coordination copy is recorded and queued for the recipient."
	notices["retried"] = "What failed is queued again: the status below follows its delivery."
	notices["recipient-added"] = "The recipient is added to the directory."
	notices["recipient-updated"] = "The recipient's addresses are replaced: what was sent keeps the address it went to."
	notices["recipient-retired"] = "The recipient is retired from the directory: nothing is sent to them any more."
	notices["webhook-removed"] = "The webhook endpoint is removed, with its deliveries."
	notices["webhook-retried"] = "The endpoint's failed deliveries are queued again: the latest deliveries below follow them."
}
