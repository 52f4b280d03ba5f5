// Package web is Chancery's browser face: the public verify pages (/verify, /v/{ref}), the
// log page, and for members the sign-in, inbox and letter pages. Pages are rendered on the
// server with html/template; the few scripts are static files (no inline script), and every
// asset is embedded, so the application works offline and needs no build step.
//
// Every action goes through the registry with an Actor built from the session's member, the
// same Actor the JSON API builds from a bearer token: the registry enforces the roles. See
// docs/design/web.md for the choices.
package web

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/chancery/chancery/internal/accesslog"
	"github.com/chancery/chancery/internal/i18n"
	"github.com/chancery/chancery/internal/ocr"
	"github.com/chancery/chancery/internal/oidc"
	"github.com/chancery/chancery/internal/ratelimit"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/translog"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Static is the embedded assets, served under /static/.
func Static() fs.FS { return staticFS }

// Default session times.
const (
	DefaultSessionLifetime = 12 * time.Hour
	DefaultSessionIdle     = 30 * time.Minute
)

// Config is what the web application needs.
type Config struct {
	// Registry is the letters' lifecycle; without it only the landing and log pages are served.
	Registry *registry.Registry
	Log      *translog.Log
	Origin   string // the log's origin
	Logger   *slog.Logger
	// BaseURL is the public URL, for the commands the letter page shows and for the Origin
	// check behind a proxy that rewrites Host. It may be empty.
	BaseURL string
	// Secure marks cookies Secure with the __Host- prefix; it is implied for requests over TLS.
	Secure bool
	// MaxUpload bounds uploaded letter files.
	MaxUpload int64
	// ReserveUpload, when set, takes room for a form's upload of at most limit bytes in the
	// server's budget of upload memory until the request ends (server.Config.UploadMemory),
	// or returns an error when the budget is full: the form is then answered 503.
	ReserveUpload func(r *http.Request, limit int64) error
	// ReserveMemory, when set, takes n bytes of the server's budget of identifications until
	// the request ends, or returns an error when it is full (the page is then answered
	// 503): the memory that identifying a pasted text takes (registry.IdentifyMemory).
	ReserveMemory func(r *http.Request, n int64) error
	// Sessions bound browser sessions (default DefaultSessionLifetime, DefaultSessionIdle).
	Sessions registry.SessionTimes
	// Authenticator checks sign-in credentials (default: the members' local passwords).
	Authenticator Authenticator
	// CodeLimiter limits wrong check codes per client; nil means no limit.
	CodeLimiter *ratelimit.Limiter
	// OIDC signs members in through the office's OpenID provider; nil when not configured.
	// Local passwords keep working beside it.
	OIDC *oidc.Provider
	// ReadPages, when set, reads what the pages of a PDF show (OCR), failing with
	// ocr.ErrNoOCR when this server has no OCR: the letter page compares them with a PDF
	// version's text (pages.go).
	ReadPages func(ctx context.Context, pdf []byte) (ocr.Reading, error)
}

// Handler serves the pages.
type Handler struct {
	cfg     Config
	pages   map[string]map[string]*template.Template // by language code, then page name
	signins *signinLimits
	redact  *accesslog.TextRedactor // keeps references, names and digests out of the log (loggedErr)
	logouts *logouts                // the ID tokens of sessions started through the provider (signout.go)
	shown   *pagesReader            // what PDF versions' pages show
}

