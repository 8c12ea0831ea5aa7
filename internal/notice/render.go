package notice

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"ebazhao/internal/legal"
	"ebazhao/internal/office"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/pdf"
	"ebazhao/internal/platform/rocdate"
)

// Layout of the A4 page (millimetres).
const (
	marginX   = 20.0
	marginTop = 14.0
	bodyPt    = 12.0
	bodyLine  = 6.7
	footerY   = 288.0
	bottomY   = 280.0
)

// closing punctuation never starts a line (避頭點): it hangs at the end of the
// line before.
const noLineStart = "。，、；：？！）」』》〉"

// wrap breaks s into lines no wider than width, hanging closing punctuation.
func wrap(d *pdf.Doc, s string, width float64) ([]string, error) {
	lines, err := d.Wrap(s, width)
	if err != nil {
		return nil, err
	}
	for i := 1; i < len(lines); i++ {
		for lines[i] != "" && strings.ContainsRune(noLineStart, []rune(lines[i])[0]) {
			r := []rune(lines[i])
			lines[i-1] += string(r[0])
			lines[i] = string(r[1:])
		}
	}
	out := lines[:0]
	for i, l := range lines {
		if l == "" && i > 0 {
			continue
		}
		out = append(out, l)
	}
	return out, nil
}

// copyOf is one printed copy of a document: its label and the stamps it carries.
type copyOf struct {
	Label  string   // 寄發聯, 留存聯 …
	Stamps []string // boxes where the office stamps or signs
	Note   string   // printed under the stamps
}

// copies says how many copies a document prints and how each is stamped
// (作業規範 叁.二(二)8, (三)9).
//
// The copy that goes to the citizen says how it goes, the same way as the
// 送達方式 line: 寄發聯 …寄發 when mailed, 交付聯 …當面交付 at the counter.
func copies(c *Content) []copyOf {
	mailed := c.Input.Delivery == DeliveryMail
	out, send := "交付聯", "當面交付"
	if mailed {
		out, send = "寄發聯", "寄發"
	}
	switch c.Input.Kind {
	case KindNotice:
		return []copyOf{
			{out, []string{"戶所條戳"}, "本聯加蓋戶所條戳後" + send + "受通知人"},
			{"留存聯", []string{"承辦人職名章", "主管職名章"}, "本聯加蓋承辦人及主管職名章後留存備查"},
		}
	case KindReminder:
		if c.Facts.ReminderType == legal.NoticeReminderOnly {
			return []copyOf{
				{out, []string{"機關條戳"}, "本聯加蓋機關條戳後" + send + "受催告人"},
				{"留存聯", []string{"機關條戳", "承辦人職名章"}, "本聯留存備查"},
			}
		}
		return []copyOf{
			{out, []string{"機關印信", "主任簽字章"}, "本聯加蓋機關印信及主任簽字章後" + send + "受催告人"},
			{"留存聯", []string{"機關印信", "主任簽字章"}, "本聯留存備查"},
		}
	case KindFine:
		note := "本聯送達受處分人"
		if !mailed {
			note = "本聯當面交付受處分人，並由其於送達證書簽收"
		}
		return []copyOf{
			{"送達聯", []string{"機關印信", "主任簽字章"}, note},
			{"存查聯", []string{"機關印信", "主任簽字章"}, "本聯留存備查"},
		}
	case KindConfirm:
		return []copyOf{{out, []string{"戶所條戳"}, "本聯加蓋戶所條戳後" + send + "當事人"}}
	}
	return nil
}

// NeedsServiceCertificate reports whether a 送達證書 prints with the document: a
// reminder or fine decision sent by post (作業規範 叁.二(三)10).
func NeedsServiceCertificate(c *Content) bool {
	return (c.Input.Kind == KindReminder || c.Input.Kind == KindFine) && c.Input.Delivery == DeliveryMail
}

// page draws flowing text with page breaks.
type page struct {
	d       *pdf.Doc
	doc     *Document
	c       *Content
	y       float64
	w       float64
	pageNo  int
	copyLbl string
}

func (p *page) newPage() error {
	p.d.AddPage()
	p.pageNo++
	p.y = marginTop
	return p.footer()
}

