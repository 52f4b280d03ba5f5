package web

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/chancery/chancery/internal/identify"
	"github.com/chancery/chancery/internal/ocr"
)

// What the pages of a PDF version show, beside its text. The letter page shows reviewers a
// PDF's text layer, and pdf.TextLayer says where that layer holds text drawn invisibly, where
// it cannot be seen, or lacks text drawn in forms and annotations (pdfLook). What it cannot
// tell is text drawn over by what the page paints after it, a font whose glyphs draw nothing
// or whose /ToUnicode map lies: a layer reading "will NOT pay" on pages that say "will pay".
// Only reading the pages as a reader sees them tells those apart, so the server reads the
// latest version's pages with OCR (Config.ReadPages), one PDF at a time, in the background of
// the first request for the letter page, and the page shows the outcome from then on: the
// words of the text that the pages do not show and those the pages show that the text does
// not have (identify.ComparePages, which forgives what OCR misreads on a clean page, and
// nothing more: pagesbench measures both).
//
// The outcomes are kept in memory by the file's digest, as the server's other caches are, and
// forgotten with them after an erasure (forget), with the PDFs waiting: freed memory is not
// overwritten, so an erased letter's words may still be in it until the server restarts
// (docs/design/confidentiality.md).

// pagesShown is the outcome of reading a PDF version's pages, for the letter page.
type pagesShown struct {
	// Reading: the pages are being read, or wait for their turn.
	Reading bool
	// Unread: they could not be read (the OCR time was up, the file did not render). They
	// are read again at a request pagesRetry after (at): the server may have been busy.
	Unread bool
	at     time.Time
	// Script: most of the text's letters are of a script of which OCR read next to none on
	// the pages (Arabic, on a server that reads English and French): the pages were read,
	// but in other letters, and are not compared with the text.
	Script bool
	// Runs are the differences that change the text, at most maxPagesRuns; none when the
	// pages show the text, OCR's misreadings aside.
	Runs []pagesRun
	// More says there were more differences than Runs holds.
	More bool
	// FirstPages, when not 0, is how many pages were read and compared with their text: the
	// PDF has more (ocr.MaxPages).
	FirstPages int
}

// pagesRun is one difference: words of the text that the pages do not show (Text), words the
// pages show that the text does not have (Pages), or both.
type pagesRun struct{ Text, Pages string }

const (
	maxPagesRuns = 12
	maxPagesKept = 1 << 10 // outcomes kept; when full they start afresh
	// PDFs waiting for their turn, and their bytes: more are read at a later request.
	maxPagesWaiting      = 16
	maxPagesWaitingBytes = 64 << 20
	pagesReadTime        = 10 * time.Minute
	pagesRetry           = 10 * time.Minute
)

// pagesReader reads PDF versions' pages in the background, one at a time.
type pagesReader struct {
	read   func(ctx context.Context, pdf []byte) (ocr.Reading, error)
	logger *slog.Logger
	// ctx ends when the server stops (stop), and with it the reading under way: OCR's
	// children are killed and its temporary files, a copy of the PDF among them, removed.
	ctx     context.Context
	stop    context.CancelFunc
	working sync.WaitGroup // the goroutine of work

	mu      sync.Mutex
	done    map[string]*pagesShown
	waiting map[string]pagesJob
	order   []string // waiting's digests, oldest first
	bytes   int      // waiting's PDFs'
	running bool
	gen     uint64 // moved by forget: a reading begun before keeps nothing
}

// forget drops the outcomes kept and the PDFs waiting, after an erasure (the registry's
// OnForgetContent): the words of an erased letter's pages, and its files, are not kept, and
// the reading under way keeps nothing. A letter page asked for again reads its pages again.
func (p *pagesReader) forget() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done, p.waiting, p.order, p.bytes = nil, nil, nil, 0
	p.gen++
}

