package form

import (
	"fmt"
	"strings"
	"time"

	"ebazhao/internal/platform/pdf"
)

// Page geometry of a template form: A4 portrait, horizontal text (直式橫書).
const (
	pageMarginX = 15.0
	pageTop     = 14.0
	pageBottom  = 284.0 // last usable baseline area; the footer sits below
	contentW    = 210.0 - 2*pageMarginX
	lineH       = 5.2 // baseline distance of body text
	minRowH     = 8.0
)

// PDFMeta is what the PDF's footer and properties say about the printout.
type PDFMeta struct {
	Edition string    // e.g. "第3版（114年1月1日生效）"
	Office  string    // printing office
	Printed time.Time // printing time
}

// WritePDF draws d on A4 pages with the CNS11643 fonts.
func WritePDF(fonts *pdf.Fonts, d *Doc, meta PDFMeta) ([]byte, error) {
	p, err := fonts.New(pdf.A4, pdf.Portrait)
	if err != nil {
		return nil, err
	}
	p.SetInfo(d.Title, "ebazhao 各項表單", meta.Office, meta.Printed)
	w := &pdfWriter{p: p, meta: meta, doc: d}
	if err := w.write(); err != nil {
		return nil, fmt.Errorf("form pdf %s: %w", d.Title, err)
	}
	return p.Bytes()
}

type pdfWriter struct {
	p    *pdf.Doc
	doc  *Doc
	meta PDFMeta
	y    float64 // top of the next block
	page int
	err  error
}

func (w *pdfWriter) fail(err error) {
	if err != nil && w.err == nil {
		w.err = err
	}
}

func (w *pdfWriter) font(face pdf.Face, pt float64) { w.fail(w.p.SetFont(face, pt)) }
func (w *pdfWriter) text(x, y float64, s string)    { w.fail(w.p.Text(x, y, s)) }

func (w *pdfWriter) newPage() {
	if w.page > 0 {
		w.footer()
	}
	w.p.AddPage()
	w.page++
	w.p.SetGray(0)
	w.p.SetLineWidth(0.3)
	w.y = pageTop
	if w.page > 1 {
		w.font(pdf.Sung, 9)
		w.text(pageMarginX, w.y+3, w.doc.Title+"（續）")
		w.y += 7
	}
}

func (w *pdfWriter) footer() {
	w.p.SetGray(0.35)
	w.font(pdf.Sung, 8)
	left := w.doc.Footer
	if w.meta.Edition != "" {
		left = strings.TrimSpace(left + "　" + w.meta.Edition)
	}
	w.text(pageMarginX, 290, left)
	right := fmt.Sprintf("第 %d 頁", w.page)
	if w.meta.Office != "" {
		right = w.meta.Office + "列印　" + right
	}
	w.fail(w.p.TextRight(210-pageMarginX, 290, right))
	w.p.SetGray(0)
}

// need starts a new page when h millimetres do not fit.
func (w *pdfWriter) need(h float64) {
	if w.y+h > pageBottom {
		w.newPage()
	}
}

func (w *pdfWriter) write() error {
	w.newPage()
	w.font(pdf.Kai, 20)
	w.fail(w.p.TextCenter(105, w.y+8, spaced(w.doc.Title)))
	w.y += 11
	if w.doc.Subtitle != "" {
		w.font(pdf.Sung, 10)
		w.fail(w.p.TextCenter(105, w.y+3, w.doc.Subtitle))
		w.y += 6
	}
	w.y += 2
	for _, b := range w.doc.Blocks {
		if w.err != nil {
			break
		}
		switch b.Kind {
		case BlockHeading:
			w.heading(b.Title)
		case BlockGrid:
			if b.Title != "" {
				w.heading(b.Title)
			}
			for _, row := range b.Rows {
				w.gridRow(row)
			}
		case BlockChecks:
			w.checks(b)
		case BlockText:
			w.paragraph(b.Runs)
		case BlockNotes:
			w.notes(b)
		case BlockSign:
			w.sign(b)
		}
	}
	w.footer()
	return w.err
}

