package registry

import "testing"

// TestMessageIDHost: the right side of a Message-ID (RFC 5322 msg-id) is a dot-atom or a
// literal in brackets. An office served at an IPv6 address, or under a name in other letters
// than ASCII's, made Message-IDs some mail servers refuse (suspected by audit, forty-eighth
// session). An internationalised name is written as its A-labels (fifty-sixth session's
// not-fixed list: such an office's Message-IDs, and its greeting, were chancery.invalid).
func TestMessageIDHost(t *testing.T) {
	for url, want := range map[string]string{
		"https://letters.tfn.example":      "letters.tfn.example",
		"https://letters.tfn.example:8443": "letters.tfn.example",
		"http://127.0.0.1:8080":            "[127.0.0.1]",
		"https://[2001:db8::1]:8443":       "[2001:db8::1]",
		"https://bürö.example":             "xn--br-gkaw.example",
		"https://Ministère.Example":        "xn--ministre-60a.example",
		"https://-a.example":               "chancery.invalid",
		"https://xn--zz.example":           "chancery.invalid",
		"https://xn--br-yiaa.example":      "xn--br-yiaa.example",
		"":                                 "chancery.invalid",
		"https://a..example":               "chancery.invalid",
	} {
		if got := messageIDHost(url); got != want {
			t.Errorf("messageIDHost(%q) = %q, want %q", url, got, want)
		}
	}
}
