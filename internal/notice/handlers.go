package notice

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"ebazhao/internal/legal"
	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/idno"
	"ebazhao/internal/platform/web"
)

// Handlers serves the document pages and API.
type Handlers struct {
	Kit *web.Kit
	// Service is built on Kit.DB when nil.
	Service *Service
	// OnIssued, when set, is copied to the service: called after a one-time
	// notice is committed (opens the counter's rating terminal).
	OnIssued func(ctx context.Context, doc Issued) error
}

// Routes registers the document routes and loads the built-in templates.
func (h *Handlers) Routes() {
	if h.Service == nil {
		h.Service = NewService(h.Kit.DB)
	}
	if h.OnIssued != nil {
		h.Service.OnIssued = h.OnIssued
	}
	if h.Kit.Log != nil {
		h.Service.Log = h.Kit.Log
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	if err := h.Service.ensureSeeded(ctx); err != nil && h.Kit.Log != nil {
		h.Kit.Log.Error("document templates not loaded; retried at first use", "err", err)
	}
	cancel()
	k := h.Kit
	k.Page("GET /documents", auth.DocumentIssue, h.index)
	k.Page("GET /documents/new", auth.DocumentIssue, h.newForm)
	k.Page("POST /documents/new", auth.DocumentIssue, h.create)
	k.Page("POST /documents/preview", auth.DocumentIssue, h.preview)
	k.Page("GET /documents/recipient", auth.DocumentIssue, h.recipient)
	k.Page("GET /documents/onetime-items", auth.DocumentIssue, h.oneTimeItems)
	k.Page("GET /documents/reports", auth.ReportView, h.reports)
	k.Page("GET /documents/reports.xlsx", auth.ReportView, h.reportsXLSX)
	k.Page("GET /fine-drafts", auth.FineApprove, h.approvals)
	k.Page("GET /fine-drafts/{id}", auth.DocumentIssue, h.draftShow)
	k.Page("GET /fine-drafts/{id}/pdf", auth.DocumentIssue, h.draftPDF)
	k.Page("POST /fine-drafts/{id}/approve", auth.FineApprove, h.draftApprove)
	k.Page("POST /fine-drafts/{id}/reject", auth.FineApprove, h.draftReject)
	k.Page("GET /documents/{id}", auth.DocumentIssue, h.show)
	k.Page("GET /documents/{id}/pdf", auth.DocumentIssue, h.pdf)
	k.Page("GET /documents/{id}/edit", auth.DocumentIssue, h.editForm)
	k.Page("POST /documents/{id}/edit", auth.DocumentIssue, h.amend)
	k.Page("POST /documents/{id}/preview", auth.DocumentIssue, h.previewAmend)
	k.Page("POST /documents/{id}/cancel", auth.DocumentIssue, h.cancel)
	k.Page("POST /documents/{id}/service", auth.DocumentIssue, h.recordService)
	k.Page("GET /persons/{idno}/documents", auth.DocumentIssue, h.history)
	k.Page("GET /document-templates", auth.DocumentIssue, h.templates)
	k.Page("GET /document-templates/new", auth.TemplateManage, h.templateForm)
	k.Page("POST /document-templates", auth.TemplateManage, h.templateSave)
	k.Page("GET /document-templates/{id}", auth.DocumentIssue, h.templateShow)
	h.apiRoutes()
}

// clerkOf is the acting clerk of r.
func clerkOf(r *http.Request) Clerk {
	u := web.User(r)
	c := Clerk{UserID: u.ID, Username: u.Username, Name: u.DisplayName, OfficeID: u.OfficeID,
		Supervisor: u.Can(auth.FeeVoidApprove), Approver: u.Can(auth.FineApprove), CityWide: u.Can(auth.CityWide), Audit: web.Actor(r)}
	if s := web.Session(r); s != nil {
		c.CounterID = s.CounterID
	}
	return c
}

// userError turns the service's errors into web errors.
func userError(err error) error {
	var fe *FieldError
	var le *legal.InputError
	var fb *ForbiddenError
	var ce *ConflictError
	switch {
	case errors.As(err, &fe):
		return web.Invalid(err)
	case errors.As(err, &le):
		return web.Invalid(err)
	case errors.As(err, &fb):
		return web.Forbidden(fb.Message)
	case errors.As(err, &ce):
		return web.Conflict(ce.Message)
	case errors.Is(err, db.ErrNotFound):
		return web.NotFound("查無此文書")
	}
	return err
}

func (h *Handlers) docID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, web.NotFound("查無文書「" + r.PathValue("id") + "」")
	}
	return id, nil
}

