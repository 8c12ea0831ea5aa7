package seal

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"log/slog"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"time"

	"ebazhao/internal/office"
	"ebazhao/internal/person"
	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/blob"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/idno"
	"ebazhao/internal/platform/pdf"
	"ebazhao/internal/platform/rocdate"
	"ebazhao/internal/platform/web"
	"ebazhao/internal/seal/compare"
)

// Handlers serves the seal pages, images and API.
type Handlers struct {
	Kit     *web.Kit
	Store   *Store
	Persons *person.Store
	Offices *office.Store
	Vault   *Vault // nil when the key could not be loaded: every seal route then fails clearly
	Fonts   *pdf.Fonts
	Log     *slog.Logger
	keyErr  error
}

// Mount wires the subsystem: the vault over <dataDir>/blobs with the key from
// EBAZHAO_SEAL_KEY or <dataDir>/keys/seal.key, and the routes.
func Mount(k *web.Kit, d *db.DB, dataDir string, log *slog.Logger) *Handlers {
	h := &Handlers{Kit: k, Store: &Store{DB: d}, Persons: &person.Store{DB: d}, Offices: &office.Store{DB: d},
		Fonts: pdf.Shared(""), Log: log}
	key, err := LoadKey(dataDir)
	if err == nil {
		h.Vault, err = NewVault(blob.Default(dataDir), key)
	}
	if err != nil {
		h.keyErr = err
		log.Error("seal images unavailable: cannot load the seal key", "err", err, "env", KeyEnv, "file", KeyFile)
	}
	h.Routes()
	return h
}

// Purposes a clerk may give for viewing seal images.
var Purposes = []string{"核發印鑑證明", "印鑑變更或註銷", "申請書影本核發", "稽核查核", "民眾查詢本人印鑑"}

// CertificatePurposes are common uses of a seal certificate.
var CertificatePurposes = []string{"不動產登記", "銀行貸款", "汽機車過戶", "繼承", "公司登記", "其他"}

const maxUpload = 25 << 20

// Routes registers the routes.
func (h *Handlers) Routes() {
	k := h.Kit
	k.Page("GET /seals", auth.SealCompare, h.search)
	k.Page("GET /seals/views", auth.AuditView, h.views)
	k.Page("GET /seals/approvals", auth.SealApprove, h.approvals)
	k.Page("POST /seals/approvals/{id}/approve", auth.SealApprove, h.approve)
	k.Page("POST /seals/approvals/{id}/reject", auth.SealApprove, h.reject)
	k.Page("GET /seals/p/{idno}", auth.SealCompare, h.show)
	k.Page("POST /seals/p/{idno}/compare", auth.SealCompare, h.compare)
	k.Page("GET /seals/p/{idno}/register", auth.SealScan, h.registerForm)
	k.Page("POST /seals/p/{idno}/events", auth.SealScan, h.addEvent)
	k.Page("GET /seals/comparisons/{id}", auth.SealCompare, h.comparison)
	k.Page("POST /seals/comparisons/{id}/issue", auth.SealCompare, h.issue)
	k.Page("POST /seals/comparisons/{id}/refuse", auth.SealCompare, h.refuse)
	k.Page("GET /seals/certificates/{id}", auth.SealCompare, h.certificate)
	k.Page("GET /seals/certificates/{id}/pdf", auth.SealCompare, h.certificatePDF)
	k.Page("POST /seals/certificates/{id}/revoke", auth.SealCompare, h.revoke)
	k.Page("GET /seals/img/event/{id}/{which}", auth.SealCompare, h.eventImage)
	k.Page("GET /seals/img/comparison/{id}/{which}", auth.SealCompare, h.comparisonImage)
	k.API("POST /api/v1/seal/compare", auth.SealCompare, h.apiCompare)
	k.API("GET /api/v1/persons/{idno}/seal", auth.SealCompare, h.apiHistory)
}

func (h *Handlers) vault() (*Vault, error) {
	if h.Vault == nil {
		return nil, fmt.Errorf("印鑑影像金鑰無法載入（%s 或 %s）：%v", KeyEnv, KeyFile, h.keyErr)
	}
	return h.Vault, nil
}

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, web.BadRequest("編號格式錯誤")
	}
	return id, nil
}