// spaced puts a full-width space between the characters of a short title.
func spaced(s string) string {
	r := []rune(s)
	if len(r) > 8 {
		return s
	}
	return strings.Join(strings.Split(s, ""), " ")
}

func (w *pdfWriter) heading(t string) {
	w.need(7 + minRowH)
	w.p.SetGray(0.88)
	w.p.FillRect(pageMarginX, w.y, contentW, 6.5)
	w.p.SetGray(0)
	w.p.Rect(pageMarginX, w.y, contentW, 6.5)
	w.font(pdf.Kai, 11)
	w.text(pageMarginX+2, w.y+4.8, t)
	w.y += 6.5
}

// gridRow draws one row of labelled cells; widths follow the cells' weights.
func (w *pdfWriter) gridRow(row []DocCell) {
	total := 0
	for _, c := range row {
		total += c.W
	}
	type laid struct {
		x, cw, lw  float64
		label, val []string
	}
	var cells []laid
	h := minRowH
	x := pageMarginX
	for _, c := range row {
		cw := contentW * float64(c.W) / float64(total)
		w.font(pdf.Sung, 9)
		lw := 29.0
		if tw, err := w.p.Width(c.Label); err == nil && tw+3 < lw {
			lw = max(tw+3, 12)
		}
		if lw > cw*0.5 {
			lw = cw * 0.5
		}
		label := w.wrap(c.Label, lw-2)
		w.font(pdf.Sung, 11)
		var val []string
		if len(c.Boxes) == 0 {
			val = w.wrap(c.Display(), cw-lw-3)
		}
		lines := max(len(label), len(val), c.Lines)
		if c.Lines > 1 {
			h = max(h, float64(c.Lines)*6)
		}
		h = max(h, float64(lines)*lineH+3.8)
		cells = append(cells, laid{x: x, cw: cw, lw: lw, label: label, val: val})
		x += cw
	}
	w.need(h)
	for i, c := range row {
		l := cells[i]
		w.p.SetGray(0.94)
		w.p.FillRect(l.x, w.y, l.lw, h)
		w.p.SetGray(0)
		w.p.Rect(l.x, w.y, l.lw, h)
		w.p.Rect(l.x+l.lw, w.y, l.cw-l.lw, h)
		w.font(pdf.Sung, 9)
		ly := w.y + (h-float64(len(l.label))*4.2)/2 + 3.2
		for _, s := range l.label {
			w.text(l.x+1.2, ly, s)
			ly += 4.2
		}
		w.font(pdf.Sung, 11)
		if len(c.Boxes) > 0 {
			w.boxes(l.x+l.lw+2, w.y, l.cw-l.lw-4, h, c.Boxes)
			continue
		}
		vy := w.y + 5.6
		if len(l.val) <= 1 && c.Lines <= 1 {
			vy = w.y + h/2 + 1.6
		}
		for _, s := range l.val {
			w.text(l.x+l.lw+1.8, vy, s)
			vy += lineH
		}
	}
	w.y += h
}

// boxes draws n character boxes, each holding one character of the value.
func (w *pdfWriter) boxes(x, top, width, h float64, chars []string) {
	size := min(6.5, width/float64(len(chars)))
	y := top + (h-size)/2
	for i, ch := range chars {
		bx := x + float64(i)*size
		w.p.Rect(bx, y, size, size)
		if ch != "" {
			w.fail(w.p.TextCenter(bx+size/2, y+size-1.6, ch))
		}
	}
}

func (w *pdfWriter) wrap(s string, width float64) []string {
	if s == "" {
		return nil
	}
	lines, err := w.p.Wrap(s, width)
	w.fail(err)
	return lines
}

