package seal

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/blob"
	"ebazhao/internal/platform/dbtest"
	"ebazhao/internal/platform/idno"
	"ebazhao/internal/seal/sealgen"
)

// validID completes a 9-character prefix with its check digit.
func validID(t *testing.T, prefix string) string {
	for d := 0; d < 10; d++ {
		if id := fmt.Sprintf("%s%d", prefix, d); idno.Valid(id) {
			return id
		}
	}
	t.Fatalf("no check digit for %s", prefix)
	return ""
}

func pngBytes(img image.Image) []byte {
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}

func TestImportSealCardsResumableWithReport(t *testing.T) {
	d := dbtest.New(t)
	ctx := context.Background()
	dir := t.TempDir()
	var office int64
	if err := d.QueryRow(ctx, `INSERT INTO offices (code, name, city, district, created_at, updated_at) VALUES ('B08', '西屯所', '臺中市', '西屯區', 'x', 'x') RETURNING id`).Scan(&office); err != nil {
		t.Fatal(err)
	}
	a, b, stranger := validID(t, "A12345678"), validID(t, "B22345678"), validID(t, "C12345678")
	for _, id := range []string{a, b} {
		if _, err := d.Exec(ctx, `INSERT INTO persons (id_no, name, office_id, created_at, updated_at) VALUES (?, '測試', ?, 'x', 'x')`, id, office); err != nil {
			t.Fatal(err)
		}
	}
	// generated seal cards
	fonts, err := sealgen.OpenFonts("")
	if err != nil {
		t.Fatalf("CNS11643 fonts are required: %v", err)
	}
	defer fonts.Close()
	rng := rand.New(rand.NewPCG(5, 5))
	card := func(name string) []byte {
		m, err := fonts.Render(sealgen.DesignFor(rng, []rune(name)))
		if err != nil {
			t.Fatal(err)
		}
		imp := sealgen.CardImpression(rng)
		imp.DPI = 200 // small files, quick test
		data, _ := sealgen.Stamp(fonts, m, imp, rng)
		return data
	}
	gray := image.NewGray(image.Rect(0, 0, 60, 40))
	draw.Draw(gray, gray.Rect, image.NewUniform(color.Gray{200}), image.Point{}, draw.Src)
	blank := image.NewRGBA(image.Rect(0, 0, 200, 200))
	draw.Draw(blank, blank.Rect, image.NewUniform(color.RGBA{245, 242, 232, 255}), image.Point{}, draw.Src)
	good := card("王小明")
	files := map[string][]byte{
		"a_2010.png":  card("王小明"),
		"a_2019.png":  good,
		"b.png":       card("林美"),
		"photo.png":   pngBytes(gray),
		"sign.png":    pngBytes(gray),
		"broken.png":  good[:len(good)/3], // truncated scan
		"blank.png":   pngBytes(blank),    // a card without a seal
		"office.png":  card("陳志"),
		"nobody.png":  card("張三"),
		"badid.png":   card("李四"),
		"cancel.png":  card("吳五"),
		"dup_b.png":   card("林美"),
		"later_b.png": card("林美"),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	manifest := filepath.Join(dir, "cards.csv")
	lines := []string{
		"身分證統一編號,登記日期,戶政事務所,印模,印章外觀,簽名,備註",
		a + ",108.8.2,B08,a_2019.png,photo.png,sign.png,", // 2: the later card first
		a + ",2010-03-15,B08,a_2010.png,,,",               // 3: registration
		b + ",1120101,B08,b.png,,sign.png,原登記",            // 4
		"A123456780,2015-01-01,B08,badid.png,,,",          // 5: check digit wrong
		b + ",2023-05-05,B08,broken.png,,,",               // 6: truncated image
		b + ",2023-06-06,B08,blank.png,,,",                // 7: no seal on it
		b + ",2023-07-07,Z99,office.png,,,",               // 8: unknown office
		stranger + ",2023-07-07,B08,nobody.png,,,",        // 9: not in the register
		b + ",2023-08-08,B08,missing.png,,,",              // 10: no such file
		b + ",1120101,B08,b.png,,,",                       // 11: the same card again
		b + ",2099-01-01,B08,later_b.png,,,",              // 12: in the future
		b + ",not a date,B08,later_b.png,,,",              // 13
	}
	if err := os.WriteFile(manifest, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	v, err := NewVault(blob.NewFS(filepath.Join(dir, "blobs")), bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	s := &Store{DB: d}
	opt := ImportOptions{Actor: audit.Actor{Username: "import-test"}, Workers: 2, Today: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	rep, err := s.Import(ctx, v, manifest, opt)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Imported != 3 || rep.Skipped != 0 || rep.Failed != 9 || len(rep.Rows) != 12 {
		t.Fatalf("first run: imported %d skipped %d failed %d of %d: %+v", rep.Imported, rep.Skipped, rep.Failed, len(rep.Rows), rep.Rows)
	}
	wantReason := map[int]string{5: "身分證統一編號有誤", 6: "印模影像損壞", 7: "找不到紅色印文", 8: "代碼「Z99」不存在",
		9: "查無此身分證統一編號", 10: "檔案不存在", 11: "與第 4 行重複", 12: "晚於今日", 13: "無法辨識"}
	for _, r := range rep.Rows {
		want, bad := wantReason[r.Line]
		switch {
		case bad && (r.Status != ImportFailed || !strings.Contains(r.Reason, want)):
			t.Errorf("line %d: %s %q, want failed with %q", r.Line, r.Status, r.Reason, want)
		case !bad && (r.Status != ImportImported || r.EventID == 0):
			t.Errorf("line %d: %s %q, want imported", r.Line, r.Status, r.Reason)
		}
	}
	// A's history: the 2010 card is the registration, the 2019 one a change
	h, err := s.History(ctx, a)
	if err != nil || len(h) != 2 {
		t.Fatalf("history of %s: %v %d events", a, err, len(h))
	}
	if h[0].Kind != Change || h[1].Kind != Register || h[0].Date.Year() != 2019 || h[0].Source != ImportSource || h[0].OfficeID != office {
		t.Errorf("history %+v / %+v", h[0], h[1])
	}
	if h[0].AppearanceRef == "" || h[0].SignatureRef == "" || h[1].AppearanceRef != "" {
		t.Errorf("photo/signature refs: %q %q %q", h[0].AppearanceRef, h[0].SignatureRef, h[1].AppearanceRef)
	}
	got, err := v.Get(ctx, h[0].ImprintRef)
	if err != nil || !bytes.Equal(got, good) {
		t.Errorf("imprint not stored as scanned (err %v)", err)
	}
	// the blob on disk is ciphertext, not the PNG
	raw, err := blob.Get(ctx, blob.NewFS(filepath.Join(dir, "blobs")), h[0].ImprintRef)
	if err != nil || bytes.Contains(raw, []byte("PNG")) {
		t.Errorf("imprint stored in the clear (err %v)", err)
	}
	if cur, err := s.Current(ctx, b); err != nil || cur.Note != "原登記" || cur.Kind != Register {
		t.Errorf("current of %s: %v %+v", b, err, cur)
	}
	// a re-run skips what was imported and reports the same failures
	rep2, err := s.Import(ctx, v, manifest, opt)
	if err != nil {
		t.Fatal(err)
	}
	if rep2.Imported != 0 || rep2.Skipped != 3 || rep2.Failed != 9 {
		t.Fatalf("re-run: imported %d skipped %d failed %d", rep2.Imported, rep2.Skipped, rep2.Failed)
	}
	for i, r := range rep2.Rows {
		if r.Status == ImportSkipped && r.EventID != rep.Rows[i].EventID {
			t.Errorf("line %d skipped as event %d, imported as %d", r.Line, r.EventID, rep.Rows[i].EventID)
		}
	}
	// the broken scan replaced by a good one: the next run imports just that card
	if err := os.WriteFile(filepath.Join(dir, "broken.png"), card("林美"), 0o600); err != nil {
		t.Fatal(err)
	}
	rep3, err := s.Import(ctx, v, manifest, opt)
	if err != nil {
		t.Fatal(err)
	}
	if rep3.Imported != 1 || rep3.Skipped != 3 || rep3.Rows[4].Status != ImportImported {
		t.Fatalf("after fixing a scan: imported %d skipped %d, line 6 %s %q", rep3.Imported, rep3.Skipped, rep3.Rows[4].Status, rep3.Rows[4].Reason)
	}
	var n int
	if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM seal_events WHERE source = ?`, ImportSource).Scan(&n); err != nil || n != 4 {
		t.Errorf("%d imported events (%v), want 4", n, err)
	}
	if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'seal.import'`).Scan(&n); err != nil || n != 3 {
		t.Errorf("%d import audit entries (%v), want 3", n, err)
	}
}

func TestImportManifestWithoutRequiredColumns(t *testing.T) {
	d := dbtest.New(t)
	dir := t.TempDir()
	manifest := filepath.Join(dir, "m.csv")
	os.WriteFile(manifest, []byte("id_no,date,imprint\nA123456789,2020-01-01,x.png\n"), 0o600)
	v, _ := NewVault(blob.NewFS(dir), bytes.Repeat([]byte{1}, 32))
	_, err := (&Store{DB: d}).Import(context.Background(), v, manifest, ImportOptions{})
	if err == nil || !strings.Contains(err.Error(), "office") {
		t.Fatalf("err = %v, want a missing office column", err)
	}
}
