package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
)

// SQLite leaves old bytes in a database file's free space: the free space of a b-tree page
// (between its cell pointers and its cells, and in its freeblocks) keeps what its cells held
// before a delete, an update or a rebalancing moved them; a page on the freelist keeps what it
// held; the tail of a chain's last overflow page keeps what the page held before. PRAGMA
// secure_delete zeros a deleted cell and a freed page, but only while it is on (an erasure's
// transaction: Tx.SecureDelete), and not what a rebalancing leaves: a page that was a table's
// root leaf keeps its old cells in its free space when the table grows a level. An erased
// letter's text was found there (docs/security.md, item 229).
//
// ScrubFreeSpace therefore overwrites, in the transaction, every byte of the file that holds
// no live data, page by page through SQLite's own virtual tables: dbstat says what each page
// is, sqlite_dbpage reads and writes it, so the pages go through SQLite's pager, WAL and
// transaction like any other write (a crash leaves the file as before or as after). Only
// pages that change are written. A b-tree page keeps its header, cell pointers, cells and the
// 4-byte heads of its freeblocks; a freelist trunk keeps its list; a freelist leaf page and
// the unused tail of an overflow page are zeros. The first 100 bytes of page 1 (the file's
// header), the bytes reserved at the end of each page (none in Chancery's files), pointer-map
// pages (Chancery does not use auto_vacuum) and the lock-byte page (never written) are left.

// ScrubFreeSpace overwrites with zeros the free space of the database file on SQLite, as
// described above, and returns how many pages it wrote. It reads every page of the file: run
// it once, at the end of the transaction that erased. On PostgreSQL it does nothing (a deleted
// row's bytes stay in its table's files until VACUUM reuses its space: docs/security.md).
func (t *Tx) ScrubFreeSpace(ctx context.Context) (int, error) {
	if t.dialect != SQLite {
		return 0, nil
	}
	one, err := t.page(ctx, 1)
	if err != nil {
		return 0, err
	}
	pageSize := int(binary.BigEndian.Uint16(one[16:]))
	if pageSize == 1 {
		pageSize = 65536
	}
	usable := pageSize - int(one[20])
	if len(one) != pageSize {
		return 0, fmt.Errorf("scrub free space: page 1 is %d bytes, its header says %d", len(one), pageSize)
	}
	kinds, err := t.pageKinds(ctx, one, usable)
	if err != nil {
		return 0, err
	}
	// One pass reads every page and finds those to write; they are written after it, each
	// read again, since SQLite's virtual table is not written while a scan of it is open.
	var dirty []uint32
	rows, err := t.query(ctx, "SELECT pgno, data FROM sqlite_dbpage")
	if err != nil {
		return 0, fmt.Errorf("scrub free space: read pages: %w", err)
	}
	defer rows.Close()
	var p []byte
	for rows.Next() {
		var pgno uint32
		if err := rows.Scan(&pgno, &p); err != nil {
			return 0, fmt.Errorf("scrub free space: read pages: %w", err)
		}
		k, ok := kinds[pgno]
		if !ok {
			continue
		}
		changed, err := k.scrub(p, pgno, usable)
		if err != nil {
			return 0, fmt.Errorf("scrub free space: page %d: %w", pgno, err)
		}
		if changed {
			dirty = append(dirty, pgno)
		}
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("scrub free space: read pages: %w", err)
	}
	rows.Close()
	for _, pgno := range dirty {
		p, err := t.page(ctx, pgno)
		if err != nil {
			return 0, err
		}
		if _, err := kinds[pgno].scrub(p, pgno, usable); err != nil {
			return 0, fmt.Errorf("scrub free space: page %d: %w", pgno, err)
		}
		if _, err := t.exec(ctx, "UPDATE sqlite_dbpage SET data = ? WHERE pgno = ?", p, pgno); err != nil {
			return 0, fmt.Errorf("scrub free space: write page %d: %w", pgno, err)
		}
	}
	return len(dirty), nil
}

