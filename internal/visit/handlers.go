package visit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"ebazhao/internal/agency"
	"ebazhao/internal/archive"
	"ebazhao/internal/fee"
	"ebazhao/internal/form"
	"ebazhao/internal/notice"
	"ebazhao/internal/office"
	"ebazhao/internal/person"
	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/blob"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/idno"
	"ebazhao/internal/platform/pdf"
	"ebazhao/internal/platform/web"
	"ebazhao/internal/rating"
	"ebazhao/internal/seal"
	"ebazhao/internal/tip"
)

// Deps are what the workbench needs from the application: the stores and the
// services of the subsystems it ties together.
type Deps struct {
	DB      *db.DB
	Persons *person.Store
	Offices *office.Store
	Agency  *agency.Service // N加e (the application's, so its clock and hooks are shared)
	Rating  *rating.Service // the receipt of a visit wakes its counter's terminal, as every receipt does
	Fees    *fee.Service    // the application's fee service; nil: one of its own
	DataDir string
	Now     func() time.Time // nil: the database's clock
}

// Handlers serves the workbench.
type Handlers struct {
	Kit     *web.Kit
	DB      *db.DB
	Store   *Store
	Persons *person.Store
	Offices *office.Store
	Seals   *seal.Store
	Archive *archive.Service
	Notices *notice.Service
	Agency  *agency.Service
	Fees    *fee.Service
	Rating  *rating.Service
	Tips    *tip.Store
	Forms   *form.Store
	Log     *slog.Logger
	Now     func() time.Time
}

// Mount builds the workbench on the subsystems and registers its routes.
func Mount(k *web.Kit, d Deps) *Handlers {
	h := &Handlers{Kit: k, DB: d.DB, Store: &Store{DB: d.DB, Now: d.Now}, Persons: d.Persons, Offices: d.Offices,
		Seals: &seal.Store{DB: d.DB, Now: d.Now}, Archive: archive.NewService(d.DB, blob.Default(d.DataDir)), Notices: notice.NewService(d.DB),
		Agency: d.Agency, Rating: d.Rating, Tips: &tip.Store{DB: d.DB, Now: d.Now}, Forms: &form.Store{DB: d.DB, Now: d.Now},
		Log: k.Log, Now: d.Now}
	if d.Agency == nil && d.DataDir != "" {
		h.Agency = agency.New(d.DB, d.DataDir, k.Log)
	}
	h.Fees = d.Fees
	if h.Fees == nil {
		h.Fees = fee.NewService(d.DB, pdf.Shared(""))
		h.Fees.Log, h.Fees.Now = k.Log, d.Now
	}
	if d.Fees == nil && d.Rating != nil {
		h.Fees.OnIssue = func(ctx context.Context, r *fee.Receipt) error {
			_, err := d.Rating.Open(ctx, r.OfficeID, r.CounterID, r.ClerkID, rating.TriggerReceipt, fmt.Sprint(r.ID))
			return err
		}
	}
	h.Routes()
	return h
}

func (h *Handlers) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return h.DB.Now()
}

// Routes registers the workbench routes. Each action route needs the
// permission of the subsystem it acts in.
func (h *Handlers) Routes() {
	k := h.Kit
	k.Page("GET /visits", auth.PersonRead, h.startPage)
	k.Page("POST /visits", auth.PersonRead, h.start)
	k.Page("GET /visits/office", auth.RatingView, h.officePage)
	k.Page("GET /visits/office/live", auth.RatingView, h.officeLive)
	k.Page("GET /visits/{id}", auth.PersonRead, h.show)
	k.Page("GET /visits/{id}/side", auth.PersonRead, h.side)
	k.Page("POST /visits/{id}/kind", auth.PersonRead, h.setKind)
	k.Page("POST /visits/{id}/end", auth.PersonRead, h.end)
	k.Page("GET /visits/{id}/agency", auth.AgencyFile, h.agencyPanel)
	k.Page("POST /visits/{id}/agency", auth.AgencyFile, h.agencyCreate)
	k.Page("POST /visits/{id}/agency/{app}/send", auth.AgencyFile, h.agencySend)
	k.Page("GET /visits/{id}/tips", auth.TipRead, h.tipsPanel)
	k.Page("GET /visits/{id}/fees", auth.FeeCollect, h.feesPanel)
	k.Page("POST /visits/{id}/fees/quote", auth.FeeCollect, h.feesQuote)
	k.Page("POST /visits/{id}/fees", auth.FeeCollect, h.feesIssue)
	k.Page("GET /visits/{id}/forms/{code}", auth.FormRead, h.formPanel)
	k.API("POST /api/v1/visits", auth.PersonRead, h.apiStart)
	k.API("GET /api/v1/visits/office", auth.RatingView, h.apiOffice)
	k.API("GET /api/v1/visits/{id}", auth.PersonRead, h.apiShow)
	k.API("POST /api/v1/visits/{id}/end", auth.PersonRead, h.apiEnd)
}

