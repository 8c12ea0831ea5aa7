// Package archive is the archived-applications subsystem (申請書影像子系統,
// 作業規範 叁.七): registration applications and their attached documents,
// scanned and indexed so that any office can find them by person, item, date
// and original office, view them and issue certified copies (檔存申請書影本);
// and the cross-district request workflow for documents not scanned yet.
//
// Files live in the content-addressed blob store (internal/platform/blob); the
// database holds the index. Every view of an archived image is audited with the
// purpose and the person's ID.
package archive

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/blob"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/idno"
)

// FeeItem is the fee item a certified copy is charged under (戶政規費).
const FeeItem = "戶籍檔案原始資料影本(檔存申請書影本)"

// Service is the archive: its database, file store and page processor.
type Service struct {
	DB       *db.DB
	Blobs    blob.Store
	Proc     *Processor
	Fonts    *Fonts
	DueAfter time.Duration // how long the original office has for a request
	Now      func() time.Time
}

// NewService returns an archive with default limits, PDF support through
// poppler-utils and the CNS11643 fonts for certification marks.
func NewService(d *db.DB, blobs blob.Store) *Service {
	return &Service{DB: d, Blobs: blobs, Proc: &Processor{Limits: DefaultLimits(), PDF: Poppler{}},
		Fonts: NewFonts(DefaultFontDir), DueAfter: 48 * time.Hour, Now: d.Now}
}

// Item is a registration item (登記項目).
type Item struct {
	Code  string
	Label string
}

// Items lists the active registration items in display order.
func (s *Service) Items(ctx context.Context) ([]Item, error) {
	rows, err := s.DB.Query(ctx, `SELECT code, label FROM archive_items WHERE active = ? ORDER BY sort`, true)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Item
	for rows.Next() {
		var it Item
		if err := rows.Scan(&it.Code, &it.Label); err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// ItemByText finds an item by code or Chinese label.
func (s *Service) ItemByText(ctx context.Context, q db.Querier, text string) (Item, error) {
	text = strings.TrimSpace(text)
	var it Item
	err := q.QueryRow(ctx, `SELECT code, label FROM archive_items WHERE (code = ? OR label = ?) AND active = ?`, text, text, true).Scan(&it.Code, &it.Label)
	if errors.Is(err, sql.ErrNoRows) {
		return Item{}, &InputError{Msg: fmt.Sprintf("登記項目「%s」不存在", text)}
	}
	return it, err
}

// InputError is invalid index data; its text is the message for the user.
type InputError struct{ Msg string }

func (e *InputError) Error() string { return e.Msg }

// DuplicateError is an upload whose file is archived already.
type DuplicateError struct{ DocID int64 }

func (e *DuplicateError) Error() string {
	return fmt.Sprintf("此檔案已建檔（影像編號 %d），不重複儲存", e.DocID)
}

// Person is someone a document concerns.
type Person struct {
	IDNo string `json:"id_no,omitempty"`
	Name string `json:"name"`
	Role string `json:"role,omitempty"` // 當事人, 申請人, 父, 母, 配偶 …
}

// Roles offered on the scanning form.
var Roles = []string{"當事人", "申請人", "父", "母", "配偶", "子女", "被收養人", "收養人", "監護人", "其他"}

// ParsePersons reads "A123456789 王大明 當事人; B2… 李小華" — one person per ';' or
// line, each "ID name [role]" with the ID optional (old records may have none).
func ParsePersons(s string) []Person {
	var out []Person
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '\n' || r == '；' }) {
		f := strings.FieldsFunc(part, func(r rune) bool {
			return r == ' ' || r == '\t' || r == ',' || r == '，' || r == ':' || r == '　' || r == '\r'
		})
		if len(f) == 0 {
			continue
		}
		var p Person
		if looksLikeID(f[0]) {
			p.IDNo, f = f[0], f[1:]
		}
		if len(f) > 0 {
			p.Name, f = f[0], f[1:]
		}
		if len(f) > 0 {
			p.Role = strings.Join(f, " ")
		}
		out = append(out, p)
	}
	return out
}

