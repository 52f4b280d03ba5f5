package registry

import (
	"slices"
	"strings"

	"github.com/chancery/chancery/internal/i18n"
)

// MaxTags and MaxAddressees bound a letter's tags and addressees. No letter the office writes
// comes near them, and every condition over them runs at every decision, within CEL's cost
// limit: a letter with thousands would reach it and be refused with nothing the drafter can
// read.
const (
	MaxTags       = 64
	MaxAddressees = 200
)

// checkLabelCounts refuses, at creation, a letter with more tags or addressees than a
// letter may have.
func checkLabelCounts(tags, addressees []string) error {
	if len(tags) > MaxTags {
		return i18n.Errorf(ErrInvalid, "a letter has at most %d tags", MaxTags)
	}
	if len(addressees) > MaxAddressees {
		return i18n.Errorf(ErrInvalid, "a letter has at most %d addressees", MaxAddressees)
	}
	return nil
}

// storedLabelProblems says why the gate does not release a letter stored before creation
// refused what it holds: a tag given twice (item 102) or an addressee given twice (item 276),
// which a condition such as `letter.tags.exists_one(…)` counts twice and so misses; more tags
// or addressees than a letter may have; a subject or addressee not stored as it reads (item
// 192: other spaces, another Unicode form, a word mixing scripts), which a condition naming
// it as it reads misses. "The same" is as creation has it: tags equal in NFC; addressees
// equal in NFC with their spaces folded and capitals folded as a condition's `(?i)` folds
// them.
func storedLabelProblems(subject string, tags, addressees []string) []i18n.Message {
	var out []i18n.Message
	if len(tags) > MaxTags {
		out = append(out, i18n.Msg("the letter has %d tags, more than the %d a letter may have: it is not released; create it again with fewer", len(tags), MaxTags))
	}
	if len(addressees) > MaxAddressees {
		out = append(out, i18n.Msg("the letter has %d addressees, more than the %d a letter may have: it is not released; create it again with fewer", len(addressees), MaxAddressees))
	}
	ts := nfcAll(tags)
	for i, s := range ts {
		if slices.Contains(ts[:i], s) {
			out = append(out, i18n.Msg("the tag %q is given twice (the letter was created before that was refused), and a condition counts it twice: it is not released; create it again giving each tag once", tags[i]))
		}
	}
	as := nfcAll(addressees)
	for i := range as {
		as[i] = oneSpace(as[i])
		if j := slices.IndexFunc(as[:i], func(t string) bool { return strings.EqualFold(t, as[i]) }); j >= 0 {
			out = append(out, i18n.Msg("the addressees %q and %q are one addressee given twice (the letter was created before that was refused), and a condition counts it twice: it is not released; create it again giving each addressee once", addressees[j], addressees[i]))
		}
	}
	asRead := func(what, s string) {
		if oneSpace(nfc(s)) != s {
			out = append(out, i18n.Msg("%s %q is not stored as it reads (its spaces or its Unicode form differ; the letter was created before that was refused), and a condition naming it misses it: it is not released; create it again", i18n.Msg(what), s))
		}
		if err := checkOneScript(what, s); err != nil {
			out = append(out, i18n.Msg("%v (the letter was created before that was refused): it is not released; create it again", err))
		}
	}
	asRead("subject", subject)
	for _, s := range addressees {
		asRead("addressee", s)
	}
	return out
}
