package server_test

// These tests check "confidential by default" from the outside, over HTTP: an office whose
// members, policy and letters carry unique markers releases, retracts and supersedes letters,
// and everything anyone can fetch without a token, a session or a check code is searched for
// those markers in every encoding they could hide in. Digests found on the public surfaces
// are presented as if they were files' digests, since a file's digest is a holder's
// capability. Check codes open a letter to its holder, and only the right code does.

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/entry"
	"github.com/chancery/chancery/internal/policy"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/server"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/translog"
	"golang.org/x/mod/sumdb/note"
)

const (
	cfOrigin     = "cnf.example/log"
	cfPrefix     = "CNF"
	cfOfficeName = "Confidential Office"
)

// The members' names are markers: none may appear on a public surface.
const (
	cfAdmin    = "mkradmin9z"
	cfDrafter  = "mkrdrafter3k"
	cfReviewer = "mkrreviewer5p"
	cfSigner   = "mkrsigner7q"
	cfSigner2  = "mkrsigner8w"
	cfReleaser = "mkrreleaser2v"
)

// cfPolicy names a signer group of marked members; its comment, name, group and rule are
// markers too. Its source is in the policy-adopted entry's opening, never in the log.
const cfPolicy = `# mkrpolicycomment3j
version: 1
name: mkrpolicyname4d
groups:
  mkrgroupzz: [mkrsigner7q, mkrsigner8w]
rules:
  - name: mkrrule6h
    default: true
    require:
      approvals:
        - role: reviewer
          count: 1
      signatures:
        - role: signer
          count: 1
`

// Other markers that are not a letter's own.
const (
	cfRevokeReason = "Key lost by mkrrevokereason"
	cfRecipient    = "Embassy mkrrecipientecho"
	cfSharedTag    = "mkrtagshared"
)

// cfLetter is a letter of the office and its markers.
type cfLetter struct {
	label   string
	ref     string
	subject string
	subj    string   // the subject's marker
	markers []string // every marker of the letter
	rel     *registry.Released
	reason  string // marker of its withdrawal's reason, if withdrawn
}

// cfOffice is a registry on SQLite with marked members, a marked policy and marked letters,
// served over HTTP.
type cfOffice struct {
	reg     *registry.Registry
	cfg     server.Config
	srv     *httptest.Server
	tokens  map[string]string
	actors  map[string]registry.Actor
	key     ed25519.PrivateKey
	keyID   string
	revoked string // the key ID of the revoked key
	letters map[string]*cfLetter
	refs    []string // every reference, in order of creation
	markers []string
	export  *registry.DraftCopy
	det     *cfDetector
}

// cfNewOffice sets the office up: members, two signer keys (one revoked), the policy, six
// letters (released: alpha in Markdown, bravo in plain text and later retracted, charlie a
// CSV file superseded by delta in Markdown; drafts: echo, rejected and exported, and foxtrot).
func cfNewOffice(t *testing.T) *cfOffice {
	t.Helper()
	ctx := context.Background()
	db, err := store.OpenSQLite(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	skey, vkey, err := note.GenerateKey(rand.Reader, cfOrigin)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	lg, err := translog.Open(ctx, db, translog.Config{Origin: cfOrigin, Signer: signer, Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lg.Close() })
	_, officeKey, _ := ed25519.GenerateKey(rand.Reader)
	reg := registry.New(registry.Config{DB: db, Log: lg, Office: registry.Office{Name: cfOfficeName, Prefix: cfPrefix, URL: "https://cnf.example"},
		OfficeKey: officeKey, LogKey: vkey, LogOrigin: cfOrigin})
	o := &cfOffice{reg: reg, tokens: map[string]string{}, actors: map[string]registry.Actor{}, letters: map[string]*cfLetter{},
		markers: []string{cfAdmin, cfDrafter, cfReviewer, cfSigner, cfSigner2, cfReleaser,
			"mkrpolicycomment3j", "mkrpolicyname4d", "mkrgroupzz", "mkrrule6h", "mkrrevokereason", "mkrrecipientecho", cfSharedTag}}
	// The public endpoints' limiter is set out of the way: these tests make hundreds of
	// public requests from one address. The check-code limiter stays as it is.
	o.cfg = server.Config{Log: lg, DB: db, VerifierKey: vkey, Origin: cfOrigin, Registry: reg, BaseURL: "https://cnf.example",
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), RateLimit: 1e6, RateBurst: 1 << 20}
	o.srv = o.newServer(t)

	fatal := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	tok, err := reg.Bootstrap(ctx, cfAdmin)
	fatal(err)
	o.addActor(t, cfAdmin, tok)
	for _, m := range []struct{ name, role string }{{cfDrafter, registry.RoleDrafter}, {cfReviewer, registry.RoleReviewer},
		{cfSigner, registry.RoleSigner}, {cfSigner2, registry.RoleSigner}, {cfReleaser, registry.RoleRelease}} {
		tok, err := reg.AddMember(ctx, o.actors[cfAdmin], m.name, []string{m.role})
		fatal(err)
		o.addActor(t, m.name, tok)
	}
	_, o.key, _ = ed25519.GenerateKey(rand.Reader)
	o.keyID, _, err = reg.RegisterKey(ctx, o.actors[cfSigner], o.key.Public().(ed25519.PublicKey))
	fatal(err)
	pub2, _, _ := ed25519.GenerateKey(rand.Reader)
	o.revoked, _, err = reg.RegisterKey(ctx, o.actors[cfSigner2], pub2)
	fatal(err)
	p, err := policy.Parse([]byte(cfPolicy))
	fatal(err)
	_, err = reg.AdoptPolicy(ctx, o.actors[cfAdmin], p, []byte(cfPolicy))
	fatal(err)

	alpha := o.create(t, "alpha", ".md", "text/markdown", "# Letter\n\nDear Minister,\n\nBODY is the matter at hand.\n")
	bravo := o.create(t, "bravo", ".txt", "text/plain", "Dear Minister,\n\nBODY, to be retracted.\n")
	charlie := o.create(t, "charlie", ".csv", "text/csv", "item,count\nBODY,1\n")
	// A letter supersedes only one addressed to everyone the letter it replaces was.
	delta := o.create(t, "delta", ".md", "text/markdown", "# Replacement\n\nBODY replaces the earlier annex.\n", "Minister mkraddrcharlie")
	echo := o.create(t, "echo", ".md", "text/markdown", "# Draft\n\nBODY is not ready.\n")
	o.create(t, "foxtrot", ".txt", "text/plain", "BODY, an untouched draft.\n")
	for _, l := range []*cfLetter{alpha, bravo, charlie, delta} {
		o.release(t, l)
	}
	o.withdraw(t, bravo, "", "Withdrawn because mkrreasonbravo")
	o.withdraw(t, charlie, delta.ref, "Replaced because mkrreasoncharlie")
	fatal(reg.Reject(ctx, o.actors[cfReviewer], echo.ref, "", "Needs work mkrrejectecho"))
	echo.markers = append(echo.markers, "mkrrejectecho")
	o.export, err = reg.ExportDraft(ctx, o.actors[cfDrafter], echo.ref, cfRecipient)
	fatal(err)
	_, err = reg.RevokeKey(ctx, o.actors[cfSigner2], o.revoked, cfRevokeReason)
	fatal(err)
	for _, l := range o.letters {
		o.markers = append(o.markers, l.markers...)
	}
	sort.Strings(o.markers)
	o.markers = slices.Compact(o.markers)
	o.det = cfNewDetector(o.markers)
	return o
}