func (p *page) footer() error {
	if err := p.d.SetFont(pdf.Sung, 7.5); err != nil {
		return err
	}
	p.d.SetGray(0.35)
	left := fmt.Sprintf("%s　%s　第%d頁", p.doc.DocNo, p.copyLbl, p.pageNo)
	if p.doc.Version > 1 {
		left += fmt.Sprintf("　（文書第%d版）", p.doc.Version)
	}
	if err := p.d.Text(marginX, footerY, left); err != nil {
		return err
	}
	right := fmt.Sprintf("範本：%s（第%d版）", p.c.TemplateName, p.c.TemplateVersion)
	if err := p.d.TextRight(p.w-marginX, footerY, right); err != nil {
		return err
	}
	if cv := p.c.Facts.CalendarVersion; cv != "" {
		if err := p.d.TextRight(p.w-marginX, footerY-3.5, "期間計算之辦公日曆版本："+cv); err != nil {
			return err
		}
	}
	p.d.SetGray(0)
	return nil
}

// need starts a new page when h millimetres do not fit.
func (p *page) need(h float64) error {
	if p.y+h <= bottomY {
		return nil
	}
	if err := p.newPage(); err != nil {
		return err
	}
	if err := p.d.SetFont(pdf.Sung, 10); err != nil {
		return err
	}
	if err := p.d.Text(marginX, p.y+4, p.doc.DocNo+"（續）"); err != nil {
		return err
	}
	p.y += 10
	return nil
}

var (
	sectionRE  = regexp.MustCompile(`^(主旨|說明|事實|理由及法令依據|繳納期限及方式|救濟方法|注意事項|附記)：`)
	numberedRE = regexp.MustCompile(`^\d+\. `)
	itemRE     = regexp.MustCompile(`^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.)`)
)

// body prints the document text: sections (主旨：…) and numbered points (一、…)
// with hanging indents, as official letters are laid out.
func (p *page) body(text string, pt, lh float64) error {
	if err := p.d.SetFont(pdf.Kai, pt); err != nil {
		return err
	}
	indent, err := p.d.Width("　")
	if err != nil {
		return err
	}
	width := p.w - 2*marginX
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, " 　")
		if line == "" {
			p.y += lh / 2
			continue
		}
		x, prefix, rest := marginX, "", line
		if m := sectionRE.FindString(line); m != "" {
			prefix, rest = m, strings.TrimPrefix(line, m)
		} else if m := itemRE.FindString(line); m != "" {
			x, prefix, rest = marginX+indent, m, strings.TrimPrefix(line, m)
		}
		pw, err := p.d.Width(prefix)
		if err != nil {
			return err
		}
		avail := width - (x - marginX) - pw
		if rest == "" {
			rest = " "
		}
		lines, err := wrap(p.d, rest, avail)
		if err != nil {
			return err
		}
		for i, l := range lines {
			if err := p.need(lh); err != nil {
				return err
			}
			if err := p.d.SetFont(pdf.Kai, pt); err != nil {
				return err
			}
			p.y += lh
			if i == 0 {
				if err := p.d.Text(x, p.y, prefix+l); err != nil {
					return err
				}
				continue
			}
			if err := p.d.Text(x+pw, p.y, l); err != nil {
				return err
			}
		}
	}
	return nil
}

// stamps draws dashed boxes where the office stamps, right-aligned; director
// adds 「主任」 before them (documents signed with the director's stamp).
func (p *page) stamps(labels []string, note string, director bool) error {
	const bw, bh, gap = 34.0, 26.0, 5.0
	if err := p.need(bh + 12); err != nil {
		return err
	}
	p.y += 4
	x := p.w - marginX - float64(len(labels))*bw - float64(len(labels)-1)*gap
	if director {
		if err := p.d.SetFont(pdf.Kai, 16); err != nil {
			return err
		}
		if err := p.d.TextRight(x-4, p.y+bh/2+2, "主任"); err != nil {
			return err
		}
	}
	p.d.SetLineWidth(0.3)
	p.d.SetDash(1.2, 1.2)
	p.d.SetGray(0.45)
	if err := p.d.SetFont(pdf.Sung, 9); err != nil {
		return err
	}
	for i, l := range labels {
		bx := x + float64(i)*(bw+gap)
		p.d.Rect(bx, p.y, bw, bh)
		if err := p.d.TextCenter(bx+bw/2, p.y+bh/2+1.5, "（"+l+"）"); err != nil {
			return err
		}
	}
	p.d.SetDash(0, 0)
	p.d.SetGray(0)
	p.y += bh + 4.5
	if note != "" {
		if err := p.d.SetFont(pdf.Sung, 9); err != nil {
			return err
		}
		if err := p.d.TextRight(p.w-marginX, p.y, note); err != nil {
			return err
		}
	}
	return nil
}