// New returns the web application.
func New(cfg Config) *Handler {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Sessions.Lifetime <= 0 {
		cfg.Sessions.Lifetime = DefaultSessionLifetime
	}
	if cfg.Sessions.Idle <= 0 {
		cfg.Sessions.Idle = DefaultSessionIdle
	}
	if cfg.Authenticator == nil && cfg.Registry != nil {
		cfg.Authenticator = PasswordAuthenticator{Registry: cfg.Registry}
	}
	h := &Handler{cfg: cfg, pages: map[string]map[string]*template.Template{}, signins: newSigninLimits(), logouts: &logouts{tokens: map[string]heldToken{}}, redact: accesslog.NewTextRedactor("")}
	if cfg.Registry != nil {
		h.redact = accesslog.NewTextRedactor(cfg.Registry.Office().Prefix)
	}
	if cfg.ReadPages != nil {
		h.shown = newPagesReader(cfg.ReadPages, cfg.Logger)
		if cfg.Registry != nil {
			// What the pages of an erased letter's versions showed goes with the
			// registry's own copies of letters' content.
			cfg.Registry.OnForgetContent(h.shown.forget)
		}
	}
	// Each language gets its own parsed pages, with t, date and datep bound to its printer, so
	// that {{t "…"}} works at any depth of a template without passing the printer around.
	for _, l := range i18n.Languages {
		pr := i18n.For(l)
		byName := map[string]*template.Template{}
		for _, p := range []string{"landing", "log", "signin", "inbox", "letter", "verify", "result", "identified", "error", "search", "members", "receipt", "recipients", "audit"} {
			byName[p] = template.Must(template.New(p).Funcs(funcs).Funcs(languageFuncs(pr)).ParseFS(templateFS, "templates/layout.html", "templates/dispatch.html", "templates/"+p+".html"))
		}
		h.pages[pr.Lang()] = byName
	}
	return h
}

// Close stops the work the handler does in the background, once the server has answered its
// requests: the reading of PDFs' pages (pages.go), whose OCR children it stops, and returns
// once they have ended.
func (h *Handler) Close() { h.shown.close() }

// Register adds the routes to mux.
func (h *Handler) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", h.withSession(h.landing))
	mux.HandleFunc("GET /", h.withSession(h.notFound))
	mux.HandleFunc("GET /log/{$}", h.withSession(h.logPage))
	mux.HandleFunc("GET /log", h.withSession(h.logPage))
	mux.HandleFunc("GET /lang/{code}", h.setLanguage)
	if h.cfg.Registry == nil {
		return
	}
	mux.HandleFunc("GET /verify", h.withSession(h.verify))
	mux.HandleFunc("POST /verify", h.withSession(h.verifyPost))
	mux.HandleFunc("GET /v/{ref}", h.withSession(h.verifyRef))
	mux.HandleFunc("GET /v/{ref}/{code}", h.withSession(h.verifyCode))
	mux.HandleFunc("GET /v/{ref}/{code}/file", h.withSession(h.heldFile(false)))
	mux.HandleFunc("GET /v/{ref}/{code}/seal", h.withSession(h.heldFile(true)))
	mux.HandleFunc("GET /verify/seal", h.withSession(h.sealByDigest))
	mux.HandleFunc("POST /verify/seal", h.withSession(h.sealByDigest))
	mux.HandleFunc("POST /verify/text", h.withSession(h.identify))
	mux.HandleFunc("GET /signin", h.withSession(h.signinForm))
	mux.HandleFunc("POST /signin", h.withSession(h.signin))
	mux.HandleFunc("POST /signout", h.withSession(h.member(h.signout)))
	mux.HandleFunc("GET /inbox", h.withSession(h.member(h.inbox)))
	mux.HandleFunc("GET /letters", h.withSession(h.member(h.letters)))
	mux.HandleFunc("POST /letters", h.withSession(h.member(h.needs(h.fail, h.createLetter, registry.RoleDrafter))))
	mux.HandleFunc("GET /letters/{ref}", h.withSession(h.member(h.letter)))
	mux.HandleFunc("POST /letters/{ref}/approve", h.withSession(h.member(h.needs(h.actionFailed, h.decide(false), registry.RoleReviewer))))
	mux.HandleFunc("POST /letters/{ref}/reject", h.withSession(h.member(h.needs(h.actionFailed, h.decide(true), registry.RoleReviewer))))
	mux.HandleFunc("POST /letters/{ref}/versions", h.withSession(h.member(h.needs(h.actionFailed, h.revise, registry.RoleDrafter))))
	mux.HandleFunc("POST /letters/{ref}/export", h.withSession(h.member(h.needs(h.actionFailed, h.exportDraft, copyRoles...))))
	mux.HandleFunc("GET /letters/{ref}/preview", h.withSession(h.member(h.preview)))
	mux.HandleFunc("POST /letters/{ref}/versions/{n}/copy", h.withSession(h.member(h.needs(h.actionFailed, h.exportVersion, copyRoles...))))
	mux.HandleFunc("POST /letters/{ref}/release", h.withSession(h.member(h.needs(h.actionFailed, h.release, registry.RoleRelease))))
	mux.HandleFunc("GET /letters/{ref}/file", h.withSession(h.member(h.heldFile(false))))
	mux.HandleFunc("GET /letters/{ref}/seal", h.withSession(h.member(h.heldFile(true))))
	mux.HandleFunc("POST /api/v1/password", h.setPassword)
	mux.HandleFunc("GET /admin/members", h.withSession(h.member(h.members)))
	mux.HandleFunc("POST /admin/members/{name}/roles", h.withSession(h.member(h.needs(h.fail, h.setMemberRoles, registry.RoleAdmin))))
	mux.HandleFunc("POST /admin/members/{name}/disable", h.withSession(h.member(h.needs(h.fail, h.disableMember, registry.RoleAdmin))))
	mux.HandleFunc("POST /admin/members/{name}/enable", h.withSession(h.member(h.needs(h.fail, h.newMemberToken(true), registry.RoleAdmin))))
	mux.HandleFunc("POST /admin/members/{name}/token", h.withSession(h.member(h.needs(h.fail, h.newMemberToken(false), registry.RoleAdmin))))
	mux.HandleFunc("GET /admin/audit", h.withSession(h.member(h.needs(h.fail, h.officeAudit, registry.RoleAdmin))))
	mux.HandleFunc("POST /admin/changes/{id}/approve", h.withSession(h.member(h.needs(h.fail, h.approveChange, registry.RoleAdmin))))
	mux.HandleFunc("POST /admin/changes/{id}/refuse", h.withSession(h.member(h.needs(h.fail, h.refuseChange, registry.RoleAdmin))))
	h.registerDispatch(mux)
	h.registerSigning(mux)
	h.registerOIDC(mux)
}