// newServer serves the office afresh: a new server has its own rate limiters.
func (o *cfOffice) newServer(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(server.New(o.cfg))
	t.Cleanup(srv.Close)
	return srv
}

func (o *cfOffice) addActor(t *testing.T, name, tok string) {
	t.Helper()
	m, err := o.reg.Authenticate(context.Background(), tok)
	if err != nil {
		t.Fatal(err)
	}
	o.tokens[name] = tok
	o.actors[name] = registry.Actor{Member: m, Remote: "test"}
}

// create makes a letter whose subject, class, tags, addressee, file name and body (BODY in
// body) carry the label's markers; also are further addressees.
func (o *cfOffice) create(t *testing.T, label, ext, mediaType, body string, also ...string) *cfLetter {
	t.Helper()
	l := &cfLetter{label: label, subj: "mkrsubj" + label}
	l.subject = "Subject " + l.subj
	class, tag, addr, fname, bodyMarker := "mkrclass"+label, "mkrtag"+label, "mkraddr"+label, "mkrfname"+label, "mkrbody"+label
	l.markers = []string{l.subj, class, tag, addr, fname, bodyMarker}
	ref, err := o.reg.CreateLetter(context.Background(), o.actors[cfDrafter], registry.NewLetter{Subject: l.subject, Class: class,
		Tags: []string{tag, cfSharedTag}, Addressees: append([]string{"Minister " + addr}, also...),
		File: registry.Upload{Name: fname + ext, MediaType: mediaType, Data: []byte(strings.ReplaceAll(body, "BODY", bodyMarker))}})
	if err != nil {
		t.Fatal(err)
	}
	l.ref = ref
	o.letters[label] = l
	o.refs = append(o.refs, ref)
	return l
}

// release approves (with a marked comment), signs and releases l.
func (o *cfOffice) release(t *testing.T, l *cfLetter) {
	t.Helper()
	ctx := context.Background()
	comment := "mkrcomment" + l.label
	l.markers = append(l.markers, comment)
	if err := o.reg.Approve(ctx, o.actors[cfReviewer], l.ref, "", "Approved, "+comment); err != nil {
		t.Fatal(err)
	}
	st, err := o.reg.SigningStatement(ctx, o.actors[cfSigner], l.ref)
	if err != nil {
		t.Fatal(err)
	}
	if err := o.reg.Sign(ctx, o.actors[cfSigner], l.ref, o.keyID, st, ed25519.Sign(o.key, dsse.PAE(seal.SigningPayloadType, st))); err != nil {
		t.Fatal(err)
	}
	if l.rel, err = o.reg.Release(ctx, o.actors[cfReleaser], l.ref); err != nil {
		t.Fatal(err)
	}
}

// withdraw retracts l (by empty) or supersedes it by the letter by, for reason, whose last
// word is its marker.
func (o *cfOffice) withdraw(t *testing.T, l *cfLetter, by, reason string) {
	t.Helper()
	ctx := context.Background()
	st, pt, op, err := o.reg.WithdrawalStatement(ctx, o.actors[cfSigner], l.ref, by, reason)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.reg.Withdraw(ctx, o.actors[cfSigner], l.ref, by, o.keyID, st, op, ed25519.Sign(o.key, dsse.PAE(pt, st))); err != nil {
		t.Fatal(err)
	}
	l.reason = reason[strings.LastIndex(reason, " ")+1:]
	l.markers = append(l.markers, l.reason)
}

// releasedDigests are the digests of the released files, in hex.
func (o *cfOffice) releasedDigests() map[string]string {
	out := map[string]string{}
	for _, l := range o.letters {
		if l.rel != nil {
			out[strings.TrimPrefix(string(seal.DigestOf(l.rel.File)), "sha256:")] = l.ref
		}
	}
	return out
}

// --- HTTP ---

// cfResp is a response as received.
type cfResp struct {
	method, path string
	status       int
	header       http.Header
	body         []byte
}

func (r cfResp) String() string { return fmt.Sprintf("%s %s (%d)", r.method, r.path, r.status) }

// headerBytes is the response's header as text.
func (r cfResp) headerBytes() []byte {
	var b bytes.Buffer
	for k, vs := range r.header {
		for _, v := range vs {
			fmt.Fprintf(&b, "%s: %s\n", k, v)
		}
	}
	return b.Bytes()
}

// cfClient follows no redirect: the Location header is searched like the rest.
var cfClient = &http.Client{Timeout: time.Minute, CheckRedirect: func(*http.Request, []*http.Request) error {
	return http.ErrUseLastResponse
}}

// cfDo sends a request to srv, with the bearer token if not empty.
func cfDo(t *testing.T, srv *httptest.Server, method, path, token, ctype string, body []byte, headers ...string) cfResp {
	t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, srv.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i] == "Host" {
			req.Host = headers[i+1]
		} else {
			req.Header.Set(headers[i], headers[i+1])
		}
	}
	resp, err := cfClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return cfResp{method: method, path: path, status: resp.StatusCode, header: resp.Header, body: b}
}

func cfGet(t *testing.T, srv *httptest.Server, path string) cfResp {
	t.Helper()
	return cfDo(t, srv, "GET", path, "", "", nil)
}

// cfVerifyDigest asks the verify API about a digest, without a token.
func cfVerifyDigest(t *testing.T, srv *httptest.Server, hexDigest string) cfResp {
	t.Helper()
	return cfDo(t, srv, "POST", "/api/v1/verify", "", "application/json", []byte(`{"digest":"sha256:`+hexDigest+`","latest":true}`))
}

// cfPostDigest posts a digest to a verify page (/verify, /verify/seal) as the verify page's
// form does.
func cfPostDigest(t *testing.T, srv *httptest.Server, path, digest string) cfResp {
	t.Helper()
	return cfDo(t, srv, "POST", path, "", "application/x-www-form-urlencoded", []byte(url.Values{"digest": {digest}}.Encode()))
}

// --- The detector ---

// cfDetector finds markers in bytes: as they are or in any case, hex-encoded, JSON-escaped
// (\u00XX), URL-encoded (%XX), as HTML character references, or inside standard or URL base64
// at any of the three alignments; and it does the same inside every base64 (either alphabet,
// padded or not) and hex token it finds, to three levels of nesting.
type cfDetector struct {
	folded []*cfGroup // searched in the lower-cased bytes and their unescaped forms
	exact  []*cfGroup // searched as they are
}

// cfGroup is one encoding of every marker, searched for their common prefix first.
type cfGroup struct {
	form    string
	prefix  []byte
	needles [][]byte
	markers []string
}

