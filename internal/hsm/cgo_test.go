//go:build cgo

package hsm

import "testing"

// requireCgo lets a test that loads a PKCS#11 module run: this build has cgo.
func requireCgo(testing.TB) {}
