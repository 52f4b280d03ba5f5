package cli

import (
	"fmt"
	"strings"

	"github.com/chancery/chancery/internal/i18n"
	"github.com/spf13/cobra"
)

// stampLanguagesResult is what 'chancery stamp-languages --json' prints.
type stampLanguagesResult struct {
	Languages []string `json:"languages"`
}

func newStampLanguages(g *globals) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "stamp-languages [LANG[,LANG...]] [--json]",
		Short: "Show or set the languages of the stamps on the office's PDFs",
		Long: `Stamp-languages shows, or with an argument sets, the languages in which the office's PDFs
are stamped: the footer of every released letter (with its QR code), the DRAFT mark and line
of coordination copies, and the PREVIEW mark. Languages are en (English), fr (French) and ar
(Arabic), one to three, printed in the order given: with several, the footer has a column for
each side by side (Arabic right to left; with three, in smaller type), and the marks a line
for each.

The default is English alone. The setting is kept in the data directory's chancery.json
(init sets it with --stamp-languages); a running server reads it when it starts, so restart
it after a change. Letters already released keep the stamps they were released with: the
seal covers those bytes.`,
		Example: `  chancery stamp-languages
  chancery stamp-languages en,ar
  chancery stamp-languages en,fr,ar
  chancery stamp-languages fr --data /var/lib/chancery`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			d, err := openDir(g.data)
			if err != nil {
				return err
			}
			defer d.Close()
			if len(args) == 1 {
				langs, err := parseStampLanguages(args[0])
				if err != nil {
					return err
				}
				if err := d.SetStampLanguages(langs); err != nil {
					return err
				}
			}
			langs, _ := i18n.StampLanguages(strings.Join(d.Settings.StampLanguages, ","))
			if asJSON {
				return writeJSON(c.OutOrStdout(), stampLanguagesResult{Languages: langs})
			}
			fmt.Fprintln(c.OutOrStdout(), strings.Join(langs, ","))
			if len(args) == 1 {
				fmt.Fprintln(c.ErrOrStderr(), "restart the server for new releases and copies to use them")
			}
			return nil
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print the languages as JSON")
	return c
}

// parseStampLanguages reads a --stamp-languages list such as "en,ar".
func parseStampLanguages(list string) ([]string, error) {
	langs, ok := i18n.StampLanguages(list)
	if !ok {
		return nil, withHint(fmt.Errorf("stamp languages %q are not distinct codes among en, fr and ar", list),
			"give one to three of en, fr, ar separated by commas, e.g. en,ar or en,fr,ar")
	}
	return langs, nil
}
