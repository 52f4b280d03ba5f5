package textract

import "errors"

// ErrTooComplex is wrapped by errors about a document whose structure goes past the bounds
// below: a small file that decompresses into millions of nested elements is refused rather
// than parsed.
var ErrTooComplex = errors.New("document too complex")

// Bounds on a Word document's XML parts (its body, notes, headers and footers; the elements of
// its relationships, styles and numbering are counted too, decodePart), and alike on an
// OpenDocument's content.xml and styles.xml: the elements are counted over all the parts of a
// document, the depth and each part's bytes (maxDOCXPart) part by part. A long real letter
// has some tens of thousands of elements (ten or twenty a paragraph), nested a few dozen deep (tables in tables). The XML decoder keeps a
// stack entry per open element and allocates some 200 bytes per element, so both are counted
// while decoding: 200 000 elements cost at most about 40 MB of allocation.
// A tag is read whole before it can be counted: one token (a tag, or a run of text) is bounded
// in bytes, at MaxText, since longer text would be cut anyway, and the attributes of a part
// are counted, at two per element, about 100 bytes each. A namespace declaration costs some
// 300 bytes more, kept on the decoder's stack until its element ends: Word and LibreOffice
// declare a few dozen, on the root element.
const (
	maxDOCXDepth      = 256
	maxDOCXElements   = 200_000
	maxDOCXToken      = MaxText
	maxDOCXAttrs      = 2 * maxDOCXElements
	maxDOCXNamespaces = 1000
)
