package notice

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/web"
)

// ReportRow counts documents of one office, kind, month and clerk.
type ReportRow struct {
	OfficeID   int64  `json:"office_id"`
	OfficeName string `json:"office"`
	Kind       Kind   `json:"kind"`
	Month      string `json:"month"` // YYYY-MM
	Clerk      string `json:"clerk"`
	Issued     int64  `json:"issued"`    // all numbers handed out, cancelled included
	Cancelled  int64  `json:"cancelled"` // of which cancelled
	Amount     int64  `json:"amount"`    // fines of documents not cancelled (NT$)
}

// ROCMonth prints the month as 113年7月.
func (r ReportRow) ROCMonth() string {
	t, err := civil.ParseISO(r.Month + "-01")
	if err != nil {
		return r.Month
	}
	return fmt.Sprintf("%d年%d月", t.ROCYear(), int(t.Month()))
}

// KindLabel is the kind's Chinese name.
func (r ReportRow) KindLabel() string { return r.Kind.Label() }

// Report counts documents issued in ROC year by office, kind, month and clerk;
// officeID 0 means every office.
func (s *Service) Report(ctx context.Context, officeID int64, rocYear int) ([]ReportRow, error) {
	from := fmt.Sprintf("%04d-01-01", rocYear+1911)
	to := fmt.Sprintf("%04d-12-31", rocYear+1911)
	q := `SELECT d.office_id, o.name, d.kind, substr(d.issued_on, 1, 7), u.display_name, COUNT(*),
		CAST(SUM(CASE WHEN d.status = 'cancelled' THEN 1 ELSE 0 END) AS BIGINT),
		CAST(SUM(CASE WHEN d.status = 'issued' THEN d.amount ELSE 0 END) AS BIGINT)
		FROM documents d JOIN offices o ON o.id = d.office_id JOIN users u ON u.id = d.issued_by
		WHERE d.issued_on >= ? AND d.issued_on <= ?`
	args := []any{from, to}
	if officeID != 0 {
		q += ` AND d.office_id = ?`
		args = append(args, officeID)
	}
	q += ` GROUP BY d.office_id, o.name, d.kind, substr(d.issued_on, 1, 7), u.display_name`
	rows, err := s.DB.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ReportRow
	for rows.Next() {
		var r ReportRow
		if err := rows.Scan(&r.OfficeID, &r.OfficeName, &r.Kind, &r.Month, &r.Clerk, &r.Issued, &r.Cancelled, &r.Amount); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.OfficeID != b.OfficeID {
			return a.OfficeID < b.OfficeID
		}
		if a.Month != b.Month {
			return a.Month < b.Month
		}
		if a.Kind != b.Kind {
			return kindOrder(a.Kind) < kindOrder(b.Kind)
		}
		return a.Clerk < b.Clerk
	})
	return out, nil
}

// KindTotals sums report rows by kind, in menu order.
func KindTotals(rows []ReportRow) []ReportRow {
	m := map[Kind]*ReportRow{}
	for _, r := range rows {
		t, ok := m[r.Kind]
		if !ok {
			t = &ReportRow{Kind: r.Kind}
			m[r.Kind] = t
		}
		t.Issued += r.Issued
		t.Cancelled += r.Cancelled
		t.Amount += r.Amount
	}
	var out []ReportRow
	for _, k := range kindInfos {
		if t, ok := m[k.Kind]; ok {
			out = append(out, *t)
		}
	}
	return out
}

func (h *Handlers) reportScope(r *http.Request) (officeID int64, year int, err error) {
	u := web.User(r)
	year = h.Service.Today().ROCYear()
	if y := r.URL.Query().Get("year"); y != "" {
		if year, err = strconv.Atoi(y); err != nil || year < 1 || year > 300 {
			return 0, 0, web.BadRequest("年度應為民國年，例如 113")
		}
	}
	officeID = u.OfficeID
	if u.Can(auth.CityWide) && r.URL.Query().Get("office") == "all" {
		officeID = 0
	}
	return officeID, year, nil
}

