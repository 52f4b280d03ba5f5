package pdf_test

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/officeca"
	"github.com/chancery/chancery/internal/officeca/officecatest"
	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/pdf/pdftest"
	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
)

var (
	released = time.Date(2026, 3, 2, 14, 30, 0, 0, time.UTC)
	footer   = pdf.Footer{
		Office:    "Task Force North",
		Reference: "TFN-2026-0042",
		Released:  released,
		VerifyURL: "https://registry.tfn.example/v/TFN-2026-0042",
	}
	head = pdf.Letterhead{
		Office:      "Task Force North",
		Reference:   "TFN-2026-0042",
		Subject:     "Coordination of force movements",
		Date:        released,
		Addressees:  []string{"Ministry of Defence", "Liaison cell — Brussels"},
		Signatories: []string{"Sam Signer, Commander", "Rita Reviewer, Chief of Staff"},
	}
)

// requireTool returns the path of an external tool, skipping the test when it is missing,
// unless CHANCERY_REQUIRE_TOOLS=1 makes that a failure.
func requireTool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CHANCERY_REQUIRE_TOOLS") == "1" {
			t.Fatalf("%s is required (CHANCERY_REQUIRE_TOOLS=1): %v", name, err)
		}
		t.Skipf("%s not installed", name)
	}
	return p
}

func run(t testing.TB, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(requireTool(t, name), args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

func writeTemp(t testing.TB, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// body returns a Markdown letter of n numbered sections.
func body(n int) []byte {
	var b strings.Builder
	b.WriteString("# Coordination of force movements\n\nSir,\n\nWe write about the *planned* movements and the **coordination** they need.\n\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "## Section %d\n\nParagraph %d states that the units of sector %d will move only after the coordination "+
			"with the liaison cell has ended, and that no movement is announced before then. Naïve café façade — "+
			"accents render in the core fonts.\n\n- first point of section %d\n- second point, with `code`\n\n1. numbered one\n2. numbered two\n\n", i, i, i, i)
	}
	b.WriteString("> Quoted: nothing in this letter is final until released.\n\nYours faithfully,\n")
	return []byte(b.String())
}

// letter renders a letter of at least pages pages.
func letter(t testing.TB, pages int) []byte {
	t.Helper()
	for n := pages * 3; ; n += 2 {
		out, err := pdf.Render("text/markdown", body(n), head)
		if err != nil {
			t.Fatal(err)
		}
		info, err := pdf.Check(out)
		if err != nil {
			t.Fatal(err)
		}
		if info.Pages >= pages {
			return out
		}
	}
}

func pageCount(t testing.TB, data []byte) int {
	t.Helper()
	info, err := pdf.Check(data)
	if err != nil {
		t.Fatal(err)
	}
	return info.Pages
}

// pageText is pdftotext's text of page i, with white space collapsed.
func pageText(t testing.TB, file string, i int) string {
	t.Helper()
	out := run(t, "pdftotext", "-f", fmt.Sprint(i), "-l", fmt.Sprint(i), file, "-")
	return strings.Join(strings.Fields(out), " ")
}

func minimal(t testing.TB) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/minimal.pdf")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestRenderDeterministic(t *testing.T) {
	a := letter(t, 3)
	b, err := pdf.Render("text/markdown", body(9), head)
	if err != nil {
		t.Fatal(err)
	}
	c, err := pdf.Render("text/markdown", body(9), head)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, c) {
		t.Fatal("Render twice gave different bytes")
	}
	if pageCount(t, a) < 3 {
		t.Fatal("long body did not flow onto 3 pages")
	}
	undated := head
	undated.Date = time.Time{}
	d1, err := pdf.Render("text/plain", []byte("Sir,\n\nplain text.\n"), undated)
	if err != nil {
		t.Fatal(err)
	}
	d2, _ := pdf.Render("text/plain", []byte("Sir,\n\nplain text.\n"), undated)
	if !bytes.Equal(d1, d2) {
		t.Fatal("undated Render twice gave different bytes")
	}
	txt := pageText(t, writeTemp(t, "u.pdf", d1), 1)
	for _, want := range []string{"Undated draft", "plain text.", "TFN-2026-0042", "Liaison cell — Brussels"} {
		if !strings.Contains(txt, want) {
			t.Errorf("undated letter lacks %q:\n%s", want, txt)
		}
	}
	if _, err := pdf.Render("application/msword", nil, head); err == nil {
		t.Error("Render accepted an unsupported media type")
	}
}

