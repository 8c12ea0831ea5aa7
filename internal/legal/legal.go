// Package legal is the legal engine of 戶籍行政: legal periods and registration
// deadlines (行政程序法第48條, 戶籍法第48條), late-registration and false-application
// fines (戶籍法第79條、第76條; old law 第53條、第54條), reminder rules (第48條之1、之2),
// the conception period (民法第1062–1063條), naturalization residence (國籍法第3–5條),
// the Taichung birth subsidy and the 自然人憑證 lifecycle.
//
// Every result carries Steps (Chinese lines a clerk reads to the citizen, dates as ROC
// dates) and Articles (the provisions applied). The rules that the law fixes
// (periods, fine tables, subsidy amounts) are embedded data with effective dates.
//
// Calc is the single entry point of the command line (`ebazhao calc KIND`) and of the
// API (`POST /api/v1/calc/KIND`); the typed functions (AddPeriod, Deadline, Fine …)
// serve other packages.
package legal

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"ebazhao/internal/legal/calendar"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/clock"
)

// Calendar and Closure are the office calendar types (package calendar).
type (
	Calendar = calendar.Calendar
	Closure  = calendar.Closure
)

// Options carries what a calculation needs from its environment. The zero value
// means: the embedded office calendar, the MOI fine table, today in Taipei.
type Options struct {
	// Calendar to use, with the office's closures applied (Calendar.ForCity).
	Calendar *Calendar
	// FineStandards are office-level 裁罰基準 adopted within the statutory ranges;
	// the latest one in force for the law applied replaces the MOI table.
	FineStandards []FineStandard
	// Today is the day "now" for inputs that default to it (certificate `on`).
	Today civil.Date
}

func (o Options) calendar() *Calendar {
	if o.Calendar != nil {
		return o.Calendar
	}
	return calendar.Default()
}

func (o Options) today() civil.Date {
	if !o.Today.IsZero() {
		return o.Today
	}
	return clock.System().Today() // callers pass Today; this is the process clock
}

// InputError is an invalid input; Message is a Chinese sentence for the user.
// The API answers it with 400, the command line with a non-zero exit.
type InputError struct {
	Field   string
	Message string
}

func (e *InputError) Error() string { return e.Message }

func inputErr(field, format string, args ...any) *InputError {
	return &InputError{Field: field, Message: fmt.Sprintf(format, args...)}
}

// IsInputError reports whether err is (or wraps) an *InputError.
func IsInputError(err error) bool {
	var ie *InputError
	return errors.As(err, &ie)
}

// Kind names, as used by `ebazhao calc KIND` and /api/v1/calc/KIND.
const (
	KindPeriod               = "period"
	KindDeadline             = "deadline"
	KindFine                 = "fine"
	KindFalseApplicationFine = "false-application-fine"
	KindReminder             = "reminder"
	KindReminderDeadline     = "reminder-deadline"
	KindConception           = "conception"
	KindResidence            = "residence"
	KindBirthSubsidy         = "birth-subsidy"
	KindCertificate          = "certificate"
	KindService              = "service"
	KindLimitation           = "limitation"
)

// KindInfo names a calculator for menus.
type KindInfo struct {
	Kind  string `json:"kind"`
	Title string `json:"title"`
}

var kindInfos = []KindInfo{
	{KindPeriod, "期間計算"},
	{KindDeadline, "法定申辦期間"},
	{KindFine, "逾期申請罰鍰"},
	{KindFalseApplicationFine, "不實申請罰鍰"},
	{KindReminder, "催告規則"},
	{KindReminderDeadline, "催告期限"},
	{KindConception, "受胎期間"},
	{KindResidence, "歸化居留期間"},
	{KindBirthSubsidy, "臺中市生育津貼"},
	{KindCertificate, "自然人憑證展期與換發"},
	{KindService, "送達生效日"},
	{KindLimitation, "罰鍰裁處權時效"},
}

// Kinds lists the calculator kinds Calc accepts.
func Kinds() []string {
	out := make([]string, len(kindInfos))
	for i, k := range kindInfos {
		out[i] = k.Kind
	}
	return out
}

// KindInfos lists the calculator kinds with their Chinese titles.
func KindInfos() []KindInfo { return append([]KindInfo(nil), kindInfos...) }

// Calc decodes one JSON object for the kind, computes, and returns the result (a
// pointer to one of the *Result types, ready for json.Marshal). Invalid input gives
// an *InputError.
func Calc(kind string, input []byte, opts Options) (any, error) {
	switch kind {
	case KindPeriod:
		var in PeriodRequest
		if err := decode(input, &in); err != nil {
			return nil, err
		}
		return PeriodCalc(opts, in)
	case KindDeadline:
		var in DeadlineRequest
		if err := decode(input, &in); err != nil {
			return nil, err
		}
		return DeadlineCalc(opts, in)
	case KindFine:
		var in FineRequest
		if err := decode(input, &in); err != nil {
			return nil, err
		}
		return Fine(opts, in)
	case KindFalseApplicationFine:
		var in FalseApplicationRequest
		if err := decode(input, &in); err != nil {
			return nil, err
		}
		return FalseApplicationFine(opts, in)
	case KindReminder:
		var in ReminderRequest
		if err := decode(input, &in); err != nil {
			return nil, err
		}
		return Reminder(opts, in)
	case KindReminderDeadline:
		var in ReminderDeadlineRequest
		if err := decode(input, &in); err != nil {
			return nil, err
		}
		return ReminderDeadline(opts, in)
	case KindConception:
		var in ConceptionRequest
		if err := decode(input, &in); err != nil {
			return nil, err
		}
		return Conception(in)
	case KindResidence:
		var in ResidenceRequest
		if err := decode(input, &in); err != nil {
			return nil, err
		}
		return Residence(in)
	case KindBirthSubsidy:
		var in BirthSubsidyRequest
		if err := decode(input, &in); err != nil {
			return nil, err
		}
		return BirthSubsidy(opts, in)
	case KindCertificate:
		var in CertificateRequest
		if err := decode(input, &in); err != nil {
			return nil, err
		}
		return Certificate(opts, in)
	case KindService:
		var in ServiceRequest
		if err := decode(input, &in); err != nil {
			return nil, err
		}
		return Service(in)
	case KindLimitation:
		var in LimitationRequest
		if err := decode(input, &in); err != nil {
			return nil, err
		}
		return Limitation(in)
	}
	return nil, inputErr("kind", "不支援的計算種類「%s」，可用：%s", kind, strings.Join(Kinds(), "、"))
}

