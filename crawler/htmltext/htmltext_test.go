package htmltext

import "testing"

func TestText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"plain", "just text", "just text"},
		{"entities", "AT&amp;T &eacute;t&eacute; &#39;ok&#39; &#x2014; &nbsp;x", "AT&T été 'ok' — x"},
		{"paragraphs", "<p>first</p><p>second</p>", "first\n\nsecond"},
		{"br", "line one<br>line two<br/>line three", "line one\nline two\nline three"},
		{"double br keeps one blank line", "a<br /><br /><br /><br />b", "a\n\nb"},
		{"list", "<ul><li>API</li><li>Dashboard</li></ul>", "API\nDashboard"},
		{"headings", "<h1>Title</h1>Body", "Title\n\nBody"},
		{"table", "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b\nc"},
		{"script and style dropped", "<style>p{color:red}</style>x<script>alert('y')</script>z", "xz"},
		{"source newlines are spaces", "  a \t\n  b   c  ", "a b c"},
		{"pre keeps newlines", "<pre>x\ny</pre>", "x\ny"},
		{"list after paragraph", "<p>Affected:</p>\n<ul>\n  <li>API</li>\n  <li>Git</li>\n</ul>", "Affected:\n\nAPI\nGit"},
		{"inline tags", "We <strong>fixed</strong> the <a href='/x'>issue</a>.", "We fixed the issue."},
		{"statuspage update", "<p><small>Feb <var data-var='date'> 9</var>, <var data-var='time'>16:57</var> UTC</small><br><strong>Resolved</strong> - This incident has been resolved.</p>",
			"Feb 9, 16:57 UTC\nResolved - This incident has been resolved."},
		{"unclosed tags", "<p>open <b>bold", "open bold"},
		{"comment dropped", "a<!-- hidden -->b", "ab"},
		{"nested skipped", "<script>var a = '<p>not text</p>';</script>shown", "shown"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Text(tc.in); got != tc.want {
				t.Errorf("Text(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestLooksLikeHTML(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"plain text", false},
		{"latency < 5 ms and > 2 ms", false},
		{"AT&T outage", false},
		{"List<Widget> is generic", false},
		{"<p>para</p>", true},
		{"line<br>break", true},
		{"line<br/>break", true},
		{"AT&amp;T", true},
		{"it&#39;s", true},
		{"&bogus; entity", false},
		{"a <!-- comment --> b", true},
		{"</div> stray close", true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := LooksLikeHTML(tc.in); got != tc.want {
				t.Errorf("LooksLikeHTML(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}