func (w *pdfWriter) checks(b DocBlock) {
	cols := b.Columns
	if cols <= 0 {
		cols = 4
	}
	titleW := 0.0
	if b.Title != "" {
		titleW = 30
	}
	colW := (contentW - titleW - 2) / float64(cols)
	w.font(pdf.Sung, 10)
	var lines [][]string
	for _, o := range b.Options {
		lines = append(lines, w.wrap(o.Mark()+o.Label, colW-1.5))
	}
	nrows := (len(b.Options) + cols - 1) / cols
	h := 3.0
	rowH := make([]float64, nrows)
	for r := 0; r < nrows; r++ {
		n := 1
		for c := 0; c < cols && r*cols+c < len(lines); c++ {
			n = max(n, len(lines[r*cols+c]))
		}
		rowH[r] = float64(n)*4.6 + 1.6
		h += rowH[r]
	}
	var titleLines []string
	if b.Title != "" {
		w.font(pdf.Sung, 9)
		titleLines = w.wrap(b.Title, titleW-2.4)
		h = max(h, float64(len(titleLines))*4.2+3)
	}
	w.need(h)
	if b.Title != "" {
		w.p.SetGray(0.94)
		w.p.FillRect(pageMarginX, w.y, titleW, h)
		w.p.SetGray(0)
		w.p.Rect(pageMarginX, w.y, titleW, h)
		w.font(pdf.Sung, 9)
		ty := w.y + (h-float64(len(titleLines))*4.2)/2 + 3.2
		for _, s := range titleLines {
			w.text(pageMarginX+1.2, ty, s)
			ty += 4.2
		}
	}
	w.p.Rect(pageMarginX+titleW, w.y, contentW-titleW, h)
	w.font(pdf.Sung, 10)
	y := w.y + 5
	for r := 0; r < nrows; r++ {
		for c := 0; c < cols && r*cols+c < len(lines); c++ {
			ly := y
			for _, s := range lines[r*cols+c] {
				w.text(pageMarginX+titleW+2+float64(c)*colW, ly, s)
				ly += 4.6
			}
		}
		y += rowH[r]
	}
	w.y += h
}

func (w *pdfWriter) paragraph(rs []Run) {
	w.font(pdf.Sung, 11)
	lines := w.wrap(textOf(rs), contentW-4)
	h := float64(len(lines))*6 + 3
	w.need(h)
	y := w.y + 5.5
	for _, s := range lines {
		w.text(pageMarginX+2, y, s)
		y += 6
	}
	w.y += h
}

func (w *pdfWriter) notes(b DocBlock) {
	w.font(pdf.Sung, 8.5)
	var items [][]string
	total := 5.0
	for i, it := range b.Items {
		ls := w.wrap(fmt.Sprintf("%d、", i+1)+textOf(it), contentW-6)
		items = append(items, ls)
		total += float64(len(ls)) * 4
	}
	w.need(min(total, 40))
	w.y += 1.5
	w.font(pdf.Kai, 10)
	w.text(pageMarginX, w.y+4, b.Title)
	w.y += 5.5
	w.font(pdf.Sung, 8.5)
	for _, ls := range items {
		for j, s := range ls {
			w.need(4)
			x := pageMarginX + 1
			if j > 0 {
				x += 3.6
			}
			w.text(x, w.y+3.2, s)
			w.y += 4
		}
	}
	w.y += 1
}

func (w *pdfWriter) sign(b DocBlock) {
	per := 2
	boxW := contentW / float64(per)
	rows := (len(b.Signs) + per - 1) / per
	h := float64(rows)*13 + 2
	if len(b.Date) > 0 {
		h += 8
	}
	w.need(h)
	w.y += 2
	w.font(pdf.Sung, 10)
	for i, s := range b.Signs {
		x := pageMarginX + float64(i%per)*boxW
		y := w.y + float64(i/per)*13
		w.text(x+1, y+4.5, s+"：")
		w.p.SetDash(0.8, 0.8)
		w.p.Line(x+2, y+11.5, x+boxW-6, y+11.5)
		w.p.SetDash(0, 0)
	}
	w.y += float64(rows) * 13
	if len(b.Date) > 0 {
		w.font(pdf.Sung, 11)
		w.fail(w.p.TextRight(210-pageMarginX-2, w.y+5.5, textOf(b.Date)))
		w.y += 8
	}
}
