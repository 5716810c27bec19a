package gaps

import (
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// OpenHorizon is how long after a notice's latest date (published, updated,
// or the window's start) an open window — "still ongoing" — is taken to
// last when linking. A vendor that is still working on an incident updates
// its notice; a news story from years ago that said "ongoing" must not
// explain every later gap of the product.
const OpenHorizon = 7 * 24 * time.Hour

// linkWindows returns a notice's windows as linking sees them: the same
// windows in the same order, open ones closed OpenHorizon after the
// notice's latest date. Reported links keep the original, open window.
func linkWindows(n *notice.Notice) []notice.Window {
	ws := n.Extraction.Windows
	open := false
	for _, w := range ws {
		if w.Open() {
			open = true
			break
		}
	}
	if !open {
		return ws
	}
	out := make([]notice.Window, len(ws))
	copy(out, ws)
	for i, w := range out {
		if !w.Open() {
			continue
		}
		latest := w.Start
		for _, t := range []time.Time{n.Item.Published, n.Item.Updated} {
			if t.After(latest) {
				latest = t
			}
		}
		end := latest.Add(OpenHorizon).UTC()
		out[i].End = &end
	}
	return out
}
