package store

import "time"

// SetCompareReportEvery sets how long CopyToReporting's comparison of one table goes without
// a report, and returns the function that sets it back.
func SetCompareReportEvery(d time.Duration) (restore func()) {
	old := compareReportEvery
	compareReportEvery = d
	return func() { compareReportEvery = old }
}