// rocLongDate prints 中華民國113年7月15日 ("" for the zero Date).
func rocLongDate(d civil.Date) string {
	if d.IsZero() {
		return ""
	}
	return "中華民國" + d.ROC()
}

// PDF prints document doc at content c (its current content, or an older version).
func (s *Service) PDF(ctx context.Context, doc *Document, c *Content) ([]byte, error) {
	off, err := s.Offices.ByID(ctx, doc.OfficeID)
	if err != nil {
		return nil, err
	}
	return renderPDF(s.Fonts, off, doc, c)
}

func renderPDF(fonts *pdf.Fonts, off *office.Office, doc *Document, c *Content) ([]byte, error) {
	d, err := fonts.New(pdf.A4, pdf.Portrait)
	if err != nil {
		return nil, err
	}
	info, _ := c.Input.Kind.Info()
	d.SetInfo(info.Title+" "+doc.DocNo, off.Name+info.Title, off.Name, doc.IssuedAt)
	w, _ := d.Size()
	if c.Input.Kind == KindOneTime {
		if err := renderOneTime(d, w, off, doc, c); err != nil {
			return nil, err
		}
	} else {
		for _, cp := range copies(c) {
			p := &page{d: d, doc: doc, c: c, w: w, copyLbl: cp.Label}
			if err := renderLetter(p, off, cp); err != nil {
				return nil, err
			}
		}
		if NeedsServiceCertificate(c) && !doc.Draft {
			p := &page{d: d, doc: doc, c: c, w: w, copyLbl: "送達證書"}
			if err := renderServiceCertificate(p, off); err != nil {
				return nil, err
			}
		}
	}
	return d.Bytes()
}

