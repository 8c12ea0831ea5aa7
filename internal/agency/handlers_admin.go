package agency

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"ebazhao/internal/office"
	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/web"
)

func (h *Handlers) register(w http.ResponseWriter, r *http.Request) error {
	list, err := h.Svc.Agencies(r.Context(), AgencyFilter{})
	if err != nil {
		return err
	}
	_, fp, keyErr := h.Svc.SigningPublicKey()
	return h.Kit.Render(w, r, "agency_register", "合作機關", map[string]any{"Groups": groupAgencies(list), "Count": len(list),
		"Kinds": Kinds, "SigningFingerprint": fp, "KeyError": keyErr})
}

// agencyPage is the edit page's data.
type agencyPage struct {
	Agency     *Agency
	New        bool
	Categories []Category
	Kinds      []Kind
	Tokens     []Token
	Keys       []SSHKey
	Files      []*DailyFile
	NewToken   string
	Error      string
}

func (h *Handlers) agencyNew(w http.ResponseWriter, r *http.Request) error {
	cats, err := h.Svc.Categories(r.Context())
	if err != nil {
		return err
	}
	a := &Agency{Delivery: DeliverSFTP, Encoding: UTF8, AgreedDays: 7, Active: true, Kinds: map[string][]string{}}
	return h.Kit.Render(w, r, "agency_edit", "新增合作機關", &agencyPage{Agency: a, New: true, Categories: cats, Kinds: Kinds})
}

func (h *Handlers) editPage(r *http.Request, a *Agency) (*agencyPage, error) {
	ctx := r.Context()
	cats, err := h.Svc.Categories(ctx)
	if err != nil {
		return nil, err
	}
	p := &agencyPage{Agency: a, Categories: cats, Kinds: Kinds}
	if p.Tokens, err = h.Svc.Tokens(ctx, a.ID); err != nil {
		return nil, err
	}
	if p.Keys, err = h.Svc.SSHKeys(ctx, a.ID); err != nil {
		return nil, err
	}
	if p.Files, err = h.Svc.Files(ctx, a.ID, 30); err != nil {
		return nil, err
	}
	return p, nil
}

func (h *Handlers) loadAgency(r *http.Request) (*Agency, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	a, err := h.Svc.AgencyByID(r.Context(), id)
	if errors.Is(err, db.ErrNotFound) {
		return nil, web.NotFound("查無此合作機關")
	}
	return a, err
}

func (h *Handlers) agencyEdit(w http.ResponseWriter, r *http.Request) error {
	a, err := h.loadAgency(r)
	if err != nil {
		return err
	}
	p, err := h.editPage(r, a)
	if err != nil {
		return err
	}
	return h.Kit.Render(w, r, "agency_edit", a.Name, p)
}

// Selected reports whether the agency receives field key for kind (for the form).
func (a *Agency) Selected(kind, key string) bool {
	sel, ok := a.Kinds[kind]
	if !ok {
		return false
	}
	if len(sel) == 0 {
		return true
	}
	for _, s := range sel {
		if s == key {
			return true
		}
	}
	return false
}

func (h *Handlers) agencySave(w http.ResponseWriter, r *http.Request) error {
	a := &Agency{Kinds: map[string][]string{}}
	isNew := r.PathValue("id") == ""
	if !isNew {
		old, err := h.loadAgency(r)
		if err != nil {
			return err
		}
		a.ID, a.Code = old.ID, old.Code
	}
	if err := r.ParseForm(); err != nil {
		return web.BadRequest("表單格式錯誤")
	}
	f := r.PostForm
	if isNew {
		a.Code = strings.TrimSpace(f.Get("code"))
	}
	a.CategoryID, _ = strconv.ParseInt(f.Get("category_id"), 10, 64)
	a.Name, a.Address, a.Phone, a.AccountLabel = f.Get("name"), f.Get("address"), f.Get("phone"), f.Get("account_label")
	a.AccountRequired, a.Active = f.Get("account_required") != "", f.Get("active") != ""
	a.Delivery, a.Encoding = f.Get("delivery"), f.Get("encoding")
	a.AgreedDays, _ = strconv.Atoi(f.Get("agreed_days"))
	a.SortOrder, _ = strconv.Atoi(f.Get("sort_order"))
	var formErr error
	for _, k := range Kinds {
		if f.Get("kind_"+k.Code) == "" {
			continue
		}
		fields := f["field_"+k.Code]
		if len(fields) == 0 {
			formErr = &ValidationError{Err: fmt.Errorf("「%s」請至少勾選一個傳送欄位", k.Name)}
		}
		if len(fields) == len(k.FieldKeys()) {
			fields = nil // every field, including fields added to the kind later
		}
		a.Kinds[k.Code] = fields
	}
	err := formErr
	if err == nil {
		err = h.Svc.SaveAgency(r.Context(), web.Actor(r), a)
	}
	if err != nil {
		var ve *ValidationError
		if !errors.As(err, &ve) {
			return err
		}
		cats, cerr := h.Svc.Categories(r.Context())
		if cerr != nil {
			return cerr
		}
		p := &agencyPage{Agency: a, New: isNew, Categories: cats, Kinds: Kinds, Error: ve.Error()}
		w.WriteHeader(http.StatusUnprocessableEntity)
		return h.Kit.Render(w, r, "agency_edit", "合作機關", p)
	}
	return web.Redirect(w, r, fmt.Sprintf("/agency/register/%d", a.ID), "已儲存合作機關資料")
}

