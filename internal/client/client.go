// Package client is the HTTP client of Chancery's JSON API, used by every chancery command
// other than serve (like vault or gh, the CLI is a client of the server).
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptrace"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/policy"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/seal"
	"golang.org/x/mod/sumdb/tlog"
)

// Client talks to one registry.
type Client struct {
	Base  string // e.g. "http://127.0.0.1:8080"
	Token string
	HTTP  *http.Client
	gate  retryGate // 429 retries take turns (see send)
}

// New returns a client for base with an optional bearer token.
func New(base, token string) (*Client, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		shown := base
		if err == nil {
			shown = u.Redacted()
		} else if at := strings.LastIndex(base, "@"); at >= 0 {
			shown = "…" + base[at:] // what comes before may be a password
		}
		return nil, fmt.Errorf("registry URL %q is not an http or https URL", shown)
	}
	return &Client{Base: strings.TrimSuffix(base, "/"), Token: token,
		HTTP: &http.Client{Timeout: 5 * time.Minute, CheckRedirect: CheckRedirect}}, nil
}

// ErrRedirected is a redirect away from the registry's origin, refused (see CheckRedirect).
var ErrRedirected = errors.New("the registry redirects to another address")

// CheckRedirect is the redirect policy of every HTTP client that speaks to a registry: a
// redirect is followed only within the origin (scheme, host and port) of the request it
// answers. Go's client sends the Authorization header again to a redirect's target of the
// same host name or a subdomain whatever its scheme and port (https to plain http, another
// service on the machine), and a body again on 307 and 308 wherever they point: a registry
// behind a misconfigured proxy, or anyone who can answer in its place, would be sent the
// member's token, a signature or a letter's text.
func CheckRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	if !SameOrigin(req.URL, via[0].URL) {
		return fmt.Errorf("%w: %.200q", ErrRedirected, req.URL.Redacted())
	}
	return nil
}

// SameOrigin reports whether a and b have one scheme, host and port (a scheme's default
// port written or not).
func SameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Hostname(), b.Hostname()) && port(a) == port(b)
}

func port(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "https") {
		return "443"
	}
	return "80"
}

// Bounds on what one answer may hold, so that a registry, or anyone answering in its place,
// costs the command line at most this much memory per request. Variables for tests.
var (
	// MaxAnswerBytes bounds a JSON answer: the largest honest ones (a letter list, an audit
	// trail, an identification's difference) are a few megabytes.
	MaxAnswerBytes int64 = 64 << 20
	// MaxFileBytes bounds a file: a released letter, a draft copy or a preview, which the
	// registry builds from an upload of at most serve --max-upload (50 MiB by default).
	MaxFileBytes int64 = 1 << 30
)

// ErrTooLarge is an answer longer than the client reads (MaxAnswerBytes, MaxFileBytes).
var ErrTooLarge = errors.New("the registry's answer is too large")

// bounded reads at most limit bytes of r, and fails with ErrTooLarge past them.
type bounded struct {
	r     io.Reader
	left  int64
	limit int64
}

func (b *bounded) Read(p []byte) (int, error) {
	if b.left <= 0 {
		// One byte more tells an answer of exactly limit bytes from a longer one.
		var one [1]byte
		n, err := b.r.Read(one[:])
		if n > 0 {
			return 0, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, b.limit)
		}
		return 0, err
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	return n, err
}

func limited(r io.Reader, limit int64) io.Reader { return &bounded{r: r, left: limit, limit: limit} }

// readFile reads a file the registry sends, within MaxFileBytes.
func readFile(resp *http.Response) ([]byte, error) {
	defer resp.Body.Close()
	return io.ReadAll(limited(resp.Body, MaxFileBytes))
}

// APIError is an error answered by the server.
type APIError struct {
	Status   int
	Message  string
	Decision *policy.Decision
}

func (e *APIError) Error() string { return e.Message }

// ErrUnreachable wraps transport failures: the server could not be reached.
var ErrUnreachable = errors.New("registry unreachable")

// ErrAnswerLost wraps, beside ErrUnreachable, the failure of a request that changes something
// (any method but GET and HEAD) once the request was written whole: the registry may have
// made the change, and only its answer was lost.
var ErrAnswerLost = errors.New("the request was sent and its answer lost: the registry may have made the change")

