package archive

import (
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"ebazhao/internal/office"
	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/blob"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/web"
)

//go:embed viewer.js
var viewerJS []byte

// Handlers serves the archive pages and API.
type Handlers struct {
	Kit     *web.Kit
	Svc     *Service
	Offices *office.Store
}

// Mount builds the archive on d with its files under <dataDir>/blobs and
// registers its routes (the one line app.routes needs).
func Mount(k *web.Kit, d *db.DB, dataDir string) *Service {
	svc := NewService(d, blob.Default(dataDir))
	(&Handlers{Kit: k, Svc: svc, Offices: &office.Store{DB: d}}).Routes()
	return svc
}

// Routes registers the archive routes.
func (h *Handlers) Routes() {
	k := h.Kit
	k.Page("GET /archive", auth.ArchiveRead, h.search)
	k.Page("GET /archive/viewer.js", auth.ArchiveRead, h.viewerJS)
	k.Page("GET /archive/docs/new", auth.ArchiveScan, h.uploadForm)
	k.Page("POST /archive/docs", auth.ArchiveScan, h.upload)
	k.Page("GET /archive/docs/{id}", auth.ArchiveRead, h.show)
	k.Page("GET /archive/docs/{id}/pages/{n}", auth.ArchiveRead, h.pageImage)
	k.Page("POST /archive/docs/{id}/copies", auth.ArchiveRead, h.issueCopy)
	k.Page("GET /archive/copies/{id}", auth.ArchiveRead, h.showCopy)
	k.Page("GET /archive/copies/{id}/pages/{n}", auth.ArchiveRead, h.copyPage)
	k.Page("GET /archive/copies/{id}/pdf", auth.ArchiveRead, h.copyPDF)
	k.Page("GET /archive/requests", auth.ArchiveRead, h.requests)
	k.Page("GET /archive/requests/new", auth.ArchiveRead, h.requestForm)
	k.Page("POST /archive/requests", auth.ArchiveRead, h.fileRequest)
	k.Page("GET /archive/requests/{id}", auth.ArchiveRead, h.showRequest)
	k.Page("POST /archive/requests/{id}/act", auth.ArchiveRead, h.act)
	k.Page("GET /archive/reports", auth.ReportView, h.reports)

	k.API("GET /api/v1/archive/items", auth.ArchiveRead, h.apiItems)
	k.API("GET /api/v1/archive/docs", auth.ArchiveRead, h.apiSearch)
	k.API("POST /api/v1/archive/docs", auth.ArchiveScan, h.apiUpload)
	k.API("GET /api/v1/archive/docs/{id}", auth.ArchiveRead, h.apiDoc)
	k.API("GET /api/v1/archive/docs/{id}/pages/{n}", auth.ArchiveRead, h.pageImage)
	k.API("POST /api/v1/archive/docs/{id}/copies", auth.ArchiveRead, h.apiIssueCopy)
	k.API("GET /api/v1/archive/requests", auth.ArchiveRead, h.apiRequests)
	k.API("POST /api/v1/archive/requests", auth.ArchiveRead, h.apiFileRequest)
	k.API("POST /api/v1/archive/requests/{id}/{action}", auth.ArchiveRead, h.apiAct)
}

// Purposes offered when opening a document; every view is audited with one.
var Purposes = []string{"民眾申請核發影本", "跨區申請核發", "戶籍登記審核", "機關來函查詢", "建檔品質檢查"}

// webError turns archive errors into messages for the user.
func webError(err error) error {
	var ie *InputError
	var re *RejectError
	var de *DuplicateError
	var na *ErrNotAllowed
	var pu *PageUnreadableError
	switch {
	case errors.As(err, &ie):
		return web.Invalid(err)
	case errors.As(err, &re):
		return &web.Error{Status: http.StatusUnprocessableEntity, Msg: "無法建檔：" + re.Error(), Err: err}
	case errors.As(err, &de):
		return &web.Error{Status: http.StatusConflict, Msg: de.Error(), Err: err}
	case errors.As(err, &na):
		if na.WrongSide {
			return &web.Error{Status: http.StatusForbidden, Msg: na.Msg, Err: err}
		}
		return &web.Error{Status: http.StatusConflict, Msg: na.Msg, Err: err}
	case errors.As(err, &pu):
		return &web.Error{Status: http.StatusInternalServerError, Msg: pu.Message(), Err: err}
	case errors.Is(err, db.ErrNotFound):
		return web.NotFound("查無此筆資料")
	case errors.Is(err, blob.ErrNoSpace):
		return &web.Error{Status: http.StatusInsufficientStorage, Msg: blob.NoSpaceMessage, Err: err}
	}
	return err
}

