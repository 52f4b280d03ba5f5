package textract

import (
	"regexp"
	"slices"
	"testing"
)

// TestODTDrawingTextAsShown: an OpenDocument text's pictures, frames and shapes keep text that
// LibreOffice does not show (an image's title and description, svg:title and svg:desc, its
// base64 bytes, text written inside a frame, a text box or an image but outside a paragraph
// of a text box or shape), and textract read it all with the paragraph holding the picture:
// "We will <image with description NOT> pay" was read "We will NOT pay", which reviewers
// approved, while the letter says "We will pay". Read as LibreOffice 7.4 shows it
// (convert.TestDrawingTextAsShown): the words in capitals are those of its PDF, in order.
func TestODTDrawingTextAsShown(t *testing.T) {
	frame := func(inner string) string {
		return `<draw:frame draw:name="F" text:anchor-type="as-char" svg:width="4cm" svg:height="1cm">` + inner + `</draw:frame>`
	}
	body := `<text:p>A1 <svg:desc>DESCINPARA</svg:desc> <draw:foo>DRAWFOOINPARA</draw:foo> ENDA</text:p>` +
		`<text:p>A2 ` + frame(`<svg:title>FRTITLE</svg:title><x:foo>FRFOREIGN</x:foo>FRCHARS<draw:text-box>BOXCHARS<text:span>BOXSPAN</text:span>`+
		`<text:p>BOXPARA <svg:desc>BOXPARADESC</svg:desc></text:p></draw:text-box>`) + ` ENDB</text:p>` +
		`<text:p>A3 ` + frame(`<draw:image><office:binary-data>QKFTRTY0</office:binary-data><text:p>IMGPARA</text:p><svg:desc>IMGDESC</svg:desc></draw:image>`) + ` ENDC</text:p>` +
		`<text:p>A4 <draw:a xlink:href="http://x/">` + frame(`<draw:text-box><text:p>LINKEDBOX</text:p></draw:text-box>`) + `DRAWACHARS</draw:a> ` +
		`<x:foo><svg:desc>FOREIGNDESC</svg:desc></x:foo> <text:span><svg:title>SPANTITLE</svg:title></text:span> <office:binary-data>PARABIN</office:binary-data> ` +
		`<table:foo>TABLEFOO</table:foo> <x:foo>FOREIGNFOO</x:foo> ENDD</text:p>` +
		`<text:p>A5 <draw:custom-shape draw:name="S" text:anchor-type="as-char" svg:width="4cm" svg:height="1cm"><svg:title>SHAPETITLE</svg:title>` +
		`<text:p>SHAPEPARA</text:p><draw:enhanced-geometry svg:viewBox="0 0 21600 21600" draw:type="rectangle"/></draw:custom-shape> ENDE</text:p>`
	const ns = ` xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"` +
		` xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:x="urn:example:x"`
	got, err := Text(ODTType, odt(t, `<text:section text:name="S"`+ns+`>`+body+`</text:section>`))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"DRAWFOOINPARA", "ENDA", "BOXPARA", "ENDB", "ENDC", "LINKEDBOX", "TABLEFOO", "FOREIGNFOO", "ENDD", "SHAPEPARA", "ENDE"}
	if words := regexp.MustCompile(`[A-Z]{4,}`).FindAllString(got, -1); !slices.Equal(words, want) {
		t.Errorf("read %q, LibreOffice shows %q\ntext:\n%s", words, want, got)
	}
}
