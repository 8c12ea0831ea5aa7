package form

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"ebazhao/internal/office"
	"ebazhao/internal/person"
	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/blob"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/idno"
	"ebazhao/internal/platform/pdf"
	"ebazhao/internal/platform/web"
	"ebazhao/internal/tip"
)

// Deps are what the forms library and the tips need from the application.
type Deps struct {
	Offices *office.Store
	Persons *person.Store
	Blobs   blob.Store // uploaded form files; nil: <DataDir>/blobs
	Fonts   *pdf.Fonts // shared CNS11643 fonts; nil: a set of its own
	DataDir string     // for the default blob store
	Now     func() time.Time
}

// Mount seeds the shipped catalogues (forms and tips, idempotent) and registers
// the forms and tips routes. A seeding failure is logged, never fatal: the
// library then shows what the database holds.
func Mount(k *web.Kit, d Deps) {
	if d.Fonts == nil {
		d.Fonts = pdf.Shared("")
	}
	if d.Blobs == nil && d.DataDir != "" {
		d.Blobs = blob.Default(d.DataDir)
	}
	h := &Handlers{Kit: k, Store: &Store{DB: k.DB, Blobs: d.Blobs, Now: d.Now}, Tips: &tip.Store{DB: k.DB, Now: d.Now},
		Offices: d.Offices, Persons: d.Persons, Fonts: d.Fonts}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if n, u, err := h.Store.SeedCatalogue(ctx); err != nil {
		k.Log.Error("forms catalogue seed failed", "err", err)
	} else if n > 0 || u > 0 {
		k.Log.Info("forms catalogue seeded", "forms", n, "updated", u)
	}
	if n, err := h.Tips.SeedCatalogue(ctx); err != nil {
		k.Log.Error("tips catalogue seed failed", "err", err)
	} else if n > 0 {
		k.Log.Info("tips catalogue seeded", "items", n)
	}
	h.Routes()
	(&tip.Handlers{Kit: k, Store: h.Tips, Offices: d.Offices, Persons: d.Persons, Fonts: d.Fonts}).Routes()
}

// Handlers serves the forms library pages and API.
type Handlers struct {
	Kit     *web.Kit
	Store   *Store
	Tips    *tip.Store
	Offices *office.Store
	Persons *person.Store
	Fonts   *pdf.Fonts
}

// Routes registers the forms routes.
func (h *Handlers) Routes() {
	k := h.Kit
	k.Page("GET /forms", auth.FormRead, h.index)
	k.Page("GET /forms/stats", auth.FormRead, h.stats)
	k.Page("GET /forms/new", auth.FormManage, h.newForm)
	k.Page("POST /forms", auth.FormManage, h.create)
	k.Page("GET /forms/{code}", auth.FormRead, h.show)
	k.Page("GET /forms/{code}/preview", auth.FormRead, h.preview)
	k.Page("POST /forms/{code}/print", auth.FormRead, h.print)
	k.Page("GET /forms/{code}/versions/{no}/pdf", auth.FormRead, h.versionPDF)
	k.Page("GET /forms/{code}/edit", auth.FormManage, h.editForm)
	k.Page("POST /forms/{code}", auth.FormManage, h.update)
	k.Page("GET /forms/{code}/versions/new", auth.FormManage, h.newVersionForm)
	k.Page("POST /forms/{code}/versions", auth.FormManage, h.addVersion)
	k.Page("POST /forms/{code}/versions/preview", auth.FormManage, h.previewDraft)
	k.Page("POST /forms/{code}/retire", auth.FormManage, h.retire)
	k.Page("POST /forms/{code}/restore", auth.FormManage, h.restore)

	k.API("GET /api/v1/forms", auth.FormRead, h.apiList)
	k.API("GET /api/v1/forms/categories", auth.FormRead, h.apiCategories)
	k.API("GET /api/v1/forms/stats", auth.FormRead, h.apiStats)
	k.API("GET /api/v1/forms/{code}", auth.FormRead, h.apiShow)
	k.API("POST /api/v1/forms/{code}/print", auth.FormRead, h.apiPrint)
	k.API("GET /api/v1/forms/{code}/versions/{no}/pdf", auth.FormRead, h.versionPDF)
	k.API("POST /api/v1/forms", auth.FormManage, h.apiCreate)
	k.API("PUT /api/v1/forms/{code}", auth.FormManage, h.apiUpdate)
	k.API("POST /api/v1/forms/{code}/versions", auth.FormManage, h.apiAddVersion)
	k.API("POST /api/v1/forms/{code}/retire", auth.FormManage, h.apiRetire)
	k.API("GET /api/v1/search", auth.FormRead, h.apiSearch)
}

