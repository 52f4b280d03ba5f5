package policy

import "github.com/chancery/chancery/internal/i18n"

// The words of requirements and notes as messages, so that the member pages say them in the
// reader's language; their English texts are those the API and the command line print.

// whoMessages name the holders of Chancery's core roles: one of them, and several.
var whoMessages = map[string][2]i18n.Message{
	"drafter":   {i18n.Msg("a drafter"), i18n.Msg("drafters")},
	"reviewer":  {i18n.Msg("a reviewer"), i18n.Msg("reviewers")},
	"signer":    {i18n.Msg("a signer"), i18n.Msg("signers")},
	RoleRelease: {i18n.Msg("a release officer"), i18n.Msg("release officers")},
	"admin":     {i18n.Msg("an admin"), i18n.Msg("admins")},
}

// whoMessage is who as a message.
func whoMessage(r Requirement, several bool) i18n.Message {
	role := r.Role
	_, core := roleNouns[role]
	switch {
	case r.Kind == KindRelease:
		role = RoleRelease
	case r.Group != "" && several:
		return i18n.Msg("members of %s", r.Group)
	case r.Group != "":
		return i18n.Msg("a member of %s", r.Group)
	case !core && several:
		return i18n.Msg("members with role %s", r.Role)
	case !core:
		return i18n.Msg("a member with role %s", r.Role)
	}
	if several {
		return whoMessages[role][1]
	}
	return whoMessages[role][0]
}

// Message says what r asks for, as String does.
func (r Requirement) Message() i18n.Message {
	several := r.Need != 1
	switch {
	case r.Kind == KindRelease:
		return i18n.Msg("a release by %s", whoMessage(r, false))
	case r.Kind == KindApproval && several:
		return i18n.Msg("%d approvals by %s", r.Need, whoMessage(r, true))
	case r.Kind == KindApproval:
		return i18n.Msg("%d approval by %s", r.Need, whoMessage(r, false))
	case r.Kind == KindSignature && several:
		return i18n.Msg("%d signatures by %s", r.Need, whoMessage(r, true))
	case r.Kind == KindSignature:
		return i18n.Msg("%d signature by %s", r.Need, whoMessage(r, false))
	}
	noun := r.Kind
	if several {
		noun += "s"
	}
	return i18n.Msg("%d %s by %s", r.Need, noun, whoMessage(r, several))
}

// theKind is "the approval", "the signature" or "the release", to open a note.
func theKind(kind string) i18n.Message {
	switch kind {
	case KindApproval:
		return i18n.Msg("the approval")
	case KindSignature:
		return i18n.Msg("the signature")
	case KindRelease:
		return i18n.Msg("the release")
	}
	return i18n.Msg("the %s", kind)
}

// aKind is "an approval", "a signature" or "a release".
func aKind(kind string) i18n.Message {
	switch kind {
	case KindApproval:
		return i18n.Msg("an approval")
	case KindSignature:
		return i18n.Msg("a signature")
	case KindRelease:
		return i18n.Msg("a release")
	}
	return i18n.Msg("%s %s", article(kind), kind)
}

// MissingMessages lists, as messages, what the release still needs, as Missing does.
func (d *Decision) MissingMessages() []i18n.Message {
	var out []i18n.Message
	for _, s := range d.Requirements {
		if s.Missing > 0 {
			r := s.Requirement
			r.Need = s.Missing
			out = append(out, r.Message())
		}
	}
	return out
}

// AddNote adds a note, its English text to Notes and the message for the member pages.
func (d *Decision) AddNote(m i18n.Message) {
	d.Notes = append(d.Notes, m.String())
	d.notes = append(d.notes, m)
}

// NoteMessages returns the notes as messages. Notes added to the Notes field directly (a
// decision read back from JSON) are returned as they are.
func (d *Decision) NoteMessages() []i18n.Message {
	if len(d.notes) == len(d.Notes) {
		return d.notes
	}
	out := make([]i18n.Message, len(d.Notes))
	for i, n := range d.Notes {
		out[i] = i18n.Msg("%s", n)
	}
	return out
}
