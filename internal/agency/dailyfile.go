package agency

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/traditionalchinese"

	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/rocdate"
)

// Column is one column of the daily file.
type Column struct{ Key, Label string }

// FileColumns is the layout of format nplus-e/1: one row per item, in seq
// order, every kind's fields in fixed columns (empty where the kind or the
// agency's field selection has none). Dates are ROC YYYMMDD (1130707).
var FileColumns = []Column{
	{"seq", "序號"}, {"item_id", "通報編號"}, {"application_no", "申請書編號"}, {"accepted_on", "受理日期"}, {"office", "受理戶政事務所"},
	{"kind", "異動類別代碼"}, {"kind_name", "異動類別"}, {"id_no", "統一編號"}, {"name", "姓名"}, {SubjectBirthDate, "出生日期"},
	{"account_no", "用戶號碼"}, {"event_date", "登記日期"}, {"old_address", "原地址"}, {"new_address", "新地址"},
	{"old_name", "原姓名"}, {"new_name", "新姓名"}, {"old_birth_date", "原出生日期"}, {"new_birth_date", "更正後出生日期"},
	{"old_id_no", "原統一編號"}, {"new_id_no", "新統一編號"}, {"child_name", "新生兒姓名"}, {"child_id_no", "新生兒統一編號"},
	{"child_birth_date", "新生兒出生日期"}, {"mailing_address", "健保卡寄送地址"}, {"death_date", "死亡日期"}, {"contact_address", "家屬聯絡地址"},
	{"applicant_name", "申請人姓名"}, {"applicant_id_no", "申請人統一編號"}, {"applicant_relation", "申請人與當事人關係"},
	{"due_on", "約定完成日期"}, {"note", "備註"},
}

var dateColumns = map[string]bool{"accepted_on": true, SubjectBirthDate: true, "event_date": true, "old_birth_date": true,
	"new_birth_date": true, "child_birth_date": true, "death_date": true, "due_on": true}

// FileItem is one row's source: an item's stream position, id and payload.
type FileItem struct {
	Seq     int64
	ItemID  int64
	Payload *Payload
}

// big5Missing replaces a character Big5 cannot hold (a rare name character);
// the note column then names the original by its code point.
const big5Missing = '□'

// rocCompact renders an ISO date of a payload as ROC YYYMMDD.
func rocCompact(iso string) string {
	d, err := civil.ParseISO(iso)
	if err != nil {
		return iso
	}
	return fmt.Sprintf("%03d%02d%02d", d.ROCYear(), int(d.Month()), d.Day())
}

// RenderCSV renders the daily file. It is a pure function of its arguments:
// the same items and encoding always give the same bytes.
func RenderCSV(encoding string, items []FileItem) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	header := make([]string, len(FileColumns))
	for i, c := range FileColumns {
		header[i] = c.Label
	}
	if err := w.Write(header); err != nil {
		return nil, err
	}
	enc := traditionalchinese.Big5.NewEncoder()
	for _, it := range items {
		p := it.Payload
		vals := map[string]string{
			"seq": strconv.FormatInt(it.Seq, 10), "item_id": strconv.FormatInt(it.ItemID, 10), "application_no": p.ApplicationNo,
			"accepted_on": p.AcceptedOn, "office": p.Office, "kind": p.Kind, "kind_name": p.KindName, "id_no": p.IDNo, "name": p.Name,
			"account_no": p.AccountNo, "due_on": p.DueOn,
		}
		for k, v := range p.Fields {
			vals[k] = v
		}
		if p.Applicant != nil {
			vals["applicant_name"], vals["applicant_id_no"], vals["applicant_relation"] = p.Applicant.Name, p.Applicant.IDNo, p.Applicant.Relation
		}
		var notes []string
		rec := make([]string, len(FileColumns))
		for i, c := range FileColumns {
			v := vals[c.Key]
			if dateColumns[c.Key] && v != "" {
				v = rocCompact(v)
			}
			if encoding == Big5 && c.Key != "note" {
				var missing []string
				v, missing = big5Safe(enc.String, v)
				for _, m := range missing {
					notes = append(notes, c.Label+"「"+m+"」")
				}
			}
			rec[i] = v
		}
		if len(notes) > 0 {
			rec[len(rec)-1] = "Big5無法表示：" + strings.Join(notes, "、")
		}
		if err := w.Write(rec); err != nil {
			return nil, err
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, err
	}
	if encoding != Big5 {
		return buf.Bytes(), nil
	}
	out, err := enc.Bytes(buf.Bytes())
	if err != nil {
		return nil, fmt.Errorf("agency file: big5: %w", err)
	}
	return out, nil
}

