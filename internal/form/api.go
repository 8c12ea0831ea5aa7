package form

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/web"
	"ebazhao/internal/tip"
)

// FormJSON is a form in the API.
type FormJSON struct {
	Code        string        `json:"code"`
	Name        string        `json:"name"`
	Category    string        `json:"category"`
	CategoryNm  string        `json:"category_name"`
	Kind        string        `json:"kind"`
	Keywords    string        `json:"keywords,omitempty"`
	Description string        `json:"description,omitempty"`
	OfficeID    int64         `json:"office_id,omitempty"`
	Maintainer  string        `json:"maintainer,omitempty"`
	Retired     bool          `json:"retired,omitempty"`
	Score       int           `json:"score,omitempty"`
	InForce     *VersionJSON  `json:"in_force,omitempty"`
	Versions    []VersionJSON `json:"versions,omitempty"`
}

// VersionJSON is a version in the API.
type VersionJSON struct {
	No            int        `json:"no"`
	EffectiveFrom civil.Date `json:"effective_from"`
	Note          string     `json:"note,omitempty"`
	Spec          *Spec      `json:"spec,omitempty"`
	FileName      string     `json:"file_name,omitempty"`
	FileSize      int64      `json:"file_size,omitempty"`
	FileSHA256    string     `json:"file_sha256,omitempty"`
	CreatedAt     string     `json:"created_at"`
	CreatedBy     string     `json:"created_by"`
}

func formJSON(f *Form) FormJSON {
	return FormJSON{Code: f.Code, Name: f.Name, Category: f.CategoryCode, CategoryNm: f.CategoryName, Kind: f.Kind, Keywords: f.Keywords,
		Description: f.Description, OfficeID: f.OfficeID, Maintainer: f.Maintainer, Retired: f.Retired()}
}

func versionJSON(v *Version, withSpec bool) VersionJSON {
	j := VersionJSON{No: v.No, EffectiveFrom: v.EffectiveFrom, Note: v.Note, FileName: v.FileName, FileSize: v.FileSize,
		FileSHA256: v.FileSHA256, CreatedAt: v.CreatedAt.UTC().Format("2006-01-02T15:04:05Z"), CreatedBy: v.CreatedBy}
	if withSpec {
		j.Spec, _ = v.Spec()
	}
	return j
}

func (h *Handlers) apiList(w http.ResponseWriter, r *http.Request) error {
	u := web.User(r)
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	out := []FormJSON{}
	if q != "" {
		hits, err := h.Store.Search(r.Context(), q, officeScope(u), 50)
		if err != nil {
			return err
		}
		for _, hit := range hits {
			j := formJSON(hit.Form)
			j.Score = hit.Score
			out = append(out, j)
		}
	} else {
		forms, err := h.Store.List(r.Context(), Filter{Category: r.URL.Query().Get("category"), OfficeID: officeScope(u)})
		if err != nil {
			return err
		}
		for _, f := range forms {
			out = append(out, formJSON(f))
		}
	}
	return web.JSON(w, http.StatusOK, map[string]any{"forms": out})
}

func (h *Handlers) apiCategories(w http.ResponseWriter, r *http.Request) error {
	cats, err := h.Store.Categories(r.Context(), officeScope(web.User(r)))
	if err != nil {
		return err
	}
	type cj struct {
		Code  string `json:"code"`
		Name  string `json:"name"`
		Count int    `json:"count"`
	}
	out := []cj{}
	for _, c := range cats {
		out = append(out, cj{c.Code, c.Name, c.Count})
	}
	return web.JSON(w, http.StatusOK, map[string]any{"categories": out})
}

