package pdf

import (
	"bytes"
	"fmt"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// maxIsolation bounds the graphics states isolateContent saves on a page, and the
// marked-content sequences it opens and closes: each one is a state a viewer keeps while it
// draws the page.
const maxIsolation = 1 << 15

// isolateContent makes what each page's content does to the graphics state end with it, so
// that the marks drawn after it (a draft copy's DRAFT banner and band, a preview's, a
// release's footer) are drawn as they were made, whatever the content. pdfcpu encloses the
// content in one q and Q before drawing a mark, but a content stream that restores more
// states than it saved ("Q Q 0 0 1 1 re W n", or a tiny cm) pops that q and leaves its clip
// or its scale in force: the marks were then drawn outside the page or too small to see, and
// a copy left with no visible mark.
//
// So the page's content goes between as many q before it as it could restore and as many Q
// after it as it could leave saved. The counts are of the bytes 'Q' and 'q' that could be an
// operator, not of the operators a parser finds: a byte next to an ASCII letter or digit is
// part of a longer token, or of a string or data, in every reader; any other is counted, so
// no reading of a string, comment or inline image can hide an operator from the count.
//
// Marked content is isolated the same way. A marked-content sequence is not part of the
// graphics state, and one the content opens and leaves open (/OC /MC0 BDC, with no EMC)
// holds the marks too: in optional content that the document switches off, a copy's DRAFT
// banner and band, a preview's and a release's footer were drawn by no viewer. So the
// content goes between as many sequences opened before it (/Chancery BMC) as it has
// operators EMC, and as many EMC after it as it has operators BDC and BMC, counted on the
// bytes as q and Q are.
//
// The pages' contents, as named (a stream each time a page names it), decode to at most
// maxContent bytes (ErrTooLarge): a copy or a release writes each page's content as one
// stream, so a 7.5 KB file whose page named 1,000 times a stream inflating to 1 MiB passed
// Check and then cost Watermark and Stamp 5 to 12 s and 10 GB of allocations.
//
// Nor may the content end inside a token or an object: a string, an array or a dictionary
// left open ("(a", "[ 1", "<< /A") took in, as part of it, everything drawn after it, the
// marks too. Such a page is refused (lexicalEnd). A text object left open (BT, no ET) is
// closed before the states are restored: with text rendering mode 7, its text was a clip
// poppler applied to the marks, and a copy showed no DRAFT banner.
func isolateContent(ctx *model.Context) error {
	counted := map[int][8]int{} // per content stream object: restores, saves, closes, opens, lexicalEnd's drop, rise, text, and its decoded size
	size := 0
	for i := 1; i <= ctx.PageCount; i++ {
		page, o, c, err := pageContents(ctx, i)
		if err != nil {
			return err
		}
		if c == nil {
			continue
		}
		_, _, inh, err := ctx.PageDict(i, false)
		if err != nil {
			return fmt.Errorf("page %d: %w", i, err)
		}
		refs, ok := c.(types.Array)
		if !ok {
			refs = types.Array{o}
		}
		var contents types.Array
		restores, saves, closes, opens, depth, inText := 0, 0, 0, 0, 0, false
		for _, e := range refs {
			ref, ok := e.(types.IndirectRef)
			if !ok {
				// A content stream written in place (only ever in a broken file): made an
				// object, so that the page's contents are an array of references.
				sd, ok := e.(types.StreamDict)
				if !ok {
					return fmt.Errorf("page %d contents: not a stream", i)
				}
				r, err := ctx.IndRefForNewObject(sd)
				if err != nil {
					return fmt.Errorf("page %d contents: %w", i, err)
				}
				ref = *r
			}
			n, ok := counted[ref.ObjectNumber.Value()]
			if !ok {
				content, found, err := decodedStream(ctx, i, ref)
				if err != nil {
					return err
				}
				if !found {
					continue
				}
				drop, rise, text, err := lexicalEnd(ctx, content, inh.Resources)
				if err != nil {
					return fmt.Errorf("page %d contents: %w", i, err)
				}
				n = [8]int{operatorBytes(content, 'Q'), operatorBytes(content, 'q'),
					operators(content, "EMC"), operators(content, "BDC") + operators(content, "BMC"), drop, rise, text, len(content)}
				counted[ref.ObjectNumber.Value()] = n
			}
			if size += n[7]; size > maxContent {
				return fmt.Errorf("%w: the pages' contents decode to more than %d MiB (a stream counts each time it is named)", ErrTooLarge, maxContent>>20)
			}
			restores, saves, closes, opens = restores+n[0], saves+n[1], closes+n[2], opens+n[3]
			depth = max(depth-n[4], 0) + n[5]
			if n[6] >= 0 {
				inText = n[6] == 1
			}
			contents = append(contents, ref)
		}
		if depth > 0 {
			return fmt.Errorf("page %d's content ends inside an array or a dictionary", i)
		}
		if restores > maxIsolation || saves > maxIsolation {
			return fmt.Errorf("page %d saves or restores the graphics state more than %d times", i, maxIsolation)
		}
		if closes > maxIsolation || opens > maxIsolation {
			return fmt.Errorf("page %d opens or closes marked content more than %d times", i, maxIsolation)
		}
		open, err := contentStream(ctx, append(bytes.Repeat([]byte("q\n"), restores+1), bytes.Repeat([]byte("/Chancery BMC\n"), closes)...))
		if err != nil {
			return err
		}
		end := bytes.Repeat([]byte("EMC\n"), opens)
		if inText {
			end = append([]byte("ET\n"), end...)
		}
		closed, err := contentStream(ctx, append(end, bytes.Repeat([]byte("Q\n"), saves+1)...))
		if err != nil {
			return err
		}
		page["Contents"] = append(append(types.Array{open}, contents...), closed)
	}
	return nil
}

// operatorBytes counts the bytes op in content that are not next to an ASCII letter or digit.
func operatorBytes(content []byte, op byte) int {
	n := 0
	for i, c := range content {
		if c != op || i > 0 && alnum(content[i-1]) || i+1 < len(content) && alnum(content[i+1]) {
			continue
		}
		n++
	}
	return n
}

// lexicalEnd reads content as a reader does, token by token, to its end, and returns how many
// arrays and dictionaries opened before it the content closes (drop) and how many it leaves
// open (rise), and whether its last text object operator begins a text object (text 1, BT)
// or ends one (0, ET), -1 without either; it fails if the content ends inside a string or a hexadecimal string, or if
// the end of one of its inline images cannot be found (readInlineImage, with the colour
// spaces of res), which a reader could look for past the content. The work grows with the
// content.
func lexicalEnd(ctx *model.Context, content []byte, res types.Dict) (drop, rise, text int, err error) {
	l := lexer{s: content}
	text = -1
	for {
		start, end, err := l.token()
		if err != nil {
			return 0, 0, 0, err
		}
		if start == end {
			return drop, rise, text, nil
		}
		switch string(content[start:end]) {
		case "BT":
			text = 1
		case "ET":
			text = 0
		case "[", "<<":
			rise++
		case "]", ">>":
			if rise > 0 {
				rise--
			} else {
				drop++
			}
		case "BI":
			_, next, err := readInlineImage(ctx, content, end, res)
			if err != nil {
				return 0, 0, 0, fmt.Errorf("inline image at byte %d: %w", start, err)
			}
			l.i = next
		}
	}
}

// operators counts the occurrences of op in content that are not next to an ASCII letter or
// digit.
func operators(content []byte, op string) int {
	n := 0
	for i := 0; ; i++ {
		j := bytes.Index(content[i:], []byte(op))
		if j < 0 {
			return n
		}
		i += j
		if (i == 0 || !alnum(content[i-1])) && (i+len(op) == len(content) || !alnum(content[i+len(op)])) {
			n++
		}
	}
}

func alnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// contentStream adds a content stream holding b to ctx.
func contentStream(ctx *model.Context, b []byte) (types.IndirectRef, error) {
	sd, err := ctx.NewStreamDictForBuf(b)
	if err != nil {
		return types.IndirectRef{}, err
	}
	if err := sd.Encode(); err != nil {
		return types.IndirectRef{}, err
	}
	ref, err := ctx.IndRefForNewObject(*sd)
	if err != nil {
		return types.IndirectRef{}, err
	}
	return *ref, nil
}

// cropToMedia sets each page's crop box to the region a viewer shows: its crop box (by
// default its media box), normalised, within its media box, normalised. pdfcpu places the
// marks within the crop box as written, where viewers show only its part within the media
// box: a crop box reaching far outside the media box put the DRAFT banner, the copy's line or
// a release's footer off the page. A page that shows nothing is refused. Boxes that need no
// change are left as they are written.
func cropToMedia(ctx *model.Context) error {
	for i := 1; i <= ctx.PageCount; i++ {
		page, _, inh, err := ctx.PageDict(i, false)
		if err != nil {
			return fmt.Errorf("page %d: %w", i, err)
		}
		if inh.MediaBox == nil {
			return fmt.Errorf("page %d has no media box", i)
		}
		media := normalised(inh.MediaBox)
		crop := media
		if inh.CropBox != nil {
			c := normalised(inh.CropBox)
			crop = types.NewRectangle(max(c.LL.X, media.LL.X), max(c.LL.Y, media.LL.Y), min(c.UR.X, media.UR.X), min(c.UR.Y, media.UR.Y))
		}
		if !(crop.Width() > 0 && crop.Height() > 0) {
			return fmt.Errorf("page %d shows nothing: its crop box lies outside its media box", i)
		}
		if *media != *inh.MediaBox {
			page["MediaBox"] = media.Array()
		}
		if inh.CropBox != nil && *crop != *inh.CropBox {
			page["CropBox"] = crop.Array()
		}
	}
	return nil
}

// normalised is r with its lower left corner below and left of its upper right one, as
// readers take a rectangle written the other way round (PDF 32000-1 7.9.5).
func normalised(r *types.Rectangle) *types.Rectangle {
	return types.NewRectangle(min(r.LL.X, r.UR.X), min(r.LL.Y, r.UR.Y), max(r.LL.X, r.UR.X), max(r.LL.Y, r.UR.Y))
}

// mergeContents makes each page's content one stream: the page's own content, the states
// isolateContent saved and restored, and the marks. Left as the array of streams marking
// builds, the marks would be streams of their own, which an edit of the page's /Contents
// array, one entry, takes off a copy.
func mergeContents(ctx *model.Context) error {
	for i := 1; i <= ctx.PageCount; i++ {
		page, _, c, err := pageContents(ctx, i)
		if err != nil {
			return err
		}
		refs, ok := c.(types.Array)
		if !ok {
			continue
		}
		var all bytes.Buffer
		for _, e := range refs {
			content, found, err := decodedStream(ctx, i, e)
			if err != nil {
				return err
			}
			if !found {
				continue
			}
			all.Write(content)
			all.WriteByte('\n') // streams of an array are read as if separated by white space
		}
		sd, err := ctx.NewStreamDictForBuf(all.Bytes())
		if err != nil {
			return err
		}
		if err := encodeContent(sd); err != nil {
			return err
		}
		ref, err := ctx.IndRefForNewObject(*sd)
		if err != nil {
			return err
		}
		page["Contents"] = *ref
	}
	return nil
}

// decodedStream returns the decoded bytes of the content stream o of page i, and false for a
// reference to nothing (a free object, which draws nothing).
func decodedStream(ctx *model.Context, i int, o types.Object) ([]byte, bool, error) {
	sd, _, err := ctx.DereferenceStreamDict(o)
	if err != nil {
		return nil, false, fmt.Errorf("page %d contents: %w", i, err)
	}
	if sd == nil {
		return nil, false, nil
	}
	if err := sd.Decode(); err != nil {
		return nil, false, fmt.Errorf("page %d contents: %w", i, err)
	}
	return sd.Content, true, nil
}

// pageContents returns page i's dictionary, its /Contents entry as written and that entry
// dereferenced (both nil for a page without content).
func pageContents(ctx *model.Context, i int) (types.Dict, types.Object, types.Object, error) {
	page, _, _, err := ctx.PageDict(i, false)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("page %d: %w", i, err)
	}
	o, found := page.Find("Contents")
	if !found {
		return page, nil, nil, nil
	}
	c, err := ctx.Dereference(o)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("page %d contents: %w", i, err)
	}
	return page, o, c, nil
}