func TestRenderMarkdown(t *testing.T) {
	out, err := pdf.Render("text/markdown", body(1), head)
	if err != nil {
		t.Fatal(err)
	}
	txt := pageText(t, writeTemp(t, "l.pdf", out), 1)
	for _, want := range []string{
		"Task Force North", "Reference: TFN-2026-0042", "2 March 2026", "To: Ministry of Defence",
		"Subject: Coordination of force movements", "Section 1", "planned movements", "• first point of section 1",
		"1. numbered one", "2. numbered two", "Naïve café façade", "Quoted: nothing", "Sam Signer, Commander",
	} {
		if !strings.Contains(txt, want) {
			t.Errorf("rendered letter lacks %q:\n%s", want, txt)
		}
	}
}

func TestStampEveryPage(t *testing.T) {
	src := letter(t, 3)
	stamped, err := pdf.Stamp(src, footer)
	if err != nil {
		t.Fatal(err)
	}
	n := pageCount(t, stamped)
	if n != pageCount(t, src) {
		t.Fatalf("stamping changed the page count")
	}
	srcFile, file := writeTemp(t, "src.pdf", src), writeTemp(t, "stamped.pdf", stamped)
	for i := 1; i <= n; i++ {
		txt := pageText(t, file, i)
		for _, want := range []string{"Task Force North · TFN-2026-0042", "Official letter, released 2 March 2026", "Verify at " + footer.VerifyURL} {
			if !strings.Contains(txt, want) {
				t.Errorf("page %d lacks %q:\n%s", i, want, txt)
			}
		}
		// What the approvers approved is still all there.
		for _, w := range strings.Fields(pageText(t, srcFile, i)) {
			if !strings.Contains(txt, w) {
				t.Errorf("page %d lost %q in stamping", i, w)
			}
		}
	}
}

func TestStampQRCode(t *testing.T) {
	requireTool(t, "zbarimg")
	file := writeTemp(t, "stamped.pdf", mustStamp(t, letter(t, 3), footer))
	prefix := filepath.Join(t.TempDir(), "page")
	run(t, "pdftoppm", "-r", "150", "-png", file, prefix)
	pngs, _ := filepath.Glob(prefix + "*.png")
	if len(pngs) < 3 {
		t.Fatalf("pdftoppm wrote %d pages", len(pngs))
	}
	for _, p := range pngs {
		out, err := exec.Command("zbarimg", "--quiet", "--raw", p).Output() // stderr has D-Bus noise
		if err != nil {
			t.Fatalf("zbarimg %s: %v", p, err)
		}
		if got := strings.TrimSpace(string(out)); got != footer.VerifyURL {
			t.Errorf("%s: QR code reads %q, want %q", filepath.Base(p), got, footer.VerifyURL)
		}
	}
}

func mustStamp(t testing.TB, src []byte, f pdf.Footer) []byte {
	t.Helper()
	out, err := pdf.Stamp(src, f)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestStampDeterministic(t *testing.T) {
	for name, src := range map[string][]byte{"rendered": letter(t, 3), "hand-written": minimal(t)} {
		t.Run(name, func(t *testing.T) {
			a := mustStamp(t, src, footer)
			time.Sleep(1100 * time.Millisecond) // the clock's second changes
			var wg sync.WaitGroup
			outs := make([][]byte, 4)
			for i := range outs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					outs[i] = mustStamp(t, src, footer)
				}()
			}
			wg.Wait()
			for i, b := range outs {
				if !bytes.Equal(a, b) {
					t.Fatalf("Stamp %d differs from the first", i)
				}
			}
			other := footer
			other.Reference = "TFN-2026-0043"
			if bytes.Equal(a, mustStamp(t, src, other)) {
				t.Fatal("different footers gave equal bytes")
			}
		})
	}
}

