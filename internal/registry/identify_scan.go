package registry

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/chancery/chancery/internal/identify"
	"github.com/chancery/chancery/internal/metrics"
	"github.com/chancery/chancery/internal/ocr"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/textdiff"
	"github.com/chancery/chancery/internal/textract"
)

// MatchScan is the Match of a scan whose text reads as a released letter's, OCR noise aside.
const MatchScan = "scan"

// scanCaveat ends every answer about a scan: what a match by words can and cannot say.
const scanCaveat = "The text was read from a scan (OCR) and matched by its words: a scan cannot prove that a file is unaltered byte for byte; only the original file and its seal can."

// IdentifyScan says what a text read from a scan (by OCR) is, as Identify does, but judges
// the differences that remain between the scan's text and the best released letter the way
// OCR makes them: a genuine letter printed and scanned is the letter (valid, retracted or
// superseded; Match "scan"), while a figure or a word changed beyond a misreading makes it an
// altered copy, whose difference shows the changes that are not noise. A scan of a part of a
// letter, a paragraph or pages without the others, is judged the same way against the part
// it shows (textdiff.Span, identify.CompareScanPages), and is answered as an excerpt (Match
// "excerpt"), never as the whole letter. The letter's text is
// what its released pages show (letterhead and footer included), read with pdftotext when it
// is installed. A scan never buys more than a close text: the public is given the answer a
// reference alone gets.
func (r *Registry) IdentifyScan(ctx context.Context, a Actor, text string) (id *Identification, err error) {
	defer func() {
		if err == nil {
			metrics.VerifyAnswer(id.Outcome)
		}
	}()
	id, err = r.identify(ctx, a, text)
	if err != nil {
		return nil, err
	}
	id.Scan = true
	member := a.Member != nil && len(a.Member.Roles) > 0
	class := id.Match
	excerpt := class == identify.Excerpt.String()
	if id.Reference == "" || id.Outcome == Draft || (class != identify.Exact.String() && class != identify.Near.String() && !excerpt) {
		id.Message = AddSentence(id.Message, scanCaveat)
		return id, nil
	}
	best, seen, err := r.compareScan(ctx, id.Reference, excerpt, text)
	if err != nil {
		return nil, fmt.Errorf("identify scan: %w", err)
	}
	if !seen {
		// No text of the letter to judge the scan against: the text's answer stands.
		id.Message = AddSentence(id.Message, scanCaveat)
		return id, nil
	}
	full, err := r.holderStatus(ctx, id.Reference)
	if err != nil {
		return nil, fmt.Errorf("identify scan: %w", err)
	}
	st := full.public
	if member {
		st = full.holder
	}
	id.Status, id.Diff = st, nil
	switch {
	case best.Same() && (excerpt || best.Partial):
		// A scan that lacks pages, or shows a paragraph, proves nothing of what it lacks.
		id.Outcome, id.Match = st.Outcome, identify.Excerpt.String()
		id.Message = fmt.Sprintf("%s: the text read from this scan is a part of the text of %s, OCR noise aside; what it lacks is not checked — %s. %s", st.Outcome, id.Reference, st.Message, scanCaveat)
		return id, nil
	case best.Same():
		id.Outcome, id.Match = st.Outcome, MatchScan
		id.Message = fmt.Sprintf("%s: the text read from this scan is the text of %s, OCR noise aside — %s. %s", st.Outcome, id.Reference, st.Message, scanCaveat)
		return id, nil
	}
	id.Outcome = Altered
	if !excerpt {
		id.Match = identify.Near.String()
	}
	id.Message = fmt.Sprintf("altered: the text read from this scan is close to %s (%s), but differs from it beyond OCR noise: see what differs. %s", id.Reference, st.Outcome, scanCaveat)
	id.Diff = scanDiff(best, member)
	return id, nil
}

