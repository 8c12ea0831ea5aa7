// Package form is the forms library (各項表單子系統): every service form of the
// household registration offices, sorted into categories by registration
// business, maintained once by a supervisor and printed by any counter on
// demand — blank or pre-filled from the person register — always in the version
// in force that day. Older versions stay readable. Every print is counted per
// form and office.
package form

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"

	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/blob"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
)

// Form kinds.
const (
	KindTemplate = "template" // defined in ebazhao as a Spec
	KindFile     = "file"     // an uploaded file designed elsewhere
)

// codePattern is what a form code looks like (used in URLs).
var codePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,59}$`)

// MaxFileSize limits an uploaded form file.
const MaxFileSize = 8 << 20

// Print modes counted in the statistics.
const (
	ModeBlank  = "blank"
	ModeFilled = "filled"
	ModeFile   = "file"
)

// Category is a registration business the forms are sorted by.
type Category struct {
	ID        int64
	Code      string
	Name      string
	SortOrder int
	Count     int // active forms visible to the caller
}

// Form is one form of the library.
type Form struct {
	ID           int64
	Code         string
	CategoryID   int64
	CategoryCode string
	CategoryName string
	Name         string
	Keywords     string // other names people use, comma separated
	Description  string // when the form is used
	Kind         string
	OfficeID     int64 // 0 = city-wide
	Maintainer   string
	SortOrder    int
	RetiredAt    time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Retired reports whether the form was withdrawn.
func (f *Form) Retired() bool { return !f.RetiredAt.IsZero() }

// KindLabel is the kind in Chinese.
func (f *Form) KindLabel() string {
	if f.Kind == KindTemplate {
		return "系統範本"
	}
	return "上傳檔案"
}

// Version is one version of a form with the day it takes effect.
type Version struct {
	ID            int64
	FormID        int64
	No            int
	EffectiveFrom civil.Date
	Note          string
	SpecJSON      string
	FileName      string
	FileSize      int64
	FileSHA256    string
	CreatedAt     time.Time
	CreatedBy     string
}

// Spec parses the version's template (nil for a file version).
func (v *Version) Spec() (*Spec, error) {
	if v.SpecJSON == "" {
		return nil, nil
	}
	return ParseSpec([]byte(v.SpecJSON))
}

// HasFile reports whether the version carries an uploaded file.
func (v *Version) HasFile() bool { return v.FileSHA256 != "" }

// Store reads and writes the forms library.
type Store struct {
	DB    *db.DB
	Blobs blob.Store       // uploaded form files
	Now   func() time.Time // nil: the database's clock
}

func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return s.DB.Now()
}

// Today is the current civil day in Taipei.
func (s *Store) Today() civil.Date { return civil.Of(s.now()) }

// ValidationError is bad input; its text is a message for the user.
type ValidationError struct{ Msg string }

func (e *ValidationError) Error() string { return e.Msg }

func invalid(format string, a ...any) error { return &ValidationError{Msg: fmt.Sprintf(format, a...)} }

// Categories lists the categories with the number of active forms visible to officeID
// (officeID < 0: every office's forms).
func (s *Store) Categories(ctx context.Context, officeID int64) ([]Category, error) {
	rows, err := s.DB.Query(ctx, `SELECT c.id, c.code, c.name, c.sort_order,
		(SELECT COUNT(*) FROM forms f WHERE f.category_id = c.id AND f.retired_at = '' AND (? < 0 OR f.office_id = 0 OR f.office_id = ?))
		FROM form_categories c ORDER BY c.sort_order, c.id`, officeID, officeID)
	if err != nil {
		return nil, fmt.Errorf("form categories: %w", err)
	}
	defer rows.Close()
	var out []Category
	for rows.Next() {
		var c Category
		if err := rows.Scan(&c.ID, &c.Code, &c.Name, &c.SortOrder, &c.Count); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// CategoryByCode loads one category.
func (s *Store) CategoryByCode(ctx context.Context, code string) (*Category, error) {
	var c Category
	err := s.DB.QueryRow(ctx, `SELECT id, code, name, sort_order FROM form_categories WHERE code = ?`, code).Scan(&c.ID, &c.Code, &c.Name, &c.SortOrder)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("form category %q: %w", code, db.ErrNotFound)
	}
	return &c, err
}

const formCols = `f.id, f.code, f.category_id, c.code, c.name, f.name, f.keywords, f.description, f.kind, f.office_id,
	f.maintainer, f.sort_order, f.retired_at, f.created_at, f.updated_at`

func scanForm(r interface{ Scan(...any) error }) (*Form, error) {
	var f Form
	var retired, created, updated string
	if err := r.Scan(&f.ID, &f.Code, &f.CategoryID, &f.CategoryCode, &f.CategoryName, &f.Name, &f.Keywords, &f.Description,
		&f.Kind, &f.OfficeID, &f.Maintainer, &f.SortOrder, &retired, &created, &updated); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, db.ErrNotFound
		}
		return nil, err
	}
	if retired != "" {
		f.RetiredAt = db.ParseTime(retired)
	}
	f.CreatedAt, f.UpdatedAt = db.ParseTime(created), db.ParseTime(updated)
	return &f, nil
}

// Filter selects forms for List.
type Filter struct {
	Category       string // category code; "" = all
	OfficeID       int64  // show city-wide forms and this office's own; < 0 = every office's
	IncludeRetired bool
}

// List returns the forms matching f in catalogue order.
func (s *Store) List(ctx context.Context, f Filter) ([]*Form, error) {
	q := `SELECT ` + formCols + ` FROM forms f JOIN form_categories c ON c.id = f.category_id
		WHERE (? = '' OR c.code = ?) AND (? < 0 OR f.office_id = 0 OR f.office_id = ?)`
	if !f.IncludeRetired {
		q += ` AND f.retired_at = ''`
	}
	q += ` ORDER BY c.sort_order, f.sort_order, f.id`
	rows, err := s.DB.Query(ctx, q, f.Category, f.Category, f.OfficeID, f.OfficeID)
	if err != nil {
		return nil, fmt.Errorf("form list: %w", err)
	}
	defer rows.Close()
	var out []*Form
	for rows.Next() {
		fm, err := scanForm(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, fm)
	}
	return out, rows.Err()
}

// ByCode loads a form by its code.
func (s *Store) ByCode(ctx context.Context, code string) (*Form, error) {
	f, err := scanForm(s.DB.QueryRow(ctx, `SELECT `+formCols+` FROM forms f JOIN form_categories c ON c.id = f.category_id WHERE f.code = ?`, code))
	if err != nil {
		return nil, fmt.Errorf("form %q: %w", code, err)
	}
	return f, nil
}

// ByID loads a form by id.
func (s *Store) ByID(ctx context.Context, id int64) (*Form, error) {
	f, err := scanForm(s.DB.QueryRow(ctx, `SELECT `+formCols+` FROM forms f JOIN form_categories c ON c.id = f.category_id WHERE f.id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("form %d: %w", id, err)
	}
	return f, nil
}

