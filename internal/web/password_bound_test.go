package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/server"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/web"
)

// heldAuthenticator holds every sign-in's password check until release is closed, and says
// on started when one begins.
type heldAuthenticator struct {
	started chan struct{}
	release chan struct{}
}

func (a *heldAuthenticator) Authenticate(*http.Request) (*store.Member, error) {
	a.started <- struct{}{}
	<-a.release
	return nil, registry.ErrUnauthenticated
}

// TestPasswordSetTakesAPasswordCheckTurn: setting a password (POST /api/v1/password) hashes
// it with argon2id, 32 MiB, as a sign-in checks one; it waits for a turn among the
// web.SigninChecks password computations, so that a member sending many at once cannot hold
// unbounded memory. While sign-ins hold every turn, a password set waits; it is done once they
// end.
func TestPasswordSetTakesAPasswordCheckTurn(t *testing.T) {
	auth := &heldAuthenticator{started: make(chan struct{}), release: make(chan struct{})}
	o := newOffice(t, server.Config{RateLimit: -1, Web: web.Config{Authenticator: auth}})
	tok, err := o.reg.AddMember(context.Background(), o.actors["root"], "lena", []string{registry.RoleReviewer})
	if err != nil {
		t.Fatal(err)
	}
	var signins sync.WaitGroup
	for range web.SigninChecks {
		signins.Go(func() { o.client().post("/signin", url.Values{"name": {"nobody"}, "password": {"wrong"}}) })
		<-auth.started
	}
	done := make(chan int, 1)
	go func() {
		req, _ := http.NewRequest("POST", o.srv.URL+"/api/v1/password", strings.NewReader(`{"password": "lena's long password"}`))
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Error(err)
			done <- 0
			return
		}
		resp.Body.Close()
		done <- resp.StatusCode
	}()
	var code int
	select {
	case code = <-done:
		t.Errorf("a password was set (%d) while sign-ins held every password computation's turn", code)
	case <-time.After(2 * time.Second):
		close(auth.release)
		code = <-done
	}
	if code != http.StatusNoContent {
		t.Errorf("setting the password: %d, want 204", code)
	}
	if !isClosed(auth.release) {
		close(auth.release)
	}
	signins.Wait()
	if _, err := o.reg.CheckPassword(context.Background(), "lena", "lena's long password"); err != nil {
		t.Errorf("the password set does not check: %v", err)
	}
}

func isClosed(c chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}
