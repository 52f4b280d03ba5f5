package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/chancery/chancery/internal/client"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/textract"
	"github.com/spf13/cobra"
)

// maxIdentifyFile bounds the file identify reads.
const maxIdentifyFile = 64 << 20

func newIdentify(rm *remote) *cobra.Command {
	var textFile string
	var asJSON bool
	c := &cobra.Command{
		Use:   "identify FILE | identify --text FILE|-",
		Short: "Tell what a text is: a released letter, an altered copy, a draft or unknown",
		Long: `Identify finds the letter a text comes from when the file is not the original: a retyped,
OCR'd, edited or quoted copy. Byte digests cannot help there ('chancery verify' can): identify
compares the words. The text of FILE is extracted (PDF, Word, Markdown or plain text); with --text
the file (or standard input, -) is the text itself. Only the text is sent to the registry.

Outcomes: valid (the text of a released, valid letter, or an excerpt of one), altered (close
to a released letter but not the same: the differences are printed, [-removed-] {+added+}),
retracted or superseded (the text of such a letter), draft (close to an unreleased draft:
shown only to members with a role, who set CHANCERY_TOKEN; the public, without a token, sees
"not an official letter of this office"), unknown.

Exit status: 0 valid; 1 any other outcome; 2 identification could not be done.`,
		Example: `  chancery identify leaked-photo-ocr.txt --text
  xclip -o | chancery identify --text -
  chancery identify --json article.pdf`,
		Args: cobra.MaximumNArgs(1),
		RunE: rm.withClientToken(false, func(c *cobra.Command, cl *client.Client, args []string) error {
			text, err := identifyInput(c, textFile, args)
			if err != nil {
				return err
			}
			id, err := cl.Identify(ctx(c), text)
			if err != nil {
				return err
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
	c.Flags().BoolVar(&asJSON, "json", false, "print the answer as JSON: outcome, reference, similarity, matches, diff")
	return c
}

// identifyInput returns the text to identify: --text's file or standard input as it is, or
// the text extracted from FILE.
func identifyInput(c *cobra.Command, textFile string, args []string) (string, error) {
	switch {
	case textFile != "" && len(args) > 0:
		return "", withHint(errors.New("give either FILE or --text, not both"), "chancery identify FILE, or chancery identify --text FILE")
	case textFile == "-":
		b, err := io.ReadAll(io.LimitReader(c.InOrStdin(), maxIdentifyFile))
		return string(b), err
	case textFile != "":
		b, err := readBounded(textFile)
		return string(b), err
	case len(args) == 0:
		return "", withHint(errors.New("nothing to identify"), "chancery identify FILE, or chancery identify --text - to read standard input")
	}
	b, err := readBounded(args[0])
	if err != nil {
		return "", err
	}
	text, err := textract.Text(mediaTypeOf(args[0], b), b)
	if errors.Is(err, textract.ErrNoText) {
		return "", withHint(err, "identify reads PDF, Word (DOCX), Markdown and plain text; for another format, save its text and use --text")
	}
	return text, err
}

func readBounded(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxIdentifyFile+1))
	if err == nil && len(b) > maxIdentifyFile {
		err = fmt.Errorf("%s is larger than %d bytes", path, maxIdentifyFile)
	}
	return b, err
}

// mediaTypeOf guesses a file's media type from its name, then its first bytes.
func mediaTypeOf(name string, data []byte) string {
	if t := mime.TypeByExtension(filepath.Ext(name)); t != "" {
		return t
	}
	return http.DetectContentType(data)
}

func printIdentification(w io.Writer, id *registry.Identification) {
	fmt.Fprintln(w, id.Message)
	if id.Reference != "" {
		fmt.Fprintf(w, "best match: %s version %d (%s), similarity %.2f, containment %.2f\n", id.Reference, id.Version, id.Match, id.Similarity, id.Containment)
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
		fmt.Fprintln(w, b.String())
	}
	if len(id.Matches) > 1 {
		tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "rank\treference\tversion\tstate\tscore\tsimilarity\tcontainment")
		for i, m := range id.Matches {
			fmt.Fprintf(tw, "%d\t%s\t%d\t%s\t%.2f\t%.2f\t%.2f\n", i+1, m.Reference, m.Version, m.State, m.Score, m.Similarity, m.Containment)
		}
		tw.Flush()
	}
}
