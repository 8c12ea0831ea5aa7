package seal

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"ebazhao/internal/migrations"
	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/blob"
	"ebazhao/internal/platform/clock"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/dbtest"
	"ebazhao/internal/platform/idno"
	"ebazhao/internal/seal/sealgen"
)

// The seal crash drill runs the test binary again as a child process that
// registers seals as fast as it can — counter registrations, changes and
// cancellations with their images written to the vault first, and a bulk
// import of seal cards at the same time — kills it with SIGKILL at a random
// moment, and checks what survived: every image a row names is in the blob
// store and decrypts to an image that was uploaded, every event has its
// audit entry, no request was recorded twice, each person's history is a
// valid sequence, the audit chain verifies. Images written before a killed
// transaction are orphans: counted and reported, never referenced. Three
// times; then the parent registers more and finishes the import.

const (
	sealCrashEnv       = "EBAZHAO_SEAL_CRASH_CHILD"
	sealCrashURLEnv    = "EBAZHAO_SEAL_CRASH_URL"
	sealCrashDirEnv    = "EBAZHAO_SEAL_CRASH_DIR"
	sealCrashKeyEnv    = "EBAZHAO_SEAL_CRASH_KEY"
	sealCrashOfficeEnv = "EBAZHAO_SEAL_CRASH_OFFICE"

	crashCounterWorkers  = 3   // clerks registering at the counter
	crashImportWorkers   = 2   // workers of the bulk import
	crashPersonsPerClerk = 8   // people each clerk registers, changes and cancels in turn
	crashCards           = 200 // seal cards in the import manifest
)

// The child is started with the crash variables set; it never returns to the
// test framework (init runs before TestMain, so no existing file needs a hook).
func init() {
	if os.Getenv(sealCrashEnv) == "1" {
		sealCrashChild()
		os.Exit(0)
	}
}

// crashLayout is the drill's data folder: database (SQLite), blobs, the
// uploaded images and the import manifest.
type crashLayout struct{ dir string }

func (l crashLayout) images() string   { return filepath.Join(l.dir, "images") }
func (l crashLayout) manifest() string { return filepath.Join(l.dir, "images", "cards.csv") }
func (l crashLayout) store() *blob.FS  { return blob.NewFS(filepath.Join(l.dir, "blobs")) }

// crashIDNo is the national ID of the drill's person i.
func crashIDNo(i int) string {
	first9 := fmt.Sprintf("K1%07d", i)
	d, err := idno.CheckDigit(first9)
	if err != nil {
		panic(err)
	}
	return first9 + string(d)
}

// counterPerson is person k of clerk w; import cards use persons from 1000 on.
func counterPerson(w, k int) string { return crashIDNo(w*crashPersonsPerClerk + k) }
func cardPerson(i int) string       { return crashIDNo(1000 + i) }

// crashImages are the uploads: generated seal imprints, a seal photo and a
// signature, as PNG files under the images folder.
func crashImages(l crashLayout) (imprints []string, photo, signature string) {
	entries, err := os.ReadDir(l.images())
	if err != nil {
		panic(err)
	}
	for _, e := range entries {
		switch n := e.Name(); {
		case strings.HasPrefix(n, "imprint"):
			imprints = append(imprints, filepath.Join(l.images(), n))
		case n == "photo.png":
			photo = filepath.Join(l.images(), n)
		case n == "signature.png":
			signature = filepath.Join(l.images(), n)
		}
	}
	sort.Strings(imprints)
	return
}

func mustRead(path string) []byte {
	b, err := os.ReadFile(path)
	if err != nil {
		panic(err)
	}
	return b
}

func crashFail(format string, a ...any) {
	fmt.Fprintf(os.Stderr, "seal crash child: "+format+"\n", a...)
	os.Exit(4)
}

