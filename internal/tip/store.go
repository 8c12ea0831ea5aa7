// Package tip is the citizen tips subsystem (便民資訊子系統, 戶政貼心小叮嚀):
// what a citizen should do next at other agencies after a registration — which
// agency, what to bring, by when, where and whom to call. Items are grouped in
// the eight categories of the seed (出生, 改名, 遷徙, 結婚, 國籍, 護照親辦, 離婚,
// 死亡), kept with every version and its effective date, printed at the counter
// as a one-page sheet after the matching registration (作業規範 叁.六) and
// published on the public site without login.
package tip

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"html/template"
	"net/url"
	"sort"
	"strings"
	"time"

	"ebazhao/internal/form/match"
	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
)

// Category is one of the eight tip categories.
type Category struct {
	ID                int64
	Code              string
	Name              string
	Intro             string
	RegistrationKinds []string // registration codes this category follows (legal engine codes)
	SortOrder         int
	Count             int // items in force
}

// Item is one tip with the version in force on the day it was loaded for.
type Item struct {
	ID           int64
	Code         string
	CategoryID   int64
	CategoryCode string
	CategoryName string
	SortOrder    int
	RetiredAt    time.Time
	Version
}

// Retired reports whether the item was withdrawn.
func (i *Item) Retired() bool { return !i.RetiredAt.IsZero() }

// Version is the content of a tip valid from EffectiveFrom.
type Version struct {
	VersionID     int64
	No            int
	EffectiveFrom civil.Date
	Title         string // e.g. 新生兒全民健康保險加保
	Agency        string // 辦理機關
	Action        string // 辦理事項：what to do
	Documents     string // 應備文件
	Deadline      string // 期限
	Address       string // agency address (blank when not known for sure)
	Phone         string
	URL           string
	Notes         string
	LastChecked   civil.Date // when a supervisor last confirmed the facts
	CreatedAt     time.Time
	CreatedBy     string
}

// Missing lists the contact facts still to be filled in by a supervisor.
func (v *Version) Missing() []string {
	var out []string
	if v.Address == "" {
		out = append(out, "地址")
	}
	if v.Phone == "" {
		out = append(out, "電話")
	}
	if v.LastChecked.IsZero() {
		out = append(out, "查核日期")
	}
	return out
}

