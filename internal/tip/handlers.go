package tip

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"ebazhao/internal/office"
	"ebazhao/internal/person"
	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/idno"
	"ebazhao/internal/platform/pdf"
	"ebazhao/internal/platform/web"
)

// Handlers serves the public tips site, the counter's tip sheet and maintenance.
type Handlers struct {
	Kit     *web.Kit
	Store   *Store
	Offices *office.Store
	Persons *person.Store
	Fonts   *pdf.Fonts
}

// Routes registers the tips routes. The public pages (/tips, /tips/{category},
// /tips/{category}/{item}) need no login and show no staff or personal data.
func (h *Handlers) Routes() {
	k := h.Kit
	k.Public("GET /tips", h.publicIndex)
	k.Public("GET /tips/{category}", h.publicCategory)
	k.Public("GET /tips/{category}/{item}", h.publicItem)

	k.Page("GET /tips/counter", auth.TipRead, h.counter)
	k.Page("POST /tips/counter/sheet", auth.TipRead, h.sheet)
	k.Page("GET /tips/manage", auth.TipManage, h.manage)
	k.Page("GET /tips/manage/new", auth.TipManage, h.newItem)
	k.Page("POST /tips/manage", auth.TipManage, h.create)
	k.Page("GET /tips/manage/{item}", auth.TipManage, h.edit)
	k.Page("POST /tips/manage/{item}", auth.TipManage, h.addVersion)
	k.Page("POST /tips/manage/{item}/retire", auth.TipManage, h.retire)
	k.Page("POST /tips/manage/{item}/restore", auth.TipManage, h.restore)

	k.API("GET /api/v1/tips", auth.TipRead, h.apiList)
	k.API("GET /api/v1/tips/categories", auth.TipRead, h.apiCategories)
	k.API("GET /api/v1/tips/for-registration/{kind}", auth.TipRead, h.apiForRegistration)
	k.API("POST /api/v1/tips/sheet", auth.TipRead, h.apiSheet)
	k.API("GET /api/v1/tips/items/{item}", auth.TipRead, h.apiItem)
	k.API("POST /api/v1/tips/items", auth.TipManage, h.apiCreate)
	k.API("POST /api/v1/tips/items/{item}/versions", auth.TipManage, h.apiAddVersion)
}

func userError(err error) error {
	var ve *ValidationError
	if errors.As(err, &ve) {
		return web.BadRequest(ve.Msg)
	}
	return err
}

// PublicData is what the public pages receive: content only.
type PublicData struct {
	Q          string
	Categories []*Category
	Category   *Category
	Items      []*Item
	Item       *Item
	Results    []*Item
	Day        civil.Date
}

func (h *Handlers) publicIndex(w http.ResponseWriter, r *http.Request) error {
	day := h.Store.Today()
	d := &PublicData{Q: strings.TrimSpace(r.URL.Query().Get("q")), Day: day}
	var err error
	if d.Categories, err = h.Store.Categories(r.Context(), day); err != nil {
		return err
	}
	if d.Q != "" {
		if d.Results, err = h.Store.Search(r.Context(), d.Q, day, 40); err != nil {
			return err
		}
	}
	return h.Kit.Render(w, r, "tip_public", "戶政貼心小叮嚀", d)
}

func (h *Handlers) publicCategory(w http.ResponseWriter, r *http.Request) error {
	day := h.Store.Today()
	c, err := h.Store.CategoryByCode(r.Context(), r.PathValue("category"))
	if errors.Is(err, db.ErrNotFound) {
		return web.NotFound("查無此類別")
	}
	if err != nil {
		return err
	}
	d := &PublicData{Category: c, Day: day}
	if d.Items, err = h.Store.Items(r.Context(), c.Code, day); err != nil {
		return err
	}
	if d.Categories, err = h.Store.Categories(r.Context(), day); err != nil {
		return err
	}
	return h.Kit.Render(w, r, "tip_category", c.Name+"－戶政貼心小叮嚀", d)
}

