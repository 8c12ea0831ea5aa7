package agency

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/web"
)

func (h *Handlers) apiRoutes() {
	k := h.Kit
	// Staff API (session or staff token).
	k.API("GET /api/v1/agency/kinds", auth.AgencyFile, h.apiKinds)
	k.API("GET /api/v1/agency/agencies", auth.AgencyFile, h.apiAgencies)
	k.API("POST /api/v1/agency/applications", auth.AgencyFile, h.apiCreate)
	k.API("GET /api/v1/agency/applications/{id}", auth.AgencyFile, h.apiShow)
	k.API("POST /api/v1/agency/applications/{id}/send", auth.AgencyFile, h.apiSend)
	k.API("GET /api/v1/agency/persons/{idno}/items", auth.AgencyFile, h.apiPerson)
	k.API("GET /api/v1/agency/stats", auth.ReportView, h.apiStats)
	// Partner API: no staff session; each handler checks the agency credential.
	k.Public("GET /api/v1/partner/me", h.partner(h.partnerMe))
	k.Public("GET /api/v1/partner/items", h.partner(h.partnerItems))
	k.Public("POST /api/v1/partner/items/{seq}/ack", h.partner(h.partnerAckOne))
	k.Public("POST /api/v1/partner/acks", h.partner(h.partnerAcks))
	k.Public("GET /api/v1/partner/signing-key", h.signingKey)
}

// ApplicationJSON is an application over the staff API.
type ApplicationJSON struct {
	ID                int64             `json:"id"`
	No                string            `json:"no"`
	Status            string            `json:"status"`
	Kind              string            `json:"kind"`
	Office            string            `json:"office"`
	SubjectIDNo       string            `json:"subject_id_no"`
	SubjectName       string            `json:"subject_name"`
	ApplicantName     string            `json:"applicant_name"`
	ApplicantRelation string            `json:"applicant_relation"`
	Fields            map[string]string `json:"fields"`
	CreatedAt         string            `json:"created_at"`
	SentAt            string            `json:"sent_at,omitempty"`
	Items             []ItemJSON        `json:"items"`
}

// ItemJSON is an item's tracking state over the staff API.
type ItemJSON struct {
	ID          int64      `json:"id"`
	Agency      string     `json:"agency"`
	AgencyName  string     `json:"agency_name"`
	Category    string     `json:"category"`
	AccountNo   string     `json:"account_no,omitempty"`
	Seq         int64      `json:"seq,omitempty"`
	State       string     `json:"state"`
	DeliveredAt string     `json:"delivered_at,omitempty"`
	Via         string     `json:"delivered_via,omitempty"`
	AckedAt     string     `json:"acknowledged_at,omitempty"`
	Reason      string     `json:"reason,omitempty"`
	DueOn       civil.Date `json:"due_on,omitzero"`
	Overdue     bool       `json:"overdue"`
}

func toJSON(a *Application, today civil.Date) ApplicationJSON {
	out := ApplicationJSON{ID: a.ID, No: a.No(), Status: a.Status, Kind: a.Kind, Office: a.OfficeName, SubjectIDNo: a.SubjectIDNo,
		SubjectName: a.SubjectName, ApplicantName: a.ApplicantName, ApplicantRelation: a.ApplicantRelation, Fields: a.Fields,
		CreatedAt: rfc(a.CreatedAt), SentAt: rfc(a.SentAt), Items: []ItemJSON{}}
	for _, it := range a.Items {
		out.Items = append(out.Items, ItemJSON{ID: it.ID, Agency: it.AgencyCode, AgencyName: it.AgencyName, Category: it.CategoryName,
			AccountNo: it.AccountNo, Seq: it.Seq, State: it.State(), DeliveredAt: rfc(it.DeliveredAt), Via: it.DeliveredVia,
			AckedAt: rfc(it.AckedAt), Reason: it.Reason, DueOn: it.DueDay, Overdue: it.Overdue(today)})
	}
	return out
}

func (h *Handlers) apiKinds(w http.ResponseWriter, r *http.Request) error {
	type field struct {
		Key      string `json:"key"`
		Label    string `json:"label"`
		Type     string `json:"type"`
		Required bool   `json:"required"`
	}
	type kind struct {
		Code              string  `json:"code"`
		Name              string  `json:"name"`
		ApplicantRequired bool    `json:"applicant_required"`
		Fields            []field `json:"fields"`
	}
	var out []kind
	for _, k := range Kinds {
		kk := kind{Code: k.Code, Name: k.Name, ApplicantRequired: k.ApplicantRequired}
		for _, f := range k.Fields {
			kk.Fields = append(kk.Fields, field{f.Key, f.Label, string(f.Type), f.Required})
		}
		out = append(out, kk)
	}
	return web.JSON(w, http.StatusOK, map[string]any{"kinds": out})
}

