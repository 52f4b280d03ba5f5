package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/chancery/chancery/internal/ocr"
	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/seal"
)

// identify answers what a text is: {"text": "…"} as JSON ({"text": "…", "scan": true} for
// text read from a scan; with "digest", the file's SHA-256, and "pages", what a PDF's pages
// show, read by OCR, as chancery identify sends them for a file; "qr_codes" and "links", with a
// scan or pages, the QR codes read on them and the addresses of a PDF's links), or a file (multipart/form-data with a file part) whose
// text is extracted here, or read by OCR for a scan. A file whose bytes are a draft's is that
// draft (registry.IdentifyDraftBytes); the text of a PDF that is a released letter's is
// checked against what the PDF's pages show (registry.IdentifyFile). Drafts show only to
// members with a role.
func (s *Server) identify(w http.ResponseWriter, r *http.Request) {
	var read ocr.Reading
	var scan bool
	var pages func(context.Context) (ocr.Reading, error)
	var digest seal.Digest
	var shownText string // what the pages show, as the request gives it
	file, pdfFile := strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data"), false
	if file {
		u, err := s.fileUpload(w, r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		digest = seal.DigestOf(u.file.Data)
		if s.draftBytes(w, r, digest) || s.draftRevision(w, r, u.file.Data) {
			return
		}
		read, scan, err = s.uploadText(s.withOCRClient(r), u.file.Name, u.file.MediaType, u.file.Data)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if pdfFile = ocr.Kind(u.file.Data) == ocr.PDF && !scan; pdfFile {
			data := u.file.Data
			pages = func(ctx context.Context) (ocr.Reading, error) { return s.readPages(ctx, data) }
		}
	} else {
		var req struct {
			Text string `json:"text"`
			// Scan says the text was read from a scan by OCR (as chancery identify does
			// with an image): its OCR noise is then forgiven.
			Scan bool `json:"scan"`
			// Digest is the SHA-256 ("sha256:…") of the file the text comes from: a
			// draft's bytes are that draft, the released file's are not read further.
			Digest string `json:"digest"`
			// Pages, with Text a PDF's text layer, is what the PDF's pages show, read by
			// OCR: the text layer counts as the letter only if its pages show it.
			Pages *string `json:"pages"`
			// QRCodes, with Scan or Pages, are the contents of the QR codes read on the
			// scan or the pages (ocr.Reading.Codes): one that is not the letter's makes
			// the copy altered. QRCodesUnread says that not all were read.
			QRCodes       []string `json:"qr_codes"`
			QRCodesUnread bool     `json:"qr_codes_unread"`
			// Links, with Scan or Pages, are the addresses of the PDF's link annotations
			// (ocr.Reading.Links), judged as its QR codes are.
			Links []string `json:"links"`
		}
		if err := decodeJSON(w, r, &req); err != nil {
			s.fail(w, r, err)
			return
		}
		if err := checkCodes(req.QRCodes, req.QRCodesUnread, req.Scan || req.Pages != nil); err != nil {
			s.fail(w, r, err)
			return
		}
		if err := checkLinks(req.Links, req.Scan || req.Pages != nil); err != nil {
			s.fail(w, r, err)
			return
		}
		scan = req.Scan
		read = ocr.Reading{Text: req.Text}
		if scan {
			read.Codes, read.CodesUnread, read.Links = req.QRCodes, req.QRCodesUnread, req.Links
		}
		if req.Digest != "" {
			d, err := seal.ParseDigest(req.Digest)
			if err != nil {
				s.fail(w, r, fmt.Errorf("%w: digest: %v", errBadRequest, err))
				return
			}
			digest = d
		}
		if req.Pages != nil {
			if scan {
				s.fail(w, r, fmt.Errorf("%w: pages is what a PDF's pages show beside its text layer: a scan has no text layer", errBadRequest))
				return
			}
			shownText = *req.Pages
			shown := ocr.Reading{Text: shownText, Codes: req.QRCodes, CodesUnread: req.QRCodesUnread, Links: req.Links}
			pages = func(context.Context) (ocr.Reading, error) { return shown, nil }
		}
		if digest != "" && s.draftBytes(w, r, digest) {
			return
		}
	}
	// Identification takes memory in proportion to the text, many times its bytes: it takes
	// its room in the budget of identifications, so that texts sent at once by any number
	// of clients cannot hold more.
	mem, err := registry.IdentifyMemory(read.Text, shownText)
	if err == nil {
		err = s.work.take(r, mem)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var id *registry.Identification
	switch {
	case scan:
		id, err = s.cfg.Registry.IdentifyScan(r.Context(), actor(r), read)
	case digest != "" || pages != nil:
		id, err = s.cfg.Registry.IdentifyFile(s.withOCRClient(r), actor(r), read.Text, digest, pages)
	default:
		id, err = s.cfg.Registry.Identify(r.Context(), actor(r), read.Text)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if file && !scan && !pdfFile && id.NamesLetter() && id.Bytes == "" {
		// The file's text is the letter's, which says nothing of the file: its text may
		// differ from what it shows, and its bytes from the released file's.
		id.Message = registry.AddSentence(id.Message, fileTextCaveat)
	}
	writeJSON(w, id)
}

// draftBytes answers for a file whose digest is a draft's (registry.IdentifyDraftBytes), and
// reports whether it did (an error included).
func (s *Server) draftBytes(w http.ResponseWriter, r *http.Request, digest seal.Digest) bool {
	id, err := s.cfg.Registry.IdentifyDraftBytes(r.Context(), actor(r), digest)
	switch {
	case err != nil:
		s.fail(w, r, err)
	case id != nil:
		writeJSON(w, id)
	}
	return err != nil || id != nil
}

// draftRevision answers for a PDF file one of whose earlier revisions (the file up to an
// end-of-file marker: pdf.RevisionEnds) has a draft's bytes, as draftBytes does for the file,
// and reports whether it did (an error included). A draft copy with an incremental update
// appended that made its marks invisible was answered "altered", close to the letter, rather
// than a draft (found by audit, forty-ninth session).
func (s *Server) draftRevision(w http.ResponseWriter, r *http.Request, data []byte) bool {
	ends := pdf.RevisionEnds(data)
	for _, d := range seal.PrefixDigests(data, ends) {
		id, err := s.cfg.Registry.IdentifyDraftBytes(r.Context(), actor(r), d)
		if err != nil {
			s.fail(w, r, err)
			return true
		}
		if id != nil {
			id.Message = registry.AddSentence(id.Message, EditedDraft)
			writeJSON(w, id)
			return true
		}
	}
	return false
}

// EditedDraft ends the answer for a file whose earlier revision is a draft's.
const EditedDraft = "This file is that draft with changes appended to it (an incremental update), which may hide its marks: it is not an official document"

// fileTextCaveat ends the answer for a file other than a PDF identified by its text.
const fileTextCaveat = "Only the file's text was compared: that proves nothing of the file itself, which may show other text; the released file has a known digest (POST /api/v1/verify) and a seal"

// readPages reads what the pages of a PDF show, with the server's OCR, within the OCR time
// budget. It fails with ocr.ErrNoOCR when this server has no OCR.
func (s *Server) readPages(ctx context.Context, data []byte) (ocr.Reading, error) {
	reader, err := s.findOCR()
	if err != nil {
		return ocr.Reading{}, err
	}
	release, err := s.ocr.take(ctx)
	if err != nil {
		return ocr.Reading{}, err
	}
	defer release()
	octx, cancel := context.WithTimeout(ctx, s.cfg.OCRTime)
	defer cancel()
	read, err := reader.ReadPages(octx, data)
	switch {
	case errors.Is(err, ocr.ErrNoOCR):
		return ocr.Reading{}, err
	case err != nil:
		return ocr.Reading{}, ocrError(err)
	}
	return read, nil
}

// The QR codes an identification request may name: four a page (ocr's bound) of ocr.MaxPages
// pages, each no longer than a QR code holds (7,089 digits).
const (
	maxQRCodes   = 4 * ocr.MaxPages
	maxQRCodeLen = 7089
)

// checkCodes refuses QR codes given where they mean nothing (without a scan or pages), or
// more or longer than a scan's pages can hold.
func checkCodes(codes []string, unread, read bool) error {
	switch {
	case (len(codes) > 0 || unread) && !read:
		return fmt.Errorf("%w: qr_codes and qr_codes_unread are what OCR read on a scan (\"scan\": true) or on a PDF's pages (\"pages\"): give one of them", errBadRequest)
	case len(codes) > maxQRCodes:
		return fmt.Errorf("%w: qr_codes: %d codes; at most %d (four a page of %d pages)", errBadRequest, len(codes), maxQRCodes, ocr.MaxPages)
	}
	for i, c := range codes {
		if len(c) > maxQRCodeLen {
			return fmt.Errorf("%w: qr_codes[%d] has %d bytes: a QR code holds at most %d", errBadRequest, i, len(c), maxQRCodeLen)
		}
	}
	return nil
}

// maxLinkLen bounds each link address an identification request may name: longer than any
// browser follows.
const maxLinkLen = 64 << 10

// checkLinks refuses link addresses given where they mean nothing (without a scan or pages),
// or more or longer than a PDF read is taken with (ocr.MaxLinks).
func checkLinks(links []string, read bool) error {
	switch {
	case len(links) > 0 && !read:
		return fmt.Errorf("%w: links are the addresses of the links of a PDF read by OCR as a scan (\"scan\": true) or beside its pages (\"pages\"): give one of them", errBadRequest)
	case len(links) > ocr.MaxLinks:
		return fmt.Errorf("%w: links: %d addresses; at most %d", errBadRequest, len(links), ocr.MaxLinks)
	}
	for i, l := range links {
		if len(l) > maxLinkLen {
			return fmt.Errorf("%w: links[%d] has %d bytes; at most %d", errBadRequest, i, len(l), maxLinkLen)
		}
	}
	return nil
}