func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, web.NotFound("查無此筆資料")
	}
	return id, nil
}

func parseDate(v, label string) (civil.Date, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return civil.Date{}, nil
	}
	t, err := civil.Parse(v)
	if err != nil {
		return civil.Date{}, &InputError{Msg: label + "：" + err.Error()}
	}
	return t, nil
}

// queryFrom reads a search from URL parameters (page and API alike).
func queryFrom(v url.Values) (Query, error) {
	q := Query{IDNo: v.Get("id_no"), Name: v.Get("name"), NameContains: v.Get("contains") != "", Item: v.Get("item")}
	var err error
	if q.From, err = parseDate(v.Get("from"), "起日"); err != nil {
		return q, err
	}
	if q.To, err = parseDate(v.Get("to"), "迄日"); err != nil {
		return q, err
	}
	q.OfficeID, _ = strconv.ParseInt(v.Get("office"), 10, 64)
	q.Offset, _ = strconv.Atoi(v.Get("offset"))
	q.Limit, _ = strconv.Atoi(v.Get("limit"))
	if q.Limit <= 0 || q.Limit > 200 {
		q.Limit = 50
	}
	return q, nil
}

// thumbURL inlines a thumbnail so that it can only be seen through the audited
// search or document view, never fetched on its own.
func (h *Handlers) thumbURL(r *http.Request, sha string) template.URL {
	if sha == "" {
		return ""
	}
	b, err := blob.Get(r.Context(), h.Svc.Blobs, sha)
	if err != nil {
		h.Kit.Log.Error("archive thumbnail", "sha", sha, "err", err)
		return ""
	}
	return template.URL("data:image/jpeg;base64," + base64.StdEncoding.EncodeToString(b))
}

type hitView struct {
	Hit
	Thumb template.URL
}

func (h *Handlers) search(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := web.User(r)
	items, err := h.Svc.Items(ctx)
	if err != nil {
		return err
	}
	offices, err := h.Offices.All(ctx)
	if err != nil {
		return err
	}
	counts, err := h.Svc.OfficeCounts(ctx, u.OfficeID)
	if err != nil {
		return err
	}
	v := r.URL.Query()
	purpose := strings.TrimSpace(v.Get("purpose"))
	if purpose == "" {
		purpose = Purposes[0]
	}
	data := map[string]any{"Items": items, "Offices": offices, "Counts": counts, "Form": v, "Purpose": purpose, "Purposes": Purposes}
	q, qerr := queryFrom(v)
	searched := !q.Empty() || v.Get("go") != ""
	if searched {
		data["Searched"] = true
		var res *Result
		if qerr == nil {
			res, qerr = h.Svc.Search(ctx, q)
		}
		if qerr != nil {
			var ie *InputError
			if !errors.As(qerr, &ie) {
				return qerr
			}
			data["Error"] = ie.Msg
		} else {
			hits := make([]hitView, len(res.Hits))
			var ids []string
			for i, hit := range res.Hits {
				hits[i] = hitView{Hit: hit, Thumb: h.thumbURL(r, hit.ThumbSHA)}
				ids = append(ids, fmt.Sprint(hit.DocID))
			}
			data["Hits"] = hits
			page := func(off int) template.URL {
				c := url.Values{}
				for k, vs := range v {
					c[k] = vs
				}
				c.Set("offset", strconv.Itoa(off))
				return template.URL("/archive?" + c.Encode())
			}
			if res.More {
				data["NextURL"] = page(q.Offset + q.Limit)
			}
			if q.Offset > 0 {
				data["PrevURL"] = page(max(0, q.Offset-q.Limit))
			}
			h.Kit.Audit(r, "archive.search", "archive_doc", strings.Join(ids, ","), q.IDNo, "ok", "purpose="+purpose+" "+r.URL.RawQuery)
		}
	}
	return h.Kit.Render(w, r, "archive_search", "申請書影像查詢", data)
}