func (h *Handlers) publicItem(w http.ResponseWriter, r *http.Request) error {
	day := h.Store.Today()
	it, err := h.Store.ItemByCode(r.Context(), r.PathValue("item"), day)
	if errors.Is(err, db.ErrNotFound) || (err == nil && (it.Retired() || it.CategoryCode != r.PathValue("category"))) {
		return web.NotFound("查無此項資訊")
	}
	if err != nil {
		return err
	}
	c, err := h.Store.CategoryByCode(r.Context(), it.CategoryCode)
	if err != nil {
		return err
	}
	return h.Kit.Render(w, r, "tip_item", it.Title+"－戶政貼心小叮嚀", &PublicData{Item: it, Category: c, Day: day})
}

// CounterData is the clerk's tip sheet page.
type CounterData struct {
	Categories []*Category
	Category   *Category
	Items      []*Item
	IDNo       string
	Registered string
	Day        string
	Error      string
}

func (h *Handlers) counter(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	d := &CounterData{IDNo: strings.TrimSpace(q.Get("idno")), Day: h.Store.Today().ROCShort()}
	var err error
	if d.Categories, err = h.Store.Categories(ctx, h.Store.Today()); err != nil {
		return err
	}
	kind := q.Get("kind")
	if kind == "" && len(d.Categories) > 0 {
		kind = d.Categories[0].Code
	}
	if d.Category, err = h.Store.CategoryForRegistration(ctx, kind); errors.Is(err, db.ErrNotFound) {
		return web.NotFound("查無登記類別「" + kind + "」的便民資訊")
	} else if err != nil {
		return err
	}
	if d.Items, err = h.Store.Items(ctx, d.Category.Code, h.Store.Today()); err != nil {
		return err
	}
	return h.Kit.Render(w, r, "tip_counter", "貼心小叮嚀列印", d)
}

// SheetRequest orders a tip sheet.
type SheetRequest struct {
	Kind       string   `json:"kind"`                 // registration kind or category code
	IDNo       string   `json:"id_no,omitempty"`      // the citizen (name printed on the sheet)
	Items      []string `json:"items,omitempty"`      // item codes; empty = every item of the category
	Day        string   `json:"day,omitempty"`        // registration day (default today)
	Registered string   `json:"registered,omitempty"` // e.g. 出生登記
}

func (h *Handlers) buildSheet(r *http.Request, sr SheetRequest) (*Sheet, *person.Person, error) {
	ctx := r.Context()
	c, err := h.Store.CategoryForRegistration(ctx, sr.Kind)
	if errors.Is(err, db.ErrNotFound) {
		return nil, nil, web.BadRequest("請選擇登記類別")
	}
	if err != nil {
		return nil, nil, err
	}
	s := &Sheet{Category: c, Day: h.Store.Today(), Printed: h.Store.now(), Registered: strings.TrimSpace(sr.Registered)}
	if len([]rune(s.Registered)) > 30 {
		return nil, nil, web.BadRequest("登記項目名稱過長")
	}
	if sr.Day != "" {
		if s.Day, err = civil.Parse(sr.Day); err != nil {
			return nil, nil, web.BadRequest("登記日期：" + err.Error())
		}
	}
	all, err := h.Store.Items(ctx, c.Code, h.Store.Today())
	if err != nil {
		return nil, nil, err
	}
	if len(sr.Items) == 0 {
		s.Items = all
	} else {
		want := map[string]bool{}
		for _, code := range sr.Items {
			want[code] = true
		}
		for _, it := range all {
			if want[it.Code] {
				s.Items = append(s.Items, it)
			}
		}
	}
	if len(s.Items) == 0 {
		return nil, nil, web.BadRequest("請至少勾選一項便民資訊")
	}
	var p *person.Person
	if id := idno.Normalize(sr.IDNo); id != "" {
		if _, err := idno.Validate(id); err != nil {
			return nil, nil, web.BadRequest("統一編號：" + err.Error())
		}
		if p, err = h.Persons.ByIDNo(ctx, id); errors.Is(err, db.ErrNotFound) {
			return nil, nil, web.BadRequest("查無統一編號 " + id + " 的民眾資料；可不填統一編號直接列印")
		} else if err != nil {
			return nil, nil, err
		}
		s.Name = p.Name
	}
	u := web.User(r)
	if o, err := h.Offices.ByID(ctx, u.OfficeID); err == nil {
		s.Office, s.OfficeTel = o.Name, o.Phone
	} else {
		return nil, nil, err
	}
	scheme := "https"
	if r.TLS == nil && !strings.Contains(r.Host, ".") {
		scheme = "http"
	}
	s.PublicURL = scheme + "://" + r.Host + "/tips/" + c.Code
	return s, p, nil
}