// page returns a copy of page pgno as the transaction sees it.
func (t *Tx) page(ctx context.Context, pgno uint32) ([]byte, error) {
	var p []byte
	if err := t.queryRow(ctx, "SELECT data FROM sqlite_dbpage WHERE pgno = ?", pgno).Scan(&p); err != nil {
		return nil, fmt.Errorf("scrub free space: read page %d: %w", pgno, err)
	}
	return p, nil
}

// pageKind is what a page is, as far as its free space goes.
type pageKind struct {
	kind   byte // 'b' b-tree page, 'o' overflow page, 't' freelist trunk, 'f' freelist leaf
	unused int  // for an overflow page: the bytes unused at its end
}

// pageKinds returns the pages to scrub: the b-tree and overflow pages dbstat lists, and the
// freelist's pages, whose chain starts in page 1's header.
func (t *Tx) pageKinds(ctx context.Context, one []byte, usable int) (map[uint32]pageKind, error) {
	kinds := map[uint32]pageKind{}
	rows, err := t.query(ctx, "SELECT pageno, pagetype, unused FROM dbstat")
	if err != nil {
		return nil, fmt.Errorf("scrub free space: list pages: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var pgno uint32
		var typ string
		var unused int
		if err := rows.Scan(&pgno, &typ, &unused); err != nil {
			return nil, fmt.Errorf("scrub free space: list pages: %w", err)
		}
		switch typ {
		case "internal", "leaf":
			kinds[pgno] = pageKind{kind: 'b'}
		case "overflow":
			kinds[pgno] = pageKind{kind: 'o', unused: unused}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("scrub free space: list pages: %w", err)
	}
	rows.Close()
	total := binary.BigEndian.Uint32(one[36:])
	seen := uint32(0)
	for trunk := binary.BigEndian.Uint32(one[32:]); trunk != 0; {
		if _, ok := kinds[trunk]; ok || seen >= total {
			return nil, fmt.Errorf("scrub free space: the freelist loops or overlaps a table at page %d", trunk)
		}
		p, err := t.page(ctx, trunk)
		if err != nil {
			return nil, err
		}
		n := binary.BigEndian.Uint32(p[4:])
		if int(n) > (usable-8)/4 {
			return nil, fmt.Errorf("scrub free space: freelist trunk page %d lists %d pages", trunk, n)
		}
		kinds[trunk] = pageKind{kind: 't'}
		seen++
		for i := range n {
			leaf := binary.BigEndian.Uint32(p[8+4*i:])
			if _, ok := kinds[leaf]; ok {
				return nil, fmt.Errorf("scrub free space: freelist page %d is listed twice", leaf)
			}
			kinds[leaf] = pageKind{kind: 'f'}
			seen++
		}
		trunk = binary.BigEndian.Uint32(p[0:])
	}
	if seen != total {
		return nil, fmt.Errorf("scrub free space: the freelist has %d pages, page 1 says %d", seen, total)
	}
	return kinds, nil
}

// scrub zeros the free space of p, page pgno, a page of kind k, in place, and reports whether
// it changed a byte.
func (k pageKind) scrub(p []byte, pgno uint32, usable int) (bool, error) {
	if usable > len(p) || usable < 480 {
		return false, fmt.Errorf("usable size %d of a page of %d bytes", usable, len(p))
	}
	switch k.kind {
	case 'f':
		return zero(p[:usable]), nil
	case 't':
		n := binary.BigEndian.Uint32(p[4:])
		if n > uint32(usable-8)/4 {
			return false, fmt.Errorf("freelist trunk page lists %d pages", n)
		}
		return zero(p[8+4*n : usable]), nil
	case 'o':
		if k.unused < 0 || k.unused > usable-4 {
			return false, fmt.Errorf("overflow page with %d bytes unused", k.unused)
		}
		return zero(p[usable-k.unused : usable]), nil
	}
	hdr := 0
	if pgno == 1 {
		hdr = 100
	}
	keep, err := btreeUsed(p[:usable], hdr)
	if err != nil {
		return false, err
	}
	changed := false
	for i := hdr; i < usable; i++ {
		if !keep[i] && p[i] != 0 {
			p[i] = 0
			changed = true
		}
	}
	return changed, nil
}

// zero sets b to zeros and reports whether a byte was not.
func zero(b []byte) bool {
	changed := false
	for i := range b {
		if b[i] != 0 {
			b[i] = 0
			changed = true
		}
	}
	return changed
}

// errPage is a b-tree page that does not parse as the file format says.
var errPage = errors.New("not a valid b-tree page")

// btreeUsed returns which bytes of the b-tree page p (its usable part; its header at hdr)
// hold live data: the page header, the cell pointer array, every cell, and the first four
// bytes of every freeblock (the chain SQLite follows). It follows the file format
// (sqlite.org/fileformat2.html, "B-tree Pages").
func btreeUsed(p []byte, hdr int) ([]bool, error) {
	usable := len(p)
	typ := p[hdr]
	var headerLen int
	switch typ {
	case 0x02, 0x05:
		headerLen = 12
	case 0x0a, 0x0d:
		headerLen = 8
	default:
		return nil, fmt.Errorf("%w: type %#x", errPage, typ)
	}
	keep := make([]bool, usable)
	mark := func(from, to int) error {
		if from < hdr || to > usable || from > to {
			return fmt.Errorf("%w: bytes %d to %d outside the page", errPage, from, to)
		}
		for i := from; i < to; i++ {
			keep[i] = true
		}
		return nil
	}
	ncell := int(binary.BigEndian.Uint16(p[hdr+3:]))
	ptrs := hdr + headerLen
	if err := mark(hdr, ptrs+2*ncell); err != nil {
		return nil, err
	}
	maxLocal := usable - 35 // table leaf
	if typ != 0x0d {
		maxLocal = (usable-12)*64/255 - 23
	}
	minLocal := (usable-12)*32/255 - 23
	for i := range ncell {
		off := int(binary.BigEndian.Uint16(p[ptrs+2*i:]))
		size, err := cellSize(p, off, typ, maxLocal, minLocal)
		if err != nil {
			return nil, err
		}
		if err := mark(off, off+size); err != nil {
			return nil, err
		}
	}
	for fb, n := int(binary.BigEndian.Uint16(p[hdr+1:])), 0; fb != 0; n++ {
		if n > usable/4 || fb+4 > usable {
			return nil, fmt.Errorf("%w: freeblock chain", errPage)
		}
		if err := mark(fb, fb+4); err != nil {
			return nil, err
		}
		fb = int(binary.BigEndian.Uint16(p[fb:]))
	}
	return keep, nil
}

// cellSize returns the size of the cell at off of a page of type typ.
func cellSize(p []byte, off int, typ byte, maxLocal, minLocal int) (int, error) {
	if off < 0 || off >= len(p) {
		return 0, fmt.Errorf("%w: cell at %d", errPage, off)
	}
	i := off
	if typ == 0x02 || typ == 0x05 {
		i += 4 // left child
	}
	if typ == 0x05 {
		_, n := varint(p[min(i, len(p)):])
		if n == 0 {
			return 0, fmt.Errorf("%w: cell at %d", errPage, off)
		}
		return i + n - off, nil
	}
	payload, n := varint(p[min(i, len(p)):])
	if n == 0 {
		return 0, fmt.Errorf("%w: cell at %d", errPage, off)
	}
	i += n
	if typ == 0x0d {
		if _, n = varint(p[min(i, len(p)):]); n == 0 { // rowid
			return 0, fmt.Errorf("%w: cell at %d", errPage, off)
		}
		i += n
	}
	if payload > 1<<31 {
		return 0, fmt.Errorf("%w: payload of %d bytes", errPage, payload)
	}
	local, P := int(payload), int(payload)
	if P > maxLocal {
		local = minLocal + (P-minLocal)%(len(p)-4)
		if local > maxLocal {
			local = minLocal
		}
		local += 4 // the first overflow page's number
	}
	return max(i+local-off, 4), nil
}

// varint decodes a SQLite varint at the start of b: its value and length, 0 if b is too short.
func varint(b []byte) (uint64, int) {
	var v uint64
	for i := range min(len(b), 9) {
		if i == 8 {
			return v<<8 | uint64(b[i]), 9
		}
		v = v<<7 | uint64(b[i]&0x7f)
		if b[i] < 0x80 {
			return v, i + 1
		}
	}
	return 0, 0
}
