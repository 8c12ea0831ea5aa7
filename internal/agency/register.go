package agency

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
)

// Delivery modes of an agency.
const (
	DeliverAPI  = "api"  // the agency pulls over HTTPS
	DeliverSFTP = "sftp" // a daily file in its SFTP folder
	DeliverBoth = "both"
)

// File encodings an agency can ask for.
const (
	UTF8 = "utf-8"
	Big5 = "big5"
)

// Category is a kind of partner agency (監理、地方稅務 …).
type Category struct {
	ID        int64
	Code      string
	Name      string
	SortOrder int
}

// Agency is a partner agency (合作機關) or one of its branches.
type Agency struct {
	ID              int64
	Code            string
	CategoryID      int64
	CategoryCode    string
	CategoryName    string
	Name            string
	Address         string
	Phone           string
	AccountLabel    string // e.g. 電號; "" when the agency needs no account number
	AccountRequired bool
	Delivery        string
	Encoding        string
	AgreedDays      int
	SortOrder       int
	Active          bool
	// Kinds maps each accepted change kind to the field keys the agency gets
	// (nil slice: every field of the kind).
	Kinds map[string][]string
}

// Accepts reports whether the agency takes the change kind.
func (a *Agency) Accepts(kind string) bool { _, ok := a.Kinds[kind]; return ok }

// Files reports whether the agency gets daily files.
func (a *Agency) Files() bool { return a.Delivery == DeliverSFTP || a.Delivery == DeliverBoth }

// DeliveryLabel is the delivery mode in Chinese.
func (a *Agency) DeliveryLabel() string { return DeliveryLabel(a.Delivery) }

// DeliveryLabel names a delivery mode in Chinese.
func DeliveryLabel(d string) string {
	switch d {
	case DeliverAPI:
		return "HTTPS API 取件"
	case DeliverSFTP:
		return "每日檔案（SFTP）"
	case DeliverBoth:
		return "API 與每日檔案"
	}
	return d
}

// FieldsFor returns the field keys the agency receives for kind, in the kind's order.
func (a *Agency) FieldsFor(k Kind) []string {
	sel, ok := a.Kinds[k.Code]
	if !ok {
		return nil
	}
	if len(sel) == 0 {
		return k.FieldKeys()
	}
	want := map[string]bool{}
	for _, s := range sel {
		want[s] = true
	}
	var out []string
	for _, key := range k.FieldKeys() {
		if want[key] {
			out = append(out, key)
		}
	}
	return out
}

// KindCodes lists the accepted kinds in catalogue order.
func (a *Agency) KindCodes() []string {
	var out []string
	for _, k := range Kinds {
		if a.Accepts(k.Code) {
			out = append(out, k.Code)
		}
	}
	return out
}

var codeRE = regexp.MustCompile(`^[a-z][a-z0-9_]{1,39}$`)

// ValidCode reports whether s can be an agency code (SFTP user and file prefix).
func ValidCode(s string) bool { return codeRE.MatchString(s) }

var accountRE = regexp.MustCompile(`^[0-9A-Za-z][0-9A-Za-z\-]{0,29}$`)

// NormalizeAccount checks a utility account number (電號、水號 …) as typed:
// digits, letters and dashes, at most 30, spaces and full-width forms removed.
func NormalizeAccount(s string) (string, error) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '０' && r <= '９':
			r = '0' + (r - '０')
		case r >= 'Ａ' && r <= 'Ｚ':
			r = 'A' + (r - 'Ａ')
		case r >= 'ａ' && r <= 'ｚ':
			r = 'a' + (r - 'ａ')
		case r == '－' || r == '—' || r == '–':
			r = '-'
		case r == ' ' || r == '\u3000':
			continue
		}
		b.WriteRune(r)
	}
	v := strings.ToUpper(b.String())
	if v == "" {
		return "", nil
	}
	if !accountRE.MatchString(v) {
		return "", errors.New("只能填數字、英文字母及連字號（最多30字）")
	}
	return v, nil
}