// officeScope is the office whose own forms the user sees (-1: all, for city-wide users).
func officeScope(u *auth.User) int64 {
	if u.Can(auth.CityWide) {
		return -1
	}
	return u.OfficeID
}

// load finds the form of the request path and checks the user may see it.
func (h *Handlers) load(r *http.Request) (*Form, error) {
	f, err := h.Store.ByCode(r.Context(), r.PathValue("code"))
	if errors.Is(err, db.ErrNotFound) {
		return nil, web.NotFound("查無表單「" + r.PathValue("code") + "」")
	}
	if err != nil {
		return nil, err
	}
	u := web.User(r)
	if f.OfficeID != 0 && !u.CanActOnOffice(f.OfficeID) {
		return nil, web.NotFound("查無表單「" + r.PathValue("code") + "」")
	}
	return f, nil
}

// userError turns a validation error into a 400 with its message.
func userError(err error) error {
	var ve *ValidationError
	if errors.As(err, &ve) {
		return web.BadRequest(ve.Msg)
	}
	return err
}

// IndexData is the library page.
type IndexData struct {
	Q          string
	Category   string
	Categories []Category
	Forms      []*Form
	Hits       []Hit
	Tips       []*tip.Item
	Searched   bool
}

func (h *Handlers) index(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := web.User(r)
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	data := IndexData{Q: q, Category: r.URL.Query().Get("cat")}
	var err error
	if data.Categories, err = h.Store.Categories(ctx, officeScope(u)); err != nil {
		return err
	}
	if q != "" {
		data.Searched = true
		if data.Hits, err = h.Store.Search(ctx, q, officeScope(u), 30); err != nil {
			return err
		}
		if data.Tips, err = h.Tips.Search(ctx, q, h.Tips.Today(), 8); err != nil {
			return err
		}
		// Enter in the search box opens the best match at once.
		if r.URL.Query().Get("open") == "1" && len(data.Hits) > 0 && r.Header.Get("HX-Request") == "" {
			http.Redirect(w, r, "/forms/"+data.Hits[0].Form.Code, http.StatusSeeOther)
			return nil
		}
	} else {
		if data.Category == "" && len(data.Categories) > 0 {
			data.Category = data.Categories[0].Code
		}
		if data.Forms, err = h.Store.List(ctx, Filter{Category: data.Category, OfficeID: officeScope(u), IncludeRetired: u.Can(auth.FormManage)}); err != nil {
			return err
		}
	}
	if r.Header.Get("HX-Request") == "true" {
		return h.Kit.RenderFragment(w, r, "form_index", "results", data)
	}
	return h.Kit.Render(w, r, "form_index", "各項表單", data)
}

// ShowData is the form page.
type ShowData struct {
	Form      *Form
	Current   *Version // in force on Day (nil: none yet)
	Shown     *Version // the version displayed (Current unless ?v= or ?date=)
	Versions  []*Version
	Day       civil.Date
	Today     civil.Date
	Spec      *Spec
	Paper     *Doc
	Roles     []Role
	Inputs    []Input
	CanManage bool
	Future    []*Version // versions not yet in force
	PrintErr  string
}

func (h *Handlers) show(w http.ResponseWriter, r *http.Request) error {
	f, err := h.load(r)
	if err != nil {
		return err
	}
	data, err := h.showData(r, f)
	if err != nil {
		return err
	}
	return h.Kit.Render(w, r, "form_show", f.Name, data)
}

