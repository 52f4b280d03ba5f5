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
	eachDict(ctx, dropAction)
}

// dropAction does dropActions' work on one dictionary; it reports whether the objects it
// holds are to be searched too (an action emptied holds nothing any more).
func dropAction(d types.Dict) bool {
	// A structure element's /S is its role, which may be any name: it has kids, an action none.
	if s := d.NameEntry("S"); s != nil && runs[*s] && d["K"] == nil {
		for k := range d {
			delete(d, k)
		}
		return false
	}
	for _, k := range []string{"OpenAction", "AA", "JavaScript"} {
		d.Delete(k)
	}
	return true
}
