package cli

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/chancery/chancery/internal/client"
	"github.com/chancery/chancery/internal/registry"
	"github.com/spf13/cobra"
)

// witnessAdminCommands are the witness commands that configure the office's own log: add,
// list, remove and quorum (admins, through the server).
func witnessAdminCommands(rm *remote) []*cobra.Command {
	var u, key string
	add := &cobra.Command{
		Use:   "add NAME --url URL --key VKEY",
		Short: "Send this office's checkpoints to a witness (admin)",
		Long: `Add a witness to which the server sends every new checkpoint of the office's log, with a
consistency proof, per C2SP tlog-witness. The witness checks that the log only grows, and
cosigns the checkpoint; the server keeps each cosignature.

URL is the witness's prefix (the server posts to URL/add-checkpoint). VKEY is the witness's
Ed25519 cosignature/v1 verifier key, as its operator publishes it ('chancery witness key' for
a Chancery witness). The witness's operator must first add this log, with the stanza that
'chancery log witness-config' prints.

Adding a witness does not change the quorum: 'chancery witness quorum N' makes seals and
proofs wait until N witnesses cosigned. 'chancery trust export' then names the witnesses and
the quorum, so that verifiers require them too.
Under a policy with 'two_admins: true' it proposes the change instead (exit status 4): a
second admin carries it out with 'chancery change approve'.`,
		Example: `  chancery witness add justice --url https://witness.justice.example --key witness.justice.example+1a2b3c4d+BAbc...
  chancery witness quorum 1`,
		Args: cobra.ExactArgs(1),
		RunE: rm.withClient(func(c *cobra.Command, cl *client.Client, args []string) error {
			cfg, err := cl.AddWitness(ctx(c), args[0], u, key)
			if err != nil {
				return witnessErr(err)
			}
			fmt.Fprintf(c.OutOrStdout(), "added witness %s; quorum %d of %d\n", printable(args[0]), cfg.Quorum, len(cfg.Witnesses))
			if cfg.Quorum == 0 {
				fmt.Fprintln(c.ErrOrStderr(), "hint: seals do not wait for witnesses until 'chancery witness quorum N' sets a quorum")
			}
			return nil
		}),
	}
	add.Flags().StringVar(&u, "url", "", "the witness's URL prefix")
	add.Flags().StringVar(&key, "key", "", "the witness's verifier key (Ed25519 cosignature/v1)")
	add.MarkFlagRequired("url")
	add.MarkFlagRequired("key")
	// --url means the witness here; the registry is CHANCERY_URL or --registry.
	add.Flags().StringVar(&rm.url, "registry", defaultURL(), registryFlagUsage)

	var listJSON bool
	list := &cobra.Command{
		Use:   "list [--json]",
		Short: "List the office's witnesses, the quorum and what each cosigned last (admin)",
		Long: `List the witnesses the office's checkpoints are sent to, the quorum, and for each witness the
size and time of the newest checkpoint it cosigned. The head is the size of the checkpoint
the server hands out: the newest that the quorum cosigned. A witness far behind the head is
down, slow, or refusing this log: the server's log says which.`,
		Example: `  chancery witness list
  chancery witness list --json`,
		Args: cobra.NoArgs,
		RunE: rm.withClient(func(c *cobra.Command, cl *client.Client, args []string) error {
			cfg, err := cl.Witnesses(ctx(c))
			if err != nil {
				return witnessErr(err)
			}
			if listJSON {
				return writeJSON(c.OutOrStdout(), cfg)
			}
			printWitnesses(c.OutOrStdout(), cfg)
			return nil
		}),
	}
	list.Flags().BoolVar(&listJSON, "json", false, "print JSON")

	remove := &cobra.Command{
		Use:   "remove NAME",
		Short: "Stop sending checkpoints to a witness (admin)",
		Long: `Remove a witness from the office's configuration. Its past cosignatures stay valid. The
quorum must stay at most the number of witnesses left: lower it first.
Under a policy with 'two_admins: true' it proposes the change instead (exit status 4): a
second admin carries it out with 'chancery change approve'.`,
		Example: `  chancery witness quorum 1
  chancery witness remove justice`,
		Args: cobra.ExactArgs(1),
		RunE: rm.withClient(func(c *cobra.Command, cl *client.Client, args []string) error {
			cfg, err := cl.RemoveWitness(ctx(c), args[0])
			if err != nil {
				return witnessErr(err)
			}
			fmt.Fprintf(c.OutOrStdout(), "removed witness %s; quorum %d of %d\n", printable(args[0]), cfg.Quorum, len(cfg.Witnesses))
			return nil
		}),
	}

	quorum := &cobra.Command{
		Use:   "quorum N",
		Short: "Set how many witnesses must cosign a checkpoint (admin)",
		Long: `Set the witness quorum: how many of the office's witnesses must cosign a checkpoint before
the server hands it out, at /log/checkpoint and in seals and proofs. With a quorum of N, a
verifier whose trust root names the witnesses knows that N independent parties saw the same
history. Releases commit at once whatever the witnesses do; their seals wait for the quorum
(serve --seal-wait bounds the wait).

Export the trust root again after a change ('chancery trust export'): verifiers enforce the
quorum their trust root names.
Under a policy with 'two_admins: true' it proposes the change instead (exit status 4): a
second admin carries it out with 'chancery change approve'.`,
		Example: `  chancery witness quorum 2`,
		Args:    cobra.ExactArgs(1),
		RunE: rm.withClient(func(c *cobra.Command, cl *client.Client, args []string) error {
			n, err := strconv.Atoi(args[0])
			if err != nil || n < 0 {
				return withHint(fmt.Errorf("quorum %q is not a non-negative integer", args[0]), "give a number from 0 to the number of witnesses")
			}
			cfg, err := cl.SetWitnessQuorum(ctx(c), n)
			if err != nil {
				return witnessErr(err)
			}
			fmt.Fprintf(c.OutOrStdout(), "quorum %d of %d\n", cfg.Quorum, len(cfg.Witnesses))
			fmt.Fprintln(c.ErrOrStderr(), "hint: export the trust root again for verifiers: 'chancery trust export'")
			return nil
		}),
	}
	for _, cmd := range []*cobra.Command{list, remove, quorum} {
		addRemoteFlags(cmd, rm)
	}
	return []*cobra.Command{add, list, remove, quorum}
}

