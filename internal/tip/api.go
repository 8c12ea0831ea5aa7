package tip

import (
	"errors"
	"net/http"
	"strings"

	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/web"
)

// ItemJSON is a tip in the API.
type ItemJSON struct {
	Code          string     `json:"code"`
	Category      string     `json:"category"`
	CategoryName  string     `json:"category_name"`
	Version       int        `json:"version"`
	EffectiveFrom civil.Date `json:"effective_from"`
	Title         string     `json:"title"`
	Agency        string     `json:"agency"`
	Action        string     `json:"action"`
	Documents     []string   `json:"documents"`
	Deadline      string     `json:"deadline,omitempty"`
	Address       string     `json:"address,omitempty"`
	Phone         string     `json:"phone,omitempty"`
	URL           string     `json:"url,omitempty"`
	Notes         string     `json:"notes,omitempty"`
	LastChecked   civil.Date `json:"last_checked,omitzero"`
}

// ToJSON converts an item for the API.
func ToJSON(it *Item) ItemJSON {
	docs := it.DocumentList()
	if docs == nil {
		docs = []string{}
	}
	return ItemJSON{Code: it.Code, Category: it.CategoryCode, CategoryName: it.CategoryName, Version: it.No,
		EffectiveFrom: it.EffectiveFrom, Title: it.Title, Agency: it.Agency, Action: it.Action, Documents: docs,
		Deadline: it.Deadline, Address: it.Address, Phone: it.Phone, URL: it.URL, Notes: it.Notes, LastChecked: it.LastChecked}
}

func toJSONs(items []*Item) []ItemJSON {
	out := []ItemJSON{}
	for _, it := range items {
		out = append(out, ToJSON(it))
	}
	return out
}

// CategoryJSON is a category in the API.
type CategoryJSON struct {
	Code              string   `json:"code"`
	Name              string   `json:"name"`
	Intro             string   `json:"intro"`
	RegistrationKinds []string `json:"registration_kinds"`
	Items             int      `json:"items"`
}

func categoryJSON(c *Category) CategoryJSON {
	kinds := c.RegistrationKinds
	if kinds == nil {
		kinds = []string{}
	}
	return CategoryJSON{Code: c.Code, Name: c.Name, Intro: c.Intro, RegistrationKinds: kinds, Items: c.Count}
}

// dayOf reads ?date= (ROC or ISO), default today.
func (h *Handlers) dayOf(r *http.Request) (civil.Date, error) {
	if s := strings.TrimSpace(r.URL.Query().Get("date")); s != "" {
		d, err := civil.Parse(s)
		if err != nil {
			return d, web.BadRequest("date：" + err.Error())
		}
		return d, nil
	}
	return h.Store.Today(), nil
}

func (h *Handlers) apiCategories(w http.ResponseWriter, r *http.Request) error {
	day, err := h.dayOf(r)
	if err != nil {
		return err
	}
	cats, err := h.Store.Categories(r.Context(), day)
	if err != nil {
		return err
	}
	out := []CategoryJSON{}
	for _, c := range cats {
		out = append(out, categoryJSON(c))
	}
	return web.JSON(w, http.StatusOK, map[string]any{"categories": out})
}

func (h *Handlers) apiList(w http.ResponseWriter, r *http.Request) error {
	day, err := h.dayOf(r)
	if err != nil {
		return err
	}
	var items []*Item
	if q := strings.TrimSpace(r.URL.Query().Get("q")); q != "" {
		items, err = h.Store.Search(r.Context(), q, day, 50)
	} else {
		items, err = h.Store.Items(r.Context(), r.URL.Query().Get("category"), day)
	}
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, map[string]any{"date": day, "items": toJSONs(items)})
}

// apiForRegistration returns the tips to hand out after a registration of the given kind.
func (h *Handlers) apiForRegistration(w http.ResponseWriter, r *http.Request) error {
	c, err := h.Store.CategoryForRegistration(r.Context(), r.PathValue("kind"))
	if errors.Is(err, db.ErrNotFound) {
		return web.NotFound("沒有對應登記類別「" + r.PathValue("kind") + "」的便民資訊")
	}
	if err != nil {
		return err
	}
	items, err := h.Store.Items(r.Context(), c.Code, h.Store.Today())
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, map[string]any{"category": categoryJSON(c), "items": toJSONs(items),
		"sheet": "/api/v1/tips/sheet", "public_url": "/tips/" + c.Code})
}

