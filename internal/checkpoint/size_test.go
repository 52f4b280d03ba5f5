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

// TestSizeReadsTheTextAsNotesDo: a signed note's text ends at its last blank line (C2SP
// signed-note, note.Open), so a note whose text holds a blank line is no checkpoint (its
// extension lines would include an empty one): Size refuses it, where reading up to the
// first blank line gave it the size of the lines before.
func TestSizeReadsTheTextAsNotesDo(t *testing.T) {
	const root = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
	for _, signed := range []string{
		"example.org/log\n42\n" + root + "\n\next\n\n— example.org/log AAAA\n",
		"example.org/log\n42\n" + root + "\n\nexample.org/log\n43\n" + root + "\n\n— example.org/log AAAA\n",
	} {
		if n, err := Size([]byte(signed)); err == nil {
			t.Errorf("Size(%q) = %d, want an error", signed, n)
		}
	}
	signed := "example.org/log\n42\n" + root + "\next\n\n— example.org/log AAAA\n— w.example BBBB\n"
	if n, err := Size([]byte(signed)); err != nil || n != 42 {
		t.Errorf("Size(%q) = %d, %v, want 42", signed, n, err)
	}
}