func (c *Client) do(ctx context.Context, method, path string, body io.Reader, ctype string, out any) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.Base+path, body)
	if err != nil {
		return nil, err
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	var wrote atomic.Bool
	if method != http.MethodGet && method != http.MethodHead {
		req = req.WithContext(httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
			WroteRequest: func(i httptrace.WroteRequestInfo) { wrote.Store(wrote.Load() || i.Err == nil) },
		}))
	}
	resp, err := c.send(req)
	if ue := (*url.Error)(nil); errors.As(err, &ue) && errors.Is(err, ErrRedirected) {
		return nil, fmt.Errorf("%s %s: %w", method, path, ue.Err)
	}
	if err != nil && wrote.Load() {
		return nil, fmt.Errorf("%w: %w: %w", ErrUnreachable, ErrAnswerLost, err)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnreachable, err)
	}
	if resp.StatusCode >= 300 {
		defer resp.Body.Close()
		var e struct {
			Error    string           `json:"error"`
			Decision *policy.Decision `json:"decision"`
		}
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		if json.Unmarshal(b, &e) != nil || e.Error == "" {
			e.Error = fmt.Sprintf("%s %s: %s", method, path, resp.Status)
		}
		return nil, &APIError{Status: resp.StatusCode, Message: e.Error, Decision: e.Decision}
	}
	if resp.StatusCode == http.StatusAccepted && strings.HasPrefix(resp.Header.Get("Location"), "/api/v1/changes/") {
		// Proposed instead of made: the policy in force asks for a second admin.
		defer resp.Body.Close()
		var p struct {
			Change registry.ChangeView `json:"change"`
		}
		if err := json.NewDecoder(limited(resp.Body, MaxAnswerBytes)).Decode(&p); err != nil {
			return nil, fmt.Errorf("%s %s: decode response: %w", method, path, err)
		}
		return nil, &registry.ProposedError{Change: &p.Change}
	}
	if out == nil {
		return resp, nil
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(limited(resp.Body, MaxAnswerBytes)).Decode(out); err != nil {
		return nil, fmt.Errorf("%s %s: decode response: %w", method, path, err)
	}
	return resp, nil
}

func (c *Client) json(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	ctype := ""
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body, ctype = bytes.NewReader(b), "application/json"
	}
	resp, err := c.do(ctx, method, path, body, ctype, out)
	if err == nil && out == nil {
		// do leaves an answer nobody decodes open: read and closed, its connection serves
		// the next request rather than staying open until the server drops it.
		io.Copy(io.Discard, io.LimitReader(resp.Body, MaxAnswerBytes))
		resp.Body.Close()
	}
	return err
}

func ref(r string) string { return "/api/v1/letters/" + url.PathEscape(r) }

// AddMember adds a member and returns their token.
func (c *Client) AddMember(ctx context.Context, name string, roles []string) (string, error) {
	var out struct {
		Token string `json:"token"`
	}
	err := c.json(ctx, "POST", "/api/v1/members", map[string]any{"name": name, "roles": roles}, &out)
	return out.Token, err
}

// RegisterKey registers the caller's signer key.
func (c *Client) RegisterKey(ctx context.Context, pub []byte) (keyID string, index int64, err error) {
	var out struct {
		KeyID string `json:"keyid"`
		Index int64  `json:"log_index"`
	}
	if err = c.json(ctx, "POST", "/api/v1/keys", map[string]any{"public_key": pub}, &out); err != nil {
		return "", 0, err
	}
	// The ID is what the signer later revokes and signs under: one the key does not hash to,
	// from a registry or someone on the way, would name another key.
	if want := dsse.KeyID(pub); out.KeyID != want {
		return "", 0, fmt.Errorf("the registry registered the key as %.80q, but its key ID is %s", out.KeyID, want)
	}
	return out.KeyID, out.Index, nil
}

// RevokeKey revokes a signer key.
func (c *Client) RevokeKey(ctx context.Context, keyID, reason string) (int64, error) {
	var out struct {
		Index int64 `json:"log_index"`
	}
	err := c.json(ctx, "POST", "/api/v1/keys/"+url.PathEscape(keyID)+"/revoke", map[string]any{"reason": reason}, &out)
	return out.Index, err
}

