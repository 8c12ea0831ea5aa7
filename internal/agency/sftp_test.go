package agency

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"

	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/clock"
)

// sftpEnv is a fixture with a generated daily file for 台電台中區營業處, a
// registered key and the SFTP endpoint listening on a random port.
type sftpEnv struct {
	*fixture
	addr    string
	hostKey ssh.PublicKey
	signer  ssh.Signer
	priv    ed25519.PrivateKey
	code    string
	file    string // the data file's name
	root    string // the agency's folder
	items   []int64
}

func newSFTPEnv(t *testing.T) *sftpEnv {
	t.Helper()
	f := newFixture(t)
	e := &sftpEnv{fixture: f, code: "taipower_taichung"}
	app := f.send(f.moveTo("臺中市北屯區崇德路三段1號", "taipower_taichung", "water4"))
	for _, it := range app.Items {
		e.items = append(e.items, it.ID)
	}
	day := f.day()
	f.setClock(f.now().Add(24 * time.Hour))
	if sum, err := f.s.GenerateDue(f.ctx); err != nil || len(sum.Errs) > 0 {
		t.Fatal(err, sum.Errs)
	}
	e.file = fileBase(e.code, day) + ".csv"
	root, _ := f.s.FilesRoot()
	e.root = filepath.Join(root, e.code)
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	e.priv = priv
	e.signer, _ = ssh.NewSignerFromKey(priv)
	line := string(ssh.MarshalAuthorizedKey(e.signer.PublicKey()))
	if _, err := f.s.AddSSHKey(f.ctx, audit.Actor{Username: "admin"}, f.agency(e.code).ID, strings.TrimSpace(line)+" taipower-batch"); err != nil {
		t.Fatal(err)
	}
	srv, err := f.s.SFTPServer()
	if err != nil {
		t.Fatal(err)
	}
	srv.HandshakeTimeout = 5 * time.Second
	e.hostKey = srv.HostKey.PublicKey()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e.addr = ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.ServeListener(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("SFTP server did not stop")
		}
	})
	return e
}

func (e *sftpEnv) dial(user string, signer ssh.Signer) (*sftp.Client, error) {
	cfg := &ssh.ClientConfig{User: user, Auth: []ssh.AuthMethod{ssh.PublicKeys(signer)},
		HostKeyCallback: ssh.FixedHostKey(e.hostKey), Timeout: 5 * time.Second}
	conn, err := ssh.Dial("tcp", e.addr, cfg)
	if err != nil {
		return nil, err
	}
	c, err := sftp.NewClient(conn)
	if err != nil {
		conn.Close()
		return nil, err
	}
	e.t.Cleanup(func() { c.Close(); conn.Close() })
	return c, nil
}

