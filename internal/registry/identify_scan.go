package registry

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

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

// IdentifyScan says what a scan is, from what OCR read on it (its text, and its QR codes), as
// Identify does with its text, but judges the differences that remain between the scan's
// text and the best released letter the way OCR makes them: a genuine letter printed and
// scanned is the letter (valid, retracted or superseded; Match "scan"), while a figure or a
// word changed beyond a misreading makes it an altered copy, whose difference shows the
// changes that are not noise. A scan of a part of a letter, a paragraph or pages without the
// others, is judged the same way against the part it shows (textdiff.Span,
// identify.CompareScanPages), and is answered as an excerpt (Match "excerpt"), never as the
// whole letter. The letter's text is what its released pages show (letterhead and footer
// included), read with pdftotext when it is installed. A QR code on the scan that is not the
// letter's (foreignCodes), or a link of a scanner's PDF that is not (ocr.Reading.Links),
// makes it an altered copy whatever its text, since a holder would follow it (ForeignCodes,
// ForeignLinks). A PDF of more pages than OCR reads (ocr.Unread) is at most a part of the
// letter shown: what its other pages show is not checked. A scan never buys more than a
// close text: the public is given the answer a reference alone gets.
func (r *Registry) IdentifyScan(ctx context.Context, a Actor, scan ocr.Reading) (id *Identification, err error) {
	defer func() {
		if err == nil {
			id.noteDraftMark()
			metrics.VerifyAnswer(id.Outcome)
		}
	}()
	id, err = r.identifyText(ctx, a, scan.Text, false)
	if err != nil {
		return nil, err
	}
	id.Scan = true
	member := a.Member != nil && len(a.Member.Roles) > 0
	if !member {
		defer func() {
			if err == nil {
				id = id.forPublic()
			}
		}()
	}
	class := id.Match
	excerpt := class == identify.Excerpt.String()
	if id.Reference == "" || id.Outcome == Draft || (class != identify.Exact.String() && class != identify.Near.String() && !excerpt) {
		id.Message = AddSentence(id.Message, scanCaveat)
		return id, nil
	}
	v, err := r.compareScan(ctx, id.Reference, excerpt, scan)
	if err != nil {
		return nil, fmt.Errorf("identify scan: %w", err)
	}
	if !v.seen {
		// No text of the letter to judge the scan against: the text's answer stands.
		id.Message = AddSentence(id.Message, scanCaveat)
		return id, nil
	}
	st, err := r.statusFor(ctx, id.Reference, member)
	if err != nil {
		return nil, fmt.Errorf("identify scan: %w", err)
	}
	id.Status, id.Diff = st, nil
	id.UncheckedCodes, id.UncheckedLinks = v.unchecked, v.uncheckedLinks
	best := v.best
	// OCR reads a PDF's first ocr.MaxPages pages: what a longer scan's other pages show (a
	// page after them with a figure changed) is not checked.
	unread := ocr.Unread(scan.Text)
	switch {
	case best.Same() && v.misleads():
		id.Outcome, id.Match, id.ForeignCodes, id.ForeignLinks = Altered, MatchScan, v.foreign, v.foreignLinks
		if excerpt || best.Partial || unread {
			id.Match = identify.Excerpt.String()
		}
		id.Message = fmt.Sprintf("altered: the text read from this scan is the text of %s (%s), OCR noise aside, but %s. %s%s", id.Reference, st.Outcome, v.foreignSentence(), v.uncheckedSentences(), scanCaveat)
		return id, nil
	case best.Same() && (excerpt || best.Partial || unread):
		// A scan that lacks pages, or shows a paragraph, or was not read to its end, proves
		// nothing of what it lacks.
		id.Outcome, id.Match = st.Outcome, identify.Excerpt.String()
		what := fmt.Sprintf("is a part of the text of %s, OCR noise aside; what it lacks is not checked", id.Reference)
		switch {
		case unread && (excerpt || best.Partial):
			what += fmt.Sprintf(", nor what its pages after the %dth show, which were not read", ocr.MaxPages)
		case unread:
			what = fmt.Sprintf("is the text of %s, OCR noise aside, but only its first %d pages were read: its other pages were not read, and what they show is not checked", id.Reference, ocr.MaxPages)
		}
		id.Message = fmt.Sprintf("%s: the text read from this scan %s — %s. %s%s%s", st.Outcome, what, st.Message, v.uncheckedSentences(), unreadSentence(scan.CodesUnread && v.unchecked == nil), scanCaveat)
		return id, nil
	case best.Same():
		id.Outcome, id.Match = st.Outcome, MatchScan
		id.Message = fmt.Sprintf("%s: the text read from this scan is the text of %s, OCR noise aside — %s. %s%s%s", st.Outcome, id.Reference, st.Message, v.uncheckedSentences(), unreadSentence((scan.CodesUnread || v.ownUnread) && v.unchecked == nil), scanCaveat)
		return id, nil
	}
	id.Outcome, id.ForeignCodes, id.ForeignLinks = Altered, v.foreign, v.foreignLinks
	if !excerpt {
		id.Match = identify.Near.String()
	}
	also := ""
	if v.misleads() {
		also = ", and " + v.foreignSentence()
	}
	id.Message = fmt.Sprintf("altered: the text read from this scan is close to %s (%s), but differs from it beyond OCR noise: see what differs%s. %s%s", id.Reference, st.Outcome, also, v.uncheckedSentences(), scanCaveat)
	id.Diff = scanDiff(best, member)
	if !member && v.whole < wholeScan {
		// A scan of a part of a letter, altered. Which comparison fits it best, of the
		// whole letter or of some of its pages, and which class its text has (near or
		// excerpt), turn on whether the words it adds stand elsewhere in the letter: with a
		// guessed word that does, a paragraph compares with the whole letter, its other
		// pages unscanned; with one that does not, with a page it does not show. So the
		// public is given one match, and the difference against the part of the letter the
		// scan places, cut to the part it quotes (publicScanDiff), whichever fits best.
		id.Match, id.Diff = identify.Near.String(), nil
		if c, ok := v.span(); ok {
			id.Diff = scanDiff(c, false)
		}
		id.Message = fmt.Sprintf("altered: the text read from this scan is close to %s (%s), or to a part of it, but differs from it beyond OCR noise: see what differs%s. %s%s", id.Reference, st.Outcome, also, v.uncheckedSentences(), scanCaveat)
	}
	return id, nil
}