func (h *Handlers) sendSheet(w http.ResponseWriter, r *http.Request, s *Sheet, p *person.Person) error {
	b, err := s.WritePDF(h.Fonts)
	if err != nil {
		return err
	}
	u := web.User(r)
	if err := h.Store.CountPrint(r.Context(), s.Category.ID, 0, u.OfficeID); err != nil {
		return err
	}
	idNo := ""
	if p != nil {
		idNo = p.IDNo
	}
	h.Kit.Audit(r, "tip.sheet.print", "tip_category", s.Category.Code, idNo, "ok", fmt.Sprintf("%s %d 項", s.Category.Name, len(s.Items)))
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", "inline; filename=tips-"+s.Category.Code+".pdf")
	_, err = w.Write(b)
	return err
}

func (h *Handlers) sheet(w http.ResponseWriter, r *http.Request) error {
	r.ParseForm()
	sr := SheetRequest{Kind: r.PostFormValue("kind"), IDNo: r.PostFormValue("idno"), Items: r.PostForm["item"],
		Day: r.PostFormValue("day"), Registered: r.PostFormValue("registered")}
	s, p, err := h.buildSheet(r, sr)
	if err != nil {
		var we *web.Error
		if errors.As(err, &we) && we.Status < 500 {
			d := &CounterData{IDNo: sr.IDNo, Day: sr.Day, Registered: sr.Registered, Error: we.Msg}
			d.Categories, _ = h.Store.Categories(r.Context(), h.Store.Today())
			if d.Category, err = h.Store.CategoryForRegistration(r.Context(), sr.Kind); err == nil {
				d.Items, _ = h.Store.Items(r.Context(), d.Category.Code, h.Store.Today())
			} else if len(d.Categories) > 0 {
				d.Category = d.Categories[0]
			}
			w.WriteHeader(we.Status)
			return h.Kit.Render(w, r, "tip_counter", "貼心小叮嚀列印", d)
		}
		return err
	}
	return h.sendSheet(w, r, s, p)
}

// ManageData is the maintenance list.
type ManageData struct {
	Items      []*Item
	Categories []*Category
	Missing    int
}

func (h *Handlers) manage(w http.ResponseWriter, r *http.Request) error {
	d := &ManageData{}
	var err error
	if d.Items, err = h.Store.AllItems(r.Context(), h.Store.Today()); err != nil {
		return err
	}
	if d.Categories, err = h.Store.Categories(r.Context(), h.Store.Today()); err != nil {
		return err
	}
	for _, it := range d.Items {
		if len(it.Missing()) > 0 && !it.Retired() {
			d.Missing++
		}
	}
	return h.Kit.Render(w, r, "tip_manage", "便民資訊維護", d)
}

// EditData is the item form (new item or new version).
type EditData struct {
	Item       *Item
	New        bool
	Code       string
	Category   string
	Categories []*Category
	V          Version
	Effective  string
	Checked    string
	Versions   []Version
	Error      string
	Today      civil.Date
}

func (h *Handlers) newItem(w http.ResponseWriter, r *http.Request) error {
	cats, err := h.Store.Categories(r.Context(), h.Store.Today())
	if err != nil {
		return err
	}
	return h.Kit.Render(w, r, "tip_edit", "新增便民資訊", &EditData{New: true, Categories: cats, Category: r.URL.Query().Get("category"),
		Effective: h.Store.Today().ROCShort(), Checked: h.Store.Today().ROCShort(), Today: h.Store.Today()})
}

func versionFromForm(r *http.Request) (Version, string, string, error) {
	v := Version{Title: r.PostFormValue("title"), Agency: r.PostFormValue("agency"), Action: r.PostFormValue("action"),
		Documents: r.PostFormValue("documents"), Deadline: r.PostFormValue("deadline"), Address: r.PostFormValue("address"),
		Phone: r.PostFormValue("phone"), URL: r.PostFormValue("url"), Notes: r.PostFormValue("notes")}
	eff, checked := strings.TrimSpace(r.PostFormValue("effective_from")), strings.TrimSpace(r.PostFormValue("last_checked"))
	if eff == "" {
		return v, eff, checked, invalid("請輸入生效日期")
	}
	var err error
	if v.EffectiveFrom, err = civil.Parse(eff); err != nil {
		return v, eff, checked, invalid("生效日期：%s", err.Error())
	}
	if checked != "" {
		if v.LastChecked, err = civil.Parse(checked); err != nil {
			return v, eff, checked, invalid("查核日期：%s", err.Error())
		}
	}
	return v, eff, checked, nil
}

