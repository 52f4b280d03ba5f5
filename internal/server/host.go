package server

import (
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
)

// DNS rebinding: a page of another site whose name its owner points, after loading, at the
// registry's address (an intranet host, or 127.0.0.1 for the demo) has the browser send its
// scripts' requests to the registry as same-origin requests of that site, answers readable.
// Cookies stay with the registry's own name, so what it reaches is what needs no sign-in,
// and with a known password (the demo's) a session of its own. Such a request names the
// other site in Host: one the base URL does not name is refused.

// baseHost returns the host name of the base URL, lower case and without a final dot, or ""
// when there is none (a server without a configured public URL, as in tests, checks no Host).
func baseHost(base string) string {
	u, err := url.Parse(base)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
}

// hostAllowed reports whether a request naming host (its Host header) may be served: the
// base URL's host at any port, and the names no rebinding page can have, since nobody can
// point them elsewhere in public DNS: IP addresses (a proxy that sends the upstream's
// address, a health check by address), names without a dot (localhost, an intranet's short
// names, a container's service name) and names under .localhost.
func hostAllowed(host, base string) bool {
	if base == "" || host == "" {
		return true
	}
	name := hostName(host)
	return name == base || localName(name)
}

// hostName is the name a Host header gives, lower case, without port, brackets or final dot.
func hostName(host string) string {
	name := host
	if h, _, err := net.SplitHostPort(host); err == nil {
		name = h
	}
	return strings.TrimSuffix(strings.ToLower(strings.TrimSuffix(strings.TrimPrefix(name, "["), "]")), ".")
}

// localName reports whether name is one no rebinding page can have: an IP address, a name
// without a dot, or a name under .localhost.
func localName(name string) bool {
	if !strings.Contains(name, ".") || strings.HasSuffix(name, ".localhost") {
		return true
	}
	_, err := netip.ParseAddr(name)
	return err == nil
}

// LocalNames serves an operator's listener (the profiler, metrics), which is reached by its
// address: a request that names it by a name with a dot, which a rebinding page of any site
// the operator visits could point at 127.0.0.1, is answered 421. names are the names with a
// dot it answers at too (the office's own, the one it listens on: names the office's own DNS
// gives, no other site's page), each a host name with or without a port; empty ones are
// ignored.
func LocalNames(h http.Handler, names ...string) http.Handler {
	also := map[string]bool{}
	var shown []string
	for _, n := range names {
		if n = hostName(n); n != "" && !localName(n) && !also[n] {
			also[n] = true
			shown = append(shown, n)
		}
	}
	refusal := "this listener answers only at an address (such as 127.0.0.1), localhost or a name without a dot"
	if len(shown) > 0 {
		refusal = "this listener answers only at an address (such as 127.0.0.1), localhost, a name without a dot or " + strings.Join(shown, ", ")
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if name := hostName(r.Host); r.Host != "" && !localName(name) && !also[name] {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(http.StatusMisdirectedRequest)
			w.Write([]byte(refusal + "\n"))
			return
		}
		h.ServeHTTP(w, r)
	})
}

// hostChecked reports whether the check of the Host header applies to r: health checks are
// answered whatever the name, since they tell nothing a rebinding page could use.
func hostChecked(r *http.Request) bool {
	return r.URL.Path != "/healthz" && r.URL.Path != "/readyz"
}

// misdirected answers a request whose Host the server does not answer for.
func misdirected(w http.ResponseWriter, r *http.Request, base string) {
	refuse(w, r, http.StatusMisdirectedRequest, "this registry answers at "+base+", not at the name this request gave (its Host header); "+
		"behind a reverse proxy, pass the Host header on (nginx: proxy_set_header Host $host;)")
}

// embeddedElsewhere reports whether r is a request a page of another site makes without
// navigating to the address: an image, script, frame, prefetch or script's fetch, which the
// visitor never sees. Each such request to a public endpoint spends the visitor's public
// rate limit, and with a check code their limit of wrong codes, so that a page showing ten
// invisible images of wrong codes would lock its visitors out of their letters' QR code
// pages. Browsers say so in fetch metadata (to secure origins: HTTPS and loopback); a
// navigation from another site (a link in a mail, the provider's return after sign-in, a
// phone's camera opening a QR code, which sends Sec-Fetch-Site none) and a program (no such
// headers) are served.
func embeddedElsewhere(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "cross-site", "same-site":
	default:
		return false
	}
	if r.Header.Get("Sec-Purpose") != "" || r.Header.Get("Purpose") == "prefetch" {
		return true
	}
	dest := r.Header.Get("Sec-Fetch-Dest")
	return r.Header.Get("Sec-Fetch-Mode") != "navigate" || dest != "" && dest != "document"
}

// refuseEmbedded answers a request embeddedElsewhere, before any limit counts it.
func refuseEmbedded(w http.ResponseWriter, r *http.Request) {
	refuse(w, r, http.StatusForbidden, "another site's page cannot load this address; open it as a page")
}
