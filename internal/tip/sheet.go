package tip

import (
	"cmp"
	"fmt"
	"strings"
	"time"

	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/pdf"
)

// Sheet is the one-page 貼心小叮嚀 handed to a citizen after a registration.
type Sheet struct {
	Category   *Category
	Items      []*Item
	Name       string     // the citizen's name ("" prints a neutral greeting)
	Day        civil.Date // the registration day
	Office     string     // the office's name
	OfficeTel  string
	PublicURL  string    // where the tips are published
	Registered string    // e.g. 出生登記 (defaults to the category name + 登記)
	Printed    time.Time // the instant printed (PDF metadata); zero: the registration day
}

const (
	sheetX     = 14.0
	sheetW     = 210.0 - 2*sheetX
	sheetTop   = 14.0
	sheetLimit = 283.0
)

// Greeting is the sheet's opening sentence.
func (s *Sheet) Greeting() string {
	reg := s.Registered
	if reg == "" {
		reg = s.Category.Name + "相關登記"
	}
	who := "您好："
	if s.Name != "" {
		who = s.Name + " 君您好："
	}
	where := ""
	if s.Office != "" {
		where = "在" + s.Office
	}
	return fmt.Sprintf("%s您於%s%s辦理%s，以下是後續可向其他機關辦理的事項，請留意期限：", who, s.Day.ROCLong(), where, reg)
}

// lines is one item laid out at a font size.
type sheetItem struct {
	head  []string
	body  []string
	lines float64
}

// WritePDF draws the sheet on one A4 page, shrinking the type until it fits
// (down to 7.5 pt); only a very long list continues on a second page.
func (s *Sheet) WritePDF(fonts *pdf.Fonts) ([]byte, error) {
	d, err := fonts.New(pdf.A4, pdf.Portrait)
	if err != nil {
		return nil, err
	}
	d.SetInfo("戶政貼心小叮嚀－"+s.Category.Name, "便民資訊", s.Office, cmp.Or(s.Printed, s.Day.Midnight()))
	d.AddPage()
	var items []sheetItem
	var size float64
	var total float64
	for _, size = range []float64{10, 9.5, 9, 8.5, 8, 7.5} {
		items, total, err = s.layout(d, size)
		if err != nil {
			return nil, err
		}
		if sheetTop+34+total <= sheetLimit {
			break
		}
	}
	lh := size * 0.45
	y := sheetTop
	if err := d.SetFont(pdf.Kai, 20); err != nil {
		return nil, err
	}
	if err := d.TextCenter(105, y+7, "戶 政 貼 心 小 叮 嚀"); err != nil {
		return nil, err
	}
	y += 13
	if err := d.SetFont(pdf.Kai, 13); err != nil {
		return nil, err
	}
	if err := d.TextCenter(105, y+2, "【"+s.Category.Name+"】"); err != nil {
		return nil, err
	}
	y += 8
	if err := d.SetFont(pdf.Sung, 10.5); err != nil {
		return nil, err
	}
	if y, err = d.Paragraph(sheetX, y+3, sheetW, 5.4, s.Greeting()); err != nil {
		return nil, err
	}
	y += 4
	d.SetLineWidth(0.25)
	for i, it := range items {
		h := it.lines*lh + 3
		if y+h > sheetLimit {
			s.footer(d)
			d.AddPage()
			y = sheetTop
		}
		d.SetGray(0.93)
		d.FillRect(sheetX, y, sheetW, float64(len(it.head))*lh+1.6)
		d.SetGray(0)
		d.Rect(sheetX, y, sheetW, h)
		ly := y + lh
		if err := d.SetFont(pdf.Kai, size+0.5); err != nil {
			return nil, err
		}
		for j, l := range it.head {
			prefix := ""
			if j == 0 {
				prefix = fmt.Sprintf("%d. ", i+1)
			}
			if err := d.Text(sheetX+1.5, ly, prefix+l); err != nil {
				return nil, err
			}
			ly += lh
		}
		ly += 1.2
		if err := d.SetFont(pdf.Sung, size); err != nil {
			return nil, err
		}
		for _, l := range it.body {
			if err := d.Text(sheetX+3, ly, l); err != nil {
				return nil, err
			}
			ly += lh
		}
		y += h + 1.6
	}
	s.footer(d)
	return d.Bytes()
}

// layout wraps every item at size and returns the total height in mm.
func (s *Sheet) layout(d *pdf.Doc, size float64) ([]sheetItem, float64, error) {
	lh := size * 0.45
	var out []sheetItem
	total := 0.0
	for _, it := range s.Items {
		var si sheetItem
		if err := d.SetFont(pdf.Kai, size+0.5); err != nil {
			return nil, 0, err
		}
		head, err := d.Wrap(it.Title+"（"+it.Agency+"）", sheetW-6)
		if err != nil {
			return nil, 0, err
		}
		si.head = head
		if err := d.SetFont(pdf.Sung, size); err != nil {
			return nil, 0, err
		}
		for _, part := range sheetParts(it) {
			ls, err := d.Wrap(part, sheetW-6)
			if err != nil {
				return nil, 0, err
			}
			si.body = append(si.body, ls...)
		}
		si.lines = float64(len(si.head)+len(si.body)) + 0.3
		total += si.lines*lh + 3 + 1.6
		out = append(out, si)
	}
	return out, total, nil
}

// sheetParts are the paragraphs printed for an item: what to do, then the
// documents, deadline, contact and notes run together in one paragraph so a
// category of a dozen items still fits on one page.
func sheetParts(it *Item) []string {
	parts := []string{it.Action}
	var more []string
	if docs := it.DocumentList(); len(docs) > 0 {
		more = append(more, "應備："+strings.Join(docs, "、"))
	}
	if it.Deadline != "" {
		more = append(more, "期限："+it.Deadline)
	}
	if it.Address != "" {
		more = append(more, "地址："+it.Address)
	}
	if it.Phone != "" {
		more = append(more, "電話："+it.Phone)
	}
	if it.Notes != "" {
		more = append(more, "備註："+it.Notes)
	}
	if len(more) > 0 {
		parts = append(parts, strings.Join(more, "　"))
	}
	return parts
}

func (s *Sheet) footer(d *pdf.Doc) {
	d.SetGray(0.3)
	d.SetFont(pdf.Sung, 8)
	left := "以上資訊以各機關最新公告為準。"
	if s.PublicURL != "" {
		left += "線上查閱：" + s.PublicURL
	}
	d.Text(sheetX, 290, left)
	right := s.Office
	if s.OfficeTel != "" {
		right += "　電話 " + s.OfficeTel
	}
	d.TextRight(210-sheetX, 290, right)
	d.SetGray(0)
}
