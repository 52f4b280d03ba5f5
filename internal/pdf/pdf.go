// Package pdf is Chancery's PDF layer: it checks uploaded PDFs before they are stored, renders
// Markdown and plain-text letters onto an A4 letterhead, marks every page of a coordination
// (draft) copy so that it can never pass for a letter, stamps every page of a released letter
// with a footer and a QR code that lead to its verification, embeds the office's PDF signature,
// and extracts text for identification and diffs.
//
// The Ed25519 seal (package seal) stays the proof of a release; the footer and the embedded
// signature make a printed or forwarded PDF lead back to it. Every function takes and returns
// whole documents as bytes, refuses hostile input with an error wrapping ErrInvalid,
// ErrEncrypted or ErrTooLarge, and never lets a panic of the libraries underneath escape.
package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"sync"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// Limits on what Check accepts. MaxBytes matches the server's default upload limit.
const (
	MaxBytes = 32 << 20
	MaxPages = 500
)

// Bounds on what the pages name, all pages together, one thing named many times counting each
// time. Every reader of a document (Check, Watermark, Preview, Stamp, Sign, Text) refuses
// more (boundPageArrays), so that no stored PDF, whichever version stored it, costs more.
const (
	// maxContentStreams bounds the content streams: the text extractor reads each anew, some
	// 5.7 KB of allocations apiece (a page naming one small stream 800,000 times, a 4.6 MB
	// file, cost Text 4.9 s and 4.5 GB), and validation, isolateContent and the marks'
	// rewrite each did work per reference (200,000 references of one stream cost Check
	// 108 ms and 87 MB, Stamp 167 ms and 137 MB). Real pages name a few each, and the
	// documents this package writes one per page.
	maxContentStreams = 65536
	// maxAnnots bounds the annotations: pdfcpu's validation costs some 3 KB of allocations
	// and 20 µs an annotation named, so a 1.2 MB page naming one annotation 200,000 times
	// cost Check 4.2 s and 620 MB. Real documents have some thousands at most.
	maxAnnots = 65536
)

var (
	// ErrInvalid is wrapped by errors about input that is not a well-formed PDF, or that is
	// hostile (too deeply nested, too many objects, decompression bombs).
	ErrInvalid = errors.New("invalid pdf")
	// ErrEncrypted is wrapped by errors about an encrypted PDF: the registry must be able to read
	// what it stamps and signs, so it refuses them.
	ErrEncrypted = errors.New("encrypted pdf")
	// ErrTooLarge is wrapped by errors about a PDF over MaxBytes or MaxPages.
	ErrTooLarge = errors.New("pdf too large")
)

// Info is what Check learned about a PDF.
type Info struct {
	Pages int
}

var disableConfigDir = sync.OnceFunc(api.DisableConfigDir)

// config returns a fresh pdfcpu configuration with Chancery's limits. pdfcpu mutates its
// configuration while it works, so each call gets its own.
func config() *model.Configuration {
	disableConfigDir()
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationRelaxed
	conf.Offline = true
	conf.Limits = model.ResourceLimits{
		MaxStreamBytes:       MaxBytes,
		MaxDecodeBytes:       128 << 20,
		MaxImagePixels:       64 << 20,
		MaxImageBytes:        256 << 20,
		MaxObjectCount:       500_000,
		MaxObjectStreamCount: 200_000,
		MaxObjectStreamFirst: 4 << 20,
		MaxXRefEntries:       500_000,
		MaxRecursionDepth:    64,
	}
	return conf
}

// Check validates an uploaded PDF before anything is stored. It refuses input over MaxBytes or
// MaxPages, whose objects hold more than a million tokens (tokens.go), or whose pages name
// more than 65,536 content streams, more than 65,536 annotations or content decoding to
// more than 32 MiB, one thing counting each time it is named (ErrTooLarge), encrypted PDFs
// (ErrEncrypted), and anything malformed or hostile (ErrInvalid).
func Check(data []byte) (*Info, error) {
	ctx, err := read(data)
	if err != nil {
		return nil, err
	}
	// A page the marks could not be isolated from, or that shows nothing to mark, could be
	// neither copied nor released: refused now rather than when a copy is asked for.
	if err := isolateContent(ctx); err != nil {
		return nil, invalid(err)
	}
	if err := cropToMedia(ctx); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return &Info{Pages: ctx.PageCount}, nil
}

