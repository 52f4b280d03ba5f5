// Command chancery-verify is the small verifier: `chancery verify --offline` in a program that
// does not contain the registry's server, for those who only check letters (journalists,
// addressees). See 'chancery-verify --help'; the work is done in internal/verify, which
// `chancery verify` runs too.
package main

import (
	"os"

	"github.com/chancery/chancery/internal/verify"
)

func main() {
	os.Exit(verify.Main(os.Args[1:], os.Stdout, os.Stderr))
}
