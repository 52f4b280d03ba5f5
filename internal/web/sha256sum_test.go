package web_test

import (
	"crypto/sha256"
	"encoding/hex"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/server"
)

// TestVerifyTakesTheLineSha256sumPrints: the verify page without JavaScript says to compute
// the digest with sha256sum and paste it; the line sha256sum prints (the digest, then the
// file's name), or PowerShell's Get-FileHash, or certutil -hashfile's lines, is answered for
// its digest. A text with two digests, or none, is still refused.
func TestVerifyTakesTheLineSha256sumPrints(t *testing.T) {
	o := newOffice(t, server.Config{RateLimit: -1})
	ref := o.letter("Coordination", "# Coordination\n\nSir,\n")
	sum := sha256.Sum256(o.release(ref))
	h := hex.EncodeToString(sum[:])
	for _, q := range []string{
		h + "  " + ref + ".pdf",
		h + " *" + ref + ".pdf",
		"\\" + h + "  my\\\\letter.pdf",
		"SHA256          " + strings.ToUpper(h) + "       C:\\Users\\me\\" + ref + ".pdf",
		// certutil -hashfile's lines, joined by the one-line field; before Windows 10 it
		// writes the bytes apart.
		"SHA256 hash of " + ref + ".pdf: " + h + " CertUtil: -hashfile command completed successfully.",
		"SHA256 hash of file " + ref + ".pdf: " + bytesApart(h) + " CertUtil: -hashfile command completed successfully.",
	} {
		resp, body := o.client().get("/verify?q=" + url.QueryEscape(q))
		if resp.StatusCode != http.StatusOK || !strings.Contains(html.UnescapeString(body), "Released and valid") {
			t.Errorf("GET /verify?q=%s: %s\n%s", q, resp.Status, mainOf(body))
		}
	}
	for _, q := range []string{h + "  " + h, "a letter.pdf", ref + " " + h + "x",
		bytesApart(h) + " : " + bytesApart(h), "hash: " + bytesApart(h) + " 00", "hash: " + bytesApart(h)[3:]} {
		if resp, _ := o.client().get("/verify?q=" + url.QueryEscape(q)); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("GET /verify?q=%s: %s; want 400", q, resp.Status)
		}
	}
}

// bytesApart writes the hexadecimal digest h as certutil did before Windows 10: its bytes
// apart, "0d 75 3b …".
func bytesApart(h string) string {
	var b strings.Builder
	for i := 0; i < len(h); i += 2 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(h[i : i+2])
	}
	return b.String()
}

// TestVerifyRefusesAPasteWithTwoDigests: a paste holding a digest written as one word and
// another written bytes apart, as certutil wrote it before Windows 10 (two tools' answers
// copied together, one file's and another's), was answered for the word alone, "Released and
// valid", whichever file the reader meant to check (found by review of 517d2cd, fifty-eighth
// session). It is refused, as a paste with two digests written as words is, typed in the
// field or given in the address.
func TestVerifyRefusesAPasteWithTwoDigests(t *testing.T) {
	o := newOffice(t, server.Config{RateLimit: -1})
	ref := o.letter("Coordination", "# Coordination\n\nSir,\n")
	sum := sha256.Sum256(o.release(ref))
	h := hex.EncodeToString(sum[:])
	other := strings.Repeat("0d", sha256.Size)
	const done = " CertUtil: -hashfile command completed successfully."
	for _, q := range []string{
		h + "  " + ref + ".pdf SHA256 hash of file copy.pdf: " + bytesApart(other) + done,
		"SHA256 hash of file copy.pdf: " + bytesApart(other) + done + " " + h + "  " + ref + ".pdf",
		"SHA256 hash of " + ref + ".pdf: " + h + done + " SHA256 hash of file " + ref + ".pdf: " + bytesApart(h) + done,
	} {
		if resp, body := o.client().get("/verify?q=" + url.QueryEscape(q)); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("GET /verify?q=%s: %s; want 400\n%s", q, resp.Status, mainOf(body))
		}
		resp, body := o.client().do("POST", "/verify", url.Values{"q": {q}}, map[string]string{"Origin": o.srv.URL, "Sec-Fetch-Site": "same-origin"})
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(html.UnescapeString(body), "neither a reference") {
			t.Errorf("POST /verify q=%s: %s; want 400\n%s", q, resp.Status, mainOf(body))
		}
	}
}

