package cli

import (
	"strings"
)

// labelHint adds a hint to the registry's refusal of a class or tag that the policy in force
// does not declare (issue 12 item 14): most often a typo, which would otherwise have sent
// the letter through the wrong rule.
func labelHint(err error) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "is not one of the policy's classes"):
		return withHint(err, "check the spelling of --class: the policy in force declares its classes (`classes:` in the policy file); an admin adds a new one by adopting a policy that lists it")
	case strings.Contains(msg, "is not one of the policy's tags"):
		return withHint(err, "check the spelling of --tag: the policy in force declares its tags (`tags:` in the policy file); an admin adds a new one by adopting a policy that lists it")
	}
	return err
}
