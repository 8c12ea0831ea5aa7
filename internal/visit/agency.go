package visit

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"ebazhao/internal/agency"
	"ebazhao/internal/person"
	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/web"
)

// The N加e panel: the agency subsystem's counter flow (draft → printed and
// signed → sent) inside the visit, through its Go API, with the person's data
// filled in and the agencies ticked by their numbers.

// AgencyField is one value of the change kind, as the panel shows it.
type AgencyField struct {
	Key, Label, Value string
	Required, Date    bool
	Focus             bool
}

// AgencyChoice is one agency of the list, numbered for quick ticking.
type AgencyChoice struct {
	N       int
	Agency  *agency.Agency
	Checked bool
	Account string
}

// AgencyPanel is the data of the N加e panel.
type AgencyPanel struct {
	Visit     *Visit
	Person    *person.Person
	Kinds     []agency.Kind
	Kind      agency.Kind
	Fields    []AgencyField
	Choices   []AgencyChoice
	Applicant struct{ Name, IDNo, Relation string }
	Pick      string
	Key       string
	Error     string
	FocusPick bool
	App       *agency.Application
}

func (h *Handlers) agencyData(ctx context.Context, v *Visit, kindCode string) (*AgencyPanel, error) {
	if h.Agency == nil {
		return nil, web.Conflict("N加e 跨機關通報未啟用")
	}
	p, err := h.Persons.ByIDNo(ctx, v.PersonIDNo)
	if err != nil {
		return nil, err
	}
	k, ok := agency.KindByCode(kindCode)
	if !ok {
		k = agency.Kinds[0]
		if vk, ok := v.KindInfo(); ok && vk.Agency != "" {
			k, _ = agency.KindByCode(vk.Agency)
		}
	}
	list, err := h.Agency.Agencies(ctx, agency.AgencyFilter{ActiveOnly: true, Kind: k.Code})
	if err != nil {
		return nil, err
	}
	d := &AgencyPanel{Visit: v, Person: p, Kinds: agency.Kinds, Kind: k}
	today := civil.Of(h.now()).ROCShort()
	for _, f := range k.Fields {
		af := AgencyField{Key: f.Key, Label: f.Label, Required: f.Required, Date: f.Type == agency.TypeDate}
		switch f.Prefill {
		case agency.FromHousehold:
			af.Value = p.AddrHousehold
		case agency.FromName:
			af.Value = p.Name
		case agency.FromBirthDate:
			if !p.BirthDate.IsZero() {
				af.Value = civil.Of(p.BirthDate).ROCShort()
			}
		case agency.FromIDNo:
			af.Value = p.IDNo
		}
		if f.Key == "event_date" {
			af.Value = today
		}
		d.Fields = append(d.Fields, af)
	}
	if k.ApplicantRequired && !k.NotSelf {
		// A parent registering a newborn signs for the child's card.
		d.Applicant.Name, d.Applicant.IDNo = p.Name, p.IDNo
		d.Applicant.Relation = map[string]string{"男": "父", "女": "母"}[p.Sex]
	}
	for i, a := range list {
		d.Choices = append(d.Choices, AgencyChoice{N: i + 1, Agency: a})
	}
	d.Key = auth.RandomToken(18)
	d.focus()
	return d, nil
}

// focus puts the cursor on the first required field still empty, else on the
// agency numbers.
func (d *AgencyPanel) focus() {
	for i := range d.Fields {
		d.Fields[i].Focus = false
	}
	for i, f := range d.Fields {
		if f.Required && strings.TrimSpace(f.Value) == "" {
			d.Fields[i].Focus = true
			return
		}
	}
	d.FocusPick = true
}

func (h *Handlers) agencyPanel(w http.ResponseWriter, r *http.Request) error {
	v, err := h.loadVisit(r, true)
	if err != nil {
		return err
	}
	d, err := h.agencyData(r.Context(), v, r.URL.Query().Get("kind"))
	if err != nil {
		return err
	}
	return h.Kit.RenderFragment(w, r, "visit_show", "agency", d)
}

// parsePick reads agency numbers typed as "1 3 12" or "1,3,12" or "1-3".
func parsePick(s string, max int) ([]int, error) {
	var out []int
	f := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == '，' || r == '、' || r == '　' || r == '+' })
	for _, part := range f {
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.Atoi(lo)
		if err != nil {
			return nil, fmt.Errorf("機關編號「%s」不是數字", part)
		}
		b := a
		if isRange {
			if b, err = strconv.Atoi(hi); err != nil || b < a {
				return nil, fmt.Errorf("機關編號範圍「%s」不正確", part)
			}
		}
		for n := a; n <= b; n++ {
			if n < 1 || n > max {
				return nil, fmt.Errorf("沒有編號 %d 的機關（1–%d）", n, max)
			}
			out = append(out, n)
		}
	}
	return out, nil
}

