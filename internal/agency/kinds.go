package agency

import (
	"errors"
	"fmt"
	"strings"

	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/idno"
	"ebazhao/internal/platform/rocdate"
)

// FieldType says how a field is typed, checked and printed.
type FieldType string

const (
	TypeText    FieldType = "text"
	TypeAddress FieldType = "address"
	TypeName    FieldType = "name"
	TypeDate    FieldType = "date"
	TypeIDNo    FieldType = "idno"
)

// Prefill sources: where the counter form takes a field's first value from.
const (
	FromHousehold = "household" // the person's 戶籍地址
	FromName      = "name"
	FromBirthDate = "birth_date"
	FromIDNo      = "id_no"
)

// Field is one value a change carries (an old or a new value, or a date).
type Field struct {
	Key      string
	Label    string
	Type     FieldType
	Required bool
	Prefill  string // one of the From… sources, or ""
	// Changed names the field this one must differ from (new vs old value).
	Changed string
}

// Kind is a change kind (異動類別): what happened at the registration that the
// agencies should learn, with the fields it carries.
type Kind struct {
	Code  string
	Name  string
	Short string // for narrow table columns
	Hint  string
	// ApplicantRequired: someone other than the person concerned signs (a
	// deceased person cannot; a newborn's parent signs for the child's card).
	ApplicantRequired bool
	// NotSelf: the applicant may not be the person concerned (death).
	NotSelf bool
	Fields  []Field
}

// SubjectBirthDate is a pseudo-field an agency may receive with every kind: the
// person's date of birth, which many agencies match records on.
const SubjectBirthDate = "subject_birth_date"

// Kinds is the catalogue of change kinds (seed: 遷徙、改名、更正出生日期、更正
// 統一編號、出生（新生兒健保卡）、死亡; 門牌整編 changes addresses like a move).
var Kinds = []Kind{
	{Code: "move", Name: "遷徙／住址變更", Short: "遷徙", Hint: "戶籍遷入、住址變更：更新通訊、投遞、帳單寄送地址",
		Fields: []Field{
			{Key: "old_address", Label: "原地址", Type: TypeAddress, Required: true, Prefill: FromHousehold},
			{Key: "new_address", Label: "新地址", Type: TypeAddress, Required: true, Changed: "old_address"},
			{Key: "event_date", Label: "遷入登記日期", Type: TypeDate, Required: true},
		}},
	{Code: "renumber", Name: "門牌整編", Short: "門牌整編", Hint: "門牌整編或地址更正：人未遷徙、地址文字改變",
		Fields: []Field{
			{Key: "old_address", Label: "整編前地址", Type: TypeAddress, Required: true, Prefill: FromHousehold},
			{Key: "new_address", Label: "整編後地址", Type: TypeAddress, Required: true, Changed: "old_address"},
			{Key: "event_date", Label: "整編日期", Type: TypeDate, Required: true},
		}},
	{Code: "name", Name: "姓名變更（改名、改姓）", Short: "改名", Hint: "改名、改姓、冠姓或回復本姓",
		Fields: []Field{
			{Key: "old_name", Label: "原姓名", Type: TypeName, Required: true, Prefill: FromName},
			{Key: "new_name", Label: "新姓名", Type: TypeName, Required: true, Changed: "old_name"},
			{Key: "event_date", Label: "變更登記日期", Type: TypeDate, Required: true},
		}},
	{Code: "birth_date", Name: "更正出生日期", Short: "更正生日", Hint: "出生日期更正登記",
		Fields: []Field{
			{Key: "old_birth_date", Label: "原出生日期", Type: TypeDate, Required: true, Prefill: FromBirthDate},
			{Key: "new_birth_date", Label: "更正後出生日期", Type: TypeDate, Required: true, Changed: "old_birth_date"},
			{Key: "event_date", Label: "更正登記日期", Type: TypeDate, Required: true},
		}},
	{Code: "id_no", Name: "更正身分證統一編號", Short: "更正統號", Hint: "統一編號更正（新統一編號已核配）",
		Fields: []Field{
			{Key: "old_id_no", Label: "原統一編號", Type: TypeIDNo, Required: true, Prefill: FromIDNo},
			{Key: "new_id_no", Label: "新統一編號", Type: TypeIDNo, Required: true, Changed: "old_id_no"},
			{Key: "event_date", Label: "更正登記日期", Type: TypeDate, Required: true},
		}},
	{Code: "birth", Name: "出生（新生兒健保卡）", Short: "出生", Hint: "出生登記後：新生兒依附父或母投保、製發健保卡", ApplicantRequired: true,
		Fields: []Field{
			{Key: "child_name", Label: "新生兒姓名", Type: TypeName, Required: true},
			{Key: "child_id_no", Label: "新生兒統一編號", Type: TypeIDNo, Required: true},
			{Key: "child_birth_date", Label: "新生兒出生日期", Type: TypeDate, Required: true},
			{Key: "mailing_address", Label: "健保卡寄送地址", Type: TypeAddress, Required: true, Prefill: FromHousehold},
			{Key: "event_date", Label: "出生登記日期", Type: TypeDate, Required: true},
		}},
	{Code: "death", Name: "死亡", Short: "死亡", Hint: "死亡登記後：退保、停發給付、過戶或停用", ApplicantRequired: true, NotSelf: true,
		Fields: []Field{
			{Key: "death_date", Label: "死亡日期", Type: TypeDate, Required: true},
			{Key: "contact_address", Label: "家屬聯絡地址", Type: TypeAddress, Required: true, Prefill: FromHousehold},
			{Key: "event_date", Label: "死亡登記日期", Type: TypeDate, Required: true},
		}},
}