func (h *Handlers) load(r *http.Request) (*Document, error) {
	id, err := h.docID(r)
	if err != nil {
		return nil, err
	}
	doc, err := h.Service.Get(r.Context(), id)
	if errors.Is(err, db.ErrNotFound) {
		return nil, web.NotFound("查無文書「" + r.PathValue("id") + "」")
	}
	return doc, err
}

// inputFromForm reads the issue form.
func inputFromForm(r *http.Request) (Input, error) {
	if err := r.ParseForm(); err != nil {
		return Input{}, web.BadRequest("表單格式錯誤")
	}
	f := r.PostForm
	in := Input{
		Kind: Kind(f.Get("kind")), Subtype: f.Get("subtype"), Item: f.Get("item"), Basis: f.Get("basis"), Subject: f.Get("subject"),
		EventDate: f.Get("event_date"), RegistrationDate: f.Get("registration_date"), NoticeDeadline: f.Get("notice_deadline"),
		Delivery: f.Get("delivery"), Justified: f.Get("justified") != "", DiscoveredBy: f.Get("discovered_by"),
		FalseMatter: f.Get("false_matter"), AmountReason: f.Get("amount_reason"), ReminderRef: f.Get("reminder_ref"), ReminderServed: f.Get("reminder_served"),
		AcceptedDate: f.Get("accepted_date"), Applicant: f.Get("applicant"), FixBy: f.Get("fix_by"), Note: f.Get("note"),
		Text: f.Get("text"), TextBasis: f.Get("text_basis"),
		Recipient: Recipient{IDNo: f.Get("recipient_id_no"), Name: f.Get("recipient_name"), BirthDate: f.Get("recipient_birth_date"),
			AddressKind: f.Get("recipient_address_kind"), Address: f.Get("recipient_address")},
	}
	if in.Kind == KindOneTime {
		in.Items = []string{} // what the clerk ticked, even nothing: never the package by default
	}
	in.Items = append(in.Items, f["items"]...)
	if extra := strings.TrimSpace(f.Get("extra_items")); extra != "" {
		in.Items = append(in.Items, extra)
	}
	if s := strings.TrimSpace(f.Get("amount")); s != "" {
		n, err := strconv.Atoi(strings.NewReplacer(",", "", "元", "", "新臺幣", "").Replace(s))
		if err != nil {
			return in, fieldErr("amount", "罰鍰金額「%s」應為整數（元）", s)
		}
		in.Amount = &n
	}
	if s := strings.TrimSpace(f.Get("reminder_days")); s != "" {
		n, err := strconv.Atoi(strings.TrimSuffix(s, "日"))
		if err != nil {
			return in, fieldErr("reminder_days", "催告期限日數「%s」應為整數", s)
		}
		in.ReminderDays = n
	}
	return in, nil
}

// formData is what the issue and amend forms show.
type formData struct {
	Kind          KindInfo
	Kinds         []KindInfo
	In            Input
	Values        url.Values
	Subtypes      []string
	Registrations []string
	Bases         []string
	Categories    []string
	Package       []string // the chosen quick package's items
	Menu          []string // preset items not in the package
	Known         *Known
	AddressKinds  []AddressKind
	DiscoveredBy  []string
	Preview       *previewData
	Error         string
	ErrorField    string
	Doc           *Document // amending this
	Action        string
	PreviewAction string
}

type previewData struct {
	C        *Content
	Template *Template
	Error    string
	Field    string
}