// invalid is err wrapping ErrInvalid, or err itself when it says the document is too large
// (ErrTooLarge).
func invalid(err error) error {
	if errors.Is(err, ErrTooLarge) {
		return err
	}
	return fmt.Errorf("%w: %v", ErrInvalid, err)
}

// read parses and validates data with pdfcpu, enforcing the limits of Check.
func read(data []byte) (ctx *model.Context, err error) {
	if len(data) > MaxBytes {
		return nil, fmt.Errorf("%w: %d bytes, more than %d", ErrTooLarge, len(data), MaxBytes)
	}
	if !bytes.HasPrefix(data, []byte("%PDF-")) {
		return nil, fmt.Errorf("%w: no %%PDF- header", ErrInvalid)
	}
	// pdfcpu repairs what it can; a registry must not store a file cut short in transfer.
	tail := data[max(0, len(data)-1024):]
	if !bytes.Contains(tail, []byte("%%EOF")) || !bytes.Contains(tail, []byte("startxref")) {
		return nil, fmt.Errorf("%w: truncated (no startxref and %%%%EOF at the end)", ErrInvalid)
	}
	if nestingDepth(data, maxNesting) > maxNesting {
		return nil, fmt.Errorf("%w: objects nested more than %d deep", ErrInvalid, maxNesting)
	}
	// pdfcpu parses every object of the file before any other bound applies.
	tokens, err := objectTokens(data, maxObjectTokens)
	if err != nil {
		return nil, fmt.Errorf("%w: the file's objects: %v", ErrTooLarge, err)
	}
	defer func() {
		if r := recover(); r != nil {
			ctx, err = nil, fmt.Errorf("%w: parser failure: %v", ErrInvalid, r)
		}
	}()
	ctx, err = api.ReadContext(bytes.NewReader(data), config())
	if err != nil {
		if errors.Is(err, pdfcpu.ErrWrongPassword) {
			return nil, fmt.Errorf("%w: password required", ErrEncrypted)
		}
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if ctx.Encrypt != nil || ctx.E != nil {
		return nil, fmt.Errorf("%w: refusing an encrypted document", ErrEncrypted)
	}
	if err := boundObjectStreams(ctx, maxObjectTokens-tokens); err != nil {
		return nil, err
	}
	if err := boundPageArrays(ctx); err != nil {
		return nil, err
	}
	directScalars(ctx)
	if err := api.ValidateContext(ctx); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if ctx.PageCount > MaxPages {
		return nil, fmt.Errorf("%w: %d pages, more than %d", ErrTooLarge, ctx.PageCount, MaxPages)
	}
	if ctx.PageCount < 1 {
		return nil, fmt.Errorf("%w: no pages", ErrInvalid)
	}
	return ctx, nil
}

// boundPageArrays refuses a document whose pages name more than maxContentStreams content
// streams or more than maxAnnots annotations, all together, one named many times counting
// each time (ErrTooLarge). It runs before pdfcpu validates the document, which costs some
// 3 KB of allocations an annotation named, so it counts the arrays of every dictionary in the
// file rather than of the pages it cannot yet find: a dictionary with /Contents or /Annots
// arrays is a page, or nothing a page draws.
func boundPageArrays(ctx *model.Context) error {
	contents, annots := 0, 0
	for n, e := range ctx.Table {
		if e == nil || e.Free || e.Generation == nil {
			continue
		}
		// An object in an object stream is decoded when first dereferenced, as validation
		// would; one that cannot be is left to validation.
		o, err := ctx.Dereference(*types.NewIndirectRef(n, *e.Generation))
		d, ok := o.(types.Dict)
		if err != nil || !ok {
			continue
		}
		if a, err := ctx.DereferenceArray(d["Contents"]); err == nil {
			contents += len(a)
		}
		if a, err := ctx.DereferenceArray(d["Annots"]); err == nil {
			annots += len(a)
		}
		if contents > maxContentStreams {
			return fmt.Errorf("%w: the pages' contents name more than %d streams", ErrTooLarge, maxContentStreams)
		}
		if annots > maxAnnots {
			return fmt.Errorf("%w: the pages name more than %d annotations", ErrTooLarge, maxAnnots)
		}
	}
	return nil
}
