package textract

import "errors"

// ErrTooComplex is wrapped by errors about a document whose structure goes past the bounds
// below: a small file that decompresses into millions of nested elements is refused rather
// than parsed.
var ErrTooComplex = errors.New("document too complex")

// Bounds on word/document.xml, and alike on an OpenDocument's content.xml. A long real letter
// has some tens of thousands of elements (ten or twenty a paragraph), nested a few dozen deep (tables in tables). The XML decoder keeps a
// stack entry per open element and allocates some 200 bytes per element, so both are counted
// while decoding: 200 000 elements cost at most about 40 MB of allocation.
const (
	maxDOCXDepth    = 256
	maxDOCXElements = 200_000
)
