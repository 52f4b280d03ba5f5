package pdf

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"strconv"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// RenderEnclosureRelease is the release of an enclosure in one pass, as RenderRelease is a
// laid-out letter's: the cover letter RenderEnclosure lays out, with the file attached alike
// (an embedded file stream with its size and MD5 checksum, named in the document's
// EmbeddedFiles, with the associated-file relationship Source, the attachments panel showing),
// the footer Stamp gives a released letter, and with s (when not nil) the office's signature.
// Stamp removes a document's embedded files, so a release stamps RenderEnclosure's cover
// letter and attaches the file in this one pass, which also writes the document once where
// Stamp and Sign would read it back and write it anew. The output is deterministic.
func RenderEnclosureRelease(e Enclosure, h Letterhead, f Footer, s *Signer) ([]byte, error) {
	rel, err := RenderEnclosureReleaseText(e, h, f, s)
	if err != nil {
		return nil, err
	}
	return rel.Doc, nil
}

// RenderEnclosureReleaseText is RenderEnclosureRelease, with the release's text (that of its
// cover letter) as RenderReleaseText gives it.
func RenderEnclosureReleaseText(e Enclosure, h Letterhead, f Footer, s *Signer) (*Release, error) {
	if err := CheckEnclosure(e.Name, len(e.Data)); err != nil {
		return nil, fmt.Errorf("render enclosure: %w", err)
	}
	return renderRelease("text/plain", []byte(coverText(e, true)), h, f, s, &attachment{name: e.Name, mediaType: e.MediaType, data: e.Data})
}

// attachment is a file embedded in a laid-out document.
type attachment struct {
	name, mediaType string
	data            []byte
}

// objects adds the attachment's embedded file stream and file specification to a document
// being written, through add, and returns the catalog entries that name them.
func (a *attachment) objects(add func([]byte) int) string {
	sum := md5.Sum(a.data) // the checksum PDF defines for embedded files; SHA-256 is on the page
	file := add(stream(" /Type /EmbeddedFile /Subtype "+types.Name(mediaTypeOnly(a.mediaType)).PDFString()+
		" /Filter /FlateDecode /Params <</Size "+strconv.Itoa(len(a.data))+" /CheckSum <"+hex.EncodeToString(sum[:])+">>>",
		deflate(a.data)))
	name := pdfText(a.name)
	spec := add([]byte(fmt.Sprintf("<</Type /Filespec /F (%s) /UF %s /Desc %s /EF <</F %d 0 R /UF %d 0 R>> /AFRelationship /Source>>",
		asciiName(a.name), name, pdfText("The file this letter encloses, as registered"), file, file)))
	// The name tree is an object of its own, so that the catalog refers to it: the signing
	// library writes the catalog anew in its update and would write the name's text string
	// there without escaping it (a byte '(' of the UTF-16 name would break the document).
	names := add([]byte(fmt.Sprintf("<</EmbeddedFiles <</Names [%s %d 0 R]>>>>", name, spec)))
	return fmt.Sprintf(" /Names %d 0 R /PageMode /UseAttachments", names)
}