func (g *cfGroup) add(marker string, needle []byte) {
	g.needles, g.markers = append(g.needles, needle), append(g.markers, marker)
	if len(g.needles) == 1 {
		g.prefix = slices.Clone(needle)
		return
	}
	n := 0
	for n < len(g.prefix) && n < len(needle) && g.prefix[n] == needle[n] {
		n++
	}
	g.prefix = g.prefix[:n]
}

func (g *cfGroup) scan(b []byte, hit func(marker, form string)) {
	if len(g.prefix) < 3 {
		for i, n := range g.needles {
			if bytes.Contains(b, n) {
				hit(g.markers[i], g.form)
			}
		}
		return
	}
	for i := 0; i < len(b); {
		j := bytes.Index(b[i:], g.prefix)
		if j < 0 {
			return
		}
		at := b[i+j:]
		for k, n := range g.needles {
			if bytes.HasPrefix(at, n) {
				hit(g.markers[k], g.form)
			}
		}
		i += j + 1
	}
}

// cfBase64Needle is the part of the encoding of marker, preceded by prefix bytes, that does
// not depend on the bytes around it.
func cfBase64Needle(enc *base64.Encoding, marker string, prefix int) []byte {
	s := enc.EncodeToString(append(make([]byte, prefix), marker...))
	start := []int{0, 2, 3}[prefix]
	end := len(s)
	if (prefix+len(marker))%3 != 0 {
		end--
	}
	return []byte(s[start:end])
}

func cfNewDetector(markers []string) *cfDetector {
	plain, hexed := &cfGroup{form: "plain"}, &cfGroup{form: "hex"}
	d := &cfDetector{folded: []*cfGroup{plain, hexed}}
	b64 := map[string]*cfGroup{}
	for _, m := range markers {
		m = strings.ToLower(m)
		plain.add(m, []byte(m))
		hexed.add(m, []byte(hex.EncodeToString([]byte(m))))
		for _, enc := range []struct {
			name string
			e    *base64.Encoding
		}{{"standard", base64.RawStdEncoding}, {"URL", base64.RawURLEncoding}} {
			for p := range 3 {
				form := fmt.Sprintf("%s base64 at alignment %d", enc.name, p)
				g := b64[form]
				if g == nil {
					g = &cfGroup{form: form}
					b64[form] = g
					d.exact = append(d.exact, g)
				}
				g.add(m, cfBase64Needle(enc.e, m, p))
			}
		}
	}
	return d
}

var (
	cfJSONEscape = regexp.MustCompile(`\\u([0-9a-fA-F]{4})`)
	cfPercent    = regexp.MustCompile(`%([0-9a-fA-F]{2})`)
	cfStdRun     = regexp.MustCompile(`[A-Za-z0-9+/]{16,}`)
	cfURLRun     = regexp.MustCompile(`[A-Za-z0-9_-]{16,}`)
	cfHexRun     = regexp.MustCompile(`[0-9a-fA-F]{32,}`)
)

func cfUnescapeJSON(b []byte) []byte {
	return cfJSONEscape.ReplaceAllFunc(b, func(m []byte) []byte {
		r, _ := strconv.ParseUint(string(m[2:]), 16, 32)
		return []byte(string(rune(r)))
	})
}

func cfUnescapeURL(b []byte) []byte {
	return cfPercent.ReplaceAllFunc(b, func(m []byte) []byte {
		v, _ := strconv.ParseUint(string(m[1:]), 16, 8)
		return []byte{byte(v)}
	})
}

// cfLayers calls fn with data and with every layer decoded from it (base64 runs of either
// alphabet at each of their four starting offsets, hex runs), down to maxDepth levels.
func cfLayers(data []byte, maxDepth int, fn func(layer []byte, depth int)) {
	seen := map[[32]byte]bool{}
	var walk func(b []byte, depth int)
	walk = func(b []byte, depth int) {
		k := sha256.Sum256(b)
		if seen[k] {
			return
		}
		seen[k] = true
		fn(b, depth)
		if depth == maxDepth {
			return
		}
		for _, dec := range cfDecodeTokens(b) {
			walk(dec, depth+1)
		}
	}
	walk(data, 0)
}

func cfDecodeTokens(b []byte) [][]byte {
	var out [][]byte
	for _, run := range cfStdRun.FindAll(b, -1) {
		out = append(out, cfDecodeRun(run, base64.RawStdEncoding)...)
	}
	for _, run := range cfURLRun.FindAll(b, -1) {
		out = append(out, cfDecodeRun(run, base64.RawURLEncoding)...)
	}
	for _, run := range cfHexRun.FindAll(b, -1) {
		for off := range 2 {
			s := run[off:]
			s = s[:len(s)&^1]
			if dec, err := hex.DecodeString(string(s)); err == nil {
				out = append(out, dec)
			}
		}
	}
	return out
}

// cfDecodeRun decodes a run of base64 characters (its padding, if any, is outside the run) at
// each starting offset, since a run may begin with characters that belong to something else.
func cfDecodeRun(run []byte, enc *base64.Encoding) [][]byte {
	var out [][]byte
	for off := 0; off < 4 && len(run)-off >= 16; off++ {
		s := run[off:]
		if len(s)%4 == 1 {
			s = s[:len(s)-1]
		}
		dec := make([]byte, enc.DecodedLen(len(s)))
		if n, err := enc.Decode(dec, s); err == nil {
			out = append(out, dec[:n])
		}
	}
	return out
}

// find returns the markers in data, each with how it was found.
func (d *cfDetector) find(data []byte) map[string]string {
	found := map[string]string{}
	cfLayers(data, 3, func(layer []byte, depth int) {
		hit := func(m, form string) {
			if _, ok := found[m]; !ok {
				found[m] = fmt.Sprintf("%s, at decoding depth %d", form, depth)
			}
		}
		for _, f := range []struct {
			how string
			b   []byte
		}{{"", layer}, {"JSON-escaped ", cfUnescapeJSON(layer)}, {"URL-encoded ", cfUnescapeURL(layer)},
			{"HTML-escaped ", []byte(html.UnescapeString(string(layer)))}} {
			low := bytes.ToLower(f.b)
			for _, g := range d.folded {
				g.scan(low, func(m, form string) { hit(m, f.how+form) })
			}
		}
		for _, g := range d.exact {
			g.scan(layer, hit)
		}
	})
	return found
}

// has reports whether data reveals marker.
func (d *cfDetector) has(data []byte, marker string) bool {
	_, ok := d.find(data)[strings.ToLower(marker)]
	return ok
}

// assertClean fails the test for every marker in r's header or body.
func (o *cfOffice) assertClean(t *testing.T, r cfResp) {
	t.Helper()
	for what, b := range map[string][]byte{"body": r.body, "header": r.headerBytes()} {
		found := o.det.find(b)
		for _, m := range slices.Sorted(maps.Keys(found)) {
			t.Errorf("LEAK: %s: %s reveals %q (%s): %s", r, what, m, found[m], cfExcerpt(b, m))
		}
	}
}

