package metrics

import (
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

func value(c prometheus.Counter) float64 {
	var m dto.Metric
	c.Write(&m)
	return m.GetCounter().GetValue()
}

// Label values come from fixed sets: anything else is counted as "other", so that no input
// (a reference, a name) can become a label.
func TestLabelsAreClosed(t *testing.T) {
	VerifyAnswer("valid")
	VerifyAnswer("TFN-2026-000001")
	Withdrawn("retraction")
	Withdrawn("Minister Smith")
	DatabaseError("drop table")
	if got := value(verifyAnswers.WithLabelValues("other")); got != 1 {
		t.Errorf("verify answers counted as other: %v", got)
	}
	if got := value(withdrawals.WithLabelValues("other")); got != 1 {
		t.Errorf("withdrawals counted as other: %v", got)
	}
	if got := value(dbErrors.WithLabelValues("other")); got != 1 {
		t.Errorf("database errors counted as other: %v", got)
	}
	register()
	fams, err := Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fams {
		for _, m := range f.Metric {
			for _, l := range m.Label {
				if strings.Contains(l.GetValue(), "TFN") || strings.Contains(l.GetValue(), "Smith") || strings.Contains(l.GetValue(), "drop") {
					t.Errorf("%s has label %s=%q", f.GetName(), l.GetName(), l.GetValue())
				}
			}
		}
	}
	if statusText(200) != "200" || statusText(99) != "99" || statusText(600) != "600" {
		t.Error("status code labels")
	}
}