func (h *Handlers) apiAgencies(w http.ResponseWriter, r *http.Request) error {
	list, err := h.Svc.Agencies(r.Context(), AgencyFilter{ActiveOnly: true, Kind: r.URL.Query().Get("kind")})
	if err != nil {
		return err
	}
	type agencyJSON struct {
		ID              int64    `json:"id"`
		Code            string   `json:"code"`
		Name            string   `json:"name"`
		Category        string   `json:"category"`
		AccountLabel    string   `json:"account_label,omitempty"`
		AccountRequired bool     `json:"account_required"`
		Delivery        string   `json:"delivery"`
		AgreedDays      int      `json:"agreed_days"`
		Kinds           []string `json:"kinds"`
	}
	out := []agencyJSON{}
	for _, a := range list {
		out = append(out, agencyJSON{a.ID, a.Code, a.Name, a.CategoryName, a.AccountLabel, a.AccountRequired, a.Delivery, a.AgreedDays, a.KindCodes()})
	}
	return web.JSON(w, http.StatusOK, map[string]any{"agencies": out})
}

// apiCreate creates a draft (and sends it when "send" is true). The
// idempotency key comes from the Idempotency-Key header or the body.
func (h *Handlers) apiCreate(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		NewApplication
		Send bool `json:"send"`
	}
	if err := web.DecodeJSON(r, &body); err != nil {
		return err
	}
	if k := r.Header.Get("Idempotency-Key"); k != "" {
		body.IdempotencyKey = k
	}
	if !keyRE.MatchString(body.IdempotencyKey) {
		return web.BadRequest("需要 Idempotency-Key（16 至 100 個英數字、底線或連字號），重送時沿用同一個")
	}
	var counter int64
	if s := web.Session(r); s != nil {
		counter = s.CounterID
	}
	u := web.User(r)
	app, created, err := h.Svc.Create(r.Context(), u, counter, web.ClientAddr(r), body.NewApplication)
	if err != nil {
		return userErr(err)
	}
	if body.Send {
		if _, err := h.Svc.Send(r.Context(), u, web.ClientAddr(r), app.ID); err != nil {
			return userErr(err)
		}
		if app, err = h.Svc.Application(r.Context(), app.ID); err != nil {
			return err
		}
	}
	status := http.StatusCreated
	if !created {
		status = http.StatusOK
		w.Header().Set("Idempotent-Replayed", "true")
	}
	return web.JSON(w, status, toJSON(app, h.Svc.today()))
}

func (h *Handlers) apiShow(w http.ResponseWriter, r *http.Request) error {
	app, err := h.loadApp(r)
	if err != nil {
		return err
	}
	h.Kit.Audit(r, "agency.application.view", "agency_application", fmt.Sprint(app.ID), app.SubjectIDNo, "ok", "api")
	return web.JSON(w, http.StatusOK, toJSON(app, h.Svc.today()))
}

func (h *Handlers) apiSend(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := h.Svc.Send(r.Context(), web.User(r), web.ClientAddr(r), id); err != nil {
		return userErr(err)
	}
	app, err := h.Svc.Application(r.Context(), id)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, toJSON(app, h.Svc.today()))
}

func (h *Handlers) apiPerson(w http.ResponseWriter, r *http.Request) error {
	apps, err := h.Svc.ByPerson(r.Context(), r.PathValue("idno"))
	if err != nil {
		return err
	}
	h.Kit.Audit(r, "agency.person.view", "person", r.PathValue("idno"), r.PathValue("idno"), "ok", "api")
	out := []ApplicationJSON{}
	for _, a := range apps {
		out = append(out, toJSON(a, h.Svc.today()))
	}
	return web.JSON(w, http.StatusOK, map[string]any{"applications": out})
}

func (h *Handlers) apiStats(w http.ResponseWriter, r *http.Request) error {
	f, err := h.statsFilter(r)
	if err != nil {
		return err
	}
	rows, total, err := h.Svc.Stats(r.Context(), f)
	if err != nil {
		return web.Invalid(err)
	}
	return web.JSON(w, http.StatusOK, map[string]any{"from": f.From, "to": f.To, "group": f.GroupBy,
		"rows": rows, "total": total})
}

// partnerHandler is a partner API handler with its authenticated agency.
type partnerHandler func(w http.ResponseWriter, r *http.Request, a *Agency, tokenID int64) error

