package calc

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"ebazhao/internal/legal"
	"ebazhao/internal/platform/civil"
)

// field is one input of a calculator form. Dates are typed as ROC dates; a
// "rows" field is a textarea with one object per line (columns comma-separated).
type field struct {
	Name        string
	Label       string
	Type        string // date, text, select, bool, int, rows
	Options     []string
	Placeholder string
	Help        string
	Optional    bool
	Columns     []column // for rows
}

type column struct {
	Key  string
	Type string // date, text, bool
}

var bases = []string{"", "判決確定", "調解和解成立", "兩願", "國外", "任意認領", "法院認可", "喪失國籍", "故意不實申請"}

// forms are the calculator forms, by kind.
func forms() map[string][]field {
	regs := append([]string{""}, legal.RegistrationNames()...)
	return map[string][]field{
		legal.KindPeriod: {
			{Name: "start_date", Label: "起算基準日（不算入）", Type: "date", Placeholder: "113.1.10", Help: "如送達日、事件發生日"},
			{Name: "period", Label: "期間", Type: "text", Placeholder: "30日、1個月、3個月、1年、3個月又30日"},
		},
		legal.KindDeadline: {
			{Name: "registration", Label: "登記項目", Type: "select", Options: regs},
			{Name: "basis", Label: "原因", Type: "select", Options: bases, Optional: true},
			{Name: "event_date", Label: "事件發生日", Type: "date"},
			{Name: "law", Label: "適用法律", Type: "select", Options: []string{"", "old", "new"}, Optional: true, Help: "空白：依事件發生日自動判斷"},
		},
		legal.KindFine: {
			{Name: "registration", Label: "登記項目", Type: "select", Options: regs},
			{Name: "basis", Label: "原因", Type: "select", Options: bases, Optional: true},
			{Name: "event_date", Label: "事件發生日", Type: "date"},
			{Name: "application_date", Label: "申請日", Type: "date"},
			{Name: "reminded_and_still_not_applied", Label: "經催告仍不申請", Type: "bool"},
		},
		legal.KindFalseApplicationFine: {
			{Name: "discovered_by", Label: "發現方式", Type: "select", Options: legal.DiscoveredBy},
		},
		legal.KindReminder: {
			{Name: "registration", Label: "登記項目", Type: "select", Options: regs},
			{Name: "basis", Label: "原因", Type: "select", Options: bases, Optional: true},
		},
		legal.KindReminderDeadline: {
			{Name: "served_date", Label: "催告書送達日", Type: "date"},
			{Name: "min_days", Label: "催告期限至少（日）", Type: "int", Placeholder: "7"},
		},
		legal.KindConception: {
			{Name: "birth_date", Label: "子女出生日", Type: "date"},
			{Name: "marriages", Label: "母之婚姻（每行一段：夫姓名, 結婚日, 婚姻關係消滅日或空白）", Type: "rows", Optional: true,
				Placeholder: "王大明, 105.3.1, 112.6.30\n李小華, 112.10.1,", Columns: []column{{"husband", "text"}, {"start", "date"}, {"end", "date"}}},
		},
		legal.KindResidence: {
			{Name: "application_date", Label: "申請日", Type: "date"},
			{Name: "category", Label: "類別", Type: "select", Options: legal.ResidenceCategories()},
			{Name: "stays", Label: "入出境紀錄（每行：入境日, 出境日或空白）", Type: "rows", Optional: true,
				Placeholder: "108.1.5, 108.12.20\n109.1.3,", Columns: []column{{"entry", "date"}, {"exit", "date"}}},
		},
		legal.KindBirthSubsidy: {
			{Name: "birth_date", Label: "新生兒出生日", Type: "date"},
			{Name: "application_date", Label: "申請日", Type: "date"},
			{Name: "birth_order", Label: "胎次", Type: "int", Placeholder: "1"},
			{Name: "plurality", Label: "胞胎數", Type: "int", Placeholder: "1"},
			{Name: "newborn_registered_in_taichung", Label: "新生兒於本市辦理出生登記", Type: "bool"},
			{Name: "parents", Label: "父母（每行：父或母, 最近遷入本市日, 申請時仍設籍本市 是/否）", Type: "rows",
				Placeholder: "母, 110.5.1, 是\n父, 112.3.1, 是", Columns: []column{{"who", "text"}, {"last_move_in", "date"}, {"registered_at_application", "bool"}}},
		},
		legal.KindCertificate: {
			{Name: "expiry", Label: "憑證效期截止日", Type: "date"},
			{Name: "extended", Label: "已展期過", Type: "bool"},
			{Name: "first_issued", Label: "首次發證日", Type: "date", Optional: true},
			{Name: "on", Label: "查詢日", Type: "date", Optional: true, Help: "空白為今天"},
		},
		legal.KindService: {
			{Name: "method", Label: "送達方式", Type: "select", Options: append([]string{""}, legal.ServiceMethods()...)},
			{Name: "date", Label: "交付、收領、寄存或公告（最後登載）日", Type: "date", Placeholder: "115.3.2"},
			{Name: "abroad", Label: "於外國或境外送達之公示送達（行政程序法第78條第1項第3款）", Type: "bool"},
		},
		legal.KindLimitation: {
			{Name: "act_end_date", Label: "違規行為終了日（申請或逕為登記之日）", Type: "date"},
			{Name: "decision_date", Label: "擬裁處日", Type: "date", Optional: true},
		},
	}
}