func (h *Handlers) subtypes(ctx context.Context, k Kind) []string {
	switch k {
	case KindReminder:
		return reminderTypes()
	case KindFine:
		return FineSubtypes()
	case KindConfirm:
		return ConfirmSubtypes()
	case KindNotice:
		ts, err := h.Service.Templates(ctx, TemplateFilter{Kind: KindNotice})
		if err != nil {
			return nil
		}
		out := []string{"通知申請登記"}
		for _, t := range ts {
			if !slices.Contains(out, t.Subtype) && !t.Retired {
				out = append(out, t.Subtype)
			}
		}
		return out
	}
	return nil
}

func (h *Handlers) categories(ctx context.Context) ([]string, map[string][]string) {
	ts, err := h.Service.Templates(ctx, TemplateFilter{Kind: KindOneTime})
	if err != nil {
		return nil, nil
	}
	var cats []string
	items := map[string][]string{}
	for _, t := range ts {
		if t.Retired {
			continue
		}
		if t.Item != "" {
			cats = append(cats, t.Item)
		}
		items[t.Item] = t.Items
	}
	return cats, items
}

func (h *Handlers) fillForm(ctx context.Context, fd *formData) {
	fd.Kinds = Kinds()
	fd.Subtypes = h.subtypes(ctx, fd.Kind.Kind)
	fd.Registrations = legal.RegistrationNames()
	fd.Bases = legal.Bases()
	fd.AddressKinds = AddressKinds
	fd.DiscoveredBy = legal.DiscoveredBy
	if fd.Kind.Kind == KindOneTime {
		cats, items := h.categories(ctx)
		fd.Categories = cats
		fd.Package = items[fd.In.Item]
		for _, it := range append(slices.Clone(items[""]), flatten(items, cats)...) {
			if !slices.Contains(fd.Package, it) && !slices.Contains(fd.Menu, it) {
				fd.Menu = append(fd.Menu, it)
			}
		}
	}
	if fd.In.Recipient.IDNo != "" && fd.Known == nil {
		fd.Known, _ = h.Service.LookupRecipient(ctx, fd.In.Recipient.IDNo)
		if k := fd.Known; k != nil && fd.In.Recipient.Name == "" {
			r := &fd.In.Recipient
			if r.AddressKind == "" {
				r.AddressKind = orDefault(k.AddressKind, "household")
			}
			r.Name, r.BirthDate, r.Address = k.Name, k.BirthDate, k.Address(r.AddressKind)
		}
	}
}

func flatten(items map[string][]string, cats []string) []string {
	var out []string
	for _, c := range cats {
		out = append(out, items[c]...)
	}
	return out
}

func (h *Handlers) index(w http.ResponseWriter, r *http.Request) error {
	u := web.User(r)
	q := r.URL.Query()
	f := Filter{OfficeID: u.OfficeID, Limit: 50}
	if k := q.Get("kind"); k != "" {
		kind, err := ParseKind(k)
		if err != nil {
			return web.Invalid(err)
		}
		f.Kind = kind
	}
	if q.Get("mine") != "" {
		f.IssuedBy = u.ID
	}
	search := strings.TrimSpace(q.Get("q"))
	if search != "" {
		n := idno.Normalize(search)
		if idno.Valid(n) {
			http.Redirect(w, r, "/persons/"+n+"/documents", http.StatusSeeOther)
			return nil
		}
		f.DocNo, f.OfficeID = search, 0
	}
	docs, err := h.Service.List(r.Context(), f)
	if err != nil {
		return err
	}
	return h.Kit.Render(w, r, "notice_index", "行政文書", map[string]any{"Docs": docs, "Kinds": Kinds(), "Q": search,
		"Kind": string(f.Kind), "Mine": q.Get("mine") != ""})
}

func (h *Handlers) newForm(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	k := Kind(q.Get("kind"))
	if k == "" {
		k = KindNotice
	}
	info, ok := k.Info()
	if !ok {
		return web.NotFound("沒有「" + string(k) + "」這種文書")
	}
	in := Input{Kind: k, Subtype: q.Get("subtype"), Item: q.Get("item"), Recipient: Recipient{IDNo: q.Get("id_no")}}
	if k == KindOneTime && in.Item == "" {
		in.Item = q.Get("package")
	}
	fd := &formData{Kind: info, In: in, Action: "/documents/new", PreviewAction: "/documents/preview"}
	h.fillForm(r.Context(), fd)
	if k == KindOneTime && in.Item != "" {
		fd.In.Items = fd.Package
	}
	return h.Kit.Render(w, r, "notice_form", "開立"+info.Label, fd)
}

