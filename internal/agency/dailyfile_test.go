package agency

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/x509"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/traditionalchinese"

	"ebazhao/internal/person"
	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/rocdate"
)

// readFiles returns the three files of an agency's day.
func readFiles(t *testing.T, f *fixture, code string, day civil.Date) (data, man, sig []byte) {
	t.Helper()
	root, _ := f.s.FilesRoot()
	base := filepath.Join(root, code, fileBase(code, day))
	var err error
	if data, err = os.ReadFile(base + ".csv"); err != nil {
		t.Fatal(err)
	}
	if man, err = os.ReadFile(base + ".manifest.json"); err != nil {
		t.Fatal(err)
	}
	if sig, err = os.ReadFile(base + ".manifest.json.sig"); err != nil {
		t.Fatal(err)
	}
	return
}

// checkManifest verifies a file set as an agency would: signature over the
// manifest with the published key, then count and SHA-256 of the data file.
func checkManifest(t *testing.T, f *fixture, data, man, sig []byte) Manifest {
	t.Helper()
	pubPEM, fp, err := f.s.SigningPublicKey()
	if err != nil {
		t.Fatal(err)
	}
	blk, _ := pem.Decode(pubPEM)
	k, err := x509.ParsePKIXPublicKey(blk.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if !ed25519.Verify(k.(ed25519.PublicKey), man, sig) {
		t.Fatal("manifest signature does not verify with the published key")
	}
	var m Manifest
	if err := json.Unmarshal(man, &m); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	if m.SHA256 != hex.EncodeToString(sum[:]) || m.Size != int64(len(data)) || m.SigningKey != fp {
		t.Fatalf("manifest %+v does not match the data file (%d bytes)", m, len(data))
	}
	rows := csvRows(t, m.Encoding, data)
	if len(rows)-1 != m.Count {
		t.Fatalf("manifest count %d, file has %d rows", m.Count, len(rows)-1)
	}
	return m
}

func csvRows(t *testing.T, encoding string, data []byte) [][]string {
	t.Helper()
	if encoding == Big5 {
		var err error
		if data, err = traditionalchinese.Big5.NewDecoder().Bytes(data); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func col(row []string, key string) string {
	for i, c := range FileColumns {
		if c.Key == key {
			return row[i]
		}
	}
	return ""
}

func TestDailyFileIsDeterministicSignedAndComplete(t *testing.T) {
	f := newFixture(t)
	day := f.day()
	// A person whose name holds a character Big5 cannot encode.
	rare := &person.Person{IDNo: "B223456782", Name: "𡍼美玲", AddrHousehold: "臺中市大里區中興路1號", OfficeID: f.clerk.OfficeID}
	if err := (&person.Store{DB: f.d}).Create(f.ctx, audit.Actor{Username: "t"}, rare); err != nil {
		t.Fatal(err)
	}
	f.send(f.moveTo("臺中市北屯區崇德路三段1號", "taipower_taichung", "mvdo_taichung"))
	in := f.moveTo("臺中市太平區中山路1號", "taipower_taichung")
	in.PersonIDNo, in.Fields["old_address"] = rare.IDNo, rare.AddrHousehold
	f.send(in)
	if _, err := f.s.GenerateFile(f.ctx, f.agency("taipower_taichung"), day); !errors.Is(err, ErrDayNotOver) {
		t.Fatalf("file for today: %v", err)
	}

	f.setClock(f.now().Add(24 * time.Hour))
	sum, err := f.s.GenerateDue(f.ctx)
	if err != nil || len(sum.Errs) > 0 {
		t.Fatalf("generate: %v %v", err, sum.Errs)
	}
	if sum.Items != 3 {
		t.Errorf("items in files: %d, want 3", sum.Items)
	}
	power := f.agency("taipower_taichung")
	data, man, sig := readFiles(t, f, "taipower_taichung", day)
	m := checkManifest(t, f, data, man, sig)
	if m.Encoding != Big5 || m.Count != 2 || m.FirstSeq != 1 || m.LastSeq != 2 || m.Day != "2024-07-08" {
		t.Errorf("taipower manifest %+v", m)
	}
	rows := csvRows(t, Big5, data)
	if rows[0][0] != "序號" || col(rows[1], "new_address") != "臺中市北屯區崇德路三段1號" || col(rows[1], "accepted_on") != "1130708" {
		t.Errorf("row 1: %q", rows[1])
	}
	if col(rows[1], "account_no") == "" || col(rows[1], SubjectBirthDate) != "" {
		t.Errorf("utility row must carry the account and no birth date: %q", rows[1])
	}
	if col(rows[2], "name") != "□美玲" || !strings.Contains(col(rows[2], "note"), "U+2137C") {
		t.Errorf("Big5 row with a rare character: name %q note %q", col(rows[2], "name"), col(rows[2], "note"))
	}
	mv, mvMan, mvSig := readFiles(t, f, "mvdo_taichung", day)
	mm := checkManifest(t, f, mv, mvMan, mvSig)
	mvRows := csvRows(t, UTF8, mv)
	if mm.Encoding != UTF8 || col(mvRows[1], SubjectBirthDate) != "0690520" || col(mvRows[1], "name") != "王大明" {
		t.Errorf("監理 file: %+v %q", mm, mvRows[1])
	}
	// An agency without items still gets its (empty) file: "nothing today".
	ed, edMan, edSig := readFiles(t, f, "land_zhongshan", day)
	if em := checkManifest(t, f, ed, edMan, edSig); em.Count != 0 {
		t.Errorf("empty file count %d", em.Count)
	}
	// API-only agencies get no file.
	root, _ := f.s.FilesRoot()
	if _, err := os.Stat(filepath.Join(root, "tax_taichung")); !os.IsNotExist(err) {
		t.Errorf("API-only agency got a folder: %v", err)
	}

	// Same bytes again: rerun, rewrite after loss, after an encoding change, after a key change.
	if sum2, _ := f.s.GenerateDue(f.ctx); sum2.Files != 0 {
		t.Errorf("second run produced %d files", sum2.Files)
	}
	if _, err := f.s.GenerateFile(f.ctx, power, day); err != nil {
		t.Fatal(err)
	}
	same := func(label string) {
		t.Helper()
		d2, m2, s2 := readFiles(t, f, "taipower_taichung", day)
		if !bytes.Equal(d2, data) || !bytes.Equal(m2, man) || !bytes.Equal(s2, sig) {
			t.Errorf("%s: files differ from the first run", label)
		}
	}
	same("rerun")
	os.RemoveAll(filepath.Join(root, "taipower_taichung"))
	if n, err := f.s.Regenerate(f.ctx, day); err != nil || n < 3 {
		t.Fatalf("regenerate: %d %v", n, err)
	}
	same("after the folder was lost")
	power.Encoding = UTF8
	if err := f.s.SaveAgency(f.ctx, audit.Actor{Username: "admin"}, power); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(root, "taipower_taichung", fileBase("taipower_taichung", day)+".csv"))
	f.s.GenerateFile(f.ctx, power, day)
	same("after the agency switched to UTF-8")
	keys, _ := f.s.keysDir()
	os.Remove(filepath.Join(keys, SigningKeyFile))
	f.s.signKey = nil
	os.Remove(filepath.Join(root, "taipower_taichung", fileBase("taipower_taichung", day)+".manifest.json.sig"))
	if _, err := f.s.GenerateFile(f.ctx, power, day); err != nil {
		t.Fatal(err)
	}
	same("after the signing key was replaced")
	// A tampered file on disk is replaced by the recorded bytes.
	p := filepath.Join(root, "taipower_taichung", fileBase("taipower_taichung", day)+".csv")
	os.WriteFile(p, []byte("tampered"), 0o640)
	f.s.GenerateFile(f.ctx, power, day)
	same("after tampering")
}

func TestLateItemsGoToTheNextFileAndMissedDaysAreCaughtUp(t *testing.T) {
	f := newFixture(t)
	f.send(f.moveTo("臺中市北屯區崇德路三段1號", "water4"))
	f.setClock(f.now().Add(24 * time.Hour))
	if _, err := f.s.GenerateDue(f.ctx); err != nil {
		t.Fatal(err)
	}
	// An item released on d0 but committed after d0's file was made (a
	// transaction that straddled midnight) lands in the next day's file.
	f.setClock(f.now().Add(-24 * time.Hour))
	f.send(f.moveTo("臺中市北屯區崇德路三段2號", "water4"))
	// The job then did not run for three days (server down).
	f.setClock(f.now().Add(4 * 24 * time.Hour))
	sum, err := f.s.GenerateDue(f.ctx)
	if err != nil || len(sum.Errs) > 0 {
		t.Fatal(err, sum.Errs)
	}
	water := f.agency("water4")
	files, err := f.s.Files(f.ctx, water.ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	var days []string
	counts := map[string]int{}
	for _, fl := range files {
		days = append(days, fl.Day.ISO())
		counts[fl.Day.ISO()] = fl.Count
	}
	if strings.Join(days, ",") != "2024-07-11,2024-07-10,2024-07-09,2024-07-08" {
		t.Errorf("file days %v", days)
	}
	if counts["2024-07-08"] != 1 || counts["2024-07-09"] != 1 {
		t.Errorf("counts %v: the late item must be in 2024-07-09's file", counts)
	}
	if n := f.count(`SELECT COUNT(*) FROM agency_items WHERE file_id IS NULL AND agency_id = ?`, water.ID); n != 0 {
		t.Errorf("%d items in no file", n)
	}
}

func TestNextRunAndClock(t *testing.T) {
	at, err := ParseClock("01:30")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ now, want string }{
		{"2024-07-08T00:10:00+08:00", "2024-07-08T01:30:00+08:00"},
		{"2024-07-08T01:30:00+08:00", "2024-07-09T01:30:00+08:00"},
		{"2024-07-08T23:59:00+08:00", "2024-07-09T01:30:00+08:00"},
		{"2024-07-07T17:00:00Z", "2024-07-08T01:30:00+08:00"}, // 01:00 in Taipei
	}
	for _, c := range cases {
		now, _ := time.Parse(time.RFC3339, c.now)
		want, _ := time.Parse(time.RFC3339, c.want)
		if got := nextRun(now, at); !got.Equal(want) {
			t.Errorf("nextRun(%s) = %s, want %s", c.now, got, c.want)
		}
	}
	for _, bad := range []string{"", "25:00", "1:3x", "noon"} {
		if _, err := ParseClock(bad); err == nil {
			t.Errorf("ParseClock(%q) accepted", bad)
		}
	}
}

func TestPruneKeepsRecentFiles(t *testing.T) {
	f := newFixture(t)
	f.send(f.moveTo("臺中市北屯區崇德路三段1號", "water4"))
	f.setClock(f.now().Add(24 * time.Hour))
	f.s.GenerateDue(f.ctx)
	f.setClock(f.now().Add(10 * 24 * time.Hour))
	if n, err := f.s.Prune(30); err != nil || n != 0 {
		t.Errorf("prune within retention removed %d (%v)", n, err)
	}
	before := f.count(`SELECT COUNT(*) FROM agency_files`)
	if n, err := f.s.Prune(5); err != nil || n == 0 || n%3 != 0 {
		t.Errorf("prune after retention removed %d (%v), want the three files of each agency", n, err)
	}
	if after := f.count(`SELECT COUNT(*) FROM agency_files`); after != before {
		t.Error("prune removed file records")
	}
	if n, _ := f.s.Regenerate(f.ctx, civil.New(2024, 7, 8)); n == 0 {
		t.Error("a pruned file cannot be written again")
	}
}

func FuzzRenderCSV(f *testing.F) {
	f.Add("王大明", "臺中市西屯區福科路100號", "A123456789")
	f.Add("𡍼美玲", "台中市,\"引號\"\r\n換行", "07-1234")
	f.Add("", "", "")
	f.Fuzz(func(t *testing.T, name, addr, acct string) {
		p := &Payload{Format: PayloadFormat, Name: name, IDNo: acct, AccountNo: acct, AcceptedOn: "2024-07-08", DueOn: "2024-07-15",
			Fields: map[string]string{"new_address": addr, "event_date": "2024-07-08"}}
		items := []FileItem{{Seq: 1, ItemID: 7, Payload: p}}
		for _, enc := range []string{UTF8, Big5} {
			b1, err := RenderCSV(enc, items)
			if err != nil {
				t.Fatalf("%s: %v", enc, err)
			}
			b2, _ := RenderCSV(enc, items)
			if !bytes.Equal(b1, b2) {
				t.Fatal("rendering is not deterministic")
			}
			data := b1
			if enc == Big5 {
				if data, err = traditionalchinese.Big5.NewDecoder().Bytes(b1); err != nil {
					t.Fatalf("big5 output does not decode: %v", err)
				}
			}
			rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
			if err != nil || len(rows) != 2 || len(rows[1]) != len(FileColumns) {
				t.Fatalf("%s: output does not parse back into one row: %v %d", enc, err, len(rows))
			}
			if enc == UTF8 && utf8.ValidString(name) && !strings.Contains(name, "\r") && col(rows[1], "name") != name {
				t.Fatalf("name %q came back as %q", name, col(rows[1], "name"))
			}
		}
	})
}

// The file of 12-31 is named and filled by Taipei's day: an application sent at
// 23:50 on 115.12.31 in Taipei (15:50 UTC) is in taipower_taichung_20261231.csv,
// one sent at 00:10 on 116.1.1 (still 12-31 in UTC) is not, and the job that
// runs in the small hours of 01-01 makes 12-31's file, not 12-30's.
func TestYearEndFileIsTaipeisDay(t *testing.T) {
	f := newFixture(t)
	eve := civil.New(2026, 12, 31)
	f.setClock(time.Date(2026, 12, 31, 23, 50, 0, 0, rocdate.Taipei).UTC())
	f.send(f.moveTo("臺中市北屯區崇德路三段1號", "taipower_taichung"))
	f.setClock(time.Date(2027, 1, 1, 0, 10, 0, 0, rocdate.Taipei).UTC())
	f.send(f.moveTo("臺中市北屯區崇德路三段2號", "taipower_taichung"))
	if _, err := f.s.GenerateDue(f.ctx); err != nil {
		t.Fatal(err)
	}
	if fileBase("taipower_taichung", eve) != "taipower_taichung_20261231" {
		t.Fatalf("file name %s", fileBase("taipower_taichung", eve))
	}
	data, man, sig := readFiles(t, f, "taipower_taichung", eve)
	m := checkManifest(t, f, data, man, sig)
	if m.Day != "2026-12-31" || m.Count != 1 {
		t.Errorf("12-31 manifest: day %s, %d items; want 2026-12-31 with 1", m.Day, m.Count)
	}
	rows := csvRows(t, Big5, data)
	if len(rows) != 2 || col(rows[1], "new_address") != "臺中市北屯區崇德路三段1號" || col(rows[1], "accepted_on") != "1151231" {
		t.Errorf("12-31 rows: %q", rows)
	}
	// The next night's run makes 01-01's file with the other item, dated 1160101.
	f.setClock(time.Date(2027, 1, 2, 1, 40, 0, 0, rocdate.Taipei).UTC())
	if _, err := f.s.GenerateDue(f.ctx); err != nil {
		t.Fatal(err)
	}
	data, _, _ = readFiles(t, f, "taipower_taichung", civil.New(2027, 1, 1))
	if rows := csvRows(t, Big5, data); len(rows) != 2 || col(rows[1], "accepted_on") != "1160101" {
		t.Errorf("01-01 rows: %q", rows)
	}
}