// apiShow returns a form with the version in force on ?date= (default today) and its history.
func (h *Handlers) apiShow(w http.ResponseWriter, r *http.Request) error {
	f, err := h.load(r)
	if err != nil {
		return err
	}
	day := h.Store.Today()
	if s := r.URL.Query().Get("date"); s != "" {
		if day, err = civil.Parse(s); err != nil {
			return web.BadRequest("date：" + err.Error())
		}
	}
	j := formJSON(f)
	if v, err := h.Store.InForce(r.Context(), f.ID, day); err == nil {
		vj := versionJSON(v, true)
		j.InForce = &vj
	} else if !errors.Is(err, db.ErrNotFound) {
		return err
	}
	vs, err := h.Store.Versions(r.Context(), f.ID)
	if err != nil {
		return err
	}
	for _, v := range vs {
		j.Versions = append(j.Versions, versionJSON(v, false))
	}
	return web.JSON(w, http.StatusOK, j)
}

func (h *Handlers) apiPrint(w http.ResponseWriter, r *http.Request) error {
	f, err := h.load(r)
	if err != nil {
		return err
	}
	var pr PrintRequest
	if err := web.DecodeJSON(r, &pr); err != nil {
		return err
	}
	if pr.Mode != ModeBlank && pr.Mode != ModeFilled {
		return web.BadRequest("mode 須為 blank 或 filled")
	}
	p, err := h.render(r, f, pr)
	if err != nil {
		return err
	}
	return h.send(w, r, f, p)
}

// FormInput is a create/update request.
type FormInput struct {
	Code        string        `json:"code"`
	Name        string        `json:"name"`
	Category    string        `json:"category"`
	Kind        string        `json:"kind"`
	Keywords    string        `json:"keywords"`
	Description string        `json:"description"`
	Maintainer  string        `json:"maintainer"`
	SortOrder   int           `json:"sort_order"`
	OfficeOnly  bool          `json:"office_only"`
	Version     *VersionInput `json:"version,omitempty"`
}

// VersionInput is a new version: a spec (template forms) or a base64 PDF (file forms).
type VersionInput struct {
	EffectiveFrom string `json:"effective_from"`
	Note          string `json:"note"`
	Spec          *Spec  `json:"spec,omitempty"`
	FileBase64    string `json:"file_base64,omitempty"`
	FileName      string `json:"file_name,omitempty"`
}

func (vi *VersionInput) toNew() (NewVersion, error) {
	nv := NewVersion{Note: vi.Note, FileName: vi.FileName}
	day, err := civil.Parse(vi.EffectiveFrom)
	if err != nil {
		return nv, invalid("effective_from：%s", err.Error())
	}
	nv.EffectiveFrom = day
	if vi.Spec != nil {
		nv.Spec = vi.Spec.JSON()
	}
	if vi.FileBase64 != "" {
		if base64.StdEncoding.DecodedLen(len(vi.FileBase64)) > MaxFileSize+3 {
			return nv, invalid("檔案過大，上限為 %d MB", MaxFileSize>>20)
		}
		if nv.File, err = base64.StdEncoding.DecodeString(vi.FileBase64); err != nil {
			return nv, invalid("file_base64 不是有效的 Base64 內容")
		}
	}
	return nv, nil
}

func (h *Handlers) apiCreate(w http.ResponseWriter, r *http.Request) error {
	var in FormInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	if in.Version == nil {
		return web.BadRequest("請提供第一個版本（version）")
	}
	nv, err := in.Version.toNew()
	if err != nil {
		return userError(err)
	}
	f := &Form{Code: in.Code, Name: in.Name, CategoryCode: in.Category, Kind: in.Kind, Keywords: in.Keywords, Description: in.Description,
		Maintainer: in.Maintainer, SortOrder: in.SortOrder}
	if in.OfficeOnly {
		f.OfficeID = web.User(r).OfficeID
	}
	v, err := h.Store.Create(r.Context(), web.Actor(r), f, nv)
	if err != nil {
		return userError(err)
	}
	j := formJSON(f)
	vj := versionJSON(v, false)
	j.InForce = &vj
	return web.JSON(w, http.StatusCreated, j)
}