func (h *Handlers) reports(w http.ResponseWriter, r *http.Request) error {
	officeID, year, err := h.reportScope(r)
	if err != nil {
		return err
	}
	rows, err := h.Service.Report(r.Context(), officeID, year)
	if err != nil {
		return err
	}
	return h.Kit.Render(w, r, "notice_reports", fmt.Sprintf("%d年行政文書統計", year), map[string]any{
		"Rows": rows, "Totals": KindTotals(rows), "Year": year, "All": officeID == 0, "CityWide": web.User(r).Can(auth.CityWide)})
}

func (h *Handlers) reportsXLSX(w http.ResponseWriter, r *http.Request) error {
	officeID, year, err := h.reportScope(r)
	if err != nil {
		return err
	}
	rows, err := h.Service.Report(r.Context(), officeID, year)
	if err != nil {
		return err
	}
	b, err := ReportXLSX(rows, year)
	if err != nil {
		return err
	}
	h.Kit.Audit(r, "document.report.export", "report", strconv.Itoa(year), "", "ok", fmt.Sprintf("%d rows", len(rows)))
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="documents-%d.xlsx"`, year))
	_, err = w.Write(b)
	return err
}

// ReportXLSX writes the report as an Excel workbook: a summary by kind and the
// detail by office, month, kind and clerk.
func ReportXLSX(rows []ReportRow, year int) ([]byte, error) {
	summary := [][]any{{fmt.Sprintf("%d年行政文書統計", year)}, {"文書種類", "開立件數", "作廢件數", "罰鍰金額（元）"}}
	for _, t := range KindTotals(rows) {
		summary = append(summary, []any{t.Kind.Label(), t.Issued, t.Cancelled, t.Amount})
	}
	detail := [][]any{{"戶政事務所", "月份", "文書種類", "承辦人", "開立件數", "作廢件數", "罰鍰金額（元）"}}
	for _, r := range rows {
		detail = append(detail, []any{r.OfficeName, r.ROCMonth(), r.Kind.Label(), r.Clerk, r.Issued, r.Cancelled, r.Amount})
	}
	return writeXLSX([]sheet{{"統計", summary}, {"明細", detail}})
}

type sheet struct {
	Name string
	Rows [][]any
}

// writeXLSX writes a minimal Office Open XML workbook (inline strings, numbers).
func writeXLSX(sheets []sheet) ([]byte, error) {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	put := func(name, body string) error {
		f, err := z.Create(name)
		if err != nil {
			return err
		}
		_, err = f.Write([]byte(xml.Header + body))
		return err
	}
	var ct, wb, rels strings.Builder
	ct.WriteString(`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>`)
	wb.WriteString(`<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>`)
	rels.WriteString(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	for i, s := range sheets {
		n := i + 1
		fmt.Fprintf(&ct, `<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, n)
		fmt.Fprintf(&wb, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, esc(s.Name), n, n)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>`, n, n)
		var sb strings.Builder
		sb.WriteString(`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
		for ri, row := range s.Rows {
			fmt.Fprintf(&sb, `<row r="%d">`, ri+1)
			for ci, v := range row {
				ref := colName(ci) + strconv.Itoa(ri+1)
				switch x := v.(type) {
				case int64:
					fmt.Fprintf(&sb, `<c r="%s"><v>%d</v></c>`, ref, x)
				case int:
					fmt.Fprintf(&sb, `<c r="%s"><v>%d</v></c>`, ref, x)
				default:
					fmt.Fprintf(&sb, `<c r="%s" t="inlineStr"><is><t>%s</t></is></c>`, ref, esc(fmt.Sprint(x)))
				}
			}
			sb.WriteString(`</row>`)
		}
		sb.WriteString(`</sheetData></worksheet>`)
		if err := put(fmt.Sprintf("xl/worksheets/sheet%d.xml", n), sb.String()); err != nil {
			return nil, err
		}
	}
	ct.WriteString(`</Types>`)
	wb.WriteString(`</sheets></workbook>`)
	fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`, len(sheets)+1)
	for _, p := range []struct{ name, body string }{
		{"[Content_Types].xml", ct.String()},
		{"_rels/.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", wb.String()},
		{"xl/_rels/workbook.xml.rels", rels.String()},
		{"xl/styles.xml", `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="1"><xf/></cellXfs></styleSheet>`},
	} {
		if err := put(p.name, p.body); err != nil {
			return nil, err
		}
	}
	if err := z.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func colName(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}
