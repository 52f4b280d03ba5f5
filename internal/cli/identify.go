package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"unicode"

	"github.com/chancery/chancery/internal/client"
	"github.com/chancery/chancery/internal/identify"
	"github.com/chancery/chancery/internal/ocr"
	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/textract"
	"github.com/chancery/chancery/internal/verify"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// maxIdentifyFile bounds the file identify reads (a variable for the tests alone).
var maxIdentifyFile = 64 << 20

func newIdentify(rm *remote) *cobra.Command {
	var textFile string
	var asJSON, scanned bool
	c := &cobra.Command{
		Use:   "identify FILE | identify --text FILE|-",
		Short: "Tell what a text is: a released letter, an altered copy, a draft or unknown",
		Long: `Identify finds the letter a text comes from when the file is not the original: a retyped,
OCR'd, edited or quoted copy. Byte digests cannot help there ('chancery verify' can): identify
compares the words. The text of FILE is extracted (PDF, Word, Markdown or plain text); with --text
the file (or standard input, -) is the text itself. Only the text, and FILE's SHA-256 digest,
are sent to the registry: a file with the bytes of a draft (its file, or a copy handed out for
coordination) is that draft, whatever its text.

A PDF's text layer need not be what its pages show (invisible text over a picture of other
words), so when a PDF's text is a released letter's, its pages are read here with OCR
(Tesseract and poppler-utils' pdftoppm and pdfinfo, as for scans) and what they show is sent
too, with the file's digest, the QR codes on its pages and the addresses of its links: pages
that show another text, or a code or link leading elsewhere than the letter's own verify
address, make the file altered. Without OCR here the answer says that the pages were not read.
OCR reads a PDF's first 10 pages: a longer one is at most a part of the letter shown.

A scan (a PNG, JPEG or TIFF image, or a PDF without a text layer or with an invisible one,
as scanners with OCR write, recognised by its content)
is read here with Tesseract OCR (Debian: apt-get install tesseract-ocr tesseract-ocr-fra
tesseract-ocr-ara; CHANCERY_TESSERACT names another program; English and French are read,
CHANCERY_OCR_LANGS=ara+eng for Arabic letters), and its text is sent marked
as read from a scan: the registry then forgives OCR's misreadings (look-alike letters and
digits, split words), so that a printed and scanned letter answers valid, while a changed
figure or word still answers altered. A scan is matched by its words only: it cannot prove
that a file is unaltered byte for byte. With --text, --scan marks text you read from a scan
yourself.

Outcomes: valid (the text of a released, valid letter, or an excerpt of one, word for word
and sign for sign: case, quotes, dashes, line breaks and sentence punctuation aside), altered
(close to a released letter or a part of one but not the same, a changed sign such as +15%
for -15% or € for $ included: the differences are printed, [-removed-] {+added+}),
retracted or superseded (the text of such a letter), draft (a draft's bytes: "not an official
document" for the public; or a text close to an unreleased draft:
shown only to members with a role, who set CHANCERY_TOKEN; the public, without a token, sees
"not an official letter of this office"), unknown. A text that carries the banner of a
draft copy ("DRAFT — NOT AN OFFICIAL DOCUMENT", in any language the office stamps in) is told
so, whatever its outcome (draft_mark in --json): a draft is not an official document.

Exit status: 0 valid; 1 any other outcome; 2 identification could not be done.`,
		Example: `  chancery identify --text leaked-photo-ocr.txt
  chancery identify scanned-letter.jpg
  chancery identify --text ocr-output.txt --scan
  xclip -o | chancery identify --text -
  chancery identify --json article.pdf`,
		Args: cobra.MaximumNArgs(1),
		RunE: rm.withClientToken(false, func(c *cobra.Command, cl *client.Client, args []string) error {
			read, fromScan, file, layer, err := identifyInput(c, textFile, args)
			if err != nil {
				return err
			}
			text := read.Text
			var id *registry.Identification
			if file != nil {
				q := client.FileQuery{Text: text, Scan: fromScan || scanned, Digest: seal.DigestOf(file)}
				if fromScan {
					q.QRCodes, q.QRCodesUnread, q.Links = read.Codes, read.CodesUnread, read.Links
				}
				if id, err = cl.IdentifyFile(ctx(c), q); err != nil {
					return err
				}
				if layer && id.NamesLetter() && id.Bytes == "" {
					if id, err = checkPages(c, cl, args[0], q, file, id); err != nil {
						return err
					}
				}
			} else {
				ask := cl.Identify
				if fromScan || scanned {
					ask = cl.IdentifyScan
				}
				if id, err = ask(ctx(c), text); err != nil {
					return err
				}
			}
			if asJSON {
				enc := json.NewEncoder(c.OutOrStdout())
				if err := enc.Encode(id); err != nil {
					return err
				}
			} else {
				printIdentification(c.OutOrStdout(), id)
			}
			if id.Outcome != registry.Valid {
				return &verifyExit{code: ExitFailed}
			}
			return nil
		}),
	}
	c.Flags().StringVar(&textFile, "text", "", "read the text itself from this file (- for standard input)")
	c.Flags().BoolVar(&scanned, "scan", false, "the text was read from a scan by OCR: forgive its misreadings (scans given as FILE are marked so anyway)")
	c.Flags().BoolVar(&asJSON, "json", false, "print the answer as JSON: outcome, reference, similarity, matches, diff")
	return c
}

