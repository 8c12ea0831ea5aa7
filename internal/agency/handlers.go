package agency

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"ebazhao/internal/person"
	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/blob"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/idno"
	"ebazhao/internal/platform/imagebudget"
	"ebazhao/internal/platform/web"
)

// Handlers serves the N加e pages, the staff API and the partner API.
type Handlers struct {
	Kit *web.Kit
	Svc *Service
	// TipsURL, when set, links the citizen tips (貼心小叮嚀) that follow a
	// change kind, offered to the citizen with the application ("" for none).
	TipsURL func(kind, idNo string) string
}

// Mount builds the service, registers its routes with the citizen tips linked,
// and returns it for the SFTP endpoint and the daily job.
func Mount(k *web.Kit, d *db.DB, dataDir string, log *slog.Logger) *Service {
	s := New(d, dataDir, log)
	(&Handlers{Kit: k, Svc: s, TipsURL: CounterTipsURL}).Routes()
	return s
}

// tipCategories maps change kinds to the tip categories (便民資訊) that follow them.
var tipCategories = map[string]string{"move": "move", "renumber": "move", "name": "name", "birth": "birth", "death": "death"}

// CounterTipsURL links the counter's tip sheet for a change kind.
func CounterTipsURL(kind, idNo string) string {
	c, ok := tipCategories[kind]
	if !ok {
		return ""
	}
	return "/tips/counter?kind=" + c + "&idno=" + idNo
}

// Routes registers every N加e route.
func (h *Handlers) Routes() {
	k := h.Kit
	k.Page("GET /agency", auth.AgencyFile, h.index)
	k.Page("GET /agency/new", auth.AgencyFile, h.newForm)
	k.Page("POST /agency/applications", auth.AgencyFile, h.create)
	k.Page("GET /agency/applications/{id}", auth.AgencyFile, h.show)
	k.Page("GET /agency/applications/{id}/pdf", auth.AgencyFile, h.pdf)
	k.Page("POST /agency/applications/{id}/send", auth.AgencyFile, h.send)
	k.Page("POST /agency/applications/{id}/cancel", auth.AgencyFile, h.cancel)
	k.Page("POST /agency/applications/{id}/scan", auth.AgencyFile, h.uploadScan)
	k.Page("GET /agency/applications/{id}/scan", auth.AgencyFile, h.viewScan)
	k.Page("GET /agency/persons/{idno}", auth.AgencyFile, h.personPage)
	k.Page("GET /agency/persons/{idno}/status", auth.AgencyFile, h.personStatus)
	k.Page("GET /agency/overdue", auth.AgencyManage, h.overdue)
	k.Page("POST /agency/items/{id}/result", auth.AgencyManage, h.recordResult)
	k.Page("GET /agency/stats", auth.ReportView, h.stats)
	k.Page("GET /agency/stats.xlsx", auth.ReportView, h.statsXLSX)
	k.Page("GET /agency/register", auth.AgencyRegister, h.register)
	k.Page("GET /agency/register/new", auth.AgencyRegister, h.agencyNew)
	k.Page("POST /agency/register", auth.AgencyRegister, h.agencySave)
	k.Page("GET /agency/register/{id}", auth.AgencyRegister, h.agencyEdit)
	k.Page("POST /agency/register/{id}", auth.AgencyRegister, h.agencySave)
	k.Page("POST /agency/register/{id}/tokens", auth.AgencyRegister, h.tokenCreate)
	k.Page("POST /agency/register/{id}/tokens/{tid}/revoke", auth.AgencyRegister, h.tokenRevoke)
	k.Page("POST /agency/register/{id}/keys", auth.AgencyRegister, h.keyAdd)
	k.Page("POST /agency/register/{id}/keys/{kid}/revoke", auth.AgencyRegister, h.keyRevoke)
	k.Page("POST /agency/files/run", auth.AgencyRegister, h.runFiles)
	h.apiRoutes()
}

func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, web.NotFound("查無此資料")
	}
	return id, nil
}

