package pdf

import (
	"bytes"
	"compress/zlib"
	"encoding/ascii85"
	"errors"
	"fmt"
	"io"

	budgetpkg "github.com/chancery/chancery/internal/budget"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// Budgets of the streams the text extractor decodes. It decodes them itself, without limits
// of its own, so Text measures them first: a small file whose content or /ToUnicode stream
// inflates to a gibibyte is refused (ErrTooLarge) after decoding at most the budget, and
// the measuring keeps nothing of what it decodes.
const (
	// maxContent bounds the decoded page contents of a document, all pages together (a
	// stream that several pages or one /Contents array name counts each time it is named).
	// Check and the marks (isolateContent) refuse more too.
	maxContent = 32 << 20
	// maxCMap bounds one decoded /ToUnicode CMap (real ones, even for large CJK fonts, are
	// some hundreds of kilobytes), and maxCMaps all of those the pages' fonts name.
	maxCMap  = 2 << 20
	maxCMaps = 16 << 20
)

// errBudget is returned by budgetReader past its budget.
var errBudget = errors.New("decoded stream over budget")

// checkTextStreams measures what Text's extractor will decode, page by page: the content
// streams and the /ToUnicode CMaps of the page's fonts, and the entries of those maps. It
// refuses a document past the budgets with ErrTooLarge, and stops with an error wrapping
// budget.ErrExceeded once the request's time budget bud is spent.
func checkTextStreams(ctx *model.Context, bud *budgetpkg.Budget) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: %v", ErrInvalid, p)
		}
	}()
	content, cmaps := int64(0), int64(0)
	tokens := &tokenCounter{limit: maxContentTokens, operands: true}
	for i := 1; i <= ctx.PageCount; i++ {
		if err := bud.Tick(); err != nil {
			return err
		}
		d, _, inh, err := ctx.PageDict(i, false)
		if err != nil || d == nil {
			return fmt.Errorf("%w: page %d: %v", ErrInvalid, i, err)
		}
		var streams []types.Object
		switch o, _ := ctx.Dereference(d["Contents"]); o := o.(type) {
		case types.Array:
			streams = o
		case nil:
		default:
			streams = []types.Object{d["Contents"]}
		}
		for _, s := range streams {
			n, err := decodedSize(ctx, s, maxContent-content, bud, tokens)
			if err != nil {
				return fmt.Errorf("page %d content: %w", i, err)
			}
			content += n
		}
		entries := int64(0) // of the page's maps, which the extractor parses and keeps together
		for _, s := range toUnicodeStreams(ctx, d, inh) {
			var m cmapSink
			n, err := decodedSize(ctx, s, min(maxCMap, maxCMaps-cmaps), bud, &m)
			if err != nil {
				return fmt.Errorf("page %d font /ToUnicode: %w", i, err)
			}
			cmaps += n
			e, err := cmapEntries(m.Bytes(), min(maxCMapEntries, maxPageCMapEntries-entries))
			if err != nil {
				return fmt.Errorf("page %d font /ToUnicode: %w", i, err)
			}
			entries += e
		}
	}
	return nil
}

// toUnicodeStreams returns the /ToUnicode entries of the fonts in the page's resources (its
// own, else the inherited ones, as the extractor finds them).
func toUnicodeStreams(ctx *model.Context, d types.Dict, inh *model.InheritedPageAttrs) []types.Object {
	res, _ := ctx.DereferenceDict(d["Resources"])
	if res == nil && inh != nil {
		res = inh.Resources
	}
	if res == nil {
		return nil
	}
	fonts, _ := ctx.DereferenceDict(res["Font"])
	var out []types.Object
	for _, f := range fonts {
		fd, _ := ctx.DereferenceDict(f)
		if tu, ok := fd["ToUnicode"]; ok && tu != nil {
			out = append(out, tu)
		}
	}
	return out
}

// decodedSize returns the size of stream o once decoded, decoding it as a stream into sink;
// past budget bytes it stops with ErrTooLarge. Only the filters the extractor decodes
// (Flate, ASCII85) are applied: with any other, the extractor refuses the stream itself,
// and its encoded size is returned. Every read checks the time budget bud. A sink that
// fails with errTokens (a tokenCounter) stops it with ErrTooLarge.
func decodedSize(ctx *model.Context, o types.Object, budget int64, bud *budgetpkg.Budget, sink io.Writer) (int64, error) {
	sd, _, err := ctx.DereferenceStreamDict(o)
	if err != nil {
		return 0, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if sd == nil {
		return 0, nil
	}
	n, _, err := decodeStream(sd, budget, bud, sink)
	return n, err
}

// decodeStream is decodedSize for the stream sd, and reports whether it was decoded: not
// when sd has a filter other than Flate or ASCII85.
func decodeStream(sd *types.StreamDict, budget int64, bud *budgetpkg.Budget, sink io.Writer) (int64, bool, error) {
	if budget < 0 {
		budget = 0
	}
	var r io.Reader = &budgetReader{r: bytes.NewReader(sd.Raw), left: budget, bud: bud}
	for _, f := range sd.FilterPipeline {
		switch f.Name {
		case "FlateDecode":
			zr, err := zlib.NewReader(r)
			if err != nil {
				return 0, true, fmt.Errorf("%w: %v", ErrInvalid, err)
			}
			r = zr
		case "ASCII85Decode":
			r = ascii85.NewDecoder(&until{r: r, end: '~'})
		default:
			return int64(len(sd.Raw)), false, nil
		}
		// Every stage is bounded: a stage that outputs nothing can still consume much.
		r = &budgetReader{r: r, left: budget, bud: bud}
	}
	n, err := io.Copy(sink, r)
	switch {
	case errors.Is(err, budgetpkg.ErrExceeded):
		return n, true, err
	case errors.Is(err, errTokens):
		return n, true, fmt.Errorf("%w: %v", ErrTooLarge, err)
	case errors.Is(err, errBudget):
		return n, true, fmt.Errorf("%w: a stream decodes to more than %d bytes", ErrTooLarge, budget)
	case err != nil && n == 0 && len(sd.Raw) > 0:
		// A stream the extractor cannot decode either; it reports that itself.
		return 0, true, nil
	}
	return n, true, nil
}

// budgetReader reads from r until left bytes have been read, then fails with errBudget; it
// fails with the time budget's error once bud is spent.
type budgetReader struct {
	r    io.Reader
	left int64
	bud  *budgetpkg.Budget
}

func (b *budgetReader) Read(p []byte) (int, error) {
	if err := b.bud.Tick(); err != nil {
		return 0, err
	}
	if b.left <= 0 {
		// Past the budget only if there is more.
		var one [1]byte
		n, err := b.r.Read(one[:])
		if n > 0 || errors.Is(err, errBudget) {
			return 0, errBudget
		}
		if err == nil {
			err = io.ErrNoProgress
		}
		return 0, err
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	return n, err
}

// until reads from r up to the byte end (ASCII85's "~>" terminator), which Go's decoder
// does not know.
type until struct {
	r    io.Reader
	end  byte
	done bool
}

func (u *until) Read(p []byte) (int, error) {
	if u.done {
		return 0, io.EOF
	}
	n, err := u.r.Read(p)
	if i := bytes.IndexByte(p[:n], u.end); i >= 0 {
		u.done = true
		return i, nil
	}
	return n, err
}