// identifyInput returns the text to identify: --text's file or standard input as it is, or
// the text extracted from FILE, read by OCR when FILE is a scan (then fromScan is set, and
// read holds the scan's QR codes too). For FILE, file is its bytes, and layer says the text
// is a PDF's text layer.
func identifyInput(c *cobra.Command, textFile string, args []string) (read ocr.Reading, fromScan bool, file []byte, layer bool, err error) {
	switch {
	case textFile != "" && len(args) > 0:
		return ocr.Reading{}, false, nil, false, withHint(errors.New("give either FILE or --text, not both"), "chancery identify FILE, or chancery identify --text FILE")
	case textFile == "-":
		b, err := io.ReadAll(io.LimitReader(c.InOrStdin(), int64(maxIdentifyFile)+1))
		if err == nil && len(b) > maxIdentifyFile {
			err = fmt.Errorf("standard input is larger than %d bytes", maxIdentifyFile)
		}
		return ocr.Reading{Text: string(b)}, false, nil, false, err
	case textFile != "":
		b, err := readBounded(textFile)
		if err != nil {
			err = pathHint(fmt.Errorf("text file: %w", err), "check the path given to --text, or pass --text - to read standard input")
		}
		return ocr.Reading{Text: string(b)}, false, nil, false, err
	case len(args) == 0:
		return ocr.Reading{}, false, nil, false, withHint(errors.New("nothing to identify"), "chancery identify FILE, or chancery identify --text - to read standard input")
	}
	b, err := readBounded(args[0])
	if err != nil {
		return ocr.Reading{}, false, nil, false, pathHint(fmt.Errorf("file to identify: %w", err),
			"check the path: chancery identify FILE for a letter's file, or chancery identify --text FILE for a text as it is")
	}
	kind := ocr.Kind(b)
	if kind == "" || kind == ocr.PDF {
		mt := mediaTypeOf(args[0], b)
		if kind == ocr.PDF {
			mt = ocr.PDF
		}
		text, err := textract.Text(mt, b)
		if errors.Is(err, textract.ErrNoText) {
			// Named for what its name or first bytes say, in the user's words: the system's
			// table of extensions takes a .key file for an Apple Keynote document.
			what := "its first bytes (" + mt + ")"
			if ext := filepath.Ext(args[0]); ext != "" && textract.TypeByExtension(ext) == mt {
				what = "its extension, " + ext
			}
			return ocr.Reading{}, false, nil, false, withHint(fmt.Errorf("%s is not a file identify reads, by %s", args[0], what),
				"identify reads PDF, Word (DOCX), Markdown and plain text, and scans (PNG, JPEG, TIFF); for another format, save its text and use --text")
		}
		if err != nil {
			return ocr.Reading{}, false, nil, false, err
		}
		if kind != ocr.PDF {
			return ocr.Reading{Text: text}, false, b, false, nil
		}
		if identify.ReadsAsText(text) {
			hidden, err := pdf.InvisibleText(ctx(c), b)
			if err != nil {
				return ocr.Reading{}, false, nil, false, err
			}
			if !hidden {
				// pdftotext, when installed, keeps apart the lines that the pages keep
				// apart (see server's pdfShownText); without it, the text layer as read.
				if shown, err := ocr.VisibleText(ctx(c), b); err == nil {
					text = shown
				}
				return ocr.Reading{Text: text}, false, b, true, nil
			}
		}
	}
	// A scan: an image, or a PDF whose pages are pictures without a text layer, or with
	// a scanner's invisible one, or one of glyph codes that does not read as text
	// (identify.ReadsAsText), which is not what they show.
	reader, err := ocr.Find("")
	if err != nil {
		return ocr.Reading{}, false, nil, false, withHint(fmt.Errorf("%s is a scan, and reading it needs OCR: %w", args[0], err), "%s", ocr.Hint)
	}
	read, err = reader.Read(ctx(c), b)
	if err != nil {
		return ocr.Reading{}, false, nil, false, ocrFailed(fmt.Errorf("read the scan %s: %w", args[0], err))
	}
	return read, true, b, false, nil
}

