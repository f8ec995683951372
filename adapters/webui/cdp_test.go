package webui

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"testing"
	"time"
)

// cdp drives one headless chromium through the DevTools protocol over
// --remote-debugging-pipe (fd 3 in, fd 4 out, messages ended by NUL), so
// that a test can click and choose as a visitor does. Only what the tests
// need: evaluate JavaScript in one page and wait for navigations.
type cdp struct {
	t       *testing.T
	cmd     *exec.Cmd
	in      io.WriteCloser
	out     *bufio.Reader
	next    int
	session string
}

func startCDP(t *testing.T, b *browser) *cdp {
	t.Helper()
	toChrome, chromeIn, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	chromeOut, fromChrome, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	cmd := exec.CommandContext(ctx, b.path,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-extensions", "--user-data-dir="+t.TempDir(),
		fmt.Sprintf("--window-size=%d,%d", shotWidth, shotHeight),
		"--remote-debugging-pipe", "about:blank")
	cmd.ExtraFiles = []*os.File{toChrome, fromChrome} // fds 3 and 4
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	toChrome.Close()
	fromChrome.Close()
	c := &cdp{t: t, cmd: cmd, in: chromeIn, out: bufio.NewReader(chromeOut)}
	t.Cleanup(func() {
		chromeIn.Close() // chromium exits when its pipe closes
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cancel()
			<-done
		}
		cancel()
		chromeOut.Close()
		if t.Failed() {
			t.Logf("chromium stderr:\n%s", lastLines(stderr.String(), 10))
		}
	})

	var targets struct {
		TargetInfos []struct{ TargetID, Type string } `json:"targetInfos"`
	}
	c.call("", "Target.getTargets", nil, &targets)
	for _, ti := range targets.TargetInfos {
		if ti.Type == "page" {
			var att struct{ SessionID string }
			c.call("", "Target.attachToTarget", map[string]any{"targetId": ti.TargetID, "flatten": true}, &att)
			c.session = att.SessionID
			break
		}
	}
	if c.session == "" {
		t.Fatal("cdp: chromium has no page")
	}
	return c
}

// call sends one command and waits for its answer, skipping events.
func (c *cdp) call(session, method string, params any, result any) {
	c.t.Helper()
	if err := c.try(session, method, params, result); err != nil {
		c.t.Fatal(err)
	}
}

// try is call returning the error, for commands that may race with a
// navigation.
func (c *cdp) try(session, method string, params any, result any) error {
	c.next++
	msg := map[string]any{"id": c.next, "method": method}
	if params != nil {
		msg["params"] = params
	}
	if session != "" {
		msg["sessionId"] = session
	}
	data, err := json.Marshal(msg)
	if err != nil {
		return err
	}
	if _, err := c.in.Write(append(data, 0)); err != nil {
		return fmt.Errorf("cdp %s: %w", method, err)
	}
	for {
		line, err := c.out.ReadBytes(0)
		if err != nil {
			return fmt.Errorf("cdp %s: %w", method, err)
		}
		var ans struct {
			ID     int
			Result json.RawMessage
			Error  *struct{ Message string }
		}
		if err := json.Unmarshal(line[:len(line)-1], &ans); err != nil {
			return fmt.Errorf("cdp %s: %w", method, err)
		}
		if ans.ID != c.next {
			continue // an event
		}
		if ans.Error != nil {
			return fmt.Errorf("cdp %s: %s", method, ans.Error.Message)
		}
		if result != nil {
			if err := json.Unmarshal(ans.Result, result); err != nil {
				return fmt.Errorf("cdp %s: %w", method, err)
			}
		}
		return nil
	}
}

// eval evaluates a JavaScript expression in the page and returns its value
// as JSON.
func (c *cdp) eval(expr string) string {
	c.t.Helper()
	var r struct {
		Result struct {
			Value json.RawMessage
		}
		ExceptionDetails *struct{ Text string }
	}
	c.call(c.session, "Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true}, &r)
	if r.ExceptionDetails != nil {
		c.t.Fatalf("eval %s: %s", expr, r.ExceptionDetails.Text)
	}
	return string(r.Result.Value)
}

// navigate loads url and waits until it is loaded.
func (c *cdp) navigate(url string) {
	c.t.Helper()
	c.call(c.session, "Page.navigate", map[string]any{"url": url}, nil)
	c.waitFor(`document.readyState === "complete" && location.href === ` + jsString(url))
}

// act runs a JavaScript statement after the evaluation returns, so that a
// navigation it starts does not cut the evaluation short.
func (c *cdp) act(stmt string) {
	c.t.Helper()
	c.eval("setTimeout(function(){" + stmt + "}, 0), true")
}

// waitFor polls a JavaScript condition until it is true. Evaluations that
// a navigation interrupts count as false.
func (c *cdp) waitFor(cond string) {
	c.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		var r struct{ Result struct{ Value bool } }
		expr := "(function(){try{return !!(" + cond + ")}catch(e){return false}})()"
		if c.try(c.session, "Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true}, &r) == nil && r.Result.Value {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	c.t.Fatalf("timed out waiting for %s (at %s)", cond, c.eval("location.href"))
}

func jsString(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(errors.New("unreachable: marshal of a string"))
	}
	return string(b)
}
