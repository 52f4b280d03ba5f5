package cli

import (
	"fmt"

	"github.com/chancery/chancery/internal/client"
	"github.com/spf13/cobra"
)

func newLetterPreview(rm *remote) *cobra.Command {
	var out string
	c := &cobra.Command{
		Use:   "preview REF --out FILE",
		Short: "Write the PDF a release of REF would publish now, marked DRAFT PREVIEW (members with a role)",
		Long: `Preview writes the letter exactly as a release would publish it now: the latest version
laid out (a Word or OpenDocument letter converted, a scan placed on pages), with the names of those who have signed, today's
date and the verification footer, so that what reviewers and signers approve is what leaves.
Every page says DRAFT PREVIEW — NOT AN OFFICIAL DOCUMENT, with a line naming who asked and
when. A preview carries no embedded signature, no check code and no embedded file (a file to
enclose is described by its cover letter, not attached), and is recorded as a draft copy you
took: verifying it answers draft. It never overwrites a file.`,
		Example: `  chancery letter preview TFN-2026-000042 --out preview.pdf`,
		Args:    cobra.ExactArgs(1),
		RunE: rm.withClient(func(c *cobra.Command, cl *client.Client, args []string) error {
			if err := checkOutFile(out); err != nil {
				return err
			}
			doc, err := cl.Preview(ctx(c), args[0])
			if err != nil {
				return converterHint(err)
			}
			if err := writeNew(out, doc); err != nil {
				return withHint(err, "choose another --out: preview never overwrites a file")
			}
			fmt.Fprintf(c.OutOrStdout(), "wrote a preview of %s to %s (registered as a draft copy: it verifies as a draft)\n", args[0], out)
			return nil
		}),
	}
	c.Flags().StringVar(&out, "out", "", "file to write")
	c.MarkFlagRequired("out")
	return c
}