func TestStampForeignProducer(t *testing.T) {
	stamped := mustStamp(t, minimal(t), footer)
	txt := pageText(t, writeTemp(t, "s.pdf", stamped), 1)
	for _, want := range []string{"Hello from another producer", "Verify at " + footer.VerifyURL} {
		if !strings.Contains(txt, want) {
			t.Errorf("stamped page lacks %q:\n%s", want, txt)
		}
	}
}

var mark = pdf.DraftMark{Recipient: "Liaison cell", Reference: "TFN-2026-0042", Version: 2, Exported: released, Member: "dana"}

func TestWatermarkEveryPage(t *testing.T) {
	src := letter(t, 3)
	a, err := pdf.Watermark(src, mark)
	if err != nil {
		t.Fatal(err)
	}
	other := mark
	other.Recipient = "Ministry of Defence"
	b, err := pdf.Watermark(src, other)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(a, b) {
		t.Fatal("two recipients' copies are equal")
	}
	for _, c := range []struct {
		copy []byte
		m    pdf.DraftMark
	}{{a, mark}, {b, other}} {
		file := writeTemp(t, "draft.pdf", c.copy)
		for i := 1; i <= pageCount(t, c.copy); i++ {
			txt := pageText(t, file, i)
			for _, want := range []string{"DRAFT — NOT AN OFFICIAL DOCUMENT", c.m.Line(), "v2", "exported 2 March 2026 14:30 UTC by dana"} {
				if !strings.Contains(txt, want) {
					t.Errorf("page %d of the copy for %s lacks %q:\n%s", i, c.m.Recipient, want, txt)
				}
			}
			if strings.Contains(txt, "Verify at") {
				t.Errorf("a draft copy carries a verification footer")
			}
		}
	}
	if strings.Contains(string(a), "/OC ") {
		t.Error("draft marks are optional content, which a viewer can hide")
	}
}

func TestSign(t *testing.T) {
	requireTool(t, "pdfsig")
	requireTool(t, "certutil")
	dir := t.TempDir()
	if err := officeca.Create(dir, "Task Force North", time.Now()); err != nil {
		t.Fatal(err)
	}
	s, err := officeca.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	stamped := mustStamp(t, letter(t, 3), footer)
	// The certificate Create made is valid from an hour ago: the signature is made now.
	signed, err := pdf.Sign(stamped, s, time.Now(), "Task Force North")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(signed, stamped) {
		t.Error("signing rewrote the stamped bytes instead of appending")
	}
	file := writeTemp(t, "signed.pdf", signed)
	nss := t.TempDir()
	run(t, "certutil", "-N", "--empty-password", "-d", "sql:"+nss)
	out, _ := exec.Command("pdfsig", "-nssdir", "sql:"+nss, file).CombinedOutput()
	if !strings.Contains(string(out), "Signature is Valid.") {
		t.Fatalf("pdfsig does not find a valid signature:\n%s", out)
	}
	run(t, "certutil", "-A", "-n", "ca", "-t", "CT,C,C", "-i", filepath.Join(dir, officeca.CACertFile), "-d", "sql:"+nss)
	out, _ = exec.Command("pdfsig", "-nssdir", "sql:"+nss, file).CombinedOutput()
	for _, want := range []string{"Signature is Valid.", "Certificate is Trusted.", "Task Force North", "Total document signed"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("pdfsig output lacks %q:\n%s", want, out)
		}
	}
	// A changed byte in the signed range breaks the signature.
	tampered := bytes.Replace(signed, []byte("/MediaBox[0 0 "), []byte("/MediaBox[0 1 "), 1)
	if bytes.Equal(tampered, signed) {
		t.Fatal("no MediaBox in clear in the signed file")
	}
	out, _ = exec.Command("pdfsig", "-nssdir", "sql:"+nss, writeTemp(t, "t.pdf", tampered)).CombinedOutput()
	if strings.Contains(string(out), "Signature is Valid.") {
		t.Errorf("pdfsig accepts a tampered file:\n%s", out)
	}
	if _, err := pdf.Sign(stamped, nil, released, "x"); err == nil {
		t.Error("Sign without a signer succeeded")
	}
}

