package cli

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/chancery/chancery/internal/datadir"
	"github.com/spf13/cobra"
)

// timeZoneResult is what 'chancery time-zone --json' prints.
type timeZoneResult struct {
	TimeZone string `json:"time_zone"` // the IANA name; "UTC" when none is set
	Offset   string `json:"offset"`    // its offset from UTC now, e.g. "+01:00"
}

func newTimeZone(g *globals) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "time-zone [ZONE] [--json]",
		Short: "Show or set the office's time zone, in which letters are dated",
		Long: `Time-zone shows, or with an argument sets, the office's time zone: an IANA name such as
Europe/Paris, Africa/Bamako or UTC. Letters are dated in it: the date under the letterhead of
letters Chancery lays out, the release date in the footer of every released letter, the
release and erasure dates its answers give, and the year in new references (a letter
created at 23:30 UTC on 31 December is already in the next year in Paris).

The default is UTC. The setting is kept in the data directory's chancery.json (init sets it
with --time-zone; with several servers, give each node's copy the same); a running server
reads it when it starts, so restart it after a change. Letters already released keep the
dates they were released with: the seal covers those bytes. Times of day (logs, draft
copies' lines, the web pages) stay in UTC, labelled so.`,
		Example: `  chancery time-zone
  chancery time-zone Europe/Paris
  chancery time-zone UTC --data /var/lib/chancery`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			d, err := openDir(g.data)
			if err != nil {
				return err
			}
			defer d.Close()
			if len(args) == 1 {
				name := args[0]
				if name == "UTC" {
					name = ""
				}
				if err := checkTimeZone(name); err != nil {
					return err
				}
				if err := d.SetTimeZone(name); err != nil {
					return err
				}
			}
			z, err := d.Settings.Zone()
			if err != nil {
				return withHint(err, "set a valid one with 'chancery time-zone Europe/Paris' (or UTC)")
			}
			r := timeZoneResult{TimeZone: z.String(), Offset: time.Now().In(z).Format("-07:00")}
			if asJSON {
				return writeJSON(c.OutOrStdout(), r)
			}
			fmt.Fprintf(c.OutOrStdout(), "%s (UTC%s now)\n", r.TimeZone, r.Offset)
			if len(args) == 1 {
				warnReversedZone(c.ErrOrStderr(), z)
				fmt.Fprintln(c.ErrOrStderr(), "restart the server for new letters and releases to be dated in it")
			}
			return nil
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print the zone as JSON")
	return c
}

// warnReversedZone warns, on w, that z is one of the zones Etc/GMT+N and Etc/GMT-N, whose
// signs are POSIX's, the reverse of the usual: Etc/GMT+3 is three hours behind UTC, not
// ahead, and an office at UTC+03:00 that chose it would date its letters six hours off.
func warnReversedZone(w io.Writer, z *time.Location) {
	name := z.String()
	if !strings.HasPrefix(name, "Etc/GMT+") && !strings.HasPrefix(name, "Etc/GMT-") {
		return
	}
	fmt.Fprintf(w, "note: %s is UTC%s: in the Etc/GMT zones the sign is reversed; a city's zone, such as Europe/Moscow for UTC+03:00, is clearer\n",
		name, time.Now().In(z).Format("-07:00"))
}

// checkTimeZone checks a --time-zone or time-zone argument: an IANA name, or empty for UTC.
func checkTimeZone(name string) error {
	if _, err := datadir.LoadZone(name); err != nil {
		return withHint(err, "give a name from the IANA time zone database, Region/City as in Europe/Paris, Asia/Dubai or America/New_York, or UTC")
	}
	return nil
}
