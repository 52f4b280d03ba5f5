package cli

import "github.com/chancery/chancery/internal/verify"

// printable returns s with what a terminal would act on escaped (see verify.Printable): text
// from a registry or a seal, printed raw, could otherwise erase the line before it and print
// a fake one, or reorder what is shown.
func printable(s string) string { return verify.Printable(s) }