func (h *Handlers) create(w http.ResponseWriter, r *http.Request) error {
	v, eff, checked, err := versionFromForm(r)
	code, cat := strings.ToLower(strings.TrimSpace(r.PostFormValue("code"))), r.PostFormValue("category")
	var sort int
	fmt.Sscan(r.PostFormValue("sort_order"), &sort)
	var it *Item
	if err == nil {
		it, err = h.Store.Create(r.Context(), web.Actor(r), cat, code, sort, v)
	}
	if err != nil {
		var ve *ValidationError
		if !errors.As(err, &ve) {
			return err
		}
		cats, _ := h.Store.Categories(r.Context(), h.Store.Today())
		w.WriteHeader(http.StatusUnprocessableEntity)
		return h.Kit.Render(w, r, "tip_edit", "新增便民資訊", &EditData{New: true, Categories: cats, Code: code, Category: cat, V: v,
			Effective: eff, Checked: checked, Error: ve.Msg, Today: h.Store.Today()})
	}
	return web.Redirect(w, r, "/tips/manage/"+it.Code, "已新增便民資訊，公開網頁同步更新")
}

// loadAny finds an item for maintenance: the version in force, or the latest
// one when it is not in force yet.
func (h *Handlers) loadAny(r *http.Request) (*Item, error) {
	code := r.PathValue("item")
	it, err := h.Store.ItemByCode(r.Context(), code, h.Store.Today())
	if errors.Is(err, db.ErrNotFound) {
		it, err = h.Store.ItemByCode(r.Context(), code, civil.New(9999, 12, 31))
	}
	if errors.Is(err, db.ErrNotFound) {
		return nil, web.NotFound("查無便民資訊「" + code + "」")
	}
	return it, err
}

func (h *Handlers) edit(w http.ResponseWriter, r *http.Request) error {
	it, err := h.loadAny(r)
	if err != nil {
		return err
	}
	vs, err := h.Store.Versions(r.Context(), it.ID)
	if err != nil {
		return err
	}
	return h.Kit.Render(w, r, "tip_edit", "維護："+it.Title, &EditData{Item: it, V: it.Version, Versions: vs,
		Effective: h.Store.Today().ROCShort(), Checked: h.Store.Today().ROCShort(), Today: h.Store.Today()})
}

func (h *Handlers) addVersion(w http.ResponseWriter, r *http.Request) error {
	it, err := h.loadAny(r)
	if err != nil {
		return err
	}
	v, eff, checked, err := versionFromForm(r)
	if err == nil {
		err = h.Store.AddVersion(r.Context(), web.Actor(r), it, v)
	}
	if err != nil {
		var ve *ValidationError
		if !errors.As(err, &ve) {
			return err
		}
		vs, _ := h.Store.Versions(r.Context(), it.ID)
		w.WriteHeader(http.StatusUnprocessableEntity)
		return h.Kit.Render(w, r, "tip_edit", "維護："+it.Title, &EditData{Item: it, V: v, Versions: vs, Effective: eff, Checked: checked,
			Error: ve.Msg, Today: h.Store.Today()})
	}
	return web.Redirect(w, r, "/tips/manage/"+it.Code, fmt.Sprintf("已儲存新版本，%s起生效", v.EffectiveFrom.ROC()))
}

func (h *Handlers) retire(w http.ResponseWriter, r *http.Request) error {
	return h.setRetired(w, r, true)
}
func (h *Handlers) restore(w http.ResponseWriter, r *http.Request) error {
	return h.setRetired(w, r, false)
}

func (h *Handlers) setRetired(w http.ResponseWriter, r *http.Request, retired bool) error {
	it, err := h.loadAny(r)
	if err != nil {
		return err
	}
	if err := h.Store.SetRetired(r.Context(), web.Actor(r), it, retired); err != nil {
		return err
	}
	msg := "已停用，公開網頁不再顯示"
	if !retired {
		msg = "已恢復顯示"
	}
	return web.Redirect(w, r, "/tips/manage/"+it.Code, msg)
}
