package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// usagePrefixes start the errors cobra returns for a command line it cannot run: a missing
// required flag, flags that go together or exclude each other, the wrong number of arguments,
// an unknown command. Cobra returns them as plain errors, so they are known by their words.
var usagePrefixes = []string{
	"required flag(s) ",
	"if any flags in the group ",
	"at least one of the flags in the group ",
	"accepts ",
	"requires at least ",
	"unknown command ",
	"invalid argument ",
}

// usageHint returns the hint for a usage error of c (read its help), or "" for any other
// error.
func usageHint(c *cobra.Command, err error) string {
	if c == nil {
		return ""
	}
	msg := err.Error()
	for _, p := range usagePrefixes {
		if strings.HasPrefix(msg, p) {
			return fmt.Sprintf("see '%s --help'", c.CommandPath())
		}
	}
	return ""
}

// strayCommand returns the word given to c as a subcommand it does not have, when c only
// groups commands ('chancery letter shwo REF'): cobra answers such a line with c's help and
// exit status 0, so that a script's typo would pass for success. It returns "" when c runs,
// or was given no such word, or --help.
func strayCommand(c *cobra.Command) string {
	if c.Runnable() || !c.HasSubCommands() || !c.Flags().Parsed() {
		return ""
	}
	if h, err := c.Flags().GetBool("help"); err == nil && h {
		return ""
	}
	if a := c.Flags().Args(); len(a) > 0 {
		return a[0]
	}
	return ""
}

// unknownCommand is the error for name, given to c as a command it does not have, with the
// commands it may have meant in the hint.
func unknownCommand(c *cobra.Command, name string) error {
	err := fmt.Errorf("unknown command %q for %q", name, c.CommandPath())
	if c.SuggestionsMinimumDistance <= 0 {
		c.SuggestionsMinimumDistance = 2 // as cobra's own suggestions for the root's commands
	}
	var meant []string
	for _, s := range c.SuggestionsFor(name) {
		meant = append(meant, fmt.Sprintf("'%s %s'", c.CommandPath(), s))
	}
	if len(meant) > 0 {
		return withHint(err, "did you mean %s? see '%s --help'", strings.Join(meant, " or "), c.CommandPath())
	}
	return withHint(err, "see '%s --help'", c.CommandPath())
}

// strictHelp makes 'chancery help TOPIC' fail, as the command line itself does, for a TOPIC
// that is no command: cobra's help command prints "Unknown help topic" and the root's usage,
// or for an unknown subcommand ('help letter frob') the group's help, and exits 0.
func strictHelp(root *cobra.Command) {
	root.InitDefaultHelpCmd()
	for _, h := range root.Commands() {
		if h.Name() != "help" || h.Run == nil {
			continue
		}
		show := h.Run
		h.Run = nil
		h.RunE = func(c *cobra.Command, args []string) error {
			cmd, rest, err := c.Root().Find(args)
			if err != nil {
				return oneLineUnknownCommand(c.Root(), err)
			}
			if len(rest) > 0 {
				return unknownCommand(cmd, rest[0])
			}
			show(c, args)
			return nil
		}
	}
}

// oneLineUnknownCommand rewrites cobra's error for an unknown command of the root, whose
// suggestions follow on tab-indented lines of their own (printed escaped, as "\t"), as
// unknownCommand's error and hint.
func oneLineUnknownCommand(c *cobra.Command, err error) error {
	var h *hinted
	if err == nil || c == nil || errors.As(err, &h) {
		return err
	}
	var name string
	if _, serr := fmt.Sscanf(err.Error(), "unknown command %q for", &name); serr != nil {
		return err
	}
	return unknownCommand(c, name)
}
