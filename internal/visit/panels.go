package visit

import (
	"errors"
	"net/http"

	"ebazhao/internal/form"
	"ebazhao/internal/person"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/web"
	"ebazhao/internal/tip"
)

// TipsPanel is the tips panel: the category's sheet, printed by the tips
// subsystem's own endpoint (POST /tips/counter/sheet) with the person's name.
type TipsPanel struct {
	Visit      *Visit
	Person     *person.Person
	Categories []*tip.Category
	Category   *tip.Category
	Items      []*tip.Item
	Registered string
	Day        string
}

func (h *Handlers) tipsPanel(w http.ResponseWriter, r *http.Request) error {
	v, err := h.loadVisit(r, true)
	if err != nil {
		return err
	}
	ctx := r.Context()
	p, err := h.Persons.ByIDNo(ctx, v.PersonIDNo)
	if err != nil {
		return err
	}
	day := h.Tips.Today()
	d := &TipsPanel{Visit: v, Person: p, Day: day.ROCShort()}
	if d.Categories, err = h.Tips.Categories(ctx, day); err != nil {
		return err
	}
	kind := r.URL.Query().Get("cat")
	vk, hasKind := v.KindInfo()
	if kind == "" && hasKind {
		kind = vk.Tips
	}
	if kind == "" && len(d.Categories) > 0 {
		kind = d.Categories[0].Code
	}
	d.Category, err = h.Tips.CategoryForRegistration(ctx, kind)
	if errors.Is(err, db.ErrNotFound) {
		return web.NotFound("查無「" + kind + "」的便民資訊")
	}
	if err != nil {
		return err
	}
	if d.Items, err = h.Tips.Items(ctx, d.Category.Code, day); err != nil {
		return err
	}
	d.Registered = d.Category.Name + "登記"
	if hasKind && vk.Tips == d.Category.Code && vk.Registered != "" {
		d.Registered = vk.Registered
	}
	return h.Kit.RenderFragment(w, r, "visit_show", "tips", d)
}

// FormPanel prints one form of the library for the person: filled in from the
// register when the form names a person, else blank (the forms subsystem's own
// print endpoint counts and audits it).
type FormPanel struct {
	Visit   *Visit
	Person  *person.Person
	Form    *form.Form
	Current *form.Version
	RoleA   string // the label of the form's first person, "" if it names none
	RoleB   string
}

func (h *Handlers) formPanel(w http.ResponseWriter, r *http.Request) error {
	v, err := h.loadVisit(r, false)
	if err != nil {
		return err
	}
	ctx := r.Context()
	f, err := h.Forms.ByCode(ctx, r.PathValue("code"))
	if errors.Is(err, db.ErrNotFound) {
		return web.NotFound("查無此表單")
	}
	if err != nil {
		return err
	}
	p, err := h.Persons.ByIDNo(ctx, v.PersonIDNo)
	if err != nil {
		return err
	}
	d := &FormPanel{Visit: v, Person: p, Form: f}
	d.Current, err = h.Forms.InForce(ctx, f.ID, h.Forms.Today())
	if err != nil && !errors.Is(err, db.ErrNotFound) {
		return err
	}
	if d.Current != nil {
		sp, err := d.Current.Spec()
		if err != nil {
			return err
		}
		if sp != nil {
			for _, ro := range sp.Roles {
				switch ro.Key {
				case "a":
					d.RoleA = ro.Label
				case "b":
					d.RoleB = ro.Label
				}
			}
		}
	}
	return h.Kit.RenderFragment(w, r, "visit_show", "form", d)
}
