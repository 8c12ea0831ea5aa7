package person

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/rocdate"
	"ebazhao/internal/platform/web"
)

// Handlers serves the person pages and API.
type Handlers struct {
	Kit   *web.Kit
	Store *Store
}

// Routes registers the person routes.
func (h *Handlers) Routes() {
	k := h.Kit
	k.Page("GET /persons", auth.PersonRead, h.search)
	k.Page("GET /persons/new", auth.PersonWrite, h.newForm)
	k.Page("POST /persons", auth.PersonWrite, h.create)
	k.Page("GET /persons/{idno}", auth.PersonRead, h.show)
	k.Page("GET /persons/{idno}/edit", auth.PersonWrite, h.editForm)
	k.Page("POST /persons/{idno}", auth.PersonWrite, h.update)
	k.API("GET /api/v1/persons", auth.PersonRead, h.apiSearch)
	k.API("GET /api/v1/persons/{idno}", auth.PersonRead, h.apiShow)
	k.API("POST /api/v1/persons", auth.PersonWrite, h.apiCreate)
	k.API("PUT /api/v1/persons/{idno}", auth.PersonWrite, h.apiUpdate)
}

func (h *Handlers) search(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query().Get("q")
	people, err := h.Store.Search(r.Context(), q, 50)
	if err != nil {
		return err
	}
	if q != "" {
		h.Kit.Audit(r, "person.search", "person", "", "", "ok", "q="+q)
		if err := h.Kit.AuditListed(r, "person.search", idNos(people), "q="+q); err != nil {
			return err
		}
	}
	// A full ID that matches exactly one person opens the person page at once.
	if len(people) == 1 && strings.EqualFold(people[0].IDNo, strings.TrimSpace(q)) && r.Header.Get("HX-Request") == "" {
		http.Redirect(w, r, "/persons/"+people[0].IDNo, http.StatusSeeOther)
		return nil
	}
	data := map[string]any{"Q": q, "People": people}
	if r.Header.Get("HX-Request") == "true" {
		return h.Kit.RenderFragment(w, r, "person_search", "results", data)
	}
	return h.Kit.Render(w, r, "person_search", "民眾資料查詢", data)
}

func (h *Handlers) show(w http.ResponseWriter, r *http.Request) error {
	p, err := h.Store.ByIDNo(r.Context(), r.PathValue("idno"))
	if errors.Is(err, db.ErrNotFound) {
		return web.NotFound("查無統一編號「" + r.PathValue("idno") + "」的民眾資料")
	}
	if err != nil {
		return err
	}
	h.Kit.Audit(r, "person.view", "person", p.IDNo, p.IDNo, "ok", "")
	u := web.User(r)
	return h.Kit.Render(w, r, "person_show", p.Name+" 民眾資料", map[string]any{
		"Person": p, "AddressKinds": AddressKinds, "CanEdit": u.Can(auth.PersonWrite) && u.CanActOnOffice(p.OfficeID)})
}

func (h *Handlers) newForm(w http.ResponseWriter, r *http.Request) error {
	p := &Person{IDNo: r.URL.Query().Get("id_no")}
	return h.Kit.Render(w, r, "person_form", "新增民眾資料", map[string]any{"Person": p, "New": true})
}

// formPerson reads the person form; birth dates are typed as ROC dates.
func formPerson(r *http.Request, p *Person) error {
	if err := r.ParseForm(); err != nil {
		return web.BadRequest("表單格式錯誤")
	}
	f := r.PostForm
	if v := f.Get("id_no"); p.ID == 0 {
		p.IDNo = v
	}
	p.Name, p.Sex = f.Get("name"), f.Get("sex")
	p.AddrHousehold, p.AddrBusiness, p.AddrService, p.AddrCurrent = f.Get("addr_household"), f.Get("addr_business"), f.Get("addr_service"), f.Get("addr_current")
	p.Phone, p.Email = f.Get("phone"), f.Get("email")
	p.BirthDate = time.Time{}
	if b := strings.TrimSpace(f.Get("birth_date")); b != "" {
		d, err := rocdate.Parse(b)
		if err != nil {
			return web.Invalid(errors.New("出生日期：" + err.Error()))
		}
		p.BirthDate = d
	}
	return nil
}

func (h *Handlers) create(w http.ResponseWriter, r *http.Request) error {
	p := &Person{}
	err := formPerson(r, p)
	if err == nil {
		err = h.Store.Create(r.Context(), web.Actor(r), p)
	}
	if err != nil {
		if errors.Is(err, ErrDuplicate) {
			return web.Redirect(w, r, "/persons/"+p.IDNo, "此統一編號已建檔，已開啟該民眾資料")
		}
		return h.formError(w, r, p, true, err)
	}
	return web.Redirect(w, r, "/persons/"+p.IDNo, "已新增民眾資料")
}

func (h *Handlers) formError(w http.ResponseWriter, r *http.Request, p *Person, isNew bool, err error) error {
	var we *web.Error
	if errors.As(err, &we) && we.Status != http.StatusBadRequest {
		return err
	}
	msg := err.Error()
	if we != nil {
		msg = we.Msg
	}
	if !isUserError(err) && we == nil {
		return err
	}
	w.WriteHeader(http.StatusUnprocessableEntity)
	title := "修改民眾資料"
	if isNew {
		title = "新增民眾資料"
	}
	return h.Kit.Render(w, r, "person_form", title, map[string]any{"Person": p, "New": isNew, "Error": msg})
}

// isUserError reports whether err is a message meant for the user.
func isUserError(err error) bool {
	var we *web.Error
	var ve *ValidationError
	return errors.As(err, &ve) || errors.Is(err, ErrDuplicate) || (errors.As(err, &we) && we.Status < 500)
}

