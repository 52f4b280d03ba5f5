// Package server is Chancery's HTTP face: the transparency log served as C2SP tlog-tiles under
// /log/, JSON proof endpoints, the JSON API, health checks, and the web pages of package web.
// Handlers are plain net/http with Go 1.22 method patterns. Every response carries the
// security headers; the public verification endpoints are rate limited per client address.
package server

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/chancery/chancery/internal/accesslog"
	"github.com/chancery/chancery/internal/metrics"
	"github.com/chancery/chancery/internal/ocr"
	"github.com/chancery/chancery/internal/ratelimit"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/translog"
	"github.com/chancery/chancery/internal/web"
)

// Rate limit defaults for the public endpoints, per client address.
const (
	DefaultRateLimit = 2  // requests per second, on average
	DefaultRateBurst = 30 // requests at once
)

// Config is what the server serves.
type Config struct {
	Log         *translog.Log
	DB          *store.DB
	VerifierKey string // the log's note verifier key
	Origin      string
	Logger      *slog.Logger
	// Registry is the letters' lifecycle; the API is served when it is set.
	Registry *registry.Registry
	// MaxUpload bounds uploaded files (default DefaultMaxUpload).
	MaxUpload int64
	// UploadMemory bounds the bytes of the API's uploads held in memory at once (default
	// DefaultUploadMemory, and never less than one largest upload; negative: unbounded).
	// Past it, uploads are answered 503 with Retry-After. The memory that identifying texts
	// takes (registry.IdentifyMemory: the API's texts and files, the web's pasted texts) has
	// a budget of the same size of its own, past which they are answered alike: its own, so
	// that slow uploads, which hold their room while they arrive, cannot stop the
	// identification of texts.
	UploadMemory int64
	// DecodeTime bounds the extraction of one uploaded file's text for identification
	// (default DefaultDecodeTime), OCRTime the reading of one scan (default DefaultOCRTime):
	// past them the decoders stop and the request is answered 422.
	DecodeTime, OCRTime time.Duration
	// Tesseract is the OCR program that reads scans sent to identify (default:
	// $CHANCERY_TESSERACT, else tesseract on the PATH), looked up on the first scan.
	Tesseract string
	// BaseURL is the public URL (as in the office settings): the letter page shows it in the
	// commands it suggests, and a form posted from it passes the Origin check behind a proxy.
	BaseURL string
	// Secure marks the session cookie Secure (with the __Host- prefix) and sends HSTS; it is
	// implied for requests that arrive over TLS. Set it behind a TLS-terminating proxy.
	Secure bool
	// RateLimit is the average number of requests per second each client address may make to
	// the public endpoints (/verify, /v/, the verify and identify API, the API's status, file
	// and seal of a letter by reference, the seal by digest, the trade of a provider's tokens
	// for a 'chancery login' token, the return from the provider's sign-in, receipt links; see
	// public): 0 means DefaultRateLimit, a negative value disables limiting (for load
	// benchmarks).
	RateLimit float64
	// RateBurst is how many such requests may come at once (default DefaultRateBurst).
	RateBurst int
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names the client: for a
	// request whose peer is one of them, the client's address (RemoteAddr for every limit
	// and for the audit trail) is the header's rightmost address that is not. Without them
	// the header is ignored, and behind a proxy every client shares the proxy's address, so
	// one client spends everyone's public, check-code and sign-in limits.
	TrustedProxies []netip.Prefix
	// AccessLog logs one line per request to Logger (see package accesslog). Whatever it
	// says, every request gets an X-Request-ID and is counted in package metrics.
	AccessLog bool
	// Web configures the web application's sessions and sign-in (see web.Config); its
	// Registry, Log, Origin, Logger, BaseURL, Secure and MaxUpload come from this Config, and
	// its uploads share UploadMemory with the API's.
	Web web.Config
}

// Server is the HTTP handler.
type Server struct {
	cfg     Config
	mux     *http.ServeMux
	limiter *ratelimit.Limiter // nil when disabled
	// codes limits wrong check codes per client: CodeRate a second, in bursts of CodeBurst.
	codes   *ratelimit.Limiter
	encoded encodedStatuses // JSON of the registry's public verify answers
	uploads *uploadBudget   // nil when unbounded
	work    *uploadBudget   // the identification of texts; nil when unbounded
	findOCR func() (*ocr.Reader, error)
	ocr     ocrTurns
	// noOCROnce logs, once, why scans cannot be read.
	noOCROnce sync.Once
	host      string // the base URL's host name (baseHost), which requests must name
	web       *web.Handler
	redact    *accesslog.TextRedactor // keeps references, names and digests out of the log (loggedText)
	// csp is the Content-Security-Policy header when it is not the constant csp: its
	// form-action then allows the OpenID provider's end_session_endpoint too (cspFor).
	csp []string
}

