package visit

import (
	"errors"
	"net/http"

	"ebazhao/internal/person"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/idno"
	"ebazhao/internal/platform/web"
)

// JSON is a visit as the API shows it.
type JSON struct {
	ID        int64         `json:"id"`
	Status    string        `json:"status"`
	Kind      string        `json:"kind,omitempty"`
	Person    person.JSON   `json:"person"`
	Clerk     string        `json:"clerk"`
	CounterID int64         `json:"counter_id,omitempty"`
	StartedAt string        `json:"started_at"`
	EndedAt   string        `json:"ended_at,omitempty"`
	Pending   []PendingJSON `json:"pending"`
	Activity  []ActJSON     `json:"activity"`
	Receipts  []ReceiptRef  `json:"receipts"`
}

// PendingJSON is an open matter of the person.
type PendingJSON struct {
	Kind   string `json:"kind"`
	Label  string `json:"label"`
	Detail string `json:"detail,omitempty"`
	Amount int64  `json:"amount,omitempty"`
}

// ActJSON is one thing done during the visit.
type ActJSON struct {
	At     string `json:"at"`
	Action string `json:"action"`
	Label  string `json:"label"`
	Detail string `json:"detail,omitempty"`
}

func toJSON(s *Screen) JSON {
	v := s.Visit
	j := JSON{ID: v.ID, Status: v.Status, Kind: v.Kind, Person: person.ToJSON(s.Person), Clerk: v.ClerkName, CounterID: v.CounterID,
		StartedAt: v.StartedAt.UTC().Format("2006-01-02T15:04:05Z"), Pending: []PendingJSON{}, Activity: []ActJSON{}, Receipts: s.Receipts}
	if !v.EndedAt.IsZero() {
		j.EndedAt = v.EndedAt.UTC().Format("2006-01-02T15:04:05Z")
	}
	if j.Receipts == nil {
		j.Receipts = []ReceiptRef{}
	}
	for _, p := range s.Pending {
		j.Pending = append(j.Pending, PendingJSON{Kind: p.Kind, Label: p.Label, Detail: p.Detail, Amount: p.Amount})
	}
	for _, a := range s.Activity {
		j.Activity = append(j.Activity, ActJSON{At: a.At.UTC().Format("2006-01-02T15:04:05Z"), Action: a.Action, Label: a.Label, Detail: a.Detail})
	}
	return j
}

type startBody struct {
	IDNo string `json:"id_no"`
	Kind string `json:"kind,omitempty"`
}

func (h *Handlers) apiStart(w http.ResponseWriter, r *http.Request) error {
	var b startBody
	if err := web.DecodeJSON(r, &b); err != nil {
		return err
	}
	n := idno.Normalize(b.IDNo)
	if _, err := idno.Validate(n); err != nil {
		return web.BadRequest("id_no：" + err.Error())
	}
	if b.Kind != "" {
		if _, ok := KindByCode(b.Kind); !ok {
			return web.BadRequest("kind 不正確（move、birth、death、marriage、divorce、name、seal、records、nationality、other）")
		}
	}
	p, err := h.Persons.ByIDNo(r.Context(), n)
	if errors.Is(err, db.ErrNotFound) {
		return web.NotFound("查無統一編號 " + n + " 的民眾資料")
	}
	if err != nil {
		return err
	}
	var counter int64
	if s := web.Session(r); s != nil {
		counter = s.CounterID
	}
	u := web.User(r)
	v, resumed, err := h.Store.Start(r.Context(), u, web.ClientAddr(r), counter, p, b.Kind)
	if err != nil {
		return err
	}
	s, err := h.build(r.Context(), u, v, false)
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if resumed {
		status = http.StatusOK
	}
	return web.JSON(w, status, toJSON(s))
}

func (h *Handlers) apiShow(w http.ResponseWriter, r *http.Request) error {
	v, err := h.loadVisit(r, false)
	if err != nil {
		return err
	}
	s, err := h.build(r.Context(), web.User(r), v, false)
	if err != nil {
		return err
	}
	h.Kit.Audit(r, "person.view", "person", v.PersonIDNo, v.PersonIDNo, "ok", "visit api")
	return web.JSON(w, http.StatusOK, toJSON(s))
}

func (h *Handlers) apiEnd(w http.ResponseWriter, r *http.Request) error {
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
	return web.JSON(w, http.StatusOK, map[string]any{"id": v.ID, "status": v.Status, "minutes": v.Minutes(h.now())})
}

// OfficeJSON is the supervisor's figures of the office today.
type OfficeJSON struct {
	Day            civil.Date `json:"day"`
	OpenVisits     int        `json:"open_visits"`
	Visits         int        `json:"visits"`
	AvgMinutes     float64    `json:"avg_minutes"`
	Receipts       int        `json:"receipts"`
	ReceiptTotal   int64      `json:"receipt_total"`
	Voided         int        `json:"voided"`
	Documents      int        `json:"documents"`
	Ratings        int64      `json:"ratings"`
	RatingAverage  float64    `json:"rating_average"`
	OpenAlarms     int        `json:"open_alarms"`
	ArchiveOverdue int        `json:"archive_overdue"`
	AgencyOverdue  int        `json:"agency_overdue"`
}

func (h *Handlers) apiOffice(w http.ResponseWriter, r *http.Request) error {
	u := web.User(r)
	o, err := h.officeToday(r.Context(), u.OfficeID, u.OfficeName)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, OfficeJSON{Day: o.Day, OpenVisits: len(o.Open), Visits: o.Visits, AvgMinutes: o.AvgMinutes,
		Receipts: o.Receipts, ReceiptTotal: o.ReceiptTotal, Voided: o.Voided, Documents: o.Documents, Ratings: o.Rating.Ratings,
		RatingAverage: o.Rating.Average(), OpenAlarms: len(o.Alerts), ArchiveOverdue: o.ArchiveOverdue, AgencyOverdue: o.AgencyOverdue})
}
