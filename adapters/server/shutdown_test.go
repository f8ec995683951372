package server

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"testing"
	"time"
)

// TestServeGracefulShutdown cancels Serve's context while an upload is in
// flight: the upload completes and is stored, and Serve returns nil.
func TestServeGracefulShutdown(t *testing.T) {
	e := newEnv(t, sqliteStore(t))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.srv.Serve(ctx, ln) }()

	body := doc("c", 50).Body()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	head := "POST /v1/results/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " + itoa(len(body)) + "\r\n\r\n"
	if _, err := conn.Write(append([]byte(head), body[:100]...)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond) // the handler is reading the body
	cancel()
	time.Sleep(100 * time.Millisecond) // shutdown has begun
	if c, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second); err == nil {
		c.Close()
		t.Error("new connections accepted after shutdown began")
	}
	if _, err := conn.Write(body[100:]); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("in-flight upload: %v %v", resp, err)
	}
	resp.Body.Close()
	if err := <-done; err != nil {
		t.Errorf("Serve: %v", err)
	}
	if _, total, _ := e.store.ListResults(context.Background(), storageAll()); total != 1 {
		t.Errorf("%d results stored", total)
	}
}

// TestServeShutdownTimeout: a request that does not finish within the
// shutdown timeout is cut, and Serve says so.
func TestServeShutdownTimeout(t *testing.T) {
	e := newEnv(t, sqliteStore(t), WithTimeouts(Timeouts{Shutdown: 200 * time.Millisecond}))
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.srv.Serve(ctx, ln) }()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.Write([]byte("POST /v1/results/ HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{"))
	time.Sleep(100 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if err == nil {
			t.Error("Serve returned nil with a request cut")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return")
	}
}
