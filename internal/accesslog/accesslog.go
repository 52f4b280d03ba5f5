// Package accesslog gives each HTTP request an ID and logs one line per request with
// log/slog, and redacts what must never reach a log: check codes, receipt tokens, references
// and members' names.
//
// A check code is the capability printed on a released letter: whoever holds it sees the
// letter's details and fetches the released file (/v/{ref}/{code}). Access logs are kept,
// copied and shipped far more widely than the registry's database, so a path is logged with its
// code, and the reference or member's name it names, replaced (RedactPath), and query strings
// are never logged (?code= and ?digest= are capabilities too).
package accesslog

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"path"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Header is the request and response header that carries the request ID.
const Header = "X-Request-ID"

type idKey struct{}

// WithID returns ctx carrying the request ID.
func WithID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, idKey{}, id)
}

// ID returns the request ID in ctx, or "".
func ID(ctx context.Context) string {
	id, _ := ctx.Value(idKey{}).(string)
	return id
}

// RequestID returns the request's ID: the client's (or proxy's) X-Request-ID when it is sane,
// 1 to 64 letters, digits, '-', '_', '.' or ':', so that it can be followed from a load balancer's
// log into ours; otherwise a new random one.
func RequestID(r *http.Request) string {
	if in := r.Header.Get(Header); saneID(in) {
		return in
	}
	return NewID()
}

func saneID(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9') && c != '-' && c != '_' && c != '.' && c != ':' {
			return false
		}
	}
	return true
}

// idEncoding is base32 in lower case, which reads better in logs than upper case.
var idEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// NewID returns a new random request ID of 16 characters (80 bits).
func NewID() string {
	var b [10]byte
	rand.Read(b[:])
	return idEncoding.EncodeToString(b[:])
}

// Redacted replaces a secret in a logged path.
const Redacted = "REDACTED"

// RedactPath returns p with the reference and the check code of a /v/{ref}/{code}... path
// replaced by REDACTED, and every further segment that is not a known suffix ("file",
// "seal") too, so that a code typed into the wrong place does not leak either. (The
// reference is the public's to ask about, but what a signed-in member is shown at /v/{ref},
// and so the line's bytes, says whether it is a draft.) Under the members' routes of one
// letter, one member, one recipient or one webhook endpoint (memberPrefixes) the reference or
// name is REDACTED, and so is every further segment that is not a word of those routes or a
// version's number: whoever reads the log learns neither the references of drafts, nor who
// was given a role, nor whom the office writes to. A path that is
// not clean and cleans to such a path ("//v/…", as a base URL ending in a slash makes links)
// is redirected there by the server's mux, so it is logged clean and redacted. Long paths
// are cut to 256 bytes.
func RedactPath(p string) string {
	if !sensitive(p) {
		if c := path.Clean(p); sensitive(c) {
			p = c
		}
	}
	if rest, ok := strings.CutPrefix(p, "/v/"); ok {
		// Segment i starts at byte 3+i or after, so those from maxLogged on, kept as one and
		// redacted, are past the cut: a long path of short segments is not split whole.
		segs := strings.SplitN(rest, "/", maxLogged)
		for i := range segs {
			known := i > 1 && (segs[i] == "file" || segs[i] == "seal")
			if segs[i] != "" && !known {
				segs[i] = Redacted
			}
		}
		p = "/v/" + strings.Join(segs, "/")
	}
	// Receipt links are capabilities too (internal/registry/dispatch.go).
	if strings.HasPrefix(p, "/receipt/") {
		p = "/receipt/" + Redacted
	}
	if prefix := memberPrefix(p); prefix != "" {
		segs := strings.SplitN(p[len(prefix):], "/", maxLogged)
		for i, seg := range segs {
			version := i > 0 && segs[i-1] == "versions" && digits(seg)
			if seg != "" && (i == 0 || !routeWords[seg] && !version) {
				segs[i] = Redacted
			}
		}
		p = prefix + strings.Join(segs, "/")
	}
	p = printable(p)
	if len(p) > maxLogged {
		p = p[:maxLogged] + "…"
	}
	return p
}