func (h *Handlers) showData(r *http.Request, f *Form) (*ShowData, error) {
	ctx := r.Context()
	today := h.Store.Today()
	d := &ShowData{Form: f, Day: today, Today: today, CanManage: web.User(r).Can(auth.FormManage)}
	if s := strings.TrimSpace(r.URL.Query().Get("date")); s != "" {
		day, err := civil.Parse(s)
		if err != nil {
			return nil, web.BadRequest("查詢日期：" + err.Error())
		}
		d.Day = day
	}
	var err error
	if d.Versions, err = h.Store.Versions(ctx, f.ID); err != nil {
		return nil, err
	}
	for _, v := range d.Versions {
		if v.EffectiveFrom.After(today) {
			d.Future = append(d.Future, v)
		}
	}
	if d.Current, err = h.Store.InForce(ctx, f.ID, today); err != nil && !errors.Is(err, db.ErrNotFound) {
		return nil, err
	}
	d.Shown = d.Current
	if !d.Day.Equal(today) {
		if d.Shown, err = h.Store.InForce(ctx, f.ID, d.Day); err != nil && !errors.Is(err, db.ErrNotFound) {
			return nil, err
		}
	}
	if no := r.URL.Query().Get("v"); no != "" {
		var n int
		fmt.Sscan(no, &n)
		if d.Shown, err = h.Store.VersionByNo(ctx, f.ID, n); err != nil {
			return nil, web.NotFound(fmt.Sprintf("查無第 %s 版", no))
		}
	}
	if d.Shown != nil && f.Kind == KindTemplate {
		sp, err := d.Shown.Spec()
		if err != nil {
			return nil, fmt.Errorf("form %s version %d: stored spec invalid: %w", f.Code, d.Shown.No, err)
		}
		d.Spec, d.Paper = sp, Render(sp, nil)
		d.Roles, d.Inputs = sp.Roles, sp.Inputs
	}
	if d.Current != nil && f.Kind == KindTemplate && d.Current != d.Shown {
		if sp, err := d.Current.Spec(); err == nil {
			d.Roles, d.Inputs = sp.Roles, sp.Inputs
		}
	}
	return d, nil
}

// preview renders one version blank as an HTML fragment.
func (h *Handlers) preview(w http.ResponseWriter, r *http.Request) error {
	f, err := h.load(r)
	if err != nil {
		return err
	}
	d, err := h.showData(r, f)
	if err != nil {
		return err
	}
	if d.Paper == nil {
		return web.NotFound("此表單沒有可預覽的範本")
	}
	return h.Kit.RenderFragment(w, r, "form_show", "paper", d.Paper)
}

// PrintRequest is a print order: blank, or pre-filled from the register.
type PrintRequest struct {
	Mode   string            `json:"mode"`   // blank | filled
	People map[string]string `json:"people"` // role → national/resident ID
	Case   map[string]string `json:"case"`   // case inputs
}

func printRequestFromForm(r *http.Request) PrintRequest {
	r.ParseForm()
	pr := PrintRequest{Mode: r.PostFormValue("mode"), People: map[string]string{}, Case: map[string]string{}}
	for _, role := range []string{"a", "b"} {
		if v := strings.TrimSpace(r.PostFormValue("person_" + role)); v != "" {
			pr.People[role] = v
		}
	}
	for k, vs := range r.PostForm {
		if key, ok := strings.CutPrefix(k, "case_"); ok {
			pr.Case[key] = strings.Join(vs, ",")
		}
	}
	return pr
}

// printed is a rendered print ready to send.
type printed struct {
	body     []byte
	name     string
	mode     string
	version  *Version
	personID []string
}

