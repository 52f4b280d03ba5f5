package checkpoint

import (
	"bytes"
	"sync"
	"testing"
)

// TestSizeLeavesItsInputAlone: Size is called on checkpoints that many requests share; it must
// not write into them (under the race detector, concurrent calls on one buffer prove it).
func TestSizeLeavesItsInputAlone(t *testing.T) {
	signed := []byte("example.org/log\n42\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n\n— example.org/log AAAA\n")
	orig := bytes.Clone(signed)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				if n, err := Size(signed); err != nil || n != 42 {
					t.Errorf("Size = %d, %v", n, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if !bytes.Equal(signed, orig) {
		t.Errorf("Size changed its input:\n%q", signed)
	}
}