func looksLikeID(s string) bool {
	n := idno.Normalize(s)
	if len(n) != 10 || n[0] < 'A' || n[0] > 'Z' {
		return false
	}
	for i := 1; i < 10; i++ {
		if !(n[i] >= '0' && n[i] <= '9' || n[i] >= 'A' && n[i] <= 'Z') {
			return false
		}
	}
	return true
}

// DocInput is the index of an upload, as the scanning staff enter it.
type DocInput struct {
	OfficeID   int64 // original office (原登記地戶所)
	Item       string
	RegDate    civil.Date
	Volume     string // 冊
	PageRef    string // 頁
	Note       string
	Persons    []Person
	SourceName string
	RequestID  int64 // the cross-district request this scan fulfils
	Supersedes int64 // the document this rescan replaces
	CityWide   bool  // the actor may act for any office (機房人員)
}

// Earliest registration date in the archive: the seed archives from 民國35年.
var earliest = civil.New(1946, 1, 1)

func (s *Service) validate(ctx context.Context, in *DocInput) error {
	if in.OfficeID == 0 {
		return &InputError{Msg: "請選擇原登記地戶所"}
	}
	var n int
	if err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM offices WHERE id = ?`, in.OfficeID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return &InputError{Msg: "原登記地戶所不存在"}
	}
	it, err := s.ItemByText(ctx, s.DB, in.Item)
	if err != nil {
		return err
	}
	in.Item = it.Code
	if in.RegDate.IsZero() {
		return &InputError{Msg: "請輸入登記日期"}
	}
	if in.RegDate.Before(earliest) || in.RegDate.After(civil.Of(s.Now())) {
		return &InputError{Msg: "登記日期須在民國35年1月1日至今天之間"}
	}
	in.Volume, in.PageRef, in.Note = strings.TrimSpace(in.Volume), strings.TrimSpace(in.PageRef), strings.TrimSpace(in.Note)
	if utf8.RuneCountInString(in.Volume) > 30 || utf8.RuneCountInString(in.PageRef) > 30 || utf8.RuneCountInString(in.Note) > 500 {
		return &InputError{Msg: "冊、頁或備註過長"}
	}
	if len(in.Persons) == 0 {
		return &InputError{Msg: "請至少輸入一位當事人（統一編號與姓名）"}
	}
	if len(in.Persons) > 30 {
		return &InputError{Msg: "當事人過多（最多30位）"}
	}
	seen := map[string]bool{}
	for i := range in.Persons {
		p := &in.Persons[i]
		p.Name, p.Role = strings.TrimSpace(p.Name), strings.TrimSpace(p.Role)
		p.IDNo = idno.Normalize(p.IDNo)
		if p.Name == "" {
			return &InputError{Msg: fmt.Sprintf("第%d位當事人未填姓名", i+1)}
		}
		if utf8.RuneCountInString(p.Name) > 60 || utf8.RuneCountInString(p.Role) > 20 {
			return &InputError{Msg: fmt.Sprintf("第%d位當事人的姓名或身分過長", i+1)}
		}
		if p.IDNo != "" {
			if _, err := idno.Validate(p.IDNo); err != nil {
				return &InputError{Msg: fmt.Sprintf("第%d位當事人（%s）：%s", i+1, p.Name, err.Error())}
			}
			if seen[p.IDNo] {
				return &InputError{Msg: fmt.Sprintf("統一編號 %s 重複輸入", p.IDNo)}
			}
			seen[p.IDNo] = true
		}
	}
	return nil
}

// Doc is one archived document.
type Doc struct {
	ID            int64
	OfficeID      int64
	OfficeName    string
	Item          string
	ItemLabel     string
	RegDate       civil.Date
	Volume        string
	PageRef       string
	Note          string
	SourceSHA     string
	SourceName    string
	SourceFormat  string
	SourceBytes   int64
	PageCount     int
	Version       int
	SupersedesID  int64
	SupersededBy  int64
	Current       bool
	RequestID     int64
	ScannedBy     string
	ScannedOffice string
	ScannedAt     time.Time
	Persons       []Person
	Pages         []PageRec
}

// PrimaryIDNo is the ID audit entries are filed under: the first person with one.
func (d *Doc) PrimaryIDNo() string {
	for _, p := range d.Persons {
		if p.IDNo != "" {
			return p.IDNo
		}
	}
	return ""
}

// IDNos lists every person's ID.
func (d *Doc) IDNos() []string {
	var out []string
	for _, p := range d.Persons {
		if p.IDNo != "" {
			out = append(out, p.IDNo)
		}
	}
	return out
}

// PageRec is a stored page.
type PageRec struct {
	ID       int64
	No       int
	SHA      string
	Format   string
	Bytes    int64
	Width    int
	Height   int
	ThumbSHA string
}

// ContentType is the page's MIME type.
func (p PageRec) ContentType() string {
	if p.Format == FormatPNG {
		return "image/png"
	}
	return "image/jpeg"
}

// Ingest checks an uploaded file, stores its pages and indexes it. Problems
// with the file are *RejectError, with the index *InputError, a file archived
// before *DuplicateError; in each case nothing is recorded.
func (s *Service) Ingest(ctx context.Context, actor audit.Actor, in DocInput, file []byte) (*Doc, error) {
	if err := s.validate(ctx, &in); err != nil {
		return nil, err
	}
	sum := blob.Sum(file)
	var dup int64
	err := s.DB.QueryRow(ctx, `SELECT id FROM archive_docs WHERE source_sha256 = ?`, sum).Scan(&dup)
	if err == nil {
		return nil, &DuplicateError{DocID: dup}
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	format, pages, err := s.Proc.Process(ctx, file)
	if err != nil {
		return nil, err
	}
	// Files first: a blob without a row is harmless (immutable, found again by
	// its hash on retry); a row without its blob would be a broken document.
	src, err := blob.PutBytes(ctx, s.Blobs, file)
	if err != nil {
		return nil, fmt.Errorf("archive: store source: %w", err)
	}
	for i := range pages {
		if _, err := blob.PutBytes(ctx, s.Blobs, pages[i].Data); err != nil {
			return nil, fmt.Errorf("archive: store page %d: %w", i+1, err)
		}
		if _, err := blob.PutBytes(ctx, s.Blobs, pages[i].Thumb); err != nil {
			return nil, fmt.Errorf("archive: store thumbnail %d: %w", i+1, err)
		}
	}
	now := s.Now()
	var docID int64
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		version := 1
		var supersedes any
		if in.Supersedes != 0 {
			var cur bool
			var office int64
			if err := tx.QueryRow(ctx, `SELECT version, current, office_id FROM archive_docs WHERE id = ?`, in.Supersedes).Scan(&version, &cur, &office); err != nil {
				if errors.Is(err, sql.ErrNoRows) {
					return &InputError{Msg: "要重新掃描的影像不存在"}
				}
				return err
			}
			if !cur {
				return &InputError{Msg: "此影像已有較新的版本，請對最新版本重新掃描"}
			}
			if office != in.OfficeID {
				return &InputError{Msg: "重新掃描的原登記地戶所須與原影像相同"}
			}
			version++
			supersedes = in.Supersedes
			if _, err := tx.Exec(ctx, `UPDATE archive_docs SET current = ? WHERE id = ?`, false, in.Supersedes); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `DELETE FROM archive_name_keys WHERE entry_id IN (SELECT id FROM archive_entries WHERE doc_id = ?)`, in.Supersedes); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `DELETE FROM archive_entries WHERE doc_id = ?`, in.Supersedes); err != nil {
				return err
			}
		}
		var reqID any
		if in.RequestID != 0 {
			reqID = in.RequestID
		}
		err := tx.QueryRow(ctx, `INSERT INTO archive_docs (office_id, item, reg_date, volume, page_ref, note, source_sha256, source_name,
			source_format, source_bytes, page_count, version, supersedes_id, current, request_id, scanned_by, scanned_office, scanned_at, scanned_day)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			in.OfficeID, in.Item, in.RegDate, in.Volume, in.PageRef, in.Note, src.Hash, truncate(in.SourceName, 200),
			format, src.Size, len(pages), version, supersedes, true, reqID, nullID(actor.UserID), actor.OfficeID, db.FormatTime(now),
			civil.Of(now)).Scan(&docID)
		if db.IsUniqueViolation(err) {
			return &DuplicateError{}
		}
		if err != nil {
			return err
		}
		for _, pg := range pages {
			if _, err := tx.Exec(ctx, `INSERT INTO archive_pages (doc_id, page_no, sha256, format, bytes, width, height, thumb_sha256)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, docID, pg.No, blob.Sum(pg.Data), pg.Format, len(pg.Data), pg.Width, pg.Height, blob.Sum(pg.Thumb)); err != nil {
				return err
			}
		}
		if err := insertEntries(ctx, tx, docID, in.Item, in.RegDate, in.OfficeID, in.Persons); err != nil {
			return err
		}
		if in.RequestID != 0 {
			if err := s.fulfil(ctx, tx, actor, in.CityWide, in.RequestID, docID, in.OfficeID); err != nil {
				return err
			}
		}
		e := audit.For(actor, "archive.ingest", "archive_doc", fmt.Sprint(docID))
		ids := (&Doc{Persons: in.Persons}).IDNos()
		if len(ids) > 0 {
			e.PersonIDNo = ids[0]
		}
		e.Detail = fmt.Sprintf("item=%s date=%s pages=%d persons=%s source=%s", in.Item, in.RegDate.ISO(), len(pages), strings.Join(ids, ","), src.Hash[:12])
		if in.Supersedes != 0 {
			e.Detail += fmt.Sprintf(" supersedes=%d", in.Supersedes)
		}
		return audit.Log(ctx, tx, e)
	})
	if err != nil {
		var de *DuplicateError
		if errors.As(err, &de) && de.DocID == 0 {
			s.DB.QueryRow(ctx, `SELECT id FROM archive_docs WHERE source_sha256 = ?`, sum).Scan(&de.DocID)
		}
		return nil, err
	}
	return s.Doc(ctx, docID)
}

// insertEntries writes the search index rows of a document's persons.
func insertEntries(ctx context.Context, tx *db.Tx, docID int64, item string, regDate civil.Date, officeID int64, persons []Person) error {
	for _, p := range persons {
		var entryID int64
		if err := tx.QueryRow(ctx, `INSERT INTO archive_entries (doc_id, id_no, name, role, item, reg_date, office_id)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, docID, p.IDNo, p.Name, p.Role, item, regDate, officeID).Scan(&entryID); err != nil {
			return err
		}
		for _, k := range NameKeys(p.Name) {
			if _, err := tx.Exec(ctx, `INSERT INTO archive_name_keys (name_key, entry_id) VALUES (?, ?)`, k, entryID); err != nil {
				return err
			}
		}
	}
	return nil
}

