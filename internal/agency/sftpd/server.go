// Package sftpd is ebazhao's own SFTP endpoint for partner agencies: SSH
// public-key login only, one folder per login, read-only, nothing outside it.
//
// The jail is an os.Root opened on the principal's folder: every path the
// client sends is first cleaned against "/" by the SFTP layer (so ".." cannot
// climb above the folder) and then resolved by os.Root, which refuses any
// symbolic link that points outside the folder, absolute or relative. Writes,
// renames, removals, links and attribute changes are refused; shells, commands,
// port forwarding and every subsystem other than sftp are refused.
package sftpd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"path"
	"sort"
	"strings"
	"sync"
	"time"

	"ebazhao/internal/platform/clock"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
)

// Principal is who logged in and the folder they are jailed to.
type Principal struct {
	User        string // the login name (an agency code)
	Root        string // absolute path of the folder
	Fingerprint string // SHA256 fingerprint of the key used
}

// Server serves SFTP. Fill the fields, then call Serve or ServeListener.
type Server struct {
	HostKey ssh.Signer
	// Authorize maps a login and an offered public key to a principal, or
	// returns an error to refuse the key.
	Authorize func(ctx context.Context, user string, key ssh.PublicKey, client string) (*Principal, error)
	// LoggedIn, Refused and Downloaded are optional hooks (audit trail).
	LoggedIn   func(ctx context.Context, p *Principal, client string)
	Refused    func(ctx context.Context, user, client, reason string)
	Downloaded func(ctx context.Context, p *Principal, name, client string)
	// Denied reports an operation refused inside a session (a write, an escape).
	Denied func(ctx context.Context, p *Principal, op, path, client string)
	Log    *slog.Logger

	MaxConns         int           // concurrent connections (default 64)
	HandshakeTimeout time.Duration // default 30s
	IdleTimeout      time.Duration // default 10 minutes

	mu    sync.Mutex
	conns map[net.Conn]struct{}
}

func (s *Server) log() *slog.Logger {
	if s.Log == nil {
		return slog.Default()
	}
	return s.Log
}

// Serve listens on addr and serves until ctx ends.
func (s *Server) Serve(ctx context.Context, addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("sftp: listen %s: %w", addr, err)
	}
	return s.ServeListener(ctx, ln)
}

// ServeListener serves connections from ln until ctx ends; it then closes ln
// and every open connection and returns nil.
func (s *Server) ServeListener(ctx context.Context, ln net.Listener) error {
	if s.HostKey == nil || s.Authorize == nil {
		ln.Close()
		return errors.New("sftp: server needs a host key and an authorizer")
	}
	maxConns := s.MaxConns
	if maxConns <= 0 {
		maxConns = 64
	}
	slots := make(chan struct{}, maxConns)
	s.mu.Lock()
	s.conns = map[net.Conn]struct{}{}
	s.mu.Unlock()
	stop := context.AfterFunc(ctx, func() {
		ln.Close()
		s.mu.Lock()
		for c := range s.conns {
			c.Close()
		}
		s.mu.Unlock()
	})
	defer stop()
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		nc, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				time.Sleep(50 * time.Millisecond)
				continue
			}
			return fmt.Errorf("sftp: accept: %w", err)
		}
		select {
		case slots <- struct{}{}:
		default:
			s.log().Warn("sftp: too many connections, refusing", "client", nc.RemoteAddr().String())
			nc.Close()
			continue
		}
		s.track(nc, true)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-slots }()
			defer s.track(nc, false)
			defer nc.Close()
			s.handleConn(ctx, nc)
		}()
	}
}

func (s *Server) track(c net.Conn, add bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if add {
		s.conns[c] = struct{}{}
	} else {
		delete(s.conns, c)
	}
}

func host(addr net.Addr) string {
	h, _, err := net.SplitHostPort(addr.String())
	if err != nil {
		return addr.String()
	}
	return h
}