func (h *Handlers) agencyCreate(w http.ResponseWriter, r *http.Request) error {
	v, err := h.loadVisit(r, true)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return web.BadRequest("表單格式錯誤")
	}
	f := r.PostForm
	d, err := h.agencyData(r.Context(), v, f.Get("kind"))
	if err != nil {
		return err
	}
	in := agency.NewApplication{IdempotencyKey: f.Get("idempotency_key"), Kind: d.Kind.Code, PersonIDNo: v.PersonIDNo,
		ApplicantName: f.Get("applicant_name"), ApplicantIDNo: f.Get("applicant_id_no"), ApplicantRelation: f.Get("applicant_relation"),
		Fields: map[string]string{}}
	d.Key, d.Pick = in.IdempotencyKey, f.Get("pick")
	d.Applicant.Name, d.Applicant.IDNo, d.Applicant.Relation = in.ApplicantName, in.ApplicantIDNo, in.ApplicantRelation
	for i, fl := range d.Fields {
		val := f.Get("f_" + fl.Key)
		in.Fields[fl.Key], d.Fields[i].Value = val, val
	}
	ticked := map[int64]bool{}
	for _, s := range f["agency"] {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return web.BadRequest("勾選的機關不正確")
		}
		ticked[id] = true
	}
	fail := func(msg string) error {
		d.Error = msg
		for i := range d.Choices {
			c := &d.Choices[i]
			c.Checked, c.Account = ticked[c.Agency.ID], f.Get(fmt.Sprintf("account_%d", c.Agency.ID))
		}
		d.focus()
		return h.Kit.RenderFragment(w, r, "visit_show", "agency", d)
	}
	picked, err := parsePick(d.Pick, len(d.Choices))
	if err != nil {
		return fail(err.Error())
	}
	for _, n := range picked {
		ticked[d.Choices[n-1].Agency.ID] = true
	}
	for _, c := range d.Choices {
		if ticked[c.Agency.ID] {
			in.Agencies = append(in.Agencies, agency.Selection{AgencyID: c.Agency.ID, AccountNo: f.Get(fmt.Sprintf("account_%d", c.Agency.ID))})
		}
	}
	app, _, err := h.Agency.Create(r.Context(), web.User(r), v.CounterID, web.ClientAddr(r), in)
	if err != nil {
		var ve *agency.ValidationError
		switch {
		case errors.As(err, &ve):
			return fail(ve.Error())
		case errors.Is(err, agency.ErrKeyReused):
			d.Key = auth.RandomToken(18)
			return fail("此申請畫面已由其他人員送出，請重新送出")
		}
		return err
	}
	d.App = app
	w.Header().Set("HX-Trigger", "visit-changed, agency-changed")
	return h.Kit.RenderFragment(w, r, "visit_show", "agency", d)
}

func (h *Handlers) agencySend(w http.ResponseWriter, r *http.Request) error {
	v, err := h.loadVisit(r, true)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("app"), 10, 64)
	if err != nil || id <= 0 {
		return web.NotFound("查無此申請書")
	}
	ctx := r.Context()
	app, err := h.Agency.Application(ctx, id)
	if errors.Is(err, db.ErrNotFound) || (err == nil && app.SubjectIDNo != v.PersonIDNo) {
		return web.NotFound("查無此民眾的申請書")
	}
	if err != nil {
		return err
	}
	if _, err := h.Agency.Send(ctx, web.User(r), web.ClientAddr(r), id); err != nil {
		switch {
		case errors.Is(err, agency.ErrOtherOffice):
			return web.Forbidden(err.Error())
		case errors.Is(err, agency.ErrCancelled), errors.Is(err, agency.ErrNotDraft):
			return web.Conflict(err.Error())
		}
		return err
	}
	if app, err = h.Agency.Application(ctx, id); err != nil {
		return err
	}
	p, err := h.Persons.ByIDNo(ctx, v.PersonIDNo)
	if err != nil {
		return err
	}
	w.Header().Set("HX-Trigger", "visit-changed, agency-changed")
	return h.Kit.RenderFragment(w, r, "visit_show", "agency", &AgencyPanel{Visit: v, Person: p, Kind: app.KindInfo(), App: app})
}
