package cli

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/chancery/chancery/internal/policy"
	"github.com/chancery/chancery/internal/registry"
	"github.com/spf13/cobra"
)

// Shell completion: cobra's 'chancery completion bash|zsh|fish|powershell' writes the script,
// which asks 'chancery __complete' for candidates. Arguments named REF complete the letters the
// member can see (from the registry, when CHANCERY_TOKEN or CHANCERY_TOKEN_FILE is set), the
// member commands' NAME completes members' names (admins), and the flags that take a role, a
// class or a state complete those.

// commonClasses are the letter classes offered for completion when the policy in force
// declares none (or cannot be read); an office may use others.
var commonClasses = []string{"foreign-government", "press", "internal"}

// completionTimeout bounds a completion's request to the registry: a shell must not hang.
const completionTimeout = 3 * time.Second

// addCompletions walks the command tree under root and attaches completions by what each
// command's Use names and which flags it has, so that commands added later get them too.
func addCompletions(root *cobra.Command, rm *remote) {
	for _, c := range root.Commands() {
		addCompletions(c, rm)
	}
	if root.Flags().Lookup("role") != nil {
		root.RegisterFlagCompletionFunc("role", rm.completeRoles(true))
	}
	for _, name := range []string{"add", "remove"} {
		if root.Flags().Lookup(name) != nil && root.Parent() != nil && root.Parent().Name() == "member" {
			root.RegisterFlagCompletionFunc(name, rm.completeRoles(false))
		}
	}
	if root.Flags().Lookup("class") != nil {
		root.RegisterFlagCompletionFunc("class", rm.completeClasses)
	}
	if root.Flags().Lookup("state") != nil {
		root.RegisterFlagCompletionFunc("state", fixedList(registry.States, false))
	}
	for _, name := range []string{"by", "before"} {
		if root.Flags().Lookup(name) != nil {
			root.RegisterFlagCompletionFunc(name, rm.completeRefs)
		}
	}
	if root.Flags().Lookup("name") != nil && root.Parent() != nil && root.Parent().Name() == "member" {
		root.RegisterFlagCompletionFunc("name", rm.completeMembers)
	}
	if root.ValidArgsFunction != nil {
		return
	}
	words := strings.Fields(root.Use)
	switch {
	case len(words) < 2:
	case words[1] == "REF":
		root.ValidArgsFunction = firstArg(rm.completeRefs)
	case words[1] == "NAME" && root.Parent() != nil && root.Parent().Name() == "member" && root.Name() != "add":
		root.ValidArgsFunction = firstArg(rm.completeMembers)
	}
}

type completeFunc = func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective)

// firstArg completes only a command's first argument.
func firstArg(f completeFunc) completeFunc {
	return func(c *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return f(c, args, toComplete)
	}
}

// fixedList completes one of values, or with commas a list of them (--role drafter,reviewer).
func fixedList(values []string, commas bool) completeFunc {
	return func(c *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return listed(values, commas, toComplete), cobra.ShellCompDirectiveNoFileComp
	}
}

// listed is values as completions of toComplete: with commas, each after the list typed so far.
func listed(values []string, commas bool, toComplete string) []cobra.Completion {
	prefix := ""
	if i := strings.LastIndexByte(toComplete, ','); commas && i >= 0 {
		prefix = toComplete[:i+1]
	}
	var out []cobra.Completion
	for _, v := range values {
		out = append(out, prefix+v)
	}
	return out
}

// policyInForce is the policy the registry has in force, for the member whose token is set;
// nil without a token, for the built-in policy, or if the registry does not answer in time.
func (rm *remote) policyInForce() *policy.Policy {
	cl, err := rm.client(true)
	if err != nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), completionTimeout)
	defer cancel()
	cur, err := cl.Policy(ctx)
	if err != nil || cur.Source == "" {
		return nil
	}
	p, err := policy.Parse([]byte(cur.Source))
	if err != nil {
		return nil
	}
	return p
}

// completeRoles offers the roles a member can be given: the core roles and, with a token,
// the office's own roles that the policy in force names (registry.AssignableRoles).
func (rm *remote) completeRoles(commas bool) completeFunc {
	return func(c *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		roles := slices.Clone(registry.Roles)
		if p := rm.policyInForce(); p != nil {
			for _, r := range p.Roles() {
				if !slices.Contains(roles, r) && plainWord(r) {
					roles = append(roles, r)
				}
			}
		}
		return listed(roles, commas, toComplete), cobra.ShellCompDirectiveNoFileComp
	}
}

// completeClasses offers the classes the policy in force declares, which are the only ones
// the registry accepts; without a token, or when the policy declares none (any class is
// accepted), the common classes.
func (rm *remote) completeClasses(c *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	classes := commonClasses
	if p := rm.policyInForce(); p != nil && len(p.Classes()) > 0 {
		classes = nil
		for _, cl := range p.Classes() {
			if plainWord(cl) {
				classes = append(classes, cl)
			}
		}
	}
	return listed(classes, false, toComplete), cobra.ShellCompDirectiveNoFileComp
}

// completeRefs offers the references of the letters the member can see, each with its
// subject; without a token, or if the registry does not answer in time, nothing.
func (rm *remote) completeRefs(c *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	cl, err := rm.client(true)
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	ctx, cancel := context.WithTimeout(context.Background(), completionTimeout)
	defer cancel()
	l, err := cl.Letters(ctx, registry.LetterQuery{Limit: registry.MaxListed})
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []cobra.Completion
	for _, x := range l.Letters {
		if strings.HasPrefix(x.Reference, toComplete) && plainWord(x.Reference) {
			out = append(out, cobra.CompletionWithDesc(x.Reference, printable(x.Subject)))
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// completeMembers offers the members' names (the list is for admins); without a token, or
// if the registry does not answer in time, nothing.
func (rm *remote) completeMembers(c *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	cl, err := rm.client(true)
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	ctx, cancel := context.WithTimeout(context.Background(), completionTimeout)
	defer cancel()
	ms, err := cl.Members(ctx)
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []cobra.Completion
	for _, m := range ms {
		if strings.HasPrefix(m.Name, toComplete) && plainWord(m.Name) {
			out = append(out, cobra.CompletionWithDesc(m.Name, printable(strings.Join(m.Roles, ","))))
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// plainWord reports whether s, from a registry's answer, may be offered to the shell as a
// completion: letters, digits and - _ . @ + only. The shell puts a completion on the command
// line as it is, so a space, a line break, a shell character or an escape sequence from
// the registry, or from someone answering in its place, could add words to the command or
// act on the terminal.
func plainWord(s string) bool {
	return s != "" && !strings.ContainsFunc(s, func(c rune) bool {
		return !unicode.IsLetter(c) && !unicode.IsDigit(c) && !strings.ContainsRune("-_.@+", c)
	})
}
