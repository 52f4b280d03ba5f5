package convert_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/convert"
	"github.com/chancery/chancery/internal/nonet"
	"github.com/chancery/chancery/internal/officeca"
	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/textract"
)

const docxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

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

func converter(t *testing.T) *convert.Converter {
	t.Helper()
	requireTool(t, "soffice")
	c, err := convert.Find("", 10*time.Minute) // the machine running the tests may be busy
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// letterhead is a small PNG logo for the header.
func letterhead(t testing.TB) string {
	img := image.NewRGBA(image.Rect(0, 0, 60, 20))
	for x := 0; x < 60; x++ {
		for y := 0; y < 20; y++ {
			img.Set(x, y, color.RGBA{30, 60, uint8(100 + 2*x), 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(b.Bytes())
}

// fodt is a flat OpenDocument letter: a header with a logo image, a table, a page break and a
// signature block on the second page.
func fodt(t testing.TB, pages int) string {
	var rows strings.Builder
	for _, r := range [][2]string{{"Unit", "Movement date"}, {"Alpha Company", "12 December"}, {"Bravo Battery", "19 December"}} {
		fmt.Fprintf(&rows, `<table:table-row><table:table-cell office:value-type="string"><text:p>%s</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>%s</text:p></table:table-cell></table:table-row>`, r[0], r[1])
	}
	return `<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" xmlns:xlink="http://www.w3.org/1999/xlink"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:automatic-styles>
  <style:style style:name="Break" style:family="paragraph"><style:paragraph-properties fo:break-before="page"/></style:style>
  <style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="2cm" fo:margin-bottom="2cm" fo:margin-left="2.5cm" fo:margin-right="2cm"/></style:page-layout>
 </office:automatic-styles>
 <office:master-styles>
  <style:master-page style:name="Standard" style:page-layout-name="pm1">
   <style:header><text:p><draw:frame draw:name="Logo" text:anchor-type="as-char" svg:width="3cm" svg:height="1cm"><draw:image><office:binary-data>` + letterhead(t) + `</office:binary-data></draw:image></draw:frame> Ministry of Foreign Affairs — Letterhead</text:p></style:header>
  </style:master-page>
 </office:master-styles>
 <office:body><office:text>
  <text:p>Dear Minister,</text:p>
  <text:p>The movements of the units below follow the coordination with the liaison cell.</text:p>
  <table:table table:name="Movements"><table:table-column table:number-columns-repeated="2"/>` + rows.String() + `</table:table>
` + strings.Repeat(`  <text:p text:style-name="Break">The movements above will be announced once the coordination has ended; no movement is announced before then.</text:p>
`, pages-2) + `  <text:p text:style-name="Break">Yours faithfully,</text:p>
  <text:p>Signature block: Sam Signer, Commander, Task Force North</text:p>
 </office:text></office:body>
</office:document>`
}

// docx has LibreOffice write the flat OpenDocument letter as a real Word file.
func docx(t testing.TB, pages int) []byte {
	t.Helper()
	soffice := requireTool(t, "soffice")
	dir := t.TempDir()
	src := filepath.Join(dir, "letter.fodt")
	if err := os.WriteFile(src, []byte(fodt(t, pages)), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless", "--norestore",
		"--convert-to", "docx:MS Word 2007 XML", "--outdir", dir, src)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	data, err := os.ReadFile(filepath.Join(dir, "letter.docx"))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(requireTool(t, name), args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// shownAndRead converts data, a file of mediaType, with c and returns what pdftotext reads
// of the PDF and the text textract reads of data: what a release shows, and what reviewers
// read on the letter page.
func shownAndRead(t *testing.T, c *convert.Converter, mediaType string, data []byte) (shown, text string) {
	t.Helper()
	doc, err := c.ToPDF(context.Background(), mediaType, data)
	if err != nil {
		t.Fatal(err)
	}
	if text, err = textract.Text(mediaType, data); err != nil {
		t.Fatal(err)
	}
	return run(t, "pdftotext", write(t, "letter.pdf", doc), "-"), text
}

func write(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestWordLetter: a Word letter with a header image, a table and a signature block is
// converted, stamped and signed; the table's cells are in its text, the signature is valid,
// and a draft copy carries the watermark on every page.
func TestWordLetter(t *testing.T) {
	c := converter(t)
	doc, err := c.ToPDF(context.Background(), docxType, docx(t, 2))
	if err != nil {
		t.Fatal(err)
	}
	info, err := pdf.Check(doc)
	if err != nil || info.Pages != 2 {
		t.Fatalf("converted: %+v, %v; want 2 pages", info, err)
	}
	images := run(t, "pdfimages", "-list", write(t, "converted.pdf", doc))
	if strings.Count(images, "\n") < 3 {
		t.Errorf("the header image is not in the PDF:\n%s", images)
	}

	released := time.Date(2026, 3, 2, 14, 30, 0, 0, time.UTC)
	stamped, err := pdf.Stamp(doc, pdf.Footer{Office: "Task Force North", Reference: "TFN-2026-0042", Released: released, VerifyURL: "https://registry.tfn.example/v/TFN-2026-0042"})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := officeca.Create(dir, "Task Force North", released); err != nil {
		t.Fatal(err)
	}
	s, err := officeca.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	signed, err := pdf.Sign(stamped, s, released, "Task Force North")
	if err != nil {
		t.Fatal(err)
	}
	file := write(t, "signed.pdf", signed)
	requireTool(t, "certutil")
	nss := t.TempDir()
	run(t, "certutil", "-N", "--empty-password", "-d", "sql:"+nss)
	out, _ := exec.Command("pdfsig", "-nssdir", "sql:"+nss, file).CombinedOutput()
	if !strings.Contains(string(out), "Signature is Valid.") || !strings.Contains(string(out), "Total document signed") {
		t.Fatalf("pdfsig:\n%s", out)
	}
	text := run(t, "pdftotext", "-layout", file, "-")
	for _, want := range []string{"Alpha Company", "12 December", "Bravo Battery", "19 December", "Movement date",
		"Ministry of Foreign Affairs", "Sam Signer, Commander", "Verify at https://registry.tfn.example/v/TFN-2026-0042"} {
		if !strings.Contains(text, want) {
			t.Errorf("pdftotext lacks %q:\n%s", want, text)
		}
	}

	draft, err := pdf.Watermark(doc, pdf.DraftMark{Recipient: "Embassy liaison", Reference: "TFN-2026-0042", Version: 1, Exported: released, Member: "Dana Drafter"})
	if err != nil {
		t.Fatal(err)
	}
	dfile := write(t, "draft.pdf", draft)
	for p := 1; p <= 2; p++ {
		page := run(t, "pdftotext", "-f", fmt.Sprint(p), "-l", fmt.Sprint(p), dfile, "-")
		if !strings.Contains(page, "Coordination copy for Embassy liaison") || !strings.Contains(page, "NOT AN OFFICIAL DOCUMENT") {
			t.Errorf("draft page %d lacks the watermark:\n%s", p, page)
		}
	}
}

// TestConvertRefusesGarbage: what LibreOffice cannot read is an error, not an empty letter.
func TestConvertRefusesGarbage(t *testing.T) {
	c := converter(t)
	if _, err := c.ToPDF(context.Background(), docxType, []byte("PK\x03\x04 not really a zip")); !errors.Is(err, convert.ErrConvert) {
		t.Errorf("garbage: %v, want ErrConvert", err)
	}
	if _, err := c.ToPDF(context.Background(), "application/pdf", []byte("%PDF-")); err == nil {
		t.Error("a PDF was accepted for conversion")
	}
}

// TestConvertTimeout: a conversion past its time is killed, and says so.
func TestConvertTimeout(t *testing.T) {
	requireTool(t, "soffice")
	c, err := convert.Find("", time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ToPDF(context.Background(), docxType, docx(t, 2))
	if !errors.Is(err, convert.ErrConvert) || !strings.Contains(err.Error(), "took more than") {
		t.Errorf("err = %v, want a timeout", err)
	}
}

func TestFindMissing(t *testing.T) {
	if _, err := convert.Find("/nonexistent/soffice", 0); !errors.Is(err, convert.ErrNoConverter) {
		t.Errorf("Find of a missing program: %v", err)
	}
	t.Setenv("PATH", t.TempDir())
	if _, err := convert.Find("", 0); !errors.Is(err, convert.ErrNoConverter) {
		t.Errorf("Find with no soffice on the PATH: %v", err)
	}
}

// BenchmarkConvert10Pages converts a 10-page Word letter, with ToPDF and with soffice
// --convert-to pdf run directly, for comparison.
func BenchmarkConvert10Pages(b *testing.B) {
	soffice := requireTool(b, "soffice")
	data := docx(b, 10)
	c, err := convert.Find("", 10*time.Minute)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("convert", func(b *testing.B) {
		for b.Loop() {
			doc, err := c.ToPDF(context.Background(), docxType, data)
			if err != nil {
				b.Fatal(err)
			}
			if info, _ := pdf.Check(doc); info == nil || info.Pages != 10 {
				b.Fatalf("converted: %+v", info)
			}
		}
	})
	b.Run("soffice", func(b *testing.B) {
		dir := b.TempDir()
		src := filepath.Join(dir, "letter.docx")
		if err := os.WriteFile(src, data, 0o644); err != nil {
			b.Fatal(err)
		}
		for i := 0; b.Loop(); i++ {
			// A fresh profile each time, as ToPDF uses.
			cmd := exec.Command(soffice, "-env:UserInstallation=file://"+filepath.Join(dir, fmt.Sprint("profile", i)), "--headless",
				"--convert-to", "pdf", "--outdir", filepath.Join(dir, "out"), src)
			cmd.Env = append(os.Environ(), "HOME="+dir)
			if out, err := cmd.CombinedOutput(); err != nil {
				b.Fatalf("soffice: %v\n%s", err, out)
			}
		}
	})
}

// TestConvertFetchesNothing: LibreOffice loads a document's linked images as it converts it,
// so a letter whose image is linked to a URL, not embedded, had the server fetch that URL: a
// drafter could make it request any address inside the office's network (SSRF), and see
// what an image there shows in the converted letter. No conversion fetches anything.
func TestConvertFetchesNothing(t *testing.T) {
	c := converter(t)
	var fetched atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fetched.Add(1)
		w.Header().Set("Content-Type", "image/png")
		w.Write(mustDecode(t, letterhead(t)))
	}))
	defer srv.Close()
	src := `<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 xmlns:xlink="http://www.w3.org/1999/xlink" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:body><office:text>
  <text:p>Dear Minister,</text:p>
  <text:p><draw:frame draw:name="Linked" text:anchor-type="as-char" svg:width="3cm" svg:height="1cm"><draw:image xlink:href="` + srv.URL + `/inside.png" xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/></draw:frame></text:p>
 </office:text></office:body>
</office:document>`
	for _, f := range []struct{ filter, ext, mediaType string }{
		{"odt", ".odt", "application/vnd.oasis.opendocument.text"},
		{"docx:MS Word 2007 XML", ".docx", docxType},
	} {
		data := saveAs(t, src, f.filter, f.ext)
		fetched.Store(0)
		if _, err := c.ToPDF(context.Background(), f.mediaType, data); err != nil {
			t.Fatalf("%s: %v", f.ext, err)
		}
		if n := fetched.Load(); n != 0 {
			t.Errorf("converting the %s letter fetched its linked image %d times", f.ext, n)
		}
	}
}

// saveAs has LibreOffice write the flat OpenDocument src in another format, without
// fetching what it links to (it runs before the test's server counts).
func saveAs(t *testing.T, src, filter, ext string) []byte {
	t.Helper()
	soffice := requireTool(t, "soffice")
	dir := t.TempDir()
	in := filepath.Join(dir, "letter.fodt")
	if err := os.WriteFile(in, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless", "--norestore",
		"--convert-to", filter, "--outdir", dir, in)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	data, err := os.ReadFile(filepath.Join(dir, "letter"+ext))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func mustDecode(t *testing.T, b64 string) []byte {
	b, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestConverterHasNoNetwork: the program the converter runs starts in a network namespace of
// its own. It stands in for LibreOffice here (which the profile already keeps from fetching
// links, TestConvertFetchesNothing): a script that tries to reach a listener of this test on
// the loopback, and writes its PDF only when it cannot.
func TestConverterHasNoNetwork(t *testing.T) {
	bash := requireTool(t, "bash")
	if !nonet.Available() {
		t.Skip("network namespaces are not available to this process")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var reached atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			reached.Add(1)
			c.Close()
		}
	}()
	// The PDF it answers with is beside the program, which a confined conversion keeps in
	// sight wherever it is; the checkout may be under the /tmp it sees empty.
	bin := t.TempDir()
	pdf, err := os.ReadFile("../pdf/testdata/minimal.pdf")
	if err != nil {
		t.Fatal(err)
	}
	minimal := filepath.Join(bin, "minimal.pdf")
	if err := os.WriteFile(minimal, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	script := filepath.Join(bin, "soffice")
	err = os.WriteFile(script, fmt.Appendf(nil, `#!%s
if (exec 3<>/dev/tcp/127.0.0.1/%d) 2>/dev/null; then echo "reached the network" >&2; exit 1; fi
while [ $# -gt 0 ]; do if [ "$1" = --outdir ]; then out=$2; fi; shift; done
mkdir -p "$out" && cp %q "$out/letter.pdf"
`, bash, port, minimal), 0o755)
	if err != nil {
		t.Fatal(err)
	}
	c, err := convert.Find(script, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Isolated() {
		t.Fatal("the converter says it is not isolated")
	}
	if _, err := c.ToPDF(context.Background(), docxType, []byte("PK")); err != nil || reached.Load() != 0 {
		t.Fatalf("conversion: %v; connections reached: %d", err, reached.Load())
	}
}

// TestConvertLeavesNoTemporaryFiles: LibreOffice keeps its temporary files (copies of the
// letter's parts among them) in the conversion's own directory, not in the shared /tmp,
// so that a conversion cancelled or killed at its time limit, which LibreOffice cannot clean
// up after, leaves nothing behind once the directory is removed.
func TestConvertLeavesNoTemporaryFiles(t *testing.T) {
	c := converter(t)
	data := docx(t, 2)
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Cancelled once LibreOffice has made its first temporary directory in the conversion's.
	seen := make(chan struct{})
	go func() {
		defer close(seen)
		for ctx.Err() == nil {
			found := false
			filepath.WalkDir(tmp, func(p string, e os.DirEntry, err error) error {
				// TMPDIR's, beside the letter (the PDF is written to a temporary file of its own in out).
				if err == nil && e.IsDir() && strings.HasPrefix(e.Name(), "lu") && strings.HasSuffix(e.Name(), ".tmp") &&
					filepath.Dir(filepath.Dir(p)) == tmp {
					found = true
					return filepath.SkipAll
				}
				return nil
			})
			if found {
				cancel()
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
	}()
	_, err := c.ToPDF(ctx, docxType, data)
	stopped := ctx.Err() != nil
	cancel()
	<-seen
	if !stopped {
		t.Fatalf("LibreOffice made no temporary directory in the conversion's (err %v): it wrote them elsewhere", err)
	}
	if ents, _ := os.ReadDir(tmp); len(ents) != 0 {
		t.Errorf("a cancelled conversion left %d files in the temporary directory", len(ents))
	}
}
