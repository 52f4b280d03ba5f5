package monitor

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/chancery/chancery/internal/checkpoint"
	"github.com/chancery/chancery/internal/translog"
	"golang.org/x/mod/sumdb/tlog"
)

// Bounds on what one response may hold: a hostile log costs the monitor at most this much
// memory per request.
const (
	maxTileBytes   = translog.TileWidth * tlog.HashSize
	maxBundleBytes = translog.TileWidth * (2 + translog.MaxEntrySize)
)

// unavailableError is a log that could not be read (transport error, an HTTP error status,
// an oversized answer): not a finding about the log, to be tried again later. Status is the
// HTTP status of an error answer.
type unavailableError struct {
	err    error
	status int
}

func (e *unavailableError) Error() string { return e.err.Error() }
func (e *unavailableError) Unwrap() error { return e.err }

// NormalizeURL returns the monitoring prefix of a log given its URL: the URL without a
// trailing slash, and with "/log" appended when it has no path, since a Chancery registry
// serves its log there. A user name and password in the URL are kept, for the requests
// (HTTP basic authentication); ShownURL is what may be printed or stored.
func NormalizeURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("log URL %q is not an http or https URL without query", ShownURL(raw))
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	u.RawPath = ""
	if u.Path == "" {
		u.Path = "/log"
	}
	return u.String(), nil
}

// ShownURL returns raw without the user name and password it may carry, even when raw is not
// a valid URL: what the monitor prints, reports, sends and stores of a log's or a webhook's
// URL, so that credentials given in it reach none of them.
func ShownURL(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.User != nil {
		u.User = nil
		return u.String()
	}
	// Not a URL, or none with a user: cut whatever stands before an '@' in its authority.
	rest, pre := raw, ""
	if i := strings.Index(raw, "//"); i >= 0 {
		pre, rest = raw[:i+2], raw[i+2:]
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	if at := strings.LastIndex(rest[:end], "@"); at >= 0 {
		rest = rest[at+1:]
	}
	return pre + rest
}

// fetcher reads one log per C2SP tlog-tiles. As a tlog.TileReader it serves the tiles of
// one tree (one pass), keeping those tlog has authenticated so that the tiles above the
// entries, needed again for every entry bundle, are fetched once per pass.
type fetcher struct {
	ctx    context.Context
	base   string
	client *http.Client
	agent  string
	saved  map[tlog.Tile][]byte
}

// maxSavedTiles bounds the authenticated tiles kept in one pass (8 KiB each).
const maxSavedTiles = 1024

func (f *fetcher) get(path string, limit int64) ([]byte, error) {
	req, err := http.NewRequestWithContext(f.ctx, http.MethodGet, f.base+"/"+path, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", f.agent)
	resp, err := f.client.Do(req)
	if err != nil {
		// The client's error names the URL with the user name in it.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, &unavailableError{err: fmt.Errorf("get %s: %w", path, err)}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
		return nil, &unavailableError{fmt.Errorf("get %s: %s", path, resp.Status), resp.StatusCode}
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, &unavailableError{err: fmt.Errorf("get %s: %w", path, err)}
	}
	if int64(len(b)) > limit {
		return nil, &unavailableError{err: fmt.Errorf("get %s: answer larger than %d bytes", path, limit)}
	}
	return b, nil
}

// checkpoint fetches the log's latest signed checkpoint.
func (f *fetcher) checkpoint() ([]byte, error) {
	return f.get("checkpoint", checkpoint.MaxSize)
}

// bundle fetches entry bundle n at width w and splits it into exactly w entries.
func (f *fetcher) bundle(n int64, w int) ([]byte, [][]byte, error) {
	t := tlog.Tile{H: translog.TileHeight, L: translog.EntriesLevel, N: n, W: w}
	data, err := f.get(translog.TilePath(t), maxBundleBytes)
	if err != nil {
		return nil, nil, err
	}
	entries, err := translog.SplitBundle(data)
	if err != nil {
		return data, nil, fmt.Errorf("%s: %w", translog.TilePath(t), err)
	}
	if len(entries) != w {
		return data, nil, fmt.Errorf("%s: holds %d entries, want %d", translog.TilePath(t), len(entries), w)
	}
	return data, entries, nil
}

func (f *fetcher) Height() int { return translog.TileHeight }

// ReadTiles fetches hash tiles. A tile of the wrong length is a finding, not an outage: tlog
// would refuse it anyway, this says which tile.
func (f *fetcher) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, t := range tiles {
		if d, ok := f.saved[t]; ok {
			out[i] = d
			continue
		}
		d, err := f.get(translog.TilePath(t), maxTileBytes)
		if err != nil {
			return nil, err
		}
		if len(d) != t.W*tlog.HashSize {
			return nil, fmt.Errorf("%s: %d bytes, want %d", translog.TilePath(t), len(d), t.W*tlog.HashSize)
		}
		out[i] = d
	}
	return out, nil
}

func (f *fetcher) SaveTiles(tiles []tlog.Tile, data [][]byte) {
	if len(f.saved) > maxSavedTiles {
		clear(f.saved)
	}
	for i, t := range tiles {
		f.saved[t] = data[i]
	}
}

// isUnavailable reports whether err is a failure to read the log rather than a finding.
func isUnavailable(err error) bool {
	var u *unavailableError
	return errors.As(err, &u) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// isGone reports whether err is the log's answer that what was asked is not there (404 or
// 410), as opposed to an outage.
func isGone(err error) bool {
	var u *unavailableError
	return errors.As(err, &u) && (u.status == http.StatusNotFound || u.status == http.StatusGone)
}
