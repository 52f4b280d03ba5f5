package cli

import "github.com/spf13/cobra"

// rootFor returns the command tree that runs args. `chancery verify` runs in a tree of the
// root and verify alone: building every command (their flags, completions and examples)
// touches a few hundred KB of code and memory that verify never uses, and in a fresh process
// every page touched for the first time is a page fault, dear on a virtual machine (issue 19:
// over a folder of 1,000 letters the process start is the largest cost left). Verify's help,
// usage and errors name none of its sibling commands, so they read the same in either tree
// (TestVerifyRootSameAsFullTree). Anything else, including flags before the command name and
// shell completion, gets the whole tree.
func rootFor(args []string) *cobra.Command {
	if isVerify(args) {
		return newVerifyRoot()
	}
	return newRoot()
}

// isVerify reports whether args run `chancery verify`, named first.
func isVerify(args []string) bool { return len(args) > 0 && args[0] == "verify" }

// newVerifyRoot is the root with verify as its only command, set up as in newRoot.
func newVerifyRoot() *cobra.Command {
	root, _, rm := newBareRoot()
	v := newVerify(rm)
	addRemoteFlags(v, rm)
	root.AddCommand(v)
	addCompletions(root, rm)
	addExamples(root)
	return root
}