func (s *Server) handleConn(ctx context.Context, nc net.Conn) {
	client := host(nc.RemoteAddr())
	hs := s.HandshakeTimeout
	if hs <= 0 {
		hs = 30 * time.Second
	}
	idle := s.IdleTimeout
	if idle <= 0 {
		idle = 10 * time.Minute
	}
	nc.SetDeadline(clock.After(hs))
	var pmu sync.Mutex
	principals := map[string]*Principal{} // by key fingerprint, for this connection
	attempted := ""
	cfg := &ssh.ServerConfig{
		MaxAuthTries:  6,
		ServerVersion: "SSH-2.0-ebazhao-sftp",
		AuthLogCallback: func(meta ssh.ConnMetadata, method string, err error) {
			if err != nil && method != "none" {
				pmu.Lock()
				attempted = meta.User()
				pmu.Unlock()
			}
		},
		PublicKeyCallback: func(meta ssh.ConnMetadata, key ssh.PublicKey) (*ssh.Permissions, error) {
			p, err := s.Authorize(ctx, meta.User(), key, client)
			if err != nil {
				return nil, err
			}
			fp := ssh.FingerprintSHA256(key)
			p.Fingerprint = fp
			pmu.Lock()
			principals[fp] = p
			pmu.Unlock()
			return &ssh.Permissions{Extensions: map[string]string{"fp": fp}}, nil
		},
	}
	cfg.AddHostKey(s.HostKey)
	sconn, chans, reqs, err := ssh.NewServerConn(nc, cfg)
	if err != nil {
		pmu.Lock()
		user := attempted
		pmu.Unlock()
		if user == "" { // no key offered: a port scanner, a key-type mismatch, a dropped connection
			s.log().Info("sftp: handshake failed", "client", client, "err", err)
			return
		}
		s.log().Warn("sftp: login refused", "user", user, "client", client, "err", err)
		if s.Refused != nil {
			s.Refused(ctx, user, client, err.Error())
		}
		return
	}
	defer sconn.Close()
	nc.SetDeadline(time.Time{})
	pmu.Lock()
	p := principals[sconn.Permissions.Extensions["fp"]]
	pmu.Unlock()
	if p == nil {
		s.log().Error("sftp: authenticated connection without principal", "client", client)
		return
	}
	// From here on the connection is closed after `idle` without SFTP traffic.
	nc.SetReadDeadline(clock.After(idle))
	s.log().Info("sftp: login", "user", p.User, "client", client, "key", p.Fingerprint)
	if s.LoggedIn != nil {
		s.LoggedIn(ctx, p, client)
	}
	go ssh.DiscardRequests(reqs)
	var wg sync.WaitGroup
	for nch := range chans {
		if nch.ChannelType() != "session" {
			nch.Reject(ssh.UnknownChannelType, "only sftp sessions are served")
			continue
		}
		ch, creqs, err := nch.Accept()
		if err != nil {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.session(ctx, p, client, ch, creqs, nc, idle)
		}()
	}
	wg.Wait()
}

func (s *Server) session(ctx context.Context, p *Principal, client string, ch ssh.Channel, reqs <-chan *ssh.Request, nc net.Conn, idle time.Duration) {
	defer ch.Close()
	for req := range reqs {
		if req.Type != "subsystem" || len(req.Payload) < 4 || string(req.Payload[4:]) != "sftp" {
			if req.WantReply {
				req.Reply(false, nil)
			}
			if req.Type == "exec" || req.Type == "shell" {
				if s.Denied != nil {
					s.Denied(ctx, p, req.Type, "", client)
				}
			}
			continue
		}
		req.Reply(true, nil)
		go ssh.DiscardRequests(reqs)
		s.serveSFTP(ctx, p, client, &activity{ReadWriteCloser: ch, nc: nc, idle: idle})
		return
	}
}

// activity extends the connection's read deadline on every SFTP packet.
type activity struct {
	io.ReadWriteCloser
	nc   net.Conn
	idle time.Duration
}

func (a *activity) Read(b []byte) (int, error) {
	n, err := a.ReadWriteCloser.Read(b)
	a.nc.SetReadDeadline(clock.After(a.idle))
	return n, err
}

func (s *Server) serveSFTP(ctx context.Context, p *Principal, client string, rwc io.ReadWriteCloser) {
	if fi, err := os.Lstat(p.Root); err != nil || !fi.IsDir() {
		s.log().Error("sftp: folder missing or not a plain folder", "user", p.User, "root", p.Root, "err", err)
		return
	}
	root, err := os.OpenRoot(p.Root)
	if err != nil {
		s.log().Error("sftp: open folder", "user", p.User, "root", p.Root, "err", err)
		return
	}
	defer root.Close()
	j := &jail{root: root, p: p, s: s, ctx: ctx, client: client}
	h := sftp.Handlers{FileGet: j, FilePut: j, FileCmd: j, FileList: j}
	srv := sftp.NewRequestServer(rwc, h)
	if err := srv.Serve(); err != nil && !errors.Is(err, io.EOF) {
		s.log().Debug("sftp: session ended", "user", p.User, "err", err)
	}
	srv.Close()
}

// jail serves one session's requests inside root.
type jail struct {
	root   *os.Root
	p      *Principal
	s      *Server
	ctx    context.Context
	client string
}

// rel turns a cleaned SFTP path ("/a/b") into a root-relative name ("a/b").
// Names with a component starting with "." (staging files, dot folders) are
// hidden from agencies.
func rel(p string) (string, error) {
	p = path.Clean("/" + p)
	if p == "/" {
		return ".", nil
	}
	name := strings.TrimPrefix(p, "/")
	for _, part := range strings.Split(name, "/") {
		if strings.HasPrefix(part, ".") {
			return "", fs.ErrNotExist
		}
	}
	return name, nil
}

func (j *jail) deny(op, p string) error {
	j.s.log().Warn("sftp: refused", "user", j.p.User, "op", op, "path", p, "client", j.client)
	if j.s.Denied != nil {
		j.s.Denied(j.ctx, j.p, op, p, j.client)
	}
	return sftp.ErrSSHFxPermissionDenied
}

