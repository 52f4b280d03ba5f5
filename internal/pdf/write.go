package pdf

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// write serialises ctx as a plain, canonical PDF. pdfcpu's own writer numbers and orders
// objects by map iteration and stamps the clock into the document; this one depends on the
// document alone:
//
//   - the objects reachable from the catalog and the information dictionary are numbered
//     1, 2, … in depth-first order, dictionary keys sorted, and written in that order,
//     uncompressed at top level (streams keep their filters); unreachable objects, object
//     streams and cross-reference streams are left out;
//   - a classic cross-reference table follows, and a trailer whose file identifier is derived
//     from seed;
//   - the information dictionary's ModDate becomes date.
//
// An object pdfcpu cannot decode when it is written (one packed in an object stream that
// decodes past its limit) makes pdfcpu panic: write returns an error wrapping ErrInvalid.
func write(ctx *model.Context, date time.Time, seed []byte) (out []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("%w: write: %v", ErrInvalid, r)
		}
	}()
	if ctx.Root == nil {
		return nil, fmt.Errorf("%w: no catalog", ErrInvalid)
	}
	if ctx.Info != nil {
		if d, err := ctx.DereferenceDict(*ctx.Info); err == nil && d != nil {
			keepInfo(d)
			d.Update("ModDate", types.StringLiteral(types.DateString(date.UTC())))
		}
	}
	object := func(nr int) types.Object {
		if e, ok := ctx.Table[nr]; ok && e != nil && !e.Free {
			return e.Object
		}
		return nil
	}

	// Number the reachable objects in depth-first order.
	renum := map[int]int{}
	var order []int
	stack := []int{}
	if ctx.Info != nil {
		stack = append(stack, ctx.Info.ObjectNumber.Value())
	}
	stack = append(stack, ctx.Root.ObjectNumber.Value())
	for len(stack) > 0 {
		nr := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if _, seen := renum[nr]; seen {
			continue
		}
		o := object(nr)
		if o == nil {
			continue
		}
		order = append(order, nr)
		renum[nr] = len(order)
		var kids []int
		refs(o, &kids)
		for i := len(kids) - 1; i >= 0; i-- {
			if _, seen := renum[kids[i]]; !seen {
				stack = append(stack, kids[i])
			}
		}
	}

	var b bytes.Buffer
	version := "1.7"
	if ctx.XRefTable.Version() == model.V20 {
		version = "2.0"
	}
	b.WriteString("%PDF-" + version + "\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(order)+1)
	for i, nr := range order {
		offsets[i+1] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n", i+1)
		switch o := remap(object(nr), renum).(type) {
		case types.StreamDict:
			if err := writeStream(&b, &o); err != nil {
				return nil, fmt.Errorf("write object %d: %w", nr, err)
			}
		default:
			b.WriteString(o.PDFString())
		}
		b.WriteString("\nendobj\n")
	}

	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f\r\n", len(offsets))
	for _, off := range offsets[1:] {
		fmt.Fprintf(&b, "%010d 00000 n\r\n", off)
	}
	trailer := types.Dict{
		"Size": types.Integer(len(offsets)),
		"Root": *types.NewIndirectRef(renum[ctx.Root.ObjectNumber.Value()], 0),
	}
	if ctx.Info != nil {
		if nr, ok := renum[ctx.Info.ObjectNumber.Value()]; ok {
			trailer["Info"] = *types.NewIndirectRef(nr, 0)
		}
	}
	id := types.HexLiteral(strings.ToUpper(hex.EncodeToString(seed[:16])))
	trailer["ID"] = types.Array{id, id}
	fmt.Fprintf(&b, "trailer\n%s\nstartxref\n%d\n%%%%EOF\n", trailer.PDFString(), xref)
	return b.Bytes(), nil
}

// keepInfo leaves in the information dictionary d what a copy or a release may carry: the
// producing tool, the creator and the dates, as strings. An uploaded document's properties
// (its author, a staff member's name; an internal title, subject or keywords; custom keys and
// the objects they name) were kept in every draft copy, preview and release, for whoever
// receives it to read (found by audit, forty-ninth session). The title and author of a
// document Chancery laid out itself (Producer Chancery: the letter's subject and its office)
// stay.
func keepInfo(d types.Dict) {
	ours := false
	if p, ok := d["Producer"].(types.StringLiteral); ok && p.Value() == "Chancery" {
		ours = true
	}
	for k, v := range d {
		_, literal := v.(types.StringLiteral)
		_, hex := v.(types.HexLiteral) // Chancery writes its title and author so (pdfText)
		switch isString := literal || hex; {
		case !isString && k != "Trapped":
			delete(d, k)
		case k == "Producer", k == "Creator", k == "CreationDate", k == "ModDate", k == "Trapped":
		case ours && (k == "Title" || k == "Author"):
		default:
			delete(d, k)
		}
	}
}

// refs appends the object numbers o refers to, in the order write visits them.
func refs(o types.Object, out *[]int) {
	switch o := o.(type) {
	case types.IndirectRef:
		*out = append(*out, o.ObjectNumber.Value())
	case types.Dict:
		keys := make([]string, 0, len(o))
		for k := range o {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			refs(o[k], out)
		}
	case types.StreamDict:
		refs(o.Dict, out)
	case types.Array:
		for _, v := range o {
			refs(v, out)
		}
	}
}

// remap returns a copy of o with its indirect references renumbered by renum; a reference
// to a missing object becomes null, as PDF reads it.
func remap(o types.Object, renum map[int]int) types.Object {
	switch o := o.(type) {
	case types.IndirectRef:
		if nr, ok := renum[o.ObjectNumber.Value()]; ok {
			return *types.NewIndirectRef(nr, 0)
		}
		return nil
	case types.Dict:
		d := make(types.Dict, len(o))
		for k, v := range o {
			d[k] = remap(v, renum)
		}
		return d
	case types.StreamDict:
		sd := o
		sd.Dict = remap(o.Dict, renum).(types.Dict)
		return sd
	case types.Array:
		a := make(types.Array, len(o))
		for i, v := range o {
			a[i] = remap(v, renum)
		}
		return a
	}
	return o
}

func writeStream(b *bytes.Buffer, sd *types.StreamDict) error {
	if sd.Raw == nil && sd.Content != nil {
		if err := sd.Encode(); err != nil {
			return err
		}
	}
	if sd.Raw == nil && sd.StreamLength != nil && *sd.StreamLength > 0 {
		return fmt.Errorf("stream data of %d bytes not loaded", *sd.StreamLength)
	}
	d := sd.Dict.Clone().(types.Dict)
	d["Length"] = types.Integer(len(sd.Raw))
	b.WriteString(d.PDFString())
	b.WriteString("\nstream\n")
	b.Write(sd.Raw)
	b.WriteString("\nendstream")
	return nil
}