// render prepares a print of the version of f in force today.
func (h *Handlers) render(r *http.Request, f *Form, pr PrintRequest) (*printed, error) {
	ctx := r.Context()
	if f.Retired() {
		return nil, web.Conflict("此表單已停用，不可列印")
	}
	v, err := h.Store.InForce(ctx, f.ID, h.Store.Today())
	if errors.Is(err, db.ErrNotFound) {
		return nil, web.Conflict("此表單尚無生效中的版本（待維護人員上傳或設定）")
	}
	if err != nil {
		return nil, err
	}
	u := web.User(r)
	if f.Kind == KindFile {
		b, err := h.Store.File(ctx, v)
		if err != nil {
			return nil, err
		}
		return &printed{body: b, name: v.FileName, mode: ModeFile, version: v}, nil
	}
	sp, err := v.Spec()
	if err != nil {
		return nil, fmt.Errorf("form %s version %d: stored spec invalid: %w", f.Code, v.No, err)
	}
	p := &printed{name: f.Code + ".pdf", mode: ModeBlank, version: v}
	var vals *Values
	if pr.Mode == ModeFilled {
		p.mode = ModeFilled
		vals = &Values{People: map[string]*person.Person{}, Case: map[string]string{}, Clerk: u.DisplayName, Today: h.Store.Today()}
		roles := map[string]string{}
		for _, ro := range sp.Roles {
			roles[ro.Key] = ro.Label
		}
		for role, id := range pr.People {
			label, ok := roles[role]
			if !ok {
				return nil, web.BadRequest(fmt.Sprintf("此表單沒有人員「%s」", role))
			}
			id = idno.Normalize(id)
			if _, err := idno.Validate(id); err != nil {
				return nil, web.BadRequest(label + "統一編號：" + err.Error())
			}
			pp, err := h.Persons.ByIDNo(ctx, id)
			if errors.Is(err, db.ErrNotFound) {
				return nil, web.BadRequest(label + "：查無統一編號 " + id + " 的民眾資料，請先建檔或列印空白表單")
			}
			if err != nil {
				return nil, err
			}
			vals.People[role] = pp
			p.personID = append(p.personID, pp.IDNo)
		}
		inputs := map[string]Input{}
		for _, in := range sp.Inputs {
			inputs[in.Key] = in
		}
		for k, val := range pr.Case {
			in, ok := inputs[k]
			val = strings.TrimSpace(val)
			if !ok || val == "" {
				continue
			}
			if len([]rune(val)) > 200 {
				return nil, web.BadRequest(in.Label + "過長（最多200字）")
			}
			if len(in.Options) > 0 {
				for _, x := range strings.Split(val, ",") {
					if !contains(in.Options, strings.TrimSpace(x)) {
						return nil, web.BadRequest(in.Label + "：「" + x + "」不是可選的項目")
					}
				}
			}
			vals.Case[k] = val
		}
		if o, err := h.Offices.ByID(ctx, u.OfficeID); err == nil {
			vals.Office = OfficeInfo{Name: o.Name, Address: o.Address, Phone: o.Phone}
		} else {
			return nil, err
		}
	}
	officeName := u.OfficeName
	p.body, err = WritePDF(h.Fonts, Render(sp, vals), PDFMeta{Edition: editionLabel(v), Office: officeName, Printed: h.Store.now()})
	if err != nil {
		return nil, err
	}
	return p, nil
}

func editionLabel(v *Version) string {
	return fmt.Sprintf("第%d版（%s生效）", v.No, v.EffectiveFrom.ROC())
}

