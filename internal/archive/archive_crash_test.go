package archive

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"ebazhao/internal/migrations"
	"ebazhao/internal/office"
	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/blob"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/clock"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/dbtest"
	"ebazhao/internal/platform/idno"
)

// The archive crash drill runs the test binary again as a child process that
// archives scans as fast as it can — a resumable bulk import of a manifest
// and, at the same time, two scanners ingesting single uploads — kills it with
// SIGKILL at a random moment, and checks what survived: every document's
// source file, pages and thumbnails are in the blob store and hash to their
// address, page counts match the scans, each document has its search entries
// and audit entry, no scan was archived twice, the audit chain verifies.
// Three times; then the parent finishes the import and the uploads, which must
// end with exactly one document per scan.

const (
	archiveCrashEnv    = "EBAZHAO_ARCHIVE_CRASH_CHILD"
	archiveCrashURLEnv = "EBAZHAO_ARCHIVE_CRASH_URL"
	archiveCrashDirEnv = "EBAZHAO_ARCHIVE_CRASH_DIR"

	archiveCrashImportRows = 70 // rows of the bulk-import manifest
	archiveCrashUploads    = 40 // single uploads, shared by the scanners
	archiveCrashScanners   = 2
)

// The child is started with the crash variables set; it never returns to the
// test framework (init runs before TestMain, so no existing file needs a hook).
func init() {
	if os.Getenv(archiveCrashEnv) == "1" {
		archiveCrashChild()
		os.Exit(0)
	}
}

// archiveCrashLayout is the drill's data folder: the database (SQLite), the
// blob store, the scans of the manifest and those uploaded one by one.
type archiveCrashLayout struct{ dir string }

func (l archiveCrashLayout) scans() string    { return filepath.Join(l.dir, "scans") }
func (l archiveCrashLayout) uploads() string  { return filepath.Join(l.dir, "uploads") }
func (l archiveCrashLayout) manifest() string { return filepath.Join(l.dir, "scans", "manifest.csv") }
func (l archiveCrashLayout) store() *blob.FS  { return blob.NewFS(filepath.Join(l.dir, "blobs")) }

// archiveCrashService is the archive as the server builds it over the drill's store.
func archiveCrashService(d *db.DB, l archiveCrashLayout) *Service {
	return NewService(d, l.store())
}

// archiveCrashActor is the scanning staff the drill works as.
func archiveCrashActor(ctx context.Context, d *db.DB) (audit.Actor, error) {
	a := audit.Actor{Username: "scan", Client: "crash"}
	err := d.QueryRow(ctx, `SELECT id, office_id FROM users WHERE username = ?`, a.Username).Scan(&a.UserID, &a.OfficeID)
	return a, err
}

// uploadInput is the index a scanner types for upload i.
func uploadInput(officeID int64, i int) DocInput {
	first9 := fmt.Sprintf("L2%07d", i)
	d, _ := idno.CheckDigit(first9)
	return DocInput{OfficeID: officeID, Item: "marriage", RegDate: civil.New(1990, 1, 1+i%28),
		Persons: []Person{{IDNo: first9 + string(d), Name: "林演練", Role: "當事人"}}, SourceName: fmt.Sprintf("u%03d.tif", i), CityWide: true}
}

// ingestUpload archives upload i the way the upload form does; a scan
// archived by an earlier (killed) run is a duplicate, as it is for a scanner
// who uploads the same file again.
func ingestUpload(ctx context.Context, svc *Service, actor audit.Actor, l archiveCrashLayout, i int) error {
	b, err := os.ReadFile(filepath.Join(l.uploads(), fmt.Sprintf("u%03d.tif", i)))
	if err != nil {
		return err
	}
	_, err = svc.Ingest(ctx, actor, uploadInput(actor.OfficeID, i), b)
	var de *DuplicateError
	if errors.As(err, &de) {
		return nil
	}
	return err
}

func archiveCrashFail(format string, a ...any) {
	fmt.Fprintf(os.Stderr, "archive crash child: "+format+"\n", a...)
	os.Exit(4)
}

