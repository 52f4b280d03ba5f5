package cli

import "io"

// RunInFullTree runs args as Main does, but always in the whole command tree, for
// TestVerifyRootSameAsFullTree.
func RunInFullTree(args []string, stdout, stderr io.Writer) int {
	return run(newRoot(), args, stdout, stderr)
}

// UsesVerifyTree reports whether Main runs args in the tree of verify alone.
func UsesVerifyTree(args []string) bool {
	return len(rootFor(args).Commands()) == 1
}
