package server_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/chancery/chancery/internal/accesslog"
	"github.com/chancery/chancery/internal/metrics"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/server"
	"github.com/chancery/chancery/internal/syncbuf"
)

// scrape fetches the metrics endpoint over HTTP and parses it as Prometheus's text format.
func scrape(t *testing.T, url string) (map[string]*dto.MetricFamily, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var raw bytes.Buffer
	raw.ReadFrom(resp.Body)
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(bytes.NewReader(raw.Bytes()))
	if err != nil {
		t.Fatalf("parse metrics: %v\n%s", err, raw.String())
	}
	return fams, raw.String()
}

// value is the value of the metric of family name with these labels (a counter's or gauge's
// value, a histogram's count), or 0 when there is none.
func value(fams map[string]*dto.MetricFamily, name string, labels ...string) float64 {
	f := fams[name]
	if f == nil {
		return 0
	}
next:
	for _, m := range f.Metric {
		for i := 0; i+1 < len(labels); i += 2 {
			found := false
			for _, l := range m.Label {
				if l.GetName() == labels[i] && l.GetValue() == labels[i+1] {
					found = true
				}
			}
			if !found {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue()
		case m.Gauge != nil:
			return m.Gauge.GetValue()
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount())
		}
	}
	return 0
}

// The metrics move with a release and a verify, and say nothing of the letter.
func TestMetricsAfterReleaseAndVerify(t *testing.T) {
	o := cfNewOffice(t)
	ms := httptest.NewServer(metrics.Handler())
	defer ms.Close()
	before, _ := scrape(t, ms.URL)

	l := o.create(t, "golf", ".md", "text/markdown", "# Letter\n\nDear Minister,\n\nBODY golf.\n")
	o.release(t, l)
	code := l.rel.CheckCode
	if r := cfGet(t, o.srv, "/v/"+l.ref+"/"+code); r.status != http.StatusOK {
		t.Fatalf("holder's page: %d", r.status)
	}
	hexDigest := strings.TrimPrefix(string(seal.DigestOf(l.rel.File)), "sha256:")
	if r := cfVerifyDigest(t, o.srv, hexDigest); r.status != http.StatusOK {
		t.Fatalf("verify by digest: %d", r.status)
	}
	if r := cfGet(t, o.srv, "/v/"+l.ref+"/"+strings.Repeat("2", len(code))); r.status != http.StatusOK {
		t.Fatalf("wrong code: %d", r.status)
	}
	after, text := scrape(t, ms.URL)

	grew := func(name string, by float64, labels ...string) {
		t.Helper()
		b, a := value(before, name, labels...), value(after, name, labels...)
		if a-b < by {
			t.Errorf("%s%v went from %v to %v, want +%v at least", name, labels, b, a, by)
		}
	}
	grew("chancery_releases_total", 1)
	grew("chancery_verify_answers_total", 2, "outcome", "valid") // the holder's page and the digest
	grew("chancery_log_append_seconds", 1)
	grew("chancery_log_append_to_checkpoint_seconds", 1)
	grew("chancery_log_checkpoints_published_total", 1)
	grew("chancery_http_requests_total", 2, "route", "GET /v/{ref}/{code}", "code", "200")
	grew("chancery_http_request_duration_seconds", 2, "route", "GET /v/{ref}/{code}")
	if got, want := value(after, "chancery_log_entries"), float64(l.rel.LogIndex+1); got < want {
		t.Errorf("chancery_log_entries = %v, want at least %v", got, want)
	}
	// No label, no value: nothing of the letter, its code or its digest is in the metrics.
	for _, secret := range append([]string{l.ref, code, hexDigest, l.subject}, o.markers...) {
		if strings.Contains(text, secret) {
			t.Errorf("the metrics reveal %q", secret)
		}
	}
}