func (h *Handlers) apiUpdate(w http.ResponseWriter, r *http.Request) error {
	f, err := h.load(r)
	if err != nil {
		return err
	}
	if f.OfficeID != 0 && !web.User(r).CanActOnOffice(f.OfficeID) {
		return web.Forbidden("只能修改本所自製的表單")
	}
	var in FormInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	f.Name, f.CategoryCode, f.Keywords, f.Description, f.Maintainer, f.SortOrder = in.Name, in.Category, in.Keywords, in.Description, in.Maintainer, in.SortOrder
	if err := h.Store.Update(r.Context(), web.Actor(r), f); err != nil {
		return userError(err)
	}
	return web.JSON(w, http.StatusOK, formJSON(f))
}

func (h *Handlers) apiAddVersion(w http.ResponseWriter, r *http.Request) error {
	f, err := h.load(r)
	if err != nil {
		return err
	}
	if f.OfficeID != 0 && !web.User(r).CanActOnOffice(f.OfficeID) {
		return web.Forbidden("只能維護本所自製的表單")
	}
	var in VersionInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	nv, err := in.toNew()
	if err != nil {
		return userError(err)
	}
	v, err := h.Store.AddVersion(r.Context(), web.Actor(r), f, nv)
	if err != nil {
		return userError(err)
	}
	return web.JSON(w, http.StatusCreated, versionJSON(v, false))
}

func (h *Handlers) apiRetire(w http.ResponseWriter, r *http.Request) error {
	f, err := h.load(r)
	if err != nil {
		return err
	}
	if f.OfficeID != 0 && !web.User(r).CanActOnOffice(f.OfficeID) {
		return web.Forbidden("只能維護本所自製的表單")
	}
	retired := r.URL.Query().Get("restore") != "1"
	if err := h.Store.SetRetired(r.Context(), web.Actor(r), f, retired); err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, map[string]any{"code": f.Code, "retired": retired})
}

func (h *Handlers) apiStats(w http.ResponseWriter, r *http.Request) error {
	d, err := h.statsData(r)
	if err != nil {
		return err
	}
	type row struct {
		Form     string `json:"form"`
		Name     string `json:"name"`
		OfficeID int64  `json:"office_id"`
		Office   string `json:"office"`
		Blank    int64  `json:"blank"`
		Filled   int64  `json:"filled"`
		File     int64  `json:"file"`
	}
	type trow struct {
		Category string `json:"category"`
		Item     string `json:"item,omitempty"`
		OfficeID int64  `json:"office_id"`
		Office   string `json:"office"`
		Prints   int64  `json:"prints"`
	}
	forms, tips := []row{}, []trow{}
	for _, s := range d.Forms {
		forms = append(forms, row{s.FormCode, s.FormName, s.OfficeID, s.OfficeName, s.Blank, s.Filled, s.File})
	}
	for _, s := range d.Tips {
		tips = append(tips, trow{s.Category, s.ItemCode, s.OfficeID, s.OfficeName, s.N})
	}
	return web.JSON(w, http.StatusOK, map[string]any{"from": d.From, "to": d.To, "office_id": d.OfficeID,
		"forms": forms, "tips": tips})
}

// apiSearch searches forms and tips at once.
func (h *Handlers) apiSearch(w http.ResponseWriter, r *http.Request) error {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if q == "" {
		return web.BadRequest("請提供查詢字詞 q")
	}
	hits, err := h.Store.Search(r.Context(), q, officeScope(web.User(r)), 20)
	if err != nil {
		return err
	}
	items, err := h.Tips.Search(r.Context(), q, h.Tips.Today(), 20)
	if err != nil {
		return err
	}
	forms := []FormJSON{}
	for _, hit := range hits {
		j := formJSON(hit.Form)
		j.Score = hit.Score
		forms = append(forms, j)
	}
	tips := []tip.ItemJSON{}
	for _, it := range items {
		tips = append(tips, tip.ToJSON(it))
	}
	return web.JSON(w, http.StatusOK, map[string]any{"q": q, "forms": forms, "tips": tips, "note": fmt.Sprintf("%d 份表單、%d 則便民資訊", len(forms), len(tips))})
}