// printable returns p with each character a reader of the log would not see as it is, a
// valid one that is not printable (a bidirectional override, a zero-width character, a line
// separator, a no-break space), written as its escape (\u202e). Anyone may send such a path
// (a request for a page that does not exist is logged too), and slog's JSON lines, which the
// access lines mirror, keep those characters as they are: a right-to-left override
// reordered the rest of the line in a log viewer or a terminal. ASCII control characters and
// invalid bytes are left to the line's encoding, which escapes them. It stops past maxLogged
// bytes, which is all that is logged.
func printable(p string) string {
	i := strings.IndexFunc(p, func(r rune) bool { return r >= utf8.RuneSelf && r != utf8.RuneError && !unicode.IsPrint(r) })
	if i < 0 || i > maxLogged {
		return p // nothing to escape in what is logged
	}
	var b strings.Builder
	b.WriteString(p[:i])
	for rest := p[i:]; rest != "" && b.Len() <= maxLogged; {
		r, n := utf8.DecodeRuneInString(rest)
		switch {
		case r < utf8.RuneSelf || r == utf8.RuneError || unicode.IsPrint(r):
			b.WriteString(rest[:n]) // an invalid byte as it is, for the line's encoding
		case r > 0xffff:
			fmt.Fprintf(&b, `\U%08x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		rest = rest[n:]
	}
	return b.String()
}

// maxLogged is the most bytes of a path logged.
const maxLogged = 256

// sensitive reports whether p is a path whose segments hold a capability (a check code, a
// receipt link's token) or what the office keeps from its log (memberPrefix).
func sensitive(p string) bool {
	return strings.HasPrefix(p, "/v/") || strings.HasPrefix(p, "/receipt/") || memberPrefix(p) != ""
}

// memberPrefixes begin the paths whose next segment is a letter's reference or a member's
// name: the web's and the API's routes for one letter or one member. References are
// sequential and said nothing of drafts to the public; a log line per action on one (approve,
// release, withdraw, erase) would tell whoever reads the office's logs which drafts exist and
// what becomes of them.
//
// The directory's routes of one recipient, and of one webhook endpoint (a recipient's is named
// "recipient:NAME"), name whom the office corresponds with, which the server's log keeps out
// as it does the addresses and recipients of deliveries.
var memberPrefixes = [...]string{"/letters/", "/api/v1/letters/", "/admin/members/", "/api/v1/members/",
	"/admin/recipients/", "/api/v1/recipients/", "/admin/webhooks/", "/api/v1/webhooks/"}

// memberPrefix returns the member prefix p begins with, or "".
func memberPrefix(p string) string {
	for _, prefix := range memberPrefixes {
		if strings.HasPrefix(p, prefix) {
			return prefix
		}
	}
	return ""
}

// routeWords are the fixed segments of the routes under memberPrefixes, logged as they are;
// any other segment there is REDACTED.
var routeWords = map[string]bool{
	"approve": true, "audit": true, "copy": true, "dispatch": true, "dispatches": true, "drafts": true,
	"erase": true, "export": true, "file": true, "preview": true, "reject": true, "release": true,
	"seal": true, "send": true, "sign": true, "signatures": true, "signing-statement": true,
	"status": true, "versions": true, "withdraw": true, "withdrawal-statement": true,
	"disable": true, "enable": true, "roles": true, "token": true,
	"emails": true, "retire": true, "rekey": true, "remove": true, "retry": true, "secret": true,
}

// digits reports whether s is a decimal number.
func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// Recorder is a ResponseWriter that remembers the status and counts the body's bytes.
type Recorder struct {
	http.ResponseWriter
	Status int
	Bytes  int64
}

// WriteHeader records the status.
func (w *Recorder) WriteHeader(code int) {
	if w.Status == 0 {
		w.Status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write counts the bytes written.
func (w *Recorder) Write(b []byte) (int, error) {
	if w.Status == 0 {
		w.Status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.Bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection's writer (Flush, deadlines).
func (w *Recorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Code is the status sent, 200 when the handler wrote nothing.
func (w *Recorder) Code() int {
	if w.Status == 0 {
		return http.StatusOK
	}
	return w.Status
}

// Log writes the access log line of a served request: method (cut to 16 bytes), route
// pattern, redacted path, status, body bytes, duration and request ID. It never logs the
// query string, headers, or the client's address.
func Log(ctx context.Context, l *slog.Logger, r *http.Request, route string, w *Recorder, d time.Duration) {
	if h, ok := l.Handler().(*idHandler); ok && h.lines != nil {
		h.lines.write(&accessLine{at: time.Now(), method: Method(r.Method), route: route, path: RedactPath(r.URL.Path),
			status: w.Code(), bytes: w.Bytes, durationMS: float64(d.Microseconds()) / 1000, requestID: ID(ctx)})
		return
	}
	l.LogAttrs(ctx, slog.LevelInfo, "request",
		slog.String("method", Method(r.Method)),
		slog.String("route", route),
		slog.String("path", RedactPath(r.URL.Path)),
		slog.Int("status", w.Code()),
		slog.Int64("bytes", w.Bytes),
		slog.Float64("duration_ms", float64(d.Microseconds())/1000),
	)
}

// Method is a request's method as logged, on access lines and on the handlers' error lines:
// the server takes any token as a method, up to its request line's length, so a long one is
// cut, as a path is.
func Method(m string) string {
	const max = 16 // "OPTIONS" and "CONNECT" have 7
	if len(m) > max {
		return m[:max] + "…"
	}
	return m
}

// Handler wraps a slog.Handler so that every record logged with a request's context carries
// its request_id: an error logged deep in a handler can be matched to its access log line.
func Handler(h slog.Handler) slog.Handler { return &idHandler{Handler: h} }

type idHandler struct {
	slog.Handler
	// lines writes access log lines for Log, when the handler is NewLogger's own (no
	// attributes or groups added): the same bytes, more cheaply.
	lines *lines
}

func (h *idHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := ID(ctx); id != "" {
		r.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, r)
}

func (h *idHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return &idHandler{Handler: h.Handler.WithAttrs(as)}
}

func (h *idHandler) WithGroup(name string) slog.Handler {
	return &idHandler{Handler: h.Handler.WithGroup(name)}
}

// Flush writes the access log lines that l, made by NewLogger, keeps in memory; a server calls
// it as it stops. Other loggers, and those derived from it (With), keep none of their own.
func Flush(l *slog.Logger) {
	if h, ok := l.Handler().(*idHandler); ok && h.lines != nil {
		h.lines.w.flush()
	}
}

// NewLogger returns the server's logger writing to w in format "text" (key=value lines) or
// "json" (one JSON object per line), with request IDs added. Access lines (Log) reach w up to
// 50 ms late, several in one write; call Flush before the process exits.
func NewLogger(w io.Writer, format string) (*slog.Logger, error) {
	lw := &lockedWriter{w: w}
	switch format {
	case "", "text":
		return slog.New(&idHandler{Handler: slog.NewTextHandler(lw, nil), lines: &lines{w: lw}}), nil
	case "json":
		return slog.New(&idHandler{Handler: slog.NewJSONHandler(lw, nil), lines: &lines{json: true, w: lw}}), nil
	}
	return nil, fmt.Errorf("unknown log format %q: want text or json", format)
}
