package client

import (
	"context"
	"fmt"

	"github.com/chancery/chancery/internal/registry"
)

// A call that proposes a change instead of making it, because the policy in force asks for
// two admins, fails with a *registry.ProposedError: registry.Proposed(err) returns the change.

func change(id int64) string { return fmt.Sprintf("/api/v1/changes/%d", id) }

// Changes lists the pending changes, then the latest decided (admins).
func (c *Client) Changes(ctx context.Context) ([]registry.ChangeView, error) {
	var out []registry.ChangeView
	if err := c.json(ctx, "GET", "/api/v1/changes", nil, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// Change returns one change (admins).
func (c *Client) Change(ctx context.Context, id int64) (*registry.ChangeView, error) {
	var out registry.ChangeView
	if err := c.json(ctx, "GET", change(id), nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ApproveChange carries out a change another admin proposed, and returns what it made.
func (c *Client) ApproveChange(ctx context.Context, id int64) (*registry.ChangeResult, error) {
	var out registry.ChangeResult
	if err := c.json(ctx, "POST", change(id)+"/approve", nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// RefuseChange refuses a pending change, or withdraws one's own.
func (c *Client) RefuseChange(ctx context.Context, id int64) (*registry.ChangeView, error) {
	var out registry.ChangeView
	if err := c.json(ctx, "POST", change(id)+"/refuse", nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
