package registry

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime"
	"path/filepath"
	"strings"
	"time"

	"github.com/chancery/chancery/internal/convert"
	"github.com/chancery/chancery/internal/hsm"
	"github.com/chancery/chancery/internal/i18n"
	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/store"
)

// A version's media type decides how its copies leave the registry, always as PDFs: PDFs are
// marked as they are; Markdown and plain text are first rendered into a letterhead PDF; Word
// and OpenDocument letters are converted to PDF; images (scans) are placed on PDF pages; a
// file of any other type (an archive, a spreadsheet, a data file) is enclosed, attached to a
// cover letter that states its name, type, size and SHA-256. The upload stays the version;
// the seal covers the released PDF, and the footer, QR code and signature are on it whatever
// was uploaded.
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

// letterPDF returns the version as a PDF: itself, its conversion, its image placed on pages,
// or its text rendered on the letterhead (an enclosure's cover is made by stampedPDF and
// draftFile). date is the letter's date (zero for an undated draft); signatories sign the
// letterhead.
func (r *Registry) letterPDF(l *store.Letter, v store.Version, data []byte, date time.Time, signatories []string) ([]byte, error) {
	if fileKind(v.MediaType) == kindPDF {
		return data, nil
	}
	if isDocument(v.MediaType) {
		return r.convertedPDF(v, data)
	}
	if mt := baseType(v.MediaType); pdf.ImageTypes[mt] {
		h := r.letterhead(l, date, nil)
		h.Addressees = nil
		return pdf.RenderImage(mt, data, h)
	}
	return pdf.Render(v.MediaType, data, r.letterhead(l, date, signatories))
}

// letterhead is the office's letterhead for l, dated date (zero: undated) in the office's
// time zone, signed by signatories.
func (r *Registry) letterhead(l *store.Letter, date time.Time, signatories []string) pdf.Letterhead {
	return pdf.Letterhead{Office: r.cfg.Office.Name, Reference: l.Reference, Subject: l.Subject, Date: date,
		Addressees: l.Addressees, Signatories: signatories, Zone: r.cfg.Office.Zone}
}

// local is t in the office's time zone.
func (r *Registry) local(t time.Time) time.Time {
	if r.cfg.Office.Zone == nil {
		return t.UTC()
	}
	return t.In(r.cfg.Office.Zone)
}

// day is t's date in the office's time zone, as letters and answers give it: "2 January 2006".
func (r *Registry) day(t time.Time) string {
	return r.local(t).Format("2 January 2006")
}

// footer is the footer of l released at (or previewed) with the verify address url, in the
// office's stamp languages and time zone.
func (r *Registry) footer(l *store.Letter, at time.Time, url string) pdf.Footer {
	return pdf.Footer{Office: r.cfg.Office.Name, Reference: l.Reference, Released: at, VerifyURL: url,
		Languages: r.cfg.Office.StampLanguages, Zone: r.cfg.Office.Zone}
}

// stampedPDF is letterPDF with the footer f on every page and, with signer, the office's
// embedded signature. A text (Markdown or plain) letter is laid out with its footer and
// signed in one pass, pdf.RenderRelease: the pages pdf.Stamp gives the rendering, without
// reading it back. So is an enclosure's cover letter, with the file attached
// (pdf.RenderEnclosureRelease).
func (r *Registry) stampedPDF(l *store.Letter, v store.Version, data []byte, date time.Time, signatories []string, f pdf.Footer, signer *pdf.Signer) ([]byte, error) {
	rel, err := r.stampedRelease(l, v, data, date, signatories, f, signer)
	if err != nil {
		return nil, err
	}
	return rel.Doc, nil
}

