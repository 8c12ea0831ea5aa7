package app_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"io"
	"io/fs"
	"math/rand/v2"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"ebazhao/internal/archive"
	"ebazhao/internal/platform/blob"
	"ebazhao/internal/platform/clock"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/dbtest"
)

// TestUploadOnAFullDisk runs the real server binary in a mount namespace
// where <data>/blobs is a tmpfs with a few hundred KB free (the database stays
// on the normal disk): an upload bigger than the free space must be answered
// with a clear message, leave no partial file and no row without its file,
// and the server must go on serving, a smaller upload included.
func TestUploadOnAFullDisk(t *testing.T) {
	bin := buildServer(t)
	url, dataDir := dbtest.URL(t)
	blobDir := filepath.Join(dataDir, "blobs")
	if err := os.MkdirAll(blobDir, 0o750); err != nil {
		t.Fatal(err)
	}
	srv := startOnSmallDisk(t, bin, url, dataDir, 700)
	fsView := blob.NewFS(srv.view(blobDir)) // the tmpfs as the server sees it
	ctx := context.Background()
	d, err := db.Open(ctx, url, dataDir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()

	e := &env{t: t, DB: d, Srv: &httptest.Server{URL: srv.base}} // the helpers need only the URL
	scanner := e.loggedIn("scanner")
	scanner.http.Timeout = 30 * time.Second // a hang fails the test
	scanner.get("/archive/docs/new")
	xitun := e.officeID("xitun")
	docs, blobs := countDocs(t, d), storedBlobs(t, fsView)
	free := srv.free(t, blobDir)
	t.Logf("blob store: %d files, %d KB free", len(blobs), free>>10)

	// An upload bigger than the free space: speckled pages, which Deflate
	// cannot shrink.
	var pages []*image.Gray
	rng := rand.New(rand.NewPCG(3, 4))
	for i := 0; int64(len(pages))*620*877 < free+200<<10; i++ {
		p := scanPage(500 + i)
		for j := range p.Pix {
			p.Pix[j] = uint8(rng.UintN(256))
		}
		pages = append(pages, p)
	}
	big := archive.EncodeTIFF(pages)
	fields := map[string]string{"office": fmt.Sprint(xitun), "item": "birth", "reg_date": "70.1.5", "persons": "A123456789 王大明 當事人"}
	start := clock.Start()
	st, body, _ := scanner.upload("/archive/docs", fields, "big.tif", big)
	t.Logf("%d KB upload on %d KB free: %d in %s", len(big)>>10, free>>10, st, start.Elapsed().Round(time.Millisecond))
	if st != http.StatusInsufficientStorage {
		t.Fatalf("upload on a full disk: status %d, want 507", st)
	}
	contains(t, body, blob.NoSpaceMessage)
	for _, leak := range []string{"no space left", "blob:", "系統發生錯誤"} {
		if strings.Contains(body, leak) {
			t.Errorf("the page shows %q instead of only the clear message", leak)
		}
	}
	if n := countDocs(t, d); n != docs {
		t.Errorf("%d documents after the failed upload, %d before", n, docs)
	}
	checkStore(t, ctx, d, fsView, len(blobs), 0)
	if !srv.logged(5*time.Second, "level=ERROR", "no space left on device") {
		t.Errorf("no error log line naming the cause; server log:\n%s", srv.log())
	}

	// The server goes on: health, a page, an upload that fits.
	if st, _ := scanner.get("/healthz"); st != http.StatusOK {
		t.Errorf("healthz after the failure: %d", st)
	}
	if st, body := scanner.get("/archive/docs/new"); st != http.StatusOK || !strings.Contains(body, "upload-form") {
		t.Errorf("upload page after the failure: %d", st)
	}
	small := archive.EncodePNG(scanPage(7))
	st, _, resp := scanner.upload("/archive/docs", fields, "small.png", small)
	if st != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/archive/docs/") {
		t.Fatalf("small upload after the failure: status %d", st)
	}
	if n := countDocs(t, d); n != docs+1 {
		t.Errorf("%d documents after the small upload, want %d", n, docs+1)
	}
	checkStore(t, ctx, d, fsView, -1, 0)

	// A seal change whose imprint fits and whose photo does not: the clear
	// message, no event; the imprint written first stays as an orphan.
	imprint, err := os.ReadFile(filepath.Join(dataDir, "demo", "seal", "A123456789_genuine.png"))
	if err != nil {
		t.Fatal(err)
	}
	events := countRows(t, d, `SELECT COUNT(*) FROM seal_events`)
	scanner.get("/seals/p/A123456789/register")
	today := clock.System().Today().ROCShort() // the child server runs on the same (possibly shifted) system clock
	st, body = scanner.postFiles("/seals/p/A123456789/events", map[string]string{"kind": "change", "date": today, "application_no": "DF-1"},
		map[string][]byte{"imprint": imprint, "appearance": noisePNG(600, 600)})
	if st != http.StatusInsufficientStorage {
		t.Fatalf("seal change on a full disk: status %d, want 507\n%s", st, regexp.MustCompile(`(?s)class="(alert[^"]*|error[^"]*)"[^>]*>(.{0,300})`).FindString(body))
	}
	contains(t, body, blob.NoSpaceMessage)
	if n := countRows(t, d, `SELECT COUNT(*) FROM seal_events`); n != events {
		t.Errorf("%d seal events after the failed change, %d before", n, events)
	}
	orphans := checkStore(t, ctx, d, fsView, -1, 1)
	t.Logf("after the failed seal change: %d orphan blob (written before the failure, referenced by nothing)", orphans)
	st, _ = scanner.postFiles("/seals/p/A123456789/events", map[string]string{"kind": "change", "date": today, "application_no": "DF-2"},
		map[string][]byte{"imprint": imprint})
	if st != http.StatusSeeOther {
		t.Fatalf("seal change that fits: status %d", st)
	}
	if n := countRows(t, d, `SELECT COUNT(*) FROM seal_events`); n != events+1 {
		t.Errorf("%d seal events after the change that fits, want %d", n, events+1)
	}
	checkStore(t, ctx, d, fsView, -1, 1)
}