// renderLetter prints one copy of a 通知書, 催告書, 裁處書 or 通知單.
func renderLetter(p *page, off *office.Office, cp copyOf) error {
	c, doc := p.c, p.doc
	info, _ := c.Input.Kind.Info()
	if err := p.newPage(); err != nil {
		return err
	}
	d := p.d
	// Copy label, top right; a cancelled document says so in large type.
	if err := d.SetFont(pdf.Sung, 10); err != nil {
		return err
	}
	d.SetLineWidth(0.3)
	lw, _ := d.Width(cp.Label)
	d.Rect(p.w-marginX-lw-4, p.y-1, lw+4, 6.5)
	if err := d.Text(p.w-marginX-lw-2, p.y+4, cp.Label); err != nil {
		return err
	}
	if doc.Cancelled() {
		if err := cancelledMark(p); err != nil {
			return err
		}
	}
	if doc.Draft {
		if err := draftMark(p); err != nil {
			return err
		}
	}
	p.y += 12
	if err := d.SetFont(pdf.Kai, 18); err != nil {
		return err
	}
	if err := d.TextCenter(p.w/2, p.y, off.Name); err != nil {
		return err
	}
	p.y += 9.5
	if err := d.SetFont(pdf.Kai, 21); err != nil {
		return err
	}
	tw := 14.0 * float64(len([]rune(info.Title)))
	if err := d.TextSpread(p.w/2-tw/2, p.y, tw, info.Title); err != nil {
		return err
	}
	p.y += 6.5
	if err := d.SetFont(pdf.Sung, 9); err != nil {
		return err
	}
	if err := d.TextCenter(p.w/2, p.y, "機關地址："+off.Address+"　　電話："+off.Phone); err != nil {
		return err
	}
	p.y += 3
	d.SetLineWidth(0.5)
	d.Line(marginX, p.y, p.w-marginX, p.y)

	meta := [][2]string{{"發文日期", rocLongDate(c.Facts.IssueDate)}, {"發文字號", doc.DocNo}}
	switch c.Input.Kind {
	case KindReminder:
		meta = append(meta, [2]string{"催告書種類", c.Facts.ReminderType})
	case KindNotice:
		meta = append(meta, [2]string{"通知事由", c.Input.Subtype})
	case KindConfirm:
		meta = append(meta, [2]string{"申辦事項", c.Input.Subtype})
	}
	r := c.Recipient
	if c.Input.Kind == KindFine {
		if err := d.SetFont(pdf.Sung, 10.5); err != nil {
			return err
		}
		p.y += 6
		if err := d.Text(marginX, p.y, meta[0][0]+"："+meta[0][1]); err != nil {
			return err
		}
		if err := d.TextRight(p.w-marginX, p.y, meta[1][0]+"："+meta[1][1]); err != nil {
			return err
		}
		if err := finePartyTable(p); err != nil {
			return err
		}
	} else {
		// Recipient on the left, date and number on the right.
		top := p.y
		left := [][2]string{
			{info.Recipient, r.Name + "　君"},
			{"統一編號", r.IDNo},
		}
		if subj := c.Input.Subject; subj != "" && subj != r.Name {
			left = append(left, [2]string{"登記當事人", subjectLine(c)})
		}
		if err := d.SetFont(pdf.Kai, 12.5); err != nil {
			return err
		}
		for _, row := range left {
			p.y += 6.8
			if err := d.Text(marginX, p.y, row[0]+"："+row[1]); err != nil {
				return err
			}
		}
		ry := top
		if err := d.SetFont(pdf.Sung, 10); err != nil {
			return err
		}
		for _, m := range meta {
			ry += 6.2
			if err := d.Text(p.w/2+12, ry, m[0]+"："+m[1]); err != nil {
				return err
			}
		}
		if ry > p.y {
			p.y = ry
		}
		if err := d.SetFont(pdf.Kai, 12.5); err != nil {
			return err
		}
		lines, err := wrap(d, "地址（"+AddressLabel(r.AddressKind)+"）："+r.Address, p.w-2*marginX)
		if err != nil {
			return err
		}
		for _, l := range lines {
			p.y += 6.8
			if err := d.Text(marginX, p.y, l); err != nil {
				return err
			}
		}
	}
	p.y += 2.5
	d.SetLineWidth(0.3)
	d.Line(marginX, p.y, p.w-marginX, p.y)
	p.y += 1
	if err := p.body(c.Text, bodyPt, bodyLine); err != nil {
		return err
	}
	if err := p.stamps(cp.Stamps, cp.Note, c.Input.Kind == KindFine || c.Input.Kind == KindReminder && c.Facts.ReminderType != legal.NoticeReminderOnly); err != nil {
		return err
	}
	p.y += 5
	line := "承辦人：" + doc.IssuerName + "　　送達方式：" + DeliveryLabel(c.Input.Delivery)
	if NeedsServiceCertificate(c) {
		line += "（附送達證書）"
	}
	return p.wrapSmall(line)
}

func (p *page) wrapSmall(s string) error {
	if err := p.d.SetFont(pdf.Sung, 9); err != nil {
		return err
	}
	lines, err := wrap(p.d, s, p.w-2*marginX)
	if err != nil {
		return err
	}
	for _, l := range lines {
		if err := p.need(5); err != nil {
			return err
		}
		if err := p.d.SetFont(pdf.Sung, 9); err != nil {
			return err
		}
		if err := p.d.Text(marginX, p.y, l); err != nil {
			return err
		}
		p.y += 4.5
	}
	return nil
}