// checkPages asks again about a PDF whose text layer named a letter, with what its pages
// show, read here by OCR: a PDF's text layer need not be what its pages show. Without OCR
// here, the answer stands and says that the pages were not read (registry.PagesNotRead).
func checkPages(c *cobra.Command, cl *client.Client, name string, q client.FileQuery, pdf []byte, id *registry.Identification) (*registry.Identification, error) {
	var shown ocr.Reading
	reader, err := ocr.Find("")
	if err == nil {
		if f, ok := terminal(c.ErrOrStderr()); ok && term.IsTerminal(int(f.Fd())) {
			fmt.Fprintf(f, "reading the pages of %s with OCR, to check that they show its text…\n", name)
		}
		shown, err = reader.ReadPages(ctx(c), pdf)
	}
	switch {
	case errors.Is(err, ocr.ErrNoOCR):
		id.Message += ". " + registry.PagesNotRead
		return id, nil
	case err != nil:
		return nil, ocrFailed(fmt.Errorf("read the pages of %s: %w", name, err))
	}
	q.Pages, q.QRCodes, q.QRCodesUnread, q.Links = &shown.Text, shown.Codes, shown.CodesUnread, shown.Links
	return cl.IdentifyFile(ctx(c), q)
}

// pathHint is err with hint when err is the file system's (a path that does not exist, a
// folder, a file that may not be read); other errors, such as a file over the bound, have
// their own words.
func pathHint(err error, hint string) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return withHint(err, "%s", hint)
	}
	return err
}

func readBounded(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, int64(maxIdentifyFile)+1))
	if err == nil && len(b) > maxIdentifyFile {
		err = fmt.Errorf("%s is larger than %d bytes", path, maxIdentifyFile)
	}
	return b, err
}

// mediaTypeOf guesses a file's media type from its name, then its first bytes.
func mediaTypeOf(name string, data []byte) string {
	if t := textract.TypeByExtension(filepath.Ext(name)); t != "" {
		return t
	}
	return http.DetectContentType(data)
}

// printIdentification prints the registry's answer. Every string in it is escaped
// (printable): the registry's, and the difference, which quotes the checked text's own
// words, so that a file built with escape sequences cannot rewrite the lines around them.
func printIdentification(w io.Writer, id *registry.Identification) {
	fmt.Fprintln(w, printable(id.Message))
	if id.Reference != "" {
		// The public is given no scores (registry: Identification.forPublic).
		if id.Similarity > 0 {
			fmt.Fprintf(w, "best match: %s version %d (%s), similarity %.2f, containment %.2f\n", printable(id.Reference), id.Version, printable(id.Match), id.Similarity, id.Containment)
		} else {
			fmt.Fprintf(w, "best match: %s version %d (%s)\n", printable(id.Reference), id.Version, printable(id.Match))
		}
	}
	if len(id.Diff) > 0 {
		fmt.Fprintln(w, "what differs, from the letter to this text:")
		var b strings.Builder
		for _, op := range id.Diff {
			switch op.Op {
			case "insert":
				fmt.Fprintf(&b, "{+%s+}", op.Text)
			case "delete":
				fmt.Fprintf(&b, "[-%s-]", op.Text)
			default:
				b.WriteString(op.Text)
			}
		}
		fmt.Fprintln(w, verify.PrintableLines(b.String()))
	}
	if len(id.Matches) > 1 {
		tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "rank\treference\tversion\tstate\tscore\tsimilarity\tcontainment")
		for i, m := range id.Matches {
			fmt.Fprintf(tw, "%d\t%s\t%d\t%s\t%.2f\t%.2f\t%.2f\n", i+1, printable(m.Reference), m.Version, printable(m.State), m.Score, m.Similarity, m.Containment)
		}
		tw.Flush()
	}
}

// ocrFailed is err with, as its hint, what the OCR program that failed printed on its
// standard error (ocr.ChildError), which the error's text leaves out: here the one who ran
// the command is the one who can act on it. Its first lines, control characters shown as '?'.
func ocrFailed(err error) error {
	var child *ocr.ChildError
	if !errors.As(err, &child) || child.Stderr == "" {
		return err
	}
	lines := strings.Split(child.Stderr, "\n")
	if len(lines) > 3 {
		lines = append(lines[:3], "…")
	}
	said := strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || !unicode.IsPrint(r) && r != ' ' {
			return '?'
		}
		return r
	}, strings.Join(lines, "; "))
	return withHint(err, "%s said: %s", child.Program, said)
}