// preview answers the form's 帶入內容 (htmx): the computed facts and the filled,
// editable text, or the error to fix.
func (h *Handlers) preview(w http.ResponseWriter, r *http.Request) error {
	in, err := inputFromForm(r)
	in.Text, in.TextBasis = "", ""
	pd := &previewData{}
	if err == nil {
		pd.C, pd.Template, err = h.Service.Preview(r.Context(), clerkOf(r), in)
	}
	if err != nil {
		if !IsInputError(err) {
			return err
		}
		pd.Error, pd.Field = err.Error(), errField(err)
	}
	return h.Kit.RenderFragment(w, r, "notice_form", "preview", pd)
}

func errField(err error) string {
	var fe *FieldError
	if errors.As(err, &fe) {
		return fe.Field
	}
	var le *legal.InputError
	if errors.As(err, &le) {
		return le.Field
	}
	return ""
}

func (h *Handlers) create(w http.ResponseWriter, r *http.Request) error {
	in, err := inputFromForm(r)
	var doc *Document
	var fine *FineDraft
	switch {
	case err != nil:
	case in.Kind == KindFine: // drafted; numbered when a supervisor approves
		fine, err = h.Service.DraftFine(r.Context(), clerkOf(r), in)
	default:
		doc, err = h.Service.Issue(r.Context(), clerkOf(r), in)
	}
	if err != nil {
		if !IsInputError(err) {
			return err
		}
		info, ok := in.Kind.Info()
		if !ok {
			return web.Invalid(err)
		}
		fd := &formData{Kind: info, In: in, Error: err.Error(), ErrorField: errField(err), Action: "/documents/new", PreviewAction: "/documents/preview"}
		if in.Text != "" {
			fd.Preview = &previewData{C: &Content{Text: in.Text, Basis: in.TextBasis}}
		}
		h.fillForm(r.Context(), fd)
		w.WriteHeader(http.StatusUnprocessableEntity)
		return h.Kit.Render(w, r, "notice_form", "開立"+info.Label, fd)
	}
	if fine != nil {
		return web.Redirect(w, r, fmt.Sprintf("/fine-drafts/%d", fine.ID), "罰鍰裁處書稿已送本所主管核准；核准後始編號列印")
	}
	return web.Redirect(w, r, fmt.Sprintf("/documents/%d", doc.ID), "已開立"+doc.KindLabel()+" "+doc.DocNo)
}

func (h *Handlers) recipient(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	id := idno.Normalize(q.Get("recipient_id_no"))
	kind := q.Get("recipient_address_kind")
	if AddressLabel(kind) == "" {
		kind = "household"
	}
	data := map[string]any{"AddressKinds": AddressKinds, "Kind": kind, "IDNo": id, "Name": "", "Birth": "", "Address": "", "Known": (*Known)(nil), "Error": ""}
	if id != "" {
		if _, err := idno.Validate(id); err != nil {
			data["Error"] = "統一編號：" + err.Error()
		} else {
			k, err := h.Service.LookupRecipient(r.Context(), id)
			if err != nil {
				return err
			}
			if k == nil {
				data["Error"] = "查無統一編號 " + id + " 的民眾資料，請輸入姓名及地址（開立後系統會記住）"
			} else {
				h.Kit.Audit(r, "person.view", "person", id, id, "ok", "document recipient")
				if q.Get("recipient_address_kind") == "" && k.AddressKind != "" {
					kind = k.AddressKind
					data["Kind"] = kind
				}
				data["Known"] = k
				data["Name"], data["Address"] = k.Name, k.Address(kind)
				if b, err := civil.ParseISO(k.BirthDate); err == nil {
					data["Birth"] = b.ROCShort()
				}
			}
		}
	}
	if n := strings.TrimSpace(q.Get("recipient_name")); n != "" && data["Name"] == "" {
		data["Name"] = n
	}
	return h.Kit.RenderFragment(w, r, "notice_form", "recipient", data)
}