// userErr turns service errors into the user-facing kind.
func userErr(err error) error {
	var ve *ValidationError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ve):
		return web.Invalid(ve)
	case errors.Is(err, ErrOtherOffice):
		return web.Forbidden(err.Error())
	case errors.Is(err, ErrCancelled), errors.Is(err, ErrNotDraft):
		return web.Conflict(err.Error())
	case errors.Is(err, ErrKeyReused):
		return web.Conflict("此申請畫面已由其他人員送出，請重新開啟")
	case errors.Is(err, db.ErrNotFound):
		return web.NotFound("查無此申請書或通報")
	case errors.Is(err, ErrDayNotOver):
		return web.BadRequest(err.Error())
	}
	return err
}

func (h *Handlers) index(w http.ResponseWriter, r *http.Request) error {
	u := web.User(r)
	ctx := r.Context()
	if q := strings.TrimSpace(r.URL.Query().Get("idno")); q != "" {
		http.Redirect(w, r, "/agency/new?idno="+idno.Normalize(q), http.StatusSeeOther)
		return nil
	}
	drafts, err := h.Svc.ForOffice(ctx, u.OfficeID, StatusDraft, 30)
	if err != nil {
		return err
	}
	sent, err := h.Svc.ForOffice(ctx, u.OfficeID, StatusSent, 20)
	if err != nil {
		return err
	}
	data := map[string]any{"Drafts": drafts, "Sent": sent, "Today": h.Svc.today()}
	if u.Can(auth.AgencyManage) {
		office := u.OfficeID
		if u.Can(auth.CityWide) {
			office = 0
		}
		od, err := h.Svc.Overdue(ctx, office, 1000)
		if err != nil {
			return err
		}
		data["OverdueCount"] = len(od)
	}
	return h.Kit.Render(w, r, "agency_index", "N加e 跨機關通報", data)
}

// agencyGroup is a category with the agencies accepting the chosen kind.
type agencyGroup struct {
	Category string
	Agencies []*Agency
}

func groupAgencies(list []*Agency) []agencyGroup {
	var out []agencyGroup
	for _, a := range list {
		if len(out) == 0 || out[len(out)-1].Category != a.CategoryName {
			out = append(out, agencyGroup{Category: a.CategoryName})
		}
		out[len(out)-1].Agencies = append(out[len(out)-1].Agencies, a)
	}
	return out
}

// formData is the counter form's state, first shown or re-shown after an error.
type formData struct {
	Person    *person.Person
	Kinds     []Kind
	Kind      Kind
	Groups    []agencyGroup
	Values    map[string]string
	Checked   map[int64]bool
	Accounts  map[int64]string
	Applicant struct{ Name, IDNo, Relation string }
	Key       string
	Error     string
}

func (h *Handlers) loadForm(ctx context.Context, idNo, kindCode string) (*formData, error) {
	p, err := (&person.Store{DB: h.Svc.DB}).ByIDNo(ctx, idno.Normalize(idNo))
	if errors.Is(err, db.ErrNotFound) {
		return nil, web.NotFound("查無統一編號「" + idNo + "」的民眾資料，請先於民眾資料建檔")
	}
	if err != nil {
		return nil, err
	}
	k, ok := KindByCode(kindCode)
	if !ok {
		k = Kinds[0]
	}
	list, err := h.Svc.Agencies(ctx, AgencyFilter{ActiveOnly: true, Kind: k.Code})
	if err != nil {
		return nil, err
	}
	fd := &formData{Person: p, Kinds: Kinds, Kind: k, Groups: groupAgencies(list), Values: map[string]string{},
		Checked: map[int64]bool{}, Accounts: map[int64]string{}}
	today := h.Svc.today().ROCShort()
	for _, f := range k.Fields {
		switch f.Prefill {
		case FromHousehold:
			fd.Values[f.Key] = p.AddrHousehold
		case FromName:
			fd.Values[f.Key] = p.Name
		case FromBirthDate:
			fd.Values[f.Key] = civil.Of(p.BirthDate).ROCShort()
		case FromIDNo:
			fd.Values[f.Key] = p.IDNo
		}
		if f.Key == "event_date" {
			fd.Values[f.Key] = today
		}
	}
	return fd, nil
}