// mapErr turns a filesystem error into an SFTP status without leaking host paths.
func (j *jail) mapErr(op, p string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, fs.ErrNotExist):
		return sftp.ErrSSHFxNoSuchFile
	case errors.Is(err, fs.ErrPermission), isEscape(err):
		return j.deny(op, p)
	}
	j.s.log().Warn("sftp: failure", "user", j.p.User, "op", op, "path", p, "err", err)
	return sftp.ErrSSHFxFailure
}

// isEscape recognizes os.Root's refusal of a path or link leaving the folder.
func isEscape(err error) bool {
	s := err.Error()
	return strings.Contains(s, "escapes from parent") || strings.Contains(s, "path escapes")
}

// Fileread opens a regular file for reading.
func (j *jail) Fileread(r *sftp.Request) (io.ReaderAt, error) {
	name, err := rel(r.Filepath)
	if err != nil {
		return nil, sftp.ErrSSHFxNoSuchFile
	}
	fi, err := j.root.Stat(name)
	if err != nil {
		return nil, j.mapErr("read", r.Filepath, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, j.deny("read-nonregular", r.Filepath)
	}
	f, err := j.root.Open(name)
	if err != nil {
		return nil, j.mapErr("read", r.Filepath, err)
	}
	return &tracked{f: f, size: fi.Size(), name: name, j: j}, nil
}

// Filewrite refuses: the folder is read-only.
func (j *jail) Filewrite(r *sftp.Request) (io.WriterAt, error) {
	return nil, j.deny("write", r.Filepath)
}

// Filecmd refuses every change (setstat, rename, remove, mkdir, rmdir, link, symlink).
func (j *jail) Filecmd(r *sftp.Request) error {
	return j.deny(strings.ToLower(r.Method), r.Filepath)
}

// Filelist lists a folder or stats a name; Readlink is refused.
func (j *jail) Filelist(r *sftp.Request) (sftp.ListerAt, error) {
	name, err := rel(r.Filepath)
	if err != nil {
		return nil, sftp.ErrSSHFxNoSuchFile
	}
	switch r.Method {
	case "List":
		d, err := j.root.Open(name)
		if err != nil {
			return nil, j.mapErr("list", r.Filepath, err)
		}
		defer d.Close()
		entries, err := d.ReadDir(-1)
		if err != nil {
			return nil, j.mapErr("list", r.Filepath, err)
		}
		var infos []os.FileInfo
		for _, e := range entries {
			// Only plain files and folders are shown: no dot files, no links
			// (a link inside the folder still opens; one leading out never does).
			if strings.HasPrefix(e.Name(), ".") || !(e.Type().IsRegular() || e.IsDir()) {
				continue
			}
			fi, err := e.Info()
			if err != nil {
				continue
			}
			infos = append(infos, fi)
		}
		sort.Slice(infos, func(a, b int) bool { return infos[a].Name() < infos[b].Name() })
		return listerAt(infos), nil
	case "Stat":
		fi, err := j.root.Stat(name)
		if err != nil {
			return nil, j.mapErr("stat", r.Filepath, err)
		}
		return listerAt{fi}, nil
	}
	return nil, j.deny(strings.ToLower(r.Method), r.Filepath)
}

// Lstat stats a name without following a final symbolic link.
func (j *jail) Lstat(r *sftp.Request) (sftp.ListerAt, error) {
	name, err := rel(r.Filepath)
	if err != nil {
		return nil, sftp.ErrSSHFxNoSuchFile
	}
	fi, err := j.root.Lstat(name)
	if err != nil {
		return nil, j.mapErr("lstat", r.Filepath, err)
	}
	return listerAt{fi}, nil
}

// RealPath answers where a path points, without resolving links, never above "/".
func (j *jail) RealPath(p string) (string, error) { return path.Clean("/" + p), nil }

type listerAt []os.FileInfo

func (l listerAt) ListAt(out []os.FileInfo, off int64) (int, error) {
	if off >= int64(len(l)) {
		return 0, io.EOF
	}
	n := copy(out, l[off:])
	if off+int64(n) >= int64(len(l)) {
		return n, io.EOF
	}
	return n, nil
}

// tracked is an open file that reports a complete read when closed.
type tracked struct {
	f    *os.File
	size int64
	name string
	j    *jail

	mu    sync.Mutex
	read  int64
	atEnd bool
}

func (t *tracked) ReadAt(b []byte, off int64) (int, error) {
	n, err := t.f.ReadAt(b, off)
	t.mu.Lock()
	t.read += int64(n)
	if off+int64(n) >= t.size {
		t.atEnd = true
	}
	t.mu.Unlock()
	return n, err
}

func (t *tracked) Close() error {
	err := t.f.Close()
	t.mu.Lock()
	complete := t.atEnd && t.read >= t.size
	t.mu.Unlock()
	if complete {
		t.j.s.log().Info("sftp: download", "user", t.j.p.User, "file", t.name, "bytes", t.size, "client", t.j.client)
		if t.j.s.Downloaded != nil {
			t.j.s.Downloaded(t.j.ctx, t.j.p, t.name, t.j.client)
		}
	}
	return err
}