// TestVerifyRefusesADigestOfAnotherHashFunction: a line whose tool names another hash function
// than SHA-256 before 64 hexadecimal digits (openssl dgst -sha3-256, shasum -a 512256 --tag,
// b2sum -l 256 --tag) was read as the file's SHA-256 digest, and the genuine letter's file was
// answered "Unknown to this registry … It may be altered, forged" (found by review of 517d2cd,
// fifty-eighth session). It is refused, saying a SHA-256 digest is wanted; the lines of the
// tools that name SHA-256 are taken, and a file's name in brackets after the digest is no name
// of a hash function.
func TestVerifyRefusesADigestOfAnotherHashFunction(t *testing.T) {
	o := newOffice(t, server.Config{RateLimit: -1})
	ref := o.letter("Coordination", "# Coordination\n\nSir,\n")
	sum := sha256.Sum256(o.release(ref))
	h := hex.EncodeToString(sum[:])
	post := func(q string) (*http.Response, string) {
		return o.client().do("POST", "/verify", url.Values{"q": {q}}, map[string]string{"Origin": o.srv.URL, "Sec-Fetch-Site": "same-origin"})
	}
	for _, q := range []string{
		"SHA3-256(" + ref + ".pdf)= " + h,
		"SHA512-256(" + ref + ".pdf)= " + h,
		"BLAKE2S-256(" + ref + ".pdf)= " + h,
		"SHA512/256 (" + ref + ".pdf) = " + h,
		"BLAKE2b-256 (" + ref + ".pdf) = " + h,
		"SHA3_256 hash of " + ref + ".pdf: " + h + " CertUtil: -hashfile command completed successfully.",
	} {
		if resp, body := o.client().get("/verify?q=" + url.QueryEscape(q)); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("GET /verify?q=%s: %s; want 400\n%s", q, resp.Status, mainOf(body))
		}
		if resp, body := post(q); resp.StatusCode != http.StatusBadRequest || !strings.Contains(html.UnescapeString(body), "nor a SHA-256 digest") {
			t.Errorf("POST /verify q=%s: %s; want 400\n%s", q, resp.Status, mainOf(body))
		}
	}
	for _, q := range []string{
		"SHA2-256(" + ref + ".pdf)= " + h,
		"SHA256(" + ref + ".pdf)= " + h,
		"SHA256 (" + ref + ".pdf) = " + h,
		"sha-256 (" + ref + ".pdf) = " + h,
		h + "  (copy) " + ref + ".pdf",
		// certutil's lines for SHA-1, its default, then for SHA-256, copied together.
		"SHA1 hash of " + ref + ".pdf: " + strings.Repeat("0d", 20) + " CertUtil: -hashfile command completed successfully. " +
			"SHA256 hash of " + ref + ".pdf: " + h + " CertUtil: -hashfile command completed successfully.",
		"SHA1 hash of file " + ref + ".pdf: " + bytesApart(strings.Repeat("0d", 20)) + " CertUtil: -hashfile command completed successfully. " +
			"SHA256 hash of file " + ref + ".pdf: " + bytesApart(h) + " CertUtil: -hashfile command completed successfully.",
	} {
		if resp, body := post(q); resp.StatusCode != http.StatusOK || !strings.Contains(html.UnescapeString(body), "Released and valid") {
			t.Errorf("POST /verify q=%s: %s\n%s", q, resp.Status, mainOf(body))
		}
	}
}

// TestVerifyAnswersASealsPastedDigest: the page without JavaScript says to compute the file's
// fingerprint with sha256sum; a reader who ran it on the seal beside the letter (FILE.seal)
// and pasted the line was told "Unknown to this registry … It may be altered, forged", of a
// genuine letter, where the page's script says of a seal file chosen that it is a seal (found
// by review of 517d2cd, fifty-eighth session, live). The line naming a seal file is answered
// so, in the reader's language.
func TestVerifyAnswersASealsPastedDigest(t *testing.T) {
	o := newOffice(t, server.Config{RateLimit: -1})
	ref := o.letter("Coordination", "# Coordination\n\nSir,\n")
	o.release(ref)
	sum := sha256.Sum256([]byte("the seal's bytes"))
	h := hex.EncodeToString(sum[:])
	said := map[string]string{"en": "fingerprint of a seal file, not of a letter", "fr": "l'empreinte d'un fichier de sceau", "ar": "هذه بصمة ملف ختم"}
	for _, q := range []string{
		h + "  " + ref + ".pdf.seal",
		"SHA256 hash of C:\\Users\\me\\Downloads\\" + ref + ".pdf.seal: " + h + " CertUtil: -hashfile command completed successfully.",
		"SHA2-256(" + ref + ".PDF.SEAL)= " + h,
		"SHA256          " + strings.ToUpper(h) + "       C:\\Users\\me\\" + ref + ".pdf.seal",
	} {
		for lang, want := range said {
			hdr := map[string]string{"Accept-Language": lang}
			if resp, body := o.client().do("GET", "/verify?q="+url.QueryEscape(q), nil, hdr); resp.StatusCode != http.StatusBadRequest || !strings.Contains(html.UnescapeString(body), want) {
				t.Errorf("%s: GET /verify?q=%s: %s\n%s", lang, q, resp.Status, mainOf(body))
			}
			hdr["Origin"], hdr["Sec-Fetch-Site"] = o.srv.URL, "same-origin"
			if resp, body := o.client().do("POST", "/verify", url.Values{"q": {q}}, hdr); resp.StatusCode != http.StatusBadRequest || !strings.Contains(html.UnescapeString(body), want) {
				t.Errorf("%s: POST /verify q=%s: %s\n%s", lang, q, resp.Status, mainOf(body))
			}
		}
	}
	// The same digest with a letter's name is looked up, and unknown.
	if resp, body := o.client().get("/verify?q=" + url.QueryEscape(h+"  "+ref+".pdf")); resp.StatusCode != http.StatusOK || !strings.Contains(html.UnescapeString(body), "Unknown to this registry") {
		t.Errorf("a letter's line: %s\n%s", resp.Status, mainOf(body))
	}
}
