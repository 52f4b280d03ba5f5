package ocr

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/chancery/chancery/internal/budget"
	"github.com/chancery/chancery/internal/stage"
)

// VisibleText returns all the text a PDF shows when printed, in reading order, with
// pdftotext: unlike pdf.Text, it includes what the office's stamp draws (the letterhead's
// footer, the verification address), which a scan of a released letter shows too, and it
// keeps apart the lines that the pages keep apart. It reads the office's released files,
// and uploads to identify once pdf.Text has read them (as pdftoppm renders them): it runs
// as a child in a directory of its own, within the context's deadline (DefaultTimeout when
// it has none), on MaxPages pages, with MaxText of output, Parallel at most at once (with
// VisibleCodes). It fails with ErrNoOCR when
// pdftotext is not on the PATH.
func VisibleText(ctx context.Context, data []byte) (string, error) {
	var text string
	err := withPDF(ctx, data, "pdftotext", func(ctx context.Context, prog, dir, in string) error {
		out, err := run(ctx, dir, MaxText, prog, "-enc", "UTF-8", "-l", fmt.Sprint(MaxPages), in, "-")
		text = strings.ToValidUTF8(string(out), "\uFFFD")
		return err
	})
	if err != nil {
		return "", fmt.Errorf("ocr: visible text: %w", err)
	}
	return text, nil
}

// VisibleCodes returns the contents of the QR codes a PDF's pages show when printed, each
// once, in page order: its pages rendered with pdftoppm (MaxPages of them, at PDFResolution)
// and searched as a scan's are before OCR (blankQRCodes), without Tesseract. It reads the
// office's released files, so that the codes a scan of one shows can be told from codes
// put on a copy. It runs as VisibleText does, and fails with ErrNoOCR when pdftoppm is not
// on the PATH.
func VisibleCodes(ctx context.Context, data []byte) ([]string, error) {
	var codes []string
	err := withPDF(ctx, data, "pdftoppm", func(ctx context.Context, prog, dir, in string) error {
		if _, err := run(ctx, dir, 64<<10, prog, pdftoppmArgs(in, filepath.Join(dir, "page"))...); err != nil {
			return err
		}
		pages, err := filepath.Glob(filepath.Join(dir, "page*.png"))
		if err != nil {
			return err
		}
		slices.Sort(pages) // pdftoppm pads page numbers to one width
		b := budget.New(ctx)
		for _, page := range pages {
			gray, err := grayPage(b, page)
			if err != nil {
				return err
			}
			if gray == nil {
				continue
			}
			found, err := blankQRCodes(b, gray)
			if errors.Is(err, budget.ErrExceeded) {
				return err
			}
			codes = appendNew(codes, found...)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("ocr: visible codes: %w", err)
	}
	return codes, nil
}

// VisibleLinks returns the addresses of a PDF's link annotations, each once, as pdfinfo reads
// them (Reading.Links). It reads the office's released files, so that the links of a copy can
// be told from its letter's. It runs as VisibleText does, and fails with ErrNoOCR when
// pdfinfo is not on the PATH.
func VisibleLinks(ctx context.Context, data []byte) ([]string, error) {
	var links []string
	err := withPDF(ctx, data, "pdfinfo", func(ctx context.Context, prog, dir, in string) (err error) {
		links, err = readLinks(ctx, dir, prog, in)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("ocr: visible links: %w", err)
	}
	return links, nil
}

// pdfPrograms are the programs withPDF runs, each in a directory "chancery-PROGRAM-…".
var pdfPrograms = [...]string{"pdftotext", "pdftoppm", "pdfinfo"}

// RemoveStale removes from the temporary directory ($TMPDIR, else /tmp) the working
// directories of recognitions and of the PDF programs that no running one holds: those a
// server killed (kill -9, a crash, a power loss) left, with the scan or PDF they read in
// them, a holder's letter sent to identify or a draft whose pages were read, for good. The
// server calls it at its start; the directories of another server's readings running now
// are left alone (stage.RemoveStale).
func RemoveStale() error {
	dir := os.TempDir()
	errs := []error{stage.RemoveStale(dir, dirPrefix)}
	for _, p := range pdfPrograms {
		errs = append(errs, stage.RemoveStale(dir, "chancery-"+p+"-"))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("ocr: %w", err)
	}
	return nil
}

// pdfSlots bounds the children of VisibleText, VisibleCodes and VisibleLinks running at once. Every PDF
// sent to identify with a text layer is read by VisibleText: without a bound, as many
// clients as send one at once each had a pdftotext running, beside the recognitions that
// Reader bounds.
var pdfSlots = make(chan struct{}, Parallel)

// withPDF calls f with the path of program, found on the PATH (ErrNoOCR if it is not), and
// data written as a PDF file in a directory of its own, removed afterwards, and ctx given
// DefaultTimeout when it has no deadline. It waits, within ctx, for one of the Parallel
// turns it shares with the other calls.
func withPDF(ctx context.Context, data []byte, program string, f func(ctx context.Context, prog, dir, in string) error) error {
	prog, err := exec.LookPath(program)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrNoOCR, err)
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, DefaultTimeout)
		defer cancel()
	}
	select {
	case pdfSlots <- struct{}{}:
		defer func() { <-pdfSlots }()
	case <-ctx.Done():
		return fmt.Errorf("waiting for a free %s: %w", program, budget.New(ctx).Check())
	}
	dir, release, err := stage.New(os.TempDir(), "chancery-"+program+"-")
	if err != nil {
		return noPath(err)
	}
	defer release()
	in := filepath.Join(dir, "released.pdf")
	if err := os.WriteFile(in, data, 0o600); err != nil {
		return noPath(err)
	}
	return f(ctx, prog, dir, in)
}