// foreignSentence says that a scan shows QR codes, or has links, that are not its letter's.
func (v scanVerdict) foreignSentence() string {
	var parts []string
	if len(v.foreign) > 0 {
		parts = append(parts, leadsTo("it shows a QR code", "it shows QR codes", v.foreign))
	}
	if len(v.foreignLinks) > 0 {
		parts = append(parts, leadsTo("it has a link", "it has links", v.foreignLinks))
	}
	return strings.Join(parts, "; and ")
}

// leadsTo says that addresses, what one or many say they are, are not the letter's.
func leadsTo(one, many string, addresses []string) string {
	quoted := quote(addresses)
	if len(addresses) == 1 {
		return one + " that is not the letter's, which leads to " + quoted[0] + ": do not follow it"
	}
	return many + " that are not the letter's, which lead to " + strings.Join(quoted, ", ") + ": do not follow them"
}

// quote returns list, each quoted as Go does (printable).
func quote(list []string) []string {
	quoted := make([]string, len(list))
	for i, c := range list {
		quoted[i] = strconv.Quote(c)
	}
	return quoted
}

// misleads reports whether the scan shows a QR code, or has a link, that is not its letter's.
func (v scanVerdict) misleads() bool { return len(v.foreign) > 0 || len(v.foreignLinks) > 0 }

// uncheckedSentences is uncheckedSentence for the codes, then the links, that could not be
// judged; "" if none.
func (v scanVerdict) uncheckedSentences() string {
	s := uncheckedSentence(v.unchecked)
	if len(v.uncheckedLinks) > 0 {
		s += "It has links that were not checked, since it does not show enough of the letter (" + strings.Join(quote(v.uncheckedLinks), ", ") + "): follow none of them, and check the letter at the address printed in its footer. "
	}
	return s
}

// uncheckedSentence, for a scan that shows QR codes that could not be judged, the scan not
// showing the whole letter (foreignCodes), names them and says to follow none; "" if none.
func uncheckedSentence(codes []string) string {
	if len(codes) == 0 {
		return ""
	}
	return "It shows QR codes that were not checked, since it does not show enough of the letter (" + strings.Join(quote(codes), ", ") + "): follow none of them, and check the letter at the address printed in its footer. "
}

// unreadSentence, for a scan whose QR codes were not all read (not searched to the end, or
// the letter's own not among them), says to trust none on it; "" otherwise.
func unreadSentence(unread bool) string {
	if !unread {
		return ""
	}
	return "Its QR codes were not all read here, so none was checked: follow none of them, and check the letter at the address printed in its footer. "
}

