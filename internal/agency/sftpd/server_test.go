package sftpd

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"ebazhao/internal/platform/clock"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
)

func TestRel(t *testing.T) {
	cases := []struct {
		in, want string
		hidden   bool
	}{
		{"/", ".", false}, {"", ".", false}, {".", ".", false}, {"/a.csv", "a.csv", false}, {"a/b", "a/b", false},
		{"//a//b/", "a/b", false}, {"/../../etc/passwd", "etc/passwd", false}, {"../x", "x", false}, {"a/../../b", "b", false},
		{".hidden", "", true}, {"/a/.b/c", "", true}, {"/..", ".", false}, {"/./a", "a", false},
	}
	for _, c := range cases {
		got, err := rel(c.in)
		if c.hidden {
			if !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("rel(%q) = %q, %v; want hidden", c.in, got, err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("rel(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
}

// FuzzRel: whatever a client sends, the name handed to os.Root is "." or a
// relative path without "..", empty or dot-led components.
func FuzzRel(f *testing.F) {
	for _, s := range []string{"/", "../../etc/passwd", "a/./b/../../..", ".ssh/authorized_keys", "x\x00y", "/a//b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		name, err := rel(p)
		if err != nil {
			return
		}
		if name == "." {
			return
		}
		if strings.HasPrefix(name, "/") || name == "" {
			t.Fatalf("rel(%q) = %q is not relative", p, name)
		}
		for _, part := range strings.Split(name, "/") {
			if part == "" || part == ".." || strings.HasPrefix(part, ".") {
				t.Fatalf("rel(%q) = %q has component %q", p, name, part)
			}
		}
	})
}

// testServer serves dir to user "agency" with one key.
type testServer struct {
	addr    string
	host    ssh.PublicKey
	signer  ssh.Signer
	dir     string
	mu      sync.Mutex
	downs   []string
	denials []string
}

func startServer(t *testing.T, configure func(*Server)) *testServer {
	t.Helper()
	_, hpriv, _ := ed25519.GenerateKey(rand.Reader)
	hs, _ := ssh.NewSignerFromKey(hpriv)
	_, cpriv, _ := ed25519.GenerateKey(rand.Reader)
	cs, _ := ssh.NewSignerFromKey(cpriv)
	ts := &testServer{host: hs.PublicKey(), signer: cs, dir: t.TempDir()}
	if err := os.WriteFile(filepath.Join(ts.dir, "a.csv"), bytes.Repeat([]byte("序號,姓名\r\n"), 20000), 0o640); err != nil {
		t.Fatal(err)
	}
	srv := &Server{HostKey: hs, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Authorize: func(_ context.Context, user string, key ssh.PublicKey, _ string) (*Principal, error) {
			if user != "agency" || !bytes.Equal(key.Marshal(), cs.PublicKey().Marshal()) {
				return nil, errors.New("no")
			}
			return &Principal{User: user, Root: ts.dir}, nil
		},
		Downloaded: func(_ context.Context, _ *Principal, name, _ string) {
			ts.mu.Lock()
			ts.downs = append(ts.downs, name)
			ts.mu.Unlock()
		},
		Denied: func(_ context.Context, _ *Principal, op, p, _ string) {
			ts.mu.Lock()
			ts.denials = append(ts.denials, op+" "+p)
			ts.mu.Unlock()
		},
	}
	if configure != nil {
		configure(srv)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts.addr = ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.ServeListener(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Error(err)
			}
		case <-time.After(5 * time.Second):
			t.Error("server did not stop")
		}
	})
	return ts
}

func (ts *testServer) client(t *testing.T) (*sftp.Client, error) {
	conn, err := ssh.Dial("tcp", ts.addr, &ssh.ClientConfig{User: "agency", Auth: []ssh.AuthMethod{ssh.PublicKeys(ts.signer)},
		HostKeyCallback: ssh.FixedHostKey(ts.host), Timeout: 3 * time.Second})
	if err != nil {
		return nil, err
	}
	c, err := sftp.NewClient(conn)
	if err != nil {
		conn.Close()
		return nil, err
	}
	t.Cleanup(func() { c.Close(); conn.Close() })
	return c, nil
}

func TestDownloadIsReportedOnlyWhenComplete(t *testing.T) {
	ts := startServer(t, nil)
	c, err := ts.client(t)
	if err != nil {
		t.Fatal(err)
	}
	f, err := c.Open("a.csv")
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 1000)
	if _, err := f.Read(buf); err != nil {
		t.Fatal(err)
	}
	f.Close()
	f, _ = c.Open("/a.csv")
	b, err := io.ReadAll(f)
	f.Close()
	if err != nil || len(b) != 20000*len("序號,姓名\r\n") {
		t.Fatalf("read %d bytes: %v", len(b), err)
	}
	deadline := clock.After(2 * time.Second)
	for {
		ts.mu.Lock()
		n := len(ts.downs)
		ts.mu.Unlock()
		if n == 1 || clock.Passed(deadline) {
			if n != 1 {
				t.Fatalf("downloads reported: %d, want 1 (the partial read is not a download)", n)
			}
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := c.Remove("a.csv"); err == nil {
		t.Error("remove allowed")
	}
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if len(ts.denials) == 0 || !strings.HasPrefix(ts.denials[0], "remove /a.csv") {
		t.Errorf("denials %v", ts.denials)
	}
}

func TestConnectionLimitAndIdleTimeout(t *testing.T) {
	ts := startServer(t, func(s *Server) { s.MaxConns = 1; s.IdleTimeout = 300 * time.Millisecond })
	c, err := ts.client(t)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ts.client(t); err == nil {
		t.Error("a second connection was accepted over the limit of 1")
	}
	if _, err := c.ReadDir("/"); err != nil {
		t.Fatalf("first connection: %v", err)
	}
	time.Sleep(800 * time.Millisecond)
	if _, err := c.ReadDir("/"); err == nil {
		t.Error("idle connection still open")
	}
	// The slot is free again.
	deadline := clock.After(2 * time.Second)
	for {
		c2, err := ts.client(t)
		if err == nil {
			if _, err := c2.Stat("a.csv"); err != nil {
				t.Fatal(err)
			}
			break
		}
		if clock.Passed(deadline) {
			t.Fatalf("no connection after the idle one closed: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestServeNeedsKeyAndAuthorizer(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	if err := (&Server{}).ServeListener(context.Background(), ln); err == nil {
		t.Error("a server without host key served")
	}
}