// The access log is JSON lines, one per request with its request ID, and no check code is in
// it, wherever the client put the code.
func TestAccessLogJSONRedactsCheckCodes(t *testing.T) {
	o := cfNewOffice(t)
	var logs syncbuf.Buffer
	cfg := o.cfg
	cfg.AccessLog = true
	logger, err := accesslog.NewLogger(&logs, "json")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Logger = logger
	srv := httptest.NewServer(server.New(cfg))
	defer srv.Close()
	l := o.letters["alpha"]
	code := l.rel.CheckCode
	hexDigest := strings.TrimPrefix(string(seal.DigestOf(l.rel.File)), "sha256:")
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(path, id string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		if id != "" {
			req.Header.Set(accesslog.Header, id)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	paths := []string{
		"/v/" + l.ref + "/" + code,
		"/v/" + l.ref + "/" + code + "/file",
		"/v/" + l.ref + "/" + code + "/seal",
		"/v/" + l.ref + "?code=" + code,
		"/v/" + l.ref + "/" + code + "/" + code + "/" + code,
		"/api/v1/letters/" + l.ref + "/status?code=" + code,
		"/verify?digest=" + hexDigest,
		"/log/checkpoint",
	}
	ids := map[string]bool{}
	for _, p := range paths {
		resp := get(p, "")
		id := resp.Header.Get(accesslog.Header)
		if !regexp.MustCompile(`^[a-z2-7]{16}$`).MatchString(id) {
			t.Errorf("GET %s: X-Request-ID %q, want a generated one", p, id)
		}
		ids[id] = true
	}
	if len(ids) != len(paths) {
		t.Errorf("%d requests got %d request IDs", len(paths), len(ids))
	}
	// A sane incoming ID is kept and echoed; anything else is replaced.
	if got := get("/healthz", "lb-7f3a:42").Header.Get(accesslog.Header); got != "lb-7f3a:42" {
		t.Errorf("incoming request ID came back as %q", got)
	}
	if got := get("/healthz", "<script>"+code).Header.Get(accesslog.Header); strings.Contains(got, code) || got == "" {
		t.Errorf("an insane incoming request ID came back as %q", got)
	}

	// A response whose body fills the connection's buffer (the PDF) reaches the client before
	// its handler returns and logs; Close waits for every handler, as serve does before Flush.
	srv.Close()
	accesslog.Flush(logger)
	out := logs.String()
	for _, secret := range []string{code, hexDigest, "code="} {
		if strings.Contains(out, secret) {
			t.Errorf("the access log holds %q:\n%s", secret, out)
		}
	}
	sc := bufio.NewScanner(strings.NewReader(out))
	n := 0
	routes := map[string]bool{}
	for sc.Scan() {
		var line struct {
			Msg        string   `json:"msg"`
			Method     string   `json:"method"`
			Route      string   `json:"route"`
			Path       string   `json:"path"`
			Status     int      `json:"status"`
			Bytes      *int64   `json:"bytes"`
			DurationMS *float64 `json:"duration_ms"`
			RequestID  string   `json:"request_id"`
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("log line is not JSON: %v: %s", err, sc.Text())
		}
		if line.Msg != "request" {
			continue
		}
		n++
		if line.Method != "GET" || line.Status == 0 || line.Bytes == nil || line.DurationMS == nil || line.RequestID == "" {
			t.Errorf("incomplete access log line: %s", sc.Text())
		}
		if strings.HasPrefix(line.Path, "/v/") && line.Path != "/v/"+accesslog.Redacted && !strings.HasPrefix(line.Path, "/v/"+accesslog.Redacted+"/"+accesslog.Redacted) {
			t.Errorf("path logged as %q", line.Path)
		}
		routes[line.Route] = true
	}
	if n != len(paths)+2 {
		t.Errorf("%d access log lines for %d requests:\n%s", n, len(paths)+2, out)
	}
	for _, r := range []string{"GET /v/{ref}/{code}", "GET /v/{ref}/{code}/file", "GET /v/{ref}", "GET /verify", "GET /log/checkpoint"} {
		if !routes[r] {
			t.Errorf("no access log line with route %q: %v", r, routes)
		}
	}
}

// The text format is key=value lines, with the request ID.
func TestAccessLogText(t *testing.T) {
	var logs syncbuf.Buffer
	logger, err := accesslog.NewLogger(&logs, "text")
	if err != nil {
		t.Fatal(err)
	}
	o := cfNewOffice(t)
	cfg := o.cfg
	cfg.AccessLog, cfg.Logger = true, logger
	srv := httptest.NewServer(server.New(cfg))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	srv.Close() // every handler has returned, and logged
	accesslog.Flush(logger)
	id := resp.Header.Get(accesslog.Header)
	want := regexp.MustCompile(`level=INFO msg=request method=GET route="GET /healthz" path=/healthz status=200 bytes=3 duration_ms=[0-9.]+ request_id=` + id + `\n`)
	if !want.MatchString(logs.String()) {
		t.Errorf("text access log:\n%s", logs.String())
	}
	if _, err := accesslog.NewLogger(&logs, "yaml"); err == nil {
		t.Error("an unknown log format was accepted")
	}
}

// TestAccessLogKeepsReferencesAndNamesOut: the members' routes of one letter or one member
// were logged with their path, so the office's log (and wherever its shipper sends it) told
// which drafts exist and what was done with them, and which members were given roles; /v/
// lines gave the reference, and for a signed-in member's view of a draft, bytes of their own.
func TestAccessLogKeepsReferencesAndNamesOut(t *testing.T) {
	o := cfNewOffice(t)
	var logs syncbuf.Buffer
	cfg := o.cfg
	cfg.AccessLog = true
	logger, err := accesslog.NewLogger(&logs, "json")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Logger = logger
	srv := httptest.NewServer(server.New(cfg))
	defer srv.Close()
	echo, foxtrot := o.letters["echo"].ref, o.letters["foxtrot"].ref
	admin := o.tokens[cfAdmin]
	for _, req := range []struct{ method, path, token, body string }{
		{"GET", "/api/v1/letters/" + echo, admin, ""},
		{"GET", "/api/v1/letters/" + echo + "/audit", admin, ""},
		{"GET", "/api/v1/letters/" + foxtrot + "/status", admin, ""},
		{"POST", "/api/v1/letters/" + foxtrot + "/approve", o.tokens[cfReviewer], `{}`},
		{"GET", "/api/v1/members/" + cfDrafter, admin, ""},
		{"POST", "/api/v1/members/" + cfReviewer + "/roles", admin, `{"add":["drafter"]}`},
		{"GET", "/letters/" + echo, "", ""},
		{"GET", "//letters/" + foxtrot, "", ""},
		{"POST", "/admin/members/" + cfSigner + "/disable", "", ""},
		{"GET", "/v/" + echo, "", ""},
	} {
		r := cfDo(t, srv, req.method, req.path, req.token, "application/json", []byte(req.body))
		if r.status >= 500 {
			t.Errorf("%s: %d %s", r, r.status, r.body)
		}
	}
	srv.Close()
	accesslog.Flush(logger)
	out := logs.String()
	if n := strings.Count(out, `"msg":"request"`); n != 10 {
		t.Errorf("%d access log lines for 10 requests:\n%s", n, out)
	}
	for _, secret := range []string{echo, foxtrot, cfDrafter, cfReviewer, cfSigner} {
		if strings.Contains(out, secret) {
			t.Errorf("the access log holds %q:\n%s", secret, out)
		}
	}
}
