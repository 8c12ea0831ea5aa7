package agency

import (
	"fmt"
	"strings"
	"time"

	"ebazhao/internal/platform/pdf"
	"ebazhao/internal/platform/rocdate"
)

// Page geometry of the consolidated application: A4 portrait.
const (
	appMargin  = 16.0
	appWidth   = 210.0 - 2*appMargin
	appTop     = 16.0
	appBottom  = 272.0 // content stops here; the footer sits below
	appLineH   = 5.4
	appCellPad = 1.8
)

// ApplicationPDF draws the consolidated application (跨機關服務申請書) for the
// citizen's signature: one or two A4 pages however many agencies are ticked.
func ApplicationPDF(fonts *pdf.Fonts, app *Application, printed time.Time) ([]byte, error) {
	// Drawn twice: the first pass counts the pages for "第 1 頁，共 2 頁".
	total := 0
	for pass := 0; pass < 2; pass++ {
		d, err := fonts.New(pdf.A4, pdf.Portrait)
		if err != nil {
			return nil, err
		}
		d.SetInfo("N加e跨機關便民服務申請書 "+app.No(), "N加e 跨機關通報", app.OfficeName, printed)
		w := &appWriter{d: d, app: app, printed: printed, total: total}
		w.draw()
		if w.err != nil {
			return nil, fmt.Errorf("application pdf %s: %w", app.No(), w.err)
		}
		if pass == 1 {
			return d.Bytes()
		}
		total = w.page
	}
	return nil, nil
}

type appWriter struct {
	d       *pdf.Doc
	app     *Application
	printed time.Time
	y       float64
	page    int
	total   int
	err     error
}

func (w *appWriter) fail(err error) {
	if err != nil && w.err == nil {
		w.err = err
	}
}

func (w *appWriter) font(face pdf.Face, pt float64) { w.fail(w.d.SetFont(face, pt)) }
func (w *appWriter) text(x, y float64, s string)    { w.fail(w.d.Text(x, y, s)) }

func (w *appWriter) newPage() {
	if w.page > 0 {
		w.footer()
	}
	w.d.AddPage()
	w.page++
	w.d.SetGray(0)
	w.d.SetLineWidth(0.3)
	w.y = appTop
	if w.page > 1 {
		w.font(pdf.Sung, 9)
		w.text(appMargin, w.y+3, "N加e跨機關便民服務申請書（續） "+w.app.No())
		w.y += 8
	}
}

// need starts a new page unless h millimetres fit.
func (w *appWriter) need(h float64) {
	if w.y+h > appBottom {
		w.newPage()
	}
}

func (w *appWriter) footer() {
	w.d.SetGray(0.35)
	w.font(pdf.Sung, 8)
	w.text(appMargin, 284, "本申請書由戶政 e把罩應用服務系統列印，正本由受理戶政事務所留存。列印時間 "+rocdate.FormatDateTime(w.printed))
	w.fail(w.d.TextRight(210-appMargin, 284, fmt.Sprintf("第 %d 頁，共 %d 頁", w.page, w.total)))
	w.d.SetGray(0)
}