func printWitnesses(w io.Writer, cfg *registry.WitnessConfig) {
	fmt.Fprintf(w, "quorum %d of %d, serving checkpoint %d\n", cfg.Quorum, len(cfg.Witnesses), cfg.Head)
	if cfg.Behind != "" {
		fmt.Fprintf(w, "warning: %s\n", printable(cfg.Behind))
	}
	if len(cfg.Witnesses) == 0 {
		fmt.Fprintln(w, "no witnesses: add one with 'chancery witness add NAME --url URL --key VKEY'")
		return
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "name\turl\tcosigned\tat\tkey")
	for _, v := range cfg.Witnesses {
		at := "never"
		if v.CosignedAt != nil {
			at = v.CosignedAt.UTC().Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\n", printable(v.Name), printable(v.URL), v.CosignedSize, at, printable(v.Key))
	}
	tw.Flush()
}

// witnessErr adds hints to the server's refusals of witness commands.
func witnessErr(err error) error {
	var ae *client.APIError
	if !errors.As(err, &ae) {
		return err
	}
	switch {
	case ae.Status == 403:
		return withHint(err, "configuring witnesses needs an admin's token in CHANCERY_TOKEN")
	case ae.Status == 404:
		return withHint(err, "'chancery witness list' shows the office's witnesses")
	case duplicateHint(err) != "":
		// A proposal refused as the duplicate of a pending change (two_admins): the hint
		// names that change, not the witnesses' names and keys.
		return withHint(err, "%s", duplicateHint(err))
	case ae.Status == 409 && strings.Contains(ae.Message, "lower it first"):
		return withHint(err, "lower the quorum first: 'chancery witness quorum N'")
	case ae.Status == 409:
		return withHint(err, "a witness has one name and one key: 'chancery witness list' shows them")
	case ae.Status == 400 && strings.Contains(ae.Message, "key"):
		return withHint(err, "the key is the witness's note verifier key, NAME+HASH+BASE64, of type cosignature/v1")
	}
	return apiErr(err)
}
