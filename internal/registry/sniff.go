package registry

import (
	"archive/zip"
	"bytes"
	"fmt"
	"mime"
	"net/http"
	"path/filepath"

	"github.com/chancery/chancery/internal/textract"
)

// pdfMagic opens every PDF; readers accept it anywhere in the first kilobyte, so a PDF with a
// few bytes in front of it is still a PDF.
const (
	pdfMagic       = "%PDF-"
	pdfMagicWithin = 1024
)

// Media types the registry marks in its own way: a file with one of these signatures is
// classified by its content, whatever it was declared as, so that no upload can steer a PDF,
// a Word document or an image away from the path that marks it.
var sniffedTypes = map[string]bool{
	"application/pdf": true,
	textract.DOCXType: true,
	textract.ODTType:  true,
	"image/tiff":      true,
	"image/png":       true,
	"image/jpeg":      true,
	"image/gif":       true,
	"image/webp":      true,
	"image/bmp":       true,
	"image/x-icon":    true,
}

// genericTypes say no more than "some bytes": a client's default, corrected to the detected
// type rather than refused.
var genericTypes = map[string]bool{
	"":                         true,
	"application/octet-stream": true,
	"binary/octet-stream":      true,
}

// typeAliases are other names in use for the sniffed types.
var typeAliases = map[string]string{
	"application/x-pdf": "application/pdf",
	"image/jpg":         "image/jpeg",
	"image/pjpeg":       "image/jpeg",
	"image/x-png":       "image/png",
	"image/tif":         "image/tiff",
}

// sniff returns the media type data's content shows when it is one of sniffedTypes, or "".
func sniff(data []byte) string {
	if bytes.Contains(data[:min(len(data), pdfMagicWithin)], []byte(pdfMagic)) {
		return "application/pdf"
	}
	if isDOCX(data) {
		return textract.DOCXType
	}
	if textract.IsODT(data) {
		return textract.ODTType
	}
	// http.DetectContentType does not know TIFF, the format of many scanners.
	if bytes.HasPrefix(data, []byte("II*\x00")) || bytes.HasPrefix(data, []byte("MM\x00*")) {
		return "image/tiff"
	}
	mt, _, _ := mime.ParseMediaType(http.DetectContentType(data))
	if sniffedTypes[mt] {
		return mt
	}
	return ""
}

// isDOCX reports whether data is a zip archive with a Word body. Only the archive's directory
// is read, nothing is decompressed.
func isDOCX(data []byte) bool {
	if !bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return false
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return false
	}
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			return true
		}
	}
	return false
}

// classify settles the media type of an upload from its content: an empty or generic
// (application/octet-stream) declaration, or another name of the same type, becomes the
// detected type; a declaration that the content contradicts is refused. Without a declared
// type and a recognised signature, the type comes from the file name, then from the bytes.
func (u *Upload) classify() error {
	detected := sniff(u.Data)
	declared, _, err := mime.ParseMediaType(u.MediaType)
	if u.MediaType != "" && err != nil {
		return fmt.Errorf("%w: media type %q: %v", ErrInvalid, u.MediaType, err)
	}
	if alias, ok := typeAliases[declared]; ok {
		declared = alias
		u.MediaType = alias
	}
	switch {
	case detected != "" && (genericTypes[declared] || declared == detected || declared == "application/zip" && (detected == textract.DOCXType || detected == textract.ODTType)):
		// As detected, not as declared: a policy's conditions compare letter.media_type as
		// written, and "IMAGE/PNG" or "image/png; name=x" would miss a rule for image/png.
		u.MediaType = detected
	case detected != "":
		return fmt.Errorf("%w: %s is declared as %s but its content is %s", ErrInvalid, u.Name, declared, detected)
	case sniffedTypes[declared]:
		return fmt.Errorf("%w: %s is declared as %s but its content is %s", ErrInvalid, u.Name, declared, describe(u.Data))
	case u.MediaType == "":
		u.MediaType = textract.TypeByExtension(filepath.Ext(u.Name))
		if u.MediaType == "" {
			u.MediaType = http.DetectContentType(u.Data)
		}
	}
	return nil
}

// describe names what the bytes look like, for an error message.
func describe(data []byte) string {
	mt, _, _ := mime.ParseMediaType(http.DetectContentType(data))
	if mt == "application/octet-stream" {
		return "not of that type"
	}
	return mt
}