// loadVisit reads the {id} visit; only its clerk works in it, and only while it
// is open when act is true.
func (h *Handlers) loadVisit(r *http.Request, act bool) (*Visit, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, web.NotFound("查無此臨櫃服務")
	}
	v, err := h.Store.ByID(r.Context(), id)
	if errors.Is(err, db.ErrNotFound) {
		return nil, web.NotFound("查無此臨櫃服務")
	}
	if err != nil {
		return nil, err
	}
	if u := web.User(r); v.ClerkID != u.ID {
		h.Kit.Audit(r, "visit.view", "visit", fmt.Sprint(v.ID), v.PersonIDNo, "denied", "other clerk")
		return nil, web.Forbidden("此臨櫃服務由" + v.ClerkName + "承辦，僅承辦人可以開啟")
	}
	if act && !v.Open() {
		return nil, web.Conflict(ErrClosed.Error())
	}
	return v, nil
}

// StartPage is the data of visit_start.html.
type StartPage struct {
	Q          string
	Kind       string
	Kinds      []Kind
	Counters   []office.Counter
	NeedsDesk  bool
	Candidates []*person.Person
	Recent     []*Visit
	Open       *Visit
	Error      string
	NewPerson  string
}

func (h *Handlers) startData(r *http.Request, p *StartPage) error {
	u := web.User(r)
	p.Kinds = Kinds
	if s := web.Session(r); s != nil && s.CounterID == 0 {
		cs, err := h.Offices.Counters(r.Context(), u.OfficeID)
		if err != nil {
			return err
		}
		for _, c := range cs {
			if c.Active {
				p.Counters = append(p.Counters, c)
			}
		}
		p.NeedsDesk = len(p.Counters) > 0
	}
	var err error
	p.Recent, err = h.Store.Today(r.Context(), u.ID, civil.Of(h.now()), 8)
	if err != nil {
		return err
	}
	for _, v := range p.Recent {
		if v.Open() {
			p.Open = v
		}
	}
	return nil
}

func (h *Handlers) startPage(w http.ResponseWriter, r *http.Request) error {
	u := web.User(r)
	if r.URL.Query().Get("new") == "" {
		v, err := h.Store.OpenFor(r.Context(), u.ID)
		if err == nil && v.Day == civil.Of(h.now()) {
			http.Redirect(w, r, fmt.Sprintf("/visits/%d", v.ID), http.StatusSeeOther)
			return nil
		}
		if err != nil && !errors.Is(err, db.ErrNotFound) {
			return err
		}
	}
	p := &StartPage{Kind: r.URL.Query().Get("kind")}
	if err := h.startData(r, p); err != nil {
		return err
	}
	return h.Kit.Render(w, r, "visit_start", "臨櫃服務", p)
}

// start begins a visit for the ID typed or scanned, or lists the people whose
// name begins with what was typed.
func (h *Handlers) start(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return web.BadRequest("表單格式錯誤")
	}
	ctx := r.Context()
	u := web.User(r)
	p := &StartPage{Q: strings.TrimSpace(r.PostFormValue("q")), Kind: r.PostFormValue("kind")}
	if _, ok := KindByCode(p.Kind); !ok {
		p.Kind = ""
	}
	sess := web.Session(r)
	counterID := int64(0)
	if sess != nil {
		counterID = sess.CounterID
		if c, _ := strconv.ParseInt(r.PostFormValue("counter_id"), 10, 64); c != 0 && c != counterID {
			cn, err := h.Offices.CounterByID(ctx, c)
			if err != nil || cn.OfficeID != u.OfficeID || !cn.Active {
				return web.BadRequest("請選擇本所使用中的櫃檯")
			}
			if err := h.Kit.Auth.SetSessionCounter(ctx, sess.ID, c); err != nil {
				return err
			}
			sess.CounterID, counterID = c, c
		}
	}
	fail := func(msg string) error {
		p.Error = msg
		if err := h.startData(r, p); err != nil {
			return err
		}
		w.WriteHeader(http.StatusUnprocessableEntity)
		return h.Kit.Render(w, r, "visit_start", "臨櫃服務", p)
	}
	if p.Q == "" {
		return fail("請掃描或輸入民眾的統一編號（或姓名）")
	}
	var who *person.Person
	if n := idno.Normalize(p.Q); idno.Valid(n) {
		pp, err := h.Persons.ByIDNo(ctx, n)
		if errors.Is(err, db.ErrNotFound) {
			p.NewPerson = n
			return fail("查無統一編號 " + n + " 的民眾資料，請先建檔")
		}
		if err != nil {
			return err
		}
		who = pp
	} else if looksLikeID(n) {
		_, err := idno.Validate(n)
		return fail("統一編號：" + err.Error())
	} else {
		people, err := h.Persons.Search(ctx, p.Q, 20)
		if err != nil {
			return err
		}
		h.Kit.Audit(r, "person.search", "person", "", "", "ok", "visit q="+p.Q)
		ids := make([]string, len(people))
		for i, pp := range people {
			ids[i] = pp.IDNo
		}
		if err := h.Kit.AuditListed(r, "person.search", ids, "visit q="+p.Q); err != nil {
			return err
		}
		switch len(people) {
		case 0:
			return fail("查無姓名以「" + p.Q + "」開頭的民眾")
		case 1:
			who = people[0]
		default:
			p.Candidates = people
			if err := h.startData(r, p); err != nil {
				return err
			}
			return h.Kit.Render(w, r, "visit_start", "臨櫃服務：選擇民眾", p)
		}
	}
	v, resumed, err := h.Store.Start(ctx, u, web.ClientAddr(r), counterID, who, p.Kind)
	if err != nil {
		return err
	}
	msg := "" // the screen itself shows whom the clerk now serves
	if resumed {
		msg = "繼續服務：" + who.Name + "（同一民眾，未重新開始）"
	}
	return web.Redirect(w, r, fmt.Sprintf("/visits/%d", v.ID), msg)
}