// validate checks an agency before it is stored.
func (a *Agency) validate() error {
	a.Name, a.Address, a.Phone, a.AccountLabel = strings.TrimSpace(a.Name), strings.TrimSpace(a.Address), strings.TrimSpace(a.Phone), strings.TrimSpace(a.AccountLabel)
	switch {
	case !ValidCode(a.Code):
		return errors.New("機關代碼須為小寫英文字母開頭，僅含小寫英文、數字及底線（2至40字）")
	case a.Name == "" || len([]rune(a.Name)) > 80:
		return errors.New("請填寫機關名稱（最多80字）")
	case a.CategoryID == 0:
		return errors.New("請選擇機關類別")
	case a.Delivery != DeliverAPI && a.Delivery != DeliverSFTP && a.Delivery != DeliverBoth:
		return errors.New("傳送方式不正確")
	case a.Encoding != UTF8 && a.Encoding != Big5:
		return errors.New("檔案編碼須為 UTF-8 或 Big5")
	case a.AgreedDays < 1 || a.AgreedDays > 90:
		return errors.New("約定完成日數須在1至90日之間")
	case a.AccountRequired && a.AccountLabel == "":
		return errors.New("必填用戶號碼時，請填寫號碼名稱（如電號、水號）")
	case len([]rune(a.Address)) > 200 || len([]rune(a.Phone)) > 40 || len([]rune(a.AccountLabel)) > 20:
		return errors.New("地址、電話或號碼名稱過長")
	}
	for kind, fields := range a.Kinds {
		k, ok := KindByCode(kind)
		if !ok {
			return fmt.Errorf("未知的異動類別 %q", kind)
		}
		allowed := map[string]bool{}
		for _, key := range k.FieldKeys() {
			allowed[key] = true
		}
		for _, f := range fields {
			if !allowed[f] {
				return fmt.Errorf("異動類別「%s」沒有欄位 %q", k.Name, f)
			}
		}
	}
	return nil
}

