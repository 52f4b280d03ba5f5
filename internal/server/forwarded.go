package server

import (
	"fmt"
	"net/netip"
	"strings"
)

// ParseTrustedProxies reads the addresses of reverse proxies whose X-Forwarded-For the server
// believes: each an IP address or a network in CIDR notation (127.0.0.1, ::1, 10.0.0.0/8).
func ParseTrustedProxies(list []string) ([]netip.Prefix, error) {
	var ps []netip.Prefix
	for _, s := range list {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if p, err := netip.ParsePrefix(s); err == nil {
			ps = append(ps, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(s)
		if err != nil || a.Zone() != "" {
			return nil, fmt.Errorf("trusted proxy %q is neither an IP address nor a network such as 10.0.0.0/8", s)
		}
		a = a.Unmap()
		ps = append(ps, netip.PrefixFrom(a, a.BitLen()))
	}
	return ps, nil
}

// trusted reports whether a is one of the trusted proxies.
func trusted(a netip.Addr, proxies []netip.Prefix) bool {
	a = a.Unmap()
	for _, p := range proxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// clientAddr returns the address of the client a request came from, as RemoteAddr is
// written (address and port), when the connection's peer (remote) is a trusted proxy: the
// X-Forwarded-For entries are read from the right, the proxies' own appends, and the first
// address that is not a trusted proxy is the client. Entries to its left were written by
// the client and are never believed. It returns remote unchanged when the peer is not a
// trusted proxy, when the header is absent, or when the entry that would name the client is
// not an address (a proxy that does not write the header as it should: its own address then
// stands for all its clients, as without the setting).
func clientAddr(remote string, xff []string, proxies []netip.Prefix) string {
	peer, err := netip.ParseAddrPort(remote)
	if err != nil || !trusted(peer.Addr(), proxies) || len(xff) == 0 {
		return remote
	}
	var client netip.Addr
	for i := len(xff) - 1; i >= 0; i-- {
		entries := strings.Split(xff[i], ",")
		for j := len(entries) - 1; j >= 0; j-- {
			a, err := netip.ParseAddr(strings.TrimSpace(entries[j]))
			if err != nil || a.Zone() != "" {
				if client.IsValid() {
					return netip.AddrPortFrom(client, 0).String()
				}
				return remote
			}
			client = a.Unmap()
			if !trusted(client, proxies) {
				return netip.AddrPortFrom(client, 0).String()
			}
		}
	}
	if client.IsValid() {
		// Every entry is a trusted proxy: the leftmost is as near the client as is known.
		return netip.AddrPortFrom(client, 0).String()
	}
	return remote
}