// RotateKey registers the caller's new signer key pub and revokes their key keyID, both in
// one transaction of the registry: it returns the new key's ID and the indexes of its
// key-added entry and of the old key's key-revoked entry.
func (c *Client) RotateKey(ctx context.Context, keyID string, pub []byte) (newKeyID string, added, revoked int64, err error) {
	var out struct {
		KeyID        string `json:"keyid"`
		Index        int64  `json:"log_index"`
		RevokedIndex int64  `json:"revoked_index"`
	}
	if err = c.json(ctx, "POST", "/api/v1/keys/"+url.PathEscape(keyID)+"/rotate", map[string]any{"public_key": pub}, &out); err != nil {
		return "", 0, 0, err
	}
	// As for RegisterKey: the ID is what the signer signs under from now on.
	if want := dsse.KeyID(pub); out.KeyID != want {
		return "", 0, 0, fmt.Errorf("the registry registered the key as %.80q, but its key ID is %s", out.KeyID, want)
	}
	return out.KeyID, out.Index, out.RevokedIndex, nil
}

// File is a file to upload.
type File struct {
	Name      string
	MediaType string
	Data      []byte
}

func multipartBody(fields map[string][]string, f File) (io.Reader, string, error) {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, vs := range fields {
		for _, v := range vs {
			if err := w.WriteField(k, v); err != nil {
				return nil, "", err
			}
		}
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, f.Name))
	mt := f.MediaType
	if mt == "" {
		mt = "application/octet-stream"
	}
	h.Set("Content-Type", mt)
	p, err := w.CreatePart(h)
	if err != nil {
		return nil, "", err
	}
	p.Write(f.Data)
	if err := w.Close(); err != nil {
		return nil, "", err
	}
	return &b, w.FormDataContentType(), nil
}

// Created is the answer to a new letter or version.
type Created struct {
	Reference string `json:"reference"`
	Version   int    `json:"version"`
	Digest    string `json:"digest"`
}

// CreateLetter creates a letter.
func (c *Client) CreateLetter(ctx context.Context, subject, class string, tags, to []string, f File) (*Created, error) {
	body, ct, err := multipartBody(map[string][]string{"subject": {subject}, "class": {class}, "tag": tags, "to": to}, f)
	if err != nil {
		return nil, err
	}
	var out Created
	_, err = c.do(ctx, "POST", "/api/v1/letters", body, ct, &out)
	return &out, err
}

// Revise adds a version.
func (c *Client) Revise(ctx context.Context, r string, f File) (*Created, error) {
	body, ct, err := multipartBody(nil, f)
	if err != nil {
		return nil, err
	}
	var out Created
	_, err = c.do(ctx, "POST", ref(r)+"/versions", body, ct, &out)
	return &out, err
}

// Letter returns a letter's view.
func (c *Client) Letter(ctx context.Context, r string) (*registry.LetterView, error) {
	var out registry.LetterView
	err := c.json(ctx, "GET", ref(r), nil, &out)
	return &out, err
}

// Letters lists the letters q selects, newest first.
func (c *Client) Letters(ctx context.Context, q registry.LetterQuery) (*registry.LetterList, error) {
	v := url.Values{}
	for k, s := range map[string]string{"state": q.State, "class": q.Class, "q": q.Text, "before": q.Before} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if q.Limit != 0 {
		v.Set("limit", strconv.Itoa(q.Limit))
	}
	if q.Partial {
		v.Set("partial", "1")
	}
	path := "/api/v1/letters"
	if len(v) > 0 {
		path += "?" + v.Encode()
	}
	var out registry.LetterList
	err := c.json(ctx, "GET", path, nil, &out)
	if e := (*APIError)(nil); q.Partial && errors.As(err, &e) && e.Status == http.StatusBadRequest &&
		strings.Contains(e.Message, `unknown query parameter "partial"`) {
		// A registry from before partial answers, which refuses what it does not read
		// and never answers in parts: asked again without partial=1.
		q.Partial = false
		return c.Letters(ctx, q)
	}
	return &out, err
}

