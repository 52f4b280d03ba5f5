package pdf

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/pdfcpu/pdfcpu/pkg/filter"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// maxContentScan bounds the decoded content streams burnInlineImages reads, all together:
// a form's content is not measured at upload as a page's is (maxContent), and a form
// compressed a thousandfold would otherwise have each copy inflate it, up to pdfcpu's 512 MiB
// a stream, as often as the file names such forms.
const maxContentScan = 64 << 20

// burnInlineImages rewrites every inline image (BI … ID data EI) in the content streams of
// ctx (pages, form XObjects, tiling patterns, Type 3 glyphs, annotations' appearances), so
// that a copy's pictures all carry its marks, as burnImages gives them to image XObjects:
// `pdfimages` takes inline images out of a page as it takes the others.
//
// Where an inline image's data ends is not written anywhere (before PDF 2.0's optional /L),
// and readers guess it differently: from the samples' size when the data is not compressed,
// from the first "EI" between white space, or from where their decoder stopped. So each
// inline image is rewritten, whatever its size, as data that can end in one place only:
// hexadecimal (ASCIIHexDecode, which ends at '>') in front of its own filters, holding the
// bytes this reading found. A picture large enough to show a page's words (burnable) gets b
// drawn into its samples first. Bytes a reader could have taken for operators after an earlier end of
// the data are then inside that hexadecimal, drawn by no reader; bytes a reader could have
// taken for data after this reading's end are operators in every reader, and were scanned
// as such here.
func burnInlineImages(ctx *model.Context, b Burned, budget *pixelBudget) error {
	streams, err := contentStreams(ctx)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return rewriteStreams(ctx, streams, func(img inlineImage) ([]byte, error) { return img.rewrite(ctx, b, budget) })
}

// delimitInlineImages rewrites the inline images of the pages' content of a release as
// wrapped gives them: the same pictures, as this package read them, their data ending in one
// place in every reader. A reader that found an image's data ending past where
// isolateContent and a copy read it (a decoder reading on past the first EI) took the rest
// of the page's content, the release's footer with it, for data: poppler drew such a
// release without its footer.
func delimitInlineImages(ctx *model.Context) error {
	var streams []contentOf
	seen := map[int]bool{}
	if err := eachPageStream(ctx, func(o types.Object, res types.Dict) {
		if ref, ok := o.(types.IndirectRef); ok && !seen[ref.ObjectNumber.Value()] {
			seen[ref.ObjectNumber.Value()] = true
			streams = append(streams, contentOf{ref.ObjectNumber.Value(), res})
		}
	}); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return rewriteStreams(ctx, streams, func(img inlineImage) ([]byte, error) { return img.wrapped(), nil })
}

// rewriteStreams rewrites each inline image of streams as rewrite gives it.
func rewriteStreams(ctx *model.Context, streams []contentOf, rewrite func(inlineImage) ([]byte, error)) error {
	left := int64(maxContentScan)
	for _, cs := range streams {
		sd, ok := ctx.Table[cs.nr].Object.(types.StreamDict)
		if !ok {
			continue
		}
		if err := sd.DecodeWithLimit(left); errors.Is(err, filter.ErrDecodeLimitExceeded) {
			return fmt.Errorf("%w: content streams of more than %d bytes in all", ErrTooLarge, maxContentScan)
		} else if err != nil {
			return fmt.Errorf("%w: content stream %d: %v", ErrInvalid, cs.nr, err)
		}
		if left -= int64(len(sd.Content)); left < 0 {
			return fmt.Errorf("%w: content streams of more than %d bytes in all", ErrTooLarge, maxContentScan)
		}
		if !bytes.Contains(sd.Content, []byte("BI")) {
			continue
		}
		out, changed, err := replaceInlineImages(ctx, sd.Content, cs.res, rewrite)
		if err != nil {
			return fmt.Errorf("content stream %d: %w", cs.nr, err)
		}
		if !changed {
			continue
		}
		ns, err := ctx.NewStreamDictForBuf(out)
		if err != nil {
			return err
		}
		if err := encodeContent(ns); err != nil {
			return err
		}
		for k, v := range sd.Dict {
			if k != "Length" && k != "Filter" && k != "DecodeParms" {
				ns.Dict[k] = v
			}
		}
		ctx.Table[cs.nr].Object = *ns
	}
	return nil
}

// contentOf is a content stream of a document, by object number, with the resources its
// names are looked up in (nil when it has none).
type contentOf struct {
	nr  int
	res types.Dict
}

