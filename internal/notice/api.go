package notice

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/idno"
	"ebazhao/internal/platform/web"
)

func (h *Handlers) apiRoutes() {
	k := h.Kit
	k.API("GET /api/v1/documents", auth.DocumentIssue, h.apiList)
	k.API("POST /api/v1/documents", auth.DocumentIssue, h.apiIssue)
	k.API("POST /api/v1/documents/preview", auth.DocumentIssue, h.apiPreview)
	k.API("GET /api/v1/documents/reports", auth.ReportView, h.apiReports)
	k.API("GET /api/v1/documents/{id}", auth.DocumentIssue, h.apiShow)
	k.API("PUT /api/v1/documents/{id}", auth.DocumentIssue, h.apiAmend)
	k.API("POST /api/v1/documents/{id}/cancel", auth.DocumentIssue, h.apiCancel)
	k.API("GET /api/v1/documents/{id}/versions", auth.DocumentIssue, h.apiVersions)
	k.API("GET /api/v1/documents/{id}/pdf", auth.DocumentIssue, h.pdf)
	k.API("GET /api/v1/document-templates", auth.DocumentIssue, h.apiTemplates)
	k.API("POST /api/v1/document-templates", auth.TemplateManage, h.apiTemplateSave)
}

// DocumentJSON is the API shape of a document.
type DocumentJSON struct {
	ID              int64      `json:"id"`
	DocNo           string     `json:"doc_no"`
	Kind            Kind       `json:"kind"`
	KindLabel       string     `json:"kind_label"`
	Subtype         string     `json:"subtype,omitempty"`
	Item            string     `json:"item,omitempty"`
	OfficeID        int64      `json:"office_id"`
	Office          string     `json:"office"`
	Status          string     `json:"status"`
	Version         int        `json:"version"`
	RecipientIDNo   string     `json:"recipient_id_no,omitempty"`
	RecipientName   string     `json:"recipient_name"`
	IssuedOn        civil.Date `json:"issued_on"`
	IssuedAt        time.Time  `json:"issued_at"`
	IssuedBy        string     `json:"issued_by"`
	Deadline        civil.Date `json:"deadline,omitzero"`
	Amount          int64      `json:"amount,omitempty"`
	CalendarVersion string     `json:"calendar_version,omitempty"`
	CancelReason    string     `json:"cancel_reason,omitempty"`
	CancelledAt     *time.Time `json:"cancelled_at,omitempty"`
	PDF             string     `json:"pdf"`
	Content         *Content   `json:"content,omitempty"`
}

func docJSON(d *Document, withContent bool) DocumentJSON {
	j := DocumentJSON{ID: d.ID, DocNo: d.DocNo, Kind: d.Kind, KindLabel: d.Kind.Label(), Subtype: d.Subtype, Item: d.Item,
		OfficeID: d.OfficeID, Office: d.OfficeName, Status: d.Status, Version: d.Version, RecipientIDNo: d.RecipientIDNo,
		RecipientName: d.RecipientName, IssuedOn: d.IssuedOn, IssuedAt: d.IssuedAt, IssuedBy: d.IssuerName,
		Deadline: d.Deadline, Amount: d.Amount, CalendarVersion: d.CalendarVersion, CancelReason: d.CancelReason,
		PDF: fmt.Sprintf("/api/v1/documents/%d/pdf", d.ID)}
	if d.Cancelled() {
		t := d.CancelledAt
		j.CancelledAt = &t
	}
	if withContent {
		j.Content = d.Content
	}
	return j
}