// page is what every template gets.
type page struct {
	Title  string
	Office string
	Member *store.Member
	CSRF   string
	Error  string
	Notice string
	Data   any
	// Lang is the page's language (its printer), chosen by the language switch or
	// Accept-Language; render sets it.
	Lang *i18n.Printer
	// Path is the request's path and query, for the language switch to come back to. A
	// handler answering a form's POST sets the page to come back to instead (the switch is
	// a GET).
	Path string
	// PDFCertificate, for an admin, warns that the office's PDF signing certificate must be
	// renewed; render sets it.
	PDFCertificate *pdfCertificateBanner
	// Back, on the error page refusing a members page form posted again (errFormSent), is
	// that page, linked.
	Back string
}

// pdfCertificateBanner is what the admin pages say of a PDF signing certificate due for
// renewal (registry.PDFCertificateDue): when it ends, and whether it is valid now.
type pdfCertificateBanner struct {
	Until time.Time
	Valid bool
}

var funcs = template.FuncMap{
	"join": strings.Join,
	"inc":  func(n int) int { return n + 1 },
	// deref reads a number given as a pointer, such as a change's quorum (the template tests
	// it first).
	"deref": func(p *int) int { return *p },
	// seg escapes a path segment. html/template leaves a percent escape in a URL as it is,
	// and the server decodes the path before it reads a name from it, so a member named
	// "%72ita" would otherwise have the forms of their row act on rita.
	"seg": url.PathEscape,
	// bdi isolates a name or a text of the office's from the words around it, for th: an
	// office named in Latin letters that ends with a full stop or starts with a figure is
	// otherwise drawn with them moved to its other end in an Arabic sentence.
	"bdi": func(s string) template.HTML { return template.HTML("<bdi>" + template.HTMLEscapeString(s) + "</bdi>") },
	// omitted is how many of the letter's words a removed run of a public answer stands for.
	"omitted": registry.OmittedWords,
	// address and addresses write e-mail addresses as members are shown them
	// (registry.ShownAddress): a domain in other letters than ASCII's is followed by its
	// A-labels, where mail goes.
	"address": shownAddress,
	// commands writes a plain text (a page's error) with the commands it names drawn as
	// commands (markup.go).
	"commands": commands,
	"addresses": func(addrs []string) template.HTML {
		out := make([]string, len(addrs))
		for i, a := range addrs {
			out[i] = string(shownAddress(a))
		}
		return template.HTML(strings.Join(out, ", "))
	},
	// blank reports whether a run of a difference is whitespace alone (a line broken
	// elsewhere), which screen readers are not told of as a change: the eye sees none.
	"blank": func(s string) bool { return strings.TrimSpace(s) == "" },
	// once is a new one-use value for a members page form (spendOnce), each call its own.
	"once": newOnce,
}