// send counts the print, audits the personal data it holds and writes the PDF.
func (h *Handlers) send(w http.ResponseWriter, r *http.Request, f *Form, p *printed) error {
	u := web.User(r)
	if err := h.Store.CountPrint(r.Context(), h.Kit.DB, f.ID, u.OfficeID, p.mode); err != nil {
		return err
	}
	detail := fmt.Sprintf("%s 第%d版 %s", f.Name, p.version.No, p.mode)
	if len(p.personID) == 0 {
		h.Kit.Audit(r, "form.print", "form", f.Code, "", "ok", detail)
	}
	for _, id := range p.personID {
		h.Kit.Audit(r, "form.print", "form", f.Code, id, "ok", detail)
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", "inline; filename*=UTF-8''"+url.PathEscape(p.name))
	_, err := w.Write(p.body)
	return err
}

func (h *Handlers) print(w http.ResponseWriter, r *http.Request) error {
	f, err := h.load(r)
	if err != nil {
		return err
	}
	pr := printRequestFromForm(r)
	p, err := h.render(r, f, pr)
	if err != nil {
		var we *web.Error
		if errors.As(err, &we) && we.Status < 500 {
			// Back to the form page with the message and the values kept.
			d, derr := h.showData(r, f)
			if derr != nil {
				return derr
			}
			d.PrintErr = we.Msg
			w.WriteHeader(we.Status)
			return h.Kit.Render(w, r, "form_show", f.Name, d)
		}
		return err
	}
	return h.send(w, r, f, p)
}

// versionPDF shows any version (older ones stay readable): the blank template
// or the uploaded file. Reading is not printing: it is not counted.
func (h *Handlers) versionPDF(w http.ResponseWriter, r *http.Request) error {
	f, err := h.load(r)
	if err != nil {
		return err
	}
	var no int
	if _, err := fmt.Sscan(r.PathValue("no"), &no); err != nil {
		return web.BadRequest("版次格式錯誤")
	}
	v, err := h.Store.VersionByNo(r.Context(), f.ID, no)
	if errors.Is(err, db.ErrNotFound) {
		return web.NotFound(fmt.Sprintf("查無第 %d 版", no))
	}
	if err != nil {
		return err
	}
	var body []byte
	if v.HasFile() {
		if body, err = h.Store.File(r.Context(), v); err != nil {
			return err
		}
	} else {
		sp, err := v.Spec()
		if err != nil {
			return err
		}
		if sp == nil {
			return web.NotFound("此版本沒有內容")
		}
		edition := editionLabel(v)
		if cur, err := h.Store.InForce(r.Context(), f.ID, h.Store.Today()); err != nil || cur.ID != v.ID {
			edition += "　非現行版本，僅供參考"
		}
		if body, err = WritePDF(h.Fonts, Render(sp, nil), PDFMeta{Edition: edition, Office: web.User(r).OfficeName, Printed: h.Store.now()}); err != nil {
			return err
		}
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf("inline; filename=%s-v%d.pdf", f.Code, v.No))
	_, err = w.Write(body)
	return err
}

// StatsData is the print statistics page.
type StatsData struct {
	From, To  civil.Date
	OfficeID  int64
	Offices   []*office.Office
	CityWide  bool
	Forms     []StatRow
	Tips      []tip.StatRow
	FormTotal int64
	TipTotal  int64
}

func (h *Handlers) statsData(r *http.Request) (*StatsData, error) {
	u := web.User(r)
	today := h.Store.Today()
	d := &StatsData{From: today.AddDate(0, 0, -29), To: today, OfficeID: u.OfficeID, CityWide: u.Can(auth.CityWide)}
	q := r.URL.Query()
	for _, p := range []struct {
		key string
		dst *civil.Date
	}{{"from", &d.From}, {"to", &d.To}} {
		if s := strings.TrimSpace(q.Get(p.key)); s != "" {
			t, err := civil.Parse(s)
			if err != nil {
				return nil, web.BadRequest("統計期間：" + err.Error())
			}
			*p.dst = t
		}
	}
	if d.To.Before(d.From) {
		return nil, web.BadRequest("統計期間的結束日不可早於開始日")
	}
	if d.CityWide {
		d.OfficeID = 0
		if s := q.Get("office"); s != "" {
			fmt.Sscan(s, &d.OfficeID)
		}
	}
	var err error
	if d.Forms, err = h.Store.Stats(r.Context(), d.From, d.To, d.OfficeID); err != nil {
		return nil, err
	}
	if d.Tips, err = h.Tips.Stats(r.Context(), d.From, d.To, d.OfficeID); err != nil {
		return nil, err
	}
	for _, s := range d.Forms {
		d.FormTotal += s.Total()
	}
	for _, s := range d.Tips {
		d.TipTotal += s.N
	}
	if d.CityWide {
		if d.Offices, err = h.Offices.All(r.Context()); err != nil {
			return nil, err
		}
	}
	return d, nil
}

func (h *Handlers) stats(w http.ResponseWriter, r *http.Request) error {
	d, err := h.statsData(r)
	if err != nil {
		return err
	}
	return h.Kit.Render(w, r, "form_stats", "表單與便民資訊列印統計", d)
}

// EditData is the create/edit form page.
type EditData struct {
	Form       *Form
	New        bool
	Categories []Category
	Error      string
	Effective  string
	Note       string
	Spec       string
}

func (h *Handlers) newForm(w http.ResponseWriter, r *http.Request) error {
	cats, err := h.Store.Categories(r.Context(), -1)
	if err != nil {
		return err
	}
	starter := &Spec{Title: "（表單名稱）", Roles: []Role{{Key: "a", Label: "申請人"}},
		Blocks: []Block{{Kind: BlockPerson, Role: "a"}, {Kind: BlockSign, Items: []string{"申請人簽名或蓋章"}, Date: true}, {Kind: BlockOffice}}}
	return h.Kit.Render(w, r, "form_edit", "新增表單", &EditData{Form: &Form{Kind: KindTemplate, CategoryCode: r.URL.Query().Get("cat")}, New: true,
		Categories: cats, Effective: h.Store.Today().ROCShort(), Spec: starter.JSON()})
}

func formFromRequest(r *http.Request, f *Form) {
	f.Name, f.CategoryCode = r.PostFormValue("name"), r.PostFormValue("category")
	f.Keywords, f.Description, f.Maintainer = r.PostFormValue("keywords"), r.PostFormValue("description"), r.PostFormValue("maintainer")
	fmt.Sscan(r.PostFormValue("sort_order"), &f.SortOrder)
}

// versionFromRequest reads a new version from a (multipart) form.
func versionFromRequest(r *http.Request) (NewVersion, error) {
	var nv NewVersion
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		r.Body = http.MaxBytesReader(nil, r.Body, MaxFileSize+1<<20)
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			return nv, invalid("上傳失敗：檔案過大（上限 %d MB）或格式錯誤", MaxFileSize>>20)
		}
		if file, hdr, err := r.FormFile("file"); err == nil {
			defer file.Close()
			buf := make([]byte, hdr.Size)
			if _, err := io.ReadFull(file, buf); err != nil {
				return nv, invalid("讀取上傳檔案失敗")
			}
			nv.File, nv.FileName = buf, hdr.Filename
		}
	}
	nv.Note, nv.Spec = r.FormValue("note"), r.FormValue("spec")
	s := strings.TrimSpace(r.FormValue("effective_from"))
	if s == "" {
		return nv, invalid("請輸入生效日期")
	}
	day, err := civil.Parse(s)
	if err != nil {
		return nv, invalid("生效日期：%s", err.Error())
	}
	nv.EffectiveFrom = day
	return nv, nil
}