func (h *Handlers) viewerJS(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	_, err := w.Write(viewerJS)
	return err
}

// --- viewing ---

func (h *Handlers) loadDoc(r *http.Request) (*Doc, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	d, err := h.Svc.Doc(r.Context(), id)
	if errors.Is(err, db.ErrNotFound) {
		return nil, web.NotFound(fmt.Sprintf("查無影像編號 %d", id))
	}
	return d, err
}

// auditView records a view of d's images: one entry per person concerned, so
// each person's audit history shows it.
func (h *Handlers) auditView(r *http.Request, action string, d *Doc, detail string) {
	ids := d.IDNos()
	if len(ids) == 0 {
		ids = []string{""}
	}
	for _, id := range ids {
		h.Kit.Audit(r, action, "archive_doc", fmt.Sprint(d.ID), id, "ok", detail)
	}
}

type pageView struct {
	PageRec
	Thumb template.URL
}

func (h *Handlers) show(w http.ResponseWriter, r *http.Request) error {
	d, err := h.loadDoc(r)
	if err != nil {
		return err
	}
	u := web.User(r)
	purpose := strings.TrimSpace(r.URL.Query().Get("purpose"))
	reqID, _ := strconv.ParseInt(r.URL.Query().Get("request"), 10, 64)
	data := map[string]any{"Doc": d, "Purpose": purpose, "Purposes": Purposes, "RequestID": reqID}
	if purpose == "" || len([]rune(purpose)) > 100 {
		// No view without a stated purpose: ask first, show nothing.
		return h.Kit.Render(w, r, "archive_doc", fmt.Sprintf("影像編號 %d", d.ID), data)
	}
	var req *Request
	if reqID != 0 { // another office pair's request (the applicant's ID) is refused before anything is shown
		if req, err = h.visibleRequest(r, reqID); err != nil {
			return err
		}
	}
	h.auditView(r, "archive.view", d, "purpose="+purpose)
	pages := make([]pageView, len(d.Pages))
	for i, p := range d.Pages {
		pages[i] = pageView{PageRec: p, Thumb: h.thumbURL(r, p.ThumbSHA)}
	}
	versions, err := h.Svc.Versions(r.Context(), d)
	if err != nil {
		return err
	}
	data["Pages"], data["Versions"], data["Request"] = pages, versions, req
	data["CanRescan"] = u.Can(auth.ArchiveScan) && u.CanActOnOffice(d.OfficeID) && d.Current
	return h.Kit.Render(w, r, "archive_doc", fmt.Sprintf("%s 申請書影像（%s）", d.ItemLabel, d.RegDate.ROCShort()), data)
}

func (h *Handlers) pageImage(w http.ResponseWriter, r *http.Request) error {
	d, err := h.loadDoc(r)
	if err != nil {
		return err
	}
	purpose := strings.TrimSpace(r.URL.Query().Get("purpose"))
	if purpose == "" {
		return web.BadRequest("調閱影像須註明目的（purpose）")
	}
	n, _ := strconv.Atoi(r.PathValue("n"))
	p, b, err := h.Svc.PageImage(r.Context(), d, n)
	if errors.Is(err, db.ErrNotFound) {
		return web.NotFound(fmt.Sprintf("本件沒有第 %d 頁", n))
	}
	if err != nil {
		if errors.Is(err, blob.ErrCorrupt) || errors.Is(err, blob.ErrNotFound) {
			h.Kit.Log.Error("archive page damaged", "doc", d.ID, "page", n, "err", err)
			return &web.Error{Status: http.StatusInternalServerError, Msg: "影像檔毀損或遺失，請通知機房人員自備份還原", Err: err}
		}
		return err
	}
	h.auditView(r, "archive.page.view", d, fmt.Sprintf("page=%d purpose=%s", n, purpose))
	w.Header().Set("Content-Type", p.ContentType())
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	_, err = w.Write(b)
	return err
}

// --- ingest ---

func (h *Handlers) formOffices(r *http.Request) ([]*office.Office, error) {
	all, err := h.Offices.All(r.Context())
	if err != nil {
		return nil, err
	}
	u := web.User(r)
	if u.Can(auth.CityWide) {
		return all, nil
	}
	var own []*office.Office
	for _, o := range all {
		if o.ID == u.OfficeID {
			own = append(own, o)
		}
	}
	return own, nil
}

