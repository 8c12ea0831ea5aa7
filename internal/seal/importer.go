package seal

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/clock"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/idno"
	"ebazhao/internal/platform/rocdate"
	"ebazhao/internal/seal/compare"
)

// ImportSource marks seal events that came from a bulk import of seal cards;
// with the card's key in application_no it makes an import resumable (index
// seal_events_import).
const ImportSource = "import"

// Manifest columns (印鑑條清冊). Headers are matched case-insensitively;
// the Chinese names are accepted too. Extra columns are ignored.
var manifestColumns = map[string][]string{
	"id_no":     {"id_no", "idno", "身分證統一編號", "統一編號", "身分證號"},
	"date":      {"date", "registered", "登記日期", "日期"},
	"office":    {"office", "office_code", "戶政事務所", "戶所代碼", "所別"},
	"imprint":   {"imprint", "印模"},
	"photo":     {"photo", "appearance", "印章外觀", "印章照片"},
	"signature": {"signature", "簽名"},
	"kind":      {"kind", "異動別"},
	"card_no":   {"card_no", "application_no", "印鑑條編號", "申請書號"},
	"note":      {"note", "備註"},
}

// ImportOptions configure a bulk import.
type ImportOptions struct {
	Actor audit.Actor
	// AllowUnknownPerson imports cards of people not in the population
	// register too; by default such a card fails (a typo in the ID, or a
	// person not yet migrated).
	AllowUnknownPerson bool
	Workers            int       // 0: one per CPU
	Progress           io.Writer // a line every ProgressEvery rows when set
	ProgressEvery      int
	// Today bounds registration dates (default: today in Taipei).
	Today time.Time
}

// Import row outcomes.
const (
	ImportImported = "imported"
	ImportSkipped  = "skipped" // imported by an earlier run
	ImportFailed   = "failed"
)

// ImportRow is the outcome of one manifest line.
type ImportRow struct {
	Line    int    // line in the manifest (the header is line 1)
	IDNo    string // as normalised, or as written when invalid
	Key     string // the card's key in application_no
	Status  string
	Reason  string // why it failed, in Chinese
	EventID int64  // the seal event (imported or found)
}

// ImportReport sums up a run.
type ImportReport struct {
	Manifest                  string
	Rows                      []ImportRow // in manifest order
	Imported, Skipped, Failed int
	Elapsed                   time.Duration
}

// importRow is a parsed manifest line.
type importRow struct {
	line                  int
	idNo, kind, note, key string
	date                  time.Time
	officeID              int64
	imprint, photo, sig   string // paths
	out                   *ImportRow
}

// Import reads a manifest of scanned seal cards (CSV: person ID, registration
// date, office code, image files of the imprint, the seal's photo and the
// signature, relative to the manifest's folder) and records each card as a
// seal event with its images encrypted in the vault. A re-run skips the cards
// already imported; bad lines are reported and do not stop the run. The
// cards of one person are recorded in date order: the first is a
// registration (登記) unless the person already has one, later ones are
// changes (變更), unless the manifest's kind column says otherwise.
func (s *Store) Import(ctx context.Context, v *Vault, manifest string, opt ImportOptions) (*ImportReport, error) {
	start := clock.Start()
	if v == nil {
		return nil, errors.New("seal import: the image vault is not available (seal key)")
	}
	if opt.Workers <= 0 {
		opt.Workers = runtime.GOMAXPROCS(0)
	}
	if opt.ProgressEvery <= 0 {
		opt.ProgressEvery = 1000
	}
	if opt.Today.IsZero() {
		opt.Today = s.Today()
	}
	f, err := os.Open(manifest)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := s.parseManifest(ctx, f, filepath.Dir(manifest), opt)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", manifest, err)
	}
	rep := &ImportReport{Manifest: manifest}
	// one person's cards in date order, by one worker
	byPerson := map[string][]*importRow{}
	var order []string
	for _, r := range rows {
		if r.out.Status != "" {
			continue // failed while parsing
		}
		if _, ok := byPerson[r.idNo]; !ok {
			order = append(order, r.idNo)
		}
		byPerson[r.idNo] = append(byPerson[r.idNo], r)
	}
	jobs := make(chan []*importRow)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for w := 0; w < opt.Workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for group := range jobs {
				for _, r := range group {
					s.importCard(ctx, v, r, opt)
				}
				mu.Lock()
				before := done / opt.ProgressEvery
				done += len(group)
				if opt.Progress != nil && done/opt.ProgressEvery > before {
					fmt.Fprintf(opt.Progress, "seal import: %d of %d cards (%s)\n", done, len(rows), start.Elapsed().Round(time.Second))
				}
				mu.Unlock()
			}
		}()
	}
	for _, id := range order {
		group := byPerson[id]
		sort.SliceStable(group, func(i, j int) bool { return group[i].date.Before(group[j].date) })
		select {
		case jobs <- group:
		case <-ctx.Done():
		}
	}
	close(jobs)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, r := range rows {
		rep.Rows = append(rep.Rows, *r.out)
		switch r.out.Status {
		case ImportImported:
			rep.Imported++
		case ImportSkipped:
			rep.Skipped++
		default:
			rep.Failed++
		}
	}
	rep.Elapsed = start.Elapsed()
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		a := audit.For(opt.Actor, "seal.import", "seal_import", filepath.Base(manifest))
		a.Detail = fmt.Sprintf("manifest=%s imported=%d skipped=%d failed=%d", manifest, rep.Imported, rep.Skipped, rep.Failed)
		return audit.Log(ctx, tx, a)
	})
	return rep, err
}