func (h *Handlers) load(r *http.Request, forWrite bool) (*Person, error) {
	p, err := h.Store.ByIDNo(r.Context(), r.PathValue("idno"))
	if errors.Is(err, db.ErrNotFound) {
		return nil, web.NotFound("查無統一編號「" + r.PathValue("idno") + "」的民眾資料")
	}
	if err != nil {
		return nil, err
	}
	if forWrite && !web.User(r).CanActOnOffice(p.OfficeID) {
		h.Kit.Audit(r, "person.update", "person", p.IDNo, p.IDNo, "denied", "other office")
		return nil, web.Forbidden("此民眾資料由" + p.OfficeName + "建檔，您僅能查閱，不能修改")
	}
	return p, nil
}

func (h *Handlers) editForm(w http.ResponseWriter, r *http.Request) error {
	p, err := h.load(r, true)
	if err != nil {
		return err
	}
	return h.Kit.Render(w, r, "person_form", "修改民眾資料", map[string]any{"Person": p})
}

func (h *Handlers) update(w http.ResponseWriter, r *http.Request) error {
	p, err := h.load(r, true)
	if err != nil {
		return err
	}
	if err := formPerson(r, p); err != nil {
		return h.formError(w, r, p, false, err)
	}
	if err := h.Store.Update(r.Context(), web.Actor(r), p); err != nil {
		return h.formError(w, r, p, false, err)
	}
	return web.Redirect(w, r, "/persons/"+p.IDNo, "已儲存")
}

// JSON is the API shape of a person (stable field names).
type JSON struct {
	IDNo          string `json:"id_no"`
	Name          string `json:"name"`
	Sex           string `json:"sex,omitempty"`
	BirthDate     string `json:"birth_date,omitempty"`
	AddrHousehold string `json:"addr_household,omitempty"`
	AddrBusiness  string `json:"addr_business,omitempty"`
	AddrService   string `json:"addr_service,omitempty"`
	AddrCurrent   string `json:"addr_current,omitempty"`
	Phone         string `json:"phone,omitempty"`
	Email         string `json:"email,omitempty"`
	Office        string `json:"office,omitempty"`
}

// ToJSON converts p for the API.
func ToJSON(p *Person) JSON {
	return JSON{IDNo: p.IDNo, Name: p.Name, Sex: p.Sex, BirthDate: rocdate.ISO(p.BirthDate), AddrHousehold: p.AddrHousehold,
		AddrBusiness: p.AddrBusiness, AddrService: p.AddrService, AddrCurrent: p.AddrCurrent, Phone: p.Phone, Email: p.Email, Office: p.OfficeName}
}

func fromJSON(j JSON, p *Person) error {
	p.Name, p.Sex = j.Name, j.Sex
	p.AddrHousehold, p.AddrBusiness, p.AddrService, p.AddrCurrent = j.AddrHousehold, j.AddrBusiness, j.AddrService, j.AddrCurrent
	p.Phone, p.Email = j.Phone, j.Email
	p.BirthDate = time.Time{}
	if j.BirthDate != "" {
		d, err := rocdate.ParseISO(j.BirthDate)
		if err != nil {
			return web.Invalid(errors.New("birth_date：" + err.Error()))
		}
		p.BirthDate = d
	}
	return nil
}

func (h *Handlers) apiSearch(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query().Get("q")
	if strings.TrimSpace(q) == "" {
		return web.BadRequest("請提供查詢條件 q（統一編號或姓名）")
	}
	people, err := h.Store.Search(r.Context(), q, 50)
	if err != nil {
		return err
	}
	h.Kit.Audit(r, "person.search", "person", "", "", "ok", "q="+q)
	if err := h.Kit.AuditListed(r, "person.search", idNos(people), "api q="+q); err != nil {
		return err
	}
	out := make([]JSON, 0, len(people))
	for _, p := range people {
		out = append(out, ToJSON(p))
	}
	return web.JSON(w, http.StatusOK, map[string]any{"persons": out})
}

func (h *Handlers) apiShow(w http.ResponseWriter, r *http.Request) error {
	p, err := h.load(r, false)
	if err != nil {
		return err
	}
	h.Kit.Audit(r, "person.view", "person", p.IDNo, p.IDNo, "ok", "api")
	return web.JSON(w, http.StatusOK, ToJSON(p))
}

func (h *Handlers) apiCreate(w http.ResponseWriter, r *http.Request) error {
	var j JSON
	if err := web.DecodeJSON(r, &j); err != nil {
		return err
	}
	p := &Person{IDNo: j.IDNo}
	if err := fromJSON(j, p); err != nil {
		return err
	}
	if err := h.Store.Create(r.Context(), web.Actor(r), p); err != nil {
		if errors.Is(err, ErrDuplicate) {
			return web.Conflict(err.Error())
		}
		if isUserError(err) {
			return web.Invalid(err)
		}
		return err
	}
	p, _ = h.Store.ByID(r.Context(), p.ID)
	return web.JSON(w, http.StatusCreated, ToJSON(p))
}

func (h *Handlers) apiUpdate(w http.ResponseWriter, r *http.Request) error {
	p, err := h.load(r, true)
	if err != nil {
		return err
	}
	var j JSON
	if err := web.DecodeJSON(r, &j); err != nil {
		return err
	}
	if err := fromJSON(j, p); err != nil {
		return err
	}
	if err := h.Store.Update(r.Context(), web.Actor(r), p); err != nil {
		if isUserError(err) {
			return web.Invalid(err)
		}
		return err
	}
	return web.JSON(w, http.StatusOK, ToJSON(p))
}

// idNos lists the ID numbers of people (for the audit of what a search showed).
func idNos(people []*Person) []string {
	out := make([]string, len(people))
	for i, p := range people {
		out[i] = p.IDNo
	}
	return out
}