type uploadData struct {
	Items       []Item
	Offices     []*office.Office
	OfficeID    int64
	Item        string
	RegDate     string
	Volume      string
	PageRef     string
	Note        string
	Persons     string
	RequestID   int64
	Request     *Request
	Supersede   *Doc
	Error       string
	DuplicateID int64
	Limits      Limits
	MaxMB       int64
	Roles       []string
}

func (h *Handlers) uploadData(r *http.Request, f *uploadData) error {
	var err error
	if f.Items, err = h.Svc.Items(r.Context()); err != nil {
		return err
	}
	if f.Offices, err = h.formOffices(r); err != nil {
		return err
	}
	f.Limits, f.Roles, f.MaxMB = h.Svc.Proc.Limits, Roles, h.Svc.Proc.Limits.MaxUploadBytes>>20
	if f.RequestID != 0 && f.Request == nil {
		if f.Request, err = h.visibleRequest(r, f.RequestID); err != nil {
			return err
		}
	}
	return nil
}

func (h *Handlers) uploadForm(w http.ResponseWriter, r *http.Request) error {
	u := web.User(r)
	f := &uploadData{OfficeID: u.OfficeID}
	f.RequestID, _ = strconv.ParseInt(r.URL.Query().Get("request"), 10, 64)
	if err := h.uploadData(r, f); err != nil {
		return err
	}
	if rq := f.Request; rq != nil {
		f.OfficeID, f.Item = rq.OriginalOfficeID, rq.Item
		f.Persons = strings.TrimSpace(rq.PersonIDNo + " " + rq.PersonName + " 當事人")
		if !rq.DateFrom.IsZero() {
			f.RegDate = rq.DateFrom.ROCShort()
		}
	}
	if sid, _ := strconv.ParseInt(r.URL.Query().Get("supersedes"), 10, 64); sid != 0 {
		d, err := h.Svc.Doc(r.Context(), sid)
		if err != nil {
			return webError(err)
		}
		f.Supersede, f.OfficeID, f.Item, f.RegDate, f.Volume, f.PageRef, f.Note = d, d.OfficeID, d.Item, d.RegDate.ROCShort(), d.Volume, d.PageRef, d.Note
		var lines []string
		for _, p := range d.Persons {
			lines = append(lines, strings.TrimSpace(p.IDNo+" "+p.Name+" "+p.Role))
		}
		f.Persons = strings.Join(lines, "\n")
	}
	return h.Kit.Render(w, r, "archive_upload", "影像掃描建檔", f)
}

// readUpload parses a multipart upload: the file and the index fields.
func (h *Handlers) readUpload(w http.ResponseWriter, r *http.Request) (DocInput, []byte, error) {
	limit := h.Svc.Proc.Limits.MaxUploadBytes
	r.Body = http.MaxBytesReader(w, r.Body, limit+(1<<20))
	var in DocInput
	if err := r.ParseMultipartForm(16 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return in, nil, &RejectError{Reason: fmt.Sprintf("檔案過大（上限 %d MB）", limit>>20), Err: err}
		}
		return in, nil, &InputError{Msg: "上傳格式錯誤，請重新選擇檔案"}
	}
	v := r.MultipartForm.Value
	get := func(k string) string {
		if len(v[k]) > 0 {
			return v[k][0]
		}
		return ""
	}
	in.OfficeID, _ = strconv.ParseInt(get("office"), 10, 64)
	in.Item, in.Volume, in.PageRef, in.Note = get("item"), get("volume"), get("page_ref"), get("note")
	in.Persons = ParsePersons(get("persons"))
	in.RequestID, _ = strconv.ParseInt(get("request"), 10, 64)
	in.Supersedes, _ = strconv.ParseInt(get("supersedes"), 10, 64)
	var err error
	if in.RegDate, err = parseDate(get("reg_date"), "登記日期"); err != nil {
		return in, nil, err
	}
	files := r.MultipartForm.File["file"]
	if len(files) == 0 {
		return in, nil, &InputError{Msg: "請選擇掃描檔"}
	}
	in.SourceName = files[0].Filename
	fh, err := files[0].Open()
	if err != nil {
		return in, nil, err
	}
	defer fh.Close()
	b, err := io.ReadAll(fh)
	return in, b, err
}