// cfExcerpt shows where a plain marker is in b, or the start of b.
func cfExcerpt(b []byte, marker string) string {
	i := bytes.Index(bytes.ToLower(b), []byte(marker))
	if i < 0 {
		if len(b) > 300 {
			b = b[:300]
		}
		return strconv.Quote(string(b))
	}
	lo, hi := max(0, i-120), min(len(b), i+len(marker)+120)
	return strconv.Quote(string(b[lo:hi]))
}

// --- The public surfaces ---

// cfTileIndex writes a tile index in groups of three digits, all but the last prefixed with x.
func cfTileIndex(n int64) string {
	s := fmt.Sprintf("%03d", n%1000)
	for n /= 1000; n > 0; n /= 1000 {
		s = fmt.Sprintf("x%03d/%s", n%1000, s)
	}
	return s
}

// cfTilePaths are the paths under /log/ of every tile and entry bundle of a tree of size
// (tile height 8, partial tiles included).
func cfTilePaths(size int64) (hashTiles, bundles []string) {
	width := func(count, n int64) string {
		if w := min(256, count-256*n); w < 256 {
			return fmt.Sprintf(".p/%d", w)
		}
		return ""
	}
	for n := int64(0); 256*n < size; n++ {
		bundles = append(bundles, "tile/entries/"+cfTileIndex(n)+width(size, n))
	}
	for level := 0; ; level++ {
		count := size >> (8 * level) // nodes at tree level 8·level
		if count == 0 {
			break
		}
		for n := int64(0); 256*n < count; n++ {
			hashTiles = append(hashTiles, fmt.Sprintf("tile/%d/%s%s", level, cfTileIndex(n), width(count, n)))
		}
	}
	return hashTiles, bundles
}

// cfSweep is what anyone can fetch.
type cfSweep struct {
	resps   []cfResp
	size    int64
	root    []byte   // the checkpoint's root hash
	entries [][]byte // every entry of the log, from the entry bundles
	hashes  [][]byte // every hash of every hash tile
	// byRef holds the answers for each reference, by path with {ref} for the reference.
	byRef map[string]map[string]cfResp
}

// allRefs are the office's references from number 0 to three past the last.
func (o *cfOffice) allRefs(t *testing.T) []string {
	last := o.refs[len(o.refs)-1]
	i := strings.LastIndex(last, "-")
	n, err := strconv.Atoi(last[i+1:])
	if err != nil || !strings.HasPrefix(last, cfPrefix+"-") {
		t.Fatalf("reference %q is not %s-YEAR-NNNNNN", last, cfPrefix)
	}
	var out []string
	for k := 0; k <= n+3; k++ {
		out = append(out, fmt.Sprintf("%s%06d", last[:i+1], k))
	}
	for _, r := range o.refs {
		if !slices.Contains(out, r) {
			t.Fatalf("reference %s is not among %v", r, out)
		}
	}
	return out
}