func (h *Handlers) tokenCreate(w http.ResponseWriter, r *http.Request) error {
	a, err := h.loadAgency(r)
	if err != nil {
		return err
	}
	tok, err := h.Svc.CreateToken(r.Context(), web.Actor(r), a.ID, r.PostFormValue("name"))
	if err != nil {
		return userErr(err)
	}
	p, err := h.editPage(r, a)
	if err != nil {
		return err
	}
	p.NewToken = tok // shown once, never stored in clear
	return h.Kit.Render(w, r, "agency_edit", a.Name, p)
}

func (h *Handlers) tokenRevoke(w http.ResponseWriter, r *http.Request) error {
	a, err := h.loadAgency(r)
	if err != nil {
		return err
	}
	tid, err := pathID(r, "tid")
	if err != nil {
		return err
	}
	if err := h.Svc.RevokeToken(r.Context(), web.Actor(r), a.ID, tid); err != nil {
		return userErr(err)
	}
	return web.Redirect(w, r, fmt.Sprintf("/agency/register/%d", a.ID), "已撤銷 API 憑證")
}

func (h *Handlers) keyAdd(w http.ResponseWriter, r *http.Request) error {
	a, err := h.loadAgency(r)
	if err != nil {
		return err
	}
	k, err := h.Svc.AddSSHKey(r.Context(), web.Actor(r), a.ID, r.PostFormValue("public_key"))
	if err != nil {
		return userErr(err)
	}
	return web.Redirect(w, r, fmt.Sprintf("/agency/register/%d", a.ID), "已登錄 SFTP 公鑰 "+k.Fingerprint)
}

func (h *Handlers) keyRevoke(w http.ResponseWriter, r *http.Request) error {
	a, err := h.loadAgency(r)
	if err != nil {
		return err
	}
	kid, err := pathID(r, "kid")
	if err != nil {
		return err
	}
	if err := h.Svc.RevokeSSHKey(r.Context(), web.Actor(r), a.ID, kid); err != nil {
		return userErr(err)
	}
	return web.Redirect(w, r, fmt.Sprintf("/agency/register/%d", a.ID), "已撤銷 SFTP 公鑰")
}

// runFiles runs the daily job now (catching up any missed day) or rewrites
// one day's recorded files.
func (h *Handlers) runFiles(w http.ResponseWriter, r *http.Request) error {
	if d := strings.TrimSpace(r.PostFormValue("day")); d != "" {
		day, err := civil.Parse(d)
		if err != nil {
			return web.Invalid(err)
		}
		n, err := h.Svc.Regenerate(r.Context(), day)
		if err != nil {
			return err
		}
		h.Kit.Audit(r, "agency.file.regenerate", "agency_file", day.ISO(), "", "ok", fmt.Sprintf("%d files", n))
		return web.Redirect(w, r, "/agency/register", fmt.Sprintf("已重新寫出 %s 的 %d 個檔案（內容與原檔相同）", day.ROC(), n))
	}
	sum, err := h.Svc.GenerateDue(r.Context())
	if err != nil {
		return err
	}
	h.Kit.Audit(r, "agency.file.run", "agency_file", "", "", "ok", fmt.Sprintf("%d files, %d items, %d errors", sum.Files, sum.Items, len(sum.Errs)))
	msg := fmt.Sprintf("已產製 %d 個每日檔案，共 %d 筆", sum.Files, sum.Items)
	if len(sum.Errs) > 0 {
		msg += fmt.Sprintf("；%d 個失敗，詳見系統紀錄", len(sum.Errs))
	}
	return web.Redirect(w, r, "/agency/register", msg)
}