const versionCols = `v.id, v.form_id, v.version_no, v.effective_from, v.note, v.spec, v.file_name,
	v.file_size, v.file_sha256, v.created_at, v.created_by`

func scanVersion(r interface{ Scan(...any) error }) (*Version, error) {
	var v Version
	var created string
	if err := r.Scan(&v.ID, &v.FormID, &v.No, &v.EffectiveFrom, &v.Note, &v.SpecJSON, &v.FileName, &v.FileSize, &v.FileSHA256, &created, &v.CreatedBy); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, db.ErrNotFound
		}
		return nil, err
	}
	v.CreatedAt = db.ParseTime(created)
	return &v, nil
}

// Versions lists every version of a form, newest first.
func (s *Store) Versions(ctx context.Context, formID int64) ([]*Version, error) {
	rows, err := s.DB.Query(ctx, `SELECT `+versionCols+` FROM form_versions v
		WHERE v.form_id = ? ORDER BY v.version_no DESC`, formID)
	if err != nil {
		return nil, fmt.Errorf("form versions: %w", err)
	}
	defer rows.Close()
	var out []*Version
	for rows.Next() {
		v, err := scanVersion(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// InForce returns the version in force on day: the latest effective date on or
// before day, and among versions of that date the last one made.
func (s *Store) InForce(ctx context.Context, formID int64, day civil.Date) (*Version, error) {
	v, err := scanVersion(s.DB.QueryRow(ctx, `SELECT `+versionCols+` FROM form_versions v
		WHERE v.form_id = ? AND v.effective_from <= ? ORDER BY v.effective_from DESC, v.version_no DESC LIMIT 1`, formID, day))
	if err != nil {
		return nil, fmt.Errorf("form %d version in force on %s: %w", formID, day.ISO(), err)
	}
	return v, nil
}

// VersionByNo loads one version.
func (s *Store) VersionByNo(ctx context.Context, formID int64, no int) (*Version, error) {
	v, err := scanVersion(s.DB.QueryRow(ctx, `SELECT `+versionCols+` FROM form_versions v
		WHERE v.form_id = ? AND v.version_no = ?`, formID, no))
	if err != nil {
		return nil, fmt.Errorf("form %d version %d: %w", formID, no, err)
	}
	return v, nil
}

// File returns a version's uploaded file, verified against its hash.
func (s *Store) File(ctx context.Context, v *Version) ([]byte, error) {
	if !v.HasFile() {
		return nil, fmt.Errorf("form version %d has no file: %w", v.ID, db.ErrNotFound)
	}
	if s.Blobs == nil {
		return nil, errors.New("form: no blob store configured")
	}
	b, err := blob.Get(ctx, s.Blobs, v.FileSHA256)
	if err != nil {
		return nil, fmt.Errorf("form file %s: %w", v.FileSHA256, err)
	}
	return b, nil
}

// NewVersion is what a supervisor submits for a new version.
type NewVersion struct {
	EffectiveFrom civil.Date
	Note          string
	Spec          string // template forms: the layout JSON
	File          []byte // file forms: the PDF
	FileName      string
}

// checkVersion validates v for form f and returns the normalized spec JSON.
func checkVersion(f *Form, v *NewVersion) (string, error) {
	if v.EffectiveFrom.IsZero() {
		return "", invalid("請輸入生效日期")
	}
	if len([]rune(v.Note)) > 500 {
		return "", invalid("修正說明過長（最多500字）")
	}
	switch f.Kind {
	case KindTemplate:
		if len(v.File) > 0 {
			return "", invalid("系統範本表單不接受上傳檔案；請修改表單定義")
		}
		sp, err := ParseSpec([]byte(v.Spec))
		if err != nil {
			return "", &ValidationError{Msg: err.Error()}
		}
		return sp.JSON(), nil
	case KindFile:
		if len(v.File) == 0 {
			return "", invalid("請選擇要上傳的表單檔案（PDF）")
		}
		if len(v.File) > MaxFileSize {
			return "", invalid("檔案過大（%.1f MB），上限為 %d MB", float64(len(v.File))/(1<<20), MaxFileSize>>20)
		}
		if ct := http.DetectContentType(v.File); ct != "application/pdf" {
			return "", invalid("只接受 PDF 檔案（收到的是 %s）", ct)
		}
		if strings.TrimSpace(v.FileName) == "" {
			v.FileName = f.Code + ".pdf"
		}
		v.FileName = cleanFileName(v.FileName)
		return "", nil
	}
	return "", invalid("未知的表單種類")
}

func cleanFileName(n string) string {
	n = n[strings.LastIndexAny(n, `/\`)+1:]
	n = strings.Map(func(r rune) rune {
		if r < 32 || r == '"' {
			return -1
		}
		return r
	}, n)
	if r := []rune(n); len(r) > 120 {
		n = string(r[len(r)-120:])
	}
	return n
}

// checkForm validates a form's metadata.
func checkForm(f *Form) error {
	f.Name, f.Code = strings.TrimSpace(f.Name), strings.TrimSpace(f.Code)
	f.Keywords, f.Description, f.Maintainer = strings.TrimSpace(f.Keywords), strings.TrimSpace(f.Description), strings.TrimSpace(f.Maintainer)
	if f.Name == "" {
		return invalid("請輸入表單名稱")
	}
	if len([]rune(f.Name)) > 80 {
		return invalid("表單名稱過長（最多80字）")
	}
	if !codePattern.MatchString(f.Code) {
		return invalid("表單代碼「%s」格式錯誤：限小寫英文、數字與連字號，2 至 60 字", f.Code)
	}
	if f.Kind != KindTemplate && f.Kind != KindFile {
		return invalid("請選擇表單種類（系統範本或上傳檔案）")
	}
	if len([]rune(f.Keywords)) > 300 || len([]rune(f.Description)) > 1000 || len([]rune(f.Maintainer)) > 60 {
		return invalid("關鍵字、說明或維護人過長")
	}
	return nil
}

// Create adds a form with its first version, in one transaction with the audit entry.
func (s *Store) Create(ctx context.Context, actor audit.Actor, f *Form, first NewVersion) (*Version, error) {
	if err := checkForm(f); err != nil {
		return nil, err
	}
	var v *Version
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT id, name FROM form_categories WHERE code = ?`, f.CategoryCode).Scan(&f.CategoryID, &f.CategoryName); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return invalid("請選擇表單類別")
			}
			return err
		}
		now := db.FormatTime(s.now())
		err := tx.QueryRow(ctx, `INSERT INTO forms (code, category_id, name, keywords, description, kind, office_id, maintainer, sort_order, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			f.Code, f.CategoryID, f.Name, f.Keywords, f.Description, f.Kind, f.OfficeID, f.Maintainer, f.SortOrder, now, now).Scan(&f.ID)
		if db.IsUniqueViolation(err) {
			return invalid("表單代碼「%s」已被使用", f.Code)
		}
		if err != nil {
			return err
		}
		e := audit.For(actor, "form.create", "form", f.Code)
		e.Detail = f.Name
		if err := audit.Log(ctx, tx, e); err != nil {
			return err
		}
		v, err = s.addVersion(ctx, tx, actor, f, first, true)
		return err
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// Update changes a form's metadata (name, category, keywords, maintainer …).
func (s *Store) Update(ctx context.Context, actor audit.Actor, f *Form) error {
	if err := checkForm(f); err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT id FROM form_categories WHERE code = ?`, f.CategoryCode).Scan(&f.CategoryID); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return invalid("請選擇表單類別")
			}
			return err
		}
		res, err := tx.Exec(ctx, `UPDATE forms SET category_id = ?, name = ?, keywords = ?, description = ?, maintainer = ?, sort_order = ?, updated_at = ?
			WHERE id = ?`, f.CategoryID, f.Name, f.Keywords, f.Description, f.Maintainer, f.SortOrder, db.FormatTime(s.now()), f.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return db.ErrNotFound
		}
		e := audit.For(actor, "form.update", "form", f.Code)
		e.Detail = f.Name
		return audit.Log(ctx, tx, e)
	})
}