func (h *Handlers) ingest(w http.ResponseWriter, r *http.Request) (DocInput, *Doc, error) {
	in, file, err := h.readUpload(w, r)
	if err != nil {
		return in, nil, err
	}
	u := web.User(r)
	if in.OfficeID != 0 && !u.CanActOnOffice(in.OfficeID) {
		h.Kit.Audit(r, "archive.ingest", "office", fmt.Sprint(in.OfficeID), "", "denied", "other office")
		return in, nil, &ErrNotAllowed{Msg: "僅能為本所檔存的申請書建檔", WrongSide: true}
	}
	in.CityWide = u.Can(auth.CityWide)
	d, err := h.Svc.Ingest(r.Context(), web.Actor(r), in, file)
	if err != nil {
		h.Kit.Log.Info("archive ingest refused", "user", u.Username, "file", in.SourceName, "bytes", len(file), "err", err)
	}
	return in, d, err
}

func (h *Handlers) upload(w http.ResponseWriter, r *http.Request) error {
	in, d, err := h.ingest(w, r)
	if err != nil {
		var ie *InputError
		var re *RejectError
		var de *DuplicateError
		if !errors.As(err, &ie) && !errors.As(err, &re) && !errors.As(err, &de) {
			return webError(err)
		}
		f := &uploadData{OfficeID: in.OfficeID, Item: in.Item, Volume: in.Volume, PageRef: in.PageRef, Note: in.Note, RequestID: in.RequestID}
		if r.MultipartForm != nil {
			f.RegDate = strings.Join(r.MultipartForm.Value["reg_date"], "")
			f.Persons = strings.Join(r.MultipartForm.Value["persons"], "")
		}
		if in.Supersedes != 0 {
			f.Supersede, _ = h.Svc.Doc(r.Context(), in.Supersedes)
		}
		if ferr := h.uploadData(r, f); ferr != nil {
			return ferr
		}
		f.Error = err.Error()
		if re != nil {
			f.Error = "無法建檔：" + re.Error()
		}
		if de != nil {
			f.DuplicateID = de.DocID
		}
		w.WriteHeader(http.StatusUnprocessableEntity)
		return h.Kit.Render(w, r, "archive_upload", "影像掃描建檔", f)
	}
	msg := fmt.Sprintf("已建檔：影像編號 %d，共 %d 頁", d.ID, d.PageCount)
	if in.RequestID != 0 {
		msg += "，並已回傳跨區申請案"
	}
	return web.Redirect(w, r, fmt.Sprintf("/archive/docs/%d?purpose=%s", d.ID, url.QueryEscape("建檔品質檢查")), msg)
}

// --- certified copies ---

func (h *Handlers) copyInput(r *http.Request, d *Doc, applicant, applicantID, purpose, pages string, reqID int64) (CopyInput, error) {
	ps, err := ParsePages(pages, d.PageCount)
	if err != nil {
		return CopyInput{}, err
	}
	return CopyInput{DocID: d.ID, Pages: ps, ApplicantName: applicant, ApplicantIDNo: applicantID, Purpose: purpose,
		RequestID: reqID, CityWide: web.User(r).Can(auth.CityWide)}, nil
}

func (h *Handlers) issueCopy(w http.ResponseWriter, r *http.Request) error {
	d, err := h.loadDoc(r)
	if err != nil {
		return err
	}
	reqID, _ := strconv.ParseInt(r.PostFormValue("request"), 10, 64)
	in, err := h.copyInput(r, d, r.PostFormValue("applicant_name"), r.PostFormValue("applicant_id_no"), r.PostFormValue("purpose"), r.PostFormValue("pages"), reqID)
	if err != nil {
		return webError(err)
	}
	c, err := h.Svc.IssueCopy(r.Context(), web.Actor(r), in)
	if err != nil {
		return webError(err)
	}
	return web.Redirect(w, r, fmt.Sprintf("/archive/copies/%d", c.ID), fmt.Sprintf("已登錄影本 %s（%d 頁），請列印並收取規費", c.No, c.Quantity))
}

