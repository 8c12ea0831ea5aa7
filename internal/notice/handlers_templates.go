package notice

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"ebazhao/internal/legal"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/web"
)

func (h *Handlers) templates(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := TemplateFilter{AllVersions: q.Get("all") != ""}
	if k := q.Get("kind"); k != "" {
		kind, err := ParseKind(k)
		if err != nil {
			return web.Invalid(err)
		}
		f.Kind = kind
	}
	ts, err := h.Service.Templates(r.Context(), f)
	if err != nil {
		return err
	}
	return h.Kit.Render(w, r, "notice_templates", "文書範本", map[string]any{"Templates": ts, "Kinds": Kinds(), "Kind": string(f.Kind), "All": f.AllVersions})
}

func (h *Handlers) templateByPath(r *http.Request) (*Template, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, web.NotFound("查無範本")
	}
	t, err := h.Service.TemplateByID(r.Context(), id)
	if errors.Is(err, db.ErrNotFound) {
		return nil, web.NotFound("查無範本")
	}
	return t, err
}

func (h *Handlers) templateShow(w http.ResponseWriter, r *http.Request) error {
	t, err := h.templateByPath(r)
	if err != nil {
		return err
	}
	versions, err := h.Service.TemplateVersions(r.Context(), t)
	if err != nil {
		return err
	}
	return h.Kit.Render(w, r, "notice_template", "範本："+t.Name, map[string]any{"T": t, "Versions": versions,
		"Placeholders": Placeholders, "RuleLabel": DeadlineRuleLabel(t.DeadlineRule), "Latest": len(versions) > 0 && versions[0].ID == t.ID})
}

type templateFormData struct {
	T            *Template
	Kinds        []KindInfo
	Placeholders []Placeholder
	Subtypes     map[string][]string
	Items        []string
	Effective    string
	Error        string
	New          bool
}

func (h *Handlers) templateFormData(r *http.Request, t *Template) *templateFormData {
	return &templateFormData{T: t, Kinds: Kinds(), Placeholders: Placeholders,
		Subtypes: map[string][]string{"reminder": reminderTypes(), "fine": FineSubtypes(), "confirm": ConfirmSubtypes(),
			"notice": h.subtypes(r.Context(), KindNotice)},
		Items: legal.RegistrationNames(), Effective: t.EffectiveFrom.ROCShort()}
}

func (h *Handlers) templateForm(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	t := &Template{Kind: Kind(q.Get("kind")), Subtype: q.Get("subtype"), Item: q.Get("item"), EffectiveFrom: h.Service.Today()}
	isNew := true
	if from := q.Get("from"); from != "" {
		id, err := strconv.ParseInt(from, 10, 64)
		if err != nil {
			return web.NotFound("查無範本")
		}
		base, err := h.Service.TemplateByID(r.Context(), id)
		if errors.Is(err, db.ErrNotFound) {
			return web.NotFound("查無範本")
		}
		if err != nil {
			return err
		}
		t = base
		t.EffectiveFrom = h.Service.Today()
		t.Note = ""
		isNew = false
	}
	if t.Kind == "" {
		t.Kind = KindNotice
	}
	fd := h.templateFormData(r, t)
	fd.New = isNew
	return h.Kit.Render(w, r, "notice_template_form", "修訂文書範本", fd)
}

func (h *Handlers) templateSave(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return web.BadRequest("表單格式錯誤")
	}
	f := r.PostForm
	t := &Template{Kind: Kind(f.Get("kind")), Subtype: f.Get("subtype"), Item: f.Get("item"), Name: f.Get("name"), Body: f.Get("body"),
		Articles: strings.Split(f.Get("articles"), "\n"), DeadlineRule: strings.TrimSpace(f.Get("deadline_rule")),
		Items: strings.Split(f.Get("items"), "\n"), Note: f.Get("note"), Retired: f.Get("retired") != ""}
	var err error
	if t.EffectiveFrom, err = parseDate("effective_from", "生效日期", f.Get("effective_from")); err == nil {
		err = h.Service.SaveTemplate(r.Context(), web.Actor(r), t)
	}
	if err != nil {
		if !IsInputError(err) {
			var ce *ConflictError
			if !errors.As(err, &ce) {
				return err
			}
		}
		fd := h.templateFormData(r, t)
		fd.Error = err.Error()
		fd.Effective = f.Get("effective_from")
		w.WriteHeader(http.StatusUnprocessableEntity)
		return h.Kit.Render(w, r, "notice_template_form", "修訂文書範本", fd)
	}
	return web.Redirect(w, r, fmt.Sprintf("/document-templates/%d", t.ID), fmt.Sprintf("已儲存範本「%s」第%d版，自%s起適用", t.Name, t.Version, t.EffectiveFrom.ROC()))
}