// A scanVerdict is a scan judged against a released letter (compareScan).
type scanVerdict struct {
	// best is the closest comparison of the scan's text with the letter's texts; seen is
	// false when the letter has no text to judge against.
	best identify.ScanComparison
	seen bool
	// foreign are the QR codes read on the scan that are not the letter's, and unchecked
	// those that could not be judged, the scan not being the whole letter (foreignCodes);
	// foreignLinks and uncheckedLinks are the same for the addresses of its links.
	foreign, unchecked           []string
	foreignLinks, uncheckedLinks []string
	// whole is the largest share of the letter's words, in any of its texts, that the scan
	// reads the same (identify.ScanComparison's Whole).
	whole float64
	// span compares the scan with the part of the letter's first text that it places
	// (textdiff.Span), whatever fits it best: the public's difference for an altered scan
	// of a part of a letter (IdentifyScan), computed only for it; false when it places none.
	span func() (identify.ScanComparison, bool)
	// ownUnread says that the QR code of the letter's footer (the address it prints) was not
	// read on every page of the scan: then a code on it may be one the reader missed.
	ownUnread bool
}

// compareScan judges scan, read by OCR, against the texts of the released letter ref
// (scanReferences), as a scan of its pages and, for an excerpt, of the part of it the text
// shows (a photo of a paragraph), keeps the closest comparison, and finds the scan's QR codes
// and links that are not the letter's.
func (r *Registry) compareScan(ctx context.Context, ref string, excerpt bool, scan ocr.Reading) (v scanVerdict, err error) {
	refs, err := r.scanReferences(ctx, ref)
	if err != nil {
		return v, err
	}
	text := strings.ReplaceAll(strings.ReplaceAll(scan.Text, "\r\n", "\n"), "\r", "\n")
	for _, l := range refs.texts {
		// The check code printed in the footer is a capability, not what the letter says:
		// OCR's misreadings of it are forgiven, and only of it (see identify.CompareScan).
		code := checkCodeIn(l, refs.files.rel.CheckCodeHash)
		cs := []identify.ScanComparison{identify.CompareScanPages(l, text, code)}
		v.whole = max(v.whole, cs[0].Whole)
		if excerpt {
			if span := textdiff.Span(l, text); span != "" {
				cs = append(cs, identify.CompareScan(span, text, code))
			}
		}
		for _, c := range cs {
			if !v.seen || c.Changed() < v.best.Changed() || c.Changed() == v.best.Changed() && c.Kept > v.best.Kept {
				v.best, v.seen = c, true
			}
		}
	}
	v.span = func() (identify.ScanComparison, bool) {
		if len(refs.texts) == 0 {
			return identify.ScanComparison{}, false
		}
		span := textdiff.Span(refs.texts[0], text)
		if span == "" {
			return identify.ScanComparison{}, false
		}
		return identify.CompareScan(span, text, checkCodeIn(refs.texts[0], refs.files.rel.CheckCodeHash)), true
	}
	own := footerAddress(refs, ref)
	whole := v.whole >= wholeScan
	if v.foreign, v.unchecked, err = r.foreignCodes(ctx, refs, own, scan.Codes, whole, r.shownCodes); err != nil {
		return v, err
	}
	// A link is judged as a code is: the footer's address, or one the released file has.
	if v.foreignLinks, v.uncheckedLinks, err = r.foreignCodes(ctx, refs, own, scan.Links, whole, r.shownLinks); err != nil {
		return v, err
	}
	// The footer, and its code, is on every page: a page of the scan on which it was not
	// read may hold a code the reader missed.
	pages := strings.Count(text, "\f") + 1
	v.ownUnread = own != "" && countOf(scan.Codes, own) < pages
	return v, nil
}

// countOf returns how many times s is in list.
func countOf(list []string, s string) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}

// footerAddress returns the verify address printed in the footer of the released letter ref,
// which its QR code encodes (a word ending in /v/REF/CODE, CODE its check code), or "" if
// its texts print none.
func footerAddress(refs *scanRefs, ref string) string {
	for _, t := range refs.texts {
		code := checkCodeIn(t, refs.files.rel.CheckCodeHash)
		if code == "" {
			continue
		}
		for w := range strings.FieldsSeq(t) {
			if strings.HasSuffix(w, "/v/"+ref+"/"+code) {
				return w
			}
		}
	}
	return ""
}

// wholeScan is the share of a letter's words a scan must read the same for its QR codes to
// be judged against the codes the released file's pages show (foreignCodes). Genuine scans
// of whole letters read 0.99 to 1 of them at 150 dpi (BenchmarkScanAnswers, 10 letters).
const wholeScan = 0.9

