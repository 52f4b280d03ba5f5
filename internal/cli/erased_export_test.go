package cli

import (
	"context"
	"log/slog"

	"github.com/chancery/chancery/internal/datadir"
	"github.com/chancery/chancery/internal/registry"
)

// KeepErased is keepErased, which serve runs with the context its stop signal cancels.
func KeepErased(ctx context.Context, d *datadir.Dir, reg *registry.Registry, logger *slog.Logger) (func(), error) {
	return keepErased(ctx, d, reg, logger)
}