// sweep fetches every public surface without a token, a session or a check code, and checks
// the status of each answer.
func (o *cfOffice) sweep(t *testing.T) *cfSweep {
	t.Helper()
	sw := &cfSweep{byRef: map[string]map[string]cfResp{}}
	get := func(path string) cfResp {
		t.Helper()
		r := cfGet(t, o.srv, path)
		if r.status >= 500 {
			t.Errorf("%s: %s", r, r.body)
		}
		sw.resps = append(sw.resps, r)
		return r
	}
	want := func(r cfResp, ok ...int) {
		t.Helper()
		if !slices.Contains(ok, r.status) {
			t.Errorf("%s: status %d, want one of %v: %s", r, r.status, ok, cfExcerpt(r.body, ""))
		}
	}

	// The log.
	cp := get("/log/checkpoint")
	want(cp, 200)
	lines := strings.Split(string(cp.body), "\n")
	if len(lines) < 3 || lines[0] != cfOrigin {
		t.Fatalf("checkpoint: %q", cp.body)
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 10 {
		t.Fatalf("checkpoint size %q: %v", lines[1], err)
	}
	sw.size = size
	if sw.root, err = base64.StdEncoding.DecodeString(lines[2]); err != nil || len(sw.root) != 32 {
		t.Fatalf("checkpoint root %q: %v", lines[2], err)
	}
	want(get("/log/key"), 200)
	hashTiles, bundles := cfTilePaths(size)
	for _, p := range hashTiles {
		r := get("/log/" + p)
		want(r, 200)
		if len(r.body)%32 != 0 {
			t.Fatalf("%s: %d bytes", r, len(r.body))
		}
		for i := 0; i < len(r.body); i += 32 {
			sw.hashes = append(sw.hashes, r.body[i:i+32])
		}
	}
	for _, p := range bundles {
		r := get("/log/" + p)
		want(r, 200)
		for b := r.body; len(b) > 0; {
			if len(b) < 2 || len(b) < 2+int(binary.BigEndian.Uint16(b)) {
				t.Fatalf("%s: malformed entry bundle", r)
			}
			n := int(binary.BigEndian.Uint16(b))
			sw.entries = append(sw.entries, b[2:2+n])
			b = b[2+n:]
		}
	}
	if int64(len(sw.entries)) != size {
		t.Fatalf("the entry bundles hold %d entries, the checkpoint says %d", len(sw.entries), size)
	}
	// Every entry is a version 2 entry: its payload is a record, not a statement.
	for i, e := range sw.entries {
		d, err := entry.Decode(e)
		if err != nil {
			t.Fatalf("entry %d: %v", i, err)
		}
		if d.V() != entry.V2 {
			t.Errorf("entry %d is a version %d %s entry: its statement is public", i, d.V(), d.Kind)
		}
	}
	for i := int64(0); i < size; i++ {
		want(get(fmt.Sprintf("/log/proof/inclusion?index=%d", i)), 200)
		want(get(fmt.Sprintf("/log/proof/consistency?old=%d", i+1)), 200)
	}

	// Pages and public API.
	for _, p := range []string{"/", "/log", "/log/", "/verify", "/healthz", "/readyz", "/api/v1/trust", "/signin"} {
		want(get(p), 200)
	}
	want(get("/api/v1/policy"), 401, 403, 404)
	want(get("/inbox"), 303, 302, 401, 403)
	// Wave 2 surfaces: the witness configuration is for admins; a receipt page without a real
	// token names nothing; the verify API's freshness proof adds only log data.
	want(get("/api/v1/witnesses"), 401, 403)
	want(get("/receipt/"+strings.Repeat("A", 43)), 400, 404, 410)
	unknown := cfDo(t, o.srv, "POST", "/api/v1/verify", "", "application/json", []byte(`{"digest":"sha256:`+strings.Repeat("ab", 32)+`","latest":true}`))
	sw.resps = append(sw.resps, unknown)
	want(unknown, 200)

	// Every reference, used or not, released or not.
	states := map[string]string{}
	for _, l := range o.letters {
		states[l.ref] = registry.Unknown
		if l.rel != nil {
			states[l.ref] = registry.Valid
		}
	}
	states[o.letters["bravo"].ref] = registry.Retracted
	states[o.letters["charlie"].ref] = registry.Superseded
	for _, ref := range o.allRefs(t) {
		// get, keeping the answer by reference too.
		get := func(path string) cfResp {
			t.Helper()
			r := get(path)
			tmpl := strings.ReplaceAll(path, ref, "{ref}")
			if sw.byRef[tmpl] == nil {
				sw.byRef[tmpl] = map[string]cfResp{}
			}
			sw.byRef[tmpl][ref] = r
			return r
		}
		want(get("/v/"+ref), 200)
		want(get("/v/"+ref+"?code="), 200)
		// The refusals of another site's picture of a check code, and of a name the base URL
		// does not give (DNS rebinding), come before any lookup: the same for every reference.
		for name, headers := range map[string][]string{
			"another site's image": {"Sec-Fetch-Site", "cross-site", "Sec-Fetch-Mode", "no-cors", "Sec-Fetch-Dest", "image"},
			"another host":         {"Host", "rebind.attacker.example"},
		} {
			r := cfDo(t, o.srv, "GET", "/v/"+ref+"?code=x", "", "", nil, headers...)
			want(r, 403, 421)
			sw.resps = append(sw.resps, r)
			tmpl := name + " /v/{ref}?code=x"
			if sw.byRef[tmpl] == nil {
				sw.byRef[tmpl] = map[string]cfResp{}
			}
			sw.byRef[tmpl][ref] = r
		}
		want(get("/verify?q="+ref), 200)
		r := get("/api/v1/letters/" + ref + "/status")
		want(r, 200)
		var st map[string]any
		if err := json.Unmarshal(r.body, &st); err != nil {
			t.Fatalf("%s: %v", r, err)
		}
		for k := range st {
			if !slices.Contains([]string{"outcome", "reference", "office", "message"}, k) {
				t.Errorf("%s: the public answer by reference has %q: %s", r, k, r.body)
			}
		}
		wantOutcome := states[ref]
		if wantOutcome == "" {
			wantOutcome = registry.Unknown
		}
		if st["outcome"] != wantOutcome {
			t.Errorf("%s: outcome %v, want %s", r, st["outcome"], wantOutcome)
		}
		for _, p := range []string{"/file", "/seal"} {
			r := get("/api/v1/letters/" + ref + p)
			want(r, 401, 404)
		}
		for _, p := range []string{"", "/audit", "/signing-statement"} {
			want(get("/api/v1/letters/"+ref+p), 401, 403, 404)
		}
		for _, p := range []string{"", "/file", "/seal"} {
			want(get("/letters/"+ref+p), 302, 303, 401, 403, 404)
		}
	}
	return sw
}

// --- Tests ---

// checkDetector makes sure the detector finds a marker in each encoding it claims to see
// through, and nothing in bytes without markers.
func (o *cfOffice) checkDetector(t *testing.T) {
	t.Helper()
	m := o.letters["alpha"].subj
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	var jsonEsc, pct, ent strings.Builder
	for _, c := range []byte(m) {
		fmt.Fprintf(&jsonEsc, `\u%04x`, c)
		fmt.Fprintf(&pct, "%%%02X", c)
		fmt.Fprintf(&ent, "&#%d;", c)
	}
	samples := map[string]string{
		"plain":        "before " + m + " after",
		"upper case":   "BEFORE " + strings.ToUpper(m),
		"hex":          "x" + hex.EncodeToString([]byte("ab"+m+"cd")),
		"upper hex":    strings.ToUpper(hex.EncodeToString([]byte(m))),
		"JSON-escaped": `{"s":"` + jsonEsc.String() + `"}`,
		"URL-encoded":  "/v/x?q=" + pct.String(),
		"HTML":         "<p>" + ent.String() + "</p>",
		"nested":       `{"p":"` + b64(`{"e":"`+b64("chancery "+`{"s":"`+jsonEsc.String()+`"}`)+`"}`) + `"}`,
		"in binary":    "\x00\x93chancery-entry v2 release\n{\"payload\":\"" + b64(`{"x":"`+m+`"}`) + `"}`,
	}
	for p := range 3 {
		for i, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
			data := append([]byte("\xfb\xff"[:p]), "\xff\xfe"+m+"\xfb\xff"...)
			samples[fmt.Sprintf("base64 %d/%d", i, p)] = "=" + enc.EncodeToString(data) + "="
			// The same, run into other characters, so that the run starts misaligned.
			samples[fmt.Sprintf("base64 %d/%d run on", i, p)] = "abc" + enc.EncodeToString(data)
		}
	}
	for name, s := range samples {
		if !o.det.has([]byte(s), m) {
			t.Fatalf("the detector misses %q in its %s form: %q", m, name, s)
		}
	}
	noise := make([]byte, 64<<10)
	rand.Read(noise)
	noise = append(noise, "mkr mkrsubjalph "+b64("mkrsubjalph")+hex.EncodeToString([]byte("mkrsubjalph"))...)
	if found := o.det.find(noise); len(found) > 0 {
		t.Fatalf("the detector finds markers in noise: %v", found)
	}
}

// TestNoLeakOnPublicSurfaces fetches everything the public can fetch and finds no marker in
// it, in any encoding; the same detector finds the subject in what a holder gets.
func TestNoLeakOnPublicSurfaces(t *testing.T) {
	o := cfNewOffice(t)
	o.checkDetector(t)
	sw := o.sweep(t)
	for _, r := range sw.resps {
		o.assertClean(t, r)
	}
	t.Logf("%d public answers searched for %d markers; the log has %d entries", len(sw.resps), len(o.markers), sw.size)

	// The public must not learn which references are drafts (nor how many drafts there are):
	// on every path, a draft's reference gets the answer a reference never used gets. Two
	// unused references are compared too, as a control of the comparison itself.
	refs := o.allRefs(t)
	unused := refs[len(refs)-1]
	answer := func(r cfResp, ref string) string {
		return fmt.Sprintf("%d %s", r.status, bytes.ReplaceAll(r.body, []byte(ref), []byte("{ref}")))
	}
	for _, tmpl := range slices.Sorted(maps.Keys(sw.byRef)) {
		answers := sw.byRef[tmpl]
		want := answer(answers[unused], unused)
		for _, ref := range []string{refs[0], o.letters["echo"].ref, o.letters["foxtrot"].ref} {
			if got := answer(answers[ref], ref); got != want {
				t.Errorf("LEAK: GET %s tells the draft or unused reference %s from the unused %s:\n%s\nversus\n%s",
					tmpl, ref, unused, cfExcerpt([]byte(got), ""), cfExcerpt([]byte(want), ""))
			}
		}
	}

	// A draft's digests and its exported copy's: the public learns it is not an official
	// letter, and nothing of what it says or for whom it was exported.
	echo := o.letters["echo"]
	v, err := o.reg.Letter(context.Background(), o.actors[cfDrafter], echo.ref)
	if err != nil {
		t.Fatal(err)
	}
	drafts := []string{o.export.Digest, v.Versions[0].Digest}
	for _, l := range []string{"alpha", "bravo", "delta"} { // a released text letter's own source
		v, err := o.reg.Letter(context.Background(), o.actors[cfDrafter], o.letters[l].ref)
		if err != nil {
			t.Fatal(err)
		}
		drafts = append(drafts, v.Versions[0].Digest)
	}
	for _, d := range drafts {
		h := strings.TrimPrefix(d, "sha256:")
		for _, r := range []cfResp{cfVerifyDigest(t, o.srv, h), cfGet(t, o.srv, "/verify?digest="+d), cfGet(t, o.srv, "/verify/seal?digest="+d),
			cfPostDigest(t, o.srv, "/verify", d), cfPostDigest(t, o.srv, "/verify/seal", d)} {
			o.assertClean(t, r)
			if r.status >= 500 {
				t.Errorf("%s: %s", r, r.body)
			}
		}
	}

	// Positive controls: what a holder gets reveals the subject to the same detector.
	alpha := o.letters["alpha"]
	holder := []cfResp{
		cfGet(t, o.srv, "/api/v1/letters/"+alpha.ref+"/status?code="+alpha.rel.CheckCode),
		cfVerifyDigest(t, o.srv, strings.TrimPrefix(string(seal.DigestOf(alpha.rel.File)), "sha256:")),
		cfGet(t, o.srv, "/v/"+alpha.ref+"/"+alpha.rel.CheckCode),
	}
	for _, r := range holder {
		if r.status != 200 || !o.det.has(r.body, alpha.subj) {
			t.Errorf("positive control: %s does not reveal %q to the detector: %s", r, alpha.subj, cfExcerpt(r.body, ""))
		}
	}
	// The seal carries the subject only inside base64 (the opening's statement): the detector
	// must see through it.
	sl := cfGet(t, o.srv, "/api/v1/letters/"+alpha.ref+"/seal?code="+alpha.rel.CheckCode)
	if sl.status != 200 || bytes.Contains(bytes.ToLower(sl.body), []byte(alpha.subj)) || !o.det.has(sl.body, alpha.subj) || !o.det.has(sl.body, cfSigner) {
		t.Errorf("positive control: the seal %s, with the subject in base64 only, is not seen through: %s", sl, cfExcerpt(sl.body, ""))
	}
}