// contentStreams returns every content stream of ctx that is an object of its own: the
// pages' (isolateContent has made every page's /Contents an array of references), and forms,
// tiling patterns and Type 3 glyph procedures wherever they are, each once. A stream that
// some resource dictionary names as an XObject and that is not an image counts as a form,
// with or without its /Subtype: a lenient reader draws it as one.
func contentStreams(ctx *model.Context) ([]contentOf, error) {
	seen := map[int]bool{}
	var out []contentOf
	add := func(o types.Object, res types.Dict) {
		ref, ok := o.(types.IndirectRef)
		if !ok || seen[ref.ObjectNumber.Value()] {
			return
		}
		seen[ref.ObjectNumber.Value()] = true
		out = append(out, contentOf{ref.ObjectNumber.Value(), res})
	}
	if err := eachPageStream(ctx, add); err != nil {
		return nil, err
	}
	for nr, e := range ctx.Table {
		if e == nil || e.Free {
			continue
		}
		var d types.Dict
		switch o := e.Object.(type) {
		case types.StreamDict:
			d = o.Dict
		case types.Dict:
			d = o
		default:
			continue
		}
		// Resources, XObjects and glyphs that are not what they should be are drawn by no
		// reader: they are passed over.
		res, _ := ctx.DereferenceDict(d["Resources"])
		xobjects, _ := ctx.DereferenceDict(res["XObject"])
		for _, o := range xobjects {
			sd, _, err := ctx.DereferenceStreamDict(o)
			if err != nil || sd == nil {
				continue
			}
			if sub := sd.NameEntry("Subtype"); sub != nil && *sub == "Image" {
				continue
			}
			own, _ := ctx.DereferenceDict(sd.Dict["Resources"])
			add(o, own)
		}
		sub, pattern := d.NameEntry("Subtype"), d.IntEntry("PatternType")
		form := sub != nil && *sub == "Form" || pattern != nil && *pattern == 1
		type3 := sub != nil && *sub == "Type3"
		if !form && !type3 {
			continue
		}
		if form {
			add(*types.NewIndirectRef(nr, 0), res)
			continue
		}
		procs, _ := ctx.DereferenceDict(d["CharProcs"])
		for _, p := range procs {
			add(p, res)
		}
	}
	return out, nil
}

// eachPageStream calls f with each entry of each page's /Contents array (isolateContent has
// made every page's /Contents one) and the page's resources.
func eachPageStream(ctx *model.Context, f func(o types.Object, res types.Dict)) error {
	for i := 1; i <= ctx.PageCount; i++ {
		page, _, inh, err := ctx.PageDict(i, false)
		if err != nil {
			return fmt.Errorf("page %d: %w", i, err)
		}
		c, err := ctx.Dereference(page["Contents"])
		if err != nil {
			return fmt.Errorf("page %d contents: %w", i, err)
		}
		refs, _ := c.(types.Array)
		for _, r := range refs {
			f(r, inh.Resources)
		}
	}
	return nil
}

// rewriteInlineImages returns content with each of its inline images rewritten as
// burnInlineImages describes, and whether it held any. res gives the named colour spaces
// inline images may use.
func rewriteInlineImages(ctx *model.Context, content []byte, res types.Dict, b Burned, budget *pixelBudget) ([]byte, bool, error) {
	return replaceInlineImages(ctx, content, res, func(img inlineImage) ([]byte, error) { return img.rewrite(ctx, b, budget) })
}

// replaceInlineImages returns content with each of its inline images replaced by what
// rewrite gives, and whether it held any.
func replaceInlineImages(ctx *model.Context, content []byte, res types.Dict, rewrite func(inlineImage) ([]byte, error)) ([]byte, bool, error) {
	var out bytes.Buffer
	copied := 0
	l := lexer{s: content}
	for {
		start, end, err := l.token()
		if err != nil {
			return nil, false, fmt.Errorf("%w: %v", ErrInvalid, err)
		}
		if start == end {
			break
		}
		if string(content[start:end]) != "BI" {
			continue
		}
		img, next, err := readInlineImage(ctx, content, end, res)
		if err != nil {
			return nil, false, fmt.Errorf("%w: inline image at byte %d: %v", ErrInvalid, start, err)
		}
		rewritten, err := rewrite(img)
		if err != nil {
			return nil, false, fmt.Errorf("inline image at byte %d: %w", start, err)
		}
		out.Write(content[copied:start])
		out.Write(rewritten)
		copied, l.i = next, next
	}
	if copied == 0 {
		return content, false, nil
	}
	out.Write(content[copied:])
	return out.Bytes(), true, nil
}

