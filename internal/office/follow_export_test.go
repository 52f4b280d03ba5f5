package office

// StopFollowing stops the followers of another server's changes that Open started for st
// (on PostgreSQL), as they are before Open starts them.
func StopFollowing(st *Stack) {
	st.stopFollowing()
	st.stopFollowing = func() {}
}

// StartFollowingPolicy starts st's policy follower as Open starts it, once it has read the
// policy and the identification.
func StartFollowingPolicy(st *Stack) {
	st.stopFollowing = followPolicy(st.Log, st.Registry)
}