func (h *Handlers) create(w http.ResponseWriter, r *http.Request) error {
	u := web.User(r)
	f := &Form{}
	nv, err := versionFromRequest(r)
	formFromRequest(r, f)
	f.Code, f.Kind = strings.ToLower(strings.TrimSpace(r.FormValue("code"))), r.FormValue("kind")
	if r.FormValue("scope") == "office" {
		f.OfficeID = u.OfficeID
	}
	if err == nil {
		_, err = h.Store.Create(r.Context(), web.Actor(r), f, nv)
	}
	if err != nil {
		var ve *ValidationError
		if !errors.As(err, &ve) {
			return err
		}
		cats, cerr := h.Store.Categories(r.Context(), -1)
		if cerr != nil {
			return cerr
		}
		w.WriteHeader(http.StatusUnprocessableEntity)
		return h.Kit.Render(w, r, "form_edit", "新增表單", &EditData{Form: f, New: true, Categories: cats, Error: ve.Msg,
			Effective: r.FormValue("effective_from"), Note: nv.Note, Spec: nv.Spec})
	}
	return web.Redirect(w, r, "/forms/"+f.Code, "已新增表單，各戶所立即可用")
}

func (h *Handlers) editForm(w http.ResponseWriter, r *http.Request) error {
	f, err := h.load(r)
	if err != nil {
		return err
	}
	cats, err := h.Store.Categories(r.Context(), -1)
	if err != nil {
		return err
	}
	return h.Kit.Render(w, r, "form_edit", "修改表單資料", &EditData{Form: f, Categories: cats})
}