// inlineImage is an inline image as written: its dictionary (abbreviated keys and all), the
// bytes of its data, and the resources its colour space name may be looked up in.
type inlineImage struct {
	dict types.Dict
	data []byte
	res  types.Dict
	ctx  *model.Context
}

// readInlineImage reads the inline image whose BI ends at byte from of content, and returns
// it with the offset just past its EI.
func readInlineImage(ctx *model.Context, content []byte, from int, res types.Dict) (inlineImage, int, error) {
	l := lexer{s: content, i: from}
	var idStart, idEnd int
	for {
		start, end, err := l.token()
		if err != nil {
			return inlineImage{}, 0, err
		}
		if start == end {
			return inlineImage{}, 0, fmt.Errorf("no ID")
		}
		if string(content[start:end]) == "ID" {
			idStart, idEnd = start, end
			break
		}
	}
	text := "<<" + string(content[from:idStart]) + ">>"
	o, err := model.ParseObject(&text)
	if err != nil {
		return inlineImage{}, 0, fmt.Errorf("dictionary: %v", err)
	}
	d, ok := o.(types.Dict)
	if !ok {
		return inlineImage{}, 0, fmt.Errorf("dictionary: not a dictionary")
	}
	img := inlineImage{dict: d, res: res, ctx: ctx}
	dataStart := idEnd
	if dataStart < len(content) && isSpace(content[dataStart]) {
		dataStart++ // the one white-space byte after ID
	}
	// Data without filters has exactly the samples' size; readers take that many bytes
	// and look for EI after them.
	from = dataStart
	exact := -1
	if img.entry("F", "Filter") == nil {
		n, err := img.rawSize()
		if err != nil {
			return inlineImage{}, 0, err
		}
		if n > len(content)-dataStart {
			return inlineImage{}, 0, fmt.Errorf("%d bytes of samples, %d left in the stream", n, len(content)-dataStart)
		}
		exact = dataStart + n
		from = exact
	}
	for i := from; i+2 <= len(content); i++ {
		if content[i] != 'E' || content[i+1] != 'I' {
			continue
		}
		if i != exact && !(i > dataStart && isSpace(content[i-1])) {
			continue
		}
		if i+2 < len(content) && isRegular(content[i+2]) {
			continue
		}
		end := i
		if exact >= 0 {
			end = exact
		} else if end > dataStart {
			end-- // the white space before EI
		}
		img.data = content[dataStart:end]
		return img, i + 2, nil
	}
	return inlineImage{}, 0, fmt.Errorf("no EI")
}

// entry returns the value of the first of keys the dictionary holds (inline images may
// write a key abbreviated or in full), or nil.
func (img inlineImage) entry(keys ...string) types.Object {
	for _, k := range keys {
		if v, ok := img.dict[k]; ok {
			return v
		}
	}
	return nil
}

// integer returns the integer under the first of keys present.
func (img inlineImage) integer(keys ...string) (int, bool) {
	i, ok := img.entry(keys...).(types.Integer)
	return int(i), ok
}

// rawSize returns the size of the image's samples without compression.
func (img inlineImage) rawSize() (int, error) {
	w, okW := img.integer("W", "Width")
	h, okH := img.integer("H", "Height")
	if !okW || !okH || w <= 0 || h <= 0 || w > MaxImagePixels || h > MaxImagePixels {
		return 0, fmt.Errorf("bad width or height")
	}
	bpc, comps := 1, 1
	if im, ok := img.entry("IM", "ImageMask").(types.Boolean); !ok || !bool(im) {
		var ok bool
		if bpc, ok = img.integer("BPC", "BitsPerComponent"); !ok || bpc <= 0 || bpc > 16 {
			return 0, fmt.Errorf("bad bits per component")
		}
		cs, err := img.colorSpace()
		if err != nil {
			return 0, err
		}
		if comps = img.components(cs); comps == 0 {
			return 0, fmt.Errorf("%w: a colour space of unknown size without a filter", ErrUnmarkable)
		}
	}
	row := (w*comps*bpc + 7) / 8
	if row > MaxBytes/h {
		return 0, fmt.Errorf("%w: %d×%d samples", ErrTooLarge, w, h)
	}
	return row * h, nil
}