// stampedRelease is stampedPDF with, for a text letter or an enclosure, the text its
// layout gathered (pdf.RenderReleaseText); for any other kind of letter, HasText is false.
func (r *Registry) stampedRelease(l *store.Letter, v store.Version, data []byte, date time.Time, signatories []string, f pdf.Footer, signer *pdf.Signer) (*pdf.Release, error) {
	h := r.letterhead(l, date, signatories)
	if fileKind(v.MediaType) == kindText {
		return pdf.RenderReleaseText(v.MediaType, data, h, f, signer)
	}
	if isEnclosure(v.MediaType) {
		return pdf.RenderEnclosureReleaseText(pdf.Enclosure{Name: v.FileName, MediaType: v.MediaType, Data: data}, h, f, signer)
	}
	doc, err := r.letterPDF(l, v, data, date, signatories)
	if err != nil {
		return nil, err
	}
	if doc, err = pdf.Stamp(doc, f); err != nil {
		return nil, err
	}
	if signer != nil {
		if doc, err = pdf.Sign(doc, signer, f.Released, r.cfg.Office.Name); err != nil {
			return nil, err
		}
	}
	return &pdf.Release{Doc: doc}, nil
}

// baseType is a media type without its parameters.
func baseType(mediaType string) string {
	mt, _, _ := mime.ParseMediaType(mediaType)
	return mt
}

// isEnclosure reports whether a version of this media type is released enclosed, attached to
// a cover letter: it is neither a PDF, a text letter, a Word or OpenDocument letter, nor an
// image placed on pages.
func isEnclosure(mediaType string) bool {
	return fileKind(mediaType) == kindOther && !isDocument(mediaType) && !pdf.ImageTypes[baseType(mediaType)]
}

// isDocument reports whether a version is a word-processor document that leaves as PDF
// through the converter.
func isDocument(mediaType string) bool {
	mt, _, _ := mime.ParseMediaType(mediaType)
	_, ok := convert.Types[mt]
	return ok
}

// convertedPDF returns a Word or OpenDocument version as PDF, keeping its layout, tables and
// letterhead: the conversion kept for the version's file, or, the first time the file is
// needed as PDF, LibreOffice's, which is then kept (store, conversions.go) in a transaction
// of its own, after the conversion. LibreOffice's output is not byte-stable, and an update
// of it or of the fonts can move lines: converting again for each preview, copy and the
// release would release other pages than those approved. When two servers convert the same
// file at once, the first kept wins, and both use it.
func (r *Registry) convertedPDF(v store.Version, data []byte) ([]byte, error) {
	ctx := context.Background()
	mt := baseType(v.MediaType)
	doc, err := r.keptConversion(ctx, v.Digest, mt, "")
	if err == nil || !errors.Is(err, store.ErrNotFound) {
		return doc, err
	}
	if r.cfg.Converter == nil {
		return nil, fmt.Errorf("%w: a Word or OpenDocument letter leaves as PDF, and this server has no converter (%s)", ErrInvalid, convert.Hint)
	}
	if doc, err = r.cfg.Converter.ToPDF(ctx, mt, data); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	digest := string(seal.DigestOf(doc))
	var kept string
	err = r.cfg.DB.Update(ctx, func(tx *store.Tx) (err error) {
		kept, err = tx.PutConversion(ctx, v.Digest, mt, digest, doc)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("keep the conversion of version %d: %w", v.N, err)
	}
	if kept == digest {
		return doc, nil
	}
	return r.keptConversion(ctx, v.Digest, mt, kept) // another server's, kept first
}

// keptConversion returns the PDF kept as the conversion of the file source as mediaType:
// the one whose digest is pdf, or with pdf empty, the one the store maps the file to
// (ErrNotFound if none is kept).
func (r *Registry) keptConversion(ctx context.Context, source, mediaType, pdf string) ([]byte, error) {
	var doc []byte
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) (err error) {
		if pdf == "" {
			if pdf, err = tx.Conversion(ctx, source, mediaType); err != nil {
				return err
			}
		}
		doc, err = tx.Blob(ctx, pdf)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("kept conversion: %w", err)
	}
	return doc, nil
}