func (h *Handlers) apiList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	u := web.User(r)
	f := Filter{OfficeID: u.OfficeID, DocNo: strings.TrimSpace(q.Get("doc_no"))}
	if p := q.Get("person"); p != "" {
		f.PersonIDNo = idno.Normalize(p)
		if _, err := idno.Validate(f.PersonIDNo); err != nil {
			return web.BadRequest("person：" + err.Error())
		}
		f.OfficeID = 0 // a person's history spans every office
	}
	if f.DocNo != "" {
		f.OfficeID = 0
	}
	if o := q.Get("office"); o != "" {
		var id int64 // all
		if o != "all" {
			var err error
			if id, err = strconv.ParseInt(o, 10, 64); err != nil {
				return web.BadRequest("office 應為戶所代號（數字）或 all")
			}
		}
		// Another office's documents, or every office's, are for city-wide roles.
		if id != u.OfficeID && !u.Can(auth.CityWide) {
			h.Kit.Audit(r, "document.list", "office", o, "", "denied", "office="+o)
			return web.Forbidden("僅能列出本所的文書；跨所清單限市府層級人員")
		}
		f.OfficeID = id
	}
	if k := q.Get("kind"); k != "" {
		kind, err := ParseKind(k)
		if err != nil {
			return web.Invalid(err)
		}
		f.Kind = kind
	}
	for _, p := range []struct {
		name string
		t    *civil.Date
	}{{"from", &f.From}, {"to", &f.To}} {
		if v := q.Get(p.name); v != "" {
			t, err := parseDate(p.name, p.name, v)
			if err != nil {
				return web.Invalid(err)
			}
			*p.t = t
		}
	}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 500 {
			return web.BadRequest("limit 應為1–500")
		}
		f.Limit = n
	}
	if b := q.Get("before_id"); b != "" {
		n, err := strconv.ParseInt(b, 10, 64)
		if err != nil {
			return web.BadRequest("before_id 應為數字")
		}
		f.BeforeID = n
	}
	docs, err := h.Service.List(r.Context(), f)
	if err != nil {
		return err
	}
	if f.PersonIDNo != "" {
		h.Kit.Audit(r, "document.history", "person", f.PersonIDNo, f.PersonIDNo, "ok", "api")
	}
	recipients := make([]string, 0, len(docs))
	for _, d := range docs {
		recipients = append(recipients, d.RecipientIDNo)
	}
	if err := h.Kit.AuditListed(r, "document.list", recipients, "api "+r.URL.RawQuery); err != nil {
		return err
	}
	out := make([]DocumentJSON, 0, len(docs))
	for _, d := range docs {
		out = append(out, docJSON(d, false))
	}
	return web.JSON(w, http.StatusOK, map[string]any{"documents": out})
}

func (h *Handlers) apiIssue(w http.ResponseWriter, r *http.Request) error {
	var in Input
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	if k, _ := ParseKind(string(in.Kind)); k == KindFine {
		// A fine decision is drafted; a supervisor approves and numbers it (作業規範 肆.一).
		f, err := h.Service.DraftFine(r.Context(), clerkOf(r), in)
		if err != nil {
			return userError(err)
		}
		return web.JSON(w, http.StatusAccepted, map[string]any{"draft_id": f.ID, "status": f.Status, "status_label": f.StatusLabel(),
			"amount": f.Amount, "page": fmt.Sprintf("/fine-drafts/%d", f.ID), "content": f.Content})
	}
	doc, err := h.Service.Issue(r.Context(), clerkOf(r), in)
	if err != nil {
		return userError(err)
	}
	return web.JSON(w, http.StatusCreated, docJSON(doc, true))
}

// PreviewJSON is the API answer of a preview.
type PreviewJSON struct {
	Facts           Facts     `json:"facts"`
	Recipient       Recipient `json:"recipient"`
	Text            string    `json:"text"`
	TextBasis       string    `json:"text_basis"`
	Items           []string  `json:"items,omitempty"`
	TemplateID      int64     `json:"template_id"`
	TemplateVersion int       `json:"template_version"`
	TemplateName    string    `json:"template_name"`
}

func (h *Handlers) apiPreview(w http.ResponseWriter, r *http.Request) error {
	var in Input
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	in.Text, in.TextBasis = "", ""
	c, _, err := h.Service.Preview(r.Context(), clerkOf(r), in)
	if err != nil {
		return userError(err)
	}
	return web.JSON(w, http.StatusOK, PreviewJSON{Facts: c.Facts, Recipient: c.Recipient, Text: c.Text, TextBasis: c.Basis, Items: c.Items,
		TemplateID: c.TemplateID, TemplateVersion: c.TemplateVersion, TemplateName: c.TemplateName})
}