// components returns how many components a sample of colour space cs has, 0 if that is not
// known.
func (img inlineImage) components(cs types.Object) int {
	cs, err := img.ctx.Dereference(cs)
	if err != nil {
		return 0
	}
	switch c := cs.(type) {
	case types.Name:
		switch c {
		case "DeviceGray", "CalGray", "Indexed", "Separation":
			return 1
		case "DeviceRGB", "CalRGB", "Lab":
			return 3
		case "DeviceCMYK":
			return 4
		}
	case types.Array:
		if len(c) == 0 {
			return 0
		}
		if n, ok := c[0].(types.Name); ok && n == "DeviceN" && len(c) > 1 {
			if names, ok := c[1].(types.Array); ok {
				return len(names)
			}
		}
		if n, ok := c[0].(types.Name); ok && n == "ICCBased" && len(c) > 1 {
			if sd, _, err := img.ctx.DereferenceStreamDict(c[1]); err == nil && sd != nil {
				if k := sd.IntEntry("N"); k != nil {
					return *k
				}
			}
			return 0
		}
		return img.components(c[0])
	}
	return 0
}

// inlineNames are the abbreviations inline images may use for colour spaces and filters.
var inlineNames = map[string]string{
	"G": "DeviceGray", "RGB": "DeviceRGB", "CMYK": "DeviceCMYK", "I": "Indexed",
	"AHx": filter.ASCIIHex, "A85": filter.ASCII85, "LZW": filter.LZW, "Fl": filter.Flate,
	"RL": filter.RunLength, "CCF": filter.CCITTFax, "DCT": filter.DCT,
}

// colorSpace returns the image's colour space with abbreviations expanded and a resource
// name replaced by its resource's value (dereferenced one level, for components).
func (img inlineImage) colorSpace() (types.Object, error) {
	switch c := img.entry("CS", "ColorSpace").(type) {
	case types.Name:
		if full, ok := inlineNames[string(c)]; ok {
			return types.Name(full), nil
		}
		switch c {
		case "DeviceGray", "DeviceRGB", "DeviceCMYK":
			return c, nil
		}
		spaces, _ := img.res["ColorSpace"].(types.Dict)
		v, ok := spaces[string(c)]
		if !ok {
			return nil, fmt.Errorf("%w: colour space %s not in the resources", ErrUnmarkable, c)
		}
		return v, nil
	case types.Array:
		out := make(types.Array, len(c))
		copy(out, c)
		for i := range min(2, len(out)) {
			if n, ok := out[i].(types.Name); ok {
				if full, ok := inlineNames[string(n)]; ok {
					out[i] = types.Name(full)
				}
			}
		}
		return out, nil
	case nil:
		return nil, fmt.Errorf("no colour space")
	default:
		return nil, fmt.Errorf("bad colour space")
	}
}

// filters returns the image's filters, their names in full, and their parameters.
func (img inlineImage) filters() ([]types.PDFFilter, error) {
	var names types.Array
	switch f := img.entry("F", "Filter").(type) {
	case nil:
		return nil, nil
	case types.Name:
		names = types.Array{f}
	case types.Array:
		names = f
	default:
		return nil, fmt.Errorf("bad filter")
	}
	var parms types.Array
	switch p := img.entry("DP", "DecodeParms").(type) {
	case types.Dict:
		parms = types.Array{p}
	case types.Array:
		parms = p
	}
	out := make([]types.PDFFilter, len(names))
	for i, n := range names {
		name, ok := n.(types.Name)
		if !ok {
			return nil, fmt.Errorf("bad filter")
		}
		out[i].Name = string(name)
		if full, ok := inlineNames[string(name)]; ok {
			out[i].Name = full
		}
		if i < len(parms) {
			out[i].DecodeParms, _ = parms[i].(types.Dict)
		}
	}
	return out, nil
}

// rewrite returns the image written as burnInlineImages describes.
func (img inlineImage) rewrite(ctx *model.Context, b Burned, budget *pixelBudget) ([]byte, error) {
	w, okW := img.integer("W", "Width")
	h, okH := img.integer("H", "Height")
	if !okW || !okH || w <= 0 || h <= 0 {
		return nil, fmt.Errorf("%w: bad width or height", ErrInvalid)
	}
	if !burnable(w, h) {
		return img.wrapped(), nil
	}
	if err := budget.take(w, h); err != nil {
		return nil, err
	}
	sd, err := img.streamDict(w, h)
	if err != nil {
		return nil, err
	}
	marked, err := burnSamples(ctx, sd, 0, w, h, b)
	if err != nil {
		return nil, err
	}
	d := types.Dict{"W": types.Integer(w), "H": types.Integer(h)}
	if m := marked.Dict.BooleanEntry("ImageMask"); m != nil && *m {
		d["IM"] = types.Boolean(true)
	} else {
		d["CS"], d["BPC"] = types.Name("RGB"), types.Integer(8)
	}
	compression := "Fl"
	if isDCT(marked) {
		compression = "DCT"
	}
	d["F"] = types.Array{types.Name("AHx"), types.Name(compression)}
	return inlineBytes(d, marked.Raw), nil
}