// DocumentList splits Documents into its lines (one document a line or separated by 、).
func (v *Version) DocumentList() []string {
	var out []string
	for _, l := range strings.FieldsFunc(v.Documents, func(r rune) bool { return r == '\n' || r == '；' }) {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// TelHref is the first phone number as a tel: link, or "".
func (v *Version) TelHref() template.URL {
	var b strings.Builder
	for _, r := range v.Phone {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else if r == '、' || r == '，' || r == '（' || r == '(' || r == '/' {
			break
		}
	}
	if b.Len() < 3 {
		return ""
	}
	return template.URL("tel:" + b.String()) // digits only: safe
}

// Store reads and writes tips.
type Store struct {
	DB  *db.DB
	Now func() time.Time
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

func scanCategory(r interface{ Scan(...any) error }, withCount bool) (*Category, error) {
	var c Category
	var kinds string
	dest := []any{&c.ID, &c.Code, &c.Name, &c.Intro, &kinds, &c.SortOrder}
	if withCount {
		dest = append(dest, &c.Count)
	}
	if err := r.Scan(dest...); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, db.ErrNotFound
		}
		return nil, err
	}
	for _, k := range strings.Split(kinds, ",") {
		if k = strings.TrimSpace(k); k != "" {
			c.RegistrationKinds = append(c.RegistrationKinds, k)
		}
	}
	return &c, nil
}

// Categories lists the categories with the number of items in force on day.
func (s *Store) Categories(ctx context.Context, day civil.Date) ([]*Category, error) {
	rows, err := s.DB.Query(ctx, `SELECT c.id, c.code, c.name, c.intro, c.registration_kinds, c.sort_order,
		(SELECT COUNT(*) FROM tip_items i WHERE i.category_id = c.id AND i.retired_at = ''
			AND EXISTS (SELECT 1 FROM tip_versions v WHERE v.item_id = i.id AND v.effective_from <= ?))
		FROM tip_categories c ORDER BY c.sort_order, c.id`, day)
	if err != nil {
		return nil, fmt.Errorf("tip categories: %w", err)
	}
	defer rows.Close()
	var out []*Category
	for rows.Next() {
		c, err := scanCategory(rows, true)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// CategoryByCode loads one category.
func (s *Store) CategoryByCode(ctx context.Context, code string) (*Category, error) {
	c, err := scanCategory(s.DB.QueryRow(ctx, `SELECT id, code, name, intro, registration_kinds, sort_order FROM tip_categories WHERE code = ?`, code), false)
	if err != nil {
		return nil, fmt.Errorf("tip category %q: %w", code, err)
	}
	return c, nil
}

// CategoryForRegistration finds the category that follows a registration kind
// (a legal engine code such as "birth" or "move_in", or a category code).
func (s *Store) CategoryForRegistration(ctx context.Context, kind string) (*Category, error) {
	kind = strings.TrimSpace(kind)
	cats, err := s.Categories(ctx, s.Today())
	if err != nil {
		return nil, err
	}
	for _, c := range cats {
		if c.Code == kind {
			return c, nil
		}
		for _, k := range c.RegistrationKinds {
			if k == kind {
				return c, nil
			}
		}
	}
	return nil, fmt.Errorf("registration kind %q: %w", kind, db.ErrNotFound)
}

const itemCols = `i.id, i.code, i.category_id, c.code, c.name, i.sort_order, i.retired_at,
	v.id, v.version_no, v.effective_from, v.title, v.agency, v.action, v.documents, v.deadline, v.address, v.phone, v.url,
	v.notes, v.last_checked, v.created_at, v.created_by`

// inForce joins each item to its version in force on the day given as the first argument.
const inForce = ` FROM tip_items i JOIN tip_categories c ON c.id = i.category_id
	JOIN tip_versions v ON v.id = (SELECT v2.id FROM tip_versions v2 WHERE v2.item_id = i.id AND v2.effective_from <= ?
		ORDER BY v2.effective_from DESC, v2.version_no DESC LIMIT 1)`

func scanItem(r interface{ Scan(...any) error }) (*Item, error) {
	var it Item
	var retired, created string
	if err := r.Scan(&it.ID, &it.Code, &it.CategoryID, &it.CategoryCode, &it.CategoryName, &it.SortOrder, &retired,
		&it.VersionID, &it.No, &it.EffectiveFrom, &it.Title, &it.Agency, &it.Action, &it.Documents, &it.Deadline, &it.Address, &it.Phone, &it.URL,
		&it.Notes, &it.LastChecked, &created, &it.CreatedBy); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, db.ErrNotFound
		}
		return nil, err
	}
	if retired != "" {
		it.RetiredAt = db.ParseTime(retired)
	}
	it.CreatedAt = db.ParseTime(created)
	return &it, nil
}

func (s *Store) items(ctx context.Context, where string, args ...any) ([]*Item, error) {
	rows, err := s.DB.Query(ctx, `SELECT `+itemCols+inForce+` WHERE `+where+` ORDER BY c.sort_order, i.sort_order, i.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("tip items: %w", err)
	}
	defer rows.Close()
	var out []*Item
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// Items lists the active items of a category ("" = all) in force on day.
func (s *Store) Items(ctx context.Context, category string, day civil.Date) ([]*Item, error) {
	return s.items(ctx, `(? = '' OR c.code = ?) AND i.retired_at = ''`, day, category, category)
}

// AllItems lists every item, retired ones included, in force on day (maintenance).
func (s *Store) AllItems(ctx context.Context, day civil.Date) ([]*Item, error) {
	return s.items(ctx, `1 = 1`, day)
}

// ItemByCode loads an item with its version in force on day.
func (s *Store) ItemByCode(ctx context.Context, code string, day civil.Date) (*Item, error) {
	it, err := scanItem(s.DB.QueryRow(ctx, `SELECT `+itemCols+inForce+` WHERE i.code = ?`, day, code))
	if err != nil {
		return nil, fmt.Errorf("tip item %q: %w", code, err)
	}
	return it, nil
}

// Versions lists every version of an item, newest first.
func (s *Store) Versions(ctx context.Context, itemID int64) ([]Version, error) {
	rows, err := s.DB.Query(ctx, `SELECT id, version_no, effective_from, title, agency, action, documents, deadline, address, phone, url,
		notes, last_checked, created_at, created_by FROM tip_versions WHERE item_id = ? ORDER BY version_no DESC`, itemID)
	if err != nil {
		return nil, fmt.Errorf("tip versions: %w", err)
	}
	defer rows.Close()
	var out []Version
	for rows.Next() {
		var v Version
		var created string
		if err := rows.Scan(&v.VersionID, &v.No, &v.EffectiveFrom, &v.Title, &v.Agency, &v.Action, &v.Documents, &v.Deadline, &v.Address, &v.Phone,
			&v.URL, &v.Notes, &v.LastChecked, &created, &v.CreatedBy); err != nil {
			return nil, err
		}
		v.CreatedAt = db.ParseTime(created)
		out = append(out, v)
	}
	return out, rows.Err()
}

// Search ranks the items in force on day against q (title first, then agency,
// what to do, documents and category).
func (s *Store) Search(ctx context.Context, q string, day civil.Date, limit int) ([]*Item, error) {
	terms := match.Terms(q)
	if len(terms) == 0 {
		return nil, nil
	}
	all, err := s.Items(ctx, "", day)
	if err != nil {
		return nil, err
	}
	return Rank(terms, all, limit), nil
}

// Rank orders items by how well they match the normalized terms.
func Rank(terms []string, items []*Item, limit int) []*Item {
	type hit struct {
		it    *Item
		score int
	}
	var hits []hit
	for _, it := range items {
		sc := match.Score(terms,
			match.Field{Text: match.Normalize(it.Title), Weight: 4},
			match.Field{Text: match.Normalize(it.Agency), Weight: 3},
			match.Field{Text: match.Normalize(it.CategoryName), Weight: 3},
			match.Field{Text: match.Normalize(it.Action + it.Documents + it.Notes), Weight: 1})
		if sc > 0 {
			hits = append(hits, hit{it, sc})
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].score > hits[j].score })
	// Drop the long tail of weak matches (characters scattered in a long text).
	for i, h := range hits {
		if h.score*4 < hits[0].score {
			hits = hits[:i]
			break
		}
	}
	if limit > 0 && len(hits) > limit {
		hits = hits[:limit]
	}
	out := make([]*Item, len(hits))
	for i, h := range hits {
		out[i] = h.it
	}
	return out
}

// checkVersion validates a version's content.
func checkVersion(v *Version) error {
	for _, f := range []*string{&v.Title, &v.Agency, &v.Action, &v.Documents, &v.Deadline, &v.Address, &v.Phone, &v.URL, &v.Notes} {
		*f = strings.TrimSpace(*f)
	}
	switch {
	case v.Title == "":
		return invalid("請輸入項目名稱")
	case len([]rune(v.Title)) > 60:
		return invalid("項目名稱過長（最多60字）")
	case v.Agency == "":
		return invalid("請輸入辦理機關")
	case v.Action == "":
		return invalid("請輸入辦理事項")
	case v.EffectiveFrom.IsZero():
		return invalid("請輸入生效日期")
	}
	for _, f := range []string{v.Agency, v.Deadline, v.Address, v.Phone} {
		if len([]rune(f)) > 200 {
			return invalid("機關、期限、地址或電話過長（最多200字）")
		}
	}
	for _, f := range []string{v.Action, v.Documents, v.Notes} {
		if len([]rune(f)) > 2000 {
			return invalid("辦理事項、應備文件或備註過長（最多2000字）")
		}
	}
	if v.URL != "" {
		u, err := url.Parse(v.URL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return invalid("網址格式錯誤（應以 https:// 開頭）")
		}
	}
	return nil
}

var codeOK = func(code string) bool {
	if len(code) < 2 || len(code) > 60 {
		return false
	}
	for _, r := range code {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// Create adds an item with its first version.
func (s *Store) Create(ctx context.Context, actor audit.Actor, category, code string, sortOrder int, v Version) (*Item, error) {
	if !codeOK(code) {
		return nil, invalid("項目代碼「%s」格式錯誤：限小寫英文、數字與連字號，2 至 60 字", code)
	}
	if err := checkVersion(&v); err != nil {
		return nil, err
	}
	var id int64
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var catID int64
		if err := tx.QueryRow(ctx, `SELECT id FROM tip_categories WHERE code = ?`, category).Scan(&catID); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return invalid("請選擇類別")
			}
			return err
		}
		now := db.FormatTime(s.now())
		err := tx.QueryRow(ctx, `INSERT INTO tip_items (code, category_id, sort_order, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			code, catID, sortOrder, now, now).Scan(&id)
		if db.IsUniqueViolation(err) {
			return invalid("項目代碼「%s」已被使用", code)
		}
		if err != nil {
			return err
		}
		e := audit.For(actor, "tip.create", "tip", code)
		e.Detail = v.Title
		if err := audit.Log(ctx, tx, e); err != nil {
			return err
		}
		return s.insertVersion(ctx, tx, actor, id, code, &v)
	})
	if err != nil {
		return nil, err
	}
	return s.ItemByCode(ctx, code, maxDay(v.EffectiveFrom, s.Today()))
}