func (h *Handlers) loadCopy(r *http.Request) (*Copy, *Doc, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, nil, err
	}
	c, err := h.Svc.Copy(r.Context(), id)
	if err != nil {
		return nil, nil, webError(err)
	}
	u := web.User(r)
	if !u.CanActOnOffice(c.OfficeID) {
		return nil, nil, web.Forbidden("此影本由" + c.OfficeName + "核發，僅能由該所列印")
	}
	d, err := h.Svc.Doc(r.Context(), c.DocID)
	return c, d, err
}

func (h *Handlers) showCopy(w http.ResponseWriter, r *http.Request) error {
	c, d, err := h.loadCopy(r)
	if err != nil {
		return err
	}
	return h.Kit.Render(w, r, "archive_copy", "檔存申請書影本 "+c.No, map[string]any{"Copy": c, "Doc": d})
}

func (h *Handlers) copyPage(w http.ResponseWriter, r *http.Request) error {
	c, d, err := h.loadCopy(r)
	if err != nil {
		return err
	}
	n, _ := strconv.Atoi(r.PathValue("n"))
	b, err := h.Svc.CopyPage(r.Context(), c, d, n)
	if err != nil {
		return webError(err)
	}
	h.auditView(r, "archive.copy.print", d, fmt.Sprintf("copy=%s page=%d purpose=%s", c.No, n, c.Purpose))
	w.Header().Set("Content-Type", "image/jpeg")
	_, err = w.Write(b)
	return err
}

