//go:build !linux

package nonet

import "errors"

// enterNetwork is never asked for where there are no network namespaces.
func enterNetwork(string) error { return errors.ErrUnsupported }