// Wrong check codes a client may try: a burst of 10, then one every 6 seconds. Codes have 128
// random bits; the limit keeps a mistyped code from being a search.
const (
	CodeRate  = 1.0 / 6
	CodeBurst = 10
)

// New returns the server's handler.
func New(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.MaxUpload <= 0 {
		cfg.MaxUpload = DefaultMaxUpload
	}
	if cfg.DecodeTime <= 0 {
		cfg.DecodeTime = DefaultDecodeTime
	}
	if cfg.OCRTime <= 0 {
		cfg.OCRTime = DefaultOCRTime
	}
	s := &Server{cfg: cfg, mux: http.NewServeMux(), host: baseHost(cfg.BaseURL)}
	if cfg.Web.OIDC != nil {
		s.csp = cspFor(cfg.Web.OIDC.EndSessionOrigin())
	}
	s.redact = accesslog.NewTextRedactor("")
	if cfg.Registry != nil {
		s.redact = accesslog.NewTextRedactor(cfg.Registry.Office().Prefix)
	}
	s.findOCR = sync.OnceValues(func() (*ocr.Reader, error) { return ocr.Find(cfg.Tesseract) })
	if cfg.UploadMemory >= 0 {
		if cfg.UploadMemory == 0 {
			cfg.UploadMemory = DefaultUploadMemory
		}
		size := max(cfg.UploadMemory, cfg.MaxUpload+1<<20)
		s.uploads = newUploadBudget(size, s.budgetClient)
		s.work = newUploadBudget(size, s.budgetClient)
	}
	if cfg.RateLimit >= 0 {
		rate, burst := cfg.RateLimit, cfg.RateBurst
		if rate == 0 {
			rate = DefaultRateLimit
		}
		if burst <= 0 {
			burst = DefaultRateBurst
		}
		s.limiter = ratelimit.New(rate, burst)
		s.codes = ratelimit.New(CodeRate, CodeBurst)
	}
	wc := cfg.Web
	wc.Registry, wc.Log, wc.Origin, wc.Logger = cfg.Registry, cfg.Log, cfg.Origin, cfg.Logger
	wc.BaseURL, wc.Secure, wc.MaxUpload = cfg.BaseURL, cfg.Secure, cfg.MaxUpload
	wc.CodeLimiter = s.codes
	wc.ReserveUpload = s.uploads.reserve // the web's forms share the API's budget
	wc.ReserveMemory = s.work.take
	wc.ReadPages = s.readPages
	s.web = web.New(wc)
	s.web.Register(s.mux)
	s.routesFallback()
	if cfg.Registry != nil {
		s.routesAPI()
		// The encodings of public answers go with the registry's copies of letters' content
		// after an erasure.
		cfg.Registry.OnForgetContent(s.encoded.forget)
	}
	for pattern, h := range s.logRoutes() {
		s.mux.HandleFunc(pattern, h)
	}
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /readyz", s.readyz)
	s.mux.Handle("GET /static/", http.FileServerFS(web.Static()))
	return s
}

// public reports whether r is for an endpoint anyone may call that does work per request:
// these are rate limited. The trade of a provider's tokens for a 'chancery login' token is
// one: a token signed with a key the registry has not seen has it fetch the provider's keys.
// The browser's return from the provider is another: its state is checked against a cookie
// the same client sends, so anyone can have the registry post a code to the provider's token
// endpoint. Receipt links are another: each one confirmed is a write transaction. The API's
// answers for a reference (its status, and its file and seal with the check code) are the
// web's /v/ pages for programs, and limited alike.
func public(r *http.Request) bool {
	switch p := r.URL.Path; p {
	case "/verify", "/verify/text", "/verify/seal", "/api/v1/verify", "/api/v1/identify", "/api/v1/oidc/token", "/signin/oidc/callback":
		return true
	default:
		return strings.HasPrefix(p, "/v/") || strings.HasPrefix(p, "/receipt/") || heldByReference(r.URL)
	}
}