// finePartyTable prints the 受處分人 block a written decision must carry
// (行政程序法第96條第1項第1款).
func finePartyTable(p *page) error {
	d, r := p.d, p.c.Recipient
	x0, x1, x2, x3, x4 := marginX, marginX+26, marginX+88, marginX+112, p.w-marginX
	const rh = 9.0
	top := p.y + 2.5
	d.SetLineWidth(0.3)
	birth := ""
	if b, err := civil.ParseISO(r.BirthDate); err == nil { // the recipient's birth date is stored in ISO form
		birth = rocLongDate(b)
	}
	if err := d.SetFont(pdf.Sung, 11); err != nil {
		return err
	}
	cells := []struct {
		y           float64
		a, b, c, dd string
	}{
		{top, "受處分人", r.Name, "性別", r.Sex},
		{top + rh, "出生日期", birth, "統一編號", r.IDNo},
	}
	for _, c := range cells {
		d.Rect(x0, c.y, x4-x0, rh)
		d.Line(x1, c.y, x1, c.y+rh)
		d.Line(x2, c.y, x2, c.y+rh)
		d.Line(x3, c.y, x3, c.y+rh)
		for _, t := range []struct {
			x float64
			s string
		}{{x0 + 2, c.a}, {x1 + 2, c.b}, {x2 + 2, c.c}, {x3 + 2, c.dd}} {
			if err := d.Text(t.x, c.y+6.3, t.s); err != nil {
				return err
			}
		}
	}
	ay := top + 2*rh
	if subj := p.c.Input.Subject; subj != "" && subj != r.Name {
		// 當事人 of the registration (the deceased, the child) as well as the one fined.
		d.Rect(x0, ay, x4-x0, rh)
		d.Line(x1, ay, x1, ay+rh)
		if err := d.Text(x0+2, ay+6.3, "登記當事人"); err != nil {
			return err
		}
		if err := d.Text(x1+2, ay+6.3, subjectLine(p.c)); err != nil {
			return err
		}
		ay += rh
	}
	addr := r.Address + "（" + AddressLabel(r.AddressKind) + "）"
	lines, err := d.Wrap(addr, x4-x1-4)
	if err != nil {
		return err
	}
	h := rh + float64(len(lines)-1)*5.5
	d.Rect(x0, ay, x4-x0, h)
	d.Line(x1, ay, x1, ay+h)
	if err := d.Text(x0+2, ay+6.3, "住居所"); err != nil {
		return err
	}
	for i, l := range lines {
		if err := d.Text(x1+2, ay+6.3+float64(i)*5.5, l); err != nil {
			return err
		}
	}
	p.y = ay + h + 1
	return nil
}

// subjectLine names the person the registration is about: 王老先生（死亡登記之當事人）.
func subjectLine(c *Content) string {
	s := c.Input.Subject
	if c.Input.Item != "" {
		s += "（" + c.Input.Item + "之當事人）"
	}
	return s
}

// draftMark prints a fine decision awaiting approval as what it is: a draft, not
// to be served, across the page and beside the copy label.
func draftMark(p *page) error {
	d := p.d
	if err := d.SetFont(pdf.Kai, 13); err != nil {
		return err
	}
	d.SetGray(0.45)
	if err := d.Text(marginX, p.y+4, "草稿　未經主管核准，不得送達"); err != nil {
		return err
	}
	if err := d.SetFont(pdf.Kai, 96); err != nil {
		return err
	}
	d.SetGray(0.8)
	if err := d.TextCenter(p.w/2, 175, "草　稿"); err != nil {
		return err
	}
	d.SetGray(0)
	return nil
}

func cancelledMark(p *page) error {
	d := p.d
	if err := d.SetFont(pdf.Kai, 40); err != nil {
		return err
	}
	d.SetGray(0.55)
	if err := d.Text(marginX, p.y+14, "作廢"); err != nil {
		return err
	}
	if err := d.SetFont(pdf.Sung, 9); err != nil {
		return err
	}
	reason := "本文書已於" + rocdate.FormatDateTime(p.doc.CancelledAt) + "作廢：" + p.doc.CancelReason
	if err := d.Text(marginX+38, p.y+12, reason); err != nil {
		return err
	}
	d.SetGray(0)
	return nil
}

