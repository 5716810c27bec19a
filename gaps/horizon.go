package gaps

import (
	"github.com/gapwatch/gapwatch/notice"
)

// linkWindows returns a notice's windows as linking sees them: the same
// windows in the same order, open ones closed notice.OpenHorizon after the
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
		end := n.OpenUntil(w)
		out[i].End = &end
	}
	return out
}