// Categories lists the categories in display order.
func (s *Service) Categories(ctx context.Context) ([]Category, error) {
	rows, err := s.DB.Query(ctx, `SELECT id, code, name, sort_order FROM agency_categories ORDER BY sort_order, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Category
	for rows.Next() {
		var c Category
		if err := rows.Scan(&c.ID, &c.Code, &c.Name, &c.SortOrder); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

const agencyCols = `a.id, a.code, a.category_id, c.code, c.name, a.name, a.address, a.phone, a.account_label, a.account_required,
	a.delivery, a.encoding, a.agreed_days, a.sort_order, a.active`

func scanAgency(r interface{ Scan(...any) error }) (*Agency, error) {
	var a Agency
	err := r.Scan(&a.ID, &a.Code, &a.CategoryID, &a.CategoryCode, &a.CategoryName, &a.Name, &a.Address, &a.Phone, &a.AccountLabel,
		&a.AccountRequired, &a.Delivery, &a.Encoding, &a.AgreedDays, &a.SortOrder, &a.Active)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, db.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	a.Kinds = map[string][]string{}
	return &a, nil
}

// AgencyFilter selects agencies.
type AgencyFilter struct {
	ActiveOnly bool
	Kind       string // only agencies accepting this kind
}

// Agencies lists the register in category and display order, with their kinds.
func (s *Service) Agencies(ctx context.Context, f AgencyFilter) ([]*Agency, error) {
	q := `SELECT ` + agencyCols + ` FROM agencies a JOIN agency_categories c ON c.id = a.category_id WHERE 1 = 1`
	var args []any
	if f.ActiveOnly {
		q += ` AND a.active = ?`
		args = append(args, true)
	}
	if f.Kind != "" {
		q += ` AND EXISTS (SELECT 1 FROM agency_kinds k WHERE k.agency_id = a.id AND k.kind = ?)`
		args = append(args, f.Kind)
	}
	q += ` ORDER BY c.sort_order, a.sort_order, a.id`
	rows, err := s.DB.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	var out []*Agency
	byID := map[int64]*Agency{}
	for rows.Next() {
		a, err := scanAgency(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, a)
		byID[a.ID] = a
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := s.loadKinds(ctx, s.DB, byID); err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Service) loadKinds(ctx context.Context, q db.Querier, byID map[int64]*Agency) error {
	if len(byID) == 0 {
		return nil
	}
	query := `SELECT agency_id, kind, fields FROM agency_kinds`
	var args []any
	if len(byID) == 1 {
		for id := range byID {
			query += ` WHERE agency_id = ?`
			args = append(args, id)
		}
	}
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var kind, fields string
		if err := rows.Scan(&id, &kind, &fields); err != nil {
			return err
		}
		if a := byID[id]; a != nil {
			a.Kinds[kind] = splitFields(fields)
		}
	}
	return rows.Err()
}

func splitFields(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// AgencyByID returns one agency with its kinds.
func (s *Service) AgencyByID(ctx context.Context, id int64) (*Agency, error) {
	return s.agencyBy(ctx, s.DB, `a.id = ?`, id)
}

// AgencyByCode returns one agency with its kinds.
func (s *Service) AgencyByCode(ctx context.Context, code string) (*Agency, error) {
	return s.agencyBy(ctx, s.DB, `a.code = ?`, code)
}

func (s *Service) agencyBy(ctx context.Context, q db.Querier, where string, arg any) (*Agency, error) {
	a, err := scanAgency(q.QueryRow(ctx, `SELECT `+agencyCols+` FROM agencies a JOIN agency_categories c ON c.id = a.category_id WHERE `+where, arg))
	if err != nil {
		return nil, err
	}
	if err := s.loadKinds(ctx, q, map[int64]*Agency{a.ID: a}); err != nil {
		return nil, err
	}
	return a, nil
}

// SaveAgency creates (ID 0) or updates an agency and replaces its kinds.
func (s *Service) SaveAgency(ctx context.Context, actor audit.Actor, a *Agency) error {
	if err := a.validate(); err != nil {
		return &ValidationError{Err: err}
	}
	now := db.FormatTime(s.now())
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		action := "agency.update"
		if a.ID == 0 {
			action = "agency.create"
			err := tx.QueryRow(ctx, `INSERT INTO agencies (code, category_id, name, address, phone, account_label, account_required, delivery,
				encoding, agreed_days, sort_order, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				a.Code, a.CategoryID, a.Name, a.Address, a.Phone, a.AccountLabel, a.AccountRequired, a.Delivery, a.Encoding, a.AgreedDays,
				a.SortOrder, a.Active, now, now).Scan(&a.ID)
			if db.IsUniqueViolation(err) {
				return &ValidationError{Err: fmt.Errorf("機關代碼 %s 已被使用", a.Code)}
			}
			if err != nil {
				return err
			}
		} else {
			res, err := tx.Exec(ctx, `UPDATE agencies SET category_id = ?, name = ?, address = ?, phone = ?, account_label = ?, account_required = ?,
				delivery = ?, encoding = ?, agreed_days = ?, sort_order = ?, active = ?, updated_at = ? WHERE id = ?`,
				a.CategoryID, a.Name, a.Address, a.Phone, a.AccountLabel, a.AccountRequired, a.Delivery, a.Encoding, a.AgreedDays, a.SortOrder,
				a.Active, now, a.ID)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return db.ErrNotFound
			}
			if _, err := tx.Exec(ctx, `DELETE FROM agency_kinds WHERE agency_id = ?`, a.ID); err != nil {
				return err
			}
		}
		if err := insertKinds(ctx, tx, a); err != nil {
			return err
		}
		e := audit.For(actor, action, "agency", fmt.Sprint(a.ID))
		e.Detail = fmt.Sprintf("%s %s delivery=%s encoding=%s days=%d kinds=%s active=%v", a.Code, a.Name, a.Delivery, a.Encoding,
			a.AgreedDays, strings.Join(a.KindCodes(), ","), a.Active)
		return audit.Log(ctx, tx, e)
	})
}

func insertKinds(ctx context.Context, tx *db.Tx, a *Agency) error {
	kinds := make([]string, 0, len(a.Kinds))
	for k := range a.Kinds {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		if _, err := tx.Exec(ctx, `INSERT INTO agency_kinds (agency_id, kind, fields) VALUES (?, ?, ?)`,
			a.ID, k, strings.Join(a.Kinds[k], ",")); err != nil {
			return err
		}
	}
	return nil
}

// ValidationError is bad input; its text is a message for the user.
type ValidationError struct{ Err error }

func (e *ValidationError) Error() string { return e.Err.Error() }
func (e *ValidationError) Unwrap() error { return e.Err }

func invalid(format string, args ...any) error {
	return &ValidationError{Err: fmt.Errorf(format, args...)}
}

// dueDay is the last day an agency has to apply an item released on day.
func dueDay(day civil.Date, agreedDays int) civil.Date { return day.AddDays(agreedDays) }