// buildServer builds cmd/ebazhao into a temporary folder.
func buildServer(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "ebazhao")
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to build the server: %v", err)
	}
	out, err := exec.Command(goTool, "build", "-o", bin, "ebazhao/cmd/ebazhao").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// smallDiskServer is a server process in its own mount namespace.
type smallDiskServer struct {
	cmd  *exec.Cmd
	base string
	mu   sync.Mutex
	out  bytes.Buffer
}

func (s *smallDiskServer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.out.Write(p)
}

func (s *smallDiskServer) log() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.out.String()
}

// logged reports whether one line of the server's log holds every part,
// waiting up to wait: the log reaches the test through a pipe, copied
// asynchronously, so it can trail the HTTP response it belongs to.
func (s *smallDiskServer) logged(wait time.Duration, parts ...string) bool {
	deadline := clock.After(wait)
	for {
		for _, line := range strings.Split(s.log(), "\n") {
			all := true
			for _, p := range parts {
				all = all && strings.Contains(line, p)
			}
			if all {
				return true
			}
		}
		if clock.Passed(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// view is path as the server sees it, from outside its mount namespace.
func (s *smallDiskServer) view(path string) string {
	return fmt.Sprintf("/proc/%d/root%s", s.cmd.Process.Pid, path)
}

// free is the space left on the server's blob file system.
func (s *smallDiskServer) free(t *testing.T, blobDir string) int64 {
	t.Helper()
	var st syscall.Statfs_t
	if err := syscall.Statfs(s.view(blobDir), &st); err != nil {
		t.Fatal(err)
	}
	return int64(st.Bavail) * st.Bsize
}

// startOnSmallDisk starts `ebazhao serve --demo` in a new mount namespace
// whose <data>/blobs is a tmpfs: the demo data is seeded first, then the
// tmpfs is shrunk to what it holds plus headroomKB.
func startOnSmallDisk(t *testing.T, bin, url, dataDir string, headroomKB int) *smallDiskServer {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	dbFlag := ""
	if url != "" {
		dbFlag = "--db " + url
	}
	script := `set -e
mount -t tmpfs -o size=32m,mode=0750 tmpfs "$BLOBS"
"$BIN" demo --data "$DATA" $DBFLAG >/dev/null
used=$(du -sk "$BLOBS" | cut -f1)
mount -o remount,size=$((used + HEADROOM))k "$BLOBS"
exec "$BIN" serve --demo --data "$DATA" --addr "$ADDR" $DBFLAG`
	script = strings.Replace(script, "HEADROOM", fmt.Sprint(headroomKB), 1)
	args := []string{"-m", "--propagation", "private"}
	if os.Geteuid() != 0 {
		args = []string{"-r", "-m", "--propagation", "private"} // an unprivileged user namespace may mount a tmpfs too
	}
	cmd := exec.Command("unshare", append(args, "sh", "-c", script)...)
	for _, kv := range os.Environ() { // the server's own settings come from the flags; its clock is the suite's
		if !strings.HasPrefix(kv, "EBAZHAO_") || strings.HasPrefix(kv, clock.EnvTestNow+"=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "BIN="+bin, "DATA="+dataDir, "BLOBS="+filepath.Join(dataDir, "blobs"), "ADDR="+addr, "DBFLAG="+dbFlag)
	s := &smallDiskServer{cmd: cmd, base: "http://" + addr}
	cmd.Stdout, cmd.Stderr = s, s
	if err := cmd.Start(); err != nil {
		t.Fatalf("unshare: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill() // the namespace and its tmpfs go with the last process
		<-done
	})
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := clock.After(90 * time.Second)
	for {
		select {
		case err := <-done:
			done <- err
			t.Fatalf("the server ended before serving: %v\n%s", err, s.log())
		default:
		}
		if resp, err := client.Get(s.base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s
			}
		}
		if clock.Passed(deadline) {
			t.Fatalf("the server did not come up:\n%s", s.log())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func countDocs(t *testing.T, d *db.DB) int {
	return countRows(t, d, `SELECT COUNT(*) FROM archive_docs`)
}

func countRows(t *testing.T, d *db.DB, q string) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// storedBlobs lists the blob files, failing on an unfinished temporary file.
func storedBlobs(t *testing.T, s *blob.FS) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	err := filepath.WalkDir(s.Root, func(p string, de fs.DirEntry, err error) error {
		if err != nil || de.IsDir() {
			return err
		}
		if filepath.Base(filepath.Dir(p)) == "tmp" {
			t.Errorf("a partial file is left in the blob store: %s", p)
			return nil
		}
		out[de.Name()] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// checkStore checks the blob store against the database: no partial files,
// every file intact, every file a row names present; it returns the orphans
// (files no row names) and fails when there are more than maxOrphans. wantFiles
// >= 0 also checks the number of files.
func checkStore(t *testing.T, ctx context.Context, d *db.DB, s *blob.FS, wantFiles, maxOrphans int) int {
	t.Helper()
	files := storedBlobs(t, s)
	if wantFiles >= 0 && len(files) != wantFiles {
		t.Errorf("%d files in the blob store, want %d", len(files), wantFiles)
	}
	if _, err := s.Verify(ctx, func(h string, err error) { t.Errorf("blob %s: %v", h, err) }); err != nil {
		t.Fatal(err)
	}
	referenced := map[string]bool{}
	for _, q := range []string{
		`SELECT source_sha256 FROM archive_docs`, `SELECT sha256 FROM archive_pages`, `SELECT thumb_sha256 FROM archive_pages`,
		`SELECT imprint_blob FROM seal_events`, `SELECT appearance_blob FROM seal_events`, `SELECT signature_blob FROM seal_events`,
		`SELECT application_blob FROM seal_events`,
		// a backdated seal event's images, kept while it waits and after a rejection
		`SELECT imprint_blob FROM seal_event_requests`, `SELECT appearance_blob FROM seal_event_requests`,
		`SELECT signature_blob FROM seal_event_requests`, `SELECT application_blob FROM seal_event_requests`,
	} {
		rows, err := d.Query(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var h string
			rows.Scan(&h)
			if h == "" {
				continue
			}
			referenced[h] = true
			if !files[h] {
				t.Errorf("%s: %s is not in the blob store", q, h)
			}
		}
		rows.Close()
	}
	orphans := 0
	for h := range files {
		if !referenced[h] {
			orphans++
		}
	}
	if orphans > maxOrphans {
		t.Errorf("%d blobs referenced by no row, want at most %d", orphans, maxOrphans)
	}
	return orphans
}

// noisePNG is a w×h image of random colours: PNG cannot compress it.
func noisePNG(w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range img.Pix {
		img.Pix[i] = uint8(rng.UintN(256))
	}
	for i := 3; i < len(img.Pix); i += 4 {
		img.Pix[i] = 255
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}

// postFiles sends a multipart form with several files, like the browser.
func (c *client) postFiles(path string, fields map[string]string, files map[string][]byte) (int, string) {
	c.e.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf_token", c.csrf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	for field, data := range files {
		fw, _ := mw.CreateFormFile(field, field+".png")
		fw.Write(data)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", c.e.Srv.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := c.http.Do(req)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