// partner checks the agency credential (Authorization: Bearer agy_…) and
// answers every refusal in JSON. Refusals are audited.
func (h *Handlers) partner(next partnerHandler) web.Handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		hdr := r.Header.Get("Authorization")
		tok, ok := strings.CutPrefix(hdr, "Bearer ")
		if !ok || !strings.HasPrefix(strings.TrimSpace(tok), TokenPrefix) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="ebazhao-partner"`)
			return web.JSON(w, http.StatusUnauthorized, map[string]string{"error": "需要合作機關憑證（Authorization: Bearer agy_…）", "request_id": web.RequestID(r)})
		}
		a, tokenID, err := h.Svc.AgencyByToken(r.Context(), strings.TrimSpace(tok))
		if errors.Is(err, ErrBadToken) {
			h.Kit.Audit(r, "agency.api.auth", "agency_token", "", "", "denied", r.Method+" "+r.URL.Path)
			w.Header().Set("WWW-Authenticate", `Bearer realm="ebazhao-partner", error="invalid_token"`)
			return web.JSON(w, http.StatusUnauthorized, map[string]string{"error": "合作機關憑證無效或已撤銷", "request_id": web.RequestID(r)})
		}
		if err != nil {
			return err
		}
		return next(w, r, a, tokenID)
	}
}

func (h *Handlers) partnerMe(w http.ResponseWriter, r *http.Request, a *Agency, tokenID int64) error {
	var last, open int64
	if err := h.Svc.DB.QueryRow(r.Context(), `SELECT COALESCE(MAX(seq), 0), COALESCE(SUM(CASE WHEN acked_at = '' THEN 1 ELSE 0 END), 0)
		FROM agency_items WHERE agency_id = ? AND seq IS NOT NULL`, a.ID).Scan(&last, &open); err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, map[string]any{"code": a.Code, "name": a.Name, "category": a.CategoryName, "delivery": a.Delivery,
		"agreed_days": a.AgreedDays, "kinds": a.KindCodes(), "last_seq": last, "unacknowledged": open, "token_id": tokenID})
}

func (h *Handlers) partnerItems(w http.ResponseWriter, r *http.Request, a *Agency, tokenID int64) error {
	q := r.URL.Query()
	var after int64
	var limit int
	var err error
	if s := q.Get("after"); s != "" {
		if after, err = strconv.ParseInt(s, 10, 64); err != nil || after < 0 {
			return web.BadRequest("after 須為非負整數（上次回應的 next_after）")
		}
	}
	if s := q.Get("limit"); s != "" {
		if limit, err = strconv.Atoi(s); err != nil || limit < 1 || limit > MaxPull {
			return web.BadRequest(fmt.Sprintf("limit 須為 1 至 %d", MaxPull))
		}
	}
	pending := q.Get("pending") == "1" || q.Get("pending") == "true"
	res, err := h.Svc.Pull(r.Context(), a, tokenID, web.ClientAddr(r), after, limit, pending)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, res)
}

func (h *Handlers) partnerAckOne(w http.ResponseWriter, r *http.Request, a *Agency, tokenID int64) error {
	seq, err := strconv.ParseInt(r.PathValue("seq"), 10, 64)
	if err != nil || seq <= 0 {
		return web.BadRequest("序號不正確")
	}
	var body Ack
	if err := web.DecodeJSON(r, &body); err != nil {
		return err
	}
	body.Seq = seq
	res, err := h.Svc.Acknowledge(r.Context(), a, fmt.Sprintf("token:%d", tokenID), web.ClientAddr(r), []Ack{body})
	if err != nil {
		return userErr(err)
	}
	status := http.StatusOK
	switch res[0].Code {
	case "invalid":
		status = http.StatusBadRequest
	case "not_found":
		status = http.StatusNotFound
	case "conflict":
		status = http.StatusConflict
	}
	return web.JSON(w, status, res[0])
}

func (h *Handlers) partnerAcks(w http.ResponseWriter, r *http.Request, a *Agency, tokenID int64) error {
	var body struct {
		Acks []Ack `json:"acks"`
	}
	if err := web.DecodeJSON(r, &body); err != nil {
		return err
	}
	if len(body.Acks) == 0 {
		return web.BadRequest("acks 不可為空")
	}
	res, err := h.Svc.Acknowledge(r.Context(), a, fmt.Sprintf("token:%d", tokenID), web.ClientAddr(r), body.Acks)
	if err != nil {
		return userErr(err)
	}
	return web.JSON(w, http.StatusOK, map[string]any{"results": res})
}

func rfc(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}