// limitsMembers reports whether r is public work that a signed-in member is limited for like
// anyone: the return from the provider's sign-in, each of which has the registry post a code
// to the provider's token endpoint. A member has no callback to make but the one their own
// sign-in brings back; exempt, they could have the registry post forged codes to the provider
// without end, and have the office's client throttled there, for everyone's sign-in.
func limitsMembers(r *http.Request) bool { return r.URL.Path == "/signin/oidc/callback" }

// heldByReference reports whether u's path is /api/v1/letters/{ref}/status, /file or /seal as
// the mux matches it: segment by segment in the path as sent, each unescaped on its own, so
// that "%2F" is no slash. The unescaped path cut "X%2FY/status" at its first slash, and such
// requests, which the mux hands to the status route, went unlimited.
func heldByReference(u *url.URL) bool {
	if u.RawPath == "" { // the path has no escape that changes its segments
		rest, ok := strings.CutPrefix(u.Path, "/api/v1/letters/")
		if !ok {
			return false
		}
		ref, what, ok := strings.Cut(rest, "/")
		return ok && ref != "" && (what == "status" || what == "file" || what == "seal")
	}
	segs := strings.Split(u.EscapedPath(), "/")
	if len(segs) != 6 || segs[0] != "" || segs[4] == "" {
		return false
	}
	for i, seg := range segs {
		if s, err := url.PathUnescape(seg); err == nil {
			segs[i] = s
		}
	}
	return segs[1] == "api" && segs[2] == "v1" && segs[3] == "letters" &&
		(segs[5] == "status" || segs[5] == "file" || segs[5] == "seal")
}

// budgetClient names the client whose share of the upload and identification budgets r
// counts against: its address on the public routes, an IPv6 client's /48 (ratelimit.SiteKey:
// by its /64, the /64s of one /48 held the whole budget with slow uploads, found by audit,
// forty-ninth session), none for members.
func (s *Server) budgetClient(r *http.Request) string {
	if !public(r) || s.member(r) {
		return ""
	}
	return ratelimit.SiteKey(r)
}

// member reports whether r carries the bearer token of a member, or the cookie of a member's
// session: members are not limited like the public (an office verifies its own folders of
// letters), nor do they spend the public's tokens of their address, which the public behind
// an office's address (one NAT) would otherwise find spent. The token or session is looked
// up before the limit, as every member route looks it up unlimited; a wrong one is limited
// like the public.
func (s *Server) member(r *http.Request) bool {
	if s.cfg.Registry == nil {
		return false
	}
	if tok, ok := web.BearerToken(r); ok {
		m, err := s.cfg.Registry.Authenticate(r.Context(), tok)
		return err == nil && m != nil
	}
	return s.web.SignedIn(r)
}

// csp allows only this site's own scripts, styles and images: no inline script, no framing.
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
	"frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// cspFor returns the Content-Security-Policy of an office whose OpenID provider ends its
// sessions at endSession (an origin, "" for none), nil when it is csp: the sign-out button
// is a form, whose answer sends the browser to the provider, and browsers hold a form's
// redirects to the page's form-action.
func cspFor(endSession string) []string {
	if endSession == "" {
		return nil
	}
	return []string{csp + " " + endSession}
}

// securityHeaders are the headers every response carries, with canonical keys. Their values
// are shared by all responses rather than made by Header.Set, a slice per header and request:
// net/http only reads them, and Header.Set and Add replace or copy a value, never change it.
var securityHeaders = [...]struct {
	key   string
	value []string
}{
	{"X-Content-Type-Options", []string{"nosniff"}},
	{"Referrer-Policy", []string{"same-origin"}}, // not no-referrer: with it, browsers send "Origin: null" on form posts
	{"Content-Security-Policy", []string{csp}},
	{"X-Frame-Options", []string{"DENY"}},
	{"Cross-Origin-Opener-Policy", []string{"same-origin"}},
	// No other site's page may load a response as an image, script or frame source: a
	// member's letter file or draft copy would otherwise reach it, cookie and all, whenever
	// the browser lets a cross-site subresource carry one.
	{"Cross-Origin-Resource-Policy", []string{"same-origin"}},
	{"Permissions-Policy", []string{"camera=(), microphone=(), geolocation=()"}},
}

var (
	hsts            = []string{"max-age=63072000"}
	requestIDHeader = http.CanonicalHeaderKey(accesslog.Header)
)