// KindByCode returns the kind with code, or false.
func KindByCode(code string) (Kind, bool) {
	for _, k := range Kinds {
		if k.Code == code {
			return k, true
		}
	}
	return Kind{}, false
}

// Field returns the kind's field with key, or false.
func (k Kind) Field(key string) (Field, bool) {
	for _, f := range k.Fields {
		if f.Key == key {
			return f, true
		}
	}
	return Field{}, false
}

// FieldKeys lists the keys of the kind's fields plus the subject's birth date,
// the set an agency's field list is chosen from.
func (k Kind) FieldKeys() []string {
	out := []string{SubjectBirthDate}
	for _, f := range k.Fields {
		out = append(out, f.Key)
	}
	return out
}

// FieldLabel names any field key of any kind (for file headers and pages).
func FieldLabel(key string) string {
	if key == SubjectBirthDate {
		return "出生日期"
	}
	for _, k := range Kinds {
		if f, ok := k.Field(key); ok {
			switch key {
			case "old_address":
				return "原地址"
			case "new_address":
				return "新地址"
			case "event_date":
				return "登記日期"
			}
			return f.Label
		}
	}
	return key
}

// maxText bounds every free-text value (addresses are the longest).
const maxText = 200

// Validate normalizes the raw values typed at the counter (ROC or ISO dates,
// IDs in any case) into stored form (ISO dates, upper-case IDs) and checks them.
// The error is a Chinese message naming the field.
func (k Kind) Validate(raw map[string]string, today civil.Date) (map[string]string, error) {
	out := map[string]string{}
	for _, f := range k.Fields {
		v := strings.TrimSpace(raw[f.Key])
		if v == "" {
			if f.Required {
				return nil, fmt.Errorf("請填寫「%s」", f.Label)
			}
			continue
		}
		norm, err := normalizeValue(f, v, today)
		if err != nil {
			return nil, fmt.Errorf("「%s」%v", f.Label, err)
		}
		out[f.Key] = norm
	}
	for _, f := range k.Fields {
		if f.Changed != "" && out[f.Key] != "" && out[f.Key] == out[f.Changed] {
			o, _ := k.Field(f.Changed)
			return nil, fmt.Errorf("「%s」與「%s」相同，沒有需要通報的變更", f.Label, o.Label)
		}
	}
	return out, nil
}

func normalizeValue(f Field, v string, today civil.Date) (string, error) {
	switch f.Type {
	case TypeDate:
		d, err := civil.Parse(v)
		if err != nil {
			return "", errors.New(strings.TrimPrefix(err.Error(), rocdate.ErrInvalid.Error()))
		}
		if d.After(today) {
			return "", errors.New("不可晚於今天")
		}
		if d.Year() < 1900 {
			return "", errors.New("日期過早")
		}
		return d.ISO(), nil
	case TypeIDNo:
		id := idno.Normalize(v)
		if _, err := idno.Validate(id); err != nil {
			return "", fmt.Errorf("：%v", err)
		}
		return id, nil
	case TypeName:
		if len([]rune(v)) > 60 {
			return "", errors.New("過長（最多60字）")
		}
	default:
		if len([]rune(v)) > maxText {
			return "", fmt.Errorf("過長（最多%d字）", maxText)
		}
	}
	if strings.ContainsAny(v, "\x00\r\n\t") {
		return "", errors.New("含有控制字元")
	}
	return v, nil
}