// cfDigestsIn adds to digests (hex → where) every digest-like value of b: 64 hex digits (with
// or without sha256:), and 32 bytes in base64 of either alphabet, padded or not.
var (
	cfHex64  = regexp.MustCompile(`[0-9a-fA-F]+`)
	cfStd44  = regexp.MustCompile(`[A-Za-z0-9+/]+=*`)
	cfURL44  = regexp.MustCompile(`[A-Za-z0-9_-]+=*`)
	cfB64For = map[*regexp.Regexp][2]*base64.Encoding{
		cfStd44: {base64.StdEncoding, base64.RawStdEncoding},
		cfURL44: {base64.URLEncoding, base64.RawURLEncoding},
	}
)

func cfDigestsIn(b []byte, where string, digests map[string]string) {
	add := func(raw []byte) {
		h := hex.EncodeToString(raw)
		if _, ok := digests[h]; !ok {
			digests[h] = where
		}
	}
	for _, run := range cfHex64.FindAll(b, -1) {
		if len(run) == 64 {
			raw, _ := hex.DecodeString(string(run))
			add(raw)
		}
	}
	for re, encs := range cfB64For {
		for _, run := range re.FindAll(b, -1) {
			var raw []byte
			var err error
			switch {
			case len(run) == 44 && run[43] == '=' && run[42] != '=':
				raw, err = encs[0].DecodeString(string(run))
			case len(run) == 43 && run[42] != '=':
				raw, err = encs[1].DecodeString(string(run))
			default:
				continue
			}
			if err == nil && len(raw) == 32 {
				add(raw)
			}
		}
	}
}

// TestDigestIsACapability presents every digest-like value the public can find as a file's
// digest: none is a released file's, and no answer reveals anything.
func TestDigestIsACapability(t *testing.T) {
	o := cfNewOffice(t)
	sw := o.sweep(t)
	digests := map[string]string{}
	for _, r := range sw.resps {
		for what, b := range map[string][]byte{"body": r.body, "header": r.headerBytes()} {
			where := r.String() + " " + what
			cfLayers(b, 3, func(layer []byte, depth int) { cfDigestsIn(layer, fmt.Sprintf("%s, depth %d", where, depth), digests) })
		}
	}
	for i, h := range sw.hashes {
		digests[hex.EncodeToString(h)] = fmt.Sprintf("hash tile hash %d", i)
	}
	for i, e := range sw.entries {
		leaf := sha256.Sum256(append([]byte{0}, e...))
		whole := sha256.Sum256(e)
		digests[hex.EncodeToString(leaf[:])] = fmt.Sprintf("leaf hash of entry %d", i)
		digests[hex.EncodeToString(whole[:])] = fmt.Sprintf("SHA-256 of entry %d", i)
		d, err := entry.Decode(e)
		if err != nil {
			t.Fatal(err)
		}
		p := sha256.Sum256(d.Envelope.Payload)
		digests[hex.EncodeToString(p[:])] = fmt.Sprintf("SHA-256 of the payload of entry %d", i)
		rec, err := seal.Record(d)
		if err != nil {
			t.Fatalf("entry %d: %v", i, err)
		}
		// The record's commitment must have been found by the scan of the public answers.
		var c []byte
		switch rec := rec.(type) {
		case *seal.ReleaseRecord:
			c = rec.Commitment
			if rec.Disclosed != nil {
				t.Errorf("entry %d discloses %+v under a policy that discloses nothing", i, rec.Disclosed)
			}
		case *seal.RetractionRecord:
			c = rec.Commitment
		case *seal.SupersessionRecord:
			c = rec.Commitment
		case *seal.KeyRecord:
			c = rec.Commitment
		case *seal.PolicyRecord:
			c = rec.Commitment
		}
		if _, ok := digests[hex.EncodeToString(c)]; !ok || len(c) != 32 {
			t.Errorf("the commitment %x of entry %d was not collected from the public answers", c, i)
		}
	}
	// The collection is what it should be: the root, the signer's key ID.
	for what, h := range map[string]string{"root hash": hex.EncodeToString(sw.root), "key ID": o.keyID, "revoked key ID": o.revoked} {
		if _, ok := digests[h]; !ok {
			t.Errorf("the %s %s was not collected", what, h)
		}
	}
	released := o.releasedDigests()
	for h, ref := range released {
		if where, ok := digests[h]; ok {
			t.Errorf("LEAK: the digest of the released file of %s is public: %s", ref, where)
		}
	}
	t.Logf("%d digest-like values from %d public answers and %d entries", len(digests), len(sw.resps), len(sw.entries))

	verdict := regexp.MustCompile(`<h1 id="verdict">([^<]*)</h1>`)
	for _, h := range slices.Sorted(maps.Keys(digests)) {
		r := cfVerifyDigest(t, o.srv, h)
		o.assertClean(t, r)
		var st struct{ Outcome string }
		if r.status != 200 || json.Unmarshal(r.body, &st) != nil {
			t.Errorf("%s for %s (%s): %s", r, h, digests[h], r.body)
		} else if st.Outcome != registry.Unknown {
			t.Errorf("LEAK: %s (%s) is %s to the verify API: %s", h, digests[h], st.Outcome, r.body)
		}
		for _, p := range []cfResp{cfGet(t, o.srv, "/verify?digest=sha256:"+h), cfPostDigest(t, o.srv, "/verify", "sha256:"+h)} {
			o.assertClean(t, p)
			if m := verdict.FindSubmatch(p.body); p.status != 200 || m == nil || string(m[1]) != "Unknown to this registry" {
				t.Errorf("%s (%s): not unknown to the verify page: %s", p, digests[h], cfExcerpt(p.body, ""))
			}
		}
	}

	// Positive control: the released file's digest, which its holder has, reveals the subject.
	for _, l := range []*cfLetter{o.letters["alpha"], o.letters["charlie"]} {
		h := strings.TrimPrefix(string(seal.DigestOf(l.rel.File)), "sha256:")
		for _, r := range []cfResp{cfVerifyDigest(t, o.srv, h), cfGet(t, o.srv, "/verify?digest=sha256:"+h), cfPostDigest(t, o.srv, "/verify", "sha256:"+h)} {
			if r.status != 200 || !o.det.has(r.body, l.subj) {
				t.Errorf("positive control: %s for the released file of %s does not reveal %q: %s", r, l.ref, l.subj, cfExcerpt(r.body, ""))
			}
		}
	}
}