// foreignCodes sorts codes, the QR codes read on a scan of a released letter, into those that
// are not the letter's (foreign) and those it cannot judge (unchecked). The office prints a
// released letter's codes; a forger can print others (a verify page of their own, a payment),
// which a holder would follow. A code is the letter's when it is the address its footer
// prints (own), or when the released file's pages show it (ocr.VisibleCodes: a code of the
// letter's own content, or the footer's when its printed address was not found). Nothing
// else counts: a code merely written in the letter's text would let whoever holds a
// paragraph ask, code by code, whether a word stands in the rest of the letter.
//
// The released pages are consulted only for a scan of the whole letter (whole: it reads
// nearly all of the letter's words, wholeScan), whose asker can see the codes on it anyway.
// Otherwise whoever holds a paragraph, or one page, could send guesses of a code printed
// elsewhere in the letter (a payment's) and learn from the answer whether it is there. So on
// a part of a letter a code is judged by what it says of itself only: one that presents
// itself as a verify address (it holds "/v/", the verify pages' path) and is not the
// footer's, which only a holder of the check code can name, is foreign, since a letter shows
// no verify address but its own; any other is unchecked, neither the letter's nor foreign.
// When the released file's codes cannot be read here (no pdftoppm), every code but the
// footer's is foreign. shown returns the codes the released file, a PDF, shows; foreignCodes
// judges the addresses of a copy's links alike, with the released file's links.
func (r *Registry) foreignCodes(ctx context.Context, refs *scanRefs, own string, codes []string, whole bool, shown func(context.Context, *releasedFiles) ([]string, error)) (foreign, unchecked []string, err error) {
	var left []string
	for _, c := range codes {
		if c != own && !slices.Contains(left, c) {
			left = append(left, c)
		}
	}
	switch {
	case len(left) == 0:
		return nil, nil, nil
	case !whole:
		for _, c := range left {
			if strings.Contains(c, "/v/") {
				foreign = append(foreign, c)
			} else {
				unchecked = append(unchecked, c)
			}
		}
		return foreign, unchecked, nil
	case baseType(refs.files.rel.MediaType) != "application/pdf":
		return left, nil, nil
	}
	theirs, err := shown(ctx, refs.files)
	switch {
	case errors.Is(err, ocr.ErrNoOCR):
		return left, nil, nil
	case err != nil:
		return nil, nil, fmt.Errorf("what the released file shows: %w", err)
	}
	return slices.DeleteFunc(left, func(c string) bool { return slices.Contains(theirs, c) }), nil, nil
}

// shownCodes returns the QR codes the released file f, a PDF, shows (ocr.VisibleCodes).
func (r *Registry) shownCodes(ctx context.Context, f *releasedFiles) ([]string, error) {
	if shown, ok := r.codes.get(f.rel.FileDigest); ok {
		return shown, nil
	}
	file, _, err := f.bytes(ctx)
	if err != nil {
		return nil, err
	}
	shown, err := ocr.VisibleCodes(ctx, file)
	if err != nil {
		return nil, err
	}
	r.codes.put(f.gen.codes, f.rel.FileDigest, shown)
	return shown, nil
}

// shownLinks returns the addresses of the links of the released file f, a PDF
// (ocr.VisibleLinks), kept by its digest (a run of pdfinfo each time before: found by audit,
// forty-ninth session); it is read only for a copy with a link of its own.
func (r *Registry) shownLinks(ctx context.Context, f *releasedFiles) ([]string, error) {
	if shown, ok := r.links.get(f.rel.FileDigest); ok {
		return shown, nil
	}
	file, _, err := f.bytes(ctx)
	if err != nil {
		return nil, err
	}
	shown, err := ocr.VisibleLinks(ctx, file)
	if err != nil {
		return nil, err
	}
	r.links.put(f.gen.links, f.rel.FileDigest, shown)
	return shown, nil
}

// scanRefs are what a scan of a released letter is judged against (scanReferences).
type scanRefs struct {
	// texts are the texts a scan of the letter may read as: what its released file's pages
	// show (with pdftotext, when installed), the released file's text, and the released
	// version's text.
	texts []string
	files *releasedFiles
}