// looksLikeID: a letter and digits, meant as an ID number (a typo), not a name.
func looksLikeID(s string) bool {
	if len(s) < 2 || s[0] < 'A' || s[0] > 'Z' {
		return false
	}
	for _, c := range s[1:] {
		if (c < '0' || c > '9') && (c < 'A' || c > 'D') {
			return false
		}
	}
	return true
}

func (h *Handlers) show(w http.ResponseWriter, r *http.Request) error {
	v, err := h.loadVisit(r, false)
	if err != nil {
		return err
	}
	s, err := h.build(r.Context(), web.User(r), v, true)
	if err != nil {
		return err
	}
	s.Panel = r.URL.Query().Get("panel")
	if s.Panel == "" && v.Open() {
		for _, st := range s.Steps {
			if !st.Done && st.Panel != "" {
				s.Panel = st.Panel
				break
			}
		}
	}
	h.Kit.Audit(r, "person.view", "person", v.PersonIDNo, v.PersonIDNo, "ok", fmt.Sprintf("visit %d", v.ID))
	return h.Kit.Render(w, r, "visit_show", s.Person.Name+" 臨櫃服務", s)
}

// side is the screen's refreshed column: suggestions, pending, activity.
func (h *Handlers) side(w http.ResponseWriter, r *http.Request) error {
	v, err := h.loadVisit(r, false)
	if err != nil {
		return err
	}
	s, err := h.build(r.Context(), web.User(r), v, false)
	if err != nil {
		return err
	}
	return h.Kit.RenderFragment(w, r, "visit_show", "side", s)
}

func (h *Handlers) setKind(w http.ResponseWriter, r *http.Request) error {
	v, err := h.loadVisit(r, true)
	if err != nil {
		return err
	}
	kind := r.PostFormValue("kind")
	k, ok := KindByCode(kind)
	if !ok {
		return web.BadRequest("請選擇本次辦理的登記")
	}
	if err := h.Store.SetKind(r.Context(), web.Actor(r), v, kind); err != nil {
		if errors.Is(err, ErrClosed) {
			return web.Conflict(err.Error())
		}
		return err
	}
	return web.Redirect(w, r, fmt.Sprintf("/visits/%d", v.ID), "本次辦理："+k.Label)
}

func (h *Handlers) end(w http.ResponseWriter, r *http.Request) error {
	v, err := h.loadVisit(r, true)
	if err != nil {
		return err
	}
	if err := h.Store.End(r.Context(), web.Actor(r), v); err != nil {
		if errors.Is(err, ErrClosed) {
			return web.Conflict(err.Error())
		}
		return err
	}
	return web.Redirect(w, r, "/visits?new=1", fmt.Sprintf("已結束 %s 的服務（%d 分鐘）", v.PersonName, v.Minutes(h.now())))
}

// Today lists a clerk's visits of a day, newest first.
func (s *Store) Today(ctx context.Context, clerkID int64, day civil.Date, limit int) ([]*Visit, error) {
	rows, err := s.DB.Query(ctx, `SELECT `+visitCols+` FROM visits WHERE clerk_id = ? AND day = ? ORDER BY id DESC LIMIT ?`, clerkID, day, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Visit
	for rows.Next() {
		v, err := scanVisit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