// parseManifest reads and checks every line; lines that cannot be imported
// get their failure now.
func (s *Store) parseManifest(ctx context.Context, r io.Reader, dir string, opt ImportOptions) ([]*importRow, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("read header: %w", err)
	}
	col := map[string]int{}
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		for name, aliases := range manifestColumns {
			for _, a := range aliases {
				if h == strings.ToLower(a) {
					if _, dup := col[name]; !dup {
						col[name] = i
					}
				}
			}
		}
	}
	for _, need := range []string{"id_no", "date", "office", "imprint"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("the header must name the columns id_no, date, office and imprint (missing %s)", need)
		}
	}
	offices := map[string]int64{}
	keys := map[string]int{}
	var rows []*importRow
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		out := &ImportRow{Line: line}
		r := &importRow{line: line, out: out}
		rows = append(rows, r)
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return nil, err
			}
			out.Status, out.Reason = ImportFailed, "清冊格式錯誤："+pe.Err.Error()
			continue
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		fail := func(msg string) { out.Status, out.Reason = ImportFailed, msg }
		out.IDNo = get("id_no")
		if _, err := idno.Validate(out.IDNo); err != nil {
			fail("身分證統一編號有誤（" + err.Error() + "）")
			continue
		}
		r.idNo = idno.Normalize(out.IDNo)
		out.IDNo = r.idNo
		d, err := rocdate.Parse(get("date"))
		if err != nil {
			fail(fmt.Sprintf("登記日期「%s」無法辨識", get("date")))
			continue
		}
		if d.After(opt.Today) {
			fail(fmt.Sprintf("登記日期 %s 晚於今日", d.Format("2006-01-02")))
			continue
		}
		r.date = d
		code := get("office")
		id, ok := offices[code]
		if !ok {
			err := s.DB.QueryRow(ctx, `SELECT id FROM offices WHERE code = ?`, code).Scan(&id)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return nil, err
			}
			offices[code] = id // 0: unknown
		}
		if id == 0 {
			fail(fmt.Sprintf("戶政事務所代碼「%s」不存在", code))
			continue
		}
		r.officeID = id
		switch k := get("kind"); k {
		case "":
		case Register, "登記":
			r.kind = Register
		case Change, "變更":
			r.kind = Change
		case Cancel, "註銷":
			r.kind = Cancel
		default:
			fail(fmt.Sprintf("異動別「%s」應為 register、change 或 cancel（登記、變更、註銷）", k))
			continue
		}
		path := func(p string) string {
			if p == "" || filepath.IsAbs(p) {
				return p
			}
			return filepath.Join(dir, p)
		}
		r.imprint, r.photo, r.sig = path(get("imprint")), path(get("photo")), path(get("signature"))
		if r.imprint == "" && r.kind != Cancel {
			fail("缺少印模影像")
			continue
		}
		r.note = get("note")
		// the card's key: its number, else a digest of who, when and which scan
		if no := get("card_no"); no != "" {
			r.key = no
		} else {
			h := sha256.Sum256([]byte(r.idNo + "|" + d.Format("2006-01-02") + "|" + get("imprint")))
			r.key = "IMP-" + hex.EncodeToString(h[:8])
		}
		out.Key = r.key
		if first, dup := keys[r.key]; dup {
			fail(fmt.Sprintf("與第 %d 行重複（同一印鑑條）", first))
			continue
		}
		keys[r.key] = line
	}
	return rows, nil
}