// shownAddress writes addr as registry.ShownAddress shows it, its A-labels in a span of class
// alabel, which the style sheet keeps on one line: in a narrow column (the letter page's
// dispatch table, in Arabic at 1000 px) "(xn--80ak6aa92e.com)" broke at its hyphens, "(xn-"
// at the end of one line and "-80ak6aa92e.com)" on the next, where it is read. The span adds
// nothing to the text: a copy of the address is as before.
func shownAddress(addr string) template.HTML {
	alabels, ok := strings.CutPrefix(registry.ShownAddress(addr), addr+" ")
	if !ok {
		return template.HTML(template.HTMLEscapeString(addr))
	}
	return template.HTML(template.HTMLEscapeString(addr) + ` <span class="alabel">` + template.HTMLEscapeString(alabels) + `</span>`)
}

// languageFuncs are the template functions bound to one language: t translates a message
// (formatting its arguments), th one with markup in its text (markup.go), date and datep
// write times as that language does; tr says a registry message in that language, trs a
// list of them, list and items a list of names, and act names an audit action.
func languageFuncs(pr *i18n.Printer) template.FuncMap {
	return template.FuncMap{
		"t":    pr.T,
		"th":   markup(pr),
		"date": pr.Date,
		"tr":   func(t i18n.Translator) string { return t.Translate(pr) },
		"trs":  pr.Join,
		// list and items join names, roles or tags as the language lists them: list with
		// its comma (an Arabic comma in Arabic), items with its semicolon, for things that
		// may hold commas themselves (addressees).
		"list":  func(s []string) string { return strings.Join(s, pr.Text(", ")) },
		"items": func(s []string) string { return strings.Join(s, pr.Text("; ")) },
		"act":   pr.Action,
		// rolechanges names role changes, each by its number, the roles it gives and takes
		// and its proposer, as the members page's superseded notice lists them.
		"rolechanges": func(cs []registry.ChangeView) string {
			var out []string
			for _, c := range cs {
				var delta []string
				for _, role := range c.Add {
					delta = append(delta, "+"+role)
				}
				for _, role := range c.Remove {
					delta = append(delta, "-"+role)
				}
				out = append(out, pr.T("change %d (roles of %s: %s, proposed by %s)", c.ID, c.Member, strings.Join(delta, " "), c.ProposedBy))
			}
			return strings.Join(out, pr.Text("; "))
		},
		"datep": func(t *time.Time) string {
			if t == nil {
				return ""
			}
			return pr.Date(*t)
		},
	}
}