// archiveCrashChild archives until it is killed.
func archiveCrashChild() {
	ctx := context.Background()
	l := archiveCrashLayout{dir: os.Getenv(archiveCrashDirEnv)}
	d, err := db.Open(ctx, os.Getenv(archiveCrashURLEnv), l.dir)
	if err != nil {
		archiveCrashFail("open: %v", err)
	}
	svc := archiveCrashService(d, l)
	actor, err := archiveCrashActor(ctx, d)
	if err != nil {
		archiveCrashFail("actor: %v", err)
	}
	for w := 0; w < archiveCrashScanners; w++ {
		go func(w int) {
			for i := w; i < archiveCrashUploads; i += archiveCrashScanners {
				if err := ingestUpload(ctx, svc, actor, l, i); err != nil {
					archiveCrashFail("upload %d: %v", i, err)
				}
			}
		}(w)
	}
	rep, err := svc.Import(ctx, actor, l.scans(), l.manifest(), nil)
	if err != nil {
		archiveCrashFail("import: %v", err)
	}
	if rep.Rejected > 0 {
		archiveCrashFail("import rejected %+v", rep.Rejects)
	}
	select {} // done: wait to be killed
}

// archiveCrashSetup writes the scans and the manifest; it returns the page
// count of every scan by its hash.
func archiveCrashSetup(t *testing.T, d *db.DB, l archiveCrashLayout) map[string]int {
	ctx := context.Background()
	offices := &office.Store{DB: d}
	if err := offices.SeedTaichung(ctx); err != nil {
		t.Fatal(err)
	}
	x, err := offices.ByCode(ctx, "xitun")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := auth.New(d, auth.DefaultPolicy()).CreateUser(ctx, audit.Actor{Username: "test"}, auth.NewUser{Username: "scan",
		DisplayName: "建檔員", OfficeID: x.ID, Role: auth.Scanner, Password: "test-password-1"}); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{l.scans(), l.uploads()} {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			t.Fatal(err)
		}
	}
	pages := map[string]int{}
	seed := 1000
	scan := func(path string, n int) {
		var seeds []int
		for p := 0; p < n; p++ {
			seeds = append(seeds, seed)
			seed++
		}
		b := tiffOf(seeds...)
		if n == 1 && seed%2 == 0 {
			b = EncodePNG(page(seeds[0]))
		}
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		pages[blob.Sum(b)] = n
	}
	lines := []string{strings.Join(ManifestColumns, ",")}
	for i := 0; i < archiveCrashImportRows; i++ {
		name := fmt.Sprintf("m%03d.tif", i)
		scan(filepath.Join(l.scans(), name), 1+i%3)
		first9 := fmt.Sprintf("M1%07d", i)
		c, _ := idno.CheckDigit(first9)
		lines = append(lines, fmt.Sprintf("%s,xitun,出生,%d.%d.%d,%s 王演練 當事人; 王父 父,%d,%d,", name, 60+i%40, 1+i%12, 1+i%28, first9+string(c), i/10, i))
	}
	if err := os.WriteFile(l.manifest(), []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < archiveCrashUploads; i++ {
		scan(filepath.Join(l.uploads(), fmt.Sprintf("u%03d.tif", i)), 1+i%2)
	}
	return pages
}

