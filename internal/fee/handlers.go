package fee

import (
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"ebazhao/internal/office"
	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/pdf"
	"ebazhao/internal/platform/web"
)

// Handlers serves the fee pages and API.
type Handlers struct {
	Kit     *web.Kit
	Svc     *Service
	Offices *office.Store
}

// Mount builds the fee subsystem on d and registers its routes. onIssue, if not
// nil, runs after each new receipt is committed (it wakes the rating terminal of
// the receipt's counter); its error is logged, never shown to the clerk.
func Mount(k *web.Kit, d *db.DB, offices *office.Store, onIssue func(ctx context.Context, r *Receipt) error) *Service {
	svc := NewService(d, pdf.Shared(""))
	svc.Log = k.Log
	svc.OnIssue = onIssue
	if err := svc.Fonts.Check(); err != nil && k.Log != nil {
		k.Log.Error("receipts cannot be printed", "err", err)
	}
	(&Handlers{Kit: k, Svc: svc, Offices: offices}).Routes()
	return svc
}

//go:embed assets/fee.js
var feeJS []byte

var feeJSVersion = func() string { s := sha256.Sum256(feeJS); return hex.EncodeToString(s[:4]) }()

// Routes registers the fee routes.
func (h *Handlers) Routes() {
	k := h.Kit
	// Counter work (櫃檯人員).
	k.Page("GET /fees", auth.FeeCollect, h.issueForm)
	k.Page("POST /fees/quote", auth.FeeCollect, h.quoteFragment)
	k.Page("POST /fees/receipts", auth.FeeCollect, h.issue)
	k.Page("GET /fees/receipts", auth.FeeCollect, h.receipts)
	k.Page("GET /fees/receipts/{id}", auth.FeeCollect, h.receipt)
	k.Page("GET /fees/receipts/{id}/pdf", auth.FeeCollect, h.receiptPDF)
	k.Page("POST /fees/receipts/{id}/reprint", auth.FeeCollect, h.reprint)
	k.Page("POST /fees/receipts/{id}/void", auth.FeeCollect, h.void)
	k.Page("GET /fees/schedule", auth.FeeCollect, h.schedule)
	k.Page("GET /fees/fee.js", "", h.script)
	// Supervisors (主管): void approvals and the schedule.
	k.Page("GET /fees/voids", auth.FeeVoidApprove, h.voids)
	k.Page("POST /fees/voids/{id}/approve", auth.FeeVoidApprove, h.approveVoid)
	k.Page("POST /fees/voids/{id}/reject", auth.FeeVoidApprove, h.rejectVoid)
	k.Page("GET /fees/schedule/new", auth.FeeManage, h.versionForm)
	k.Page("POST /fees/schedule", auth.FeeManage, h.addVersion)
	k.Page("POST /fees/schedule/{id}/withdraw", auth.FeeManage, h.withdrawVersion)
	// Cashier (出納) and the accounting office.
	k.Page("GET /fees/settlement", auth.FeeSettle, h.settlement)
	k.Page("POST /fees/settlement/close", auth.FeeSettle, h.closeDay)
	k.Page("GET /fees/settlement/export.xlsx", auth.FeeSettle, h.settlementXLSX)
	k.Page("GET /fees/reports", auth.ReportView, h.reports)
	k.Page("GET /fees/reports/export.xlsx", auth.ReportView, h.reportsXLSX)

	k.API("POST /api/v1/fees/quote", auth.FeeCollect, h.apiQuote)
	k.API("GET /api/v1/fees/schedule", auth.FeeCollect, h.apiSchedule)
	k.API("GET /api/v1/fees/versions", auth.FeeCollect, h.apiVersions)
	k.API("POST /api/v1/fees/versions", auth.FeeManage, h.apiAddVersion)
	k.API("POST /api/v1/receipts", auth.FeeCollect, h.apiIssue)
	k.API("GET /api/v1/receipts", auth.FeeCollect, h.apiReceipts)
	k.API("GET /api/v1/receipts/{id}", auth.FeeCollect, h.apiReceipt)
	k.API("GET /api/v1/receipts/{id}/pdf", auth.FeeCollect, h.receiptPDF)
	k.API("POST /api/v1/receipts/{id}/reprint", auth.FeeCollect, h.apiReprint)
	k.API("POST /api/v1/receipts/{id}/void-requests", auth.FeeCollect, h.apiRequestVoid)
	k.API("POST /api/v1/receipts/{id}/void", auth.FeeVoidApprove, h.apiVoid)
	k.API("GET /api/v1/fees/void-requests", auth.FeeVoidApprove, h.apiVoidRequests)
	k.API("POST /api/v1/fees/void-requests/{id}/approve", auth.FeeVoidApprove, h.apiApproveVoid)
	k.API("POST /api/v1/fees/void-requests/{id}/reject", auth.FeeVoidApprove, h.apiRejectVoid)
	k.API("GET /api/v1/fees/settlement", auth.FeeSettle, h.apiSettlement)
	k.API("POST /api/v1/fees/settlement/close", auth.FeeSettle, h.apiClose)
	k.API("GET /api/v1/fees/summary", auth.ReportView, h.apiSummary)
}