// AddVersion adds a version to form f. Its effective date may not lie before
// today: what was in force on a past day never changes.
func (s *Store) AddVersion(ctx context.Context, actor audit.Actor, f *Form, nv NewVersion) (*Version, error) {
	var v *Version
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var err error
		v, err = s.addVersion(ctx, tx, actor, f, nv, false)
		return err
	})
	return v, err
}

func (s *Store) addVersion(ctx context.Context, tx *db.Tx, actor audit.Actor, f *Form, nv NewVersion, first bool) (*Version, error) {
	spec, err := checkVersion(f, &nv)
	if err != nil {
		return nil, err
	}
	if !first && nv.EffectiveFrom.Before(s.Today()) {
		return nil, invalid("生效日期不可早於今天（%s）：已生效的版本不可追溯變更", s.Today().ROC())
	}
	var no int
	if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(version_no), 0) + 1 FROM form_versions WHERE form_id = ?`, f.ID).Scan(&no); err != nil {
		return nil, err
	}
	var ref blob.Ref
	if len(nv.File) > 0 {
		if s.Blobs == nil {
			return nil, errors.New("form: no blob store configured for uploaded files")
		}
		// Blobs are immutable and content-addressed: storing before the commit is
		// safe, a rolled-back version only leaves an unreferenced blob.
		if ref, err = s.Blobs.Put(ctx, bytes.NewReader(nv.File), MaxFileSize); err != nil {
			return nil, fmt.Errorf("store form file: %w", err)
		}
	}
	now := s.now()
	v := &Version{FormID: f.ID, No: no, EffectiveFrom: nv.EffectiveFrom, Note: strings.TrimSpace(nv.Note), SpecJSON: spec,
		FileName: nv.FileName, FileSize: ref.Size, FileSHA256: ref.Hash, CreatedAt: now, CreatedBy: actor.Username}
	if err := tx.QueryRow(ctx, `INSERT INTO form_versions (form_id, version_no, effective_from, note, spec, file_sha256, file_size, file_name, created_at, created_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, f.ID, no, nv.EffectiveFrom, v.Note, spec, ref.Hash, ref.Size, nv.FileName,
		db.FormatTime(now), actor.Username).Scan(&v.ID); err != nil {
		return nil, fmt.Errorf("insert form version: %w", err)
	}
	if _, err := tx.Exec(ctx, `UPDATE forms SET updated_at = ? WHERE id = ?`, db.FormatTime(now), f.ID); err != nil {
		return nil, err
	}
	e := audit.For(actor, "form.version.add", "form", f.Code)
	e.Detail = fmt.Sprintf("第%d版 生效日 %s %s", no, nv.EffectiveFrom.ISO(), v.Note)
	if err := audit.Log(ctx, tx, e); err != nil {
		return nil, err
	}
	return v, nil
}

