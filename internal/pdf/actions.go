package pdf

import (
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// runs are the action types (PDF 32000-1:2008, 12.6.4) that do more than take the reader to a
// place in the document or to a web page: run a script, start a program, send or reset a
// form, play media, open another file, hide or show parts of the page.
var runs = map[string]bool{
	"JavaScript": true, "Launch": true, "SubmitForm": true, "ResetForm": true, "ImportData": true,
	"Rendition": true, "Sound": true, "Movie": true, "Hide": true, "GoToR": true, "GoToE": true,
	"GoTo3DView": true, "RichMediaExecute": true, "SetOCGState": true, "Trans": true, "Thread": true,
}

// dropActions removes from a document about to be marked what a viewer would run: the
// catalog's open action, every additional-actions entry (run when a page or the document
// opens, closes, prints or saves, without a click), the document-level scripts of the
// JavaScript name tree, and the content of every action of runs, wherever it is (a link's,
// an outline item's, one chained after a link to a web page). A script run on opening could
// draw over the DRAFT marks or the stamp, or tell a web page who reads the letter, in a copy
// the office hands out or signs. Links to places in the letter and to web pages stay.
func dropActions(ctx *model.Context) {
	for _, e := range ctx.Table {
		if e != nil && !e.Free {
			dropAction(e.Object, 0)
		}
	}
}

// dropAction does dropActions' work on o and the direct objects it holds; actions held by
// reference are objects of the table in their own right.
func dropAction(o types.Object, depth int) {
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
			dropAction(e, depth+1)
		}
		return
	default:
		return
	}
	// A structure element's /S is its role, which may be any name: it has kids, an action none.
	if s := d.NameEntry("S"); s != nil && runs[*s] && d["K"] == nil {
		for k := range d {
			delete(d, k)
		}
		return
	}
	for _, k := range []string{"OpenAction", "AA", "JavaScript"} {
		d.Delete(k)
	}
	for _, v := range d {
		dropAction(v, depth+1)
	}
}
