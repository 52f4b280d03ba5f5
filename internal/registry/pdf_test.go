package registry

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/convert"
	"github.com/chancery/chancery/internal/officeca/officecatest"
	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/seal"
)

// TestReleaseStampsApprovedPDF shows that what approvers approved is exactly what is stamped:
// the released file begins with the footer stamped, independently and deterministically, on
// the approved version's bytes, followed by the office's embedded signature; its text is the
// version's text.
func TestReleaseStampsApprovedPDF(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	signer := officecatest.Signer(t, "Task Force North")
	o.r.cfg.PDFSigner = signer

	version, err := pdf.Render("text/markdown", []byte("Dear Minister,\n\nThe repositioning of forces is **postponed**."),
		pdf.Letterhead{Office: "Task Force North", Reference: "draft", Subject: "Repositioning"})
	if err != nil {
		t.Fatal(err)
	}
	ref, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Repositioning", Class: "foreign-government",
		Addressees: []string{"Ministry of Defence"}, File: Upload{Name: "letter.pdf", Data: version}})
	if err != nil {
		t.Fatal(err)
	}
	o.approve(t, ref)
	if err := o.sign(t, ref); err != nil {
		t.Fatal(err)
	}
	rel, err := o.r.Release(ctx, o.officer, ref)
	if err != nil {
		t.Fatal(err)
	}
	stmt := o.statementOf(t, rel)
	if stmt.VersionDigest != seal.DigestOf(version) || stmt.FileDigest != seal.DigestOf(rel.File) || stmt.FileMediaType != "" {
		t.Fatalf("statement digests: version %s file %s type %q", stmt.VersionDigest, stmt.FileDigest, stmt.FileMediaType)
	}
	stamped, err := pdf.Stamp(version, pdf.Footer{Office: "Task Force North", Reference: ref, Released: stmt.ReleasedAt, VerifyURL: "https://tfn.example/v/" + ref + "/" + rel.CheckCode})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(rel.File, stamped) || len(rel.File) <= len(stamped) {
		t.Fatal("the released file is not the approved version stamped, then signed")
	}
	vt, _ := pdf.Text(version)
	rt, err := pdf.Text(rel.File)
	if err != nil || vt != rt || !strings.Contains(rt, "postponed") {
		t.Fatalf("released text %q, %v; approved text %q", rt, err, vt)
	}
	st, err := o.r.VerifyDigest(ctx, Actor{}, seal.DigestOf(rel.File))
	if err != nil || st.Outcome != Valid {
		t.Fatalf("verify the released PDF: %+v, %v", st, err)
	}
	// The unstamped approved version is not the letter.
	if st, _ := o.r.VerifyDigest(ctx, Actor{}, seal.DigestOf(version)); st.Outcome != Draft {
		t.Fatalf("verify the unstamped version: %+v; want draft", st)
	}
}

// TestDraftCopiesAreWatermarked: each coordination copy carries the DRAFT banner and its
// recipient's line, differs from every other copy and from the version, and verifies as a
// draft — also once the version is released unchanged.
func TestDraftCopiesAreWatermarked(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	ref := o.letter(t, "Dear Minister,\n\nThe forces will be repositioned.")
	a, err := o.r.ExportDraft(ctx, o.drafter, ref, "Embassy liaison")
	if err != nil {
		t.Fatal(err)
	}
	b, err := o.r.ExportDraft(ctx, o.drafter, ref, "Legal adviser")
	if err != nil {
		t.Fatal(err)
	}
	if a.Digest == b.Digest || a.MediaType != "application/pdf" || !strings.HasSuffix(a.FileName, "-DRAFT-v1.pdf") {
		t.Fatalf("copies: %s %s %s %s", a.Digest, b.Digest, a.MediaType, a.FileName)
	}
	text, err := pdf.Text(a.Data)
	if err != nil || !strings.Contains(text, "repositioned") {
		t.Fatalf("copy text %q, %v", text, err)
	}
	o.approvedAndReleased(t, ref)
	for _, c := range []*DraftCopy{a, b} {
		st, err := o.r.VerifyDigest(ctx, Actor{}, seal.Digest(c.Digest))
		if err != nil || st.Outcome != Draft {
			t.Fatalf("copy for %s after release: %+v, %v; want draft", c.Recipient, st, err)
		}
	}
}

// TestHostilePDFRefused: a file that claims to be a PDF and is not one is refused before
// anything is stored.
func TestHostilePDFRefused(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	for name, data := range map[string][]byte{
		"garbage":   []byte("%PDF-1.7\nthis is not a PDF"),
		"truncated": []byte("%PDF-1.4\n1 0 obj\n<</Type/Catalog"),
	} {
		_, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "S", Class: "routine", Addressees: []string{"A"},
			File: Upload{Name: name + ".pdf", Data: data}})
		if !errors.Is(err, ErrInvalid) {
			t.Fatalf("%s: %v, want ErrInvalid", name, err)
		}
		if st, _ := o.r.VerifyDigest(ctx, o.reviewer, seal.DigestOf(data)); st.Outcome != Unknown {
			t.Fatalf("%s: refused file left a trace: %+v", name, st)
		}
	}
}

// TestWordDraftCopy: without a converter a Word draft is reviewed but no copy of it leaves;
// with LibreOffice it leaves converted to PDF, watermarked, and verifies as a draft; its text
// is identified like any other letter's.
func TestWordDraftCopy(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	// The smallest package Word and LibreOffice open: content types, the package's
	// relationship to its main part, and the main part.
	w, _ := zw.Create("[Content_Types].xml")
	w.Write([]byte(`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`))
	w, _ = zw.Create("_rels/.rels")
	w.Write([]byte(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`))
	w, _ = zw.Create("word/document.xml")
	w.Write([]byte(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` +
		`<w:p><w:r><w:t>Dear Minister,</w:t></w:r></w:p><w:p><w:r><w:t>The forces will be repositioned.</w:t></w:r></w:p></w:body></w:document>`))
	zw.Close()
	ref, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Repositioning", Class: "routine", Addressees: []string{"A"},
		File: Upload{Name: "letter.docx", Data: b.Bytes()}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.ExportDraft(ctx, o.drafter, ref, "Liaison cell"); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "libreoffice") {
		t.Fatalf("a Word draft copy without a converter: %v, want ErrInvalid with a hint", err)
	}
	if _, err := exec.LookPath("soffice"); err != nil && os.Getenv("CHANCERY_REQUIRE_TOOLS") != "1" {
		t.Skip("soffice not installed")
	}
	if o.r.cfg.Converter, err = convert.Find("", 10*time.Minute); err != nil {
		t.Fatal(err)
	}
	c, err := o.r.ExportDraft(ctx, o.drafter, ref, "Liaison cell")
	if err != nil {
		t.Fatal(err)
	}
	if c.MediaType != "application/pdf" || c.FileName != "letter-DRAFT-v1.pdf" {
		t.Fatalf("Word draft copy: %s %s", c.MediaType, c.FileName)
	}
	text, err := pdf.Text(c.Data)
	if err != nil || !strings.Contains(text, "repositioned") {
		t.Fatalf("copy text %q, %v", text, err)
	}
	if st, _ := o.r.VerifyDigest(ctx, Actor{}, seal.Digest(c.Digest)); st.Outcome != Draft {
		t.Fatalf("copy verifies as %s", st.Outcome)
	}
	id, err := o.r.Identify(ctx, o.reviewer, "Dear Minister, the forces will be repositioned.")
	if err != nil || id.Outcome != Draft || id.Reference != ref {
		t.Fatalf("identify the Word draft's text: %+v, %v", id, err)
	}
}