// Approve approves (or, with reject, rejects) the latest version, optionally pinned to a digest.
func (c *Client) Approve(ctx context.Context, r, version, comment string, reject bool) error {
	verb := "/approve"
	if reject {
		verb = "/reject"
	}
	return c.json(ctx, "POST", ref(r)+verb, map[string]any{"version": version, "comment": comment}, nil)
}

// Statement is a statement to sign.
type Statement struct {
	PayloadType string `json:"payload_type"`
	Statement   []byte `json:"statement"`
	// Opening is, for a withdrawal, the opening of the statement the signed record commits
	// to: the signer checks it, and hands it back with the signature.
	Opening *seal.Opening `json:"opening,omitempty"`
}

// SigningStatement fetches what to sign for the latest version.
func (c *Client) SigningStatement(ctx context.Context, r string) (*Statement, error) {
	return c.SigningStatementOf(ctx, r, "")
}

// SigningStatementOf fetches what to sign for the version with digest version, the one the
// signer read (empty: the latest); the registry refuses it if another version is the latest.
// A registry that ignores version is caught by the caller, which checks the statement's digest.
func (c *Client) SigningStatementOf(ctx context.Context, r, version string) (*Statement, error) {
	path := ref(r) + "/signing-statement"
	if version != "" {
		path += "?version=" + url.QueryEscape(version)
	}
	var out Statement
	err := c.json(ctx, "GET", path, nil, &out)
	return &out, err
}

// Sign uploads a signature over a signing statement.
func (c *Client) Sign(ctx context.Context, r, keyID string, statement, sig []byte) error {
	return c.json(ctx, "POST", ref(r)+"/signatures", map[string]any{"keyid": keyID, "statement": statement, "sig": sig}, nil)
}

// ReleaseResult is the answer to a release.
type ReleaseResult struct {
	Reference  string          `json:"reference"`
	LogIndex   int64           `json:"log_index"`
	FileName   string          `json:"file_name"`
	MediaType  string          `json:"media_type"`
	FileDigest string          `json:"file_digest"`
	Seal       json.RawMessage `json:"seal"`
	// SealPending, when the seal is null, says why: the witness quorum has not cosigned a
	// checkpoint covering the release yet. The seal can be fetched later.
	SealPending string `json:"seal_pending,omitempty"`
	// CheckCode is printed on the released letter; with it, its holder sees the letter on the
	// verify page (VerifyURL).
	CheckCode string `json:"check_code"`
	VerifyURL string `json:"verify_url"`
}

// Release releases the latest version of a letter.
func (c *Client) Release(ctx context.Context, r string) (*ReleaseResult, error) {
	return c.ReleaseVersion(ctx, r, "")
}

// ReleaseVersion releases a letter: version, if not empty, is the digest of the version the
// release officer read, and the registry refuses the release if another version is the latest.
func (c *Client) ReleaseVersion(ctx context.Context, r, version string) (*ReleaseResult, error) {
	var out ReleaseResult
	var in any
	if version != "" {
		in = map[string]any{"version": version}
	}
	err := c.json(ctx, "POST", ref(r)+"/release", in, &out)
	return &out, err
}

// ReleasedFile downloads the released bytes.
func (c *Client) ReleasedFile(ctx context.Context, r string) ([]byte, error) {
	resp, err := c.do(ctx, "GET", ref(r)+"/file", nil, "", nil)
	if err != nil {
		return nil, err
	}
	return readFile(resp)
}

// Seal downloads a fresh seal of a released letter.
func (c *Client) Seal(ctx context.Context, r string) ([]byte, error) {
	resp, err := c.do(ctx, "GET", ref(r)+"/seal", nil, "", nil)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(limited(resp.Body, 2<<20))
}

// WithdrawalStatement fetches the statement to sign to retract (by == "") or supersede.
func (c *Client) WithdrawalStatement(ctx context.Context, r, by, reason string) (*Statement, error) {
	var out Statement
	err := c.json(ctx, "POST", ref(r)+"/withdrawal-statement", map[string]any{"by": by, "reason": reason}, &out)
	return &out, err
}