func (h *Handlers) oneTimeItems(w http.ResponseWriter, r *http.Request) error {
	info, _ := KindOneTime.Info()
	fd := &formData{Kind: info, In: Input{Kind: KindOneTime, Item: r.URL.Query().Get("item")}}
	h.fillForm(r.Context(), fd)
	fd.In.Items = fd.Package
	return h.Kit.RenderFragment(w, r, "notice_form", "items", fd)
}

func (h *Handlers) show(w http.ResponseWriter, r *http.Request) error {
	doc, err := h.load(r)
	if err != nil {
		return err
	}
	versions, err := h.Service.Versions(r.Context(), doc.ID)
	if err != nil {
		return err
	}
	services, err := h.Service.Services(r.Context(), doc.ID)
	if err != nil {
		return err
	}
	h.Kit.Audit(r, "document.view", "document", strconv.FormatInt(doc.ID, 10), doc.RecipientIDNo, "ok", doc.DocNo)
	c := clerkOf(r)
	today := h.Service.Today()
	var lapsed bool
	if len(services) > 0 {
		lapsed = services[0].Lapsed(today)
	}
	return h.Kit.Render(w, r, "notice_show", doc.KindLabel()+" "+doc.DocNo, map[string]any{
		"Doc": doc, "C": doc.Content, "Versions": versions, "CanEdit": doc.IssuedBy == c.UserID && !doc.Cancelled() && doc.Kind != KindFine,
		"CanCancel": MayCancel(c, doc) && !doc.Cancelled(), "Certificate": NeedsServiceCertificate(doc.Content),
		"AddressLabel": AddressLabel(doc.Content.Recipient.AddressKind), "Services": services, "Lapsed": lapsed,
		"CanRecordService": c.OfficeID == doc.OfficeID && !doc.Cancelled() && doc.Kind != KindOneTime, "Methods": legal.ServiceMethods()})
}

