package registry

import (
	"context"
	"strings"
	"testing"
	"unicode"

	"github.com/chancery/chancery/internal/officeca/officecatest"
	"github.com/chancery/chancery/internal/seal"
	"golang.org/x/text/unicode/norm"
)

// stampWords are the words of s, normalised (NFKC, no bidi controls, no spaces): pdftotext
// may cut a right-to-left word where a letter does not join the next, so texts are compared
// without their spaces (and a line mixing directions by its pieces of one direction).
func stampWords(s string) string {
	s = norm.NFKC.String(s)
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.Is(unicode.Bidi_Control, r) {
			return -1
		}
		return r
	}, s)
}

// TestStampLanguages: an office that stamps in English and Arabic, or in French, releases a
// letter whose footer says so on every page, with a QR code that still reads and a PDF
// signature that is still valid, and whose draft copies are marked in those languages; the
// released letter verifies.
func TestStampLanguages(t *testing.T) {
	for _, name := range []string{"pdftotext", "pdfsig", "certutil", "zbarimg", "pdftoppm"} {
		tool(t, name)
	}
	ctx := context.Background()
	pdfSigner := officecatest.Signer(t, "Task Force North")
	nss := t.TempDir()
	output(t, "certutil", "-N", "--empty-password", "-d", "sql:"+nss)
	for _, c := range []struct {
		langs        []string
		footer, mark []string
		absent       string
	}{
		{[]string{"en", "ar"},
			[]string{"Official letter, released", "رسالة رسمية", "صدرت بتاريخ", "امسح الرمز أو افتح العنوان أعلاه للتحقق من هذه الرسالة"},
			[]string{"DRAFT — NOT AN OFFICIAL DOCUMENT", "Coordination copy for Liaison cell", "مسودة — ليست وثيقة رسمية", "نسخة تنسيق إلى"},
			"Lettre officielle"},
		{[]string{"fr"},
			[]string{"Lettre officielle, émise le", "Vérifier sur", "Scannez le code ou ouvrez l'adresse pour vérifier cette lettre dans le journal public du service."},
			[]string{"PROJET — DOCUMENT NON OFFICIEL", "Copie de coordination pour Liaison cell", "par dana"},
			"DRAFT"},
		{[]string{"en", "fr", "ar"},
			// Short phrases: in three narrow columns, a longer one may span a line break,
			// which pdftotext reads with a hyphen dropped or a full stop moved.
			[]string{"Official letter, released", "Lettre officielle, émise le", "رسالة رسمية", "Scannez le code ou ouvrez",
				"امسح الرمز أو افتح العنوان أعلاه"},
			[]string{"DRAFT — NOT AN OFFICIAL DOCUMENT", "PROJET — DOCUMENT NON OFFICIEL", "مسودة — ليست وثيقة رسمية", "Copie de coordination pour Liaison cell"},
			"PREVIEW"},
	} {
		t.Run(strings.Join(c.langs, ","), func(t *testing.T) {
			o := newOffice(t)
			o.r.cfg.PDFSigner = pdfSigner
			o.r.cfg.Office.StampLanguages = c.langs
			ref := o.letter(t, "Dear Minister,\n\nThe forces will be repositioned.")

			copy, err := o.r.ExportDraft(ctx, o.drafter, ref, "Liaison cell")
			if err != nil {
				t.Fatal(err)
			}
			draft := stampWords(pageText(t, writeFile(t, "draft.pdf", copy.Data), 1))
			for _, w := range c.mark {
				if !strings.Contains(draft, stampWords(w)) {
					t.Errorf("the draft copy lacks %q:\n%s", w, draft)
				}
			}
			if c.absent == "DRAFT" && strings.Contains(draft, "DRAFT") {
				t.Errorf("a French office's draft copy is marked in English:\n%s", draft)
			}

			o.approve(t, ref)
			if err := o.sign(t, ref); err != nil {
				t.Fatal(err)
			}
			rel, err := o.r.Release(ctx, o.officer, ref)
			if err != nil {
				t.Fatal(err)
			}
			file := writeFile(t, "released.pdf", rel.File)
			url := o.r.VerifyURL(ref, rel.CheckCode)
			page := stampWords(pageText(t, file, 1))
			for _, w := range append(c.footer, "Task Force North · "+ref, url) {
				if !strings.Contains(page, stampWords(w)) {
					t.Errorf("the released letter lacks %q:\n%s", w, page)
				}
			}
			if strings.Contains(page, stampWords(c.absent)) {
				t.Errorf("the released letter has %q, a language the office did not choose", c.absent)
			}
			requireSignedWithQR(t, nss, file, url)
			if st, err := o.r.VerifyDigest(ctx, Actor{}, seal.DigestOf(rel.File)); err != nil || st.Outcome != Valid {
				t.Fatalf("verify the released PDF: %+v, %v", st, err)
			}
		})
	}
}