func (h *Handlers) newForm(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if q.Get("idno") == "" {
		return web.Redirect(w, r, "/agency", "")
	}
	fd, err := h.loadForm(r.Context(), q.Get("idno"), q.Get("kind"))
	if err != nil {
		return err
	}
	fd.Key = auth.RandomToken(18)
	h.Kit.Audit(r, "agency.person.view", "person", fd.Person.IDNo, fd.Person.IDNo, "ok", "N加e form")
	return h.Kit.Render(w, r, "agency_new", "N加e 跨機關通報："+fd.Person.Name, fd)
}

// readForm parses the counter form into an application and the form's state.
func readForm(r *http.Request, fd *formData) (NewApplication, error) {
	if err := r.ParseForm(); err != nil {
		return NewApplication{}, web.BadRequest("表單格式錯誤")
	}
	f := r.PostForm
	in := NewApplication{IdempotencyKey: f.Get("idempotency_key"), Kind: fd.Kind.Code, PersonIDNo: fd.Person.IDNo,
		ApplicantName: f.Get("applicant_name"), ApplicantIDNo: f.Get("applicant_id_no"), ApplicantRelation: f.Get("applicant_relation"),
		Fields: map[string]string{}}
	fd.Key = in.IdempotencyKey
	fd.Applicant.Name, fd.Applicant.IDNo, fd.Applicant.Relation = in.ApplicantName, in.ApplicantIDNo, in.ApplicantRelation
	for _, fl := range fd.Kind.Fields {
		v := f.Get("f_" + fl.Key)
		in.Fields[fl.Key] = v
		fd.Values[fl.Key] = v
	}
	for _, s := range f["agency"] {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return in, web.BadRequest("勾選的機關不正確")
		}
		acct := f.Get(fmt.Sprintf("account_%d", id))
		in.Agencies = append(in.Agencies, Selection{AgencyID: id, AccountNo: acct})
		fd.Checked[id] = true
		fd.Accounts[id] = acct
	}
	for k, v := range f {
		if strings.HasPrefix(k, "account_") && len(v) > 0 {
			if id, err := strconv.ParseInt(strings.TrimPrefix(k, "account_"), 10, 64); err == nil {
				fd.Accounts[id] = v[0]
			}
		}
	}
	return in, nil
}

func (h *Handlers) create(w http.ResponseWriter, r *http.Request) error {
	if _, ok := KindByCode(r.PostFormValue("kind")); !ok {
		return web.BadRequest("請選擇異動類別")
	}
	fd, err := h.loadForm(r.Context(), r.PostFormValue("person_id_no"), r.PostFormValue("kind"))
	if err != nil {
		return err
	}
	in, err := readForm(r, fd)
	if err != nil {
		return err
	}
	var counter int64
	if s := web.Session(r); s != nil {
		counter = s.CounterID
	}
	app, created, err := h.Svc.Create(r.Context(), web.User(r), counter, web.ClientAddr(r), in)
	if err != nil {
		var ve *ValidationError
		if errors.As(err, &ve) {
			fd.Error = ve.Error()
			w.WriteHeader(http.StatusUnprocessableEntity)
			return h.Kit.Render(w, r, "agency_new", "N加e 跨機關通報："+fd.Person.Name, fd)
		}
		return userErr(err)
	}
	msg := "已產生申請書，請列印交民眾確認簽名後按「民眾已簽名，送出通報」"
	if !created {
		msg = "此申請書先前已建立（重複送出不會重複建立）"
	}
	return web.Redirect(w, r, fmt.Sprintf("/agency/applications/%d", app.ID), msg)
}

func (h *Handlers) loadApp(r *http.Request) (*Application, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	app, err := h.Svc.Application(r.Context(), id)
	if errors.Is(err, db.ErrNotFound) {
		return nil, web.NotFound("查無此申請書")
	}
	return app, err
}

