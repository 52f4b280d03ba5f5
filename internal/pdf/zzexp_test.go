package pdf

import (
	"os"
	"os/exec"
	"testing"
)

func TestZZExp(t *testing.T) {
	cases := map[string]string{
		"dest":  "The payment goes to [the account](<&#x4E;&#x4F;&#x54; payable>).\n",
		"dest2": "Pay into [IBAN](https://bank.example/\\&#x4E;&#x4F;&#x54; \"&#x4E;&#x4F;&#x54;\").\n",
		"autol": "See <https://x.example/&#x4E;&#x4F;&#x54;>.\n",
		"img":   "![&#x4E;&#x4F;&#x54; paid](x.png)\n",
	}
	for name, md := range cases {
		out, err := Render("text/markdown", []byte(md), Letterhead{Office: "Office", Reference: "R-1", Subject: "S"})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		f := "/tmp/audit-fidelity-work/" + name + ".pdf"
		os.WriteFile(f, out, 0o644)
		b, _ := exec.Command("pdftotext", f, "-").Output()
		t.Logf("=== %s\n%s", name, b)
	}
}
