package store

// AnswerID and AnswerIDSQLite expose the key of kept answers, which migration 20 computes in
// SQL, to the test that checks both computations agree.
var (
	AnswerID       = answerID
	AnswerIDSQLite = answerIDSQLite
)