// importCard records one card, setting r.out.
func (s *Store) importCard(ctx context.Context, v *Vault, r *importRow, opt ImportOptions) {
	out := r.out
	fail := func(msg string) { out.Status, out.Reason = ImportFailed, msg }
	// imported already?
	var id int64
	err := s.DB.QueryRow(ctx, `SELECT id FROM seal_events WHERE source = ? AND application_no = ?`, ImportSource, r.key).Scan(&id)
	switch {
	case err == nil:
		out.Status, out.EventID = ImportSkipped, id
		return
	case !errors.Is(err, sql.ErrNoRows):
		fail("資料庫錯誤：" + err.Error())
		return
	}
	if !opt.AllowUnknownPerson {
		var n int
		if err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM persons WHERE id_no = ?`, r.idNo).Scan(&n); err != nil {
			fail("資料庫錯誤：" + err.Error())
			return
		}
		if n == 0 {
			fail("人口資料中查無此身分證統一編號")
			return
		}
	}
	e := &Event{PersonIDNo: r.idNo, Kind: r.kind, Date: r.date, OfficeID: r.officeID, ClerkName: "印鑑條匯入",
		ApplicationNo: r.key, Note: r.note, Source: ImportSource}
	// the images: decoded to prove them readable, the imprint must hold seal ink
	images := []struct {
		path, label string
		ref         *string
		seal        bool
	}{{r.imprint, "印模", &e.ImprintRef, true}, {r.photo, "印章外觀", &e.AppearanceRef, false}, {r.sig, "簽名", &e.SignatureRef, false}}
	for _, im := range images {
		if im.path == "" {
			continue
		}
		b, err := os.ReadFile(im.path)
		if err != nil {
			fail(fmt.Sprintf("%s影像無法讀取（%s）", im.label, readErr(err)))
			return
		}
		img, err := compare.DecodeBytes(b)
		if err != nil {
			fail(fmt.Sprintf("%s影像損壞或格式不符（%v）", im.label, err))
			return
		}
		if im.seal {
			if _, err := compare.Prepare(img); err != nil {
				fail("印模影像中找不到紅色印文")
				return
			}
		}
		ref, err := v.Put(ctx, b)
		if err != nil {
			fail("影像儲存失敗：" + err.Error())
			return
		}
		*im.ref = ref
	}
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		if err := lockPerson(ctx, tx, r.idNo); err != nil {
			return err
		}
		events, err := eventsOf(ctx, tx, r.idNo)
		if err != nil {
			return err
		}
		if last := lastEvent(events); last != nil && rocdate.ISO(last.Date) > rocdate.ISO(r.date) {
			return userErr(fmt.Sprintf("登記日期早於此人最近一筆印鑑紀錄（%s），歷史須依日期順序匯入", rocdate.ISO(last.Date)))
		}
		if e.Kind == "" {
			e.Kind = Register
			if CurrentOn(events, e.Date) != nil {
				e.Kind = Change
			}
		}
		if e.Kind != Cancel && e.ImprintRef == "" {
			return userErr("登記或變更印鑑須附印模影像")
		}
		if err := checkSequence(events, e, opt.Today); err != nil {
			return err
		}
		return s.insertEventTx(ctx, tx, opt.Actor, e, "")
	})
	var ue *UserError
	switch {
	case err == nil:
		out.Status, out.EventID = ImportImported, e.ID
	case errors.As(err, &ue):
		fail(ue.Msg)
	default:
		fail("資料庫錯誤：" + err.Error())
	}
}

func readErr(err error) string {
	switch {
	case errors.Is(err, os.ErrNotExist):
		return "檔案不存在"
	case errors.Is(err, os.ErrPermission):
		return "無讀取權限"
	}
	return err.Error()
}
