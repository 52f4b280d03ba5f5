package pdf

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// Enclosure is a letter's file of a type that cannot be laid out on pages (an archive, a
// spreadsheet, a data file): it leaves the registry attached to a cover letter, so that every
// release is a PDF that carries the footer, the QR code and the office's signature.
type Enclosure struct {
	Name      string // the file's name, as uploaded
	MediaType string
	Data      []byte
}

// MaxEnclosure bounds an enclosed file: the cover letter, the footer and the signature must
// still fit in a PDF of MaxBytes, which Stamp and Sign read back, even when the file does not
// compress.
const MaxEnclosure = MaxBytes - 2<<20

// CheckEnclosure refuses a file that RenderEnclosure could not enclose: one over MaxEnclosure
// (ErrTooLarge), or whose name the fonts cannot draw on the cover letter (ErrUnsupportedChar).
// The registry calls it on upload, so that such a letter is refused before it is stored
// rather than at its release.
func CheckEnclosure(name string, size int) error {
	if size > MaxEnclosure {
		return fmt.Errorf("%w: an enclosed file of %d bytes, more than %d", ErrTooLarge, size, MaxEnclosure)
	}
	return CheckText("file name", name)
}

// RenderEnclosure lays out a cover letter on the letterhead (as Render does for a letter)
// that states the enclosed file, its name, media type, size and SHA-256, and embeds the file
// in the PDF as an attachment: an embedded file stream with its size and MD5 checksum, named
// in the document's EmbeddedFiles, with the associated-file relationship Source (the file is
// what the letter was written as). The document opens with the attachments panel showing.
//
// The output is deterministic: equal input gives equal bytes.
func RenderEnclosure(e Enclosure, h Letterhead) (out []byte, err error) {
	defer recoverAs(&out, &err, "render enclosure")
	if err := CheckEnclosure(e.Name, len(e.Data)); err != nil {
		return nil, fmt.Errorf("render enclosure: %w", err)
	}
	cover, err := Render("text/plain", []byte(coverText(e, true)), h)
	if err != nil {
		return nil, fmt.Errorf("render enclosure: %w", err)
	}
	ctx, err := read(cover)
	if err != nil {
		return nil, fmt.Errorf("render enclosure: %w", err)
	}
	sum := md5.Sum(e.Data) // the checksum PDF defines for embedded files; SHA-256 is on the page
	file := types.StreamDict{
		Dict: types.Dict{
			"Type":    types.Name("EmbeddedFile"),
			"Subtype": types.Name(mediaTypeOnly(e.MediaType)),
			"Filter":  types.Name("FlateDecode"),
			"Params": types.Dict{
				"Size":     types.Integer(len(e.Data)),
				"CheckSum": types.HexLiteral(hex.EncodeToString(sum[:])),
			},
		},
		Content:        e.Data,
		FilterPipeline: []types.PDFFilter{{Name: "FlateDecode"}},
	}
	if err := file.Encode(); err != nil {
		return nil, fmt.Errorf("render enclosure: compress: %w", err)
	}
	fileRef, err := ctx.IndRefForNewObject(file)
	if err != nil {
		return nil, fmt.Errorf("render enclosure: %w", err)
	}
	uf, err := types.EscapedUTF16String(e.Name)
	if err != nil {
		return nil, fmt.Errorf("render enclosure: file name: %w", err)
	}
	desc, err := types.EscapedUTF16String("The file this letter encloses, as registered")
	if err != nil {
		return nil, fmt.Errorf("render enclosure: %w", err)
	}
	spec := types.Dict{
		"Type":           types.Name("Filespec"),
		"F":              types.StringLiteral(asciiName(e.Name)),
		"UF":             types.StringLiteral(*uf),
		"Desc":           types.StringLiteral(*desc),
		"EF":             types.Dict{"F": *fileRef, "UF": *fileRef},
		"AFRelationship": types.Name("Source"),
	}
	specRef, err := ctx.IndRefForNewObject(spec)
	if err != nil {
		return nil, fmt.Errorf("render enclosure: %w", err)
	}
	root, err := ctx.Catalog()
	if err != nil {
		return nil, fmt.Errorf("render enclosure: %w", err)
	}
	// The name tree is an object of its own, as in RenderEnclosureRelease (attachment.objects).
	namesRef, err := ctx.IndRefForNewObject(types.Dict{"EmbeddedFiles": types.Dict{"Names": types.Array{types.StringLiteral(*uf), *specRef}}})
	if err != nil {
		return nil, fmt.Errorf("render enclosure: %w", err)
	}
	root["Names"] = *namesRef
	root["PageMode"] = types.Name("UseAttachments")
	digest := sha256.Sum256(e.Data)
	date := h.Date
	if date.IsZero() {
		date = undatedEpoch
	}
	seed := seedOf("chancery enclosure v1", cover, e.Name, e.MediaType, hex.EncodeToString(digest[:]))
	if out, err = write(ctx, date, seed); err != nil {
		return nil, fmt.Errorf("render enclosure: %w", err)
	}
	return out, nil
}

// RenderEnclosureCover is the cover letter of RenderEnclosure without the file: it states the
// file alike, and that the file is attached to the released letter only. A coordination
// (draft) copy is made of it, so that a draft never carries the file's bytes, unmarked and
// the same in every copy, which would neither show that they are a draft nor tell whose copy
// leaked.
func RenderEnclosureCover(e Enclosure, h Letterhead) ([]byte, error) {
	if err := CheckEnclosure(e.Name, len(e.Data)); err != nil {
		return nil, fmt.Errorf("render enclosure: %w", err)
	}
	out, err := Render("text/plain", []byte(coverText(e, false)), h)
	if err != nil {
		return nil, fmt.Errorf("render enclosure: %w", err)
	}
	return out, nil
}

// coverText is the body of the cover letter: what the file is, where it is, and how to check
// a saved copy of it.
func coverText(e Enclosure, attached bool) string {
	digest := sha256.Sum256(e.Data)
	var b strings.Builder
	b.WriteString("This letter encloses a file that is not laid out as pages.")
	if attached {
		b.WriteString(" The file is attached to this PDF document: the attachments panel of a PDF reader saves it.")
	} else {
		b.WriteString(" The file is attached to the released letter only; this copy describes it.")
	}
	fmt.Fprintf(&b, "\n\nFile name: %s\nMedia type: %s\nSize: %s\n", e.Name, mediaTypeOnly(e.MediaType), sizeText(len(e.Data)))
	fmt.Fprintf(&b, "SHA-256:\n%s", hex.EncodeToString(digest[:]))
	b.WriteString("\n\nA saved copy of the file is the enclosed file when its SHA-256 is the one above (sha256sum FILE computes it).")
	return b.String()
}

// sizeText is a file size in bytes, and in KB or MB when larger.
func sizeText(n int) string {
	bytes := groupDigits(n) + " bytes"
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%s (%.1f MB)", bytes, float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%s (%.1f KB)", bytes, float64(n)/(1<<10))
	}
	return bytes
}

// groupDigits writes n with thousands separated by commas.
func groupDigits(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// mediaTypeOnly is a media type without its parameters, which a PDF name cannot hold.
func mediaTypeOnly(mediaType string) string {
	mt, _, _ := strings.Cut(mediaType, ";")
	if mt = strings.TrimSpace(mt); mt == "" {
		return "application/octet-stream"
	}
	return mt
}

// asciiName is a file name in printable ASCII, for readers that do not read /UF: other
// characters become underscores.
func asciiName(name string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '(' || r == ')' || r == '\\' {
			return '_'
		}
		return r
	}, name)
}