func (h *Handlers) signingKey(w http.ResponseWriter, r *http.Request) error {
	pemBytes, fp, err := h.Svc.SigningPublicKey()
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/x-pem-file")
	w.Header().Set("X-Key-Fingerprint", fp)
	_, err = w.Write(pemBytes)
	return err
}

// statsFilter reads from, to (ROC or ISO dates), group and office.
func (h *Handlers) statsFilter(r *http.Request) (StatsFilter, error) {
	q := r.URL.Query()
	today := h.Svc.today()
	f := StatsFilter{From: civil.New(today.Year(), today.Month(), 1), To: today, GroupBy: q.Get("group")}
	var err error
	if s := q.Get("from"); s != "" {
		if f.From, err = civil.Parse(s); err != nil {
			return f, web.Invalid(fmt.Errorf("起日：%w", err))
		}
	}
	if s := q.Get("to"); s != "" {
		if f.To, err = civil.Parse(s); err != nil {
			return f, web.Invalid(fmt.Errorf("迄日：%w", err))
		}
	}
	u := web.User(r)
	f.OfficeID = u.OfficeID
	if u.Can(auth.CityWide) {
		f.OfficeID, _ = strconv.ParseInt(q.Get("office"), 10, 64)
	}
	return f, nil
}

func (h *Handlers) stats(w http.ResponseWriter, r *http.Request) error {
	f, err := h.statsFilter(r)
	if err != nil {
		return err
	}
	rows, total, err := h.Svc.Stats(r.Context(), f)
	if err != nil {
		return web.Invalid(err)
	}
	var offices []*office.Office
	if web.User(r).Can(auth.CityWide) {
		if offices, err = (&office.Store{DB: h.Svc.DB}).All(r.Context()); err != nil {
			return err
		}
	}
	q := url.Values{"from": {f.From.ROCShort()}, "to": {f.To.ROCShort()}, "group": {f.GroupBy}, "office": {fmt.Sprint(f.OfficeID)}}
	return h.Kit.Render(w, r, "agency_stats", "N加e 統計", map[string]any{"Rows": rows, "Total": total, "Filter": f, "Groups": StatsGroups,
		"From": f.From.ROCShort(), "To": f.To.ROCShort(), "Offices": offices, "Query": q.Encode()})
}

// statsTable is the statistics as a sheet: header plus one line per group and the total.
func statsTable(groupLabel string, rows []StatsRow, total StatsRow) [][]any {
	out := [][]any{{groupLabel, "份數（人次）", "件數", "已取件", "已完成更新", "退件", "逾期未回報", "平均取件時數", "取件時數P90",
		"平均完成時數", "完成時數P90", "節省往返時間（小時）", "節省往返金錢（元）"}}
	line := func(key string, r StatsRow) []any {
		return []any{key, r.Applications, r.Items, r.Delivered, r.Applied, r.Rejected, r.Overdue, round1(r.DeliveryMean), round1(r.DeliveryP90),
			round1(r.AckMean), round1(r.AckP90), r.SavedHours, r.SavedNTD}
	}
	for _, r := range rows {
		out = append(out, line(r.Key, r))
	}
	return append(out, line("合計", total))
}

func round1(f float64) float64 { return float64(int64(f*10+0.5)) / 10 }

func (h *Handlers) statsXLSX(w http.ResponseWriter, r *http.Request) error {
	f, err := h.statsFilter(r)
	if err != nil {
		return err
	}
	rows, total, err := h.Svc.Stats(r.Context(), f)
	if err != nil {
		return web.Invalid(err)
	}
	label := "機關"
	for _, g := range StatsGroups {
		if g.Key == f.GroupBy {
			label = g.Label
		}
	}
	x := excelize.NewFile()
	defer x.Close()
	sheet := "N加e統計"
	x.SetSheetName("Sheet1", sheet)
	x.SetCellValue(sheet, "A1", fmt.Sprintf("N加e 跨機關通報統計 %s 至 %s", f.From.ROC(), f.To.ROC()))
	for i, rec := range statsTable(label, rows, total) {
		for j, v := range rec {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+3)
			x.SetCellValue(sheet, cell, v)
		}
	}
	x.SetColWidth(sheet, "A", "A", 36)
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="nplus-e-%s-%s.xlsx"`, f.From.ISO(), f.To.ISO()))
	return x.Write(w)
}