func (h *Handlers) person(ctx context.Context, raw string) (*person.Person, error) {
	p, err := h.Persons.ByIDNo(ctx, strings.ToUpper(strings.TrimSpace(raw)))
	if errors.Is(err, db.ErrNotFound) {
		return nil, web.NotFound("查無統一編號「" + raw + "」的民眾資料")
	}
	return p, err
}

func (h *Handlers) search(w http.ResponseWriter, r *http.Request) error {
	q := strings.ToUpper(strings.TrimSpace(r.URL.Query().Get("q")))
	data := map[string]any{"Q": q}
	if u := web.User(r); u.Can(auth.SealApprove) {
		pending, err := h.Store.Requests(r.Context(), u.OfficeID, u.Can(auth.CityWide), true, 0)
		if err != nil {
			return err
		}
		data["Pending"] = len(pending)
	}
	if q != "" {
		if _, err := idno.Validate(q); err != nil {
			data["Error"] = err.Error()
		} else {
			http.Redirect(w, r, "/seals/p/"+q, http.StatusSeeOther)
			return nil
		}
	}
	return h.Kit.Render(w, r, "seal_search", "印鑑比對", data)
}

func purposeOf(r *http.Request) string {
	p := strings.TrimSpace(r.FormValue("purpose"))
	for _, x := range Purposes {
		if x == p {
			return p
		}
	}
	return Purposes[0]
}

func (h *Handlers) show(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p, err := h.person(ctx, r.PathValue("idno"))
	if err != nil {
		return err
	}
	hist, err := h.Store.History(ctx, p.IDNo)
	if err != nil {
		return err
	}
	certs, err := h.Store.Certificates(ctx, p.IDNo)
	if err != nil {
		return err
	}
	pending, err := h.Store.PendingRequests(ctx, p.IDNo)
	if err != nil {
		return err
	}
	cur := CurrentOn(hist, h.Store.Today())
	var disorder string
	if c := Contradicted(hist, cur); c != nil {
		disorder = contradictionMsg(c, cur) + "；更正前不能核發印鑑證明。"
	}
	purpose := purposeOf(r)
	h.Kit.Audit(r, "seal.record.view", "person", p.IDNo, p.IDNo, "ok", "purpose="+purpose)
	u := web.User(r)
	return h.Kit.Render(w, r, "seal_person", p.Name+" 印鑑", map[string]any{
		"Person": p, "Current": cur, "History": hist, "Certificates": certs, "Purpose": purpose, "Purposes": Purposes,
		"Pending": pending, "Disorder": disorder, "Cancelled": cur == nil && len(hist) > 0 && lastEvent(hist).Kind == Cancel,
		"CanRegister": u.Can(auth.SealScan), "CanApprove": u.Can(auth.SealApprove), "Event": r.URL.Query().Get("event")})
}

