// Command oidcop is a real OpenID provider for Chancery's sign-in tests: zitadel's example
// provider (github.com/zitadel/oidc/v3/example/server) with its own login form, with users
// from a JSON file and a "groups" claim read from a second JSON file at every request, so
// that a test can take a user out of a group between two sign-ins.
//
// It is a module of its own, so that the provider's dependencies stay out of Chancery's.
// It listens on a free loopback port and prints its issuer URL on the first line of stdout.
//
//	oidcop -users users.json -groups groups.json -client chancery -secret S -redirect 'http://127.0.0.1:*/signin/oidc/callback'
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"os"

	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

func main() {
	users := flag.String("users", "", "JSON file of users, by ID (zitadel's example format)")
	groups := flag.String("groups", "", "JSON file of each user ID's groups, read at every request")
	client := flag.String("client", "chancery", "client ID of the web application")
	secret := flag.String("secret", "secret", "its client secret")
	device := flag.String("device-client", "chancery-cli", "client ID for the device authorization grant (same secret)")
	redirect := flag.String("redirect", "", "redirect URI glob of the web application (path.Match syntax)")
	addr := flag.String("listen", "127.0.0.1:0", "address to listen on")
	flag.Parse()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	issuer := fmt.Sprintf("http://%s/", ln.Addr())
	us, err := storage.StoreFromFile(*users)
	if err != nil {
		log.Fatal(err)
	}
	storage.RegisterClients(storage.WebClient(*client, *secret, "http://127.0.0.1/unused"), storage.DeviceClient(*device, *secret))
	st := &store{Storage: storage.NewStorage(us), groups: *groups, glob: *redirect}
	router := exampleop.SetupServer(issuer, st, slog.New(slog.NewTextHandler(io.Discard, nil)), false)
	fmt.Println(issuer)
	log.Fatal(http.Serve(ln, router))
}

// store adds the groups claim to zitadel's in-memory example storage, and the redirect glob
// to its clients.
type store struct {
	*storage.Storage
	groups string
	glob   string
}

// globClient lets a client's redirect URI match a glob, as zitadel's op.HasRedirectGlobs
// allows for clients in development mode: the tests' servers listen on random ports.
type globClient struct {
	op.Client
	glob string
}

func (c globClient) RedirectURIGlobs() []string           { return []string{c.glob} }
func (c globClient) PostLogoutRedirectURIGlobs() []string { return nil }

func (s *store) GetClientByClientID(ctx context.Context, id string) (op.Client, error) {
	c, err := s.Storage.GetClientByClientID(ctx, id)
	if err != nil || s.glob == "" {
		return c, err
	}
	return globClient{c, s.glob}, nil
}

func (s *store) addGroups(ui *oidc.UserInfo) error {
	data, err := os.ReadFile(s.groups)
	if err != nil {
		return err
	}
	var m map[string][]string
	if err := json.Unmarshal(data, &m); err != nil {
		return err
	}
	if g, ok := m[ui.Subject]; ok {
		ui.AppendClaims("groups", g)
	}
	return nil
}

func (s *store) SetUserinfoFromToken(ctx context.Context, ui *oidc.UserInfo, tokenID, subject, origin string) error {
	if err := s.Storage.SetUserinfoFromToken(ctx, ui, tokenID, subject, origin); err != nil {
		return err
	}
	return s.addGroups(ui)
}

func (s *store) SetUserinfoFromRequest(ctx context.Context, ui *oidc.UserInfo, r op.IDTokenRequest, scopes []string) error {
	if err := s.Storage.SetUserinfoFromRequest(ctx, ui, r, scopes); err != nil {
		return err
	}
	return s.addGroups(ui)
}