// generation returns the generation a letter page starts in, to be taken before it reads the
// files whose pages it asks for (shown): an erasure that commits in between moves it (forget).
func (p *pagesReader) generation() uint64 {
	if p == nil {
		return 0
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.gen
}

// newPagesReader returns a reader of PDFs' pages with read, logging to logger.
func newPagesReader(read func(ctx context.Context, pdf []byte) (ocr.Reading, error), logger *slog.Logger) *pagesReader {
	ctx, stop := context.WithCancel(context.Background())
	return &pagesReader{read: read, logger: logger, ctx: ctx, stop: stop}
}

// close stops reading pages: the PDFs waiting are dropped, the one being read is stopped, and
// close returns once its reading has ended. Pages are read no more.
func (p *pagesReader) close() {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.read = nil
	p.mu.Unlock()
	p.stop()
	p.working.Wait()
}

type pagesJob struct {
	pdf  []byte
	text string
}

// shown returns what the pages of pdf, whose text layer is text, show, starting to read them
// when they have not been read; nil when this server does not read pages (no OCR). gen is
// the generation the page started in (generation): files read before an erasure forgot
// what the reader held are neither read nor kept, as they would keep an erased letter's PDF,
// and then its words, in memory; the page says they are being read, and the next one reads
// them if the letter is still there.
func (p *pagesReader) shown(gen uint64, digest string, pdf []byte, text string) *pagesShown {
	if p == nil {
		return nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.read == nil {
		return nil
	}
	if gen != p.gen {
		return &pagesShown{Reading: true}
	}
	if s, ok := p.done[digest]; ok {
		if !s.Unread || time.Since(s.at) < pagesRetry {
			return s
		}
		// Read again: what stopped the reading (OCR busy with scans sent to identify, its
		// time budget on a loaded machine) may have passed.
		delete(p.done, digest)
	}
	if _, ok := p.waiting[digest]; !ok {
		if len(p.waiting) >= maxPagesWaiting || p.bytes+len(pdf) > maxPagesWaitingBytes && len(p.waiting) > 0 {
			return &pagesShown{Reading: true}
		}
		if p.waiting == nil {
			p.waiting = map[string]pagesJob{}
		}
		p.waiting[digest] = pagesJob{pdf: pdf, text: text}
		p.order = append(p.order, digest)
		p.bytes += len(pdf)
	}
	if !p.running {
		p.running = true
		p.working.Add(1)
		go p.work()
	}
	return &pagesShown{Reading: true}
}

// work reads the waiting PDFs in turn, until none waits.
func (p *pagesReader) work() {
	defer p.working.Done()
	for {
		p.mu.Lock()
		if len(p.order) == 0 || p.read == nil {
			// Nothing waits, or this server has no OCR (readOne) or stops (close): what
			// waits is dropped.
			p.running = false
			p.waiting, p.order, p.bytes = nil, nil, 0
			p.mu.Unlock()
			return
		}
		read, gen := p.read, p.gen
		digest := p.order[0]
		p.order = p.order[1:]
		job := p.waiting[digest]
		p.mu.Unlock()

		s := p.readOne(read, job)

		p.mu.Lock()
		if p.gen != gen {
			// Forgotten meanwhile (an erasure): what waited went, and this reading is not kept.
			p.mu.Unlock()
			continue
		}
		delete(p.waiting, digest)
		p.bytes -= len(job.pdf)
		if s != nil {
			if p.done == nil || len(p.done) >= maxPagesKept {
				p.done = map[string]*pagesShown{}
			}
			p.done[digest] = s
		}
		p.mu.Unlock()
	}
}

// readOne reads one PDF's pages with read and compares them with its text. Without OCR on
// this server, it stops reading pages at all (nil).
func (p *pagesReader) readOne(read func(context.Context, []byte) (ocr.Reading, error), job pagesJob) *pagesShown {
	ctx, cancel := context.WithTimeout(p.ctx, pagesReadTime)
	defer cancel()
	shown, err := read(ctx, job.pdf)
	switch {
	case errors.Is(err, ocr.ErrNoOCR):
		p.mu.Lock()
		p.read = nil
		p.mu.Unlock()
		return nil
	case p.ctx.Err() != nil:
		return nil // the server stops
	case err != nil:
		// Not the version's digest: the log keeps digests out, as it does references.
		p.logger.Warn("the pages of a version could not be read", "err", err)
		return &pagesShown{Unread: true, at: time.Now()}
	}
	return comparePages(job.text, shown.Text)
}

// comparePages is what pages whose reading is shown say of text. Every page was read: words
// of the text missing at its beginning or end are not pages left out of a scan
// (ScanComparison.Partial) but words the pages do not show.
func comparePages(text, shown string) *pagesShown {
	s := &pagesShown{}
	if read := strings.Split(shown, "\f"); len(read) > ocr.MaxPages {
		s.FirstPages, shown = ocr.MaxPages, strings.Join(read[:ocr.MaxPages], "\f")
		if pages := strings.Split(text, "\f"); len(pages) > ocr.MaxPages {
			text = strings.Join(pages[:ocr.MaxPages], "\f")
		}
	}
	if unreadScript(text, shown) {
		s.Script = true
		return s
	}
	c := identify.ComparePages(text, shown)
	for i, r := range c.Runs {
		atEnd := (i == 0 || i == len(c.Runs)-1) && c.Partial && len(r.Scan) == 0
		if !r.Material && !atEnd {
			continue
		}
		if len(s.Runs) == maxPagesRuns {
			s.More = true
			break
		}
		s.Runs = append(s.Runs, pagesRun{Text: strings.Join(r.Letter, " "), Pages: strings.Join(r.Scan, " ")})
	}
	return s
}

// scripts are those unreadScript tells apart; letters of others count as one more.
var scripts = []*unicode.RangeTable{unicode.Latin, unicode.Arabic, unicode.Hebrew, unicode.Cyrillic,
	unicode.Greek, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul, unicode.Devanagari, unicode.Thai}

// unreadScript reports whether most of text's letters are of scripts of which shown, what
// OCR read on the pages, has fewer than a tenth as many: the reader does not read them (its
// languages lack them) and reads their pages as other letters, every word of which would
// differ from the text.
func unreadScript(text, shown string) bool {
	count := func(s string) []int {
		n := make([]int, len(scripts)+1)
		for _, r := range s {
			if !unicode.IsLetter(r) {
				continue
			}
			i := slices.IndexFunc(scripts, func(t *unicode.RangeTable) bool { return unicode.Is(t, r) })
			if i < 0 {
				i = len(scripts)
			}
			n[i]++
		}
		return n
	}
	inText, inShown := count(text), count(shown)
	all, unread := 0, 0
	for i, n := range inText {
		all += n
		if inShown[i]*10 < n {
			unread += n
		}
	}
	return unread*2 > all
}