// Close stops the server's work in the background, once the HTTP server has answered its
// requests (http.Server.Shutdown): the web pages' reading of PDFs' pages, whose OCR children
// are stopped and their temporary files removed before it returns.
func (s *Server) Close() { s.web.Close() }

// ServeHTTP adds the security headers every response carries, refuses requests that name
// another host than the base URL's (hostAllowed), refuses the public endpoints and the API's
// answers to a check code to other sites' pages that load them without navigating
// (embeddedElsewhere), limits the rate of the public endpoints and recovers from panics.
// Each request gets a request ID (echoed in X-Request-ID), is counted by route pattern and
// status, and is logged when Config.AccessLog is set.
func (s *Server) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	start := time.Now()
	id := accesslog.RequestID(r)
	r = r.WithContext(accesslog.WithID(r.Context(), id))
	if len(s.cfg.TrustedProxies) > 0 {
		r.RemoteAddr = clientAddr(r.RemoteAddr, r.Header.Values("X-Forwarded-For"), s.cfg.TrustedProxies)
	}
	w := &accesslog.Recorder{ResponseWriter: rw}
	defer s.served(w, r, start)
	h := w.Header()
	h[requestIDHeader] = []string{id}
	for _, sh := range securityHeaders {
		h[sh.key] = sh.value
	}
	if s.csp != nil {
		h["Content-Security-Policy"] = s.csp
	}
	if s.cfg.Secure || r.TLS != nil {
		h["Strict-Transport-Security"] = hsts
	}
	if hostChecked(r) && !hostAllowed(r.Host, s.host) {
		_, r.Pattern = s.mux.Handler(r)
		misdirected(w, r, s.cfg.BaseURL)
		return
	}
	if embeddedElsewhere(r) && (public(r) || r.URL.Query().Has("code")) {
		_, r.Pattern = s.mux.Handler(r)
		refuseEmbedded(w, r)
		return
	}
	if s.limiter != nil && public(r) && (limitsMembers(r) || !s.member(r)) {
		if ok, wait := s.limiter.Allow(ratelimit.Key(r)); !ok {
			_, r.Pattern = s.mux.Handler(r)
			tooMany(w, r, wait)
			return
		}
	}
	defer func() {
		if p := recover(); p != nil {
			s.cfg.Logger.ErrorContext(r.Context(), "panic", "path", accesslog.RedactPath(r.URL.Path), "panic", s.loggedText(r, fmt.Sprint(p)))
			refuse(w, r, http.StatusInternalServerError, "internal error")
		}
	}()
	if p, ok := canonicalLetterPath(r.URL.Path); ok {
		// The escaped form, if any, changes alike: its reference segment is the same bytes.
		raw, _ := canonicalLetterPath(r.URL.RawPath)
		r.URL.Path, r.URL.RawPath = p, raw
	}
	s.mux.ServeHTTP(w, r)
}

// canonicalLetterPath returns path with the letter reference it names, under /letters/ or
// /api/v1/letters/, in capitals, and true, when the reference was typed in small letters: a
// reference is the office's prefix (capitals and digits), the year and a number
// (TFN-2026-000123), and a member who types tfn-2026-000123 means that letter. Anything that is
// not a reference's shape (/letters/new) is left as it is.
func canonicalLetterPath(path string) (string, bool) {
	var rest string
	switch {
	case strings.HasPrefix(path, "/api/v1/letters/"):
		rest = path[len("/api/v1/letters/"):]
	case strings.HasPrefix(path, "/letters/"):
		rest = path[len("/letters/"):]
	default:
		return path, false
	}
	seg, _, _ := strings.Cut(rest, "/")
	prefix, tail, ok := strings.Cut(seg, "-")
	if !ok || prefix == "" || len(prefix) > 16 || len(tail) != len("2026-000123") || tail[4] != '-' {
		return path, false
	}
	lower := false
	for i := 0; i < len(prefix); i++ {
		c := prefix[i]
		switch {
		case c >= 'a' && c <= 'z':
			lower = true
		case c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		default:
			return path, false
		}
	}
	for i := 0; i < len(tail); i++ {
		if i != 4 && (tail[i] < '0' || tail[i] > '9') {
			return path, false
		}
	}
	if !lower {
		return path, false
	}
	start := len(path) - len(rest)
	return path[:start] + strings.ToUpper(prefix) + path[start+len(prefix):], true
}