// compareScan judges text, read by OCR, against the texts of the released letter ref
// (scanReferences), as a scan of its pages and, for an excerpt, of the part of it the text
// shows (a photo of a paragraph), and returns the closest comparison; seen is false when the
// letter has no text to judge against.
func (r *Registry) compareScan(ctx context.Context, ref string, excerpt bool, text string) (best identify.ScanComparison, seen bool, err error) {
	letters, codeHash, err := r.scanReferences(ctx, ref)
	if err != nil {
		return best, false, err
	}
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	for _, l := range letters {
		// The check code printed in the footer is a capability, not what the letter says:
		// OCR's misreadings of it are forgiven, and only of it (see identify.CompareScan).
		code := checkCodeIn(l, codeHash)
		cs := []identify.ScanComparison{identify.CompareScanPages(l, text, code)}
		if excerpt {
			if span := textdiff.Span(l, text); span != "" {
				cs = append(cs, identify.CompareScan(span, text, code))
			}
		}
		for _, c := range cs {
			if !seen || c.Changed() < best.Changed() || c.Changed() == best.Changed() && c.Kept > best.Kept {
				best, seen = c, true
			}
		}
	}
	return best, seen, nil
}

// scanReferences returns the texts a scan of letter ref may read as: what its released file's
// pages show (with pdftotext, when installed), the released file's text, and the released
// version's text; and the SHA-256 of the check code printed on it (nil if none).
func (r *Registry) scanReferences(ctx context.Context, ref string) ([]string, []byte, error) {
	f, err := r.releasedFilesOf(ctx, ref)
	if err != nil {
		return nil, nil, err
	}
	rel, file, version, versionType := f.rel, f.file, f.version, f.versionType
	var out []string
	if baseType(rel.MediaType) == "application/pdf" {
		s, err := r.shownText(ctx, rel.FileDigest, file)
		switch {
		case err == nil:
			out = append(out, s)
		case !errors.Is(err, ocr.ErrNoOCR):
			return nil, nil, err
		}
	}
	for _, f := range []struct {
		mediaType string
		data      []byte
	}{{rel.MediaType, file}, {versionType, version}} {
		if f.data == nil {
			continue
		}
		// The office's own files: a file without text is simply no reference.
		if s, err := textract.TextContext(ctx, f.mediaType, f.data); err == nil {
			out = append(out, s)
		}
	}
	return out, rel.CheckCodeHash, nil
}

// releasedFiles are the files of a released letter: the file its release published, and the
// version it released (nil if that version is missing).
type releasedFiles struct {
	rel           *store.Release
	file, version []byte
	versionType   string
}

// text returns the text of the released file (released), as its fingerprint read it
// (releasedText), or of the released version.
func (f *releasedFiles) text(released bool) (string, error) {
	if released {
		return releasedText(f.versionType, f.rel.MediaType, f.file)
	}
	if f.version == nil {
		return "", errors.New("the released version's file is missing")
	}
	return textract.Text(f.versionType, f.version)
}

// releasedFilesOf reads the files of the released letter ref.
func (r *Registry) releasedFilesOf(ctx context.Context, ref string) (*releasedFiles, error) {
	var f releasedFiles
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		l, err := tx.LetterByRef(ctx, ref)
		if err != nil {
			return err
		}
		if f.rel, err = tx.ReleaseOf(ctx, l.ID); err != nil {
			return err
		}
		if f.file, err = tx.Blob(ctx, f.rel.FileDigest); err != nil {
			return err
		}
		vs, err := tx.Versions(ctx, l.ID)
		if err != nil {
			return err
		}
		for _, v := range vs {
			if v.N == f.rel.VersionN {
				f.versionType = v.MediaType
				f.version, err = tx.Blob(ctx, v.Digest)
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &f, nil
}

// scanDiff shows the material runs of a comparison as deletions and insertions, and every
// other run as the scan's words kept. The public sees the runs kept as their word count and
// the letter's words the scan lacks as their count (see redactDeletions): only what differs,
// in the words the scan itself holds.
func scanDiff(c identify.ScanComparison, member bool) []DiffOp {
	var out []DiffOp
	add := func(op, words string) {
		if words == "" {
			return
		}
		if n := len(out); n > 0 && out[n-1].Op == op {
			out[n-1].Text += words + " "
			return
		}
		out = append(out, DiffOp{Op: op, Text: words + " "})
	}
	kept := 0
	flushKept := func() {
		if kept > 0 {
			add("equal", fmt.Sprintf("[%d words as in the letter]", kept))
			kept = 0
		}
	}
	for _, run := range c.Runs {
		if !run.Material {
			if member {
				add("equal", strings.Join(run.Scan, " "))
			} else {
				kept += len(run.Scan)
			}
			continue
		}
		flushKept()
		add("delete", strings.Join(run.Letter, " "))
		add("insert", strings.Join(run.Scan, " "))
	}
	flushKept()
	if !member {
		out = redactDeletions(out)
	}
	return out
}
