package registry

import (
	"context"

	"github.com/chancery/chancery/internal/store"
)

// The API answers an approval and a signature with the letter's whole view. Read
// in a transaction of its own, that view cost a second transaction per request, on a read
// connection whose page cache every commit empties (issue 19 item 4). Read at the end of the
// action's own write transaction, it costs neither, and it shows the letter as of the action.

// actionView is the letter view an action reads in its transaction.
type actionView struct {
	v   *LetterView
	err error
}

// read reads the view of the draft l, whose versions vs draftLetter read in tx, if wanted. A
// failure is kept, not returned: the view must never undo the action it follows.
func (av *actionView) read(ctx context.Context, r *Registry, tx *store.Tx, l *store.Letter, vs []store.Version, wanted bool) {
	if wanted {
		av.v, av.err = r.viewOf(ctx, tx, l, vs)
	}
}

// get returns the view read with the action, or, if it could not be read there, ref's view
// read now (the action is committed either way).
func (av *actionView) get(ctx context.Context, r *Registry, a Actor, ref string, wanted bool) (*LetterView, error) {
	if !wanted {
		return nil, nil
	}
	if av.err == nil && av.v != nil {
		return av.v, nil
	}
	return r.Letter(ctx, a, ref)
}

// ApproveView is Approve, returning the letter's view as of the approval.
func (r *Registry) ApproveView(ctx context.Context, a Actor, ref, version, comment string) (*LetterView, error) {
	return r.decide(ctx, a, ref, version, "approve", comment, true)
}

// SignView is Sign, returning the letter's view as of the signature.
func (r *Registry) SignView(ctx context.Context, a Actor, ref, keyID string, statement, sig []byte) (*LetterView, error) {
	return r.sign(ctx, a, ref, keyID, statement, sig, true)
}
