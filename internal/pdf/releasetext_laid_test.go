package pdf_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/officeca/officecatest"
	"github.com/chancery/chancery/internal/pdf"
)

// laidFragments are pieces of text the random letters below are made of: every script the
// renderer lays out, ligatures (ffi, lam-alef), reordered and combining clusters, spaces
// that trimming removes (no-break, ideographic), invisible characters, characters outside
// the Basic Multilingual Plane, the bytes a content stream escapes, and text only spaces.
var laidFragments = []string{
	"office affine effluent flaw", "ﬁne print", "Naïve café façade", "e\u0301le\u0300ve", "Straße Ærøskøbing Łódź",
	"(parenthesised) back\\slash", "a ( b ) c \\ d", "100 % sure", "line\u00a0end\u00a0", "\u3000全角\u3000",
	"zero\u200bwidth", "joi\u200dner non\u200cjoiner", "soft\u00adhyphen", "\u200f", "   ", "\u00a0",
	"لا إله", "معالي الوزير، تلقينا رسالتكم", "כבוד השר, קיבלנו", "Arabic ١٢٣ and 123 mixed عربي text",
	"क्षत्रिय श्री", "हमें दलों के बीच समन्वय", "Συνάντηση Δεκεμβρίου", "Совещание 3 декабря",
	"尊敬的部长先生", "会議の日程は追って連絡します。", "회의 일정은", "𠀀𠀁 supplementary 𝐀𝐁",
	"«quoted» — “typographic” ‘marks’…", "tab\there", "x",
}

// usable is laidFragments without those the installed fonts cannot draw.
func usable(t *testing.T) []string {
	var out []string
	for _, f := range laidFragments {
		if pdf.CheckText("body", f) == nil {
			out = append(out, f)
		}
	}
	if len(out) < len(laidFragments)*3/4 {
		t.Fatalf("only %d of %d fragments can be drawn", len(out), len(laidFragments))
	}
	return out
}

// randomLetter returns a random letter made of frags: its media type, body and letterhead.
func randomLetter(rnd *rand.Rand, frags []string) (string, []byte, pdf.Letterhead) {
	pick := func() string { return frags[rnd.IntN(len(frags))] }
	phrase := func(n int) string {
		var b strings.Builder
		for i := range n {
			if i > 0 {
				b.WriteString([]string{" ", " ", " ", "  ", "\t", ", "}[rnd.IntN(6)])
			}
			b.WriteString(pick())
		}
		return b.String()
	}
	seps := []string{"\n\n", "\n\n", "\n", "\r\n", "\r\n\r\n", "\n\n\n", "\u2028", "\u2029", "\n \n", "\n\t\n"}
	mediaType := "text/plain"
	markdown := rnd.IntN(2) == 0
	if markdown {
		mediaType = "text/markdown"
	}
	// Now and then a letter of several pages.
	paras := 1 + rnd.IntN(8)
	if rnd.IntN(4) == 0 {
		paras = 20 + rnd.IntN(120)
	}
	var b strings.Builder
	for i := range paras {
		if i > 0 {
			b.WriteString(seps[rnd.IntN(len(seps))])
		}
		p := phrase(1 + rnd.IntN(30))
		if markdown {
			switch rnd.IntN(12) {
			case 0:
				p = "# " + p
			case 1:
				p = "## " + p
			case 2:
				p = "- " + p + "\n- " + phrase(2) + "\n  - " + phrase(2)
			case 3:
				p = "1. " + p + "\n2. " + phrase(3)
			case 4:
				p = "> " + p
			case 5:
				p = "*" + pick() + "* and **" + pick() + "** and ***" + pick() + "*** " + p
			case 6:
				p = "`" + pick() + "` then [" + pick() + "](https://example.org/a(b)) <https://example.org/x> " + p
			case 7:
				p = "```\n" + p + "\n\tindented code\n```"
			case 8:
				p = "<div>" + p + "</div>"
			case 9:
				p = "---\n\n" + p + "  \nhard break ![an image](img.png)"
			}
		}
		b.WriteString(p)
	}
	h := pdf.Letterhead{Office: phrase(1 + rnd.IntN(3)), Reference: fmt.Sprintf("TFN-%d", rnd.IntN(100000)), Subject: phrase(rnd.IntN(4))}
	if rnd.IntN(3) > 0 {
		h.Date = time.Date(2026, time.Month(1+rnd.IntN(12)), 1+rnd.IntN(28), 0, 0, 0, 0, time.UTC)
	}
	for range rnd.IntN(5) {
		h.Addressees = append(h.Addressees, phrase(1+rnd.IntN(2)))
	}
	for range rnd.IntN(7) {
		h.Signatories = append(h.Signatories, phrase(1+rnd.IntN(2)))
	}
	return mediaType, []byte(b.String()), h
}

