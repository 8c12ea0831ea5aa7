package notice

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
)

// Template is one version of a document template (文書範本).
type Template struct {
	ID            int64      `json:"id"`
	Kind          Kind       `json:"kind"`
	Subtype       string     `json:"subtype"`
	Item          string     `json:"item"`
	Version       int        `json:"version"`
	Name          string     `json:"name"`
	Body          string     `json:"body"`
	Articles      []string   `json:"articles"`
	DeadlineRule  string     `json:"deadline_rule,omitempty"`
	Items         []string   `json:"items,omitempty"`
	EffectiveFrom civil.Date `json:"-"`
	Note          string     `json:"note,omitempty"`
	SeedKey       string     `json:"-"`
	Retired       bool       `json:"retired"`
	CreatedBy     string     `json:"created_by,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
}

// Key is the template's kind/subtype/item, shared by all its versions.
func (t *Template) Key() string { return string(t.Kind) + "|" + t.Subtype + "|" + t.Item }

// Placeholder is a field a template may use as {{名稱}}.
type Placeholder struct {
	Name     string
	Label    string // what the clerk fills (for error messages)
	Field    string // input field it comes from
	Optional bool   // may be empty
}

// Placeholders lists every field a template may use.
var Placeholders = []Placeholder{
	{"機關", "戶政事務所名稱", "", false},
	{"機關地址", "戶政事務所地址", "", false},
	{"機關電話", "戶政事務所電話", "", false},
	{"縣市政府", "訴願管轄機關", "", false},
	{"開立日期", "開立日期", "", false},
	{"承辦人", "承辦人", "", false},
	{"受文者", "受文者姓名", "recipient.name", false},
	{"統一編號", "受文者統一編號", "recipient.id_no", false},
	{"出生日期", "受文者出生日期", "recipient.birth_date", false},
	{"地址", "受文者地址", "recipient.address", false},
	{"地址種類", "地址種類", "recipient.address_kind", false},
	{"登記項目", "登記項目", "item", false},
	{"登記當事人", "登記當事人姓名", "subject", true},
	{"事件發生日", "事件發生（確定）日", "event_date", false},
	{"登記日期", "登記（申請）日期", "registration_date", false},
	{"法定期間", "法定申請期間", "event_date", false},
	{"法定期限", "法定申請期限", "event_date", false},
	{"期間條文", "申請期間之法條", "item", false},
	{"法令依據", "適用法條", "item", false},
	{"適用法律", "適用法律", "event_date", false},
	{"通知事由", "通知事由", "subtype", false},
	{"通知期限", "通知期限", "notice_deadline", false},
	{"催告種類", "催告書種類", "subtype", false},
	{"催告日數", "催告期限（日數）", "reminder_days", false},
	{"催告期限附註", "催告期限", "reminder_days", true},
	{"逕為登記條文", "逕為登記之法條", "item", false},
	{"逾期罰則條文", "逾期罰則", "event_date", false},
	{"逾期罰鍰範圍", "逾期罰鍰範圍", "event_date", false},
	{"催告罰則條文", "經催告仍不申請之罰則", "event_date", false},
	{"催告罰鍰", "經催告仍不申請之罰鍰", "event_date", false},
	{"罰則條文", "罰則", "subtype", false},
	{"罰鍰範圍", "法定罰鍰範圍", "subtype", false},
	{"罰鍰金額", "罰鍰金額", "amount", false},
	{"逾期日數", "逾期日數", "registration_date", false},
	{"裁罰說明", "裁罰基準之適用", "amount", false},
	{"查獲方式", "不實申請查獲方式", "discovered_by", false},
	{"不實事項", "不實事項", "false_matter", false},
	{"催告書字號", "催告書字號", "reminder_ref", false},
	{"申辦事項", "申辦事項", "subtype", false},
	{"受理日期", "受理日期", "accepted_date", false},
	{"申請人", "申請人姓名", "applicant", false},
	{"補正期限附註", "補正期限", "fix_by", true},
	{"附註", "附註", "note", true},
}

func placeholder(name string) (Placeholder, bool) {
	for _, p := range Placeholders {
		if p.Name == name {
			return p, true
		}
	}
	return Placeholder{}, false
}

var placeholderRE = regexp.MustCompile(`\{\{\s*([^{}]*?)\s*\}\}`)

// PlaceholdersIn lists the distinct placeholder names used in s, in order.
func PlaceholdersIn(s string) []string {
	var out []string
	for _, m := range placeholderRE.FindAllStringSubmatch(s, -1) {
		if !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	return out
}

// Fill replaces every placeholder of body with its value. A placeholder with no
// value (and not optional) is an error naming the field to fill; an unknown one
// is an error too. The result never holds a placeholder.
func Fill(body string, values map[string]string) (string, error) {
	if err := strayBraces(body); err != nil {
		return "", err
	}
	var missing []string
	var missingField string
	for _, name := range PlaceholdersIn(body) {
		p, ok := placeholder(name)
		if !ok {
			return "", fieldErr("text", "範本含未知欄位「{{%s}}」，請主管修正範本", name)
		}
		if values[name] == "" && !p.Optional {
			missing = append(missing, p.Label)
			if missingField == "" {
				missingField = p.Field
			}
		}
	}
	if len(missing) > 0 {
		return "", fieldErr(missingField, "範本欄位無值：請填寫%s", strings.Join(missing, "、"))
	}
	out := placeholderRE.ReplaceAllStringFunc(body, func(m string) string {
		name := placeholderRE.FindStringSubmatch(m)[1]
		return values[name]
	})
	return out, nil
}

// strayBraces refuses 「{{」 or 「}}」 that are not part of a placeholder.
func strayBraces(s string) error {
	rest := placeholderRE.ReplaceAllString(s, "")
	if strings.Contains(rest, "{{") || strings.Contains(rest, "}}") {
		return fieldErr("body", "範本內容有不成對或不完整的「{{」「}}」，欄位應寫成 {{欄位名稱}}")
	}
	return nil
}

// LeftoverPlaceholder reports a placeholder left in a text (an edited text must
// not keep one).
func LeftoverPlaceholder(text string) (string, bool) {
	m := placeholderRE.FindStringSubmatch(text)
	if m == nil {
		return "", false
	}
	return m[1], true
}

// validateTemplate checks a template before it is stored.
func validateTemplate(t *Template) error {
	if _, ok := t.Kind.Info(); !ok {
		return fieldErr("kind", "文書種類「%s」不明", t.Kind)
	}
	t.Subtype, t.Item, t.Name = strings.TrimSpace(t.Subtype), strings.TrimSpace(t.Item), strings.TrimSpace(t.Name)
	t.Body = strings.TrimSpace(strings.ReplaceAll(t.Body, "\r\n", "\n"))
	if t.Name == "" {
		return fieldErr("name", "請填寫範本名稱")
	}
	if t.Body == "" {
		return fieldErr("body", "範本內容不可空白")
	}
	if len([]rune(t.Body)) > 8000 {
		return fieldErr("body", "範本內容過長（最多8000字）")
	}
	if err := strayBraces(t.Body); err != nil {
		return err
	}
	for _, name := range PlaceholdersIn(t.Body) {
		if _, ok := placeholder(name); !ok {
			var names []string
			for _, p := range Placeholders {
				names = append(names, p.Name)
			}
			return fieldErr("body", "範本含未知欄位「{{%s}}」，可用欄位：%s", name, strings.Join(names, "、"))
		}
	}
	switch t.Kind {
	case KindReminder:
		if !slices.Contains(reminderTypes(), t.Subtype) {
			return fieldErr("subtype", "催告書種類「%s」不明，可用：%s", t.Subtype, strings.Join(reminderTypes(), "、"))
		}
	case KindFine:
		if !slices.Contains(FineSubtypes(), t.Subtype) {
			return fieldErr("subtype", "違規態樣「%s」不明，可用：%s", t.Subtype, strings.Join(FineSubtypes(), "、"))
		}
	case KindConfirm:
		if !slices.Contains(ConfirmSubtypes(), t.Subtype) {
			return fieldErr("subtype", "通知單申辦事項「%s」不明，可用：%s", t.Subtype, strings.Join(ConfirmSubtypes(), "、"))
		}
	case KindNotice:
		if t.Subtype == "" {
			return fieldErr("subtype", "請填寫通知事由")
		}
	case KindOneTime:
		t.Subtype = ""
	}
	if t.Kind != KindOneTime && t.Item != "" {
		name, err := canonicalRegistration(t.Item)
		if err != nil {
			return err
		}
		t.Item = name
	}
	if t.Kind == KindOneTime && t.Item != "" && len(t.Items) == 0 {
		return fieldErr("items", "一次告知單快速開單類別須有至少一項告知事項")
	}
	var items []string
	for _, it := range t.Items {
		if it = strings.TrimSpace(it); it != "" {
			items = append(items, it)
		}
	}
	t.Items = items
	var arts []string
	for _, a := range t.Articles {
		if a = strings.TrimSpace(a); a != "" {
			arts = append(arts, a)
		}
	}
	t.Articles = arts
	if err := checkDeadlineRule(t.DeadlineRule); err != nil {
		return err
	}
	if t.EffectiveFrom.IsZero() {
		return fieldErr("effective_from", "請填寫生效日期")
	}
	return nil
}

func checkDeadlineRule(rule string) error {
	switch {
	case rule == "", rule == "legal", rule == "none":
		return nil
	case strings.HasPrefix(rule, "days:"):
		n, err := strconv.Atoi(strings.TrimPrefix(rule, "days:"))
		if err != nil || n < 1 || n > 365 {
			return fieldErr("deadline_rule", "通知期限規則「%s」有誤：天數應為1–365", rule)
		}
		return nil
	}
	return fieldErr("deadline_rule", "通知期限規則「%s」不明：可用 legal（法定期限）、days:N（開立日起N日）、none（無期限）或空白（承辦人輸入）", rule)
}

// DeadlineRuleLabel describes a notice deadline rule.
func DeadlineRuleLabel(rule string) string {
	switch {
	case rule == "legal":
		return "法定申請期限"
	case rule == "none":
		return "無期限"
	case strings.HasPrefix(rule, "days:"):
		return "開立日起" + strings.TrimPrefix(rule, "days:") + "日"
	}
	return "由承辦人輸入"
}

const templateCols = `t.id, t.kind, t.subtype, t.item, t.version, t.name, t.body, t.articles, t.deadline_rule, t.items,
	t.effective_from, t.note, t.seed_key, t.retired, COALESCE(u.display_name, ''), t.created_at`

func scanTemplate(r interface{ Scan(...any) error }) (*Template, error) {
	var t Template
	var arts, items, created string
	if err := r.Scan(&t.ID, &t.Kind, &t.Subtype, &t.Item, &t.Version, &t.Name, &t.Body, &arts, &t.DeadlineRule, &items,
		&t.EffectiveFrom, &t.Note, &t.SeedKey, &t.Retired, &t.CreatedBy, &created); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, db.ErrNotFound
		}
		return nil, err
	}
	t.Articles, t.Items = lines(arts), lines(items)
	t.CreatedAt = db.ParseTime(created)
	return &t, nil
}

func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// TemplateByID loads one template version.
func (s *Service) TemplateByID(ctx context.Context, id int64) (*Template, error) {
	if err := s.ensureSeeded(ctx); err != nil {
		return nil, err
	}
	return scanTemplate(s.DB.QueryRow(ctx, `SELECT `+templateCols+` FROM doc_templates t LEFT JOIN users u ON u.id = t.created_by WHERE t.id = ?`, id))
}

// TemplateFilter selects templates for the maintenance list.
type TemplateFilter struct {
	Kind        Kind
	AllVersions bool // every version, not only the latest of each key
}

// Templates lists templates, the latest version of each key unless AllVersions.
func (s *Service) Templates(ctx context.Context, f TemplateFilter) ([]*Template, error) {
	if err := s.ensureSeeded(ctx); err != nil {
		return nil, err
	}
	q := `SELECT ` + templateCols + ` FROM doc_templates t LEFT JOIN users u ON u.id = t.created_by WHERE 1 = 1`
	var args []any
	if f.Kind != "" {
		q += ` AND t.kind = ?`
		args = append(args, string(f.Kind))
	}
	if !f.AllVersions {
		q += ` AND t.version = (SELECT MAX(v.version) FROM doc_templates v WHERE v.kind = t.kind AND v.subtype = t.subtype AND v.item = t.item)`
	}
	q += ` ORDER BY t.kind, t.subtype, t.item, t.version DESC`
	rows, err := s.DB.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Template
	for rows.Next() {
		t, err := scanTemplate(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return kindOrder(out[i].Kind) < kindOrder(out[j].Kind)
		}
		return false
	})
	return out, nil
}

func kindOrder(k Kind) int {
	for i, x := range kindInfos {
		if x.Kind == k {
			return i
		}
	}
	return len(kindInfos)
}

// TemplateVersions lists every version of the template with the same key as t.
func (s *Service) TemplateVersions(ctx context.Context, t *Template) ([]*Template, error) {
	rows, err := s.DB.Query(ctx, `SELECT `+templateCols+` FROM doc_templates t LEFT JOIN users u ON u.id = t.created_by
		WHERE t.kind = ? AND t.subtype = ? AND t.item = ? ORDER BY t.version DESC`, string(t.Kind), t.Subtype, t.Item)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Template
	for rows.Next() {
		v, err := scanTemplate(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// pickTemplate finds the template version in force on day for kind/subtype/item:
// the exact item first, then the subtype's general template ("" item). A retired
// latest version means the key is withdrawn.
func (s *Service) pickTemplate(ctx context.Context, q db.Querier, kind Kind, subtype, item string, day civil.Date) (*Template, error) {
	if err := s.ensureSeeded(ctx); err != nil {
		return nil, err
	}
	for _, it := range []string{item, ""} {
		t, err := scanTemplate(q.QueryRow(ctx, `SELECT `+templateCols+` FROM doc_templates t LEFT JOIN users u ON u.id = t.created_by
			WHERE t.kind = ? AND t.subtype = ? AND t.item = ? AND t.effective_from <= ? ORDER BY t.version DESC LIMIT 1`,
			string(kind), subtype, it, day))
		if errors.Is(err, db.ErrNotFound) {
			if it == "" {
				break
			}
			continue
		}
		if err != nil {
			return nil, err
		}
		if t.Retired {
			if it == "" {
				break
			}
			continue
		}
		return t, nil
	}
	what := kind.Label()
	if subtype != "" {
		what += "「" + subtype + "」"
	}
	if item != "" {
		return nil, fieldErr("item", "%s沒有「%s」適用且已生效的範本，請洽主管建立範本", what, item)
	}
	return nil, fieldErr("subtype", "%s沒有已生效的範本，請洽主管建立範本", what)
}

// SaveTemplate stores t as the next version of its key (a new template when the
// key is new). Existing versions are never changed: documents issued under them
// keep showing their wording.
func (s *Service) SaveTemplate(ctx context.Context, actor audit.Actor, t *Template) error {
	if err := validateTemplate(t); err != nil {
		return err
	}
	if err := s.ensureSeeded(ctx); err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		if err := insertTemplate(ctx, tx, actor.UserID, t, s.now()); err != nil {
			return err
		}
		e := audit.For(actor, "document.template.save", "doc_template", strconv.FormatInt(t.ID, 10))
		e.Detail = fmt.Sprintf("%s v%d %s", t.Key(), t.Version, t.Name)
		return audit.Log(ctx, tx, e)
	})
}

func insertTemplate(ctx context.Context, tx *db.Tx, userID int64, t *Template, now time.Time) error {
	var last int
	if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM doc_templates WHERE kind = ? AND subtype = ? AND item = ?`,
		string(t.Kind), t.Subtype, t.Item).Scan(&last); err != nil {
		return err
	}
	t.Version = last + 1
	var uid any
	if userID != 0 {
		uid = userID
	}
	t.CreatedAt = now
	err := tx.QueryRow(ctx, `INSERT INTO doc_templates (kind, subtype, item, version, name, body, articles, deadline_rule, items,
		effective_from, note, seed_key, retired, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		string(t.Kind), t.Subtype, t.Item, t.Version, t.Name, t.Body, strings.Join(t.Articles, "\n"), t.DeadlineRule,
		strings.Join(t.Items, "\n"), t.EffectiveFrom, t.Note, t.SeedKey, t.Retired, uid, db.FormatTime(now)).Scan(&t.ID)
	if db.IsUniqueViolation(err) {
		return &ConflictError{Message: "另一位主管剛儲存了同一範本的新版本，請重新開啟後再修改"}
	}
	return err
}
