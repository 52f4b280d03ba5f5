package registry

import (
	"context"
	"fmt"
	"mime"
	"path/filepath"
	"strings"
	"time"

	"github.com/chancery/chancery/internal/convert"
	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/textract"
)

// A version's media type decides how its copies leave the registry: PDFs are marked as they
// are; Markdown and plain text are first rendered into a letterhead PDF; Word and OpenDocument
// letters are converted to PDF; images (scans) are placed on PDF pages. A released file of any
// other type leaves as its exact bytes with a detached seal. Draft copies of those are always
// new PDFs (see draftFile), so that none can equal the released file.
const (
	kindPDF = iota + 1
	kindText
	kindOther
)

func fileKind(mediaType string) int {
	mt, _, _ := mime.ParseMediaType(mediaType)
	switch mt {
	case "application/pdf":
		return kindPDF
	case "text/plain", "text/markdown", "text/x-markdown":
		return kindText
	}
	return kindOther
}

// VerifyURL is where the QR code and footer of a released letter send the reader: the
// letter's verify page, with its check code.
func (r *Registry) VerifyURL(ref, code string) string {
	return strings.TrimRight(r.cfg.Office.URL, "/") + "/v/" + ref + "/" + code
}

// letterPDF returns the version as a PDF: itself, or its text rendered on the letterhead.
// date is the letter's date (zero for an undated draft); signatories sign the letterhead.
func (r *Registry) letterPDF(l *store.Letter, v store.Version, data []byte, date time.Time, signatories []string) ([]byte, error) {
	if fileKind(v.MediaType) == kindPDF {
		return data, nil
	}
	if isDocument(v.MediaType) {
		return r.convertedPDF(v.MediaType, data)
	}
	if mt := baseType(v.MediaType); pdf.ImageTypes[mt] {
		return pdf.RenderImage(mt, data, pdf.Letterhead{Office: r.cfg.Office.Name, Reference: l.Reference, Subject: l.Subject, Date: date})
	}
	return pdf.Render(v.MediaType, data, pdf.Letterhead{Office: r.cfg.Office.Name, Reference: l.Reference,
		Subject: l.Subject, Date: date, Addressees: l.Addressees, Signatories: signatories})
}

// baseType is a media type without its parameters.
func baseType(mediaType string) string {
	mt, _, _ := mime.ParseMediaType(mediaType)
	return mt
}

// leavesAsPDF reports whether a version of this media type is released as a stamped PDF: a
// PDF, a text letter, a Word or OpenDocument letter, or an image placed on pages.
func leavesAsPDF(mediaType string) bool {
	return fileKind(mediaType) != kindOther || isDocument(mediaType) || pdf.ImageTypes[baseType(mediaType)]
}

// isDocument reports whether a version is a word-processor document that leaves as PDF
// through the converter.
func isDocument(mediaType string) bool {
	mt, _, _ := mime.ParseMediaType(mediaType)
	_, ok := convert.Types[mt]
	return ok
}

// convertedPDF converts a Word or OpenDocument letter to PDF, keeping its layout, tables and
// letterhead.
func (r *Registry) convertedPDF(mediaType string, data []byte) ([]byte, error) {
	if r.cfg.Converter == nil {
		return nil, fmt.Errorf("%w: a Word or OpenDocument letter leaves as PDF, and this server has no converter (%s)", ErrInvalid, convert.Hint)
	}
	mt, _, _ := mime.ParseMediaType(mediaType)
	doc, err := r.cfg.Converter.ToPDF(context.Background(), mt, data)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return doc, nil
}

// releasedFile makes the file a release publishes from the approved version: for a version
// that leavesAsPDF, the letter PDF with the verification footer and QR code on every page,
// then the office's embedded PDF signature when a certificate is configured. Stamping is deterministic,
// so the released pages are exactly the approved ones plus the footer. It sets the statement's
// file digest, name and type.
func (r *Registry) releasedFile(l *store.Letter, v store.Version, data []byte, stmt *seal.ReleaseStatement, code string) ([]byte, error) {
	stmt.FileDigest, stmt.FileMediaType = seal.DigestOf(data), ""
	if !leavesAsPDF(v.MediaType) {
		return data, nil
	}
	doc, err := r.letterPDF(l, v, data, stmt.ReleasedAt, signerNames(stmt))
	if err != nil {
		return nil, err
	}
	doc, err = pdf.Stamp(doc, pdf.Footer{Office: r.cfg.Office.Name, Reference: l.Reference,
		Released: stmt.ReleasedAt, VerifyURL: r.VerifyURL(l.Reference, code), Languages: r.cfg.Office.StampLanguages})
	if err != nil {
		return nil, err
	}
	if r.cfg.PDFSigner != nil {
		if doc, err = pdf.Sign(doc, r.cfg.PDFSigner, stmt.ReleasedAt, r.cfg.Office.Name); err != nil {
			return nil, err
		}
	}
	stmt.FileDigest = seal.DigestOf(doc)
	if fileKind(v.MediaType) != kindPDF {
		stmt.FileMediaType = "application/pdf"
		stmt.FileName = strings.TrimSuffix(v.FileName, filepath.Ext(v.FileName)) + ".pdf"
	}
	return doc, nil
}

// draftFile makes a coordination copy of the version: the letter PDF with the DRAFT watermark
// and the recipient's line on every page, so that each copy is recognisably a draft and
// distinguishable from every other. A Word or OpenDocument draft is converted to PDF (refused
// without a converter), and an image (a scan) is placed on pages, as for the release. A file
// that cannot be marked so is refused: a copy never leaves as the version's own bytes, which
// could pass for the letter once released. It returns the copy, its name and its media type.
func (r *Registry) draftFile(l *store.Letter, v store.Version, data []byte, m pdf.DraftMark) ([]byte, string, string, error) {
	var (
		doc []byte
		err error
	)
	if leavesAsPDF(v.MediaType) {
		doc, err = r.letterPDF(l, v, data, time.Time{}, nil)
	} else {
		// Another document with text leaves as its text on the letterhead rather than as a
		// document that could pass for the letter.
		text, terr := textract.Text(v.MediaType, data)
		if terr != nil {
			return nil, "", "", fmt.Errorf("%w: a draft copy of a %s file cannot be marked; revise the letter as PDF, Word, OpenDocument, Markdown, plain text or a PNG, JPEG or TIFF scan: %v", ErrInvalid, baseType(v.MediaType), terr)
		}
		v.MediaType = "text/plain; charset=utf-8"
		doc, err = r.letterPDF(l, v, []byte(text), time.Time{}, nil)
	}
	if err != nil {
		return nil, "", "", err
	}
	m.Languages = r.cfg.Office.StampLanguages
	doc, err = pdf.Watermark(doc, m)
	if err != nil {
		return nil, "", "", fmt.Errorf("watermark: %w", err)
	}
	name := strings.TrimSuffix(v.FileName, filepath.Ext(v.FileName))
	return doc, fmt.Sprintf("%s-DRAFT-v%d.pdf", name, v.N), "application/pdf", nil
}