func (h *Handlers) apiSheet(w http.ResponseWriter, r *http.Request) error {
	var sr SheetRequest
	if err := web.DecodeJSON(r, &sr); err != nil {
		return err
	}
	s, p, err := h.buildSheet(r, sr)
	if err != nil {
		return err
	}
	return h.sendSheet(w, r, s, p)
}

func (h *Handlers) apiItem(w http.ResponseWriter, r *http.Request) error {
	day, err := h.dayOf(r)
	if err != nil {
		return err
	}
	it, err := h.Store.ItemByCode(r.Context(), r.PathValue("item"), day)
	if errors.Is(err, db.ErrNotFound) {
		return web.NotFound("查無便民資訊「" + r.PathValue("item") + "」（或該日尚未生效）")
	}
	if err != nil {
		return err
	}
	vs, err := h.Store.Versions(r.Context(), it.ID)
	if err != nil {
		return err
	}
	type vj struct {
		No            int        `json:"no"`
		EffectiveFrom civil.Date `json:"effective_from"`
		Title         string     `json:"title"`
		CreatedBy     string     `json:"created_by"`
	}
	hist := []vj{}
	for _, v := range vs {
		hist = append(hist, vj{v.No, v.EffectiveFrom, v.Title, v.CreatedBy})
	}
	return web.JSON(w, http.StatusOK, map[string]any{"item": ToJSON(it), "retired": it.Retired(), "versions": hist})
}

// VersionInput is a new version in the API (dates ISO or ROC).
type VersionInput struct {
	Code          string `json:"code,omitempty"`     // create only
	Category      string `json:"category,omitempty"` // create only
	SortOrder     int    `json:"sort_order,omitempty"`
	EffectiveFrom string `json:"effective_from"`
	Title         string `json:"title"`
	Agency        string `json:"agency"`
	Action        string `json:"action"`
	Documents     string `json:"documents"`
	Deadline      string `json:"deadline"`
	Address       string `json:"address"`
	Phone         string `json:"phone"`
	URL           string `json:"url"`
	Notes         string `json:"notes"`
	LastChecked   string `json:"last_checked"`
}

func (in VersionInput) version() (Version, error) {
	v := Version{Title: in.Title, Agency: in.Agency, Action: in.Action, Documents: in.Documents, Deadline: in.Deadline,
		Address: in.Address, Phone: in.Phone, URL: in.URL, Notes: in.Notes}
	var err error
	if v.EffectiveFrom, err = civil.Parse(in.EffectiveFrom); err != nil {
		return v, invalid("effective_from：%s", err.Error())
	}
	if in.LastChecked != "" {
		if v.LastChecked, err = civil.Parse(in.LastChecked); err != nil {
			return v, invalid("last_checked：%s", err.Error())
		}
	}
	return v, nil
}

func (h *Handlers) apiCreate(w http.ResponseWriter, r *http.Request) error {
	var in VersionInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	v, err := in.version()
	if err != nil {
		return userError(err)
	}
	it, err := h.Store.Create(r.Context(), web.Actor(r), in.Category, in.Code, in.SortOrder, v)
	if err != nil {
		return userError(err)
	}
	return web.JSON(w, http.StatusCreated, ToJSON(it))
}

func (h *Handlers) apiAddVersion(w http.ResponseWriter, r *http.Request) error {
	it, err := h.loadAny(r)
	if err != nil {
		return err
	}
	var in VersionInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	v, err := in.version()
	if err != nil {
		return userError(err)
	}
	if err := h.Store.AddVersion(r.Context(), web.Actor(r), it, v); err != nil {
		return userError(err)
	}
	return web.JSON(w, http.StatusCreated, map[string]any{"code": it.Code, "effective_from": v.EffectiveFrom})
}
