package textract

import (
	"mime"
	"strings"
)

// extensionTypes are the media types of the documents read here whose extensions not every
// system's MIME table knows. They are looked up here rather than added to package mime at
// start: adding one makes package mime load the system's tables then, 8 to 20 ms that every
// run of every command paid (`chancery verify` of a folder of letters among them, issue 19).
var extensionTypes = map[string]string{".docx": DOCXType, ".odt": ODTType}

// TypeByExtension is mime.TypeByExtension, knowing .docx and .odt on every system.
func TypeByExtension(ext string) string {
	if t, ok := extensionTypes[strings.ToLower(ext)]; ok {
		return t
	}
	return mime.TypeByExtension(ext)
}