// big5Safe replaces the characters Big5 cannot encode; missing names each
// replaced one by its code point (𡍼 is U+2137C).
func big5Safe(encode func(string) (string, error), s string) (string, []string) {
	if _, err := encode(s); err == nil {
		return s, nil
	}
	var b strings.Builder
	var missing []string
	for _, r := range s {
		if r == utf8.RuneError {
			b.WriteRune(big5Missing)
			continue
		}
		if _, err := encode(string(r)); err != nil {
			b.WriteRune(big5Missing)
			missing = append(missing, fmt.Sprintf("U+%04X", r))
			continue
		}
		b.WriteRune(r)
	}
	return b.String(), missing
}

// Manifest describes a daily file; its detached ed25519 signature covers the
// manifest bytes, and the manifest holds the data file's SHA-256.
type Manifest struct {
	Format     string   `json:"format"`
	Agency     string   `json:"agency"`
	Day        string   `json:"day"`
	File       string   `json:"file"`
	Encoding   string   `json:"encoding"`
	DateFormat string   `json:"date_format"`
	Count      int      `json:"count"`
	FirstSeq   int64    `json:"first_seq"`
	LastSeq    int64    `json:"last_seq"`
	Size       int64    `json:"size"`
	SHA256     string   `json:"sha256"`
	Columns    []string `json:"columns"`
	SigningKey string   `json:"signing_key"`
}

// Bytes renders the manifest deterministically.
func (m *Manifest) Bytes() []byte {
	b, _ := json.MarshalIndent(m, "", "  ")
	return append(b, '\n')
}

// DailyFile is a generated file as recorded.
type DailyFile struct {
	ID             int64
	AgencyID       int64
	AgencyCode     string
	Day            civil.Date
	Name           string
	Format         string
	Encoding       string
	Count          int
	FirstSeq       int64
	LastSeq        int64
	Size           int64
	SHA256         string
	KeyFingerprint string
	Signature      []byte
	CreatedAt      time.Time
	Downloads      int
	LastDownload   time.Time
}

// File names in an agency folder.
func fileBase(code string, day civil.Date) string { return code + "_" + compactISO(day) }

// compactISO is YYYYMMDD.
func compactISO(d civil.Date) string {
	return fmt.Sprintf("%04d%02d%02d", d.Year(), int(d.Month()), d.Day())
}

// ManifestName and SignatureName name a data file's companions.
func ManifestName(dataName string) string {
	return strings.TrimSuffix(dataName, ".csv") + ".manifest.json"
}
func SignatureName(dataName string) string { return ManifestName(dataName) + ".sig" }

func (f *DailyFile) manifest() *Manifest {
	cols := make([]string, len(FileColumns))
	for i, c := range FileColumns {
		cols[i] = c.Key
	}
	return &Manifest{Format: f.Format, Agency: f.AgencyCode, Day: f.Day.ISO(), File: f.Name, Encoding: f.Encoding, DateFormat: "ROC-YYYMMDD",
		Count: f.Count, FirstSeq: f.FirstSeq, LastSeq: f.LastSeq, Size: f.Size, SHA256: f.SHA256, Columns: cols, SigningKey: f.KeyFingerprint}
}

// ErrDayNotOver is returned when a file is asked for a day that has not ended.
var ErrDayNotOver = errors.New("當日尚未結束，不能產製該日檔案")

// GenerateFile produces (or reproduces) the agency's file for day and writes
// it with its manifest and signature into the agency's SFTP folder. The first
// run decides which items the file holds (every released, unfiled, open item
// released by the end of day) and records that; every later run renders the
// same rows and checks the bytes against the recorded SHA-256.
func (s *Service) GenerateFile(ctx context.Context, a *Agency, day civil.Date) (*DailyFile, error) {
	if !day.Before(s.today()) {
		return nil, ErrDayNotOver
	}
	root, err := s.FilesRoot()
	if err != nil {
		return nil, err
	}
	f, err := s.fileRow(ctx, s.DB, a.ID, day)
	if errors.Is(err, db.ErrNotFound) {
		f, err = s.createFile(ctx, a, day)
	}
	if err != nil {
		return nil, err
	}
	data, err := s.renderFile(ctx, f)
	if err != nil {
		return nil, err
	}
	if got := sha256Hex(data); got != f.SHA256 {
		return nil, fmt.Errorf("agency file %s: rendered SHA-256 %s differs from the recorded %s", f.Name, got, f.SHA256)
	}
	man := f.manifest().Bytes()
	if err := s.verifyManifest(f, man); err != nil {
		return nil, err
	}
	dir := filepath.Join(root, a.Code)
	for _, part := range []struct {
		name string
		b    []byte
	}{{f.Name, data}, {ManifestName(f.Name), man}, {SignatureName(f.Name), f.Signature}} {
		if err := writeIfChanged(root, dir, part.name, part.b); err != nil {
			return nil, err
		}
	}
	return f, nil
}