// renderServiceCertificate prints the 送達證書 (行政程序法第76條) that goes with a
// posted reminder or fine decision.
func renderServiceCertificate(p *page, off *office.Office) error {
	if err := p.newPage(); err != nil {
		return err
	}
	d, c, doc := p.d, p.c, p.doc
	info, _ := c.Input.Kind.Info()
	p.y += 10
	if err := d.SetFont(pdf.Kai, 22); err != nil {
		return err
	}
	if err := d.TextSpread(p.w/2-25, p.y, 50, "送達證書"); err != nil {
		return err
	}
	p.y += 8
	x0, x1, x2 := marginX, marginX+38, p.w-marginX
	r := c.Recipient
	rows := []struct {
		label string
		lines []string
		h     float64
	}{
		{"交送達之機關", []string{off.Name, "（" + off.Address + "　電話：" + off.Phone + "）"}, 0},
		{"應受送達人", []string{r.Name}, 0},
		{"應送達文書", []string{info.Title + "（" + c.Facts.ReminderType + "）", "發文字號：" + doc.DocNo}, 0},
		{"送達處所", []string{r.Address + "（" + AddressLabel(r.AddressKind) + "）"}, 0},
		{"送達日期時間", []string{"中華民國　　　年　　　月　　　日　　　午　　　時　　　分"}, 0},
		{"送達方法", []string{
			"□ 會晤應受送達人本人，將文書交付。（行政程序法第72條第1項）",
			"□ 未獲會晤應受送達人，將文書交付有辨別事理能力之同居人、受雇人或應送達處所之接收郵件人員。（同法第73條第1項）",
			"□ 應受送達人或其同居人、受雇人、接收郵件人員無正當理由拒絕收領，將文書留置於應送達處所。（同法第73條第3項）",
			"□ 不能依上述方式送達，將文書寄存於＿＿＿＿＿＿＿＿＿＿，並作送達通知書二份，一份黏貼於應受送達人住居所、事務所、營業所或就業處所門首，另一份置於該送達處所信箱或其他適當位置。（同法第74條）",
		}, 0},
		{"收領人簽名或蓋章", []string{"", "（拒絕或不能簽名蓋章者，送達人應記明其事由）"}, 24},
		{"送達人簽名或蓋章", []string{""}, 18},
	}
	if c.Input.Kind == KindFine {
		rows[2].lines[0] = info.Title
	}
	if err := d.SetFont(pdf.Sung, 11); err != nil {
		return err
	}
	d.SetLineWidth(0.3)
	for _, row := range rows {
		var all []string
		for _, l := range row.lines {
			ws, err := d.Wrap(l, x2-x1-4)
			if err != nil {
				return err
			}
			all = append(all, ws...)
		}
		h := 4 + float64(len(all))*6
		if row.h > h {
			h = row.h
		}
		d.Rect(x0, p.y, x2-x0, h)
		d.Line(x1, p.y, x1, p.y+h)
		if err := d.Text(x0+2, p.y+6.5, row.label); err != nil {
			return err
		}
		for i, l := range all {
			if err := d.Text(x1+2, p.y+6.5+float64(i)*6, l); err != nil {
				return err
			}
		}
		p.y += h
	}
	p.y += 8
	if err := d.SetFont(pdf.Sung, 10); err != nil {
		return err
	}
	note := "附記：一、送達人應將本證書提出於行政機關附卷（行政程序法第76條第3項）。二、由郵政機關送達者，依郵政機關送達訴訟文書實施辦法辦理（同法第68條第5項）。"
	if c.Input.Kind == KindReminder {
		note += "三、催告期限自送達之次日起算（戶籍法施行細則第19條第2項）。"
	} else {
		note += "三、繳納期限及救濟期間自送達之次日起算。"
	}
	return p.wrapSmall(note)
}

// renderOneTime prints the 一次告知單 on one A4 sheet: 收執聯 above, 存根聯 below,
// with a cut line between (作業規範 叁.二(四)6).
func renderOneTime(d *pdf.Doc, w float64, off *office.Office, doc *Document, c *Content) error {
	d.AddPage()
	half := 297.0 / 2
	for i, part := range []string{"收執聯", "存根聯"} {
		p := &page{d: d, doc: doc, c: c, w: w, copyLbl: part, pageNo: 1, y: marginTop - 4 + float64(i)*half}
		if err := oneTimeHalf(p, off, part, float64(i)*half+half-8); err != nil {
			return err
		}
	}
	d.SetLineWidth(0.3)
	d.SetDash(2, 1.5)
	d.SetGray(0.4)
	d.Line(8, half, w-8, half)
	d.SetDash(0, 0)
	if err := d.SetFont(pdf.Sung, 8); err != nil {
		return err
	}
	if err := d.TextCenter(w/2, half-1, "請沿虛線撕開"); err != nil {
		return err
	}
	d.SetGray(0)
	return nil
}