// NameKeys are the proper suffixes of a name with at least two characters:
// every part of a name of two characters or more is a prefix of the name itself
// or of one of these.
func NameKeys(name string) []string {
	r := []rune(name)
	var out []string
	for i := 1; i+2 <= len(r); i++ {
		out = append(out, string(r[i:]))
	}
	return out
}

const docCols = `d.id, d.office_id, o.name, d.item, COALESCE(it.label, d.item), d.reg_date, d.volume, d.page_ref, d.note,
	d.source_sha256, d.source_name, d.source_format, d.source_bytes, d.page_count, d.version, COALESCE(d.supersedes_id, 0),
	d.current, COALESCE(d.request_id, 0), COALESCE(u.display_name, ''), so.name, d.scanned_at`

const docFrom = ` FROM archive_docs d JOIN offices o ON o.id = d.office_id JOIN offices so ON so.id = d.scanned_office
	LEFT JOIN archive_items it ON it.code = d.item LEFT JOIN users u ON u.id = d.scanned_by`

func scanDoc(r interface{ Scan(...any) error }) (*Doc, error) {
	var d Doc
	var at string
	if err := r.Scan(&d.ID, &d.OfficeID, &d.OfficeName, &d.Item, &d.ItemLabel, &d.RegDate, &d.Volume, &d.PageRef, &d.Note,
		&d.SourceSHA, &d.SourceName, &d.SourceFormat, &d.SourceBytes, &d.PageCount, &d.Version, &d.SupersedesID,
		&d.Current, &d.RequestID, &d.ScannedBy, &d.ScannedOffice, &at); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, db.ErrNotFound
		}
		return nil, err
	}
	d.ScannedAt = db.ParseTime(at)
	return &d, nil
}