// decode reads one JSON object; unknown fields are ignored, wrong types and formats
// are reported in Chinese with the field name.
func decode(input []byte, v any) error {
	input = bytes.TrimSpace(input)
	if len(input) == 0 {
		return inputErr("", "未輸入資料：請提供一個 JSON 物件")
	}
	if input[0] != '{' {
		return inputErr("", "輸入須為 JSON 物件（以 { 開頭）")
	}
	dec := json.NewDecoder(bytes.NewReader(input))
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return inputErr("", "輸入只能有一個 JSON 物件")
	}
	return nil
}

func jsonError(err error) error {
	var ie *InputError
	if errors.As(err, &ie) {
		return ie
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return inputErr(te.Field, "欄位「%s」型別錯誤：應為%s", te.Field, jsonTypeName(te.Type.Kind().String()))
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return inputErr("", "JSON 格式錯誤（第%d個字元附近）：%v", se.Offset, se)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return inputErr("", "JSON 不完整")
	}
	return inputErr("", "輸入無法解讀：%v", err)
}

func jsonTypeName(k string) string {
	switch k {
	case "string", "struct":
		return "字串"
	case "int", "int64", "int32", "uint", "float64":
		return "數字"
	case "bool", "ptr":
		return "true 或 false"
	case "slice":
		return "陣列"
	}
	return k
}

// Date is a civil.Date as the calculators' JSON carries it: "YYYY-MM-DD", null
// when zero, read strictly with a Chinese message naming what is wrong.
type Date struct{ civil.Date }

// D wraps a civil day as a Date.
func D(d civil.Date) Date { return Date{d} }

// MarshalJSON writes "YYYY-MM-DD" or null.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + d.ISO() + `"`), nil
}

// UnmarshalJSON reads "YYYY-MM-DD" strictly; null or "" leaves the date empty.
func (d *Date) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" {
		*d = Date{}
		return nil
	}
	var str string
	if err := json.Unmarshal(b, &str); err != nil {
		return inputErr("", "日期應為字串 \"YYYY-MM-DD\"，收到 %s", s)
	}
	str = strings.TrimSpace(str)
	if str == "" {
		*d = Date{}
		return nil
	}
	t, err := parseISO(str)
	if err != nil {
		return err
	}
	*d = Date{t}
	return nil
}

func parseISO(s string) (civil.Date, error) {
	if len(s) != 10 {
		return civil.Date{}, inputErr("", "日期「%s」格式錯誤：應為 YYYY-MM-DD（例：2024-07-07）", s)
	}
	t, err := civil.ParseISO(s)
	if err != nil {
		return civil.Date{}, inputErr("", "日期「%s」格式錯誤或不存在：應為 YYYY-MM-DD（例：2024-07-07）", s)
	}
	if t.Year() < 1900 || t.Year() > 2999 {
		return civil.Date{}, inputErr("", "日期「%s」超出可計算範圍（1900–2999年）", s)
	}
	return t, nil
}

func need(d Date, field, label string) error {
	if d.IsZero() {
		return inputErr(field, "缺少%s（欄位 %s，格式 YYYY-MM-DD）", label, field)
	}
	return nil
}

// DateRange is an inclusive range of days.
type DateRange struct {
	From Date `json:"from"`
	To   Date `json:"to"`
}

func (r DateRange) contains(t civil.Date) bool {
	return !t.Before(r.From.Date) && !t.After(r.To.Date)
}

// explain collects steps and articles, articles deduplicated in order.
type explain struct {
	steps    []string
	articles []string
	warnings []string
}

func (e *explain) step(format string, args ...any) {
	e.steps = append(e.steps, fmt.Sprintf(format, args...))
}

func (e *explain) cite(arts ...string) {
	for _, a := range arts {
		if a == "" {
			continue
		}
		dup := false
		for _, x := range e.articles {
			if x == a {
				dup = true
				break
			}
		}
		if !dup {
			e.articles = append(e.articles, a)
		}
	}
}

func (e *explain) warn(format string, args ...any) {
	w := fmt.Sprintf(format, args...)
	for _, x := range e.warnings {
		if x == w {
			return
		}
	}
	e.warnings = append(e.warnings, w)
	e.steps = append(e.steps, "注意："+w)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// roc formats a day as 113年7月7日.
func roc(t civil.Date) string { return t.ROC() }

var weekdayNames = [...]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}

// rocW formats a day with its weekday: 113年7月7日（星期日）.
func rocW(t civil.Date) string { return roc(t) + "（" + weekdayNames[t.Weekday()] + "）" }

// days is how many days b is after a.
func days(a, b civil.Date) int { return b.DaysSince(a) }