// SetRetired withdraws (retired) or restores a form.
func (s *Store) SetRetired(ctx context.Context, actor audit.Actor, f *Form, retired bool) error {
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		at, action := "", "form.restore"
		if retired {
			at, action = db.FormatTime(s.now()), "form.retire"
		}
		if _, err := tx.Exec(ctx, `UPDATE forms SET retired_at = ?, updated_at = ? WHERE id = ?`, at, db.FormatTime(s.now()), f.ID); err != nil {
			return err
		}
		return audit.Log(ctx, tx, audit.For(actor, action, "form", f.Code))
	})
}

// CountPrint adds one print of form formID at officeID today.
func (s *Store) CountPrint(ctx context.Context, q db.Querier, formID, officeID int64, mode string) error {
	_, err := q.Exec(ctx, `INSERT INTO form_print_stats (form_id, office_id, day, mode, n) VALUES (?, ?, ?, ?, 1)
		ON CONFLICT (form_id, office_id, day, mode) DO UPDATE SET n = form_print_stats.n + 1`, formID, officeID, s.Today(), mode)
	if err != nil {
		return fmt.Errorf("count form print: %w", err)
	}
	return nil
}

// StatRow is the number of prints of one form at one office in a period.
type StatRow struct {
	FormCode   string
	FormName   string
	Category   string
	OfficeID   int64
	OfficeName string
	Blank      int64
	Filled     int64
	File       int64
}

