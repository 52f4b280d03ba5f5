package cli

import "testing"

func TestDefaultAnswerMemory(t *testing.T) {
	for _, c := range []struct{ mem, want int64 }{
		{0, 1 << 30},        // unknown: the former fixed default
		{24 << 30, 3 << 30}, // an eighth: a million letters of 1.6-1.8 KB fit
		{1 << 30, 128 << 20},
	} {
		if got := defaultAnswerMemory(c.mem); got != c.want {
			t.Errorf("defaultAnswerMemory(%d) = %d, want %d", c.mem, got, c.want)
		}
	}
	if mem := readMemory(); mem < 0 {
		t.Errorf("readMemory() = %d", mem)
	}
}