// cfChange returns code with its i-th character changed.
func cfChange(code string, i int) string {
	c := byte('a')
	if code[i] == 'a' {
		c = 'b'
	}
	return code[:i] + string(c) + code[i+1:]
}

// cfNewCode is a code of the form of a check code, but no letter's.
func cfNewCode() string {
	b := make([]byte, 16)
	rand.Read(b)
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

// TestCheckCodes: the check code printed on a letter opens it to its holder, on the verify
// page and in the API; no other code does, and wrong codes are rate limited.
func TestCheckCodes(t *testing.T) {
	o := cfNewOffice(t)
	alpha, bravo, delta := o.letters["alpha"], o.letters["bravo"], o.letters["delta"]
	code := alpha.rel.CheckCode
	if !registry.ValidCheckCodeForm(code) || code != strings.ToLower(code) || len(code) != 26 {
		t.Fatalf("check code %q", code)
	}
	verifier, err := seal.NewVerifier(o.reg.TrustRoot())
	if err != nil {
		t.Fatal(err)
	}
	digest := seal.DigestOf(alpha.rel.File)

	t.Run("right code", func(t *testing.T) {
		page := cfGet(t, o.srv, "/v/"+alpha.ref+"/"+code)
		link := `href="/v/` + alpha.ref + `/` + code + `/file"`
		if page.status != 200 || !bytes.Contains(page.body, []byte(alpha.subj)) || !bytes.Contains(page.body, []byte(link)) {
			t.Fatalf("%s: want the subject %q and the link %s: %s", page, alpha.subj, link, cfExcerpt(page.body, ""))
		}
		for _, p := range []string{"/v/" + alpha.ref + "/" + code + "/file", "/api/v1/letters/" + alpha.ref + "/file?code=" + code} {
			f := cfGet(t, o.srv, p)
			if f.status != 200 || !bytes.Equal(f.body, alpha.rel.File) {
				t.Fatalf("%s: not the released bytes (%d bytes, want %d)", f, len(f.body), len(alpha.rel.File))
			}
			if ct := f.header.Get("Content-Type"); ct != "application/pdf" {
				t.Errorf("%s: Content-Type %q", f, ct)
			}
			if cc := f.header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("%s: Cache-Control %q, want no-store: a holder's file", f, cc)
			}
		}
		r := cfGet(t, o.srv, "/api/v1/letters/"+alpha.ref+"/status?code="+code)
		var st struct {
			Outcome, Subject string
			FileDigest       string `json:"file_digest"`
			Signers          []string
		}
		if r.status != 200 || json.Unmarshal(r.body, &st) != nil || st.Outcome != registry.Valid || st.Subject != alpha.subject ||
			!slices.Equal(st.Signers, []string{cfSigner}) || st.FileDigest != string(digest) {
			t.Fatalf("%s: %s", r, r.body)
		}
		for _, p := range []string{"/api/v1/letters/" + alpha.ref + "/seal?code=" + code, "/v/" + alpha.ref + "/" + code + "/seal"} {
			r := cfGet(t, o.srv, p)
			if r.status != 200 {
				t.Fatalf("%s: %s", r, r.body)
			}
			s, err := seal.Parse(r.body)
			if err != nil {
				t.Fatalf("%s: %v", r, err)
			}
			res, err := verifier.Verify(s, digest)
			if err != nil {
				t.Fatalf("%s: the seal does not verify offline: %v", r, err)
			}
			if res.Statement.Subject != alpha.subject || res.Statement.Reference != alpha.ref || !slices.Equal(res.Signers, []string{cfSigner}) {
				t.Fatalf("%s: the seal opens to %+v, signers %v", r, res.Statement.Letter, res.Signers)
			}
		}
		// The web page takes the code in any case, as typed from the paper.
		if up := cfGet(t, o.srv, "/v/"+alpha.ref+"/"+strings.ToUpper(code)); up.status != 200 || !bytes.Contains(up.body, []byte(alpha.subj)) {
			t.Errorf("%s: the code in upper case does not open the letter on the web page", up)
		}
		// So does the API.
		if up := cfGet(t, o.newServer(t), "/api/v1/letters/"+alpha.ref+"/status?code="+strings.ToUpper(code)); !bytes.Contains(up.body, []byte(alpha.subj)) {
			t.Errorf("%s: the API does not take the right code in upper case", up)
		}
		// The form on the public page sends the code typed in to the holder's page.
		if r := cfGet(t, o.srv, "/v/"+alpha.ref+"?code="+url.QueryEscape(strings.ToUpper(code[:13])+" "+code[13:])); r.status != http.StatusSeeOther ||
			r.header.Get("Location") != "/v/"+alpha.ref+"/"+code {
			t.Errorf("%s: Location %q", r, r.header.Get("Location"))
		}
	})

	t.Run("wrong codes", func(t *testing.T) {
		wrong := map[string]string{
			"a code of no letter":            cfNewCode(),
			"a truncated code":               code[:len(code)-1],
			"another letter's code":          delta.rel.CheckCode,
			"another letter's code in upper": strings.ToUpper(delta.rel.CheckCode),
			"the code with a letter changed": cfChange(code, 10),
		}
		for what, c := range wrong {
			// A fresh server per code: each costs the client up to 6 tokens of a burst of 10.
			srv := o.newServer(t)
			{
				page := cfGet(t, srv, "/v/"+alpha.ref+"/"+c)
				o.assertClean(t, page)
				if page.status != 200 || bytes.Contains(page.body, []byte("/file\"")) {
					t.Errorf("%s (%s): %s", page, what, cfExcerpt(page.body, ""))
				}
				for _, p := range []string{"/file", "/seal"} {
					r := cfGet(t, srv, "/v/"+alpha.ref+"/"+c+p)
					o.assertClean(t, r)
					if r.status != 404 {
						t.Errorf("%s (%s): status %d", r, what, r.status)
					}
				}
			}
			r := cfGet(t, srv, "/api/v1/letters/"+alpha.ref+"/status?code="+url.QueryEscape(c))
			o.assertClean(t, r)
			var st map[string]any
			if r.status != 200 || json.Unmarshal(r.body, &st) != nil || st["outcome"] != registry.Valid || st["subject"] != nil || st["seal"] != nil {
				t.Errorf("%s (%s): %s", r, what, r.body)
			}
			for _, p := range []string{"/file", "/seal"} {
				r := cfGet(t, srv, "/api/v1/letters/"+alpha.ref+p+"?code="+url.QueryEscape(c))
				o.assertClean(t, r)
				if r.status != 404 {
					t.Errorf("%s (%s): status %d", r, what, r.status)
				}
			}
		}
	})

	t.Run("rate limit", func(t *testing.T) {
		srv := o.newServer(t)
		paths := []string{"/v/" + alpha.ref + "/%s", "/api/v1/letters/" + alpha.ref + "/status?code=%s",
			"/api/v1/letters/" + alpha.ref + "/file?code=%s", "/v/" + alpha.ref + "/%s/seal", "/api/v1/letters/" + bravo.ref + "/seal?code=%s"}
		for i := range server.CodeBurst {
			r := cfGet(t, srv, fmt.Sprintf(paths[i%len(paths)], cfNewCode()))
			if r.status == http.StatusTooManyRequests {
				t.Fatalf("wrong code %d of a burst of %d: %s", i+1, server.CodeBurst, r)
			}
		}
		for _, p := range paths {
			r := cfGet(t, srv, fmt.Sprintf(p, cfNewCode()))
			o.assertClean(t, r)
			if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" {
				t.Errorf("%s after %d wrong codes: status %d, want 429 with Retry-After", r, server.CodeBurst, r.status)
			}
		}
		// The public answer by reference is not a code: it is not limited by wrong codes.
		if r := cfGet(t, srv, "/v/"+alpha.ref); r.status != 200 {
			t.Errorf("%s after %d wrong codes: %d", r, server.CodeBurst, r.status)
		}
		if r := cfGet(t, srv, "/api/v1/letters/"+alpha.ref+"/status"); r.status != 200 {
			t.Errorf("%s after %d wrong codes: %d", r, server.CodeBurst, r.status)
		}
		// Another server (another client, as far as limits go) is not affected.
		if r := cfGet(t, o.srv, "/api/v1/letters/"+alpha.ref+"/status?code="+cfNewCode()); r.status != 200 {
			t.Errorf("%s: %d", r, r.status)
		}
		// Once wrong codes are limited, the right code gets the same 429: the answer cannot
		// tell a right code from a wrong one, so the limit holds against a search.
		for _, p := range []string{"/api/v1/letters/" + alpha.ref + "/status?code=" + code, "/v/" + alpha.ref + "/" + code,
			"/api/v1/letters/" + alpha.ref + "/file?code=" + code, "/v/" + alpha.ref + "/" + code + "/seal"} {
			if r := cfGet(t, srv, p); r.status != http.StatusTooManyRequests || bytes.Contains(r.body, []byte(alpha.subj)) {
				t.Errorf("%s: the right code after %d wrong ones: %d, want 429", r, server.CodeBurst, r.status)
			}
		}
	})

	t.Run("retracted", func(t *testing.T) {
		bc := bravo.rel.CheckCode
		for _, p := range []string{"/v/" + bravo.ref + "/" + bc, "/api/v1/letters/" + bravo.ref + "/status?code=" + bc} {
			r := cfGet(t, o.srv, p)
			if r.status != 200 || !bytes.Contains(r.body, []byte(bravo.reason)) || !bytes.Contains(r.body, []byte(bravo.subj)) {
				t.Errorf("%s: the holder does not see the reason %q: %s", r, bravo.reason, cfExcerpt(r.body, ""))
			}
		}
		for _, p := range []string{"/v/" + bravo.ref, "/api/v1/letters/" + bravo.ref + "/status", "/verify?q=" + bravo.ref} {
			r := cfGet(t, o.srv, p)
			o.assertClean(t, r)
			if r.status != 200 || (!bytes.Contains(bytes.ToLower(r.body), []byte("withdrawn")) && !bytes.Contains(r.body, []byte(registry.Retracted))) {
				t.Errorf("%s: the public is not told that the letter was withdrawn: %s", r, cfExcerpt(r.body, ""))
			}
		}
	})
}