func TestSFTPRoundTripWithGoClient(t *testing.T) {
	e := newSFTPEnv(t)
	c, err := e.dial(e.code, e.signer)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := c.ReadDir("/")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, fi := range entries {
		names = append(names, fi.Name())
	}
	want := []string{e.file, ManifestName(e.file), SignatureName(e.file)}
	if strings.Join(names, ",") != strings.Join(want, ",") {
		t.Errorf("listing %v, want %v", names, want)
	}
	if n := e.count(`SELECT COUNT(*) FROM agency_items WHERE delivered_at <> ''`); n != 0 {
		t.Fatalf("delivered before download: %d", n)
	}
	for _, name := range want {
		rf, err := c.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(rf)
		rf.Close()
		if err != nil {
			t.Fatal(err)
		}
		disk, _ := os.ReadFile(filepath.Join(e.root, name))
		if !bytes.Equal(got, disk) || len(got) == 0 {
			t.Errorf("%s: downloaded %d bytes, disk %d", name, len(got), len(disk))
		}
	}
	data, _ := os.ReadFile(filepath.Join(e.root, e.file))
	man, _ := os.ReadFile(filepath.Join(e.root, ManifestName(e.file)))
	sig, _ := os.ReadFile(filepath.Join(e.root, SignatureName(e.file)))
	checkManifest(t, e.fixture, data, man, sig)
	// The complete download marks the file's items delivered over SFTP, and only those.
	waitFor(t, func() bool { return e.count(`SELECT COUNT(*) FROM agency_items WHERE delivered_via = 'sftp'`) == 1 })
	if n := e.count(`SELECT COUNT(*) FROM agency_items i JOIN agencies a ON a.id = i.agency_id WHERE a.code = 'water4' AND i.delivered_at <> ''`); n != 0 {
		t.Error("another agency's item marked delivered")
	}
	if n := e.count(`SELECT COUNT(*) FROM agency_file_downloads`); n != 1 {
		t.Errorf("downloads recorded: %d, want 1 (manifest and signature are not tracked)", n)
	}
	if n := e.count(`SELECT COUNT(*) FROM audit_log WHERE action = 'agency.sftp.login' AND outcome = 'ok'`); n != 1 {
		t.Errorf("login audit entries: %d", n)
	}
	if wd, err := c.Getwd(); err != nil || wd != "/" {
		t.Errorf("working folder %q %v", wd, err)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for i := 0; i < 100; i++ {
		if cond() {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("condition not reached")
}

func TestSFTPJailRefusesEscapesAndWrites(t *testing.T) {
	e := newSFTPEnv(t)
	root, _ := e.s.FilesRoot()
	other := filepath.Join(root, "water4")
	otherFile := fileBase("water4", e.day().AddDate(0, 0, -1)) + ".csv"
	if _, err := os.Stat(filepath.Join(other, otherFile)); err != nil {
		t.Fatalf("the other agency's file should exist: %v", err)
	}
	// Links an operator (or an attacker with disk access) might leave in the folder.
	must(t, os.Symlink("/etc/passwd", filepath.Join(e.root, "abs-link")))
	must(t, os.Symlink(filepath.Join("..", "water4", otherFile), filepath.Join(e.root, "rel-link")))
	must(t, os.Symlink("..", filepath.Join(e.root, "up")))
	must(t, os.Symlink(e.file, filepath.Join(e.root, "inside-link")))
	must(t, os.WriteFile(filepath.Join(e.root, ".hidden"), []byte("staging"), 0o640))
	c, err := e.dial(e.code, e.signer)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{
		"../water4/" + otherFile, "/../water4/" + otherFile, "../../../../../../etc/passwd", "/../../etc/passwd",
		"..", "../", "abs-link", "rel-link", "up/water4/" + otherFile, "up/" + e.code + "/" + e.file, ".hidden", "/etc/passwd",
		"../" + filepath.Base(filepath.Dir(root)) + "/staging",
	} {
		if rf, err := c.Open(p); err == nil {
			b, _ := io.ReadAll(rf)
			rf.Close()
			if bytes.Contains(b, []byte("root:")) || bytes.Contains(b, []byte("序號")) && !strings.HasSuffix(p, e.file) {
				t.Errorf("escape: read %q (%d bytes)", p, len(b))
			}
			if strings.HasPrefix(p, "..") || strings.Contains(p, "link") || strings.HasPrefix(p, "up") {
				t.Errorf("open %q succeeded", p)
			}
		}
	}
	// ".." resolves to the folder itself, never above it; links and dot files are not listed.
	list, err := c.ReadDir("../..")
	if err != nil {
		t.Fatal(err)
	}
	var listed []string
	for _, fi := range list {
		listed = append(listed, fi.Name())
	}
	if want := strings.Join([]string{e.file, ManifestName(e.file), SignatureName(e.file)}, ","); strings.Join(listed, ",") != want {
		t.Errorf("listing ../.. shows %v, want %s", listed, want)
	}
	if _, err := c.ReadDir("up"); err == nil {
		t.Error("listing a link to the parent folder succeeded")
	}
	if _, err := c.Stat("abs-link"); err == nil {
		t.Error("stat through an absolute link succeeded")
	}
	// A link that stays inside the folder is harmless and works.
	if rf, err := c.Open("inside-link"); err != nil {
		t.Errorf("inside link: %v", err)
	} else {
		rf.Close()
	}
	// Read-only: nothing can be written, changed or removed.
	before, _ := os.ReadFile(filepath.Join(e.root, e.file))
	if w, err := c.Create("upload.csv"); err == nil {
		w.Write([]byte("x"))
		w.Close()
		t.Error("create succeeded")
	}
	if w, err := c.OpenFile(e.file, os.O_WRONLY|os.O_TRUNC); err == nil {
		w.Close()
		t.Error("open for writing succeeded")
	}
	for name, op := range map[string]func() error{
		"remove":  func() error { return c.Remove(e.file) },
		"rename":  func() error { return c.Rename(e.file, "x.csv") },
		"mkdir":   func() error { return c.Mkdir("sub") },
		"rmdir":   func() error { return c.RemoveDirectory("/") },
		"symlink": func() error { return c.Symlink("/etc/passwd", "new-link") },
		"link":    func() error { return c.Link(e.file, "hard") },
		"chmod":   func() error { return c.Chmod(e.file, 0o777) },
		"chtimes": func() error { return c.Chtimes(e.file, clock.System().Now(), clock.System().Now()) },
	} {
		err := op()
		if err == nil {
			t.Errorf("%s succeeded", name)
			continue
		}
		var se *sftp.StatusError
		if !errors.Is(err, os.ErrPermission) && !(errors.As(err, &se) && se.FxCode() == sftp.ErrSSHFxPermissionDenied) {
			t.Errorf("%s: %v, want permission denied", name, err)
		}
	}
	after, _ := os.ReadFile(filepath.Join(e.root, e.file))
	if !bytes.Equal(before, after) {
		t.Error("the file changed")
	}
	for _, n := range []string{"upload.csv", "x.csv", "sub", "new-link", "hard"} {
		if _, err := os.Lstat(filepath.Join(e.root, n)); err == nil {
			t.Errorf("%s was created", n)
		}
	}
	if n := e.count(`SELECT COUNT(*) FROM audit_log WHERE action = 'agency.sftp.refused'`); n < 8 {
		t.Errorf("refusals audited: %d", n)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestSFTPRefusesWrongKeysAndUsers(t *testing.T) {
	e := newSFTPEnv(t)
	_, stranger, _ := ed25519.GenerateKey(rand.Reader)
	strangerSigner, _ := ssh.NewSignerFromKey(stranger)
	cases := []struct {
		name   string
		user   string
		signer ssh.Signer
	}{
		{"unknown key", e.code, strangerSigner},
		{"key of another agency's user name", "water4", e.signer},
		{"API-only agency", "tax_taichung", e.signer},
		{"not an agency", "root", e.signer},
		{"path-like user", "../taipower_taichung", e.signer},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := e.dial(c.user, c.signer); err == nil || !strings.Contains(err.Error(), "unable to authenticate") {
				t.Errorf("login as %s: %v, want refusal", c.user, err)
			}
		})
	}
	// The server records a refusal after the client has seen it: wait for it.
	var n int
	for deadline := clock.After(3 * time.Second); !clock.Passed(deadline); time.Sleep(20 * time.Millisecond) {
		if n = e.count(`SELECT COUNT(*) FROM audit_log WHERE action = 'agency.sftp.login' AND outcome = 'denied'`); n >= 2 {
			break
		}
	}
	if n < 2 {
		t.Errorf("refused agency logins audited: %d, want at least 2", n)
	}
	// A revoked key stops working.
	keys, _ := e.s.SSHKeys(e.ctx, e.agency(e.code).ID)
	if err := e.s.RevokeSSHKey(e.ctx, audit.Actor{Username: "admin"}, keys[0].AgencyID, keys[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.dial(e.code, e.signer); err == nil {
		t.Error("revoked key accepted")
	}
	// Password login is not offered at all.
	cfg := &ssh.ClientConfig{User: e.code, Auth: []ssh.AuthMethod{ssh.Password("secret")}, HostKeyCallback: ssh.FixedHostKey(e.hostKey), Timeout: 5 * time.Second}
	if conn, err := ssh.Dial("tcp", e.addr, cfg); err == nil {
		conn.Close()
		t.Error("password login accepted")
	}
}

func TestSFTPRefusesShellsAndForwarding(t *testing.T) {
	e := newSFTPEnv(t)
	cfg := &ssh.ClientConfig{User: e.code, Auth: []ssh.AuthMethod{ssh.PublicKeys(e.signer)}, HostKeyCallback: ssh.FixedHostKey(e.hostKey), Timeout: 5 * time.Second}
	conn, err := ssh.Dial("tcp", e.addr, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	sess, err := conn.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if out, err := sess.CombinedOutput("cat /etc/passwd"); err == nil || bytes.Contains(out, []byte("root:")) {
		t.Errorf("exec allowed: %v %q", err, out)
	}
	if _, err := conn.Dial("tcp", "127.0.0.1:22"); err == nil {
		t.Error("port forwarding allowed")
	}
}

func TestParseSSHKeyRefusesWeakKeys(t *testing.T) {
	ed := "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGKOuG1cvG6qUNWvJ8Wbl6Yl8y9e8wI1F3K8H0Uv4gVQ batch@agency"
	if _, c, err := ParseSSHKey(ed); err != nil || c != "batch@agency" {
		t.Errorf("ed25519: %v %q", err, c)
	}
	for _, bad := range []string{"", "not a key", "ssh-rsa AAAA", "ssh-dss AAAAB3NzaC1kc3MAAACBAP"} {
		if _, _, err := ParseSSHKey(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestSFTPWithSystemClient drives the endpoint with OpenSSH's sftp command:
// host key pinned in known_hosts, batch mode, key file only.
func TestSFTPWithSystemClient(t *testing.T) {
	bin, err := exec.LookPath("sftp")
	if err != nil {
		t.Fatal("the sftp command is missing: install Debian openssh-client (scripts/deps.sh test does)")
	}
	e := newSFTPEnv(t)
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "id_ed25519")
	blk, err := ssh.MarshalPrivateKey(e.priv, "taipower batch")
	if err != nil {
		t.Fatal(err)
	}
	must(t, os.WriteFile(keyFile, pem.EncodeToMemory(blk), 0o600))
	host, port, _ := net.SplitHostPort(e.addr)
	known := filepath.Join(dir, "known_hosts")
	must(t, os.WriteFile(known, []byte(fmt.Sprintf("[%s]:%s %s", host, port, ssh.MarshalAuthorizedKey(e.hostKey))), 0o600))
	must(t, os.Symlink("/etc/passwd", filepath.Join(e.root, "abs-link")))
	must(t, os.WriteFile(filepath.Join(dir, "upload.csv"), []byte("x"), 0o600))
	down := filepath.Join(dir, "down")
	must(t, os.Mkdir(down, 0o700))
	batch := filepath.Join(dir, "batch")
	// A leading "-" lets the batch continue after a refused command.
	must(t, os.WriteFile(batch, []byte(strings.Join([]string{
		"pwd",
		"ls -1",
		"get " + e.file + " " + down + "/",
		"get " + ManifestName(e.file) + " " + down + "/",
		"get " + SignatureName(e.file) + " " + down + "/",
		"-get ../../../../etc/passwd " + down + "/passwd",
		"-get ../water4/water4_20240708.csv " + down + "/other.csv",
		"-get abs-link " + down + "/abs",
		"-put " + filepath.Join(dir, "upload.csv"),
		"-rm " + e.file,
		"-rename " + e.file + " moved.csv",
		"-mkdir sub",
		"-symlink /etc/passwd evil",
		"ls -1",
	}, "\n")+"\n"), 0o600))
	run := func(key string) (string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, "-F", "/dev/null", "-b", batch, "-i", key, "-P", port,
			"-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "StrictHostKeyChecking=yes",
			"-o", "UserKnownHostsFile="+known, "-o", "ConnectTimeout=10", e.code+"@"+host)
		cmd.Env = append(os.Environ(), "HOME="+dir)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := run(keyFile)
	if err != nil {
		t.Fatalf("sftp batch: %v\n%s", err, out)
	}
	for _, want := range []string{"Remote working directory: /", e.file, ManifestName(e.file)} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	for _, name := range []string{e.file, ManifestName(e.file), SignatureName(e.file)} {
		got, err := os.ReadFile(filepath.Join(down, name))
		disk, _ := os.ReadFile(filepath.Join(e.root, name))
		if err != nil || !bytes.Equal(got, disk) {
			t.Errorf("%s: downloaded %d bytes (%v), disk %d", name, len(got), err, len(disk))
		}
	}
	data, _ := os.ReadFile(filepath.Join(down, e.file))
	man, _ := os.ReadFile(filepath.Join(down, ManifestName(e.file)))
	sig, _ := os.ReadFile(filepath.Join(down, SignatureName(e.file)))
	checkManifest(t, e.fixture, data, man, sig)
	for _, n := range []string{"passwd", "other.csv", "abs"} {
		if b, err := os.ReadFile(filepath.Join(down, n)); err == nil && len(b) > 0 {
			t.Errorf("escape through the system client: %s (%d bytes)", n, len(b))
		}
	}
	for _, n := range []string{"upload.csv", "moved.csv", "sub", "evil"} {
		if _, err := os.Lstat(filepath.Join(e.root, n)); err == nil {
			t.Errorf("%s was created through the system client", n)
		}
	}
	if _, err := os.Stat(filepath.Join(e.root, e.file)); err != nil {
		t.Errorf("the data file was removed or renamed: %v", err)
	}
	waitFor(t, func() bool { return e.count(`SELECT COUNT(*) FROM agency_items WHERE delivered_via = 'sftp'`) == 1 })

	// The same command with a key the agency never registered is refused.
	_, stranger, _ := ed25519.GenerateKey(rand.Reader)
	blk2, _ := ssh.MarshalPrivateKey(stranger, "")
	wrong := filepath.Join(dir, "id_wrong")
	must(t, os.WriteFile(wrong, pem.EncodeToMemory(blk2), 0o600))
	out, err = run(wrong)
	if err == nil || !strings.Contains(out, "Permission denied") {
		t.Errorf("wrong key: err %v\n%s", err, out)
	}
}
