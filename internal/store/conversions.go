package store

import (
	"context"
	"errors"
	"fmt"
)

// A Word or OpenDocument version leaves the registry as the PDF LibreOffice makes of it, and
// LibreOffice's output is not byte-stable (it dates and numbers what it writes; an update of
// it or of the fonts moves lines). So a version's file is converted once, and the PDF kept:
// conversions maps the file's digest and the media type it was converted as to the PDF's
// digest, a file of blobs like the others. Previews, draft copies and the release all read
// the kept PDF, and the released pages are those reviewers were shown (registry, stamp.go).
// Erasing a letter erases its versions' conversions with them (EraseLetter).

// conversionsSQLite and conversionsPostgres are migration 33.
const (
	conversionsSQLite = `
CREATE TABLE conversions (
	source     BLOB NOT NULL REFERENCES blobs (digest), -- the version's file
	media_type TEXT NOT NULL,                           -- the type it was converted as
	pdf        BLOB NOT NULL REFERENCES blobs (digest), -- the PDF made of it
	PRIMARY KEY (source, media_type)
) WITHOUT ROWID;
`
	conversionsPostgres = `
CREATE TABLE conversions (
	source     BYTEA NOT NULL REFERENCES blobs (digest),
	media_type TEXT  NOT NULL,
	pdf        BYTEA NOT NULL REFERENCES blobs (digest),
	PRIMARY KEY (source, media_type)
);
`
)

// Conversion returns the digest of the PDF kept as the conversion of the file source (a
// digest) as mediaType; ErrNotFound if none is kept.
func (t *Tx) Conversion(ctx context.Context, source, mediaType string) (string, error) {
	var pdf string
	err := t.queryRow(ctx, `SELECT pdf FROM conversions WHERE source = $1 AND media_type = $2`,
		fileDigestKey(source), mediaType).Scan(fileDigestText{&pdf})
	if err != nil {
		return "", notFound(err, "conversion of "+source)
	}
	return pdf, nil
}

// PutConversion keeps doc, whose digest is pdf, as the conversion of the file source as
// mediaType, unless one is kept already: the first kept stays, and every later conversion of
// the file is given it. It returns the kept conversion's digest, pdf or the one kept before;
// for a file erased, or not stored, it keeps nothing and returns ErrNotFound.
// Writers are serialized (on PostgreSQL across servers too), so the check and the insert see
// the same rows; the insert's ON CONFLICT is the backstop.
func (t *Tx) PutConversion(ctx context.Context, source, mediaType, pdf string, doc []byte) (string, error) {
	src, err := fileDigest(source)
	if err != nil {
		return "", fmt.Errorf("put conversion: %w", err)
	}
	kept, err := t.Conversion(ctx, source, mediaType)
	if err == nil {
		return kept, nil
	} else if !errors.Is(err, ErrNotFound) {
		return "", fmt.Errorf("put conversion: %w", err)
	}
	// A conversion made while the file's letter was erased (a release's, or a copy's, under
	// way) is not kept: the erasure emptied the file and would leave the PDF for good.
	var stored bool
	if err := t.queryRow(ctx, `SELECT EXISTS (SELECT 1 FROM blobs WHERE digest = $1 AND NOT (`+erasedBlob+`))`, src).Scan(&stored); err != nil {
		return "", fmt.Errorf("put conversion: %w", err)
	}
	if !stored {
		return "", fmt.Errorf("put conversion: %w: the file %s is erased, or was never stored", ErrNotFound, source)
	}
	key, err := fileDigest(pdf)
	if err != nil {
		return "", fmt.Errorf("put conversion: %w", err)
	}
	if err := t.PutBlob(ctx, pdf, doc); err != nil {
		return "", fmt.Errorf("put conversion: %w", err)
	}
	_, err = t.exec(ctx, `INSERT INTO conversions (source, media_type, pdf) VALUES ($1, $2, $3)
		ON CONFLICT (source, media_type) DO NOTHING`, src, mediaType, key)
	if err != nil {
		return "", fmt.Errorf("put conversion: %w", err)
	}
	if kept, err = t.Conversion(ctx, source, mediaType); err != nil {
		return "", fmt.Errorf("put conversion: %w", err)
	}
	return kept, nil
}
