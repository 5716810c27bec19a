package digest

import (
	"bufio"
	"context"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// startQuitDropper runs a minimal SMTP server that accepts every message
// and then drops the connection instead of answering QUIT, counting the
// messages it accepted.
func startQuitDropper(t *testing.T) (port int, accepted *atomic.Int32) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	accepted = &atomic.Int32{}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func(c net.Conn) {
				defer c.Close()
				r := bufio.NewReader(c)
				say := func(s string) { c.Write([]byte(s + "\r\n")) }
				say("220 test ESMTP")
				for {
					line, err := r.ReadString('\n')
					if err != nil {
						return
					}
					cmd := strings.ToUpper(strings.TrimSpace(line))
					switch {
					case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
						say("250-test")
						say("250 8BITMIME")
					case strings.HasPrefix(cmd, "DATA"):
						say("354 go on")
						for {
							l, err := r.ReadString('\n')
							if err != nil {
								return
							}
							if l == ".\r\n" {
								break
							}
						}
						accepted.Add(1)
						say("250 queued")
					case strings.HasPrefix(cmd, "QUIT"):
						return // no 221: the session's end fails
					default:
						say("250 ok")
					}
				}
			}(c)
		}
	}()
	return ln.Addr().(*net.TCPAddr).Port, accepted
}

// A failure after every message was accepted (here QUIT) is not a failed
// delivery: reporting it would mark the period failed and mail everyone
// again on the retry.
func TestSendSucceedsWhenOnlyQuitFails(t *testing.T) {
	port, accepted := startQuitDropper(t)
	s := NewSMTPSender(SMTPConfig{Host: "127.0.0.1", Port: port, TLS: "none", Timeout: 5 * time.Second})
	err := s.Send(context.Background(), Message{From: "gapwatch@example.test", To: []string{"a@example.test", "b@example.test"},
		Subject: "s", Text: "t", HTML: "<p>t</p>", ID: "x@gapwatch", Date: time.Now()})
	if got := accepted.Load(); got != 2 {
		t.Fatalf("server accepted %d messages, want 2", got)
	}
	if err != nil {
		t.Fatalf("Send = %v, want nil: both messages were accepted", err)
	}
}