func maxDay(a, b civil.Date) civil.Date {
	if a.After(b) {
		return a
	}
	return b
}

// AddVersion adds a version to an item; it may not take effect before today.
func (s *Store) AddVersion(ctx context.Context, actor audit.Actor, it *Item, v Version) error {
	if err := checkVersion(&v); err != nil {
		return err
	}
	if v.EffectiveFrom.Before(s.Today()) {
		return invalid("生效日期不可早於今天（%s）：已公布的內容不可追溯變更", s.Today().ROC())
	}
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		return s.insertVersion(ctx, tx, actor, it.ID, it.Code, &v)
	})
}

func (s *Store) insertVersion(ctx context.Context, tx *db.Tx, actor audit.Actor, itemID int64, code string, v *Version) error {
	if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(version_no), 0) + 1 FROM tip_versions WHERE item_id = ?`, itemID).Scan(&v.No); err != nil {
		return err
	}
	now := s.now()
	v.CreatedAt, v.CreatedBy = now, actor.Username
	if _, err := tx.Exec(ctx, `INSERT INTO tip_versions (item_id, version_no, effective_from, title, agency, action, documents, deadline,
		address, phone, url, notes, last_checked, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		itemID, v.No, v.EffectiveFrom, v.Title, v.Agency, v.Action, v.Documents, v.Deadline, v.Address, v.Phone, v.URL,
		v.Notes, v.LastChecked, db.FormatTime(now), actor.Username); err != nil {
		return fmt.Errorf("insert tip version: %w", err)
	}
	if _, err := tx.Exec(ctx, `UPDATE tip_items SET updated_at = ? WHERE id = ?`, db.FormatTime(now), itemID); err != nil {
		return err
	}
	e := audit.For(actor, "tip.version.add", "tip", code)
	e.Detail = fmt.Sprintf("第%d版 生效日 %s %s", v.No, v.EffectiveFrom.ISO(), v.Title)
	return audit.Log(ctx, tx, e)
}

