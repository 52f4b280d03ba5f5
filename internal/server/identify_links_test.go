package server

import (
	"errors"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/ocr"
)

// TestCheckLinks: the links of an identification request are what OCR read beside a scan or a
// PDF's pages, no more of them than a PDF read is taken with, none longer than 64 KiB.
func TestCheckLinks(t *testing.T) {
	many := make([]string, ocr.MaxLinks+1)
	for i := range many {
		many[i] = "https://example.org/"
	}
	for _, c := range []struct {
		name  string
		links []string
		read  bool
		ok    bool
	}{
		{"none", nil, false, true},
		{"with a scan", []string{"https://example.org/"}, true, true},
		{"without a scan or pages", []string{"https://example.org/"}, false, false},
		{"too many", many, true, false},
		{"as many as a PDF may have", many[1:], true, true},
		{"too long", []string{strings.Repeat("a", maxLinkLen+1)}, true, false},
	} {
		err := checkLinks(c.links, c.read)
		if c.ok != (err == nil) || err != nil && !errors.Is(err, errBadRequest) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}
