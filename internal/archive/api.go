package archive

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/web"
)

// DocJSON is the API shape of a document.
type DocJSON struct {
	ID           int64      `json:"id"`
	Office       string     `json:"office"`
	OfficeID     int64      `json:"office_id"`
	Item         string     `json:"item"`
	ItemLabel    string     `json:"item_label"`
	RegDate      civil.Date `json:"reg_date"`
	Volume       string     `json:"volume,omitempty"`
	PageRef      string     `json:"page_ref,omitempty"`
	PageCount    int        `json:"page_count"`
	Version      int        `json:"version"`
	Current      bool       `json:"current"`
	SupersedesID int64      `json:"supersedes_id,omitempty"`
	Persons      []Person   `json:"persons"`
	Pages        []PageJSON `json:"pages,omitempty"`
}

// PageJSON describes one stored page.
type PageJSON struct {
	No     int    `json:"no"`
	Format string `json:"format"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
}

func docJSON(d *Doc) DocJSON {
	j := DocJSON{ID: d.ID, Office: d.OfficeName, OfficeID: d.OfficeID, Item: d.Item, ItemLabel: d.ItemLabel, RegDate: d.RegDate,
		Volume: d.Volume, PageRef: d.PageRef, PageCount: d.PageCount, Version: d.Version, Current: d.Current, SupersedesID: d.SupersedesID, Persons: d.Persons}
	for _, p := range d.Pages {
		j.Pages = append(j.Pages, PageJSON{No: p.No, Format: p.Format, Width: p.Width, Height: p.Height, Bytes: p.Bytes, SHA256: p.SHA})
	}
	if j.Persons == nil {
		j.Persons = []Person{}
	}
	return j
}

func (h *Handlers) apiItems(w http.ResponseWriter, r *http.Request) error {
	items, err := h.Svc.Items(r.Context())
	if err != nil {
		return err
	}
	out := make([]map[string]string, len(items))
	for i, it := range items {
		out[i] = map[string]string{"code": it.Code, "label": it.Label}
	}
	return web.JSON(w, http.StatusOK, map[string]any{"items": out})
}

func (h *Handlers) apiSearch(w http.ResponseWriter, r *http.Request) error {
	q, err := queryFrom(r.URL.Query())
	if err != nil {
		return webError(err)
	}
	res, err := h.Svc.Search(r.Context(), q)
	if err != nil {
		return webError(err)
	}
	out := make([]DocJSON, 0, len(res.Hits))
	var ids []string
	for _, hit := range res.Hits {
		out = append(out, DocJSON{ID: hit.DocID, Office: hit.OfficeName, OfficeID: hit.OfficeID, Item: hit.Item, ItemLabel: hit.ItemLabel,
			RegDate: hit.RegDate, Volume: hit.Volume, PageRef: hit.PageRef, PageCount: hit.PageCount, Version: hit.Version,
			Current: true, Persons: hit.Persons})
		ids = append(ids, fmt.Sprint(hit.DocID))
	}
	h.Kit.Audit(r, "archive.search", "archive_doc", strings.Join(ids, ","), q.IDNo, "ok", "api "+r.URL.RawQuery)
	return web.JSON(w, http.StatusOK, map[string]any{"docs": out, "more": res.More})
}

func (h *Handlers) apiUpload(w http.ResponseWriter, r *http.Request) error {
	_, d, err := h.ingest(w, r)
	if err != nil {
		return webError(err)
	}
	return web.JSON(w, http.StatusCreated, docJSON(d))
}

func (h *Handlers) apiDoc(w http.ResponseWriter, r *http.Request) error {
	d, err := h.loadDoc(r)
	if err != nil {
		return err
	}
	purpose := strings.TrimSpace(r.URL.Query().Get("purpose"))
	if purpose == "" {
		return web.BadRequest("調閱影像須註明目的（purpose）")
	}
	h.auditView(r, "archive.view", d, "api purpose="+purpose)
	return web.JSON(w, http.StatusOK, docJSON(d))
}

// CopyJSON is an issued copy, with what the fee subsystem needs to charge it.
type CopyJSON struct {
	ID        int64  `json:"id"`
	No        string `json:"no"`
	DocID     int64  `json:"doc_id"`
	Pages     []int  `json:"pages"`
	FeeItem   string `json:"fee_item"`
	Quantity  int    `json:"quantity"`
	FeeStatus string `json:"fee_status"`
	PrintURL  string `json:"print_url"`
}

func (h *Handlers) apiIssueCopy(w http.ResponseWriter, r *http.Request) error {
	d, err := h.loadDoc(r)
	if err != nil {
		return err
	}
	var j struct {
		Pages         string `json:"pages"`
		ApplicantName string `json:"applicant_name"`
		ApplicantIDNo string `json:"applicant_id_no"`
		Purpose       string `json:"purpose"`
		RequestID     int64  `json:"request_id"`
	}
	if err := web.DecodeJSON(r, &j); err != nil {
		return err
	}
	in, err := h.copyInput(r, d, j.ApplicantName, j.ApplicantIDNo, j.Purpose, j.Pages, j.RequestID)
	if err != nil {
		return webError(err)
	}
	c, err := h.Svc.IssueCopy(r.Context(), web.Actor(r), in)
	if err != nil {
		return webError(err)
	}
	return web.JSON(w, http.StatusCreated, CopyJSON{ID: c.ID, No: c.No, DocID: c.DocID, Pages: c.Pages, FeeItem: c.FeeItem,
		Quantity: c.Quantity, FeeStatus: c.FeeStatus, PrintURL: fmt.Sprintf("/archive/copies/%d", c.ID)})
}

// RequestJSON is the API shape of a cross-district request.
type RequestJSON struct {
	ID               int64  `json:"id"`
	No               string `json:"no"`
	Status           string `json:"status"`
	StatusLabel      string `json:"status_label"`
	ReceivingOffice  string `json:"receiving_office"`
	OriginalOffice   string `json:"original_office"`
	OriginalOfficeID int64  `json:"original_office_id"`
	ApplicantName    string `json:"applicant_name"`
	PersonIDNo       string `json:"person_id_no,omitempty"`
	PersonName       string `json:"person_name"`
	Item             string `json:"item"`
	ApproxDate       string `json:"approx_date,omitempty"`
	DocID            int64  `json:"doc_id,omitempty"`
	CopyID           int64  `json:"copy_id,omitempty"`
	FiledAt          string `json:"filed_at"`
	DueAt            string `json:"due_at"`
	Overdue          bool   `json:"overdue"`
}

func requestJSON(q *Request) RequestJSON {
	return RequestJSON{ID: q.ID, No: q.No, Status: q.Status, StatusLabel: q.StatusLabel(), ReceivingOffice: q.ReceivingOffice,
		OriginalOffice: q.OriginalOffice, OriginalOfficeID: q.OriginalOfficeID, ApplicantName: q.ApplicantName, PersonIDNo: q.PersonIDNo,
		PersonName: q.PersonName, Item: q.Item, ApproxDate: q.ApproxDate, DocID: q.DocID, CopyID: q.CopyID,
		FiledAt: q.FiledAt.UTC().Format("2006-01-02T15:04:05Z"), DueAt: q.DueAt.UTC().Format("2006-01-02T15:04:05Z"), Overdue: q.Overdue()}
}

func (h *Handlers) apiRequests(w http.ResponseWriter, r *http.Request) error {
	box := Box(r.URL.Query().Get("box"))
	if box != Outgoing {
		box = Incoming
	}
	list, err := h.Svc.Requests(r.Context(), web.User(r).OfficeID, box, r.URL.Query().Get("all") == "", 500)
	if err != nil {
		return err
	}
	out := make([]RequestJSON, 0, len(list))
	for _, q := range list {
		out = append(out, requestJSON(q))
	}
	return web.JSON(w, http.StatusOK, map[string]any{"requests": out})
}

func (h *Handlers) apiFileRequest(w http.ResponseWriter, r *http.Request) error {
	var j map[string]string
	if err := web.DecodeJSON(r, &j); err != nil {
		return err
	}
	in, err := requestInput(func(k string) string { return j[k] })
	if err != nil {
		return webError(err)
	}
	if v, ok := j["original_office_id"]; ok {
		in.OriginalOfficeID, _ = strconv.ParseInt(v, 10, 64)
	}
	q, err := h.Svc.FileRequest(r.Context(), web.Actor(r), in)
	if err != nil {
		return webError(err)
	}
	return web.JSON(w, http.StatusCreated, requestJSON(q))
}

func (h *Handlers) apiAct(w http.ResponseWriter, r *http.Request) error {
	q, err := h.loadRequest(r)
	if err != nil {
		return err
	}
	var j struct {
		Note  string `json:"note"`
		DocID int64  `json:"doc_id"`
	}
	if r.ContentLength != 0 {
		if err := web.DecodeJSON(r, &j); err != nil {
			return err
		}
	}
	action := r.PathValue("action")
	u := web.User(r)
	if (action == "accept" || action == "reject" || action == "fulfil") && !u.Can(auth.ArchiveScan) {
		return web.Forbidden("此動作限建檔人員或主管辦理")
	}
	if err := h.Svc.Act(r.Context(), web.Actor(r), u.Can(auth.CityWide), q.ID, action, j.Note, j.DocID); err != nil {
		return webError(err)
	}
	q, err = h.Svc.Request(r.Context(), q.ID)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, requestJSON(q))
}