// readUpload reads one uploaded image file and checks it decodes.
func readUpload(r *http.Request, field string, required bool) ([]byte, error) {
	f, _, err := r.FormFile(field)
	if errors.Is(err, http.ErrMissingFile) {
		if required {
			return nil, web.BadRequest("請選擇要上傳的影像檔")
		}
		return nil, nil
	}
	if err != nil {
		return nil, web.BadRequest("上傳失敗：" + err.Error())
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxUpload+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxUpload {
		return nil, web.BadRequest("影像檔超過 25 MB")
	}
	if _, err := compare.DecodeBytes(b); err != nil {
		return nil, web.BadRequest("無法讀取影像（請上傳 PNG、JPEG 或 TIFF 檔）")
	}
	return b, nil
}

func encodePNG(img image.Image) []byte {
	var buf bytes.Buffer
	png.Encode(&buf, img)
	return buf.Bytes()
}

func (h *Handlers) compare(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v, err := h.vault()
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload+1<<20)
	p, err := h.person(ctx, r.PathValue("idno"))
	if err != nil {
		return err
	}
	cur, err := h.Store.Current(ctx, p.IDNo)
	if errors.Is(err, ErrNotRegistered) {
		return web.Conflict(err.Error())
	}
	if err != nil {
		return err
	}
	cand, err := readUpload(r, "imprint", true)
	if err != nil {
		return err
	}
	refBytes, err := v.Get(ctx, cur.ImprintRef)
	if err != nil {
		return fmt.Errorf("registered imprint of event %d: %w", cur.ID, err)
	}
	release, err := acquireCompareSlot(ctx)
	if err != nil {
		return err
	}
	defer release()
	refImg, err := compare.DecodeBytes(refBytes)
	if err != nil {
		return err
	}
	candImg, err := compare.DecodeBytes(cand)
	if err != nil {
		return web.BadRequest("無法讀取影像")
	}
	ref, err := compare.Prepare(refImg)
	if err != nil {
		return fmt.Errorf("registered imprint of event %d: %w", cur.ID, err)
	}
	res := ref.Compare(candImg, compare.Options{Overlay: true})
	c := &Comparison{PersonIDNo: p.IDNo, EventID: cur.ID, OfficeID: web.User(r).OfficeID, UserID: web.User(r).ID,
		Purpose: purposeOf(r), Score: res.Score, Verdict: string(res.Verdict), AngleDeg: res.AngleDeg, Scale: res.Scale,
		Reason: res.Reason, ElapsedMS: res.Elapsed.Milliseconds()}
	fb, _ := json.Marshal(res.Features)
	c.Features = string(fb)
	if c.CandRef, err = v.Put(ctx, cand); err != nil {
		return storageError(err)
	}
	if res.Overlay != nil {
		if c.OverlayRef, err = v.Put(ctx, encodePNG(res.Overlay)); err != nil {
			return storageError(err)
		}
		if c.RefLayerRef, err = v.Put(ctx, encodePNG(res.RefLayer)); err != nil {
			return storageError(err)
		}
		if c.CandLayerRef, err = v.Put(ctx, encodePNG(res.CandLayer)); err != nil {
			return storageError(err)
		}
	}
	if err := h.Store.AddComparison(ctx, web.Actor(r), c); err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/seals/comparisons/%d", c.ID), http.StatusSeeOther)
	return nil
}

// loadComparison reads comparison id for the user: a comparison belongs to the
// office that made it (any office compares; each decides its own).
func (h *Handlers) loadComparison(r *http.Request, id int64) (*Comparison, error) {
	c, err := h.Store.Comparison(r.Context(), id)
	if errors.Is(err, db.ErrNotFound) {
		return nil, web.NotFound("查無此比對紀錄")
	}
	if err != nil {
		return nil, err
	}
	if !web.User(r).CanActOnOffice(c.OfficeID) {
		h.Kit.Audit(r, "seal.comparison.view", "seal_comparison", fmt.Sprint(c.ID), c.PersonIDNo, "denied", "other office")
		return nil, web.Forbidden("非本所之印鑑比對紀錄，無權查閱或核發")
	}
	return c, nil
}

// loadCertificate reads certificate id for the user: only the issuing office
// (or a city-wide user) sees, prints or revokes it.
func (h *Handlers) loadCertificate(r *http.Request, id int64) (*Certificate, error) {
	c, err := h.Store.Certificate(r.Context(), id)
	if errors.Is(err, db.ErrNotFound) {
		return nil, web.NotFound("查無此印鑑證明")
	}
	if err != nil {
		return nil, err
	}
	if !web.User(r).CanActOnOffice(c.OfficeID) {
		h.Kit.Audit(r, "seal.certificate.view", "seal_certificate", fmt.Sprint(c.ID), c.PersonIDNo, "denied", "other office")
		return nil, web.Forbidden("非本所核發之印鑑證明，無權查閱或註銷")
	}
	return c, nil
}