func (h *Handlers) apiShow(w http.ResponseWriter, r *http.Request) error {
	doc, err := h.load(r)
	if err != nil {
		return err
	}
	h.Kit.Audit(r, "document.view", "document", strconv.FormatInt(doc.ID, 10), doc.RecipientIDNo, "ok", "api")
	return web.JSON(w, http.StatusOK, docJSON(doc, true))
}

func (h *Handlers) apiAmend(w http.ResponseWriter, r *http.Request) error {
	id, err := h.docID(r)
	if err != nil {
		return err
	}
	var body struct {
		Input
		Reason string `json:"reason"`
	}
	if err := web.DecodeJSON(r, &body); err != nil {
		return err
	}
	doc, err := h.Service.Amend(r.Context(), clerkOf(r), id, body.Input, body.Reason)
	if err != nil {
		return userError(err)
	}
	return web.JSON(w, http.StatusOK, docJSON(doc, true))
}

func (h *Handlers) apiCancel(w http.ResponseWriter, r *http.Request) error {
	id, err := h.docID(r)
	if err != nil {
		return err
	}
	var body struct {
		Reason string `json:"reason"`
	}
	if err := web.DecodeJSON(r, &body); err != nil {
		return err
	}
	doc, err := h.Service.Cancel(r.Context(), clerkOf(r), id, body.Reason)
	if err != nil {
		return userError(err)
	}
	return web.JSON(w, http.StatusOK, docJSON(doc, false))
}

func (h *Handlers) apiVersions(w http.ResponseWriter, r *http.Request) error {
	doc, err := h.load(r)
	if err != nil {
		return err
	}
	vs, err := h.Service.Versions(r.Context(), doc.ID)
	if err != nil {
		return err
	}
	type vj struct {
		Version int       `json:"version"`
		Reason  string    `json:"reason"`
		By      string    `json:"by"`
		At      time.Time `json:"at"`
		Content Content   `json:"content"`
	}
	out := make([]vj, 0, len(vs))
	for _, v := range vs {
		out = append(out, vj(v))
	}
	h.Kit.Audit(r, "document.view", "document", strconv.FormatInt(doc.ID, 10), doc.RecipientIDNo, "ok", "api versions")
	return web.JSON(w, http.StatusOK, map[string]any{"versions": out})
}

// TemplateJSON is the API shape of a template version.
type TemplateJSON struct {
	Template
	EffectiveFrom string `json:"effective_from"`
}

func (h *Handlers) apiTemplates(w http.ResponseWriter, r *http.Request) error {
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
	out := make([]TemplateJSON, 0, len(ts))
	for _, t := range ts {
		out = append(out, TemplateJSON{*t, t.EffectiveFrom.ISO()})
	}
	return web.JSON(w, http.StatusOK, map[string]any{"templates": out})
}

func (h *Handlers) apiTemplateSave(w http.ResponseWriter, r *http.Request) error {
	var body TemplateJSON
	if err := web.DecodeJSON(r, &body); err != nil {
		return err
	}
	t := body.Template
	var err error
	if t.EffectiveFrom, err = parseDate("effective_from", "生效日期", body.EffectiveFrom); err != nil {
		return web.Invalid(err)
	}
	if t.EffectiveFrom.IsZero() {
		t.EffectiveFrom = h.Service.Today()
	}
	if err := h.Service.SaveTemplate(r.Context(), web.Actor(r), &t); err != nil {
		return userError(err)
	}
	return web.JSON(w, http.StatusCreated, TemplateJSON{t, t.EffectiveFrom.ISO()})
}

func (h *Handlers) apiReports(w http.ResponseWriter, r *http.Request) error {
	officeID, year, err := h.reportScope(r)
	if err != nil {
		return err
	}
	rows, err := h.Service.Report(r.Context(), officeID, year)
	if err != nil {
		return err
	}
	if rows == nil {
		rows = []ReportRow{}
	}
	return web.JSON(w, http.StatusOK, map[string]any{"year": year, "rows": rows, "totals": KindTotals(rows)})
}
