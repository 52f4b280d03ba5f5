package client

import (
	"context"
	"net/url"
	"strconv"
	"time"

	"github.com/chancery/chancery/internal/registry"
)

// AddRecipient adds a recipient to the directory (admins); it returns the recipient and, when
// it has a webhook, the endpoint's signing secret (shown once).
func (c *Client) AddRecipient(ctx context.Context, r registry.NewRecipient) (*registry.RecipientView, string, error) {
	var out struct {
		Recipient registry.RecipientView `json:"recipient"`
		Secret    string                 `json:"webhook_secret"`
	}
	err := c.json(ctx, "POST", "/api/v1/recipients", map[string]any{"name": r.Name, "organization": r.Organization,
		"contact": r.Contact, "emails": r.Emails, "webhook": r.Webhook}, &out)
	if err != nil {
		return nil, "", err
	}
	return &out.Recipient, out.Secret, nil
}

// Recipients lists the directory.
func (c *Client) Recipients(ctx context.Context) ([]registry.RecipientView, error) {
	var out []registry.RecipientView
	err := c.json(ctx, "GET", "/api/v1/recipients", nil, &out)
	return out, err
}

// SetRecipientEmails replaces the addresses of a recipient of the directory.
func (c *Client) SetRecipientEmails(ctx context.Context, name string, emails []string) (*registry.RecipientView, error) {
	var out registry.RecipientView
	if err := c.json(ctx, "PUT", "/api/v1/recipients/"+url.PathEscape(name), map[string]any{"emails": emails}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// RetireRecipient retires a recipient from the directory (admins).
func (c *Client) RetireRecipient(ctx context.Context, name string) error {
	return c.json(ctx, "DELETE", "/api/v1/recipients/"+url.PathEscape(name), nil, nil)
}

// Dispatch queues the released letter for the named recipients.
func (c *Client) Dispatch(ctx context.Context, reference string, recipients []string) ([]registry.DispatchView, error) {
	var out []registry.DispatchView
	err := c.json(ctx, "POST", ref(reference)+"/dispatch", map[string]any{"recipients": recipients}, &out)
	return out, err
}

// RetryDispatch queues again the letter's messages that failed (registry.RetryDispatch).
func (c *Client) RetryDispatch(ctx context.Context, reference string) ([]registry.DispatchView, error) {
	var out []registry.DispatchView
	err := c.json(ctx, "POST", ref(reference)+"/dispatch/retry", map[string]any{}, &out)
	return out, err
}

// Dispatches returns every message about a letter.
func (c *Client) Dispatches(ctx context.Context, reference string) ([]registry.DispatchView, error) {
	var out []registry.DispatchView
	err := c.json(ctx, "GET", ref(reference)+"/dispatches", nil, &out)
	return out, err
}

// SendDraft mails a coordination copy of the draft's latest version to a recipient; version,
// if not empty, is the digest of the version the member read, refused if it is no longer the
// latest.
func (c *Client) SendDraft(ctx context.Context, reference, recipient, version string) ([]registry.DispatchView, error) {
	var out []registry.DispatchView
	err := c.json(ctx, "POST", ref(reference)+"/drafts/send", map[string]any{"recipient": recipient, "version": version}, &out)
	return out, err
}

// AddWebhook adds an endpoint of the office's systems (admins) and returns its secret.
func (c *Client) AddWebhook(ctx context.Context, name, url string) (string, error) {
	var out struct {
		Secret string `json:"secret"`
	}
	err := c.json(ctx, "POST", "/api/v1/webhooks", map[string]any{"name": name, "url": url}, &out)
	return out.Secret, err
}

// RemoveWebhook removes a webhook endpoint and its deliveries (admins).
func (c *Client) RemoveWebhook(ctx context.Context, name string) error {
	return c.json(ctx, "DELETE", "/api/v1/webhooks/"+url.PathEscape(name), nil, nil)
}

// RekeyWebhook gives a webhook endpoint a new signing secret and returns it (admins), with
// the time until which the previous one still signs, for overlap (zero: none). The default
// overlap is not sent, as the registry takes it when none is given: a registry of a build
// before overlaps refuses the field, and rekeys as before without it.
func (c *Client) RekeyWebhook(ctx context.Context, name string, overlap time.Duration) (string, time.Time, error) {
	var out struct {
		Secret string    `json:"secret"`
		Until  time.Time `json:"previous_secret_until"`
	}
	body := map[string]any{}
	if overlap != registry.DefaultWebhookOverlap {
		body["overlap_seconds"] = int64(overlap / time.Second)
	}
	err := c.json(ctx, "POST", "/api/v1/webhooks/"+url.PathEscape(name)+"/secret", body, &out)
	return out.Secret, out.Until, err
}

// RetryWebhook queues again the failed deliveries to a webhook endpoint and returns how many
// (admins).
func (c *Client) RetryWebhook(ctx context.Context, name string) (int, error) {
	var out struct {
		Queued int `json:"queued"`
	}
	err := c.json(ctx, "POST", "/api/v1/webhooks/"+url.PathEscape(name)+"/retry", map[string]any{}, &out)
	return out.Queued, err
}

// Webhooks lists the webhook endpoints (admins).
func (c *Client) Webhooks(ctx context.Context) ([]registry.WebhookView, error) {
	var out []registry.WebhookView
	err := c.json(ctx, "GET", "/api/v1/webhooks", nil, &out)
	return out, err
}

// WebhookLog returns the latest limit webhook deliveries (1 to 1000; 0: the server's
// default, 100), newest first (admins).
func (c *Client) WebhookLog(ctx context.Context, limit int) ([]registry.WebhookDeliveryView, error) {
	var out []registry.WebhookDeliveryView
	path := "/api/v1/webhooks/deliveries"
	if limit != 0 {
		path += "?limit=" + strconv.Itoa(limit)
	}
	err := c.json(ctx, "GET", path, nil, &out)
	return out, err
}
