package ocr

import (
	"image"
	"slices"

	"github.com/chancery/chancery/internal/budget"
)

// A letter's layout draws rules: under the letterhead, above the footer, a table's borders.
// A scan degrades a thin rule into a ragged one (specks, a page turned half a degree, JPEG),
// and Tesseract reads it as a row of short words ("eee ee a Gn") between the letter's, where
// no rule can tell them from a forger's. So before Tesseract reads a page, its rules are
// painted white. A rule is a connected group of dark pixels as long as a twelfth of the
// page's width or more, thin at 90% of its columns (at most ruleThickness dark pixels, in
// one run); only those thin columns of it are painted. A stroke through words is joined to
// their letters, whose columns are thick where it crosses them, so it is no rule and stays:
// a sentence struck out on a copy is still read struck out. Letters that touch a rule (an
// underline's descenders, print touching the footer's rule) keep their columns.

// ruleThickness returns the most dark pixels a column of a rule may hold on a page w pixels
// wide: a rule of 1 pt is about 4 pixels at 300 dpi (an A4 page 2,480 wide), and a turned one
// holds one or two more a column.
func ruleThickness(w int) int { return max(3, w/350) }

// darkLevel is the grey level under which a pixel is dark.
const darkLevel = 128

// blankRules paints white the rules of img (see above) and reports whether it found any.
// It looks at the time budget b at each row and every few hundred pixels of a group (a page
// of noise is one group of millions), and once b is spent stops with its error, the rules
// found before painted.
func blankRules(b *budget.Budget, img *image.Gray) (bool, error) {
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	minLen, thick := w/12, ruleThickness(w)
	if minLen < 40 {
		return false, nil
	}
	at := func(x, y int) *uint8 { return &img.Pix[y*img.Stride+x] }
	seen := make([]bool, w*h)
	var stack, pixels []int32
	found := false
	// Row by row, a light pixel first (most of a page): under the race detector, which
	// checks every access to memory, the test for it was most of the search.
	for y0 := range h {
		if err := b.Check(); err != nil {
			return found, err
		}
		for x0, v := range img.Pix[y0*img.Stride : y0*img.Stride+w] {
			start := y0*w + x0
			if v >= darkLevel || seen[start] {
				continue
			}
			seen[start] = true
			stack = append(stack[:0], int32(start))
			pixels = pixels[:0]
			// A group with more pixels than a rule across the page can hold is no rule: its
			// pixels are visited, not kept.
			keep := true
			minX, maxX := w, -1
			for len(stack) > 0 {
				if err := b.Tick(); err != nil {
					return found, err
				}
				p := int(stack[len(stack)-1])
				stack = stack[:len(stack)-1]
				if keep {
					if pixels = append(pixels, int32(p)); len(pixels) > thick*w {
						keep = false
					}
				}
				x, y := p%w, p/w
				minX, maxX = min(minX, x), max(maxX, x)
				for ny := max(0, y-1); ny <= min(h-1, y+1); ny++ {
					for nx := max(0, x-1); nx <= min(w-1, x+1); nx++ {
						if q := ny*w + nx; !seen[q] && *at(nx, ny) < darkLevel {
							seen[q] = true
							stack = append(stack, int32(q))
						}
					}
				}
			}
			if !keep || maxX-minX+1 < minLen {
				continue
			}
			// Each column's dark pixels: how many, and from which row to which.
			n := maxX - minX + 1
			count, top, bottom := make([]int, n), make([]int, n), make([]int, n)
			for i := range top {
				top[i], bottom[i] = h, -1
			}
			for _, p := range pixels {
				c, y := int(p)%w-minX, int(p)/w
				count[c]++
				top[c], bottom[c] = min(top[c], y), max(bottom[c], y)
			}
			thin := make([]bool, n)
			var counts []int
			for c := range n {
				thin[c] = count[c] > 0 && count[c] <= thick && bottom[c]-top[c] < thick
				counts = append(counts, count[c])
			}
			// Specks, serifs and an underline's descenders touching the rule thicken some of
			// its columns: the group is a rule when 90% of its columns are thin.
			slices.Sort(counts)
			if counts[n*90/100] > thick {
				continue
			}
			found = true
			for _, p := range pixels {
				if c := int(p)%w - minX; thin[c] {
					*at(int(p)%w, int(p)/w) = 0xff
				}
			}
		}
	}
	return found, nil
}
