package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/chancery/chancery/internal/budget"
	"github.com/chancery/chancery/internal/identify"
	"github.com/chancery/chancery/internal/ocr"
	"github.com/chancery/chancery/internal/textract"
)

// Time budgets of one identification request (Config.DecodeTime, Config.OCRTime).
const (
	// DefaultDecodeTime bounds the extraction of an upload's text (PDF, Word): real letters
	// take milliseconds; the byte, element and depth budgets bound the rest.
	DefaultDecodeTime = 10 * time.Second
	// DefaultOCRTime bounds the reading of a scan: Tesseract takes some seconds a page. It
	// stays below the write timeout of 'chancery serve' (60 s), so that the answer, even
	// the refusal, gets out.
	DefaultOCRTime = 45 * time.Second
)

// uploadText returns the text of an uploaded file to identify, and whether it was read from a
// scan: the text of a PDF, Word, Markdown or plain-text file, within the decode time budget;
// or, for an image (PNG, JPEG, TIFF, by its content) or a PDF without a text layer, whose
// text layer does not read as text (identify.ReadsAsText) or is drawn invisibly (a
// scanner's), what OCR reads of it (its QR codes too), within the OCR time budget.
func (s *Server) uploadText(ctx context.Context, name, mediaType string, data []byte) (ocr.Reading, bool, error) {
	kind := ocr.Kind(data)
	if kind == "" {
		mt := mediaType
		if mt == "" {
			if mt = textract.TypeByExtension(filepath.Ext(name)); mt == "" {
				mt = http.DetectContentType(data)
			}
		}
		dctx, cancel := context.WithTimeout(ctx, s.cfg.DecodeTime)
		defer cancel()
		text, err := textract.TextContext(dctx, mt, data)
		if err != nil {
			return ocr.Reading{}, false, decodeError(err)
		}
		return ocr.Reading{Text: text}, false, nil
	}
	if kind == ocr.PDF {
		dctx, cancel := context.WithTimeout(ctx, s.cfg.DecodeTime)
		defer cancel()
		// The document is read once (each read may cost a second of CPU and hundreds of
		// megabytes): its text and its rendering modes are answered from that read.
		text, layer, err := textract.PDFTextContext(dctx, data)
		if err != nil {
			return ocr.Reading{}, false, decodeError(err)
		}
		if identify.ReadsAsText(text) {
			// A text layer drawn invisibly is a scanner's OCR over pictures of the pages:
			// the pages are read instead.
			hidden, err := layer.Invisible()
			if err != nil {
				return ocr.Reading{}, false, decodeError(err)
			}
			if !hidden {
				shown, err := pdfShownText(dctx, data, text)
				return ocr.Reading{Text: shown}, false, err
			}
		}
	}
	reader, err := s.ocrReader()
	if err != nil {
		return ocr.Reading{}, true, err
	}
	release, err := s.ocr.take(ctx)
	if err != nil {
		return ocr.Reading{}, true, err
	}
	defer release()
	octx, cancel := context.WithTimeout(ctx, s.cfg.OCRTime)
	defer cancel()
	read, err := reader.Read(octx, data)
	if err != nil {
		return ocr.Reading{}, true, ocrError(err)
	}
	return read, true, nil
}

// ocrError is the error of an OCR read that failed: over its time budget (422); a program
// or a part of OCR this server lacks (501); the upload's fault, a file the programs cannot
// read or too large (400); else the server's own (a program that could not be started, a
// temporary directory that could not be made), answered 500 and logged, with what the
// program printed (internalError).
func ocrError(err error) error {
	var child *ocr.ChildError
	var exit *exec.ExitError
	switch {
	case errors.Is(err, budget.ErrExceeded):
		return fmt.Errorf("%w: %w", errOverTime, err)
	case errors.Is(err, ocr.ErrNoOCR):
		return fmt.Errorf("%w: this registry cannot read scans: %w (for its operator: %s)", errNoOCR, err, ocr.Hint)
	case errors.As(err, &child) && !errors.As(child.Err, &exit):
		return err
	case errors.Is(err, ocr.ErrOCR), errors.Is(err, ocr.ErrTooLarge):
		return fmt.Errorf("%w: %w", errBadRequest, err)
	}
	return err
}

// pdfShownText returns the text a PDF's pages show as pdftotext reads it (ocr.VisibleText),
// when it is installed, else layer, the text layer as pdf.Text reads it: pdftotext keeps
// apart the lines and words the pages keep apart, where the text layer's own order may join
// them (a letter saved again by another program), and reads the office's stamp, as the
// released file's text it is compared with (registry.Identify) does.
func pdfShownText(ctx context.Context, data []byte, layer string) (string, error) {
	shown, err := ocr.VisibleText(ctx, data)
	switch {
	case err == nil:
		return shown, nil
	case errors.Is(err, budget.ErrExceeded) || ctx.Err() != nil:
		return "", fmt.Errorf("%w: %w", errOverTime, err)
	}
	return layer, nil // no pdftotext, or one that cannot read what pdf.Text read
}

// decodeError is the error of an upload whose text could not be extracted.
func decodeError(err error) error {
	switch {
	case errors.Is(err, textract.ErrNoText):
		return fmt.Errorf("%w: %w: identification needs a PDF, Word (DOCX), Markdown or plain-text file, or a scan (PNG, JPEG, TIFF)", errBadRequest, err)
	case errors.Is(err, budget.ErrExceeded):
		return fmt.Errorf("%w: %w", errOverTime, err)
	}
	return fmt.Errorf("%w: %v", errBadRequest, err)
}

// ocrReader returns the server's OCR reader, found on first use.
func (s *Server) ocrReader() (*ocr.Reader, error) {
	r, err := s.findOCR()
	if err != nil {
		// The answer is public: why OCR is missing (which names the configured program's
		// path) is the operator's, logged once.
		s.noOCROnce.Do(func() { s.cfg.Logger.Warn("scans sent to identify cannot be read", "err", err) })
		return nil, fmt.Errorf("%w: this registry cannot read scans (for its operator: %s)", errNoOCR, ocr.Hint)
	}
	return r, nil
}

var (
	// errOverTime is wrapped by errors about an upload whose reading took more than its
	// time budget: answered 422.
	errOverTime = errors.New("the file takes longer to read than a request may spend")
	// errNoOCR is wrapped by errors about a scan sent to a server without OCR: answered 501.
	errNoOCR = errors.New("no OCR")
)