func oneTimeHalf(p *page, off *office.Office, part string, limit float64) error {
	d, c, doc := p.d, p.c, p.doc
	info, _ := c.Input.Kind.Info()
	if doc.Cancelled() {
		if err := cancelledMark(p); err != nil {
			return err
		}
	}
	p.y += 8
	if err := d.SetFont(pdf.Kai, 17); err != nil {
		return err
	}
	if err := d.TextCenter(p.w/2, p.y, off.Name+"　"+info.Title); err != nil {
		return err
	}
	if err := d.SetFont(pdf.Sung, 10); err != nil {
		return err
	}
	lw, _ := d.Width(part)
	d.SetLineWidth(0.3)
	d.Rect(p.w-marginX-lw-4, p.y-10.5, lw+4, 6.5)
	if err := d.Text(p.w-marginX-lw-2, p.y-5.5, part); err != nil {
		return err
	}
	p.y += 7
	r := c.Recipient
	head := "編號：" + doc.DocNo + "　　開立日期：" + rocLongDate(c.Facts.IssueDate)
	if err := d.Text(marginX, p.y, head); err != nil {
		return err
	}
	p.y += 5.5
	who := "申請人：" + r.Name
	if r.IDNo != "" {
		who += "（" + r.IDNo + "）"
	}
	who += "　　申辦事項：" + c.Input.Item
	if err := d.Text(marginX, p.y, who); err != nil {
		return err
	}
	p.y += 1.5
	// Fit the text and items in the half page: shrink the type if needed.
	items := make([]string, len(c.Items))
	for i, it := range c.Items {
		items[i] = fmt.Sprintf("%d. %s", i+1, it)
	}
	text := c.Text + "\n應補正事項：\n" + strings.Join(items, "\n")
	pt, lh := 12.0, 6.2
	footer := 16.0
	for ; pt > 8; pt, lh = pt-0.5, lh-0.25 {
		if err := d.SetFont(pdf.Kai, pt); err != nil {
			return err
		}
		n := 0
		for _, l := range strings.Split(text, "\n") {
			ws, err := wrap(d, l, p.w-2*marginX-8)
			if err != nil {
				return err
			}
			n += len(ws)
		}
		if p.y+float64(n)*lh+footer <= limit {
			break
		}
	}
	if err := oneTimeBody(p, text, pt, lh); err != nil {
		return err
	}
	y := limit - 6
	if err := d.SetFont(pdf.Sung, 10); err != nil {
		return err
	}
	sign := "承辦人：" + doc.IssuerName + "　　電話：" + off.Phone
	if err := d.Text(marginX, y, sign); err != nil {
		return err
	}
	if part == "存根聯" {
		if err := d.TextRight(p.w-marginX, y, "申請人簽章：＿＿＿＿＿＿＿＿　日期：＿＿＿＿＿＿"); err != nil {
			return err
		}
	} else {
		if err := d.TextRight(p.w-marginX, y, "本聯請交申請人收執"); err != nil {
			return err
		}
	}
	return nil
}

// oneTimeBody prints without page breaks (the half-page was sized to fit).
func oneTimeBody(p *page, text string, pt, lh float64) error {
	d := p.d
	if err := d.SetFont(pdf.Kai, pt); err != nil {
		return err
	}
	for _, line := range strings.Split(text, "\n") {
		x, prefix, rest := marginX, "", line
		if m := numberedRE.FindString(line); m != "" {
			x, prefix, rest = marginX+4, m, strings.TrimPrefix(line, m)
		}
		pw, _ := d.Width(prefix)
		ws, err := wrap(d, rest, p.w-2*marginX-(x-marginX)-pw)
		if err != nil {
			return err
		}
		for i, l := range ws {
			p.y += lh
			if i == 0 {
				if err := d.Text(x, p.y, prefix+l); err != nil {
					return err
				}
			} else if err := d.Text(x+pw, p.y, l); err != nil {
				return err
			}
		}
	}
	return nil
}