// scanReferences returns what a scan of the released letter ref is judged against.
func (r *Registry) scanReferences(ctx context.Context, ref string) (*scanRefs, error) {
	f, err := r.releasedFilesOf(ctx, ref)
	if err != nil {
		return nil, err
	}
	out := &scanRefs{files: f}
	if baseType(f.rel.MediaType) == "application/pdf" {
		s, err := r.shownText(ctx, f)
		switch {
		case err == nil:
			out.texts = append(out.texts, s)
		case !errors.Is(err, ocr.ErrNoOCR):
			return nil, err
		}
	}
	for _, t := range []struct {
		key, mediaType string
		version        bool
	}{{"scan released " + f.rel.MediaType + " " + f.rel.FileDigest, f.rel.MediaType, false},
		{"scan version " + f.versionType + " " + f.versionDigest, f.versionType, true}} {
		if t.version && f.versionDigest == "" {
			continue
		}
		// The office's own files: a file without text is simply no reference.
		if s, ok := r.relTexts.get(t.key); ok {
			out.texts = append(out.texts, s)
			continue
		}
		file, version, err := f.bytes(ctx)
		if err != nil {
			return nil, err
		}
		data := file
		if t.version {
			data = version
		}
		if s, err := textract.TextContext(ctx, t.mediaType, data); err == nil {
			r.relTexts.put(f.gen.relTexts, t.key, s)
			out.texts = append(out.texts, s)
		}
	}
	return out, nil
}

// releasedFiles are the files of a released letter: the file its release published, and the
// version it released. Their bytes are read from the store when first asked for (bytes): an
// identification that names a letter compares with their texts, kept (Registry.letterText),
// and every request of a leaked letter's readers read and copied a released file of
// megabytes before (found by audit, forty-ninth session).
type releasedFiles struct {
	r                          *Registry
	rel                        *store.Release
	versionDigest, versionType string // "" if the version is missing

	// gen holds the generations of the caches (shownCache) when the release was read,
	// before its files: a text read from them after an erasure emptied the caches is not
	// kept.
	gen struct{ shown, codes, relTexts, links uint64 }

	once          sync.Once
	file, version []byte
	err           error
}

// bytes returns the released file and the released version's (nil if that version is
// missing), read once.
func (f *releasedFiles) bytes(ctx context.Context) (file, version []byte, err error) {
	f.once.Do(func() {
		f.err = f.r.cfg.DB.View(ctx, func(tx *store.Tx) error {
			var err error
			if f.file, err = tx.Blob(ctx, f.rel.FileDigest); err != nil || f.versionDigest == "" {
				return err
			}
			f.version, err = tx.Blob(ctx, f.versionDigest)
			return err
		})
	})
	return f.file, f.version, f.err
}

// text returns the text of the released file (released), as its fingerprint read it
// (releasedText), or of the released version, kept by the file's digest (relTexts).
func (f *releasedFiles) text(ctx context.Context, released bool) (string, error) {
	// A text is read by media type: the same bytes as Markdown and as plain text differ.
	key := "version " + f.versionType + " " + f.versionDigest
	if released {
		key = "released " + f.versionType + " " + f.rel.MediaType + " " + f.rel.FileDigest
	} else if f.versionDigest == "" {
		return "", errors.New("the released version's file is missing")
	}
	if s, ok := f.r.relTexts.get(key); ok {
		return s, nil
	}
	file, version, err := f.bytes(ctx)
	if err != nil {
		return "", err
	}
	var s string
	if released {
		s, err = releasedText(f.versionType, f.rel.MediaType, file)
	} else {
		s, err = textract.Text(f.versionType, version)
	}
	if err == nil {
		f.r.relTexts.put(f.gen.relTexts, key, s)
	}
	return s, err
}

// releasedFilesOf reads the release of the letter ref and where its files are.
func (r *Registry) releasedFilesOf(ctx context.Context, ref string) (*releasedFiles, error) {
	f := releasedFiles{r: r}
	f.gen.shown, f.gen.codes = r.shown.generation(), r.codes.generation()
	f.gen.relTexts, f.gen.links = r.relTexts.generation(), r.links.generation()
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		l, err := tx.LetterByRef(ctx, ref)
		if err != nil {
			return err
		}
		if f.rel, err = tx.ReleaseOf(ctx, l.ID); err != nil {
			return err
		}
		// The texts kept of its files are keyed by digest, and read without the files:
		// an erased letter's files are gone, and so must its texts be, whatever a cache
		// still holds.
		if !f.rel.ErasedAt.IsZero() {
			return fmt.Errorf("the letter's content was erased: %w", store.ErrNotFound)
		}
		vs, err := tx.Versions(ctx, l.ID)
		if err != nil {
			return err
		}
		for _, v := range vs {
			if v.N == f.rel.VersionN {
				f.versionDigest, f.versionType = v.Digest, v.MediaType
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
		out = redactDeletions(publicScanDiff(out))
	}
	return out
}
