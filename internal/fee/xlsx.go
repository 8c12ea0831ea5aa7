package fee

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/xuri/excelize/v2"

	"ebazhao/internal/platform/rocdate"
)

// sheet writes rows into a worksheet with a bold header row and sensible widths.
type sheet struct {
	f      *excelize.File
	name   string
	row    int
	bold   int
	money  int
	widths []float64
}

func newSheet(f *excelize.File, name string, first bool, widths ...float64) (*sheet, error) {
	if first {
		if err := f.SetSheetName("Sheet1", name); err != nil {
			return nil, err
		}
	} else if _, err := f.NewSheet(name); err != nil {
		return nil, err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Color: []string{"EDF2F5"}, Pattern: 1}})
	if err != nil {
		return nil, err
	}
	money, err := f.NewStyle(&excelize.Style{NumFmt: 3}) // #,##0
	if err != nil {
		return nil, err
	}
	for i, w := range widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(name, col, col, w); err != nil {
			return nil, err
		}
	}
	return &sheet{f: f, name: name, bold: bold, money: money, widths: widths}, nil
}

func (s *sheet) add(header bool, values ...any) error {
	s.row++
	cell, _ := excelize.CoordinatesToCellName(1, s.row)
	if err := s.f.SetSheetRow(s.name, cell, &values); err != nil {
		return err
	}
	last, _ := excelize.CoordinatesToCellName(max(len(values), 1), s.row)
	if header {
		return s.f.SetCellStyle(s.name, cell, last, s.bold)
	}
	for i, v := range values {
		switch v.(type) {
		case int64, int:
			c, _ := excelize.CoordinatesToCellName(i+1, s.row)
			if err := s.f.SetCellStyle(s.name, c, c, s.money); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *sheet) blank() { s.row++ }

// DayXLSX writes a day's settlement as a workbook: summary, items, payments,
// counters, voids and corrections, and every receipt of the day.
func DayXLSX(d *DayReport, receipts []*Receipt) (*excelize.File, error) {
	f := excelize.NewFile()
	sum, err := newSheet(f, "日結摘要", true, 22, 18, 16, 16, 16)
	if err != nil {
		return nil, err
	}
	status := "未結帳"
	if d.Closed {
		status = fmt.Sprintf("已結帳（%s，%s）", rocdate.FormatDateTime(d.ClosedAt), d.ClosedBy)
	}
	for _, r := range [][]any{
		{"戶所", d.OfficeName}, {"日期", d.Day.ROCLong()}, {"狀態", status},
		{"有效收據張數", d.Receipts}, {"收據金額", d.Gross}, {"作廢張數", len(d.Voids)},
		{"更正沖銷", d.CorrTotal}, {"應解繳合計", d.Total}, {"大寫", CapitalAmount(d.Total)},
		{"補印次數", d.Reprints}, {"收據號碼", fmt.Sprintf("%d – %d", d.FirstNumber, d.LastNumber)},
	} {
		if err := sum.add(false, r...); err != nil {
			return nil, err
		}
	}
	sum.blank()
	if err := sum.add(true, "繳費方式", "筆數", "金額"); err != nil {
		return nil, err
	}
	for _, p := range d.ByPayment {
		if err := sum.add(false, p.Label, p.Count, p.Amount); err != nil {
			return nil, err
		}
	}
	sum.blank()
	if err := sum.add(true, "櫃檯", "有效張數", "作廢張數", "金額"); err != nil {
		return nil, err
	}
	for _, c := range d.ByCounter {
		if err := sum.add(false, c.Name, c.Receipts, c.Voids, c.Amount); err != nil {
			return nil, err
		}
	}

	items, err := newSheet(f, "依項目", false, 10, 36, 8, 10, 14)
	if err != nil {
		return nil, err
	}
	if err := items.add(true, "代碼", "規費項目", "單位", "數量", "金額"); err != nil {
		return nil, err
	}
	for _, it := range d.ByItem {
		if err := items.add(false, it.Code, it.Item, it.Measure, it.Qty, it.Amount); err != nil {
			return nil, err
		}
	}
	if err := items.add(true, "", "合計", "", "", d.Total); err != nil {
		return nil, err
	}

	voids, err := newSheet(f, "作廢及更正", false, 14, 12, 12, 40, 12, 12, 20)
	if err != nil {
		return nil, err
	}
	if err := voids.add(true, "收據號碼", "金額", "類別", "原因", "經收人", "核准人", "時間／日期"); err != nil {
		return nil, err
	}
	for _, v := range d.Voids {
		if err := voids.add(false, v.Number, v.Total, "當日作廢", v.Reason, v.Clerk, v.VoidedBy, rocdate.FormatDateTime(v.VoidedAt)); err != nil {
			return nil, err
		}
	}
	for _, c := range d.Corrections {
		if err := voids.add(false, c.Number, c.Amount, "更正沖銷", c.Reason, "", c.ApprovedBy, "原收據日 "+c.ReceiptDate.ROCShort()); err != nil {
			return nil, err
		}
	}

	list, err := newSheet(f, "收據明細", false, 14, 12, 10, 10, 12, 10, 50)
	if err != nil {
		return nil, err
	}
	if err := list.add(true, "收據號碼", "櫃檯", "經收人", "繳費方式", "金額", "狀態", "項目"); err != nil {
		return nil, err
	}
	for _, r := range receipts {
		st := "有效"
		switch {
		case r.Correction != nil:
			st = "已更正沖銷"
		case r.Status == "voided":
			st = "作廢"
		}
		desc := ""
		for i, l := range r.Lines {
			if i > 0 {
				desc += "、"
			}
			desc += fmt.Sprintf("%s×%d", l.Item, l.Qty)
		}
		if err := list.add(false, r.NumberText(), r.CounterName, r.ClerkName, r.PaymentLabel(), r.Total, st, desc); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// SummaryXLSX writes a monthly or yearly summary as a workbook.
func SummaryXLSX(s *Summary) (*excelize.File, error) {
	f := excelize.NewFile()
	period := fmt.Sprintf("%d年", s.Year)
	if s.Month > 0 {
		period = fmt.Sprintf("%d年%d月", s.Year, s.Month)
	}
	rows, err := newSheet(f, "彙總", true, 12, 12, 10, 14, 14, 14)
	if err != nil {
		return nil, err
	}
	if err := rows.add(false, "戶所", s.OfficeName); err != nil {
		return nil, err
	}
	if err := rows.add(false, "期間", period); err != nil {
		return nil, err
	}
	rows.blank()
	if err := rows.add(true, "期間", "有效收據", "作廢", "收據金額", "更正沖銷", "合計"); err != nil {
		return nil, err
	}
	for _, r := range s.Rows {
		if err := rows.add(false, r.Label, r.Receipts, r.Voids, r.Gross, r.Corrections, r.Total); err != nil {
			return nil, err
		}
	}
	if err := rows.add(true, "合計", s.Receipts, s.Voids, s.Gross, s.Corrections, s.Total); err != nil {
		return nil, err
	}
	items, err := newSheet(f, "依項目", false, 10, 36, 8, 10, 14)
	if err != nil {
		return nil, err
	}
	if err := items.add(true, "代碼", "規費項目", "單位", "數量", "金額"); err != nil {
		return nil, err
	}
	for _, it := range s.ByItem {
		if err := items.add(false, it.Code, it.Item, it.Measure, it.Qty, it.Amount); err != nil {
			return nil, err
		}
	}
	pay, err := newSheet(f, "依繳費方式", false, 14, 10, 14)
	if err != nil {
		return nil, err
	}
	if err := pay.add(true, "繳費方式", "筆數", "金額"); err != nil {
		return nil, err
	}
	for _, p := range s.ByPayment {
		if err := pay.add(false, p.Label, p.Count, p.Amount); err != nil {
			return nil, err
		}
	}
	return f, nil
}

func writeXLSX(w http.ResponseWriter, f *excelize.File, filename string) error {
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(filename))
	return f.Write(w)
}

func (h *Handlers) settlementXLSX(w http.ResponseWriter, r *http.Request) error {
	officeID, _, err := h.officeParam(r, false)
	if err != nil {
		return err
	}
	day, err := h.dayParam(r)
	if err != nil {
		return err
	}
	counter, err := h.counterParam(r, officeID)
	if err != nil {
		return err
	}
	rep, err := h.Svc.Day(r.Context(), officeID, day, counter)
	if err != nil {
		return err
	}
	list, err := h.Svc.List(r.Context(), ListFilter{OfficeID: officeID, Day: day, CounterID: counter})
	if err != nil {
		return err
	}
	f, err := DayXLSX(rep, list)
	if err != nil {
		return err
	}
	defer f.Close()
	h.Kit.Audit(r, "fee.day.export", "fee_day", fmt.Sprintf("%d/%s", officeID, day.ISO()), "", "ok", "")
	return writeXLSX(w, f, fmt.Sprintf("規費日結-%s-%s.xlsx", rep.OfficeName, day.ROCShort()))
}

func (h *Handlers) reportsXLSX(w http.ResponseWriter, r *http.Request) error {
	officeID, year, month, err := h.summaryParams(r)
	if err != nil {
		return err
	}
	s, err := h.Svc.Summary(r.Context(), officeID, year, month)
	if err != nil {
		return webErr(err)
	}
	f, err := SummaryXLSX(s)
	if err != nil {
		return err
	}
	defer f.Close()
	name := fmt.Sprintf("規費年報-%s-%d.xlsx", s.OfficeName, year)
	if month > 0 {
		name = fmt.Sprintf("規費月報-%s-%d-%02d.xlsx", s.OfficeName, year, month)
	}
	return writeXLSX(w, f, name)
}
