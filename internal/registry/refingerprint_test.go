package registry

import (
	"archive/zip"
	"bytes"
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/textract"
)

// struckWordLetter is a Word package whose second run is drawn struck through.
func struckWordLetter(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, part := range [][2]string{
		{"[Content_Types].xml", `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`},
		{"_rels/.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		{"word/document.xml", `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p>` +
			`<w:r><w:t xml:space="preserve">The convoy leaves the northern depot on </w:t></w:r>` +
			`<w:r><w:rPr><w:strike/></w:rPr><w:t>Monday</w:t></w:r>` +
			`<w:r><w:t xml:space="preserve"> Tuesday at dawn, with twelve vehicles and the spare parts requested last month for the bridge.</w:t></w:r>` +
			`</w:p></w:body></w:document>`},
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

// TestWordFingerprintsOfAnOlderBuildAreMadeAgain: the fingerprint of a Word version stored by
// a build that read its text otherwise (before struck-through text was marked) is made again
// from the version when the store is migrated, so that the letter's own file is found. It
// was kept, and the file answered unknown after the upgrade, where an office that drafted
// it with this build answers with the letter.
func TestWordFingerprintsOfAnOlderBuildAreMadeAgain(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	o := newOfficeIn(t, dir)
	doc := struckWordLetter(t)
	ref, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Convoy", Class: "routine", Addressees: []string{"A"},
		File: Upload{Name: "convoy.docx", Data: doc}})
	if err != nil {
		t.Fatal(err)
	}
	text, err := textract.Text(textract.DOCXType, doc)
	if err != nil || !strings.Contains(text, "[struck: Monday]") {
		t.Fatalf("the Word letter's text %q (%v): want its struck word marked", text, err)
	}
	_, want, err := fingerprintText(text)
	if err != nil {
		t.Fatal(err)
	}
	_, stale, err := fingerprintText(strings.NewReplacer("[struck: ", "", "]", "").Replace(text))
	if err != nil {
		t.Fatal(err)
	}

	// The store as the older build left it: the fingerprint of the text it read, and the
	// schema version before the step that makes such fingerprints again.
	raw, err := sql.Open("sqlite", "file:"+filepath.Join(dir, store.SQLiteFile))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`UPDATE fingerprints SET data = ? WHERE released = 0`, stale); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`DELETE FROM schema_version WHERE version >= 38`); err != nil {
		t.Fatal(err)
	}

	db, err := store.OpenSQLite(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cfg := o.r.cfg
	cfg.DB = db
	r := New(cfg)
	if err := r.LoadIdentification(ctx); err != nil {
		t.Fatal(err)
	}
	var got []byte
	if err := raw.QueryRow(`SELECT data FROM fingerprints WHERE released = 0`).Scan(&got); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("the Word version of %s keeps the older build's fingerprint after the upgrade", ref)
	}
	id, err := r.Identify(ctx, o.drafter, text)
	if err != nil {
		t.Fatal(err)
	}
	if id.Reference != ref {
		t.Errorf("the Word letter's own text, identified after the upgrade: %s %q, want %s", id.Outcome, id.Reference, ref)
	}
}