func (w *appWriter) draw() {
	a := w.app
	w.newPage()
	w.font(pdf.Kai, 18)
	w.fail(w.d.TextCenter(105, w.y+7, "臺中市政府「N加e」跨機關便民服務申請書"))
	w.y += 13
	w.font(pdf.Sung, 10)
	w.text(appMargin, w.y, "申請書編號："+a.No())
	w.fail(w.d.TextRight(210-appMargin, w.y, "受理日期："+a.Day.ROCLong()))
	w.y += 5.5
	w.text(appMargin, w.y, "受理機關："+a.OfficeName)
	w.fail(w.d.TextRight(210-appMargin, w.y, "承辦人："+a.ClerkName))
	w.y += 4

	w.section("一、當事人資料")
	birth := a.SubjectBirthDate.ROCLong()
	w.table([]float64{30, appWidth/2 - 30, 30, appWidth/2 - 30}, [][]string{
		{"姓名", a.SubjectName, "統一編號", a.SubjectIDNo},
		{"出生日期", birth, "異動類別", a.KindInfo().Name},
	}, map[int]bool{0: true, 2: true}, false)

	w.section("二、異動內容")
	var rows [][]string
	for _, fv := range a.FieldRows() {
		rows = append(rows, []string{fv.Label, fv.Display})
	}
	w.table([]float64{40, appWidth - 40}, rows, map[int]bool{0: true}, false)

	w.section(fmt.Sprintf("三、申請通報機關（單位）：共 %d 個", len(a.Items)))
	rows = [][]string{{"序", "類別", "機關（單位）", "用戶號碼／備註"}}
	for i, it := range a.Items {
		acct := ""
		if it.AccountNo != "" {
			acct = it.AccountLabel + "：" + it.AccountNo
		}
		rows = append(rows, []string{fmt.Sprint(i + 1), it.CategoryName, it.AgencyName, acct})
	}
	w.table([]float64{10, 22, 88, appWidth - 120}, rows, nil, true)

	w.section("四、申請人聲明及簽章")
	w.font(pdf.Sung, 10.5)
	statement := "本人申請將上列戶籍異動資料，由受理戶政事務所以電子方式通報上列機關（單位）辦理資料變更，免再分別填寫各機關申請書。" +
		"上列資料僅供各該機關（單位）辦理資料變更使用，並依個人資料保護法規定蒐集、處理及利用。各機關（單位）原則於 7 日內完成更新，" +
		"辦理情形得向受理戶政事務所查詢。"
	lines, err := w.d.Wrap(statement, appWidth)
	w.fail(err)
	w.need(float64(len(lines))*appLineH + 34)
	for _, l := range lines {
		w.y += appLineH
		w.text(appMargin, w.y, l)
	}
	w.y += 10
	rel := a.ApplicantRelation
	w.text(appMargin, w.y, "申請人："+a.ApplicantName+"（與當事人關係："+rel+"）")
	if a.ApplicantIDNo != "" && a.ApplicantIDNo != a.SubjectIDNo {
		w.text(appMargin+100, w.y, "統一編號："+a.ApplicantIDNo)
	}
	w.y += 12
	w.text(appMargin, w.y, "簽名或蓋章：")
	w.d.Line(appMargin+24, w.y+1, appMargin+95, w.y+1)
	w.text(appMargin+104, w.y, "中華民國　　　年　　　月　　　日")
	w.y += 6
	w.footer()
}

func (w *appWriter) section(title string) {
	w.need(20)
	w.y += 7
	w.font(pdf.Kai, 12.5)
	w.text(appMargin, w.y, title)
	w.y += 2.5
}

// table draws rows with wrapped cells; label columns are shaded. With header
// set, the first row is repeated at the top of a continuation page.
func (w *appWriter) table(widths []float64, rows [][]string, labelCols map[int]bool, header bool) {
	w.font(pdf.Sung, 10.5)
	var head []string
	if header && len(rows) > 0 {
		head = rows[0]
	}
	for ri, row := range rows {
		cells := make([][]string, len(row))
		n := 1
		for i, c := range row {
			lines, err := w.d.Wrap(strings.TrimSpace(c), widths[i]-2*appCellPad)
			w.fail(err)
			cells[i] = lines
			if len(lines) > n {
				n = len(lines)
			}
		}
		h := float64(n)*appLineH + 2*appCellPad - 0.6
		if w.y+h > appBottom {
			w.newPage()
			if head != nil && ri > 0 {
				w.row(widths, [][]string{{head[0]}, {head[1]}, {head[2]}, {head[3]}}, appLineH+2*appCellPad-0.6, nil, true)
			}
		}
		w.row(widths, cells, h, labelCols, header && ri == 0)
	}
}

func (w *appWriter) row(widths []float64, cells [][]string, h float64, labelCols map[int]bool, shaded bool) {
	x := appMargin
	for i, lines := range cells {
		if shaded || labelCols[i] {
			w.d.SetGray(0.92)
			w.d.FillRect(x, w.y, widths[i], h)
			w.d.SetGray(0)
		}
		w.d.Rect(x, w.y, widths[i], h)
		for j, l := range lines {
			w.text(x+appCellPad, w.y+appCellPad+float64(j+1)*appLineH-1.4, l)
		}
		x += widths[i]
	}
	w.y += h
}