// releasedFile makes the file a release publishes from the approved version: the letter PDF
// (for a file of another type, its cover letter with the file attached) with the verification
// footer and QR code on every page, then the office's embedded PDF signature when a
// certificate is configured. A converted letter's PDF is the conversion kept when it was first
// previewed or copied (convertedPDF), and stamping is deterministic, so the released pages are
// exactly the approved ones plus the footer. It sets the statement's file digest, name and type. The
// file comes with its text when its layout gathered it (stampedRelease).
func (r *Registry) releasedFile(l *store.Letter, v store.Version, data []byte, stmt *seal.ReleaseStatement, code string) (*pdf.Release, error) {
	if err := r.checkPDFCertificate(stmt.ReleasedAt); err != nil {
		return nil, err
	}
	stmt.FileDigest, stmt.FileMediaType = seal.DigestOf(data), ""
	footer := r.footer(l, stmt.ReleasedAt, r.VerifyURL(l.Reference, code))
	rel, err := r.stampedRelease(l, v, data, stmt.ReleasedAt, signerNames(stmt), footer, r.cfg.PDFSigner)
	if err != nil {
		return nil, err
	}
	stmt.FileDigest = seal.DigestOf(rel.Doc)
	if fileKind(v.MediaType) != kindPDF {
		stmt.FileMediaType = "application/pdf"
		stmt.FileName = strings.TrimSuffix(v.FileName, filepath.Ext(v.FileName)) + ".pdf"
	}
	return rel, nil
}

// RenewPDFCertificate says what an administrator does about a PDF signing certificate that
// expired or is about to.
const RenewPDFCertificate = "an administrator renews it with 'chancery key rotate pdf-cert' (or, for a certificate from another issuer, " +
	"puts the new one and its key in the data directory as pdf-signing.crt and pdf-signing.key: see docs/operations.md, " +
	"\"Renewing the PDF signing certificate\") and restarts the server"

// checkPDFCertificate refuses, before anything is made, a release whose embedded PDF
// signature would be made with a certificate not valid at the release's time or at the
// clock's: PDF readers would show the letter as signed with an expired certificate. The
// error wraps pdf.ErrCertificateNotValid.
func (r *Registry) checkPDFCertificate(releasedAt time.Time) error {
	s := r.cfg.PDFSigner
	if s == nil {
		return nil
	}
	for _, at := range []time.Time{r.now(), releasedAt} {
		if err := s.ValidAt(at); err != nil {
			return fmt.Errorf("%w: nothing was released; %s", err, RenewPDFCertificate)
		}
	}
	return nil
}

// PDFCertificateWarnAhead is how long before the PDF signing certificate's end the
// operator is warned (PDFCertificateWarning).
const PDFCertificateWarnAhead = 30 * 24 * time.Hour

// PDFCertificateWarning is what the operator must hear about the office's PDF signing
// certificate now: that it is not valid (releases are refused), or that it ends within
// PDFCertificateWarnAhead, each with how to renew it; "" otherwise, or without a certificate.
func (r *Registry) PDFCertificateWarning() string {
	end, valid, due := r.PDFCertificateDue()
	now := r.now()
	switch {
	case !due:
		return ""
	case !valid:
		return fmt.Sprintf("%v: releases are refused until %s", r.cfg.PDFSigner.ValidAt(now), RenewPDFCertificate)
	}
	return fmt.Sprintf("the office's PDF signing certificate expires on %s (in %d days), and releases will be refused from then: %s",
		end.UTC().Format(time.DateTime+" UTC"), int(end.Sub(now).Hours()/24), RenewPDFCertificate)
}

// OfficeKeyUnavailable returns why the office key, in a token, could not sign its last
// message (hsm.Key.Unavailable), nil while it signs or for a key file.
func (r *Registry) OfficeKeyUnavailable() error { return hsm.Unavailable(r.cfg.OfficeKey) }

// PDFCertificateDue says whether the operator must hear about the office's PDF signing
// certificate now (PDFCertificateWarning, and the admin pages' banner): due when it is not
// valid at the clock's time (valid is false: releases are refused) or ends within
// PDFCertificateWarnAhead. until is the end of its validity (its chain's if sooner). All are
// zero without a certificate.
func (r *Registry) PDFCertificateDue() (until time.Time, valid, due bool) {
	s := r.cfg.PDFSigner
	if s == nil {
		return time.Time{}, false, false
	}
	now := r.now()
	until, valid = s.NotAfter(), s.ValidAt(now) == nil
	return until, valid, !valid || until.Sub(now) < PDFCertificateWarnAhead
}