// served counts the request and writes its access log line. The route is the pattern the
// request matched (set on r by the mux), never its path, which may hold a check code.
func (s *Server) served(w *accesslog.Recorder, r *http.Request, start time.Time) {
	d := time.Since(start)
	metrics.HTTPRequest(r.Pattern, w.Code(), d.Seconds())
	if s.cfg.AccessLog {
		accesslog.Log(r.Context(), s.cfg.Logger, r, r.Pattern, w, d)
	}
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

// readyz answers 200 when the store answers a read within a second, the office and log keys
// sign (a key in a token that failed its last signature and a new test one does not), the stored log extends
// the checkpoint this server published and the witnesses that do not refuse the log can meet
// the quorum, with a warning line naming the witnesses that
// refuse it, one when the office's PDF signing certificate has ended or ends within a month,
// and one when the policy in force does not compile with this build.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), time.Second)
	defer cancel()
	err := s.cfg.DB.View(ctx, func(tx *store.Tx) error {
		_, err := tx.LogHead(ctx)
		return err
	})
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("not ready: store unavailable (the last checkpoint and cached tiles are still served)\n"))
		return
	}
	// A key in a token that cannot sign (the token gone, its module failing) fails every
	// release and checkpoint until it is back; the keys try a signature themselves, so that
	// the server is ready again once it is. Why is the operator's, in the server's log.
	if s.cfg.Registry != nil && s.cfg.Registry.OfficeKeyUnavailable() != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("not ready: the office key cannot sign (its token is unavailable; the server's log says why): nothing is released or logged until it can\n"))
		return
	}
	if s.cfg.Log != nil && s.cfg.Log.SignerUnavailable() != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("not ready: the log key cannot sign (its token is unavailable; the server's log says why): nothing is appended to the log until it can\n"))
		return
	}
	// A database set back under this server (a restore, a failover to a standby that lacked
	// the last commits): it appends nothing, so every release would fail, until an operator
	// decides (docs/operations.md, "Backups and restore").
	if s.cfg.Log != nil {
		if rb := s.cfg.Log.SetBack(); rb != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintf(w, "not ready: %s; this server appends nothing and serves the checkpoint it published until an operator decides\n", rb)
			return
		}
	}
	// Witnesses that refuse this log make the server unready only when those left cannot meet
	// the quorum: a load balancer would otherwise take every server of the office out for one
	// witness's word, while the others cosign. Fewer refusing, each is a warning line.
	var refusing string
	if s.cfg.Registry != nil {
		if hs := s.cfg.Registry.Heads(); hs != nil {
			if why := hs.Unready(); why != "" {
				w.WriteHeader(http.StatusServiceUnavailable)
				fmt.Fprintf(w, "not ready: %s\n", why)
				return
			}
			refusing = hs.Behind()
		}
	}
	// Several servers on one PostgreSQL database take turns sequencing: say whose turn it is.
	switch {
	case s.cfg.Log == nil || s.cfg.DB.Dialect() != store.Postgres:
		w.Write([]byte("ready\n"))
	case s.cfg.Log.Leading():
		w.Write([]byte("ready: sequencing the log\n"))
	default:
		w.Write([]byte("ready: not sequencing the log (another server is, or none has appends)\n"))
	}
	// Verification and reading go on with the PDF certificate expired: the server stays
	// ready, and says on a line of its own what the operator must do.
	// Nor does a policy in force that this build does not compile close the server: reads,
	// verification and the adoption of a corrected policy go on while the gate is closed.
	// /readyz answers anyone: it says that much only, for the reason quotes the policy (its
	// groups name staff); the server's log, the operator's, gives the reason and the remedy.
	// A refusing witness halts the log's appends (cosigned.Heads): releases fail with the
	// reason, while reading and verification go on.
	if refusing != "" && s.cfg.Log != nil && s.cfg.Log.Halted() != nil {
		fmt.Fprintf(w, "warning: %s; this server appends nothing until the log extends what the witness holds or the witness is removed\n", refusing)
	} else if refusing != "" {
		fmt.Fprintf(w, "warning: %s\n", refusing)
	}
	if s.cfg.Registry != nil {
		if warn := s.cfg.Registry.PDFCertificateWarning(); warn != "" {
			fmt.Fprintf(w, "warning: %s\n", warn)
		}
		if s.cfg.Registry.PolicyClosed() != "" {
			w.Write([]byte("warning: the policy in force does not compile with this version of Chancery: nothing is approved, signed or released until an admin adopts a corrected one (the server's log says why)\n"))
		}
	}
}