// sealCrashChild registers seals until it is killed.
func sealCrashChild() {
	ctx := context.Background()
	l := crashLayout{dir: os.Getenv(sealCrashDirEnv)}
	d, err := db.Open(ctx, os.Getenv(sealCrashURLEnv), l.dir)
	if err != nil {
		crashFail("open: %v", err)
	}
	key, err := base64.StdEncoding.DecodeString(os.Getenv(sealCrashKeyEnv))
	if err != nil {
		crashFail("key: %v", err)
	}
	v, err := NewVault(l.store(), key)
	if err != nil {
		crashFail("vault: %v", err)
	}
	var officeID int64
	fmt.Sscan(os.Getenv(sealCrashOfficeEnv), &officeID)
	s := &Store{DB: d}
	imprintFiles, photoFile, sigFile := crashImages(l)
	var imprints [][]byte
	for _, f := range imprintFiles {
		imprints = append(imprints, mustRead(f))
	}
	photo, sig := mustRead(photoFile), mustRead(sigFile)
	actor := audit.Actor{Username: "crash-clerk", OfficeID: officeID, Client: "crash-child"}
	for w := 0; w < crashCounterWorkers; w++ {
		go func(w int) {
			for k := 0; ; k++ {
				if err := counterEvent(ctx, s, v, actor, officeID, counterPerson(w, k%crashPersonsPerClerk),
					fmt.Sprintf("C%d-%d-%d", os.Getpid(), w, k), [][]byte{imprints[k%len(imprints)], photo, sig}); err != nil {
					crashFail("clerk %d: %v", w, err)
				}
			}
		}(w)
	}
	// the bulk import, resumed by every child; when it is done the clerks go on
	rep, err := s.Import(ctx, v, l.manifest(), ImportOptions{Actor: audit.Actor{Username: "crash-import", Client: "crash-child"},
		Workers: crashImportWorkers})
	if err != nil {
		crashFail("import: %v", err)
	}
	if rep.Failed > 0 {
		for _, r := range rep.Rows {
			if r.Status == ImportFailed {
				crashFail("import line %d: %s", r.Line, r.Reason)
			}
		}
	}
	select {}
}

// counterEvent does what the registration form does: the images into the
// vault first, then the event with its audit entry in one transaction. The
// kind follows the person's state: a registration when none is in force,
// otherwise a change, and now and then a cancellation.
func counterEvent(ctx context.Context, s *Store, v *Vault, actor audit.Actor, officeID int64, person, applicationNo string, images [][]byte) error {
	kind := Register
	_, err := s.Current(ctx, person)
	switch {
	case err == nil:
		kind = Change
		if applicationNo[len(applicationNo)-1] == '4' {
			kind = Cancel
		}
	case !errors.Is(err, ErrNotRegistered):
		return err
	}
	e := &Event{PersonIDNo: person, Kind: kind, Date: clock.System().Today().Midnight(), OfficeID: officeID, ClerkName: actor.Username,
		ApplicationNo: applicationNo, Source: "counter"}
	if kind != Cancel {
		for i, dst := range []*string{&e.ImprintRef, &e.AppearanceRef, &e.SignatureRef} {
			if *dst, err = v.Put(ctx, images[i]); err != nil {
				return err
			}
		}
	}
	return s.AddEvent(ctx, actor, e)
}