func (h *Handlers) comparison(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		return err
	}
	c, err := h.loadComparison(r, id)
	if err != nil {
		return err
	}
	p, err := h.person(ctx, c.PersonIDNo)
	if err != nil {
		return err
	}
	ev, err := h.Store.Event(ctx, c.EventID)
	if err != nil {
		return err
	}
	var f compare.Features
	json.Unmarshal([]byte(c.Features), &f)
	// a registration no longer in force today cannot be certified
	var refusal string
	if err := h.Store.Certifiable(ctx, c.PersonIDNo, c.EventID); err != nil {
		var ue *UserError
		if !errors.As(err, &ue) {
			return err
		}
		refusal = ue.Msg
	}
	h.Kit.Audit(r, "seal.comparison.view", "seal_comparison", fmt.Sprint(c.ID), p.IDNo, "ok", "purpose="+c.Purpose)
	return h.Kit.Render(w, r, "seal_compare", "印鑑比對結果", map[string]any{
		"Person": p, "C": c, "Event": ev, "F": f, "Verdict": compare.Verdict(c.Verdict), "Threshold": compare.DefaultThreshold,
		"Purposes": CertificatePurposes, "Fee": feeOn(h.Store.now()), "CoveragePct": f.Coverage * 100, "Refusal": refusal})
}

func (h *Handlers) issue(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		return err
	}
	c, err := h.loadComparison(r, id)
	if err != nil {
		return err
	}
	u := web.User(r)
	o, err := h.Offices.ByID(ctx, u.OfficeID)
	if err != nil {
		return err
	}
	copies, _ := strconv.Atoi(r.PostFormValue("copies"))
	purpose := r.PostFormValue("purpose")
	if purpose == "其他" || purpose == "" {
		purpose = strings.TrimSpace(r.PostFormValue("purpose_other"))
	}
	cert, err := h.Store.Issue(ctx, web.Actor(r), IssueRequest{ComparisonID: id, Purpose: purpose, Applicant: r.PostFormValue("applicant"),
		AgentName: r.PostFormValue("agent_name"), Copies: copies, Override: r.PostFormValue("override"),
		OfficeID: u.OfficeID, OfficeCode: o.Code, UserName: u.DisplayName})
	if errors.Is(err, errAlreadyDecided) {
		return web.Conflict(err.Error())
	}
	if err != nil {
		if errors.Is(err, db.ErrNotFound) {
			return web.NotFound("查無此比對紀錄")
		}
		var ue *UserError
		if errors.As(err, &ue) {
			h.Kit.Audit(r, "seal.certificate.issue", "seal_comparison", fmt.Sprint(id), c.PersonIDNo, "denied", ue.Msg)
			return web.BadRequest(ue.Msg)
		}
		return err
	}
	return web.Redirect(w, r, fmt.Sprintf("/seals/certificates/%d", cert.ID), "已核發印鑑證明 "+cert.Number+"，規費 "+strconv.FormatInt(cert.FeeAmount, 10)+" 元待收")
}

func (h *Handlers) refuse(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	c, err := h.loadComparison(r, id)
	if err != nil {
		return err
	}
	if err := h.Store.Refuse(r.Context(), web.Actor(r), id, r.PostFormValue("note")); err != nil {
		if errors.Is(err, errAlreadyDecided) {
			return web.Conflict(err.Error())
		}
		return err
	}
	return web.Redirect(w, r, "/seals/p/"+c.PersonIDNo, "已記錄：印文不符，不予核發")
}

func (h *Handlers) certificate(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		return err
	}
	c, err := h.loadCertificate(r, id)
	if err != nil {
		return err
	}
	p, err := h.person(ctx, c.PersonIDNo)
	if err != nil {
		return err
	}
	h.Kit.Audit(r, "seal.certificate.view", "seal_certificate", fmt.Sprint(c.ID), p.IDNo, "ok", "")
	return h.Kit.Render(w, r, "seal_certificate", "印鑑證明 "+c.Number, map[string]any{"Cert": c, "Person": p})
}

func (h *Handlers) revoke(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if _, err := h.loadCertificate(r, id); err != nil {
		return err
	}
	if err := h.Store.Revoke(r.Context(), web.Actor(r), id, r.PostFormValue("reason")); err != nil {
		return asUserError(err)
	}
	return web.Redirect(w, r, fmt.Sprintf("/seals/certificates/%d", id), "已註銷印鑑證明")
}

func (h *Handlers) registerForm(w http.ResponseWriter, r *http.Request) error {
	p, err := h.person(r.Context(), r.PathValue("idno"))
	if err != nil {
		return err
	}
	cur, err := h.Store.Current(r.Context(), p.IDNo)
	if err != nil && !errors.Is(err, ErrNotRegistered) {
		return err
	}
	pending, err := h.Store.PendingRequests(r.Context(), p.IDNo)
	if err != nil {
		return err
	}
	return h.Kit.Render(w, r, "seal_register", p.Name+" 印鑑登記", map[string]any{"Person": p, "Current": cur, "Pending": pending,
		"Today": rocdate.FormatShort(h.Store.Today())})
}

