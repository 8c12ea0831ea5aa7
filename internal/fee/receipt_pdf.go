package fee

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"ebazhao/internal/platform/pdf"
	"ebazhao/internal/platform/rocdate"
)

// ReceiptPDF renders printout copyNo of a receipt on A5: copy 1 is the original,
// later copies carry 補印 with their number and time. A voided receipt is
// stamped 作廢.
func (s *Service) ReceiptPDF(ctx context.Context, r *Receipt, copyNo int) ([]byte, error) {
	if s.Fonts == nil {
		return nil, errors.New("fee: no fonts configured for printing")
	}
	prints, err := s.Prints(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	var p *Print
	for i := range prints {
		if prints[i].CopyNo == copyNo {
			p = &prints[i]
		}
	}
	if p == nil {
		return nil, &InputError{Field: "copy", Message: fmt.Sprintf("此收據沒有第%d份列印紀錄；補印請按「補印」", copyNo)}
	}
	return renderReceipt(s.Fonts, r, *p)
}

// maskID hides the middle of a national ID on paper: A123****89.
func maskID(id string) string {
	if len(id) != 10 {
		return id
	}
	return id[:4] + "****" + id[8:]
}

func renderReceipt(fonts *pdf.Fonts, r *Receipt, p Print) ([]byte, error) {
	d, err := fonts.New(pdf.A5, pdf.Portrait)
	if err != nil {
		return nil, err
	}
	d.SetInfo("規費收據 "+r.NumberText(), r.OfficeName+" 規費收據", r.ClerkName, r.CreatedAt)
	d.AddPage()
	pw, _ := d.Size()
	const left = 12.0
	right := pw - 12
	width := right - left
	var errs []error
	check := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	font := func(f pdf.Face, pt float64) { check(d.SetFont(f, pt)) }

	// Heading.
	font(pdf.Kai, 15)
	check(d.TextCenter(pw/2, 20, r.OfficeName))
	font(pdf.Kai, 21)
	check(d.TextSpread(pw/2-24, 31, 48, "規費收據"))
	d.SetLineWidth(0.3)
	d.Line(pw/2-27, 33.5, pw/2+27, 33.5)

	if p.CopyNo > 1 {
		d.SetLineWidth(0.5)
		d.Rect(right-24, 11, 24, 12)
		font(pdf.Kai, 15)
		check(d.TextCenter(right-12, 19.5, "補印"))
		font(pdf.Sung, 7.5)
		check(d.TextRight(right, 27, fmt.Sprintf("第%d次補印 %s", p.CopyNo-1, rocdate.FormatDateTime(p.PrintedAt))))
	}

	// Facts.
	font(pdf.Sung, 10.5)
	y := 44.0
	check(d.Text(left, y, "收據號碼："+r.NumberText()))
	check(d.TextRight(right, y, "日期：中華民國"+r.Date.ROC()))
	y += 7
	payer := r.PayerName
	if r.PayerIDNo != "" {
		payer = strings.TrimSpace(payer + "（" + maskID(r.PayerIDNo) + "）")
	}
	if payer == "" {
		payer = "（未填）"
	}
	check(d.Text(left, y, "繳款人："+payer))
	counter := r.CounterName
	if counter == "" {
		counter = "—"
	}
	check(d.TextRight(right, y, "收費櫃檯："+counter))

	// Items table.
	y += 5
	cols := []struct {
		title string
		x     float64 // right edge for numbers, left edge for the item
		num   bool
	}{{"項目", left + 2, false}, {"數量", left + 80, true}, {"單價", left + 101, true}, {"金額(元)", right - 2, true}}
	d.SetLineWidth(0.4)
	d.Line(left, y, right, y)
	y += 5.5
	font(pdf.Kai, 10.5)
	for _, c := range cols {
		if c.num {
			check(d.TextRight(c.x, y, c.title))
		} else {
			check(d.Text(c.x, y, c.title))
		}
	}
	y += 2.5
	d.SetLineWidth(0.2)
	d.Line(left, y, right, y)
	_, ph := d.Size()
	// A long application continues on another sheet, headed with the number.
	nextSheet := func() {
		font(pdf.Sung, 8)
		check(d.TextRight(right, y+5, "（接次頁）"))
		d.AddPage()
		font(pdf.Kai, 12)
		y = 20
		check(d.Text(left, y, fmt.Sprintf("%s 規費收據 %s（續）", r.OfficeName, r.NumberText())))
		y += 3
		d.SetLineWidth(0.2)
		d.Line(left, y, right, y)
	}
	for _, l := range r.Lines {
		if y > ph-30 {
			nextSheet()
		}
		y += 6
		font(pdf.Sung, 10.5)
		check(d.TextRight(left+80, y, fmt.Sprintf("%d %s", l.Qty, l.Measure)))
		check(d.TextRight(left+101, y, money(l.Unit)))
		check(d.TextRight(right-2, y, money(l.Amount)))
		ny, err := d.Paragraph(left+2, y, 62, 5, l.Item) // a long name wraps within its column
		check(err)
		y = ny
		if l.Detail != "" {
			font(pdf.Sung, 7.5)
			ly, err := d.Paragraph(left+5, y+4, 70, 3.4, l.Detail)
			check(err)
			y = ly + 0.5
		}
	}
	if y > ph-100 { // the total, payment, basis and the stamp boxes need the foot of a sheet
		nextSheet()
	}
	y += 3.5
	d.SetLineWidth(0.4)
	d.Line(left, y, right, y)
	y += 7
	font(pdf.Kai, 12.5)
	check(d.Text(left+2, y, "合計"))
	font(pdf.Sung, 12.5)
	check(d.TextRight(right-2, y, fmt.Sprintf("NT$ %s", money(r.Total))))
	y += 8
	font(pdf.Kai, 13)
	check(d.Text(left+2, y, "大寫金額："+CapitalAmount(r.Total)))
	y += 3.5
	d.SetLineWidth(0.4)
	d.Line(left, y, right, y)

	y += 7
	font(pdf.Sung, 10)
	check(d.Text(left, y, "繳費方式："+PaymentLabel(r.Payment)))
	check(d.TextRight(right, y, "經收人："+r.ClerkName))
	if r.Note != "" {
		y += 6
		ny, err := d.Paragraph(left, y, width, 5, "備註："+r.Note)
		check(err)
		y = ny
	}
	y += 6
	font(pdf.Sung, 8)
	ny, err := d.Paragraph(left, y, width, 3.8, "收費依據："+r.Basis)
	check(err)
	y = ny

	// Signature and stamp boxes at the foot of the page.
	boxTop := ph - 50
	if y+6 > boxTop {
		boxTop = y + 6
	}
	d.SetLineWidth(0.3)
	d.Rect(left, boxTop, 50, 28)
	d.Rect(right-50, boxTop, 50, 28)
	font(pdf.Kai, 9)
	check(d.Text(left+2, boxTop+5, "經收人蓋章"))
	check(d.Text(right-48, boxTop+5, "機關戳記"))
	font(pdf.Sung, 7)
	check(d.Text(left, ph-14, "本收據以A5空白紙列印，號碼依戶所及年度連續編號；作廢收據保留原號，不得重複使用。"))
	check(d.Text(left, ph-10.5, fmt.Sprintf("開立 %s ・ 收據識別 %s/%d", rocdate.FormatDateTime(r.CreatedAt), r.OfficeCode, r.ID)))

	if r.Voided() {
		d.SetGray(0.55)
		font(pdf.Kai, 60)
		check(d.TextCenter(pw/2, 125, "作 廢"))
		font(pdf.Sung, 9)
		reason := "作廢原因：" + r.VoidReason
		if r.Correction != nil {
			reason = fmt.Sprintf("已於%s更正沖銷：%s", r.Correction.Date.ROC(), r.Correction.Reason)
		}
		check(d.TextCenter(pw/2, 133, reason))
		d.SetGray(0)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return d.Bytes()
}

// money writes 1234567 as 1,234,567.
func money(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}