// Total is all prints of the row.
func (r StatRow) Total() int64 { return r.Blank + r.Filled + r.File }

// Stats returns prints per form and office between from and to (inclusive);
// officeID 0 means every office.
func (s *Store) Stats(ctx context.Context, from, to civil.Date, officeID int64) ([]StatRow, error) {
	rows, err := s.DB.Query(ctx, `SELECT f.code, f.name, c.name, st.office_id, COALESCE(o.name, ''),
		CAST(SUM(CASE WHEN st.mode = 'blank' THEN st.n ELSE 0 END) AS BIGINT),
		CAST(SUM(CASE WHEN st.mode = 'filled' THEN st.n ELSE 0 END) AS BIGINT),
		CAST(SUM(CASE WHEN st.mode = 'file' THEN st.n ELSE 0 END) AS BIGINT)
		FROM form_print_stats st JOIN forms f ON f.id = st.form_id JOIN form_categories c ON c.id = f.category_id
		LEFT JOIN offices o ON o.id = st.office_id
		WHERE st.day >= ? AND st.day <= ? AND (? = 0 OR st.office_id = ?)
		GROUP BY f.code, f.name, c.name, c.sort_order, f.sort_order, st.office_id, o.name
		ORDER BY SUM(st.n) DESC, c.sort_order, f.sort_order, st.office_id`, from, to, officeID, officeID)
	if err != nil {
		return nil, fmt.Errorf("form stats: %w", err)
	}
	defer rows.Close()
	var out []StatRow
	for rows.Next() {
		var r StatRow
		if err := rows.Scan(&r.FormCode, &r.FormName, &r.Category, &r.OfficeID, &r.OfficeName, &r.Blank, &r.Filled, &r.File); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