// sealCrashSetup prepares the database (offices, persons), the uploads and the
// manifest; it returns the plaintext digests of every uploaded image.
func sealCrashSetup(t *testing.T, d *db.DB, l crashLayout) (officeID int64, uploads map[string]bool) {
	ctx := context.Background()
	if err := d.QueryRow(ctx, `INSERT INTO offices (code, name, city, district, created_at, updated_at)
		VALUES ('B08', '臺中市西屯區戶政事務所', '臺中市', '西屯區', 'x', 'x') RETURNING id`).Scan(&officeID); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for w := 0; w < crashCounterWorkers+1; w++ { // +1: the parent's clerk after the crashes
		for k := 0; k < crashPersonsPerClerk; k++ {
			ids = append(ids, counterPerson(w, k))
		}
	}
	for i := 0; i < crashCards; i++ {
		ids = append(ids, cardPerson(i))
	}
	err := d.InTx(ctx, func(tx *db.Tx) error {
		for _, id := range ids {
			if _, err := tx.Exec(ctx, `INSERT INTO persons (id_no, name, office_id, created_at, updated_at) VALUES (?, '演練', ?, 'x', 'x')`, id, officeID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(l.images(), 0o750); err != nil {
		t.Fatal(err)
	}
	fonts, err := sealgen.OpenFonts("")
	if err != nil {
		t.Fatalf("CNS11643 fonts are required: %v", err)
	}
	defer fonts.Close()
	rng := rand.New(rand.NewPCG(12, 12))
	uploads = map[string]bool{}
	write := func(name string, b []byte) {
		if err := os.WriteFile(filepath.Join(l.images(), name), b, 0o600); err != nil {
			t.Fatal(err)
		}
		s := sha256.Sum256(b)
		uploads[hex.EncodeToString(s[:])] = true
	}
	for i, name := range []string{"王小明", "林美玲", "陳志豪", "張淑芬"} {
		m, err := fonts.Render(sealgen.DesignFor(rng, []rune(name)))
		if err != nil {
			t.Fatal(err)
		}
		imp := sealgen.CardImpression(rng)
		imp.DPI = 200
		data, _ := sealgen.Stamp(fonts, m, imp, rng)
		write(fmt.Sprintf("imprint%d.png", i), data)
	}
	gray := image.NewGray(image.Rect(0, 0, 120, 80))
	draw.Draw(gray, gray.Rect, image.NewUniform(color.Gray{Y: 190}), image.Point{}, draw.Src)
	write("photo.png", pngBytes(gray))
	gray.Pix[0] = 10
	write("signature.png", pngBytes(gray))
	lines := []string{"card_no,id_no,date,office,imprint,photo,signature"}
	for i := 0; i < crashCards; i++ {
		lines = append(lines, fmt.Sprintf("CARD-%04d,%s,2020-03-%02d,B08,imprint%d.png,photo.png,signature.png", i, cardPerson(i), 1+i%28, i%4))
	}
	if err := os.WriteFile(l.manifest(), []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return officeID, uploads
}

func countRows(t *testing.T, d *db.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// sealCrashCheck checks the registry against the blob store and the audit
// log; it returns the number of orphan blobs (written, never referenced) and
// of unfinished temporary files.
func sealCrashCheck(t *testing.T, d *db.DB, l crashLayout, v *Vault, uploads map[string]bool) (orphans, partial int) {
	t.Helper()
	ctx := context.Background()
	rows, err := d.Query(ctx, `SELECT id, person_id_no, kind, source, application_no, imprint_blob, appearance_blob, signature_blob
		FROM seal_events ORDER BY person_id_no, event_date, id`)
	if err != nil {
		t.Fatal(err)
	}
	type ev struct {
		id                             int64
		person, kind, source, appNo    string
		imprint, appearance, signature string
	}
	var events []ev
	for rows.Next() {
		var e ev
		if err := rows.Scan(&e.id, &e.person, &e.kind, &e.source, &e.appNo, &e.imprint, &e.appearance, &e.signature); err != nil {
			t.Fatal(err)
		}
		events = append(events, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	// each event's audit entry, committed with it
	audited := map[string]int{}
	arows, err := d.Query(ctx, `SELECT action, object_id FROM audit_log WHERE object_kind = 'seal_event'`)
	if err != nil {
		t.Fatal(err)
	}
	for arows.Next() {
		var action, id string
		arows.Scan(&action, &id)
		audited[action+" "+id]++
	}
	arows.Close()
	referenced := map[string]bool{}
	current := map[string]bool{} // person → a registration in force
	appNos := map[string]int64{}
	for _, e := range events {
		if n := audited[fmt.Sprintf("seal.%s %d", e.kind, e.id)]; n != 1 {
			t.Errorf("event %d (%s %s): %d audit entries, want 1", e.id, e.kind, e.person, n)
		}
		if first, dup := appNos[e.appNo]; dup {
			t.Errorf("events %d and %d are the same request %s: recorded twice", first, e.id, e.appNo)
		}
		appNos[e.appNo] = e.id
		// the history is a valid sequence: register, change…, cancel, register…
		switch {
		case e.kind == Register && current[e.person], e.kind != Register && !current[e.person]:
			t.Errorf("event %d: %s of %s with registration in force = %v", e.id, e.kind, e.person, current[e.person])
		}
		current[e.person] = e.kind != Cancel
		refs := []string{e.imprint, e.appearance, e.signature}
		if e.kind == Cancel {
			if strings.Join(refs, "") != "" {
				t.Errorf("cancellation %d has images", e.id)
			}
			continue
		}
		for i, ref := range refs {
			if ref == "" {
				t.Errorf("event %d (%s, %s): image %d missing: a half-done registration", e.id, e.kind, e.source, i)
				continue
			}
			referenced[ref] = true
			img, err := v.Get(ctx, ref)
			if err != nil {
				t.Errorf("event %d image %s: %v", e.id, ref, err)
				continue
			}
			s := sha256.Sum256(img)
			if !uploads[hex.EncodeToString(s[:])] {
				t.Errorf("event %d image %s decrypts to bytes nobody uploaded", e.id, ref)
			}
		}
	}
	// the store: nothing damaged; orphans and unfinished temporary files counted
	store := l.store()
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
	if err != nil {
		t.Fatal(err)
	}
	if _, p, err := audit.Verify(ctx, d); err != nil || p != nil {
		t.Fatalf("audit chain: %v %v", p, err)
	}
	return orphans, partial
}

func TestCrashWhileRegisteringSeals(t *testing.T) {
	url, dir := dbtest.URL(t)
	l := crashLayout{dir: dir}
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
	officeID, uploads := sealCrashSetup(t, d, l)
	key := make([]byte, 32)
	for i := range key {
		key[i] = byte(i * 7)
	}
	v, err := NewVault(l.store(), key)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(rand.Uint64(), 9))
	const events = `SELECT COUNT(*) FROM seal_events`
	for round := 1; round <= 3; round++ {
		before := countRows(t, d, events)
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), sealCrashEnv+"=1", sealCrashURLEnv+"="+url, sealCrashDirEnv+"="+dir,
			sealCrashKeyEnv+"="+base64.StdEncoding.EncodeToString(key), fmt.Sprintf("%s=%d", sealCrashOfficeEnv, officeID))
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := clock.After(20 * time.Second)
		target := before + 30 + rng.IntN(60)
		for countRows(t, d, events) < target {
			if clock.Passed(deadline) {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("round %d: the child registered too slowly (%d events)", round, countRows(t, d, events))
			}
			time.Sleep(5 * time.Millisecond)
		}
		time.Sleep(time.Duration(rng.IntN(20)) * time.Millisecond)
		if err := cmd.Process.Kill(); err != nil { // SIGKILL: no deferred cleanup, no rollback by the child
			t.Fatal(err)
		}
		err := cmd.Wait()
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != -1 {
			t.Fatalf("round %d: child ended by itself: %v", round, err)
		}
		// Reopen, as a restarted server would.
		d.Close()
		if d, err = db.Open(ctx, url, dir); err != nil {
			t.Fatal(err)
		}
		orphans, partial := sealCrashCheck(t, d, l, v, uploads)
		imported := countRows(t, d, `SELECT COUNT(*) FROM seal_events WHERE source = ?`, ImportSource)
		t.Logf("round %d: killed after %d events (%d cards imported); %d orphan images, %d unfinished temporary files",
			round, countRows(t, d, events), imported, orphans, partial)
		// at most the images of the requests in flight at each kill
		if limit := round * 3 * (crashCounterWorkers + crashImportWorkers); orphans > limit {
			t.Errorf("%d orphan images after %d kills: more than the requests in flight could leave (%d)", orphans, round, limit)
		}
		if t.Failed() {
			t.FailNow()
		}
	}
	// After the restarts: the clerks go on, the import finishes exactly once.
	s := &Store{DB: d}
	imprintFiles, photoFile, sigFile := crashImages(l)
	actor := audit.Actor{Username: "after-crash", Client: "test"}
	var wg sync.WaitGroup
	errs := make(chan error, 2*crashPersonsPerClerk)
	for w := 0; w <= crashCounterWorkers; w++ { // the child's people and new ones
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for k := 0; k < 5; k++ {
				imgs := [][]byte{mustRead(imprintFiles[k%len(imprintFiles)]), mustRead(photoFile), mustRead(sigFile)}
				if err := counterEvent(ctx, s, v, actor, officeID, counterPerson(w, k), fmt.Sprintf("P-%d-%d", w, k), imgs); err != nil {
					errs <- err
					return
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("registering after the crashes: %v", err)
	}
	importedBefore := countRows(t, d, `SELECT COUNT(*) FROM seal_events WHERE source = ?`, ImportSource)
	rep, err := s.Import(ctx, v, l.manifest(), ImportOptions{Actor: actor, Workers: crashImportWorkers})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed != 0 || rep.Skipped != importedBefore || rep.Imported+rep.Skipped != crashCards {
		t.Fatalf("resumed import: imported %d, skipped %d, failed %d; %d cards were imported before", rep.Imported, rep.Skipped, rep.Failed, importedBefore)
	}
	if n := countRows(t, d, `SELECT COUNT(DISTINCT application_no) FROM seal_events WHERE source = ?`, ImportSource); n != crashCards {
		t.Fatalf("%d distinct imported cards, want %d", n, crashCards)
	}
	orphans, partial := sealCrashCheck(t, d, l, v, uploads)
	t.Logf("after the restarts: %d events, %d orphan images, %d unfinished temporary files", countRows(t, d, events), orphans, partial)
}