func (h *Handlers) pdf(w http.ResponseWriter, r *http.Request) error {
	doc, err := h.load(r)
	if err != nil {
		return err
	}
	c := doc.Content
	if v := r.URL.Query().Get("version"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return web.BadRequest("版本應為數字")
		}
		ver, err := h.Service.Version(r.Context(), doc.ID, n)
		if errors.Is(err, db.ErrNotFound) {
			return web.NotFound(fmt.Sprintf("本文書沒有第%d版", n))
		}
		if err != nil {
			return err
		}
		c = &ver.Content
	}
	b, err := h.Service.PDF(r.Context(), doc, c)
	if err != nil {
		return err
	}
	h.Kit.Audit(r, "document.print", "document", strconv.FormatInt(doc.ID, 10), doc.RecipientIDNo, "ok", doc.DocNo)
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename="document-%d.pdf"`, doc.ID))
	_, err = w.Write(b)
	return err
}

func formValuesOf(c *Content) Input {
	in := c.Input
	in.Recipient = c.Recipient
	in.Text = c.Text
	return in
}

func (h *Handlers) editForm(w http.ResponseWriter, r *http.Request) error {
	doc, err := h.load(r)
	if err != nil {
		return err
	}
	if err := h.Service.mayAmend(clerkOf(r), doc); err != nil {
		h.Kit.Audit(r, "document.amend", "document", strconv.FormatInt(doc.ID, 10), doc.RecipientIDNo, "denied", err.Error())
		return userError(err)
	}
	info, _ := doc.Kind.Info()
	in := formValuesOf(doc.Content)
	fd := &formData{Kind: info, In: in, Doc: doc, Action: fmt.Sprintf("/documents/%d/edit", doc.ID),
		PreviewAction: fmt.Sprintf("/documents/%d/preview", doc.ID),
		Preview:       &previewData{C: doc.Content}}
	h.fillForm(r.Context(), fd)
	return h.Kit.Render(w, r, "notice_form", "修改"+info.Label+" "+doc.DocNo, fd)
}

func (h *Handlers) previewAmend(w http.ResponseWriter, r *http.Request) error {
	id, err := h.docID(r)
	if err != nil {
		return err
	}
	in, err := inputFromForm(r)
	in.Text, in.TextBasis = "", ""
	pd := &previewData{}
	if err == nil {
		pd.C, pd.Template, err = h.Service.PreviewAmend(r.Context(), clerkOf(r), id, in)
	}
	if err != nil {
		if !IsInputError(err) {
			return userError(err)
		}
		pd.Error, pd.Field = err.Error(), errField(err)
	}
	return h.Kit.RenderFragment(w, r, "notice_form", "preview", pd)
}

func (h *Handlers) amend(w http.ResponseWriter, r *http.Request) error {
	doc, err := h.load(r)
	if err != nil {
		return err
	}
	in, err := inputFromForm(r)
	if err == nil {
		_, err = h.Service.Amend(r.Context(), clerkOf(r), doc.ID, in, r.PostFormValue("reason"))
	}
	if err != nil {
		if !IsInputError(err) {
			return userError(err)
		}
		info, _ := doc.Kind.Info()
		in.Kind = doc.Kind
		fd := &formData{Kind: info, In: in, Doc: doc, Error: err.Error(), ErrorField: errField(err),
			Action: fmt.Sprintf("/documents/%d/edit", doc.ID), PreviewAction: fmt.Sprintf("/documents/%d/preview", doc.ID),
			Preview: &previewData{C: &Content{Text: in.Text, Basis: in.TextBasis}}}
		h.fillForm(r.Context(), fd)
		w.WriteHeader(http.StatusUnprocessableEntity)
		return h.Kit.Render(w, r, "notice_form", "修改"+info.Label+" "+doc.DocNo, fd)
	}
	return web.Redirect(w, r, fmt.Sprintf("/documents/%d", doc.ID), "已儲存修改（第"+strconv.Itoa(doc.Version+1)+"版）")
}

func (h *Handlers) cancel(w http.ResponseWriter, r *http.Request) error {
	id, err := h.docID(r)
	if err != nil {
		return err
	}
	doc, err := h.Service.Cancel(r.Context(), clerkOf(r), id, r.PostFormValue("reason"))
	if err != nil {
		return userError(err)
	}
	return web.Redirect(w, r, fmt.Sprintf("/documents/%d", id), "已作廢 "+doc.DocNo)
}

func (h *Handlers) recordService(w http.ResponseWriter, r *http.Request) error {
	id, err := h.docID(r)
	if err != nil {
		return err
	}
	rec, err := h.Service.RecordService(r.Context(), clerkOf(r), id, ServiceInput{Method: r.PostFormValue("method"), Date: r.PostFormValue("date"),
		Abroad: r.PostFormValue("abroad") != "", ReceivedBy: r.PostFormValue("received_by"), Note: r.PostFormValue("note")})
	if err != nil {
		return userError(err)
	}
	msg := "已登錄送達：" + rec.Method + " " + rec.ServedOn.ROC() + "，" + rec.EffectiveOn.ROC() + "發生送達效力"
	if !rec.DeadlineOn.IsZero() {
		msg += "，催告期限至" + rec.DeadlineOn.ROC()
	}
	return web.Redirect(w, r, fmt.Sprintf("/documents/%d", id), msg)
}

func (h *Handlers) history(w http.ResponseWriter, r *http.Request) error {
	id := idno.Normalize(r.PathValue("idno"))
	if _, err := idno.Validate(id); err != nil {
		return web.BadRequest("統一編號：" + err.Error())
	}
	docs, err := h.Service.History(r.Context(), id)
	if err != nil {
		return err
	}
	known, err := h.Service.LookupRecipient(r.Context(), id)
	if err != nil {
		return err
	}
	h.Kit.Audit(r, "document.history", "person", id, id, "ok", fmt.Sprintf("%d documents", len(docs)))
	data := map[string]any{"IDNo": id, "Docs": docs, "Known": known, "Kinds": Kinds()}
	if r.Header.Get("HX-Request") == "true" {
		return h.Kit.RenderFragment(w, r, "notice_history", "history", data)
	}
	name := id
	if known != nil {
		name = known.Name
	}
	return h.Kit.Render(w, r, "notice_history", name+" 歷次行政文書", data)
}