// render writes the page with status.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	s := session(r)
	p.Member = s.member
	p.CSRF = s.csrf()
	if h.cfg.Registry != nil {
		p.Office = h.cfg.Registry.Office().Name
		// The certificate's end is the office's business: admins only, as /readyz's warning
		// is the operator's.
		if p.Member != nil && p.Member.HasRole(registry.RoleAdmin) {
			if until, valid, due := h.cfg.Registry.PDFCertificateDue(); due {
				p.PDFCertificate = &pdfCertificateBanner{Until: until, Valid: valid}
			}
		}
	}
	if res, ok := p.Data.(*result); ok && h.cfg.Registry != nil {
		// The fingerprint of the bytes /api/v1/trust serves, which the page links.
		if _, fp, err := h.cfg.Registry.TrustRootFile(); err == nil {
			res.TrustFingerprint = fp
		}
	}
	p.Lang = language(r)
	if p.Path == "" {
		p.Path = pageOf(r)
	}
	// Titles, errors and notices set by handlers are English messages; those in the catalogue
	// are shown in the page's language, anything else (a formatted text) as it is.
	p.Title, p.Error, p.Notice = p.Lang.Text(p.Title), p.Lang.Text(p.Error), p.Lang.Text(p.Notice)
	var b bytes.Buffer
	if err := h.pages[p.Lang.Lang()][name].ExecuteTemplate(&b, "layout", p); err != nil {
		h.cfg.Logger.ErrorContext(r.Context(), "render", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Language", p.Lang.Lang())
	w.Header().Add("Vary", "Accept-Language, Cookie")
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

// pageOf is the page the language switch comes back to from the answer to r: r's own
// address for a GET, and for a form's post (which a GET to its address would answer 404, or
// with another page) the page the form is on. The answers of a sign-in through the
// provider come back to the sign-in page: the callback's address carries the provider's
// code and the flow's state, which a page's links must not repeat (the switch would lead
// to /signin all the same, see onward).
func pageOf(r *http.Request) string {
	p := r.URL.Path
	if p == "/signin/oidc" || strings.HasPrefix(p, "/signin/oidc/") {
		return "/signin"
	}
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return r.URL.RequestURI()
	}
	switch {
	case strings.HasPrefix(p, "/letters/") && r.PathValue("ref") != "":
		return "/letters/" + url.PathEscape(r.PathValue("ref"))
	case p == "/letters":
		return "/inbox" // the new letter's form
	case strings.HasPrefix(p, "/admin/members/"), strings.HasPrefix(p, "/admin/changes/"):
		return "/admin/members"
	case p == "/admin/recipients", p == "/admin/webhooks":
		return "/admin/recipients"
	case p == "/verify", p == "/verify/text", p == "/verify/seal":
		return "/verify"
	case p == "/signin", strings.HasPrefix(p, "/receipt/"):
		return p // the sign-in's page; the receipt's, whose button posted
	}
	return "/"
}

// notFound answers a GET for a page nothing serves (the server answers for the API's paths).
func (h *Handler) notFound(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusNotFound, "error", page{Title: "Page not found",
		Error: "There is no page at this address. To check a letter, use the verify page; its QR code leads to the right page."})
}

// serverStarting is the page of every request made while the server starts.
const serverStarting = "The registry is starting: try again in a moment."

// Starting answers a request for a page made while the server starts, before the office is
// open (server.NewStarting): 503, the error page in the visitor's language. The caller sets
// Retry-After. It needs no registry: the page names no office.
func (h *Handler) Starting(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusServiceUnavailable, "error", page{Title: http.StatusText(http.StatusServiceUnavailable), Error: serverStarting})
}

// fail shows err as a page with the status it maps to; anything unexpected is logged.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := pageStatus(r, err)
	if errors.Is(err, errUploadsBusy) {
		w.Header().Set("Retry-After", "5")
	}
	if status == http.StatusInternalServerError || errors.Is(err, registry.ErrSigningKey) {
		h.cfg.Logger.ErrorContext(r.Context(), "request failed", "method", accesslog.Method(r.Method), "path", accesslog.RedactPath(r.URL.Path), "err", h.loggedErr(r, err))
	}
	p := page{Title: http.StatusText(status), Error: msg}
	if errors.Is(err, errFormSent) {
		p.Back = "/admin/members"
	}
	h.render(w, r, status, "error", p)
}

// loggedErr is err's text as the server's log takes it for r (accesslog.TextRedactor): the
// request's references, names, codes and digests, the signed-in member's name, and every value
// its form posted, REDACTED. The registry's errors name what a form named ("add recipient
// NAME: …", a new member's name, a letter's subject), and the server's log, kept apart from
// the registry, outlives erasure.
// A multipart form is read by readUpload, which keeps its values and its file's name in the
// request's session for this; extra are what else the request named (a JSON body's).
func (h *Handler) loggedErr(r *http.Request, err error, extra ...string) string {
	s := session(r)
	words := append(slices.Clip(extra), s.logWords...)
	if s.member != nil {
		words = append(words, s.member.Name)
	}
	for _, vs := range r.PostForm {
		words = append(words, vs...)
	}
	return h.redact.Redact(r, err.Error(), words...)
}

