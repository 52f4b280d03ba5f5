package server

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
	"github.com/chancery/chancery/internal/translog"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// TestLogAnswersWhatAnotherServerJustAppended: two servers of an office on one PostgreSQL
// database; a client (a monitor, chancery verify, seal refresh behind a load balancer) takes
// the checkpoint from the server that appended, and asks the other for the proofs and tiles of
// that tree at once. That server reads the stored head for the request and answers them. Before,
// it answered 404 ("beyond the latest checkpoint") until its log's next look at the stored
// head, up to 100 ms later: live on three servers, after every one of 35 releases.
func TestLogAnswersWhatAnotherServerJustAppended(t *testing.T) {
	dbURL := storetest.PostgresURL(t)
	ctx := t.Context()
	const origin = "follow.example/log"
	skey, vkey, err := note.GenerateKey(nil, origin)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	var logs []*translog.Log
	for range 2 {
		db, err := store.OpenPostgres(ctx, dbURL)
		if err != nil {
			t.Fatal(err)
		}
		l, err := translog.Open(ctx, db, translog.Config{Origin: origin, Signer: signer, Create: true})
		if err != nil {
			db.Close()
			t.Fatal(err)
		}
		t.Cleanup(func() { l.Close(); db.Close() })
		logs = append(logs, l)
	}
	appender, other := logs[0], logs[1]
	srv := httptest.NewServer(New(Config{Log: other, VerifierKey: vkey, Origin: origin}))
	t.Cleanup(srv.Close)
	get := func(path string) (int, []byte) {
		t.Helper()
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, body
	}
	// Five appends, each asked of the other server at once: its log follows the stored
	// head every 100 ms, and could have read one of them before the question, not all five.
	for i := range 5 {
		if _, err := appender.Append(ctx, fmt.Appendf(nil, "entry %d", i)); err != nil {
			t.Fatal(err)
		}
		head := appender.Head()
		size := head.Size
		leaf, err := appender.TreeHashAt(ctx, size-1)
		if err != nil {
			t.Fatal(err)
		}
		paths := []string{
			fmt.Sprintf("/log/proof/inclusion?index=%d&size=%d", size-1, size),
			fmt.Sprintf("/log/proof/inclusion?index=%d", size-1),
			"/log/proof/inclusion?hash=" + url.QueryEscape(base64.StdEncoding.EncodeToString(leaf[:])),
			"/log/" + translog.TilePath(tlog.TileForIndex(translog.TileHeight, tlog.StoredHashIndex(0, size-1))),
		}
		if size > 1 {
			paths = append(paths, fmt.Sprintf("/log/proof/consistency?old=%d&size=%d", size-1, size))
		}
		for _, p := range paths {
			code, body := get(p)
			if code != http.StatusOK {
				t.Errorf("entry %d appended by another server: GET %s: %d %s", size-1, p, code, body)
				continue
			}
			if strings.HasPrefix(p, "/log/proof/inclusion") {
				var proof InclusionProof
				if err := json.Unmarshal(body, &proof); err != nil {
					t.Fatal(err)
				}
				if err := tlog.CheckRecord(proof.Proof, size, head.Root, size-1, leaf); proof.Size != size || err != nil {
					t.Errorf("GET %s: a proof in the tree of size %d (%v), want %d and the appender's root", p, proof.Size, err, size)
				}
			}
		}
	}
}