// wrapped returns the image as it was, its data in hexadecimal in front of its filters.
func (img inlineImage) wrapped() []byte {
	d := types.Dict{}
	for k, v := range img.dict {
		d[k] = v
	}
	delete(d, "L")
	fk, pk := "F", "DP"
	if _, ok := d["Filter"]; ok {
		fk = "Filter"
	}
	if _, ok := d["DecodeParms"]; ok {
		pk = "DecodeParms"
	}
	switch f := d[fk].(type) {
	case nil:
		d[fk] = types.Name("AHx")
		delete(d, pk)
	case types.Array:
		d[fk] = append(types.Array{types.Name("AHx")}, f...)
	default:
		d[fk] = types.Array{types.Name("AHx"), f}
	}
	switch p := d[pk].(type) {
	case nil:
	case types.Array:
		d[pk] = append(types.Array{nil}, p...)
	default:
		d[pk] = types.Array{nil, p}
	}
	return inlineBytes(d, img.data)
}

// streamDict returns the image as an image XObject would hold it, for decoding.
func (img inlineImage) streamDict(w, h int) (types.StreamDict, error) {
	d := types.Dict{
		"Type": types.Name("XObject"), "Subtype": types.Name("Image"),
		"Width": types.Integer(w), "Height": types.Integer(h),
	}
	if im, ok := img.entry("IM", "ImageMask").(types.Boolean); ok && bool(im) {
		d["ImageMask"] = types.Boolean(true)
		d["BitsPerComponent"] = types.Integer(1)
	} else {
		cs, err := img.colorSpace()
		if err != nil {
			return types.StreamDict{}, err
		}
		d["ColorSpace"] = cs
		if bpc, ok := img.integer("BPC", "BitsPerComponent"); ok {
			d["BitsPerComponent"] = types.Integer(bpc)
		}
	}
	if dec := img.entry("D", "Decode"); dec != nil {
		d["Decode"] = dec
	}
	fpl, err := img.filters()
	if err != nil {
		return types.StreamDict{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if len(fpl) > 0 {
		names := make(types.Array, len(fpl))
		for i, f := range fpl {
			names[i] = types.Name(f.Name)
		}
		d["Filter"] = names
	}
	n := int64(len(img.data))
	return types.StreamDict{Dict: d, Raw: img.data, StreamLength: &n, FilterPipeline: fpl}, nil
}

// inlineBytes writes an inline image of dictionary d (its filters beginning with AHx) and
// data, which it writes in hexadecimal.
func inlineBytes(d types.Dict, data []byte) []byte {
	s := d.PDFString()
	var out bytes.Buffer
	out.Grow(len(s) + 2*len(data) + 16)
	out.WriteString("BI ")
	out.WriteString(s[2 : len(s)-2])
	out.WriteString(" ID ")
	out.WriteString(hex.EncodeToString(data))
	out.WriteString(">\nEI")
	return out.Bytes()
}

// lexer reads the tokens of a content stream.
type lexer struct {
	s []byte
	i int
}

// token returns the bounds of the next token, skipping white space and comments; a string,
// hexadecimal string or name is one token, and so are "<<" and ">>". At the end it returns
// an empty token.
func (l *lexer) token() (start, end int, err error) {
	s := l.s
	for l.i < len(s) {
		switch c := s[l.i]; {
		case isSpace(c):
			l.i++
		case c == '%':
			for l.i < len(s) && s[l.i] != '\n' && s[l.i] != '\r' {
				l.i++
			}
		default:
			start = l.i
			if err := l.skip(); err != nil {
				return 0, 0, err
			}
			return start, l.i, nil
		}
	}
	return l.i, l.i, nil
}

// skip moves past the token at l.i.
func (l *lexer) skip() error {
	s := l.s
	switch c := s[l.i]; c {
	case '(':
		end := skipString(s, l.i)
		if end >= len(s) {
			return fmt.Errorf("unterminated string")
		}
		l.i = end + 1
		return nil
	case '<', '>':
		if l.i+1 < len(s) && s[l.i+1] == c {
			l.i += 2
			return nil
		}
		if c == '>' {
			l.i++
			return nil
		}
		end := bytes.IndexByte(s[l.i:], '>')
		if end < 0 {
			return fmt.Errorf("unterminated hexadecimal string")
		}
		l.i += end + 1
		return nil
	case '[', ']', '{', '}', ')':
		l.i++
		return nil
	case '/':
		l.i++
	}
	for l.i < len(s) && isRegular(s[l.i]) {
		l.i++
	}
	return nil
}

func isSpace(c byte) bool {
	return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' '
}