// Withdraw uploads a signed withdrawal: the record signed, and its opening.
func (c *Client) Withdraw(ctx context.Context, r, by, keyID string, st *Statement, sig []byte) (*Status, error) {
	var out Status
	err := c.json(ctx, "POST", ref(r)+"/withdraw", map[string]any{"by": by, "keyid": keyID, "statement": st.Statement, "opening": st.Opening, "sig": sig}, &out)
	return &out, err
}

// Erase erases a released letter's content (admins).
func (c *Client) Erase(ctx context.Context, r, reason string) error {
	return c.json(ctx, "POST", ref(r)+"/erase", map[string]any{"reason": reason}, nil)
}

// DraftCopy is an exported draft.
type DraftCopy struct {
	Data     []byte
	Digest   string
	FileName string
	Version  string
}

// ExportDraft exports the latest version for a recipient; version, if not empty, is the
// digest of the version the member read, refused if it is no longer the latest.
func (c *Client) ExportDraft(ctx context.Context, r, recipient, version string) (*DraftCopy, error) {
	b, _ := json.Marshal(map[string]any{"recipient": recipient, "version": version})
	resp, err := c.do(ctx, "POST", ref(r)+"/drafts", bytes.NewReader(b), "application/json", nil)
	if err != nil {
		return nil, err
	}
	data, err := readFile(resp)
	if err != nil {
		return nil, err
	}
	return &DraftCopy{Data: data, Digest: resp.Header.Get("X-Chancery-Digest"), Version: resp.Header.Get("X-Chancery-Version")}, nil
}

// Preview returns the PDF a release of the letter would publish now, marked PREVIEW.
func (c *Client) Preview(ctx context.Context, r string) ([]byte, error) {
	resp, err := c.do(ctx, "GET", ref(r)+"/preview", nil, "", nil)
	if err != nil {
		return nil, err
	}
	return readFile(resp)
}

// AuditEvent is one audit record.
type AuditEvent struct {
	ID     int64  `json:"id,omitempty"` // in the office's trail (OfficeAudit) only
	Time   string `json:"time"`
	Actor  string `json:"actor"`
	Action string `json:"action"`
	Detail string `json:"detail"`
	Remote string `json:"remote"`
}

// Audit returns a letter's audit trail.
func (c *Client) Audit(ctx context.Context, r string) ([]AuditEvent, error) {
	var out []AuditEvent
	err := c.json(ctx, "GET", ref(r)+"/audit", nil, &out)
	return out, err
}

// OfficeAudit returns the office's audit events that name no letter (admins), newest first:
// limit of them (0: the server's default) before the event ID before (0: from the newest).
func (c *Client) OfficeAudit(ctx context.Context, before int64, limit int) ([]AuditEvent, error) {
	q := url.Values{}
	if before > 0 {
		q.Set("before", strconv.FormatInt(before, 10))
	}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	path := "/api/v1/audit"
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	var out []AuditEvent
	err := c.json(ctx, "GET", path, nil, &out)
	return out, err
}

// Status is the answer of the verify and status endpoints.
type Status struct {
	registry.Status
	Seal json.RawMessage `json:"seal"`
	// Latest, asked for by VerifyDigest, is the registry's latest checkpoint and the proof that
	// it extends the seal's: the seal may be kept from the release, against an older one. A
	// registry that predates kept seals does not send it; its seal is then against the latest.
	Latest *Latest `json:"latest"`
}

// Latest is the latest checkpoint a registry serves, the consistency proof from an answer's
// seal's checkpoint to it, and the log's signed status of the letter in its tree
// (checkpoint.Status). The caller checks all three.
type Latest struct {
	Checkpoint string      `json:"checkpoint"`
	Proof      []tlog.Hash `json:"proof"`
	Status     string      `json:"status"`
}

// VerifyDigest asks what the file with this digest is, with the proof that the answer is
// given against the registry's latest checkpoint.
func (c *Client) VerifyDigest(ctx context.Context, digest string) (*Status, error) {
	var out Status
	err := c.json(ctx, "POST", "/api/v1/verify", map[string]any{"digest": digest, "latest": true}, &out)
	if err == nil && out.Latest != nil && len(out.Latest.Proof) > maxProofHashes {
		return nil, fmt.Errorf("verify: a consistency proof of %d hashes", len(out.Latest.Proof))
	}
	return &out, err
}