// A signature claiming a time outside its certificate's validity, or its issuer's, is one PDF
// readers report as made with an expired certificate: Sign and the one-pass renderings refuse
// to make it.
func TestSignRefusesACertificateOutsideItsValidity(t *testing.T) {
	from, to := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	s := officecatest.SignerValid(t, "Task Force North", from, to)
	stamped := mustStamp(t, letter(t, 1), footer)
	if _, err := pdf.Sign(stamped, s, to.Add(-time.Hour), "Task Force North"); err != nil {
		t.Fatalf("a signature within the validity: %v", err)
	}
	for _, at := range []time.Time{to.Add(time.Second), from.Add(-time.Second)} {
		_, err := pdf.Sign(stamped, s, at, "Task Force North")
		if !errors.Is(err, pdf.ErrCertificateNotValid) {
			t.Errorf("signed at %s with a certificate valid from %s to %s: %v", at, from, to, err)
		}
		f := footer
		f.Released = at
		if _, err := pdf.RenderRelease("text/plain", []byte("Hello."), head, f, s); !errors.Is(err, pdf.ErrCertificateNotValid) {
			t.Errorf("RenderRelease signed at %s: %v", at, err)
		}
	}
	// An expired issuer is refused as an expired certificate is.
	s.Chain[0].NotAfter = to.Add(-2 * time.Hour)
	if _, err := pdf.Sign(stamped, s, to.Add(-time.Hour), "Task Force North"); !errors.Is(err, pdf.ErrCertificateNotValid) || !strings.Contains(err.Error(), "issuer") {
		t.Errorf("signed under an expired issuer: %v", err)
	}
	if got := s.NotAfter(); !got.Equal(to.Add(-2 * time.Hour)) {
		t.Errorf("NotAfter = %s, want the issuer's", got)
	}
}

