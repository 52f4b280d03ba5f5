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
	var out registry.MemberView
	if err := c.json(ctx, "POST", member(name)+"/roles", map[string]any{"add": add, "remove": remove}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// DisableMember disables a member and returns the member after (admins).
func (c *Client) DisableMember(ctx context.Context, name string) (*registry.MemberView, error) {
	var out registry.MemberView
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

func (c *Client) token(ctx context.Context, path string) (string, error) {
	var out struct {
		Token string `json:"token"`
	}
	err := c.json(ctx, "POST", path, nil, &out)
	return out.Token, err
}