func (s *Service) verifyManifest(f *DailyFile, man []byte) error {
	k, err := s.signer()
	if err != nil {
		return err
	}
	if k.fingerprint == f.KeyFingerprint && !ed25519.Verify(k.pub, man, f.Signature) {
		return fmt.Errorf("agency file %s: recorded signature does not verify", f.Name)
	}
	return nil
}

func sha256Hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// createFile assigns the items to a new file row and records its digest and
// signature, all in one transaction.
func (s *Service) createFile(ctx context.Context, a *Agency, day civil.Date) (*DailyFile, error) {
	k, err := s.signer()
	if err != nil {
		return nil, err
	}
	name := fileBase(a.Code, day) + ".csv"
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		var id int64
		err := tx.QueryRow(ctx, `INSERT INTO agency_files (agency_id, day, name, format, encoding, created_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (agency_id, day) DO NOTHING RETURNING id`, a.ID, day, name, PayloadFormat, a.Encoding, db.FormatTime(s.now())).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // another run made it; read it below
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE agency_items SET file_id = ? WHERE agency_id = ? AND file_id IS NULL AND seq IS NOT NULL
			AND released_day <= ? AND acked_at = ''`, id, a.ID, day); err != nil {
			return err
		}
		f, err := s.fileRow(ctx, tx, a.ID, day)
		if err != nil {
			return err
		}
		items, err := fileItems(ctx, tx, id)
		if err != nil {
			return err
		}
		data, err := RenderCSV(f.Encoding, items)
		if err != nil {
			return err
		}
		f.Count, f.Size, f.SHA256, f.KeyFingerprint = len(items), int64(len(data)), sha256Hex(data), k.fingerprint
		if len(items) > 0 {
			f.FirstSeq, f.LastSeq = items[0].Seq, items[len(items)-1].Seq
		}
		f.Signature = ed25519.Sign(k.priv, f.manifest().Bytes())
		if _, err := tx.Exec(ctx, `UPDATE agency_files SET item_count = ?, first_seq = ?, last_seq = ?, size = ?, sha256 = ?, key_fingerprint = ?,
			signature = ? WHERE id = ?`, f.Count, f.FirstSeq, f.LastSeq, f.Size, f.SHA256, f.KeyFingerprint,
			base64.StdEncoding.EncodeToString(f.Signature), id); err != nil {
			return err
		}
		if err := s.fail("file:before-commit"); err != nil {
			return err
		}
		e := audit.For(audit.Actor{Username: "system"}, "agency.file.create", "agency_file", fmt.Sprint(id))
		e.Detail = fmt.Sprintf("%s: %d items, sha256 %s", name, f.Count, f.SHA256)
		return audit.Log(ctx, tx, e)
	})
	if err != nil {
		return nil, err
	}
	return s.fileRow(ctx, s.DB, a.ID, day)
}

const fileCols = `f.id, f.agency_id, a.code, f.day, f.name, f.format, f.encoding, f.item_count, f.first_seq, f.last_seq, f.size, f.sha256,
	f.key_fingerprint, f.signature, f.created_at`

func scanFile(r interface{ Scan(...any) error }) (*DailyFile, error) {
	var f DailyFile
	var sig, created string
	err := r.Scan(&f.ID, &f.AgencyID, &f.AgencyCode, &f.Day, &f.Name, &f.Format, &f.Encoding, &f.Count, &f.FirstSeq, &f.LastSeq, &f.Size,
		&f.SHA256, &f.KeyFingerprint, &sig, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, db.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	f.CreatedAt = parseTime(created)
	if f.Signature, err = base64.StdEncoding.DecodeString(sig); err != nil {
		return nil, fmt.Errorf("agency file %d signature: %w", f.ID, err)
	}
	return &f, nil
}

func (s *Service) fileRow(ctx context.Context, q db.Querier, agencyID int64, day civil.Date) (*DailyFile, error) {
	return scanFile(q.QueryRow(ctx, `SELECT `+fileCols+` FROM agency_files f JOIN agencies a ON a.id = f.agency_id WHERE f.agency_id = ? AND f.day = ?`, agencyID, day))
}

// FileByName finds an agency's file by its data file name.
func (s *Service) FileByName(ctx context.Context, agencyID int64, name string) (*DailyFile, error) {
	return scanFile(s.DB.QueryRow(ctx, `SELECT `+fileCols+` FROM agency_files f JOIN agencies a ON a.id = f.agency_id WHERE f.agency_id = ? AND f.name = ?`, agencyID, name))
}

func fileItems(ctx context.Context, q db.Querier, fileID int64) ([]FileItem, error) {
	rows, err := q.Query(ctx, `SELECT seq, id, payload FROM agency_items WHERE file_id = ? ORDER BY seq`, fileID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []FileItem
	for rows.Next() {
		var it FileItem
		var payload string
		if err := rows.Scan(&it.Seq, &it.ItemID, &payload); err != nil {
			return nil, err
		}
		if it.Payload, err = DecodePayload(payload); err != nil {
			return nil, fmt.Errorf("agency item %d payload: %w", it.ItemID, err)
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

func (s *Service) renderFile(ctx context.Context, f *DailyFile) ([]byte, error) {
	items, err := fileItems(ctx, s.DB, f.ID)
	if err != nil {
		return nil, err
	}
	return RenderCSV(f.Encoding, items)
}

// writeIfChanged places b at dir/name unless the same bytes are there: written
// to a staging file beside the folders, synced, then renamed into place, so an
// agency never sees a half-written file.
func writeIfChanged(root, dir, name string, b []byte) error {
	path := filepath.Join(dir, name)
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, b) {
		return nil
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	staging := filepath.Join(filepath.Dir(root), "staging")
	if err := os.MkdirAll(staging, 0o750); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(staging, name+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o640); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// RunSummary reports one run of the daily job.
type RunSummary struct {
	Files int
	Items int
	Errs  []error
}

// maxCatchUp bounds how many missed days one run produces per agency.
const maxCatchUp = 31

// GenerateDue produces every file that is due: for each active agency taking
// files, each day after its last file up to yesterday (at most maxCatchUp
// days back; an agency without files starts at yesterday). It is what the
// daily job runs, and running it again changes nothing.
func (s *Service) GenerateDue(ctx context.Context) (RunSummary, error) {
	var sum RunSummary
	agencies, err := s.Agencies(ctx, AgencyFilter{ActiveOnly: true})
	if err != nil {
		return sum, err
	}
	yesterday := s.today().AddDays(-1)
	for _, a := range agencies {
		if !a.Files() {
			continue
		}
		var last civil.Date // NULL without files: the zero Date
		if err := s.DB.QueryRow(ctx, `SELECT MAX(day) FROM agency_files WHERE agency_id = ?`, a.ID).Scan(&last); err != nil {
			return sum, err
		}
		start := yesterday
		if !last.IsZero() {
			start = last.AddDays(1)
		}
		if floor := yesterday.AddDays(-maxCatchUp + 1); start.Before(floor) {
			start = floor
		}
		for d := start; !d.After(yesterday); d = d.AddDays(1) {
			f, err := s.GenerateFile(ctx, a, d)
			if err != nil {
				s.Log.Error("agency daily file", "agency", a.Code, "day", d.ISO(), "err", err)
				sum.Errs = append(sum.Errs, fmt.Errorf("%s %s: %w", a.Code, d.ISO(), err))
				continue
			}
			sum.Files++
			sum.Items += f.Count
		}
	}
	return sum, nil
}

// Regenerate writes every recorded file of a day again (after a disk loss);
// the bytes are checked against the recorded digests.
func (s *Service) Regenerate(ctx context.Context, day civil.Date) (int, error) {
	rows, err := s.DB.Query(ctx, `SELECT agency_id FROM agency_files WHERE day = ? ORDER BY agency_id`, day)
	if err != nil {
		return 0, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	n := 0
	for _, id := range ids {
		a, err := s.AgencyByID(ctx, id)
		if err != nil {
			return n, err
		}
		if _, err := s.GenerateFile(ctx, a, day); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// ParseClock reads HH:MM.
func ParseClock(s string) (time.Duration, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("time of day %q: want HH:MM", s)
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, nil
}

// nextRun is the next instant at the time of day `at` (Taipei) after now.
func nextRun(now time.Time, at time.Duration) time.Time {
	l := now.In(rocdate.Taipei)
	run := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, rocdate.Taipei).Add(at)
	if !run.After(l) {
		run = time.Date(l.Year(), l.Month(), l.Day()+1, 0, 0, 0, 0, rocdate.Taipei).Add(at)
	}
	return run
}

// RunDailyFiles is the daily job: it catches up at once, then runs every day
// at `at` (HH:MM, Taipei) until ctx ends. keepDays > 0 removes files older than
// that from the folders (the rows stay; Regenerate can write them again).
func (s *Service) RunDailyFiles(ctx context.Context, at string, keepDays int) error {
	off, err := ParseClock(at)
	if err != nil {
		return err
	}
	for {
		sum, err := s.GenerateDue(ctx)
		if err != nil {
			s.Log.Error("agency daily files", "err", err)
		} else if sum.Files > 0 || len(sum.Errs) > 0 {
			s.Log.Info("agency daily files", "files", sum.Files, "items", sum.Items, "errors", len(sum.Errs))
		}
		if keepDays > 0 {
			if n, err := s.Prune(keepDays); err != nil {
				s.Log.Error("agency file prune", "err", err)
			} else if n > 0 {
				s.Log.Info("agency files pruned", "files", n)
			}
		}
		now := s.now()
		wait := nextRun(now, off).Sub(now)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
	}
}

// Prune removes data, manifest and signature files older than keepDays.
func (s *Service) Prune(keepDays int) (int, error) {
	root, err := s.FilesRoot()
	if err != nil {
		return 0, err
	}
	cutoff := compactISO(s.today().AddDays(-keepDays))
	n := 0
	dirs, err := os.ReadDir(root)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	for _, d := range dirs {
		if !d.IsDir() || !ValidCode(d.Name()) {
			continue
		}
		files, err := os.ReadDir(filepath.Join(root, d.Name()))
		if err != nil {
			return n, err
		}
		prefix := d.Name() + "_"
		for _, f := range files {
			name := f.Name()
			if !strings.HasPrefix(name, prefix) || len(name) < len(prefix)+8 {
				continue
			}
			if day := name[len(prefix) : len(prefix)+8]; day < cutoff {
				if err := os.Remove(filepath.Join(root, d.Name(), name)); err == nil {
					n++
				}
			}
		}
	}
	return n, nil
}

// Files lists an agency's recorded files, newest first, with download counts.
func (s *Service) Files(ctx context.Context, agencyID int64, limit int) ([]*DailyFile, error) {
	rows, err := s.DB.Query(ctx, `SELECT `+fileCols+`, (SELECT COUNT(*) FROM agency_file_downloads d WHERE d.file_id = f.id),
		(SELECT COALESCE(MAX(at), '') FROM agency_file_downloads d WHERE d.file_id = f.id)
		FROM agency_files f JOIN agencies a ON a.id = f.agency_id WHERE f.agency_id = ? ORDER BY f.day DESC LIMIT ?`, agencyID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*DailyFile
	for rows.Next() {
		var dl int
		var last string
		f, err := scanFile(scanFunc(func(dest ...any) error { return rows.Scan(append(dest, &dl, &last)...) }))
		if err != nil {
			return nil, err
		}
		f.Downloads, f.LastDownload = dl, parseTime(last)
		out = append(out, f)
	}
	return out, rows.Err()
}

type scanFunc func(dest ...any) error

func (f scanFunc) Scan(dest ...any) error { return f(dest...) }

// MarkDownloaded records a complete download of a data file over SFTP and marks
// the file's items delivered. Manifests and signatures are not tracked.
func (s *Service) MarkDownloaded(ctx context.Context, agencyCode, name, client, keyFP string) error {
	if !strings.HasSuffix(name, ".csv") {
		return nil
	}
	a, err := s.AgencyByCode(ctx, agencyCode)
	if err != nil {
		return err
	}
	f, err := s.FileByName(ctx, a.ID, name)
	if errors.Is(err, db.ErrNotFound) {
		return nil // a file someone placed by hand
	}
	if err != nil {
		return err
	}
	now := db.FormatTime(s.now())
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO agency_file_downloads (file_id, at, client, key_fingerprint) VALUES (?, ?, ?, ?)`,
			f.ID, now, client, keyFP); err != nil {
			return err
		}
		r, err := tx.Exec(ctx, `UPDATE agency_items SET delivered_at = ?, delivered_via = 'sftp' WHERE file_id = ? AND delivered_at = ''`, now, f.ID)
		if err != nil {
			return err
		}
		n, _ := r.RowsAffected()
		e := audit.For(agencyActor(a, client), "agency.sftp.download", "agency_file", fmt.Sprint(f.ID))
		e.Detail = fmt.Sprintf("%s (%d items, %d newly delivered) key %s", name, f.Count, n, keyFP)
		return audit.Log(ctx, tx, e)
	})
}

// DayROC is the file's day as shown to staff.
func (f *DailyFile) DayROC() string { return f.Day.ROCShort() }
