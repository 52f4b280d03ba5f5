package registry

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/chancery/chancery/internal/lookalike"
	"github.com/chancery/chancery/internal/store"
)

// LookAlikeNames are names of one kind already in the registry that read as one another
// (lookalike.Skeleton), in byte order.
type LookAlikeNames struct {
	Kind  string   `json:"kind"` // "member" or "recipient"
	Names []string `json:"names"`
}

// LookAlikes lists the members, and the recipients, whose names read as one another's. New
// names are refused when they read as an existing one, but names added before that check
// stay: release statements, the log and the audit trail show members by name alone, and
// letters are dispatched to recipients chosen by name, so an operator must know of them
// (serve warns of them at its start, without naming them; admins see them on the members
// page). Nothing is renamed.
func (r *Registry) LookAlikes(ctx context.Context) ([]LookAlikeNames, error) {
	var out []LookAlikeNames
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		ms, err := tx.Members(ctx)
		if err != nil {
			return err
		}
		rs, err := tx.Recipients(ctx)
		if err != nil {
			return err
		}
		members := make([]string, len(ms))
		for i, m := range ms {
			members[i] = m.Name
		}
		recipients := make([]string, len(rs))
		for i, x := range rs {
			recipients[i] = x.Name
		}
		out = append(lookAlikeSets("member", members), lookAlikeSets("recipient", recipients)...)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("look-alike names: %w", err)
	}
	return out, nil
}

// lookAlikeSets groups names by what they read as and returns the groups of more than one.
func lookAlikeSets(kind string, names []string) []LookAlikeNames {
	bySkeleton := map[string][]string{}
	for _, n := range names {
		sk := lookalike.Skeleton(n)
		bySkeleton[sk] = append(bySkeleton[sk], n)
	}
	var out []LookAlikeNames
	for _, ns := range bySkeleton {
		if len(ns) > 1 {
			slices.Sort(ns)
			out = append(out, LookAlikeNames{Kind: kind, Names: ns})
		}
	}
	slices.SortFunc(out, func(a, b LookAlikeNames) int { return strings.Compare(a.Names[0], b.Names[0]) })
	return out
}