// formInput converts a submitted calculator form to the JSON input of the kind.
func formInput(fields []field, f url.Values) ([]byte, error) {
	in := map[string]any{}
	for _, fd := range fields {
		v := strings.TrimSpace(f.Get(fd.Name))
		switch fd.Type {
		case "bool":
			in[fd.Name] = v == "on" || v == "true"
			continue
		case "rows":
			rows, err := parseRows(fd, v)
			if err != nil {
				return nil, err
			}
			in[fd.Name] = rows
			continue
		}
		if v == "" {
			if !fd.Optional {
				return nil, fmt.Errorf("請填寫「%s」", fd.Label)
			}
			continue
		}
		switch fd.Type {
		case "date":
			d, err := civil.Parse(v)
			if err != nil {
				return nil, fmt.Errorf("「%s」：%w", fd.Label, err)
			}
			in[fd.Name] = d.ISO()
		case "int":
			n, err := strconv.Atoi(v)
			if err != nil {
				return nil, fmt.Errorf("「%s」應為整數", fd.Label)
			}
			in[fd.Name] = n
		default:
			in[fd.Name] = v
		}
	}
	return json.Marshal(in)
}

func parseRows(fd field, text string) ([]map[string]any, error) {
	out := []map[string]any{}
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(strings.ReplaceAll(line, "，", ","))
		if line == "" {
			continue
		}
		cells := strings.Split(line, ",")
		row := map[string]any{}
		for j, col := range fd.Columns {
			cell := ""
			if j < len(cells) {
				cell = strings.TrimSpace(cells[j])
			}
			switch col.Type {
			case "date":
				if cell == "" {
					row[col.Key] = nil
					continue
				}
				d, err := civil.Parse(cell)
				if err != nil {
					return nil, fmt.Errorf("「%s」第%d行：%w", fd.Label, i+1, err)
				}
				row[col.Key] = d.ISO()
			case "bool":
				row[col.Key] = cell == "" || cell == "是" || cell == "true" || cell == "Y" || cell == "y"
			default:
				if cell == "" {
					return nil, errors.New("「" + fd.Label + "」第" + strconv.Itoa(i+1) + "行缺少資料")
				}
				row[col.Key] = cell
			}
		}
		out = append(out, row)
	}
	return out, nil
}

// labels name result fields in Chinese for the result page.
var labels = map[string]string{
	"law": "適用法律", "raw_end": "期間末日", "deadline": "期限（屆滿日）", "extended": "因休息日順延", "morning_only": "僅至該日上午",
	"deadline_applies": "有法定申請期間", "three_months_end": "三個月屆滿日", "overdue_days": "逾期日數", "late": "逾期",
	"fine": "罰鍰金額（新臺幣元）", "statutory_min": "法定最低額", "statutory_max": "法定最高額", "article": "適用條文",
	"statutory_range": "法定罰鍰範圍", "reminder_required": "須催告", "direct_registration_after_reminder": "催告後得逕為登記",
	"direct_registration_without_reminder": "得不經催告逕為登記", "direct_registration_article": "逕為登記依據", "fine_applicable": "得處罰鍰",
	"notice_type": "催告書種類", "action": "處置", "fine_article": "罰鍰條文", "fine_range": "罰鍰範圍",
	"earliest_deadline_raw": "最早期限（未順延）", "earliest_deadline": "最早合法期限", "window_start": "受胎期間起日", "window_end": "受胎期間迄日",
	"window_days": "受胎期間日數", "presumed_legitimate": "推定為婚生子女", "presumed_husbands": "推定之父", "dual_presumption": "雙重推定（應由法院認定）",
	"required_years": "應具居留年數", "years": "各年度居留", "pass": "符合居留期間", "eligible": "符合請領資格", "residence_days": "設籍日數",
	"amount_per_child": "每名新生兒金額", "total": "合計金額", "reasons": "說明", "can_extend": "可展期", "extend_window": "展期期間",
	"extended_expiry": "展期後效期", "can_renew_online": "可線上換發", "renew_online_window": "線上換發期間", "delegable": "可委託辦理項目",
	"registration": "登記項目", "basis": "原因", "event_date": "事件發生日", "period": "期間", "start_date": "起算基準日", "calendar_version": "行事曆版本",
	"warnings": "注意", "tier": "裁罰級距", "application_date": "申請日", "law_name": "適用法規版本", "standard": "裁罰基準",
	"count_from": "起算日", "rule": "計算規定", "served_date": "送達日", "min_days": "催告期限日數", "birth_date": "出生日",
	"category": "類別", "discovered_by": "發現方式", "notice_label": "催告書說明", "expiry": "效期截止日", "on": "查詢日",
	"method": "送達方式", "date": "交付、收領、寄存或公告日", "abroad": "境外公示送達", "days": "經過日數", "effective_date": "送達生效日",
	"act_end_date": "違規行為終了日", "period_years": "時效年數", "lapse_date": "裁處權時效末日（最後得裁處日）", "decision_date": "擬裁處日",
	"lapsed": "裁處權已消滅", "days_left": "距時效末日日數",
}