// Doc loads a document with its persons and pages.
func (s *Service) Doc(ctx context.Context, id int64) (*Doc, error) {
	d, err := scanDoc(s.DB.QueryRow(ctx, `SELECT `+docCols+docFrom+` WHERE d.id = ?`, id))
	if err != nil {
		return nil, err
	}
	if d.Persons, err = s.docPersons(ctx, d); err != nil {
		return nil, err
	}
	rows, err := s.DB.Query(ctx, `SELECT id, page_no, sha256, format, bytes, width, height, thumb_sha256 FROM archive_pages WHERE doc_id = ? ORDER BY page_no`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var p PageRec
		if err := rows.Scan(&p.ID, &p.No, &p.SHA, &p.Format, &p.Bytes, &p.Width, &p.Height, &p.ThumbSHA); err != nil {
			return nil, err
		}
		d.Pages = append(d.Pages, p)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if !d.Current {
		s.DB.QueryRow(ctx, `SELECT id FROM archive_docs WHERE supersedes_id = ?`, id).Scan(&d.SupersededBy)
	}
	return d, nil
}

// docPersons returns the persons of d. A superseded version has no index rows
// (they moved to the new version), so its persons come from the newest version.
func (s *Service) docPersons(ctx context.Context, d *Doc) ([]Person, error) {
	id := d.ID
	for range 100 {
		var n int
		if err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM archive_entries WHERE doc_id = ?`, id).Scan(&n); err != nil {
			return nil, err
		}
		if n > 0 {
			break
		}
		var next int64
		if err := s.DB.QueryRow(ctx, `SELECT id FROM archive_docs WHERE supersedes_id = ?`, id).Scan(&next); err != nil {
			break
		}
		id = next
	}
	rows, err := s.DB.Query(ctx, `SELECT id_no, name, role FROM archive_entries WHERE doc_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Person
	for rows.Next() {
		var p Person
		if err := rows.Scan(&p.IDNo, &p.Name, &p.Role); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Versions lists every version of d's document, newest first.
func (s *Service) Versions(ctx context.Context, d *Doc) ([]*Doc, error) {
	// Walk forward to the newest, then back through supersedes_id.
	id := d.ID
	for range 100 {
		var next int64
		if err := s.DB.QueryRow(ctx, `SELECT id FROM archive_docs WHERE supersedes_id = ?`, id).Scan(&next); err != nil {
			break
		}
		id = next
	}
	var out []*Doc
	for id != 0 && len(out) < 100 {
		v, err := scanDoc(s.DB.QueryRow(ctx, `SELECT `+docCols+docFrom+` WHERE d.id = ?`, id))
		if err != nil {
			return nil, err
		}
		out = append(out, v)
		id = v.SupersedesID
	}
	return out, nil
}

// PageImage returns a page's stored image, verified against its hash.
func (s *Service) PageImage(ctx context.Context, d *Doc, no int) (PageRec, []byte, error) {
	for _, p := range d.Pages {
		if p.No == no {
			b, err := blob.Get(ctx, s.Blobs, p.SHA)
			return p, b, err
		}
	}
	return PageRec{}, nil, db.ErrNotFound
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}
