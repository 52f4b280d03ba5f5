package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Witness is a witness the office sends its checkpoints to.
type Witness struct {
	// Name is the office's label for it, e.g. "ministry-of-justice".
	Name string
	// URL is the witness's tlog-witness prefix; add-checkpoint is URL + "/add-checkpoint".
	URL string
	// VKey is its note verifier key (Ed25519 cosignature/v1).
	VKey    string
	AddedAt time.Time
}

// AddWitness records a witness; ErrConflict if its name or key is taken.
func (t *Tx) AddWitness(ctx context.Context, w Witness) error {
	_, err := t.exec(ctx, `INSERT INTO witnesses (name, url, vkey, added_at) VALUES ($1, $2, $3, $4)`,
		w.Name, w.URL, w.VKey, ts(w.AddedAt))
	return conflict(err, "add witness "+w.Name)
}

// RemoveWitness forgets a witness; ErrNotFound if there is none of that name. Its past
// cosignatures stay: they are still valid signatures of what they signed.
func (t *Tx) RemoveWitness(ctx context.Context, name string) error {
	res, err := t.exec(ctx, `DELETE FROM witnesses WHERE name = $1`, name)
	if err != nil {
		return fmt.Errorf("remove witness %s: %w", name, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("witness %s: %w", name, ErrNotFound)
	}
	return nil
}

// Witnesses returns the office's witnesses by name.
func (t *Tx) Witnesses(ctx context.Context) ([]Witness, error) {
	rows, err := t.query(ctx, `SELECT name, url, vkey, added_at FROM witnesses ORDER BY `+t.byteOrder("name"))
	if err != nil {
		return nil, fmt.Errorf("witnesses: %w", err)
	}
	defer rows.Close()
	var out []Witness
	for rows.Next() {
		var w Witness
		var at string
		if err := rows.Scan(&w.Name, &w.URL, &w.VKey, &at); err != nil {
			return nil, fmt.Errorf("witnesses: %w", err)
		}
		w.AddedAt = parseTS(at)
		out = append(out, w)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("witnesses: %w", err)
	}
	return out, nil
}

// Setting returns a named setting; ErrNotFound if it was never set.
func (t *Tx) Setting(ctx context.Context, name string) (string, error) {
	var v string
	if err := t.queryRow(ctx, `SELECT value FROM settings WHERE name = $1`, name).Scan(&v); err != nil {
		return "", notFound(err, "setting "+name)
	}
	return v, nil
}

// SetSetting sets a named setting.
func (t *Tx) SetSetting(ctx context.Context, name, value string) error {
	_, err := t.exec(ctx, `INSERT INTO settings (name, value) VALUES ($1, $2)
ON CONFLICT (name) DO UPDATE SET value = excluded.value`, name, value)
	if err != nil {
		return fmt.Errorf("set %s: %w", name, err)
	}
	return nil
}

// Cosignature is a witness's cosignature of the checkpoint of one size.
type Cosignature struct {
	Size int64
	VKey string
	// Line is the note signature line, "— <name> <base64>\n".
	Line []byte
	// At is the time in the cosignature, which the witness signed.
	At time.Time
}

// AddCosignature records the checkpoint of size, as the log signed it, and a witness's
// cosignature of it. A later cosignature by the same witness of the same checkpoint replaces
// the earlier one: it is fresher.
func (t *Tx) AddCosignature(ctx context.Context, checkpoint []byte, c Cosignature) error {
	if _, err := t.exec(ctx, `INSERT INTO checkpoints (size, checkpoint) VALUES ($1, $2) ON CONFLICT (size) DO NOTHING`,
		c.Size, checkpoint); err != nil {
		return fmt.Errorf("add checkpoint %d: %w", c.Size, err)
	}
	var stored []byte
	if err := t.queryRow(ctx, `SELECT checkpoint FROM checkpoints WHERE size = $1`, c.Size).Scan(&stored); err != nil {
		return fmt.Errorf("add checkpoint %d: %w", c.Size, err)
	}
	if string(stored) != string(checkpoint) {
		return fmt.Errorf("add cosignature of checkpoint %d: another checkpoint of that size is stored: %w", c.Size, ErrConflict)
	}
	_, err := t.exec(ctx, `INSERT INTO cosignatures (size, vkey, line, cosigned_at) VALUES ($1, $2, $3, $4)
ON CONFLICT (size, vkey) DO UPDATE SET line = excluded.line, cosigned_at = excluded.cosigned_at
WHERE excluded.cosigned_at > cosignatures.cosigned_at`, c.Size, c.VKey, c.Line, c.At.Unix())
	if err != nil {
		return fmt.Errorf("add cosignature of checkpoint %d: %w", c.Size, err)
	}
	return nil
}

// LatestCosigned returns the newest checkpoint larger than after that at least quorum of
// the keys vkeys cosigned, as the log signed it, with those keys' cosignatures; ErrNotFound if
// none has. after bounds the scan: a caller that holds a cosigned checkpoint asks only for
// newer ones.
func (t *Tx) LatestCosigned(ctx context.Context, vkeys []string, quorum int, after int64) (checkpoint []byte, cosigs []Cosignature, err error) {
	if quorum < 1 || len(vkeys) == 0 {
		return nil, nil, fmt.Errorf("latest cosigned checkpoint: quorum %d of %d keys", quorum, len(vkeys))
	}
	in, args := inList(vkeys, 1)
	args = append(args, quorum, after)
	var size int64
	err = t.queryRow(ctx, `SELECT size FROM cosignatures WHERE vkey IN (`+in+`) AND size > $`+fmt.Sprint(len(vkeys)+2)+`
GROUP BY size HAVING COUNT(*) >= $`+fmt.Sprint(len(vkeys)+1)+` ORDER BY size DESC LIMIT 1`, args...).Scan(&size)
	if err != nil {
		return nil, nil, notFound(err, "latest cosigned checkpoint")
	}
	if err := t.queryRow(ctx, `SELECT checkpoint FROM checkpoints WHERE size = $1`, size).Scan(&checkpoint); err != nil {
		return nil, nil, notFound(err, "latest cosigned checkpoint")
	}
	cosigs, err = t.Cosignatures(ctx, size)
	if err != nil {
		return nil, nil, err
	}
	keep := cosigs[:0]
	for _, c := range cosigs {
		for _, k := range vkeys {
			if c.VKey == k {
				keep = append(keep, c)
				break
			}
		}
	}
	return checkpoint, keep, nil
}

// Cosignatures returns every cosignature of the checkpoint of size, by key.
func (t *Tx) Cosignatures(ctx context.Context, size int64) ([]Cosignature, error) {
	rows, err := t.query(ctx, `SELECT vkey, line, cosigned_at FROM cosignatures WHERE size = $1 ORDER BY `+t.byteOrder("vkey"), size)
	if err != nil {
		return nil, fmt.Errorf("cosignatures of %d: %w", size, err)
	}
	defer rows.Close()
	var out []Cosignature
	for rows.Next() {
		c := Cosignature{Size: size}
		var at int64
		if err := rows.Scan(&c.VKey, &c.Line, &at); err != nil {
			return nil, fmt.Errorf("cosignatures of %d: %w", size, err)
		}
		c.At = time.Unix(at, 0).UTC()
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("cosignatures of %d: %w", size, err)
	}
	return out, nil
}

// inList returns "$first, $first+1, ..." for the values, and the values as arguments.
func inList(values []string, first int) (string, []any) {
	ph := make([]string, len(values))
	args := make([]any, len(values))
	for i, v := range values {
		ph[i] = fmt.Sprintf("$%d", first+i)
		args[i] = v
	}
	return strings.Join(ph, ", "), args
}

// LatestCosignatureBy returns the cosignature of the largest checkpoint the witness of key
// vkey cosigned; ErrNotFound if it never cosigned one.
func (t *Tx) LatestCosignatureBy(ctx context.Context, vkey string) (Cosignature, error) {
	c := Cosignature{VKey: vkey}
	var at int64
	err := t.queryRow(ctx, `SELECT size, line, cosigned_at FROM cosignatures WHERE vkey = $1 ORDER BY size DESC LIMIT 1`, vkey).
		Scan(&c.Size, &c.Line, &at)
	if err != nil {
		return Cosignature{}, notFound(err, "cosignature by "+vkey)
	}
	c.At = time.Unix(at, 0).UTC()
	return c, nil
}

// LatestCosignatureSince is LatestCosignatureBy among the cosignatures whose time is since
// or later, to the second; ErrNotFound if there is none.
func (t *Tx) LatestCosignatureSince(ctx context.Context, vkey string, since time.Time) (Cosignature, error) {
	c := Cosignature{VKey: vkey}
	var at int64
	err := t.queryRow(ctx, `SELECT size, line, cosigned_at FROM cosignatures WHERE vkey = $1 AND cosigned_at >= $2 ORDER BY size DESC LIMIT 1`, vkey, since.Unix()).
		Scan(&c.Size, &c.Line, &at)
	if err != nil {
		return Cosignature{}, notFound(err, "cosignature by "+vkey)
	}
	c.At = time.Unix(at, 0).UTC()
	return c, nil
}
