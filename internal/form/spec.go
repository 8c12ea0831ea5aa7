package form

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Spec is the layout of a template form (範本表單): a portrait A4 page with
// horizontal text (直式橫書), built from blocks. It is stored as JSON in each
// form version, so a supervisor can change a form without a new release, and an
// old version keeps rendering exactly as it was.
//
// Values come from bindings: "a.name" (the first person's name), "b.id_no",
// "office.name", "today", "case.new_name" (a value typed at print time) …; see
// Bindings. Text blocks may embed bindings as {a.name}.
type Spec struct {
	Title    string  `json:"title"`
	Subtitle string  `json:"subtitle,omitempty"`
	Roles    []Role  `json:"roles,omitempty"`  // people the form is about: a, b
	Inputs   []Input `json:"inputs,omitempty"` // case values typed by the clerk
	Blocks   []Block `json:"blocks"`
	Footer   string  `json:"footer,omitempty"` // edition line, e.g. "內政部 103年4月 直式橫書版"
}

// Role is a person a form is about: "a" (申請人, 當事人, 委託人 …) or "b"
// (代理人, 受委託人, 同意人, 配偶 …). Each can be pre-filled from the register.
type Role struct {
	Key   string `json:"key"`
	Label string `json:"label"`
}

// Input is a value the clerk types at print time (a new name, an event date …).
type Input struct {
	Key     string   `json:"key"`
	Label   string   `json:"label"`
	Hint    string   `json:"hint,omitempty"`
	Options []string `json:"options,omitempty"` // a choice list; multiple with Multi
	Multi   bool     `json:"multi,omitempty"`
}

// Block kinds.
const (
	BlockHeading = "heading" // a section bar
	BlockGrid    = "grid"    // rows of labelled cells
	BlockPerson  = "person"  // a role's standard rows (name, ID, birth date, address, phone)
	BlockChecks  = "checks"  // ☐ options, ticked from a case input
	BlockText    = "text"    // a paragraph, may embed {bindings}
	BlockNotes   = "notes"   // numbered 注意事項
	BlockSign    = "sign"    // signature boxes and the date line
	BlockOffice  = "office"  // 以下由戶政事務所填寫
)

// Block is one part of the page.
type Block struct {
	Kind    string   `json:"kind"`
	Title   string   `json:"title,omitempty"`
	Rows    [][]Cell `json:"rows,omitempty"`    // grid
	Role    string   `json:"role,omitempty"`    // person
	Fields  []string `json:"fields,omitempty"`  // person: which fields (default PersonFields)
	Options []string `json:"options,omitempty"` // checks
	Bind    string   `json:"bind,omitempty"`    // checks: the case input that ticks options
	Columns int      `json:"columns,omitempty"` // checks: options per line (default 4)
	Text    string   `json:"text,omitempty"`    // text
	Items   []string `json:"items,omitempty"`   // notes; sign: the signature labels
	Date    bool     `json:"date,omitempty"`    // sign: print the 中華民國 年 月 日 line
}

// Cell is a label and its value box.
type Cell struct {
	Label string `json:"label"`
	Bind  string `json:"bind,omitempty"`  // where the value comes from
	Text  string `json:"text,omitempty"`  // fixed text instead of a value (may embed {bindings})
	W     int    `json:"w,omitempty"`     // relative width (default 1)
	Boxes int    `json:"boxes,omitempty"` // print the value in this many character boxes (ID numbers)
	Lines int    `json:"lines,omitempty"` // height in lines when blank (default 1)
}

// PersonFields are the default rows of a person block.
var PersonFields = []string{"name", "id_no", "birth", "sex", "addr_household", "phone"}

// personFieldLabels are the Chinese labels of person bindings.
var personFieldLabels = map[string]string{
	"name":           "姓名",
	"id_no":          "國民身分證統一編號",
	"birth":          "出生日期",
	"sex":            "性別",
	"addr_household": "戶籍地址",
	"addr_current":   "現住地址",
	"addr_service":   "指定送達地址",
	"addr_business":  "事務(營業)所地址",
	"phone":          "聯絡電話",
	"email":          "電子郵件",
}

