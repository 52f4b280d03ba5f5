package registry

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/identify/synth"
)

// TestIdentifyFloorHidesCandidates: a public identification of a sentence of a released
// letter and one of an unrelated sentence are both answered "unknown", and with a floor set
// neither is answered before it (the first reads the letter from the store, the second
// nothing); a member with a role is not held by the floor.
func TestIdentifyFloorHidesCandidates(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	letter := synth.Corpus{Seed: 5, FamilySize: 1}.Letter(0).Text()
	o.released(t, letter)
	words := strings.Fields(letter)
	quoted := strings.Join(words[len(words)/2:len(words)/2+20], " ")
	unrelated := "The weather in the capital was mild for the season and the markets opened on time with ordinary trade in grain."
	const floor = 50 * time.Millisecond
	o.r.cfg.IdentifyFloor = floor
	for _, text := range []string{quoted, unrelated} {
		start := time.Now()
		id, err := o.r.Identify(ctx, Actor{}, text)
		took := time.Since(start)
		if err != nil {
			t.Fatal(err)
		}
		if id.Outcome != Unknown {
			t.Fatalf("%q: %s, want unknown", text, id.Outcome)
		}
		if took < floor {
			t.Errorf("%q answered to the public after %v, before the floor of %v", text, took, floor)
		}
	}
	o.r.cfg.IdentifyFloor = time.Hour
	wait, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	member, err := o.r.Identify(wait, o.reviewer, quoted)
	if err != nil || wait.Err() != nil {
		t.Fatalf("a member waited for the floor: %v, %v", err, wait.Err())
	}
	// The sentence is a candidate, read from the store, though it names no letter.
	if member.Match != "none" || len(member.Matches) == 0 {
		t.Errorf("the sentence, for a member: %s with candidates %+v; want none, with the letter a candidate", member.Match, member.Matches)
	}
}

// TestFloorEndRoundsUpToTheFloor: an answer within the floor waits for it; one whose work
// took longer waits for the next whole multiple of the floor, so its time tells nothing
// finer than the floor.
func TestFloorEndRoundsUpToTheFloor(t *testing.T) {
	start := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
	const floor = 20 * time.Millisecond
	for _, c := range []struct{ took, want time.Duration }{
		{0, floor},
		{3 * time.Millisecond, floor},
		{floor - time.Nanosecond, floor},
		{floor, 2 * floor},
		{floor + 150*time.Microsecond, 2 * floor},
		{floor + 900*time.Microsecond, 2 * floor},
		{2*floor + time.Microsecond, 3 * floor},
		{95 * time.Millisecond, 5 * floor},
	} {
		if got := floorEnd(start, start.Add(c.took), floor).Sub(start); got != c.want {
			t.Errorf("work of %v answered after %v, want %v", c.took, got, c.want)
		}
	}
}