func encrypted(t testing.TB, userPW string) []byte {
	t.Helper()
	api.DisableConfigDir()
	var out bytes.Buffer
	conf := model.NewAESConfiguration(userPW, "owner-secret", 256)
	if err := api.Encrypt(bytes.NewReader(minimal(t)), &out, conf); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func TestCheck(t *testing.T) {
	good := minimal(t)
	info, err := pdf.Check(good)
	if err != nil || info.Pages != 1 {
		t.Fatalf("Check(minimal) = %v, %v", info, err)
	}
	rendered := letter(t, 3)
	if info, err := pdf.Check(rendered); err != nil || info.Pages < 3 {
		t.Fatalf("Check(rendered) = %v, %v", info, err)
	}
	huge := append(append([]byte{}, good...), make([]byte, pdf.MaxBytes)...)
	for name, c := range map[string]struct {
		data []byte
		want error
	}{
		"empty":            {nil, pdf.ErrInvalid},
		"not a pdf":        {[]byte("<html>hello</html>"), pdf.ErrInvalid},
		"truncated":        {good[:len(good)/2], pdf.ErrInvalid},
		"truncated render": {rendered[:len(rendered)*2/3], pdf.ErrInvalid},
		"no page tree":     {bytes.Replace(good, []byte("/Pages 2 0 R"), []byte("/Pagez 2 0 R"), 1), pdf.ErrInvalid},
		"no pages":         {pdftest.Build("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [] /Count 0 >>"), pdf.ErrInvalid},
		"garbage":          {append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("\x00\xff obj << [ "), 1000)...), pdf.ErrInvalid},
		"deep nesting":     {nested(5000), pdf.ErrInvalid},
		"user password":    {encrypted(t, "user-secret"), pdf.ErrEncrypted},
		"owner password":   {encrypted(t, ""), pdf.ErrEncrypted},
		"oversized":        {huge, pdf.ErrTooLarge},
		"too many pages":   {manyPages(pdf.MaxPages + 1), pdf.ErrTooLarge},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := pdf.Check(c.data)
			if !errors.Is(err, c.want) {
				t.Fatalf("Check = %v, want %v", err, c.want)
			}
			if err.Error() != strings.ToLower(err.Error()[:1])+err.Error()[1:] {
				t.Errorf("error %q is not lowercase", err)
			}
			if _, err := pdf.Stamp(c.data, footer); !errors.Is(err, c.want) {
				t.Errorf("Stamp = %v, want %v", err, c.want)
			}
			if _, err := pdf.Text(c.data); !errors.Is(err, c.want) {
				t.Errorf("Text = %v, want %v", err, c.want)
			}
		})
	}
	if _, err := pdf.Check(manyPages(pdf.MaxPages)); err != nil {
		t.Errorf("Check refuses %d pages: %v", pdf.MaxPages, err)
	}
}

// nested returns a PDF whose page dictionary holds an array nested depth deep.
func nested(depth int) []byte {
	return pdftest.Build("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /X "+strings.Repeat("[", depth)+strings.Repeat("]", depth)+" >>")
}

// bomb returns a one-page PDF whose content stream inflates to 40 MiB of spaces.
func bomb() []byte {
	var z bytes.Buffer
	w, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	w.Write(bytes.Repeat([]byte(" "), 40<<20))
	w.Close()
	return pdftest.Build("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", z.Len(), z.Bytes()))
}

// manyPages returns a PDF of n empty pages.
func manyPages(n int) []byte {
	kids := make([]string, n)
	objs := []string{"<< /Type /Catalog /Pages 2 0 R >>", ""}
	for i := range kids {
		kids[i] = fmt.Sprintf("%d 0 R", i+3)
		objs = append(objs, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>")
	}
	objs[1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), n)
	return pdftest.Build(objs...)
}

func TestText(t *testing.T) {
	txt, err := pdf.Text(minimal(t))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(txt, "Hello from another producer") || !strings.Contains(txt, "A hand-written PDF, US Letter, one page.") {
		t.Errorf("Text(minimal) = %q", txt)
	}
	src := letter(t, 3)
	txt, err = pdf.Text(src)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(txt, "\f") + 1; got != pageCount(t, src) {
		t.Errorf("Text has %d pages, want %d", got, pageCount(t, src))
	}
	for _, want := range []string{"Subject: Coordination of force movements", "Section 3", "Naïve café façade", "Sam Signer, Commander"} {
		if !strings.Contains(txt, want) {
			t.Errorf("Text lacks %q", want)
		}
	}
	if _, err := pdf.Text(bomb()); !errors.Is(err, pdf.ErrTooLarge) {
		t.Errorf("Text of a decompression bomb = %v, want ErrTooLarge", err)
	}
	// Stamps and draft marks are not part of the text: a stamped letter or a leaked draft
	// copy has the text of the version it was made from.
	stamped, err := pdf.Text(mustStamp(t, src, footer))
	if err != nil {
		t.Fatal(err)
	}
	if stamped != txt {
		t.Errorf("Text of the stamped letter differs from the letter's:\n%s", stamped)
	}
	draft, err := pdf.Watermark(src, mark)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := pdf.Text(draft); err != nil || got != txt {
		t.Errorf("Text of the draft copy differs from the letter's: %v\n%s", err, got)
	}
}