// webErr turns a service error into the web kit's error with the right status.
func webErr(err error) error {
	if err == nil {
		return nil
	}
	var ie *InputError
	switch {
	case errors.As(err, &ie):
		return &web.Error{Status: http.StatusBadRequest, Msg: ie.Message, Err: err}
	case errors.Is(err, ErrNotFound), errors.Is(err, db.ErrNotFound):
		return &web.Error{Status: http.StatusNotFound, Msg: "查無資料", Err: err}
	case errors.Is(err, ErrOtherOffice), errors.Is(err, ErrNoApproval), errors.Is(err, ErrNoSettle):
		return &web.Error{Status: http.StatusForbidden, Msg: err.Error(), Err: err}
	case UserError(err):
		return &web.Error{Status: http.StatusConflict, Msg: err.Error(), Err: err}
	}
	return err
}

// pathID reads the {id} path value.
func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, web.NotFound("查無資料")
	}
	return id, nil
}

// loadReceipt loads a receipt the user may see (their office, or any for city-wide users).
func (h *Handlers) loadReceipt(r *http.Request) (*Receipt, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	rc, err := h.Svc.Receipt(r.Context(), id)
	if err != nil {
		return nil, webErr(err)
	}
	if !canAct(web.User(r), rc.OfficeID) {
		h.Kit.Audit(r, "receipt.view", "receipt", fmt.Sprint(id), "", "denied", "other office")
		return nil, web.Forbidden("不得查閱其他戶所的收據")
	}
	return rc, nil
}

// officeParam picks the office a report is about: the user's own, or for
// city-wide users the one named by ?office=code ("all" for every office when
// allowAll).
func (h *Handlers) officeParam(r *http.Request, allowAll bool) (id int64, name string, err error) {
	u := web.User(r)
	code := strings.TrimSpace(r.URL.Query().Get("office"))
	if code == "" || !u.Can(auth.CityWide) {
		return u.OfficeID, u.OfficeName, nil
	}
	if code == "all" && allowAll {
		return 0, "全市各戶政事務所", nil
	}
	o, err := h.Offices.ByCode(r.Context(), code)
	if err != nil {
		return 0, "", web.BadRequest("查無戶所代碼「" + code + "」")
	}
	return o.ID, o.Name, nil
}

// dayParam reads ?date= (ISO or ROC); empty means today.
func (h *Handlers) dayParam(r *http.Request) (civil.Date, error) {
	d, err := ParseDay(r.URL.Query().Get("date"), h.Svc.now())
	return d, webErr(err)
}

// counterParam reads ?counter= as a counter id of office.
func (h *Handlers) counterParam(r *http.Request, officeID int64) (int64, error) {
	s := strings.TrimSpace(r.URL.Query().Get("counter"))
	if s == "" || s == "0" {
		return 0, nil
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, web.BadRequest("櫃檯參數錯誤")
	}
	c, err := h.Offices.CounterByID(r.Context(), id)
	if err != nil || c.OfficeID != officeID {
		return 0, web.BadRequest("查無此櫃檯")
	}
	return id, nil
}

func (h *Handlers) script(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	if r.URL.Query().Get("v") == feeJSVersion {
		w.Header().Set("Cache-Control", "private, max-age=31536000, immutable")
	}
	_, err := w.Write(feeJS)
	return err
}

// ScriptURL is the cache-busting address of the fee pages' script.
func ScriptURL() string { return "/fees/fee.js?v=" + feeJSVersion }

// receiptPDF serves a printout: ?copy=N (default: the latest).
func (h *Handlers) receiptPDF(w http.ResponseWriter, r *http.Request) error {
	rc, err := h.loadReceipt(r)
	if err != nil {
		return err
	}
	copyNo := rc.Copies
	if s := r.URL.Query().Get("copy"); s != "" {
		if copyNo, err = strconv.Atoi(s); err != nil || copyNo < 1 {
			return web.BadRequest("列印份次錯誤")
		}
	}
	b, err := h.Svc.ReceiptPDF(r.Context(), rc, copyNo)
	if err != nil {
		if errors.Is(err, pdf.ErrFontsMissing) {
			return &web.Error{Status: http.StatusServiceUnavailable, Msg: "伺服器缺少全字庫字型，暫無法列印收據，請洽機房人員", Err: err}
		}
		return webErr(err)
	}
	h.Kit.Audit(r, "receipt.print", "receipt", fmt.Sprint(rc.ID), "", "ok", fmt.Sprintf("第%d份", copyNo))
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename="receipt-%s-%s.pdf"`, rc.OfficeCode, rc.NumberText()))
	// The receipt page embeds the PDF (an <object> of its own origin) for printing.
	w.Header().Set("X-Frame-Options", "SAMEORIGIN")
	w.Header().Set("Content-Security-Policy", "frame-ancestors 'self'")
	_, err = w.Write(b)
	return err
}

// logHook reports a failed OnIssue hook.
func (s *Service) logHook(r *Receipt, err error) {
	if s.Log != nil {
		s.Log.Error("after-issue hook failed", "receipt", r.ID, "err", err)
	}
}