var (
	errBadRequest = errors.New("bad request")
	errTooLarge   = errors.New("the file is larger than the upload limit")
	errCSRF       = errors.New("forbidden: this form is stale or came from another site; reload the page and try again")
	// errFormSent refuses a members page form posted again with the one-use value it was
	// posted with (spendOnce): a reload of the page that answered it, without JavaScript.
	errFormSent = errors.New("this form was already sent: reload the members page to see what it did")
	// errUploadsBusy refuses an upload while the uploads being read hold the whole budget,
	// and a pasted text while the identifications under way hold theirs.
	errUploadsBusy = errors.New("too many uploads or texts at once")
	// errCopyElsewhere refuses a draft copy asked for from another site or by a prefetch.
	errCopyElsewhere = errors.New("forbidden: a preview is a draft copy recorded in your name; open it from the letter's page")
	// errTextTooLong refuses a pasted text whose form is over maxIdentifyForm.
	errTextTooLong = errors.New("the text is too long to identify at once: paste a part of it (a page or a few paragraphs are identified too)")
)

func statusOf(err error) (int, string) {
	var gate *registry.GateError
	var setBack *translog.RollbackError
	var halted *translog.HaltedError
	switch {
	case errors.As(err, &gate):
		return http.StatusUnprocessableEntity, err.Error()
	case errors.Is(err, errTooLarge), errors.Is(err, errTextTooLong):
		return http.StatusRequestEntityTooLarge, err.Error()
	case errors.Is(err, errCSRF), errors.Is(err, errCopyElsewhere):
		return http.StatusForbidden, err.Error()
	case errors.Is(err, registry.ErrUnauthenticated):
		return http.StatusUnauthorized, "Sign in first."
	case errors.Is(err, registry.ErrForbidden):
		return http.StatusForbidden, err.Error()
	case errors.Is(err, registry.ErrNotFound):
		return http.StatusNotFound, "Not found."
	case errors.Is(err, registry.ErrConflict), errors.Is(err, errFormSent):
		return http.StatusConflict, err.Error()
	case errors.Is(err, registry.ErrGone):
		return http.StatusGone, "The content of this letter was erased at the office's request."
	case errors.Is(err, registry.ErrNotCosigned):
		return http.StatusServiceUnavailable, "This letter is recorded, but the independent witnesses of the office's log have not confirmed it yet, so its proof cannot be shown. Try again in a minute."
	case errors.Is(err, registry.ErrInvalid), errors.Is(err, errBadRequest):
		return http.StatusBadRequest, err.Error()
	case errors.Is(err, registry.ErrPDFCertificate):
		return http.StatusServiceUnavailable, err.Error()
	case errors.Is(err, registry.ErrSigningKey):
		// The office or log key's token cannot sign: what failed, and the key's URI, are
		// the operator's, in the server's log.
		return http.StatusServiceUnavailable, "The office's signing key cannot sign now (its token is unavailable): nothing was recorded. Tell the office's operator, and try again once it is back."
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded), errors.Is(err, errUploadsBusy),
		errors.Is(err, registry.ErrCatchingUp), errors.Is(err, store.ErrDeposed):
		return http.StatusServiceUnavailable, "The server is busy; try again in a moment."
	case errors.As(err, &setBack):
		// The database was set back under this server: it appends nothing until an operator
		// decides (docs/operations.md, "Backups and restore").
		return http.StatusServiceUnavailable, "The office's database was set back under this server: nothing is recorded until the operator decides. Tell the office's operator."
	case errors.As(err, &halted):
		// A witness holds a larger tree of the log than the database, or refuses it as a
		// fork: the server appends nothing until the witness cosigns again or is removed.
		return http.StatusServiceUnavailable, "A witness of the office's log holds more than this server's database: nothing is recorded until the operator decides. Tell the office's operator."
	}
	return http.StatusInternalServerError, "Something went wrong on our side; it has been logged."
}