func (h *Handlers) update(w http.ResponseWriter, r *http.Request) error {
	f, err := h.load(r)
	if err != nil {
		return err
	}
	if f.OfficeID != 0 && !web.User(r).CanActOnOffice(f.OfficeID) {
		return web.Forbidden("只能修改本所自製的表單")
	}
	formFromRequest(r, f)
	if err := h.Store.Update(r.Context(), web.Actor(r), f); err != nil {
		var ve *ValidationError
		if !errors.As(err, &ve) {
			return err
		}
		cats, _ := h.Store.Categories(r.Context(), -1)
		w.WriteHeader(http.StatusUnprocessableEntity)
		return h.Kit.Render(w, r, "form_edit", "修改表單資料", &EditData{Form: f, Categories: cats, Error: ve.Msg})
	}
	return web.Redirect(w, r, "/forms/"+f.Code, "已更新表單資料")
}

// VersionData is the new-version page.
type VersionData struct {
	Form      *Form
	Current   *Version
	Effective string
	Note      string
	Spec      string
	Error     string
	Bindings  []struct{ Key, Label string }
	MaxMB     int
}

func (h *Handlers) newVersionForm(w http.ResponseWriter, r *http.Request) error {
	f, err := h.load(r)
	if err != nil {
		return err
	}
	d := &VersionData{Form: f, Effective: h.Store.Today().ROCShort(), Bindings: Bindings(), MaxMB: MaxFileSize >> 20}
	if d.Current, err = h.Store.InForce(r.Context(), f.ID, h.Store.Today()); err != nil && !errors.Is(err, db.ErrNotFound) {
		return err
	}
	if d.Current != nil && f.Kind == KindTemplate {
		d.Spec = d.Current.SpecJSON
	}
	return h.Kit.Render(w, r, "form_version", "新增版本："+f.Name, d)
}

func (h *Handlers) addVersion(w http.ResponseWriter, r *http.Request) error {
	f, err := h.load(r)
	if err != nil {
		return err
	}
	if f.OfficeID != 0 && !web.User(r).CanActOnOffice(f.OfficeID) {
		return web.Forbidden("只能維護本所自製的表單")
	}
	nv, err := versionFromRequest(r)
	var v *Version
	if err == nil {
		v, err = h.Store.AddVersion(r.Context(), web.Actor(r), f, nv)
	}
	if err != nil {
		var ve *ValidationError
		if !errors.As(err, &ve) {
			return err
		}
		w.WriteHeader(http.StatusUnprocessableEntity)
		return h.Kit.Render(w, r, "form_version", "新增版本："+f.Name, &VersionData{Form: f, Effective: r.FormValue("effective_from"),
			Note: nv.Note, Spec: nv.Spec, Error: ve.Msg, Bindings: Bindings(), MaxMB: MaxFileSize >> 20})
	}
	msg := fmt.Sprintf("已新增第 %d 版，%s起各戶所列印新版", v.No, v.EffectiveFrom.ROC())
	return web.Redirect(w, r, "/forms/"+f.Code, msg)
}

// previewDraft renders a draft spec (not saved) as a fragment, or its error.
func (h *Handlers) previewDraft(w http.ResponseWriter, r *http.Request) error {
	if _, err := h.load(r); err != nil {
		return err
	}
	sp, err := ParseSpec([]byte(r.FormValue("spec")))
	if err != nil {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, werr := fmt.Fprintf(w, `<div class="alert alert-error" role="alert">%s</div>`, template.HTMLEscapeString(err.Error()))
		return werr
	}
	return h.Kit.RenderFragment(w, r, "form_show", "paper", Render(sp, nil))
}

func (h *Handlers) retire(w http.ResponseWriter, r *http.Request) error {
	return h.setRetired(w, r, true)
}

func (h *Handlers) restore(w http.ResponseWriter, r *http.Request) error {
	return h.setRetired(w, r, false)
}

func (h *Handlers) setRetired(w http.ResponseWriter, r *http.Request, retired bool) error {
	f, err := h.load(r)
	if err != nil {
		return err
	}
	if f.OfficeID != 0 && !web.User(r).CanActOnOffice(f.OfficeID) {
		return web.Forbidden("只能維護本所自製的表單")
	}
	if err := h.Store.SetRetired(r.Context(), web.Actor(r), f, retired); err != nil {
		return err
	}
	if retired {
		return web.Redirect(w, r, "/forms/"+f.Code, "表單已停用，各戶所不再列印")
	}
	return web.Redirect(w, r, "/forms/"+f.Code, "表單已恢復使用")
}
