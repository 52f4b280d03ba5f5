package ocr

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/binary"
	"hash/crc32"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// png64 returns a w×h 16-bit RGBA PNG of one colour: a few hundred KB that Go's decoder
// turns into an image.NRGBA64 of 8 bytes a pixel.
func png64(w, h int) []byte {
	chunk := func(out *bytes.Buffer, typ string, data []byte) {
		binary.Write(out, binary.BigEndian, uint32(len(data)))
		out.WriteString(typ)
		out.Write(data)
		binary.Write(out, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	var idat bytes.Buffer
	z, _ := zlib.NewWriterLevel(&idat, zlib.BestCompression)
	row := append([]byte{0}, bytes.Repeat([]byte{0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xff, 0xff}, w)...)
	for range h {
		z.Write(row)
	}
	z.Close()
	var out bytes.Buffer
	out.WriteString("\x89PNG\r\n\x1a\n")
	hdr := make([]byte, 13)
	binary.BigEndian.PutUint32(hdr[0:], uint32(w))
	binary.BigEndian.PutUint32(hdr[4:], uint32(h))
	hdr[8], hdr[9] = 16, 6
	chunk(&out, "IHDR", hdr)
	chunk(&out, "IDAT", idat.Bytes())
	chunk(&out, "IEND", nil)
	return out.Bytes()
}

// TestCleanPageMemoryBoundedByPixels: before Tesseract, cleanPage decoded an uploaded PNG or
// JPEG of up to maxBlankPixels (12 million) in Go, whatever its depth (found by audit,
// forty-ninth session): a 16-bit RGBA PNG of 3460×3460 pixels, 145 KB sent to the public
// identify endpoint, was decoded into 96 MB and turned grey (12 MB more); live, two such
// uploads at once took the server's RSS from 131 MB to 459 MB, outside --upload-memory. An
// image over maxBlankBytes decoded is read as it is: cleaning a page allocates at most a few
// times its grey image.
func TestCleanPageMemoryBoundedByPixels(t *testing.T) {
	const w, h = 3460, 3460
	data := png64(w, h)
	dir := t.TempDir()
	path := filepath.Join(dir, "scan.png")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if _, _, _, err := cleanPage(context.Background(), dir, path); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	grey := int64(w * h)
	if got := int64(after.TotalAlloc - before.TotalAlloc); got > 3*grey {
		t.Errorf("cleaning a %d-byte PNG of %d pixels allocated %d MB (its grey image is %d MB)", len(data), w*h, got>>20, grey>>20)
	}
}
