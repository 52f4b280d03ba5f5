package pdf_test

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"os/exec"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/officeca/officecatest"
	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/pdf/pdftest"
)

// pdfWithRawImage is a one-page letter that draws a dark grey square: an 8-bit grey
// picture of 80×80 samples of value 0x30 ('0' in ASCII), written without a filter, as some
// writers write small pictures.
func pdfWithRawImage() []byte {
	content := "BT /F1 14 Tf 72 720 Td (Dear Minister, we confirm the agreement.) Tj ET q 80 0 0 80 72 600 cm /Im1 Do Q"
	pix := strings.Repeat("0", 80*80)
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> /XObject << /Im1 6 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
		fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width 80 /Height 80 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length %d >>\nstream\n%s\nendstream", len(pix), pix),
	}
	return pdftest.Build(objs...)
}

// TestSignatureCoversTheWholeRelease: the signing library finds the /Contents placeholder
// it wrote by searching the whole output, the letter included, for its run of '0's; a letter
// holding such a run (an uncompressed picture of samples 0x30, here a grey square) gets the
// ByteRange and the signature written into the letter's own bytes, and the signature
// dictionary kept a /Contents of zeros: pdfsig reported the release's signature invalid and
// not covering the document (found by audit, forty-ninth session). Such a letter is refused
// at signing, and nothing leaves (signedWholeOrRefused).
func TestSignatureCoversTheWholeRelease(t *testing.T) {
	requireTool(t, "pdfsig")
	src := pdfWithRawImage()
	if _, err := pdf.Check(src); err != nil {
		t.Fatal(err)
	}
	stamped := mustStamp(t, src, footer)
	signedWholeOrRefused(t, stamped, officecatest.Signer(t, "Task Force North"))
}

// TestSignatureCoversTheWholeReleaseOfAJPEG: the same with a scan uploaded as a JPEG
// whose comment segment holds a run of '0's (cameras and scanners write free text there):
// the picture is placed on the page with its JPEG bytes as they are. Refused as well.
func TestSignatureCoversTheWholeReleaseOfAJPEG(t *testing.T) {
	requireTool(t, "pdfsig")
	img := image.NewGray(image.Rect(0, 0, 200, 260))
	for i := range img.Pix {
		img.Pix[i] = byte(i)
	}
	var j bytes.Buffer
	if err := jpeg.Encode(&j, img, nil); err != nil {
		t.Fatal(err)
	}
	com := append([]byte{0xff, 0xfe, byte((4002) >> 8), byte(4002 & 0xff)}, bytes.Repeat([]byte("0"), 4000)...)
	data := append(append(append([]byte{}, j.Bytes()[:2]...), com...), j.Bytes()[2:]...)
	doc, err := pdf.RenderImage("image/jpeg", data, head)
	if err != nil {
		t.Fatal(err)
	}
	stamped := mustStamp(t, doc, footer)
	signedWholeOrRefused(t, stamped, officecatest.Signer(t, "Task Force North"))
}

// TestSignatureByteRangeNotInTheLetter: the library also finds its ByteRange
// placeholder by searching from the start of the file; an uploaded PDF whose document title
// (kept in the release) reads
// "/ByteRange[0 ********** ********** **********]" got the byte range written there, and the
// signature dictionary kept the placeholder. Refused as well.
func TestSignatureByteRangeNotInTheLetter(t *testing.T) {
	requireTool(t, "pdfsig")
	content := "BT /F1 14 Tf 72 720 Td (Dear Minister, we confirm the agreement.) Tj ET"
	src := pdftest.Build("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		pdftest.Stream(fmt.Sprintf("<< /Length %d >>", len(content)), []byte(content)),
		"<< /Title (/ByteRange[0 ********** ********** **********]) >>")
	src = bytes.Replace(src, []byte("/Root 1 0 R >>"), []byte("/Root 1 0 R /Info 6 0 R >>"), 1)
	if _, err := pdf.Check(src); err != nil {
		t.Fatal(err)
	}
	stamped := mustStamp(t, src, footer)
	signedWholeOrRefused(t, stamped, officecatest.Signer(t, "Task Force North"))
}

// signedWholeOrRefused signs stamped with s and requires either a refusal (ErrInvalid) or a
// release whose signature pdfsig finds valid and covering the whole file, the letter's bytes
// unchanged. The signing library finds its placeholders by searching the whole output, the
// letter first, and wrote the signature into a letter holding a run of their characters,
// after its approval (found by audit, forty-ninth session): pdf.Sign now refuses what the
// library made of such a letter rather than let it out.
func signedWholeOrRefused(t *testing.T, stamped []byte, s *pdf.Signer) {
	t.Helper()
	signed, err := pdf.Sign(stamped, s, released, "Task Force North")
	if err != nil {
		if !errors.Is(err, pdf.ErrInvalid) {
			t.Errorf("sign: %v, want a refusal wrapping ErrInvalid", err)
		}
		return
	}
	if !bytes.Equal(signed[:len(stamped)], stamped) {
		t.Errorf("the signature changed the stamped letter's own bytes")
	}
	out, _ := exec.Command("pdfsig", writeTemp(t, "signed.pdf", signed)).CombinedOutput()
	if !strings.Contains(string(out), "Signature is Valid.") || !strings.Contains(string(out), "Total document signed") {
		t.Errorf("pdfsig:\n%s", out)
	}
}
