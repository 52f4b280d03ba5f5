package ocrtest

import "encoding/binary"

// ProgressiveJPEG returns a grey progressive JPEG of w×h pixels (multiples of 8) made of a
// DC scan and then scans more AC scans, each coded as runs of empty bands: a few bytes a scan,
// while a decoder passes over every block of the image once a scan. All its pixels are grey.
func ProgressiveJPEG(w, h, scans int) []byte {
	seg := func(b []byte, marker byte, payload ...byte) []byte {
		b = append(b, 0xff, marker)
		b = binary.BigEndian.AppendUint16(b, uint16(len(payload)+2))
		return append(b, payload...)
	}
	b := []byte{0xff, 0xd8}
	q := make([]byte, 65)
	for i := 1; i < len(q); i++ {
		q[i] = 1
	}
	b = seg(b, 0xdb, q...)
	b = seg(b, 0xc2, 8, byte(h>>8), byte(h), byte(w>>8), byte(w), 1, 1, 0x11, 0)
	// One code of one bit in each table: DC difference 0, and AC "end of band run" with 14
	// more bits (runs of 16,384 to 32,767 blocks).
	dht := []byte{0x00, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00}
	dht = append(dht, 0x10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xe0)
	b = seg(b, 0xc4, dht...)
	blocks := (w / 8) * (h / 8)
	var bits bitWriter
	for range blocks {
		bits.put(0, 1)
	}
	b = append(seg(b, 0xda, 1, 1, 0x00, 0, 0, 0), bits.flush()...)
	for range scans {
		var bits bitWriter
		for left := blocks; left > 0; {
			run := min(max(left, 1<<14), 1<<15-1)
			bits.put(0, 1)
			bits.put(uint32(run-1<<14), 14)
			left -= run
		}
		b = append(seg(b, 0xda, 1, 1, 0x00, 1, 63, 0), bits.flush()...)
	}
	return append(b, 0xff, 0xd9)
}

// bitWriter writes the entropy-coded bits of a JPEG scan, stuffing a zero after each 0xff.
type bitWriter struct {
	out []byte
	acc byte
	n   int
}

func (w *bitWriter) put(v uint32, n int) {
	for i := n - 1; i >= 0; i-- {
		w.acc = w.acc<<1 | byte(v>>i&1)
		if w.n++; w.n == 8 {
			w.out = append(w.out, w.acc)
			if w.acc == 0xff {
				w.out = append(w.out, 0)
			}
			w.acc, w.n = 0, 0
		}
	}
}

// flush pads the last byte with ones, as JPEG does.
func (w *bitWriter) flush() []byte {
	for w.n != 0 {
		w.put(1, 1)
	}
	return w.out
}