func (h *Handlers) addEvent(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v, err := h.vault()
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, 3*maxUpload+1<<20)
	p, err := h.person(ctx, r.PathValue("idno"))
	if err != nil {
		return err
	}
	u := web.User(r)
	day, err := rocdate.Parse(r.FormValue("date"))
	if err != nil {
		return web.BadRequest("日期格式錯誤：" + err.Error())
	}
	e := &Event{PersonIDNo: p.IDNo, Kind: r.FormValue("kind"), Date: day, OfficeID: u.OfficeID, ClerkID: u.ID, ClerkName: u.DisplayName,
		ApplicationNo: strings.TrimSpace(r.FormValue("application_no")), Note: strings.TrimSpace(r.FormValue("note")),
		Reason: strings.TrimSpace(r.FormValue("reason"))}
	// the date first: a future or out-of-order date is refused before any image is stored
	if err := checkNotFuture(e.Date, h.Store.Today()); err != nil {
		return asUserError(err)
	}
	for _, f := range []struct {
		field string
		dst   *string
	}{{"imprint", &e.ImprintRef}, {"appearance", &e.AppearanceRef}, {"signature", &e.SignatureRef}, {"application", &e.ApplicationRef}} {
		b, err := readUpload(r, f.field, false)
		if err != nil {
			return err
		}
		if b == nil {
			continue
		}
		if f.field == "imprint" {
			img, _ := compare.DecodeBytes(b)
			if _, err := compare.Prepare(img); err != nil {
				return web.BadRequest("印模影像中找不到紅色印文，請以彩色重新掃描")
			}
		}
		if *f.dst, err = v.Put(ctx, b); err != nil {
			return storageError(err)
		}
	}
	if err := h.Store.AddEvent(ctx, web.Actor(r), e); err != nil {
		return asUserError(err)
	}
	if e.Pending() {
		return web.Redirect(w, r, "/seals/p/"+p.IDNo, "印鑑"+KindLabel(e.Kind)+"生效日 "+rocdate.FormatShort(e.Date)+
			" 早於今日，已送主管核准；核准前不生效")
	}
	return web.Redirect(w, r, "/seals/p/"+p.IDNo, "已記錄印鑑"+KindLabel(e.Kind))
}

// storageError tells the user when an image was not stored because the blob
// store is full; other errors pass through.
func storageError(err error) error {
	if errors.Is(err, blob.ErrNoSpace) {
		return &web.Error{Status: http.StatusInsufficientStorage, Msg: blob.NoSpaceMessage, Err: err}
	}
	return err
}

func asUserError(err error) error {
	var ue *UserError
	if errors.As(err, &ue) {
		return web.BadRequest(ue.Msg)
	}
	return err
}

// serveImage decrypts and serves an image to a clerk's browser session only,
// uncached, auditing the view with its purpose.
func (h *Handlers) serveImage(w http.ResponseWriter, r *http.Request, kind, id, personIDNo, which, ref string) error {
	if web.Session(r) == nil {
		h.Kit.Audit(r, "seal.image.view", kind, id, personIDNo, "denied", "no browser session")
		return web.Forbidden("印鑑影像僅限櫃檯人員登入後檢視")
	}
	if ref == "" {
		return web.NotFound("沒有此影像")
	}
	v, err := h.vault()
	if err != nil {
		return err
	}
	b, err := v.Get(r.Context(), ref)
	if err != nil {
		h.Kit.Audit(r, "seal.image.view", kind, id, personIDNo, "failed", which+": "+err.Error())
		return err
	}
	h.Kit.Audit(r, "seal.image.view", kind, id, personIDNo, "ok", "image="+which+" purpose="+purposeOf(r))
	hd := w.Header()
	hd.Set("Cache-Control", "no-store, private")
	hd.Set("Pragma", "no-cache")
	hd.Set("Content-Type", http.DetectContentType(b))
	hd.Set("Content-Disposition", "inline")
	_, err = w.Write(b)
	return err
}