// SetRetired withdraws or restores an item.
func (s *Store) SetRetired(ctx context.Context, actor audit.Actor, it *Item, retired bool) error {
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		at, action := "", "tip.restore"
		if retired {
			at, action = db.FormatTime(s.now()), "tip.retire"
		}
		if _, err := tx.Exec(ctx, `UPDATE tip_items SET retired_at = ?, updated_at = ? WHERE id = ?`, at, db.FormatTime(s.now()), it.ID); err != nil {
			return err
		}
		return audit.Log(ctx, tx, audit.For(actor, action, "tip", it.Code))
	})
}

// CountPrint counts a printed sheet of a category (itemID 0) or a single item at officeID today.
func (s *Store) CountPrint(ctx context.Context, categoryID, itemID, officeID int64) error {
	_, err := s.DB.Exec(ctx, `INSERT INTO tip_print_stats (category_id, item_id, office_id, day, n) VALUES (?, ?, ?, ?, 1)
		ON CONFLICT (category_id, item_id, office_id, day) DO UPDATE SET n = tip_print_stats.n + 1`,
		categoryID, itemID, officeID, s.Today())
	if err != nil {
		return fmt.Errorf("count tip print: %w", err)
	}
	return nil
}

// StatRow is the number of printed sheets (ItemCode "") or single items at an office.
type StatRow struct {
	Category   string
	ItemCode   string
	ItemTitle  string
	OfficeID   int64
	OfficeName string
	N          int64
}

// Stats returns prints per category/item and office between from and to; officeID 0 = all.
func (s *Store) Stats(ctx context.Context, from, to civil.Date, officeID int64) ([]StatRow, error) {
	rows, err := s.DB.Query(ctx, `SELECT c.name, COALESCE(i.code, ''), st.item_id, st.office_id, COALESCE(o.name, ''), CAST(SUM(st.n) AS BIGINT)
		FROM tip_print_stats st JOIN tip_categories c ON c.id = st.category_id
		LEFT JOIN tip_items i ON i.id = st.item_id LEFT JOIN offices o ON o.id = st.office_id
		WHERE st.day >= ? AND st.day <= ? AND (? = 0 OR st.office_id = ?)
		GROUP BY c.name, c.sort_order, i.code, st.item_id, st.office_id, o.name
		ORDER BY SUM(st.n) DESC, c.sort_order, st.office_id`, from, to, officeID, officeID)
	if err != nil {
		return nil, fmt.Errorf("tip stats: %w", err)
	}
	defer rows.Close()
	var out []StatRow
	for rows.Next() {
		var r StatRow
		var itemID int64
		if err := rows.Scan(&r.Category, &r.ItemCode, &itemID, &r.OfficeID, &r.OfficeName, &r.N); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].ItemCode != "" {
			if it, err := s.ItemByCode(ctx, out[i].ItemCode, s.Today()); err == nil {
				out[i].ItemTitle = it.Title
			}
		}
	}
	return out, nil
}