// otherBindings are the bindings that are not about a person or a case input.
var otherBindings = map[string]string{
	"office.name":    "受理戶政事務所",
	"office.address": "戶政事務所地址",
	"office.phone":   "戶政事務所電話",
	"clerk.name":     "承辦人",
	"today":          "列印日期（民國年月日）",
	"today.y":        "列印日期：年",
	"today.m":        "列印日期：月",
	"today.d":        "列印日期：日",
}

var (
	roleKey     = regexp.MustCompile(`^[ab]$`)
	inputKey    = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)
	inlineBind  = regexp.MustCompile(`\{([a-z][a-z0-9_.]*)\}`)
	blockKinds  = map[string]bool{BlockHeading: true, BlockGrid: true, BlockPerson: true, BlockChecks: true, BlockText: true, BlockNotes: true, BlockSign: true, BlockOffice: true}
	maxSpecSize = 256 << 10
)

// ParseSpec reads and validates a spec; errors are messages for the supervisor.
func ParseSpec(b []byte) (*Spec, error) {
	if len(b) > maxSpecSize {
		return nil, fmt.Errorf("表單定義過大（上限 %d KB）", maxSpecSize>>10)
	}
	if !utf8.Valid(b) {
		return nil, errors.New("表單定義不是有效的 UTF-8 文字")
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	var s Spec
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("表單定義 JSON 格式錯誤：%v", err)
	}
	if dec.More() {
		return nil, errors.New("表單定義 JSON 之後有多餘的內容")
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return &s, nil
}

// JSON returns the spec as indented JSON.
func (s *Spec) JSON() string {
	b, _ := json.MarshalIndent(s, "", "  ")
	return string(b)
}

// Validate checks every block and binding; the error names the first problem.
func (s *Spec) Validate() error {
	if strings.TrimSpace(s.Title) == "" {
		return errors.New("表單定義缺少標題（title）")
	}
	if len(s.Blocks) == 0 {
		return errors.New("表單定義沒有任何區塊（blocks）")
	}
	roles := map[string]bool{}
	for _, r := range s.Roles {
		if !roleKey.MatchString(r.Key) {
			return fmt.Errorf("人員代號「%s」錯誤：只能是 a 或 b", r.Key)
		}
		if roles[r.Key] {
			return fmt.Errorf("人員代號「%s」重複", r.Key)
		}
		if strings.TrimSpace(r.Label) == "" {
			return fmt.Errorf("人員「%s」缺少名稱", r.Key)
		}
		roles[r.Key] = true
	}
	inputs := map[string]*Input{}
	for i := range s.Inputs {
		in := &s.Inputs[i]
		if !inputKey.MatchString(in.Key) {
			return fmt.Errorf("輸入欄代號「%s」錯誤：限小寫英文、數字與底線", in.Key)
		}
		if inputs[in.Key] != nil {
			return fmt.Errorf("輸入欄代號「%s」重複", in.Key)
		}
		if strings.TrimSpace(in.Label) == "" {
			return fmt.Errorf("輸入欄「%s」缺少名稱", in.Key)
		}
		inputs[in.Key] = in
	}
	checkBind := func(where, b string) error {
		if err := s.checkBinding(b, roles, inputs); err != nil {
			return fmt.Errorf("%s：%w", where, err)
		}
		return nil
	}
	checkText := func(where, t string) error {
		if strings.Count(t, "{") != len(inlineBind.FindAllStringIndex(t, -1)) || strings.Count(t, "{") != strings.Count(t, "}") {
			return fmt.Errorf("%s：文字中的 { } 不成對或代號格式錯誤", where)
		}
		for _, m := range inlineBind.FindAllStringSubmatch(t, -1) {
			if err := checkBind(where, m[1]); err != nil {
				return err
			}
		}
		return nil
	}
	for bi, b := range s.Blocks {
		where := fmt.Sprintf("第 %d 區塊（%s）", bi+1, b.Kind)
		if !blockKinds[b.Kind] {
			return fmt.Errorf("%s：不認識的區塊種類", where)
		}
		if err := checkText(where, b.Title); err != nil {
			return err
		}
		switch b.Kind {
		case BlockHeading:
			if b.Title == "" {
				return fmt.Errorf("%s：標題列需要 title", where)
			}
		case BlockGrid:
			if len(b.Rows) == 0 {
				return fmt.Errorf("%s：表格沒有列", where)
			}
			for ri, row := range b.Rows {
				if len(row) == 0 {
					return fmt.Errorf("%s第 %d 列：沒有欄位", where, ri+1)
				}
				for _, c := range row {
					cw := fmt.Sprintf("%s第 %d 列「%s」", where, ri+1, c.Label)
					if c.Bind != "" && c.Text != "" {
						return fmt.Errorf("%s：bind 與 text 只能擇一", cw)
					}
					if c.Bind != "" {
						if err := checkBind(cw, c.Bind); err != nil {
							return err
						}
					}
					if err := checkText(cw, c.Text); err != nil {
						return err
					}
					if c.W < 0 || c.W > 12 || c.Boxes < 0 || c.Boxes > 20 || c.Lines < 0 || c.Lines > 12 {
						return fmt.Errorf("%s：寬度、格數或行數超出範圍", cw)
					}
				}
			}
		case BlockPerson:
			if !roles[b.Role] {
				return fmt.Errorf("%s：人員「%s」未在 roles 中宣告", where, b.Role)
			}
			for _, f := range b.Fields {
				if _, ok := personFieldLabels[f]; !ok {
					return fmt.Errorf("%s：不認識的人員欄位「%s」", where, f)
				}
			}
		case BlockChecks:
			if len(b.Options) == 0 {
				return fmt.Errorf("%s：勾選區塊沒有選項", where)
			}
			if b.Bind != "" {
				in := inputs[strings.TrimPrefix(b.Bind, "case.")]
				if !strings.HasPrefix(b.Bind, "case.") || in == nil {
					return fmt.Errorf("%s：勾選區塊的 bind 必須是已宣告的輸入欄（case.代號）", where)
				}
				if len(in.Options) == 0 {
					return fmt.Errorf("%s：輸入欄「%s」沒有選項", where, in.Key)
				}
				for _, o := range in.Options {
					if !contains(b.Options, o) {
						return fmt.Errorf("%s：輸入欄選項「%s」不在勾選項目中", where, o)
					}
				}
			}
			if b.Columns < 0 || b.Columns > 8 {
				return fmt.Errorf("%s：每列選項數超出範圍", where)
			}
		case BlockText:
			if b.Text == "" {
				return fmt.Errorf("%s：文字區塊沒有內容", where)
			}
			if err := checkText(where, b.Text); err != nil {
				return err
			}
		case BlockNotes:
			if len(b.Items) == 0 {
				return fmt.Errorf("%s：注意事項沒有內容", where)
			}
			for _, it := range b.Items {
				if err := checkText(where, it); err != nil {
					return err
				}
			}
		case BlockSign:
			if len(b.Items) == 0 && !b.Date {
				return fmt.Errorf("%s：簽章區塊沒有簽章欄", where)
			}
		}
	}
	return nil
}

func (s *Spec) checkBinding(b string, roles map[string]bool, inputs map[string]*Input) error {
	if _, ok := otherBindings[b]; ok {
		return nil
	}
	if k, ok := strings.CutPrefix(b, "case."); ok {
		if inputs[k] == nil {
			return fmt.Errorf("輸入欄「%s」未在 inputs 中宣告", k)
		}
		return nil
	}
	role, field, ok := strings.Cut(b, ".")
	if ok && roleKey.MatchString(role) {
		if !roles[role] {
			return fmt.Errorf("人員「%s」未在 roles 中宣告", role)
		}
		if _, ok := personFieldLabels[field]; !ok {
			return fmt.Errorf("不認識的人員欄位「%s」", field)
		}
		return nil
	}
	return fmt.Errorf("不認識的資料代號「%s」", b)
}

// Bindings lists every binding a spec may use, for the maintenance help page.
func Bindings() []struct{ Key, Label string } {
	var out []struct{ Key, Label string }
	for _, r := range []string{"a", "b"} {
		for _, f := range []string{"name", "id_no", "birth", "sex", "addr_household", "addr_current", "addr_service", "addr_business", "phone", "email"} {
			out = append(out, struct{ Key, Label string }{r + "." + f, "人員" + r + "：" + personFieldLabels[f]})
		}
	}
	for _, k := range []string{"office.name", "office.address", "office.phone", "clerk.name", "today", "today.y", "today.m", "today.d"} {
		out = append(out, struct{ Key, Label string }{k, otherBindings[k]})
	}
	out = append(out, struct{ Key, Label string }{"case.代號", "列印時輸入的值（須於 inputs 宣告）"})
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
