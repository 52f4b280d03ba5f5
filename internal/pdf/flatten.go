package pdf

import (
	"bytes"
	"fmt"
	"math"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// Annotation flags (PDF 32000-1:2008, 12.5.3) under which a viewer shows no appearance.
const (
	annotHidden = 1 << 1
	annotNoView = 1 << 5
)

// settle makes every page of a document about to be marked show its annotations as page
// content, under the marks that follow, and removes what could be drawn above them or show
// instead of them. Viewers and printers draw annotations above the page's content, whatever
// that content draws last: an opaque annotation (a stamp, a filled-in form field, a square
// covering the page) would hide a draft copy's DRAFT banner and band, or a release's footer.
// So:
//
//   - each annotation's normal appearance, unless it is hidden, is drawn into the page's
//     content where the annotation was, as a viewer draws it (the annotation's rectangle and
//     the appearance's bounding box and matrix, PDF 32000-1 12.5.5), so that filled-in form
//     fields, stamps and comments stay legible, below the marks; a file attachment's icon is
//     not, as its file goes;
//   - links stay links, without an appearance of their own; every other annotation goes, form
//     fields with their widgets: the catalog's AcroForm goes, and with it any XFA form, which
//     a viewer that renders XFA would show instead of the pages.
//
// pdfcpu removes annotations, form fields and attachments, but has no flattening; and its
// removals work from the annotations it recognised while validating, where this walks each
// page's /Annots as a viewer does. settle also removes every embedded file:
// every name tree of the catalog but the named destinations (EmbeddedFiles, hidden page
// Templates, AP, …; a portfolio's Collection goes by pdfcpu), each file
// specification's embedded streams (/EF, /RF), every associated-files array (/AF), every
// page thumbnail (/Thumb), applications' private data (/PieceInfo) and XMP metadata
// (/Metadata, where Adobe's applications keep a JPEG thumbnail of the page, xmp:Thumbnails,
// and free-text descriptions), wherever they are: a copy must not carry, unmarked, files or
// pictures the pages do not show. And it removes what a viewer would run (dropActions).
func settle(ctx *model.Context) error {
	inTree := map[int]bool{}
	for i := 1; i <= ctx.PageCount; i++ {
		page, ref, inh, err := ctx.PageDict(i, false)
		if err != nil {
			return fmt.Errorf("page %d: %w", i, err)
		}
		if ref != nil {
			inTree[ref.ObjectNumber.Value()] = true
		}
		if err := flattenAnnots(ctx, page, inh); err != nil {
			return fmt.Errorf("page %d annotations: %w", i, err)
		}
	}
	root, err := ctx.Catalog()
	if err != nil {
		return err
	}
	root.Delete("AcroForm")
	root.Delete("NeedsRendering")
	// An upload's certification (DocMDP) or usage rights (UR3) name a signature dictionary of
	// its own, which readers listed beside the office's on the release, an "Outside
	// Certifier" certifying the letter (found by audit, forty-ninth session); its signature
	// fields went with the AcroForm.
	root.Delete("Perms")
	dropActions(ctx)
	if _, err := ctx.RemoveAttachments(nil); err != nil {
		return err
	}
	if names, err := ctx.DereferenceDict(root["Names"]); err == nil && names != nil {
		// Of the name trees, only the named destinations stay, which the links kept may lead
		// to. The others name what no page draws: hidden page templates (Templates: a page
		// with its own content, outside the page tree, which Acrobat's "Page Templates" shows
		// and adds to the document), appearance streams (AP), slideshows' pictures
		// (AlternatePresentations), media clips (Renditions), web capture's content (IDS,
		// URLS), the pages' names (Pages, for scripts), and the files and scripts settle
		// removes anyway (EmbeddedFiles, JavaScript): the marks are drawn on the pages
		// only, so a copy would carry what these name unmarked.
		for k := range names {
			if k != "Dests" {
				names.Delete(k)
			}
		}
	}
	eachDict(ctx, dropFiles)
	emptyPagesOutside(ctx, inTree)
	return nil
}

// emptyPagesOutside takes the content, resources and annotations off every page object that
// is not one of the document's pages (whose object numbers are inTree): a page a destination
// or an outline item leads to, or a page template, outside the page tree. No viewer shows such
// a page, and the marks are drawn on the pages of the tree only, but it left with every copy,
// its content unmarked, for any tool to take out (or, for a template, Acrobat to add).
func emptyPagesOutside(ctx *model.Context, inTree map[int]bool) {
	for nr, e := range ctx.Table {
		if e == nil || e.Free || inTree[nr] {
			continue
		}
		eachDictIn(e.Object, 0, func(d types.Dict) bool {
			t := d.NameEntry("Type")
			if t != nil && *t == "Pages" {
				return false // a page tree node's kids are pages of the tree
			}
			if t != nil && (*t == "Page" || *t == "Template") {
				for _, k := range []string{"Contents", "Resources", "Annots", "Group", "B", "AA"} {
					d.Delete(k)
				}
			}
			return true
		})
	}
}

// dropFiles deletes a dictionary's embedded-file and associated-file entries, a page's
// thumbnail (/Thumb: a picture of the page as it was, without the marks), applications'
// private data (/PieceInfo: Illustrator and InDesign keep the whole native document there) and
// XMP metadata (/Metadata: its xmp:Thumbnails is a picture of the page too).
func dropFiles(d types.Dict) bool {
	for _, k := range []string{"AF", "EF", "RF", "Thumb", "PieceInfo", "Metadata"} {
		d.Delete(k)
	}
	return true
}

// eachDict calls fn on every dictionary of ctx's objects (a stream's too) and, while fn
// returns true, on the dictionaries they hold directly, at any depth; a dictionary held by
// reference is an object of the table in its own right.
func eachDict(ctx *model.Context, fn func(types.Dict) bool) {
	for _, e := range ctx.Table {
		if e != nil && !e.Free {
			eachDictIn(e.Object, 0, fn)
		}
	}
}

// eachDictIn does eachDict's work on o; depth guards the recursion (the limits of read bound
// it anyway).
func eachDictIn(o types.Object, depth int, fn func(types.Dict) bool) {
	if depth > maxNesting {
		return
	}
	var d types.Dict
	switch o := o.(type) {
	case types.Dict:
		d = o
	case types.StreamDict:
		d = o.Dict
	case types.Array:
		for _, e := range o {
			eachDictIn(e, depth+1, fn)
		}
		return
	default:
		return
	}
	if !fn(d) {
		return
	}
	for _, v := range d {
		eachDictIn(v, depth+1, fn)
	}
}

// flattenAnnots draws the visible appearances of page's annotations into its content and
// removes them but for links (see settle).
func flattenAnnots(ctx *model.Context, page types.Dict, inh *model.InheritedPageAttrs) error {
	o, found := page.Find("Annots")
	if !found {
		return nil
	}
	annots, err := ctx.DereferenceArray(o)
	if err != nil {
		return err
	}
	var draw bytes.Buffer
	var links types.Array
	for _, o := range annots {
		a, err := ctx.DereferenceDict(o)
		if err != nil {
			return err
		}
		if a == nil {
			continue
		}
		sub := a.NameEntry("Subtype")
		if sub == nil || *sub != "FileAttachment" {
			if err := drawAppearance(ctx, &draw, page, inh, a); err != nil {
				return err
			}
		}
		if sub != nil && *sub == "Link" {
			// A link keeps what makes it one, and draws nothing: a viewer draws a link's
			// border (/Border, /BS, in /C) and its highlight above the page, so a link over
			// the page with a white border 300 points wide hid the marks.
			for k := range a {
				if !linkKeys[k] {
					a.Delete(k)
				}
			}
			a["Border"] = types.Array{types.Integer(0), types.Integer(0), types.Integer(0)}
			links = append(links, o)
			continue
		}
		// A removed annotation may still be referred to (from the structure tree, a popup):
		// it keeps only what says what it was, nothing to draw or to open.
		for k := range a {
			if k != "Type" && k != "Subtype" && k != "Rect" {
				a.Delete(k)
			}
		}
	}
	if len(links) == 0 {
		page.Delete("Annots")
	} else {
		page["Annots"] = links
	}
	if draw.Len() == 0 {
		return nil
	}
	return appendContent(ctx, page, draw.Bytes())
}

// linkKeys are the entries a link kept on a marked page holds: where it is, and where it
// leads (dropActions judges its action).
var linkKeys = map[string]bool{"Type": true, "Subtype": true, "Rect": true, "QuadPoints": true, "A": true, "Dest": true, "PA": true, "StructParent": true}

// drawAppearance writes to w the operators drawing a's normal appearance where a viewer
// shows it, naming it in page's resources; nothing when a is hidden or has no appearance.
func drawAppearance(ctx *model.Context, w *bytes.Buffer, page types.Dict, inh *model.InheritedPageAttrs, a types.Dict) error {
	if f := a.IntEntry("F"); f != nil && *f&(annotHidden|annotNoView) != 0 {
		return nil
	}
	ap, err := ctx.DereferenceDict(a["AP"])
	if err != nil || ap == nil {
		return err
	}
	n := ap["N"]
	states, err := ctx.Dereference(n)
	if err != nil {
		return err
	}
	if states, ok := states.(types.Dict); ok {
		as := a.NameEntry("AS")
		if as == nil {
			return nil
		}
		n = states[*as]
	}
	ref, ok := n.(types.IndirectRef)
	if !ok {
		return nil
	}
	form, _, err := ctx.DereferenceStreamDict(ref)
	if err != nil || form == nil {
		return err
	}
	rect, err := numbers(ctx, a["Rect"], 4)
	if err != nil || rect == nil {
		return err
	}
	bbox, err := numbers(ctx, form.Dict["BBox"], 4)
	if err != nil || bbox == nil {
		return err
	}
	m, err := numbers(ctx, form.Dict["Matrix"], 6)
	if err != nil {
		return err
	}
	if m == nil {
		m = []float64{1, 0, 0, 1, 0, 0}
	}
	// The bounding box, transformed by the appearance's matrix, is mapped onto the
	// annotation's rectangle; Do applies the matrix itself.
	x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range [][2]float64{{bbox[0], bbox[1]}, {bbox[0], bbox[3]}, {bbox[2], bbox[1]}, {bbox[2], bbox[3]}} {
		x, y := m[0]*p[0]+m[2]*p[1]+m[4], m[1]*p[0]+m[3]*p[1]+m[5]
		x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
	}
	rx0, ry0, rx1, ry1 := min(rect[0], rect[2]), min(rect[1], rect[3]), max(rect[0], rect[2]), max(rect[1], rect[3])
	if x1-x0 < 1e-6 || y1-y0 < 1e-6 || rx1-rx0 < 1e-6 || ry1-ry0 < 1e-6 {
		return nil
	}
	sx, sy := (rx1-rx0)/(x1-x0), (ry1-ry0)/(y1-y0)
	xo, err := xObjects(ctx, page, inh)
	if err != nil {
		return err
	}
	id := xo.NewIDForPrefix("Annot", 0)
	xo[id] = ref
	fmt.Fprintf(w, "q %s 0 0 %s %s %s cm /%s Do Q\n", num(sx), num(sy), num(rx0-x0*sx), num(ry0-y0*sy), id)
	return nil
}

// numbers returns the n numbers of the array o, nil when o is absent or not such an array.
func numbers(ctx *model.Context, o types.Object, n int) ([]float64, error) {
	if o == nil {
		return nil, nil
	}
	a, err := ctx.DereferenceArray(o)
	if err != nil || len(a) != n {
		return nil, err
	}
	out := make([]float64, n)
	for i, e := range a {
		if out[i], err = ctx.DereferenceNumber(e); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// xObjects returns the XObject resources of page, giving the page resources of its own (a
// copy of those it inherits) when it has none.
func xObjects(ctx *model.Context, page types.Dict, inh *model.InheritedPageAttrs) (types.Dict, error) {
	res, err := ctx.DereferenceDict(page["Resources"])
	if err != nil {
		return nil, err
	}
	if res == nil {
		res = types.Dict{}
		if inh != nil && inh.Resources != nil {
			res = inh.Resources.Clone().(types.Dict)
		}
		page["Resources"] = res
	}
	xo, err := ctx.DereferenceDict(res["XObject"])
	if err != nil {
		return nil, err
	}
	if xo == nil {
		xo = types.Dict{}
		res["XObject"] = xo
	}
	return xo, nil
}

// appendContent draws ops above page's content in the page's default coordinates, as a viewer
// draws annotations, whatever the content changes outside q and Q (a cm, a colour): the content
// goes between q and Q.
func appendContent(ctx *model.Context, page types.Dict, ops []byte) error {
	open, err := contentStream(ctx, []byte("q\n"))
	if err != nil {
		return err
	}
	closed, err := contentStream(ctx, append([]byte("Q\n"), ops...))
	if err != nil {
		return err
	}
	contents := types.Array{open}
	if o, found := page.Find("Contents"); found {
		c, err := ctx.Dereference(o)
		if err != nil {
			return err
		}
		if a, ok := c.(types.Array); ok {
			contents = append(contents, a...)
		} else {
			contents = append(contents, o)
		}
	}
	page["Contents"] = append(contents, closed)
	return nil
}