// TestMemberSeesEverything: a member with a role, by token, gets the holder's answer and the
// file by reference alone.
func TestMemberSeesEverything(t *testing.T) {
	o := cfNewOffice(t)
	tok := o.tokens[cfReviewer]
	for _, l := range []*cfLetter{o.letters["alpha"], o.letters["bravo"], o.letters["charlie"]} {
		r := cfDo(t, o.srv, "GET", "/api/v1/letters/"+l.ref+"/status", tok, "", nil)
		var st struct {
			Outcome, Subject, Class, Reason string
			FileDigest                      string `json:"file_digest"`
			Signers                         []string
			Seal                            json.RawMessage
		}
		if r.status != 200 || json.Unmarshal(r.body, &st) != nil {
			t.Fatalf("%s: %s", r, r.body)
		}
		if st.Subject != l.subject || st.Class != "mkrclass"+l.label || !slices.Equal(st.Signers, []string{cfSigner}) ||
			st.FileDigest != string(seal.DigestOf(l.rel.File)) || len(st.Seal) == 0 || (l.reason != "" && !strings.Contains(st.Reason, l.reason)) {
			t.Errorf("%s: the member's answer lacks something: %s", r, r.body)
		}
		f := cfDo(t, o.srv, "GET", "/api/v1/letters/"+l.ref+"/file", tok, "", nil)
		if f.status != 200 || !bytes.Equal(f.body, l.rel.File) {
			t.Errorf("%s: not the released bytes", f)
		}
		s := cfDo(t, o.srv, "GET", "/api/v1/letters/"+l.ref+"/seal", tok, "", nil)
		if s.status != 200 || !o.det.has(s.body, l.subj) {
			t.Errorf("%s: no seal opening to the subject", s)
		}
		v := cfDo(t, o.srv, "GET", "/api/v1/letters/"+l.ref, tok, "", nil)
		if v.status != 200 || !bytes.Contains(v.body, []byte(l.subj)) || !bytes.Contains(v.body, []byte("mkrcomment"+l.label)) {
			t.Errorf("%s: %s", v, cfExcerpt(v.body, ""))
		}
	}
	// The draft's status by reference is the member's too: unknown as a release.
	r := cfDo(t, o.srv, "GET", "/api/v1/letters/"+o.letters["echo"].ref+"/status", tok, "", nil)
	if r.status != 200 {
		t.Errorf("%s: %s", r, r.body)
	}
	// Without the token, the same requests are the public's.
	for _, p := range []string{"/file", "/seal"} {
		if r := cfGet(t, o.srv, "/api/v1/letters/"+o.letters["alpha"].ref+p); r.status != 401 && r.status != 404 {
			t.Errorf("%s: %d", r, r.status)
		}
	}
}
