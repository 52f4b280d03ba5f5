package pdf_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/pdf/pdftest"
	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
)

// certifiedUpload is a one-page letter certified by someone else (a portal, a
// colleague's Acrobat): its catalog's /Perms names, as /DocMDP, the signature dictionary of
// that certification, and /UR3 usage rights.
func certifiedUpload() []byte {
	content := "BT /F1 14 Tf 72 720 Td (Dear Minister, we confirm the agreement.) Tj ET"
	sig := "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /Name (Outside Certifier) /M (D:20260101000000Z)" +
		" /ByteRange [0 100 300 50] /Contents <" + strings.Repeat("00", 64) + ">" +
		" /Reference [<< /Type /SigRef /TransformMethod /DocMDP /TransformParams << /Type /TransformParams /P 2 /V /1.2 >> >>] >>"
	return pdftest.Build("<< /Type /Catalog /Pages 2 0 R /Perms << /DocMDP 6 0 R /UR3 6 0 R >> >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		pdftest.Stream(fmt.Sprintf("<< /Length %d >>", len(content)), []byte(content)), sig)
}

// TestCopiesDropAnUploadsCertification: settle removed an upload's forms and signature fields
// but kept its catalog's /Perms, and the writer kept the signature dictionary it names: draft
// copies, previews and releases said they were certified (DocMDP) by whoever certified the
// upload, with a byte range of another file, and on a release the office's own signature was
// then not the certification (found by audit, forty-ninth session). /Perms goes now.
func TestCopiesDropAnUploadsCertification(t *testing.T) {
	for _, c := range copiesOf(t, certifiedUpload()) {
		ctx, err := api.ReadValidateAndOptimize(bytes.NewReader(c.doc), model.NewDefaultConfiguration())
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		root, _ := ctx.Catalog()
		if p, ok := root.Find("Perms"); ok {
			t.Errorf("%s: the catalog keeps the upload's /Perms %v (certified object %d)", c.name, p, ctx.CertifiedSigObjNr)
		}
		if bytes.Contains(c.doc, []byte("Outside Certifier")) {
			t.Errorf("%s: carries the upload's certification signature dictionary", c.name)
		}
	}
}
