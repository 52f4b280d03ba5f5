package pdf

import (
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// directScalars replaces, in every dictionary of the document, each entry that is a reference
// to a name, a number or a boolean by the value it refers to. The specification asks for a
// direct name in /Type and /Subtype, but readers resolve a reference wherever they find one:
// an image XObject whose /Subtype was a reference to /Image was drawn by every reader as a
// picture, and was no picture to the code that marks a copy's pictures, which reads names
// where the specification puts them, so pdfimages took it out of a draft copy unmarked. A
// reference and its value are the same object to a reader: the document draws the same.
func directScalars(ctx *model.Context) {
	for n, e := range ctx.Table {
		if e == nil || e.Free || e.Generation == nil {
			continue
		}
		// Objects in object streams are decoded here if boundPageArrays has not already.
		o, err := ctx.Dereference(*types.NewIndirectRef(n, *e.Generation))
		if err != nil {
			continue
		}
		switch o := o.(type) {
		case types.Dict:
			directIn(ctx, o, 0)
		case types.StreamDict:
			directIn(ctx, o.Dict, 0)
		case types.Array:
			directIn(ctx, o, 0)
		}
	}
}

// directIn is directScalars within the value o, depth levels down in an object (read has
// bounded the nesting to maxNesting).
func directIn(ctx *model.Context, o types.Object, depth int) {
	if depth > maxNesting {
		return
	}
	switch o := o.(type) {
	case types.Dict:
		for k, v := range o {
			if s, ok := directValue(ctx, v, depth); ok {
				o[k] = s
			}
		}
	case types.Array:
		for i, v := range o {
			if s, ok := directValue(ctx, v, depth); ok {
				o[i] = s
			}
		}
	}
}

// directValue returns the name, number or boolean v refers to when it is such a reference;
// any other value it goes down into (directIn).
func directValue(ctx *model.Context, v types.Object, depth int) (types.Object, bool) {
	if r, ok := v.(types.IndirectRef); ok {
		return scalar(ctx, r)
	}
	directIn(ctx, v, depth+1)
	return nil, false
}

// scalar returns the name, number or boolean r refers to.
func scalar(ctx *model.Context, r types.IndirectRef) (types.Object, bool) {
	o, err := ctx.Dereference(r)
	if err != nil {
		return nil, false
	}
	switch o.(type) {
	case types.Name, types.Integer, types.Float, types.Boolean:
		return o, true
	}
	return nil, false
}
