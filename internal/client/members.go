package client

import (
	"context"
	"net/url"

	"github.com/chancery/chancery/internal/registry"
)

func member(name string) string { return "/api/v1/members/" + url.PathEscape(name) }

// Members lists the office's members (admins).
func (c *Client) Members(ctx context.Context) ([]registry.MemberView, error) {
	var out []registry.MemberView
	err := c.json(ctx, "GET", "/api/v1/members", nil, &out)
	return out, err
}

// Member returns one member (admins).
func (c *Client) Member(ctx context.Context, name string) (*registry.MemberView, error) {
	var out registry.MemberView
	if err := c.json(ctx, "GET", member(name), nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// SetRoles adds and removes roles of a member and returns the member after (admins).
func (c *Client) SetRoles(ctx context.Context, name string, add, remove []string) (*registry.MemberView, error) {
	res, err := c.SetRolesSuperseding(ctx, name, add, remove)
	if err != nil {
		return nil, err
	}
	return &res.MemberView, nil
}

// SetRolesSuperseding is SetRoles, which also returns the pending role changes about the
// member that the change refused as superseded, and the pending changes the member proposed
// that it refused as they lost the admin role (admins). An older server's answer has neither.
func (c *Client) SetRolesSuperseding(ctx context.Context, name string, add, remove []string) (*registry.MemberChange, error) {
	var out registry.MemberChange
	if err := c.json(ctx, "POST", member(name)+"/roles", map[string]any{"add": add, "remove": remove}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// DisableMember disables a member and returns the member after (admins).
func (c *Client) DisableMember(ctx context.Context, name string) (*registry.MemberView, error) {
	res, err := c.DisableMemberRefusing(ctx, name)
	if err != nil {
		return nil, err
	}
	return &res.MemberView, nil
}

// DisableMemberRefusing is DisableMember, which also returns the pending changes the member
// proposed that the disabling refused (admins). An older server's answer has none.
func (c *Client) DisableMemberRefusing(ctx context.Context, name string) (*registry.MemberChange, error) {
	var out registry.MemberChange
	if err := c.json(ctx, "POST", member(name)+"/disable", nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// EnableMember enables a disabled member and returns their new token (admins).
func (c *Client) EnableMember(ctx context.Context, name string) (string, error) {
	return c.token(ctx, member(name)+"/enable")
}

// IssueToken gives a member a new token, which it returns; the old one stops working (admins).
func (c *Client) IssueToken(ctx context.Context, name string) (string, error) {
	return c.token(ctx, member(name)+"/token")
}

// IssuedToken is the answer to a new token given a member: the token, shown once, the
// other pending new tokens for them it refused as superseded, and, for an enabling, the
// changes the member had proposed that it refused (an older build left them pending).
type IssuedToken struct {
	Name       string                `json:"name"`
	Token      string                `json:"token"`
	Superseded []registry.ChangeView `json:"superseded,omitempty"`
	Refused    []registry.ChangeView `json:"refused,omitempty"`
}

// EnableMemberSuperseding is EnableMember, which also returns the pending new tokens for the
// member that the token enabling gives refused as superseded (admins).
func (c *Client) EnableMemberSuperseding(ctx context.Context, name string) (*IssuedToken, error) {
	var out IssuedToken
	if err := c.json(ctx, "POST", member(name)+"/enable", nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// IssueTokenSuperseding is IssueToken, which also returns the other pending new tokens for the
// member that the new one refused as superseded (admins).
func (c *Client) IssueTokenSuperseding(ctx context.Context, name string) (*IssuedToken, error) {
	var out IssuedToken
	if err := c.json(ctx, "POST", member(name)+"/token", nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

func (c *Client) token(ctx context.Context, path string) (string, error) {
	var out struct {
		Token string `json:"token"`
	}
	err := c.json(ctx, "POST", path, nil, &out)
	return out.Token, err
}

// Witnesses returns the office's witness configuration (admins).
func (c *Client) Witnesses(ctx context.Context) (*registry.WitnessConfig, error) {
	var out registry.WitnessConfig
	if err := c.json(ctx, "GET", "/api/v1/witnesses", nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// AddWitness adds a witness and returns the configuration after (admins).
func (c *Client) AddWitness(ctx context.Context, name, u, key string) (*registry.WitnessConfig, error) {
	var out registry.WitnessConfig
	if err := c.json(ctx, "POST", "/api/v1/witnesses", map[string]string{"name": name, "url": u, "key": key}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// RemoveWitness removes a witness and returns the configuration after (admins).
func (c *Client) RemoveWitness(ctx context.Context, name string) (*registry.WitnessConfig, error) {
	var out registry.WitnessConfig
	if err := c.json(ctx, "DELETE", "/api/v1/witnesses/"+url.PathEscape(name), nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// SetWitnessQuorum sets the witness quorum and returns the configuration after (admins).
func (c *Client) SetWitnessQuorum(ctx context.Context, n int) (*registry.WitnessConfig, error) {
	var out registry.WitnessConfig
	if err := c.json(ctx, "PUT", "/api/v1/witnesses/quorum", map[string]int{"quorum": n}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