func (h *Handlers) show(w http.ResponseWriter, r *http.Request) error {
	app, err := h.loadApp(r)
	if err != nil {
		return err
	}
	u := web.User(r)
	h.Kit.Audit(r, "agency.application.view", "agency_application", fmt.Sprint(app.ID), app.SubjectIDNo, "ok", "")
	scans, err := h.Svc.Scans(r.Context(), app.ID)
	if err != nil {
		return err
	}
	data := map[string]any{"App": app, "CanAct": u.CanActOnOffice(app.OfficeID), "Today": h.Svc.today(),
		"CanRecord": u.Can(auth.AgencyManage) && u.CanActOnOffice(app.OfficeID), "Scans": scans}
	if h.TipsURL != nil {
		data["TipsURL"] = h.TipsURL(app.Kind, app.SubjectIDNo)
	}
	return h.Kit.Render(w, r, "agency_application", "申請書 "+app.No(), data)
}

func (h *Handlers) pdf(w http.ResponseWriter, r *http.Request) error {
	app, err := h.loadApp(r)
	if err != nil {
		return err
	}
	if app.Status == StatusCancelled {
		return web.Conflict("此申請書已取消，不能列印")
	}
	b, err := ApplicationPDF(h.Svc.Fonts, app, h.Svc.now())
	if err != nil {
		return err
	}
	h.Kit.Audit(r, "agency.application.print", "agency_application", fmt.Sprint(app.ID), app.SubjectIDNo, "ok", app.No())
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename="nplus-e-%d.pdf"`, app.ID))
	_, err = w.Write(b)
	return err
}

func (h *Handlers) send(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	already, err := h.Svc.Send(r.Context(), web.User(r), web.ClientAddr(r), id)
	if err != nil {
		return userErr(err)
	}
	msg := "已送出通報：資料已保存，各機關將取件並於約定日數內完成更新"
	if already {
		msg = "此申請書先前已送出（不會重複通報）"
	}
	return web.Redirect(w, r, fmt.Sprintf("/agency/applications/%d", id), msg)
}

func (h *Handlers) cancel(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := h.Svc.Cancel(r.Context(), web.User(r), web.ClientAddr(r), id, r.PostFormValue("reason")); err != nil {
		return userErr(err)
	}
	return web.Redirect(w, r, fmt.Sprintf("/agency/applications/%d", id), "申請書已取消，未通報任何機關")
}

// uploadScan attaches the scanned signed application: read only after login,
// permission and the office check, bounded in size, checked by content
// (imagebudget.Check: a real PDF or image within the size and pixel budgets),
// and kept as a new version — a replacement needs a reason, and the earlier
// scans stay.
func (h *Handlers) uploadScan(w http.ResponseWriter, r *http.Request) error {
	app, err := h.loadApp(r)
	if err != nil {
		return err
	}
	if !web.User(r).CanActOnOffice(app.OfficeID) { // before the file reaches the store
		return web.Forbidden(ErrOtherOffice.Error())
	}
	if h.Svc.Blobs == nil {
		return web.BadRequest("系統未設定檔案儲存區，無法上傳掃描檔")
	}
	r.Body = http.MaxBytesReader(w, r.Body, ScanLimits.MaxBytes+1<<20)
	file, _, err := r.FormFile("scan")
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return &web.Error{Status: http.StatusRequestEntityTooLarge, Msg: fmt.Sprintf("掃描檔過大（上限 %d MB）", ScanLimits.MaxBytes>>20), Err: err}
	}
	if err != nil {
		return web.BadRequest("請選擇簽名申請書的掃描檔（PDF、JPEG 或 PNG）")
	}
	defer file.Close()
	b, err := io.ReadAll(io.LimitReader(file, ScanLimits.MaxBytes+1))
	if err != nil {
		return err
	}
	format, err := imagebudget.Check(b, ScanLimits)
	var rej *imagebudget.Rejection
	if errors.As(err, &rej) {
		return &web.Error{Status: http.StatusBadRequest, Msg: "簽名申請書掃描檔：" + rej.Reason, Err: err}
	}
	if err != nil {
		return err
	}
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	if app.ScanHash != "" && reason == "" { // before the file reaches the store
		return userErr(ErrScanReason)
	}
	ref, err := h.Svc.Blobs.Put(r.Context(), bytes.NewReader(b), ScanLimits.MaxBytes)
	if errors.Is(err, blob.ErrNoSpace) {
		return &web.Error{Status: http.StatusInsufficientStorage, Msg: blob.NoSpaceMessage, Err: err}
	}
	if err != nil {
		return err
	}
	sc, err := h.Svc.AttachScan(r.Context(), web.User(r), web.ClientAddr(r), app.ID, Scan{Hash: ref.Hash, Format: format, Size: int64(len(b)), Reason: reason})
	if err != nil {
		return userErr(err)
	}
	msg := "已保存簽名申請書掃描檔"
	if sc.Version > 1 {
		msg = fmt.Sprintf("已保存新的簽名申請書掃描檔（第 %d 版；先前版本仍保存）", sc.Version)
	}
	return web.Redirect(w, r, fmt.Sprintf("/agency/applications/%d", app.ID), msg)
}

// viewScan shows the current scan, or version ?v=N of its history.
func (h *Handlers) viewScan(w http.ResponseWriter, r *http.Request) error {
	app, err := h.loadApp(r)
	if err != nil {
		return err
	}
	if app.ScanHash == "" || h.Svc.Blobs == nil {
		return web.NotFound("此申請書沒有掃描檔")
	}
	hash, version, ctype := app.ScanHash, "current", ""
	if v := r.URL.Query().Get("v"); v != "" {
		scans, err := h.Svc.Scans(r.Context(), app.ID)
		if err != nil {
			return err
		}
		hash = ""
		for _, sc := range scans {
			if fmt.Sprint(sc.Version) == v {
				hash, version, ctype = sc.Hash, "version "+v, sc.ContentType()
			}
		}
		if hash == "" {
			return web.NotFound("此申請書沒有第 " + v + " 版掃描檔")
		}
	}
	b, err := blob.Get(r.Context(), h.Svc.Blobs, hash)
	if err != nil {
		return err
	}
	h.Kit.Audit(r, "agency.application.scan.view", "agency_application", fmt.Sprint(app.ID), app.SubjectIDNo, "ok", version)
	if ctype == "" {
		ctype = http.DetectContentType(b)
	}
	w.Header().Set("Content-Type", ctype)
	_, err = w.Write(b)
	return err
}

func (h *Handlers) personData(r *http.Request) (map[string]any, *person.Person, error) {
	p, err := (&person.Store{DB: h.Svc.DB}).ByIDNo(r.Context(), idno.Normalize(r.PathValue("idno")))
	if errors.Is(err, db.ErrNotFound) {
		return nil, nil, web.NotFound("查無此民眾資料")
	}
	if err != nil {
		return nil, nil, err
	}
	apps, err := h.Svc.ByPerson(r.Context(), p.IDNo)
	if err != nil {
		return nil, nil, err
	}
	h.Kit.Audit(r, "agency.person.view", "person", p.IDNo, p.IDNo, "ok", "N加e status")
	return map[string]any{"Person": p, "Apps": apps, "Today": h.Svc.today()}, p, nil
}

func (h *Handlers) personPage(w http.ResponseWriter, r *http.Request) error {
	data, p, err := h.personData(r)
	if err != nil {
		return err
	}
	return h.Kit.Render(w, r, "agency_person", p.Name+" 跨機關通報", data)
}

// personStatus is the block the person page includes (hx-get on load).
func (h *Handlers) personStatus(w http.ResponseWriter, r *http.Request) error {
	data, _, err := h.personData(r)
	if err != nil {
		return err
	}
	return h.Kit.RenderFragment(w, r, "agency_person", "status", data)
}

func (h *Handlers) overdue(w http.ResponseWriter, r *http.Request) error {
	u := web.User(r)
	office := u.OfficeID
	if u.Can(auth.CityWide) && r.URL.Query().Get("scope") != "office" {
		office = 0
	}
	list, err := h.Svc.Overdue(r.Context(), office, 500)
	if err != nil {
		return err
	}
	return h.Kit.Render(w, r, "agency_overdue", "逾期未回報通報", map[string]any{"Items": list, "CityWide": office == 0})
}

func (h *Handlers) recordResult(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := h.Svc.RecordResult(r.Context(), web.User(r), web.ClientAddr(r), id, r.PostFormValue("result"), r.PostFormValue("reason")); err != nil {
		return userErr(err)
	}
	back := web.SafeNext(r.PostFormValue("next"))
	return web.Redirect(w, r, back, "已登錄機關回報結果")
}