func (h *Handlers) eventImage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	e, err := h.Store.Event(r.Context(), id)
	if errors.Is(err, db.ErrNotFound) {
		return web.NotFound("查無此印鑑紀錄")
	}
	if err != nil {
		return err
	}
	refs := map[string]string{"imprint": e.ImprintRef, "appearance": e.AppearanceRef, "signature": e.SignatureRef, "application": e.ApplicationRef}
	ref, ok := refs[r.PathValue("which")]
	if !ok {
		return web.NotFound("沒有此影像")
	}
	return h.serveImage(w, r, "seal_event", fmt.Sprint(id), e.PersonIDNo, r.PathValue("which"), ref)
}

func (h *Handlers) comparisonImage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	c, err := h.loadComparison(r, id)
	if err != nil {
		return err
	}
	refs := map[string]string{"cand": c.CandRef, "overlay": c.OverlayRef, "ref": c.RefLayerRef, "aligned": c.CandLayerRef}
	ref, ok := refs[r.PathValue("which")]
	if !ok {
		return web.NotFound("沒有此影像")
	}
	return h.serveImage(w, r, "seal_comparison", fmt.Sprint(id), c.PersonIDNo, r.PathValue("which"), ref)
}

// views shows who viewed whose seal images: a supervisor sees the views made
// at the own office, the city level (city.wide) every office's, as in the
// audit browser. Asking for another office's (?office=) is refused and audited.
func (h *Handlers) views(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	u := web.User(r)
	office := u.OfficeID
	if u.Can(auth.CityWide) {
		office = 0
	}
	if o := q.Get("office"); o != "" {
		id, err := strconv.ParseInt(o, 10, 64)
		if err != nil {
			return web.BadRequest("office 應為戶所代號（數字）")
		}
		if id != u.OfficeID && !u.Can(auth.CityWide) {
			h.Kit.Audit(r, "seal.views.list", "office", o, "", "denied", "office="+o)
			return web.Forbidden("僅能查看本所的印鑑影像調閱紀錄")
		}
		office = id
	}
	args := []any{"seal.%"}
	where := "action LIKE ?"
	if office != 0 {
		where += " AND office_id = ?"
		args = append(args, office)
	}
	if id := strings.ToUpper(strings.TrimSpace(q.Get("person"))); id != "" {
		where += " AND person_id_no = ?"
		args = append(args, id)
	}
	if u := strings.TrimSpace(q.Get("user")); u != "" {
		where += " AND username = ?"
		args = append(args, u)
	}
	rows, err := h.Store.DB.Query(r.Context(), `SELECT at, username, action, object_kind, object_id, person_id_no, outcome, detail
		FROM audit_log WHERE `+where+` ORDER BY seq DESC LIMIT 300`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	type row struct {
		At                                              time.Time
		User, Action, Kind, ID, Person, Outcome, Detail string
	}
	var out []row
	for rows.Next() {
		var x row
		var at string
		if err := rows.Scan(&at, &x.User, &x.Action, &x.Kind, &x.ID, &x.Person, &x.Outcome, &x.Detail); err != nil {
			return err
		}
		x.At = db.ParseTime(at)
		out = append(out, x)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return h.Kit.Render(w, r, "seal_views", "印鑑影像調閱紀錄", map[string]any{"Rows": out, "Person": q.Get("person"), "User": q.Get("user")})
}

// apiCompare compares two uploaded images (multipart fields ref and cand)
// without storing them.
func (h *Handlers) apiCompare(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 2*maxUpload+1<<20)
	refB, err := readUpload(r, "ref", true)
	if err != nil {
		return err
	}
	candB, err := readUpload(r, "cand", true)
	if err != nil {
		return err
	}
	release, err := acquireCompareSlot(r.Context())
	if err != nil {
		return err
	}
	defer release()
	ri, _ := compare.DecodeBytes(refB)
	ci, _ := compare.DecodeBytes(candB)
	res, err := compare.Compare(ri, ci, compare.Options{})
	if errors.Is(err, compare.ErrNoSeal) {
		return web.BadRequest(err.Error())
	}
	if err != nil {
		return err
	}
	h.Kit.Audit(r, "seal.api.compare", "", "", "", "ok", fmt.Sprintf("verdict=%s score=%.3f", res.Verdict, res.Score))
	return web.JSON(w, http.StatusOK, map[string]any{"score": res.Score, "match": res.Match, "verdict": res.Verdict,
		"angle_deg": res.AngleDeg, "scale": res.Scale, "ms": res.Elapsed.Milliseconds(), "reason": res.Reason, "features": res.Features})
}

// apiHistory returns a person's seal history without images.
func (h *Handlers) apiHistory(w http.ResponseWriter, r *http.Request) error {
	p, err := h.person(r.Context(), r.PathValue("idno"))
	if err != nil {
		return err
	}
	hist, err := h.Store.History(r.Context(), p.IDNo)
	if err != nil {
		return err
	}
	h.Kit.Audit(r, "seal.record.view", "person", p.IDNo, p.IDNo, "ok", "api")
	type ev struct {
		ID            int64  `json:"id"`
		Kind          string `json:"kind"`
		Date          string `json:"date"`
		Office        string `json:"office"`
		Clerk         string `json:"clerk"`
		ApplicationNo string `json:"application_no"`
		HasImprint    bool   `json:"has_imprint"`
	}
	out := []ev{}
	for _, e := range hist {
		out = append(out, ev{e.ID, e.Kind, e.Date.Format("2006-01-02"), e.OfficeName, e.ClerkName, e.ApplicationNo, e.ImprintRef != ""})
	}
	current := CurrentOn(hist, h.Store.Today()) != nil
	return web.JSON(w, http.StatusOK, map[string]any{"id_no": p.IDNo, "registered": current, "events": out})
}

// compareSlots bounds the comparisons computing at once to half the cores (at
// least one): a comparison is ~60 ms of one core, and a burst of them must not
// starve the counter's pages; the others queue here.
var compareSlots = make(chan struct{}, max(1, runtime.GOMAXPROCS(0)/2))

func acquireCompareSlot(ctx context.Context) (release func(), err error) {
	select {
	case compareSlots <- struct{}{}:
		return func() { <-compareSlots }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// approvals lists the backdated seal events (補登) awaiting a supervisor's
// approval at the user's office (every office's for a city-wide user), and the
// latest decided.
func (h *Handlers) approvals(w http.ResponseWriter, r *http.Request) error {
	u := web.User(r)
	cityWide := u.Can(auth.CityWide)
	pending, err := h.Store.Requests(r.Context(), u.OfficeID, cityWide, true, 0)
	if err != nil {
		return err
	}
	decided, err := h.Store.Requests(r.Context(), u.OfficeID, cityWide, false, 30)
	if err != nil {
		return err
	}
	return h.Kit.Render(w, r, "seal_approvals", "印鑑補登核准", map[string]any{"Pending": pending, "Decided": decided, "Me": u.ID})
}

// requestError turns the errors of deciding a request into the user's answer.
func requestError(err error) error {
	switch {
	case errors.Is(err, db.ErrNotFound):
		return web.NotFound("查無此補登申請")
	case errors.Is(err, ErrNoApproval), errors.Is(err, ErrOtherOffice), errors.Is(err, ErrSelfApproval):
		return web.Forbidden(err.Error())
	case errors.Is(err, ErrDecided):
		return web.Conflict(err.Error())
	}
	var ue *UserError
	if errors.As(err, &ue) {
		return web.Conflict("不能核准：" + ue.Msg + "；請駁回此申請")
	}
	return err
}

func (h *Handlers) approve(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ev, err := h.Store.ApproveRequest(r.Context(), web.User(r), web.ClientAddr(r), id, r.PostFormValue("note"))
	if err != nil {
		return requestError(err)
	}
	return web.Redirect(w, r, "/seals/approvals", "已核准印鑑"+ev.KindLabel()+"，自 "+rocdate.FormatShort(ev.Date)+" 生效")
}

func (h *Handlers) reject(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	q, err := h.Store.RejectRequest(r.Context(), web.User(r), web.ClientAddr(r), id, r.PostFormValue("note"))
	if err != nil {
		return requestError(err)
	}
	return web.Redirect(w, r, "/seals/approvals", "已駁回印鑑"+q.Event.KindLabel()+"補登")
}
