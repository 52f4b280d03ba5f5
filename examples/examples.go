// Package examples holds the example files shipped with Chancery (a release policy modelled
// on the founding story and its test cases), embedded so that `chancery serve --demo` uses
// the very file a reader finds here.
package examples

import _ "embed" // for go:embed

// Policy is examples/policy.yaml.
//
//go:embed policy.yaml
var Policy []byte