// TestReleaseTextIsReleasedText checks that the text RenderReleaseText and
// RenderEnclosureReleaseText gather while laying a release out is exactly the string
// ReleasedText reads from the document they return (and so Text's, TestReleasedTextIsText),
// and that the (unsigned) document is RenderRelease's (RenderEnclosureRelease's): a release's
// fingerprint, which identification of a holder's copy depends on, is computed from that
// text without reading the document back. The letters: fixed ones (every script, Markdown of
// many pages, enclosures) and random ones of every shape, signed and unsigned, in one to three
// stamp languages.
func TestReleaseTextIsReleasedText(t *testing.T) {
	signer := officecatest.Signer(t, "Task Force North")
	type release struct {
		name       string
		mediaType  string
		body       []byte
		head       pdf.Letterhead
		enclosure  *pdf.Enclosure
		languages  []string
		withSigner bool
	}
	var releases []release
	add := func(r release) {
		releases = append(releases, r, r)
		releases[len(releases)-1].withSigner = true
	}
	add(release{name: "plain", mediaType: "text/plain", body: []byte(strings.Repeat("The arrangements of the meeting are confirmed.\n", 6)), head: head})
	add(release{name: "markdown-40", mediaType: "text/markdown", body: body(40), head: head})
	add(release{name: "empty", mediaType: "text/plain", body: nil, head: pdf.Letterhead{Office: "O", Reference: "R"}})
	for _, sl := range scriptLetters {
		h := head
		h.Subject = sl.subject
		add(release{name: "script-" + sl.name, mediaType: "text/markdown", body: []byte(strings.Join(sl.paragraphs, "\n\n")), head: h})
	}
	e := enclosed()
	add(release{name: "enclosure", head: head, enclosure: &e})
	add(release{name: "enclosure-paren", head: head, enclosure: &pdf.Enclosure{Name: "report (draft.zip", MediaType: "application/zip", Data: []byte("PK")}})
	add(release{name: "enclosure-empty", head: head, enclosure: &pdf.Enclosure{Name: "x", MediaType: "application/octet-stream"}})

	frags := usable(t)
	rnd := rand.New(rand.NewPCG(19, 4))
	languages := [][]string{nil, {"en"}, {"fr"}, {"ar", "en"}, {"en", "fr", "ar"}}
	for i := range 120 {
		mt, b, h := randomLetter(rnd, frags)
		r := release{name: fmt.Sprintf("random-%d", i), mediaType: mt, body: b, head: h, languages: languages[rnd.IntN(len(languages))], withSigner: i%3 == 0}
		if i%5 == 0 {
			n := rnd.IntN(3000)
			data := make([]byte, n)
			for j := range data {
				data[j] = byte(rnd.Uint32())
			}
			r.enclosure = &pdf.Enclosure{Name: frags[rnd.IntN(len(frags))] + ".bin", MediaType: []string{"application/octet-stream", "application/zip", "text/csv; charset=utf-8"}[rnd.IntN(3)], Data: data}
		}
		releases = append(releases, r)
	}

	pages := 0
	for _, r := range releases {
		var s *pdf.Signer
		if r.withSigner {
			s = signer
		}
		f := footer
		f.Languages = r.languages
		var (
			rel  *pdf.Release
			want []byte
			err  error
		)
		if r.enclosure != nil {
			if rel, err = pdf.RenderEnclosureReleaseText(*r.enclosure, r.head, f, s); err == nil {
				want, err = pdf.RenderEnclosureRelease(*r.enclosure, r.head, f, s)
			}
		} else if rel, err = pdf.RenderReleaseText(r.mediaType, r.body, r.head, f, s); err == nil {
			want, err = pdf.RenderRelease(r.mediaType, r.body, r.head, f, s)
		}
		if err != nil {
			t.Fatalf("%s: %v", r.name, err)
		}
		// A signature differs from one signing to the next.
		if s == nil && !bytes.Equal(rel.Doc, want) {
			t.Errorf("%s: the document is not the one RenderRelease gives", r.name)
		}
		read, err := pdf.ReleasedText(rel.Doc)
		if !rel.HasText {
			t.Errorf("%s (signed %v): no laid-out text", r.name, s != nil)
			continue
		}
		if err != nil {
			t.Fatalf("%s (signed %v): ReleasedText: %v", r.name, s != nil, err)
		}
		if rel.Text != read {
			t.Errorf("%s (signed %v): laid-out text\n%q\nReleasedText\n%q", r.name, s != nil, rel.Text, read)
		}
		info, err := pdf.Check(rel.Doc)
		if err != nil {
			t.Fatalf("%s: %v", r.name, err)
		}
		pages += info.Pages
	}
	if pages < len(releases)*3/2 {
		t.Errorf("%d releases of %d pages in all", len(releases), pages)
	}
	t.Logf("%d releases, %d pages", len(releases), pages)
}
