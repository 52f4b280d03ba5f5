package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/identify/synth"
	"github.com/chancery/chancery/internal/server"
)

// TestIdentifyPastedText: pasted text finds its released letter for anyone, and the same
// words with a sign changed are an altered copy; a draft's text is "not an official letter"
// for the public and the draft for a member; a cross-site post is refused.
func TestIdentifyPastedText(t *testing.T) {
	o := newOffice(t, server.Config{RateLimit: -1})
	corpus := synth.Corpus{Seed: 3, FamilySize: 1}
	released, draft := corpus.Letter(0).Text()+"\n\nThe budget changes by -15% this year.\n", corpus.Letter(1).Text()
	ref := o.letter("Released", released)
	o.release(ref)
	draftRef := o.letter("Draft", draft)

	public := o.client()
	resp, body := public.post("/verify/text", url.Values{"text": {strings.ToLower(released)}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "The text of a released letter") || !strings.Contains(body, ref) {
		t.Fatalf("released text: %s\n%s", resp.Status, body)
	}
	// The same words with another sign are not the letter's text: what differs is shown.
	_, body = public.post("/verify/text", url.Values{"text": {strings.Replace(released, "-15%", "+15%", 1)}})
	if !strings.Contains(body, "Altered") || !strings.Contains(body, "<ins>&#43;</ins>") || strings.Contains(body, "The text of a released letter") {
		t.Fatalf("released text with a sign changed: %s", body)
	}
	_, body = public.post("/verify/text", url.Values{"text": {draft}})
	if !strings.Contains(body, "Not an official letter of this office") || strings.Contains(body, draftRef) {
		t.Fatalf("draft text, public: %s", body)
	}
	member := o.client()
	member.signIn("rita")
	_, body = member.post("/verify/text", url.Values{"text": {draft}})
	if !strings.Contains(body, "NOT AN OFFICIAL DOCUMENT") || !strings.Contains(body, draftRef) {
		t.Fatalf("draft text, member: %s", body)
	}
	resp, _ = public.do("POST", "/verify/text", url.Values{"text": {released}}, map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"})
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site post: %s, want 403", resp.Status)
	}
}

// TestIdentifyTooLongATextSaysSo: a pasted text whose form is over the page's bound, which
// the text box lets through in most scripts (69,000 Arabic characters of its 200,000 are sent
// as 354 KB: six bytes a letter), is refused as too long (413, in the page's language), with
// what to do: paste a part. Before, the page said only "bad request" (400).
func TestIdentifyTooLongATextSaysSo(t *testing.T) {
	o := newOffice(t, server.Config{RateLimit: -1})
	text := strings.Repeat("بسم الله الرحمن الرحيم ", 3000)
	resp, body := o.client().post("/verify/text", url.Values{"text": {text}})
	if want := "the text is too long to identify at once: paste a part of it"; resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(body, want) {
		t.Errorf("%d characters pasted: %s; want 413 saying %q", len([]rune(text)), resp.Status, want)
	}
	resp, body = o.client().do("POST", "/verify/text", url.Values{"text": {text}}, map[string]string{"Accept-Language": "ar", "Sec-Fetch-Site": "same-origin"})
	if want := "النص أطول من أن يُتعرَّف عليه دفعة واحدة"; resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(body, want) {
		t.Errorf("in Arabic: %s; want 413 saying %q", resp.Status, want)
	}
}

// TestIdentifyDifferenceInTheReadersLanguage: the public answer to an altered text counts the
// letter's words it lacks, and says so in the page's language, as the rest of the page does.
func TestIdentifyDifferenceInTheReadersLanguage(t *testing.T) {
	o := newOffice(t, server.Config{RateLimit: -1})
	released := synth.Corpus{Seed: 3, FamilySize: 1}.Letter(0).Text()
	o.release(o.letter("Released", released))
	words := strings.Fields(released)
	// One word dropped, then three further on.
	altered := strings.Join(slices.Concat(words[:40], words[41:80], words[83:]), " ")
	c := o.client()
	for _, tc := range []struct{ lang, one, three string }{
		{"en", "[1 word of the letter not in this text]", "[3 words of the letter not in this text]"},
		{"fr", "[1 mot de la lettre absent de ce texte]", "[3 mots de la lettre absents de ce texte]"},
		{"ar", "[كلمة واحدة من الرسالة ليست في هذا النص]", "[3 من كلمات الرسالة ليست في هذا النص]"},
	} {
		resp, body := c.do("POST", "/verify/text", url.Values{"text": {altered}}, map[string]string{
			"Origin": o.srv.URL, "Sec-Fetch-Site": "same-origin", "Accept-Language": tc.lang})
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "<del>") {
			t.Fatalf("%s: %s, no difference shown:\n%s", tc.lang, resp.Status, prose(body))
		}
		if !strings.Contains(body, tc.one) || !strings.Contains(body, tc.three) {
			t.Errorf("%s: the difference does not say %q and %q:\n%s", tc.lang, tc.one, tc.three, diffOf(body))
		}
		if tc.lang != "en" && strings.Contains(body, "of the letter not in this text") {
			t.Errorf("%s: the difference is in English:\n%s", tc.lang, diffOf(body))
		}
	}
}

// diffOf is the difference shown on an identified page.
func diffOf(body string) string {
	_, after, _ := strings.Cut(body, `<pre class="diff"`)
	diff, _, _ := strings.Cut(after, "</pre>")
	return diff
}
