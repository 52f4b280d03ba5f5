package cli

import "time"

// WriteLogin saves token for the registry at url in path as 'chancery login' does.
func WriteLogin(path, url, token string) error {
	return writeLogin(path, &savedLogin{URL: url, Token: token, Name: "rita", Roles: []string{"drafter"}, ExpiresAt: time.Now().Add(time.Hour)})
}