// draftFile makes a coordination copy of the version: the letter PDF with the DRAFT watermark
// and the recipient's line on every page, so that each copy is recognisably a draft and
// distinguishable from every other. A Word or OpenDocument draft is converted to PDF (refused
// without a converter), and an image (a scan) is placed on pages, as for the release; the
// marks go into every picture's pixels too (pdf.Watermark), so that a picture taken out of
// the copy, a scan's or one inside a PDF, is marked too. A file
// of another type is described by the release's cover letter but not attached to it: a copy
// never carries the version's own bytes, which would be unmarked, the same in every copy, and
// could pass for the enclosure once released. It returns the copy, its name and its media type.
func (r *Registry) draftFile(l *store.Letter, v store.Version, data []byte, m pdf.DraftMark) ([]byte, string, string, error) {
	var (
		doc []byte
		err error
	)
	if isEnclosure(v.MediaType) {
		doc, err = pdf.RenderEnclosureCover(pdf.Enclosure{Name: v.FileName, MediaType: v.MediaType, Data: data},
			r.letterhead(l, time.Time{}, nil))
	} else {
		doc, err = r.letterPDF(l, v, data, time.Time{}, nil)
	}
	if err != nil {
		return nil, "", "", err
	}
	m.Languages = r.cfg.Office.StampLanguages
	doc, err = pdf.Watermark(doc, m)
	if err != nil {
		return nil, "", "", unmarkable(v.N, err) // pdf.Watermark names itself
	}
	if err := oneEnd(v.N, doc); err != nil {
		return nil, "", "", err
	}
	name := strings.TrimSuffix(v.FileName, filepath.Ext(v.FileName))
	return doc, fmt.Sprintf("%s-DRAFT-v%d.pdf", name, v.N), "application/pdf", nil
}

// oneEnd refuses a copy (a draft copy or a preview) whose bytes hold an end-of-file marker
// before their own. A copy with changes appended (an incremental update that hides its marks)
// is still the copy up to its own marker, which pdf.RevisionEnds finds among the file's first
// markers; a stream of the upload that a copy keeps byte for byte (an embedded font program)
// may hold "%%EOF" lines, which would come first and keep the copy's own end from being asked
// about. No copy is made of such a version.
func oneEnd(n int, doc []byte) error {
	marker := []byte("%%EOF")
	if bytes.Index(doc, marker) != bytes.LastIndex(doc, marker) {
		return i18n.Errorf(ErrInvalid, "version %d holds an end-of-file marker inside its data, where a copy would keep it: a copy with changes appended could then pass for another file, so none is made; save the PDF again (print it to PDF) and upload it as a new version", n)
	}
	return nil
}

// unmarkable is err, or for a version holding a picture a copy cannot mark (pdf.ErrUnmarkable)
// an error wrapping ErrInvalid that says so and what to upload instead: no copy leaves with a
// picture unmarked.
func unmarkable(n int, err error) error {
	if !errors.Is(err, pdf.ErrUnmarkable) {
		return err
	}
	why := "its compression"
	for _, c := range []string{"JPEG 2000", "JBIG2"} {
		if strings.Contains(err.Error(), c) {
			why = c
		}
	}
	return i18n.Errorf(ErrInvalid, "version %d holds a picture the copy's marks cannot be drawn into (%s): a copy would carry it unmarked, so none is made; save the PDF with JPEG or lossless pictures, or upload the scan as PNG, JPEG or TIFF", n, why)
}

// RecordPDFCertificateRenewal adds to the audit trail that the office's PDF signing
// certificate was renewed (chancery key rotate pdf-cert), with detail saying which
// certificate is now in force. The certificate is no part of a seal: nothing is logged.
func (r *Registry) RecordPDFCertificateRenewal(ctx context.Context, a Actor, detail string) error {
	err := r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		return r.audit(ctx, tx, a, "pdf-cert.renew", "", detail)
	})
	if err != nil {
		return fmt.Errorf("record pdf certificate renewal: %w", err)
	}
	return nil
}
