package registry

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/convert"
	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/store"
)

// wordLetter is the smallest Word package LibreOffice opens, with one paragraph of text.
func wordLetter(t *testing.T, text string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, part := range [][2]string{
		{"[Content_Types].xml", `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`},
		{"_rels/.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		{"word/document.xml", `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>` +
			text + `</w:t></w:r></w:p></w:body></w:document>`},
	} {
		w, err := zw.Create(part[0])
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(part[1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// approvedWordLetter drafts a Word letter in o, approved and signed, and returns its reference.
func approvedWordLetter(t *testing.T, o *office) string {
	t.Helper()
	ref, err := o.r.CreateLetter(context.Background(), o.drafter, NewLetter{Subject: "Repositioning", Class: "routine", Addressees: []string{"A"},
		File: Upload{Name: "letter.docx", Data: wordLetter(t, "Dear Minister, the forces will be repositioned.")}})
	if err != nil {
		t.Fatal(err)
	}
	o.approve(t, ref)
	if err := o.sign(t, ref); err != nil {
		t.Fatal(err)
	}
	return ref
}

// TestWordRelease: a Word letter is released as a stamped PDF through LibreOffice; without a
// converter it is drafted and approved, but its release is refused with a hint and nothing
// is released.
func TestWordRelease(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	create := func() string { return approvedWordLetter(t, o) }

	ref := create()
	if _, err := o.r.Release(ctx, o.officer, ref); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "libreoffice") {
		t.Fatalf("release without a converter: %v, want ErrInvalid with a hint", err)
	}
	if _, _, err := o.r.ReleasedFile(ctx, o.officer, ref, ""); err == nil {
		t.Fatal("a refused release left a released file")
	}

	if _, err := exec.LookPath("soffice"); err != nil && os.Getenv("CHANCERY_REQUIRE_TOOLS") != "1" {
		t.Skip("soffice not installed")
	}
	var err error
	if o.r.cfg.Converter, err = convert.Find("", 10*time.Minute); err != nil {
		t.Fatal(err)
	}
	ref = create()
	rel, err := o.r.Release(ctx, o.officer, ref)
	if err != nil {
		t.Fatal(err)
	}
	if rel.MediaType != "application/pdf" || rel.FileName != "letter.pdf" {
		t.Errorf("released as %q %q, want letter.pdf, application/pdf", rel.FileName, rel.MediaType)
	}
	text, err := pdf.Text(rel.File)
	if err != nil || !strings.Contains(text, "repositioned") {
		t.Fatalf("released text %q, %v", text, err)
	}
	// The converted letter carries the footer: pdftotext reads the stamp too.
	file := t.TempDir() + "/released.pdf"
	if err := os.WriteFile(file, rel.File, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdftotext", file, "-").Output(); err != nil || !strings.Contains(string(out), "Verify at "+o.r.VerifyURL(ref, rel.CheckCode)) {
		t.Errorf("the released Word letter has no footer: %v\n%s", err, out)
	}
}

// countingConverter returns a converter running soffice through a script that counts its
// runs, and the function reading the count. The script writes "run" to a named pipe in its
// own directory: a conversion can write nowhere else (nonet.IsolateFiles), and a pipe can be
// written to where files are read-only. What it wrote waits in the pipe until read.
func countingConverter(t *testing.T) (*convert.Converter, func() int) {
	t.Helper()
	soffice := tool(t, "soffice")
	dir := t.TempDir()
	fifo, script := filepath.Join(dir, "runs"), filepath.Join(dir, "soffice")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	// Held open for reading and writing, without blocking: a writer never waits for a reader.
	fd, err := syscall.Open(fifo, syscall.O_RDWR|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	if err := os.WriteFile(script, []byte("#!/bin/sh\necho run > '"+fifo+"'\nexec '"+soffice+"' \"$@\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	conv, err := convert.Find(script, 10*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	var read []byte
	return conv, func() int {
		buf := make([]byte, 4096)
		for {
			n, err := syscall.Read(fd, buf)
			if err != nil || n <= 0 {
				break // EAGAIN: nothing more written
			}
			read = append(read, buf[:n]...)
		}
		return bytes.Count(read, []byte("run\n"))
	}
}

// keptConversionOf returns the digest of the conversion the store keeps of ref's latest
// version, "" if none.
func keptConversionOf(t *testing.T, o *office, ref string) string {
	t.Helper()
	ctx := context.Background()
	var d string
	err := o.r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		l, err := tx.LetterByRef(ctx, ref)
		if err != nil {
			return err
		}
		vs, err := tx.Versions(ctx, l.ID)
		if err != nil {
			return err
		}
		v := vs[len(vs)-1]
		d, err = tx.Conversion(ctx, v.Digest, baseType(v.MediaType))
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestWordConversionIsKept: a Word letter was converted by LibreOffice again for its preview,
// each draft copy and its release, and LibreOffice's output is not byte-stable (nor its
// layout across an update of it or of the fonts), so the released pages were not those
// previewed. The version is converted once, for its first preview, and kept: the copy and the
// release are made from the kept conversion, which the release leaves as it was.
func TestWordConversionIsKept(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	conv, runs := countingConverter(t)
	o.r.cfg.Converter = conv
	ref := approvedWordLetter(t, o)
	if _, err := o.r.Preview(ctx, o.signer, ref); err != nil {
		t.Fatal(err)
	}
	kept := keptConversionOf(t, o, ref)
	if n := runs(); n != 1 || kept == "" {
		t.Errorf("after the preview: %d conversions, kept %q; want one, kept", n, kept)
	}
	if _, err := o.r.ExportDraft(ctx, o.drafter, ref, "Liaison cell"); err != nil {
		t.Fatal(err)
	}
	rel, err := o.r.Release(ctx, o.officer, ref)
	if err != nil {
		t.Fatal(err)
	}
	if n := runs(); n != 1 {
		t.Errorf("the preview, a draft copy and the release converted the letter %d times, want once", n)
	}
	if got := keptConversionOf(t, o, ref); got != kept {
		t.Errorf("the release's conversion %s, the preview's %s", got, kept)
	}
	if text, err := pdf.Text(rel.File); err != nil || !strings.Contains(text, "repositioned") {
		t.Errorf("released text %q, %v", text, err)
	}
}