// copyPDF serves the whole copy as one A4 PDF to print.
func (h *Handlers) copyPDF(w http.ResponseWriter, r *http.Request) error {
	c, d, err := h.loadCopy(r)
	if err != nil {
		return err
	}
	b, err := h.Svc.CopyPDF(r.Context(), c, d)
	if err != nil {
		return webError(err)
	}
	h.auditView(r, "archive.copy.print", d, fmt.Sprintf("copy=%s pages=%s format=pdf purpose=%s", c.No, joinInts(c.Pages), c.Purpose))
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename="archive-copy-%s.pdf"`, c.No))
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	_, err = w.Write(b)
	return err
}

// --- cross-district requests ---

func (h *Handlers) requests(w http.ResponseWriter, r *http.Request) error {
	u := web.User(r)
	box := Box(r.URL.Query().Get("box"))
	if box != Outgoing {
		box = Incoming
	}
	all := r.URL.Query().Get("all") != ""
	list, err := h.Svc.Requests(r.Context(), u.OfficeID, box, !all, 200)
	if err != nil {
		return err
	}
	counts, err := h.Svc.OfficeCounts(r.Context(), u.OfficeID)
	if err != nil {
		return err
	}
	return h.Kit.Render(w, r, "archive_requests", "跨區調閱申請", map[string]any{"Box": string(box), "All": all, "Requests": list, "Counts": counts})
}

func (h *Handlers) requestForm(w http.ResponseWriter, r *http.Request) error {
	return h.renderRequestForm(w, r, r.URL.Query(), "")
}

func (h *Handlers) renderRequestForm(w http.ResponseWriter, r *http.Request, v url.Values, msg string) error {
	items, err := h.Svc.Items(r.Context())
	if err != nil {
		return err
	}
	offices, err := h.Offices.All(r.Context())
	if err != nil {
		return err
	}
	if msg != "" {
		w.WriteHeader(http.StatusUnprocessableEntity)
	}
	return h.Kit.Render(w, r, "archive_request_form", "提出跨區調閱申請", map[string]any{"Items": items, "Offices": offices, "Form": v, "Error": msg, "MyOffice": web.User(r).OfficeID})
}

func requestInput(get func(string) string) (RequestInput, error) {
	in := RequestInput{ApplicantName: get("applicant_name"), ApplicantIDNo: get("applicant_id_no"), ApplicantPhone: get("applicant_phone"),
		PersonIDNo: get("person_id_no"), PersonName: get("person_name"), Item: get("item"), ApproxDate: get("approx_date"), Note: get("note")}
	in.OriginalOfficeID, _ = strconv.ParseInt(get("original_office"), 10, 64)
	var err error
	if in.DateFrom, err = parseDate(get("date_from"), "日期起"); err != nil {
		return in, err
	}
	in.DateTo, err = parseDate(get("date_to"), "日期迄")
	return in, err
}

func (h *Handlers) fileRequest(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return web.BadRequest("表單格式錯誤")
	}
	in, err := requestInput(r.PostForm.Get)
	var rq *Request
	if err == nil {
		rq, err = h.Svc.FileRequest(r.Context(), web.Actor(r), in)
	}
	if err != nil {
		var ie *InputError
		if errors.As(err, &ie) {
			return h.renderRequestForm(w, r, r.PostForm, ie.Msg)
		}
		return err
	}
	return web.Redirect(w, r, fmt.Sprintf("/archive/requests/%d", rq.ID),
		fmt.Sprintf("已送出跨區調閱申請 %s 至%s；請以電話通知該所協助辦理", rq.No, rq.OriginalOffice))
}

func (h *Handlers) loadRequest(r *http.Request) (*Request, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return h.visibleRequest(r, id)
}

// visibleRequest loads cross-district request id for r's user: only the two
// offices concerned (and the city-wide admins) see a request — its applicant's
// ID and the person's — whether by its own page or named by ?request= on a
// document or the scanning form. A refusal is audited.
func (h *Handlers) visibleRequest(r *http.Request, id int64) (*Request, error) {
	rq, err := h.Svc.Request(r.Context(), id)
	if err != nil {
		return nil, webError(err)
	}
	u := web.User(r)
	if !u.CanActOnOffice(rq.OriginalOfficeID) && !u.CanActOnOffice(rq.ReceivingOfficeID) {
		h.Kit.Audit(r, "archive.request.view", "archive_request", fmt.Sprint(id), rq.PersonIDNo, "denied",
			fmt.Sprintf("other office (request of offices %d and %d) at %s", rq.ReceivingOfficeID, rq.OriginalOfficeID, r.URL.Path))
		return nil, web.Forbidden("此跨區調閱申請案不屬於本所")
	}
	return rq, nil
}

func (h *Handlers) showRequest(w http.ResponseWriter, r *http.Request) error {
	rq, err := h.loadRequest(r)
	if err != nil {
		return err
	}
	u := web.User(r)
	h.Kit.Audit(r, "archive.request.view", "archive_request", fmt.Sprint(rq.ID), rq.PersonIDNo, "ok", "")
	wide := u.Can(auth.CityWide)
	return h.Kit.Render(w, r, "archive_request", "跨區調閱申請 "+rq.No, map[string]any{
		"Req": rq, "Actions": rq.Actions(u.OfficeID, wide),
		"CanScan":      rq.Open() && rq.may(Original, u.OfficeID, wide) && u.Can(auth.ArchiveScan),
		"CanIssue":     rq.Status == StatusFulfilled && rq.may(Receiving, u.OfficeID, wide),
		"IssuePurpose": url.QueryEscape("跨區申請核發 " + rq.No)})
}

func (h *Handlers) act(w http.ResponseWriter, r *http.Request) error {
	rq, err := h.loadRequest(r)
	if err != nil {
		return err
	}
	action := r.PostFormValue("action")
	docID, _ := strconv.ParseInt(r.PostFormValue("doc_id"), 10, 64)
	if action == "fulfil" && docID == 0 {
		return web.BadRequest("請輸入要回傳的影像編號")
	}
	u := web.User(r)
	if (action == "accept" || action == "reject" || action == "fulfil") && !u.Can(auth.ArchiveScan) {
		return web.Forbidden("此動作限建檔人員或主管辦理")
	}
	if err := h.Svc.Act(r.Context(), web.Actor(r), u.Can(auth.CityWide), rq.ID, action, r.PostFormValue("note"), docID); err != nil {
		return webError(err)
	}
	t, _ := transition(action)
	return web.Redirect(w, r, fmt.Sprintf("/archive/requests/%d", rq.ID), "申請案已"+t.Label)
}

// --- reports ---

func (h *Handlers) reports(w http.ResponseWriter, r *http.Request) error {
	today := civil.Of(h.Svc.Now())
	from, err := parseDate(r.URL.Query().Get("from"), "起日")
	if err != nil {
		return webError(err)
	}
	to, err := parseDate(r.URL.Query().Get("to"), "迄日")
	if err != nil {
		return webError(err)
	}
	if to.IsZero() {
		to = today
	}
	if from.IsZero() {
		from = to.AddDays(-30)
	}
	rep, err := h.Svc.Report(r.Context(), from, to)
	if err != nil {
		return err
	}
	return h.Kit.Render(w, r, "archive_reports", "申請書影像報表", rep)
}