func archiveCrashCount(t *testing.T, d *db.DB, q string) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// archiveCrashCheck checks the index against the blob store and the audit
// log; it returns the number of orphan blobs (stored, not referenced) and of
// unfinished temporary files.
func archiveCrashCheck(t *testing.T, d *db.DB, l archiveCrashLayout, scans map[string]int) (orphans, partial int) {
	t.Helper()
	ctx := context.Background()
	store := l.store()
	referenced := map[string]bool{}
	have := func(what, h string, size int64) {
		b, err := blob.Get(ctx, store, h) // verified against its address
		switch {
		case err != nil:
			t.Errorf("%s: %v", what, err)
		case size >= 0 && int64(len(b)) != size:
			t.Errorf("%s: %d bytes stored, %d recorded", what, len(b), size)
		}
		referenced[h] = true
	}
	type doc struct {
		id            int64
		sha, name     string
		bytes         int64
		pageCount     int
		pages, thumbs []string
	}
	docs := map[int64]*doc{}
	rows, err := d.Query(ctx, `SELECT id, source_sha256, source_name, source_bytes, page_count FROM archive_docs`)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]int64{}
	for rows.Next() {
		var x doc
		if err := rows.Scan(&x.id, &x.sha, &x.name, &x.bytes, &x.pageCount); err != nil {
			t.Fatal(err)
		}
		docs[x.id] = &x
		if other, dup := names[x.name]; dup {
			t.Errorf("%s archived twice: documents %d and %d", x.name, other, x.id)
		}
		names[x.name] = x.id
	}
	rows.Close()
	prows, err := d.Query(ctx, `SELECT doc_id, page_no, sha256, bytes, thumb_sha256 FROM archive_pages ORDER BY doc_id, page_no`)
	if err != nil {
		t.Fatal(err)
	}
	for prows.Next() {
		var id, size int64
		var no int
		var sha, thumb string
		if err := prows.Scan(&id, &no, &sha, &size, &thumb); err != nil {
			t.Fatal(err)
		}
		x := docs[id]
		if x == nil {
			t.Errorf("page %d of a document %d that does not exist", no, id)
			continue
		}
		if no != len(x.pages)+1 {
			t.Errorf("document %d: page %d follows page %d", id, no, len(x.pages))
		}
		x.pages, x.thumbs = append(x.pages, sha), append(x.thumbs, thumb)
		have(fmt.Sprintf("document %d page %d", id, no), sha, size)
		have(fmt.Sprintf("document %d thumbnail %d", id, no), thumb, -1)
	}
	prows.Close()
	entries := map[int64]int{}
	erows, err := d.Query(ctx, `SELECT doc_id FROM archive_entries`)
	if err != nil {
		t.Fatal(err)
	}
	for erows.Next() {
		var id int64
		erows.Scan(&id)
		entries[id]++
	}
	erows.Close()
	audited := map[string]int{}
	arows, err := d.Query(ctx, `SELECT object_id FROM audit_log WHERE action = 'archive.ingest'`)
	if err != nil {
		t.Fatal(err)
	}
	for arows.Next() {
		var id string
		arows.Scan(&id)
		audited[id]++
	}
	arows.Close()
	for id, x := range docs {
		have(fmt.Sprintf("document %d source", id), x.sha, x.bytes)
		want, known := scans[x.sha]
		switch {
		case !known:
			t.Errorf("document %d: source %s is none of the scans", id, x.sha[:12])
		case x.pageCount != want || len(x.pages) != want:
			t.Errorf("document %d (%s): page_count %d, %d page rows, the scan has %d pages", id, x.name, x.pageCount, len(x.pages), want)
		}
		if entries[id] == 0 {
			t.Errorf("document %d has no search entries", id)
		}
		if n := audited[strconv.FormatInt(id, 10)]; n != 1 {
			t.Errorf("document %d: %d archive.ingest audit entries, want 1", id, n)
		}
	}
	if _, err := store.Verify(ctx, func(h string, err error) { t.Errorf("blob %s: %v", h, err) }); err != nil {
		t.Fatal(err)
	}
	err = filepath.WalkDir(store.Root, func(p string, de fs.DirEntry, err error) error {
		if err != nil || de.IsDir() {
			return err
		}
		switch {
		case filepath.Base(filepath.Dir(p)) == "tmp":
			partial++
		case !referenced[de.Name()]:
			orphans++
		}
		return nil
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	if _, p, err := audit.Verify(ctx, d); err != nil || p != nil {
		t.Fatalf("audit chain: %v %v", p, err)
	}
	return orphans, partial
}

// waitForBlobWrite returns when a temporary file appears in the store (a Put
// in progress), or after max.
func waitForBlobWrite(root string, max time.Duration) {
	tmp := filepath.Join(root, "tmp")
	for end := clock.After(max); !clock.Passed(end); {
		if es, _ := os.ReadDir(tmp); len(es) > 0 {
			return
		}
		time.Sleep(100 * time.Microsecond)
	}
}

func TestCrashWhileArchiving(t *testing.T) {
	url, dir := dbtest.URL(t)
	l := archiveCrashLayout{dir: dir}
	ctx := context.Background()
	d, err := db.Open(ctx, url, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { d.Close() }()
	ms, err := migrations.All()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Migrate(ctx, ms); err != nil {
		t.Fatal(err)
	}
	scans := archiveCrashSetup(t, d, l)
	rng := rand.New(rand.NewPCG(rand.Uint64(), 11))
	const docs = `SELECT COUNT(*) FROM archive_docs`
	for round := 1; round <= 3; round++ {
		before := archiveCrashCount(t, d, docs)
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), archiveCrashEnv+"=1", archiveCrashURLEnv+"="+url, archiveCrashDirEnv+"="+dir)
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := clock.After(20 * time.Second)
		target := before + 8 + rng.IntN(12)
		for archiveCrashCount(t, d, docs) < target {
			if clock.Passed(deadline) {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("round %d: the child archived too slowly (%d documents)", round, archiveCrashCount(t, d, docs))
			}
			time.Sleep(5 * time.Millisecond)
		}
		// Most of an ingest is decoding and scaling pages; to land kills in the
		// window that matters too, rounds 2 and 3 wait for a blob being written
		// and strike a few milliseconds later (mid-write, between the writes
		// and the commit, or inside the transaction).
		if round > 1 {
			waitForBlobWrite(l.store().Root, 2*time.Second)
			time.Sleep(time.Duration(rng.IntN(6000)) * time.Microsecond)
		} else {
			time.Sleep(time.Duration(rng.IntN(40)) * time.Millisecond)
		}
		if err := cmd.Process.Kill(); err != nil { // SIGKILL: no deferred cleanup, no rollback by the child
			t.Fatal(err)
		}
		err := cmd.Wait()
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != -1 {
			t.Fatalf("round %d: child ended by itself: %v", round, err)
		}
		d.Close() // reopen, as a restarted server would
		if d, err = db.Open(ctx, url, dir); err != nil {
			t.Fatal(err)
		}
		orphans, partial := archiveCrashCheck(t, d, l, scans)
		t.Logf("round %d: killed after %d documents; %d orphan blobs, %d unfinished temporary files",
			round, archiveCrashCount(t, d, docs), orphans, partial)
		if t.Failed() {
			t.FailNow()
		}
	}
	// After the restarts: the import resumes where it stopped and the scanners
	// upload the rest; every scan ends up archived exactly once.
	svc := archiveCrashService(d, l)
	actor, err := archiveCrashActor(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	fromImport := archiveCrashCount(t, d, `SELECT COUNT(*) FROM archive_docs WHERE source_name LIKE 'm%'`)
	rep, err := svc.Import(ctx, actor, l.scans(), l.manifest(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rejected != 0 || rep.Skipped != fromImport || rep.Imported+rep.Skipped != archiveCrashImportRows {
		t.Fatalf("resumed import: %+v; %d rows were archived before", rep, fromImport)
	}
	for i := 0; i < archiveCrashUploads; i++ {
		if err := ingestUpload(ctx, svc, actor, l, i); err != nil {
			t.Fatalf("upload %d after the crashes: %v", i, err)
		}
	}
	if n := archiveCrashCount(t, d, docs); n != archiveCrashImportRows+archiveCrashUploads {
		t.Fatalf("%d documents, want exactly %d", n, archiveCrashImportRows+archiveCrashUploads)
	}
	orphans, partial := archiveCrashCheck(t, d, l, scans)
	t.Logf("finished: %d documents, %d orphan blobs, %d unfinished temporary files", archiveCrashCount(t, d, docs), orphans, partial)
	// Content addressing: a retried scan stores the same bytes under the same
	// names, so what a killed ingest wrote is referenced once its retry commits.
	if orphans != 0 {
		t.Errorf("%d blobs are referenced by no document after every scan was archived", orphans)
	}
}