// StatusOf asks about a reference.
func (c *Client) StatusOf(ctx context.Context, r string) (*Status, error) {
	var out Status
	err := c.json(ctx, "GET", ref(r)+"/status", nil, &out)
	return &out, err
}

// TrustRoot downloads the registry's trust root (to pin it; never trust it blindly).
func (c *Client) TrustRoot(ctx context.Context) ([]byte, error) {
	resp, err := c.do(ctx, "GET", "/api/v1/trust", nil, "", nil)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(limited(resp.Body, 1<<20))
}

// PolicyInForce is the answer of GET /api/v1/policy.
type PolicyInForce struct {
	Name     string `json:"name"`
	Digest   string `json:"digest"`
	Builtin  bool   `json:"builtin"`
	Source   string `json:"source"`
	LogIndex int64  `json:"log_index"`
}

// Policy returns the policy in force (members with a role): its name and digest, and its
// source unless it is the built-in one.
func (c *Client) Policy(ctx context.Context) (*PolicyInForce, error) {
	var out PolicyInForce
	err := c.json(ctx, "GET", "/api/v1/policy", nil, &out)
	return &out, err
}

// AdoptPolicy adopts a policy file (admin) and returns the log index of its entry.
func (c *Client) AdoptPolicy(ctx context.Context, source []byte) (*PolicyInForce, error) {
	var out PolicyInForce
	_, err := c.do(ctx, "POST", "/api/v1/policy", bytes.NewReader(source), "application/yaml", &out)
	return &out, err
}

// Identify asks what a text is: a released letter's, an altered copy of one, a draft's
// (members only) or unknown.
func (c *Client) Identify(ctx context.Context, text string) (*registry.Identification, error) {
	var out registry.Identification
	err := c.json(ctx, "POST", "/api/v1/identify", map[string]any{"text": text}, &out)
	return &out, err
}

// FileQuery is what chancery identify sends about a file: its text (what OCR read of it,
// for a scan), its digest and, for a PDF whose text layer named a letter, what its pages
// show.
type FileQuery struct {
	Text string `json:"text"`
	// Scan says Text was read from a scan by OCR.
	Scan bool `json:"scan,omitempty"`
	// Digest is the file's SHA-256: a draft's bytes are that draft, whatever its text.
	Digest seal.Digest `json:"digest,omitempty"`
	// Pages is what the pages of a PDF show, read by OCR; nil when they were not read.
	Pages *string `json:"pages,omitempty"`
	// QRCodes, for a scan or a PDF's pages read, are the contents of the QR codes read on
	// them; QRCodesUnread says that not all could be read (ocr.Reading).
	QRCodes       []string `json:"qr_codes,omitempty"`
	QRCodesUnread bool     `json:"qr_codes_unread,omitempty"`
	// Links, for a PDF read as a scan or beside its pages, are the addresses of its links
	// (ocr.Reading.Links).
	Links []string `json:"links,omitempty"`
}

// IdentifyFile asks what a file is (see FileQuery).
func (c *Client) IdentifyFile(ctx context.Context, q FileQuery) (*registry.Identification, error) {
	var out registry.Identification
	err := c.json(ctx, "POST", "/api/v1/identify", q, &out)
	return &out, err
}

// IdentifyScan asks what a text read from a scan (by OCR) is: the registry forgives its OCR
// noise, and says that a scan proves less than a file.
func (c *Client) IdentifyScan(ctx context.Context, text string) (*registry.Identification, error) {
	var out registry.Identification
	err := c.json(ctx, "POST", "/api/v1/identify", map[string]any{"text": text, "scan": true}, &out)
	return &out, err
}

// EndSession ends the client's token, which must be one 'chancery login' saved: it signs no
// one in afterwards ('chancery logout').
func (c *Client) EndSession(ctx context.Context) error {
	return c.json(ctx, "DELETE", "/api/v1/session", nil, nil)
}

// Keys returns the caller's own signer keys, revoked ones included.
func (c *Client) Keys(ctx context.Context) ([]registry.KeyView, error) {
	var out []registry.KeyView
	err := c.json(ctx, "GET", "/api/v1/keys", nil, &out)
	return out, err
}
