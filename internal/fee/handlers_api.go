package fee

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/web"
)

// ReceiptJSON is a receipt as the API shows it.
type ReceiptJSON struct {
	ID           int64           `json:"id"`
	Number       int64           `json:"number"`
	NumberText   string          `json:"number_text"`
	RocYear      int             `json:"roc_year"`
	Office       OfficeJSON      `json:"office"`
	Date         string          `json:"date"`
	DateROC      string          `json:"date_roc"`
	Counter      *CounterJSON    `json:"counter"`
	Clerk        string          `json:"clerk"`
	Payment      string          `json:"payment"`
	PaymentLabel string          `json:"payment_label"`
	Lines        []Line          `json:"lines"`
	Total        int64           `json:"total"`
	TotalWords   string          `json:"total_words"`
	Status       string          `json:"status"` // issued, voided, corrected
	VoidReason   string          `json:"void_reason,omitempty"`
	VoidedAt     string          `json:"voided_at,omitempty"`
	VoidedBy     string          `json:"voided_by,omitempty"`
	Correction   *CorrectionJSON `json:"correction,omitempty"`
	PayerName    string          `json:"payer_name,omitempty"`
	Note         string          `json:"note,omitempty"`
	Copies       int             `json:"copies"`
	Version      VersionRef      `json:"version"`
	PDF          string          `json:"pdf"`
	CreatedAt    string          `json:"created_at"`
	Replayed     bool            `json:"replayed"`
}

// OfficeJSON names an office.
type OfficeJSON struct {
	ID   int64  `json:"id"`
	Code string `json:"code"`
	Name string `json:"name"`
}

// CounterJSON names a counter.
type CounterJSON struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// CorrectionJSON is a reversal booked after the receipt's day was closed.
type CorrectionJSON struct {
	Date       string `json:"date"`
	Amount     int64  `json:"amount"`
	Reason     string `json:"reason"`
	ApprovedBy string `json:"approved_by"`
}

func receiptJSON(r *Receipt) ReceiptJSON {
	j := ReceiptJSON{ID: r.ID, Number: r.Number, NumberText: r.NumberText(), RocYear: r.RocYear,
		Office: OfficeJSON{r.OfficeID, r.OfficeCode, r.OfficeName}, Date: r.Date.ISO(), DateROC: r.Date.ROC(),
		Clerk: r.ClerkName, Payment: r.Payment, PaymentLabel: r.PaymentLabel(), Lines: r.Lines, Total: r.Total, TotalWords: r.TotalWords(),
		Status: r.Status, VoidReason: r.VoidReason, VoidedBy: r.VoidedBy, PayerName: r.PayerName, Note: r.Note, Copies: r.Copies,
		Version: VersionRef{ID: r.VersionID, Basis: r.Basis}, PDF: fmt.Sprintf("/api/v1/receipts/%d/pdf", r.ID),
		CreatedAt: r.CreatedAt.UTC().Format(time.RFC3339)}
	if j.Lines == nil {
		j.Lines = []Line{}
	}
	if r.CounterID != 0 {
		j.Counter = &CounterJSON{r.CounterID, r.CounterName}
	}
	if !r.VoidedAt.IsZero() {
		j.VoidedAt = r.VoidedAt.UTC().Format(time.RFC3339)
	}
	if c := r.Correction; c != nil {
		j.Status = "corrected"
		j.Correction = &CorrectionJSON{Date: c.Date.ISO(), Amount: c.Amount, Reason: c.Reason, ApprovedBy: c.ApprovedBy}
	}
	return j
}

func (h *Handlers) apiQuote(w http.ResponseWriter, r *http.Request) error {
	var req QuoteRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	q, err := h.Svc.Quote(r.Context(), req)
	if err != nil {
		return webErr(err)
	}
	return web.JSON(w, http.StatusOK, q)
}

func (h *Handlers) apiIssue(w http.ResponseWriter, r *http.Request) error {
	var req IssueRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	if k := strings.TrimSpace(r.Header.Get("Idempotency-Key")); k != "" {
		req.IdempotencyKey = k
	}
	rc, replayed, err := h.Svc.Issue(r.Context(), h.clerkOf(r), req)
	if err != nil {
		return webErr(err)
	}
	j := receiptJSON(rc)
	j.Replayed = replayed
	w.Header().Set("Location", fmt.Sprintf("/api/v1/receipts/%d", rc.ID))
	if replayed {
		w.Header().Set("Idempotent-Replayed", "true")
		return web.JSON(w, http.StatusOK, j)
	}
	return web.JSON(w, http.StatusCreated, j)
}

func (h *Handlers) apiReceipts(w http.ResponseWriter, r *http.Request) error {
	officeID, name, err := h.officeParam(r, false)
	if err != nil {
		return err
	}
	day, err := h.dayParam(r)
	if err != nil {
		return err
	}
	f := ListFilter{OfficeID: officeID, Day: day}
	qv := r.URL.Query()
	switch {
	case qv.Get("counter_id") != "":
		id, err := strconv.ParseInt(qv.Get("counter_id"), 10, 64)
		if err != nil {
			return web.BadRequest("counter_id 錯誤")
		}
		f.CounterID = id
	case qv.Get("counter") != "":
		n, err := strconv.Atoi(qv.Get("counter"))
		if err != nil {
			return web.BadRequest("counter 須為櫃檯號碼")
		}
		cs, err := h.Offices.Counters(r.Context(), officeID)
		if err != nil {
			return err
		}
		f.CounterID = -1
		for _, c := range cs {
			if c.Kind == "counter" && c.Number == n {
				f.CounterID = c.ID
			}
		}
		if f.CounterID < 0 {
			return web.BadRequest("查無此櫃檯號碼")
		}
	}
	list, err := h.Svc.List(r.Context(), f)
	if err != nil {
		return err
	}
	out := struct {
		Date     string        `json:"date"`
		Office   string        `json:"office"`
		Count    int           `json:"count"`
		Valid    int           `json:"valid"`
		Total    int64         `json:"total"`
		Receipts []ReceiptJSON `json:"receipts"`
	}{Date: day.ISO(), Office: name, Receipts: []ReceiptJSON{}}
	for _, rc := range list {
		out.Receipts = append(out.Receipts, receiptJSON(rc))
		if !rc.Voided() {
			out.Valid++
			out.Total += rc.Total
		}
	}
	out.Count = len(list)
	return web.JSON(w, http.StatusOK, out)
}

func (h *Handlers) apiReceipt(w http.ResponseWriter, r *http.Request) error {
	rc, err := h.loadReceipt(r)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, receiptJSON(rc))
}

func (h *Handlers) apiReprint(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	n, err := h.Svc.Reprint(r.Context(), web.User(r), web.ClientAddr(r), id)
	if err != nil {
		return webErr(err)
	}
	return web.JSON(w, http.StatusCreated, map[string]any{"receipt_id": id, "copy": n, "reprint": n - 1,
		"pdf": fmt.Sprintf("/api/v1/receipts/%d/pdf?copy=%d", id, n)})
}

// VoidRequestJSON is a void request as the API shows it.
type VoidRequestJSON struct {
	ID            int64  `json:"id"`
	ReceiptID     int64  `json:"receipt_id"`
	ReceiptNumber string `json:"receipt_number"`
	ReceiptDate   string `json:"receipt_date"`
	ReceiptTotal  int64  `json:"receipt_total"`
	Reason        string `json:"reason"`
	RequestedBy   string `json:"requested_by"`
	RequestedAt   string `json:"requested_at"`
	State         string `json:"state"`
	DecidedBy     string `json:"decided_by,omitempty"`
	DecidedAt     string `json:"decided_at,omitempty"`
	DecisionNote  string `json:"decision_note,omitempty"`
}

func voidJSON(v *VoidRequest) VoidRequestJSON {
	j := VoidRequestJSON{ID: v.ID, ReceiptID: v.ReceiptID, ReceiptNumber: v.ReceiptNumber, ReceiptDate: v.ReceiptDate.ISO(),
		ReceiptTotal: v.ReceiptTotal, Reason: v.Reason, RequestedBy: v.RequestedBy, RequestedAt: v.RequestedAt.UTC().Format(time.RFC3339),
		State: v.State, DecidedBy: v.DecidedBy, DecisionNote: v.DecisionNote}
	if !v.DecidedAt.IsZero() {
		j.DecidedAt = v.DecidedAt.UTC().Format(time.RFC3339)
	}
	return j
}

type reasonBody struct {
	Reason string `json:"reason"`
	Note   string `json:"note"`
}

func (h *Handlers) apiRequestVoid(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var b reasonBody
	if err := web.DecodeJSON(r, &b); err != nil {
		return err
	}
	v, err := h.Svc.RequestVoid(r.Context(), web.User(r), web.ClientAddr(r), id, b.Reason)
	if err != nil {
		return webErr(err)
	}
	return web.JSON(w, http.StatusCreated, voidJSON(v))
}

func (h *Handlers) apiVoid(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var b reasonBody
	if err := web.DecodeJSON(r, &b); err != nil {
		return err
	}
	rc, err := h.Svc.Void(r.Context(), web.User(r), web.ClientAddr(r), id, b.Reason)
	if err != nil {
		return webErr(err)
	}
	return web.JSON(w, http.StatusOK, receiptJSON(rc))
}

func (h *Handlers) apiVoidRequests(w http.ResponseWriter, r *http.Request) error {
	officeID, _, err := h.officeParam(r, false)
	if err != nil {
		return err
	}
	pending := r.URL.Query().Get("state") != "decided"
	list, err := h.Svc.VoidRequests(r.Context(), officeID, pending, 200)
	if err != nil {
		return err
	}
	out := []VoidRequestJSON{}
	for _, v := range list {
		out = append(out, voidJSON(v))
	}
	return web.JSON(w, http.StatusOK, map[string]any{"requests": out})
}

func (h *Handlers) apiApproveVoid(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var b reasonBody
	if r.ContentLength != 0 {
		if err := web.DecodeJSON(r, &b); err != nil {
			return err
		}
	}
	rc, err := h.Svc.ApproveVoid(r.Context(), web.User(r), web.ClientAddr(r), id, b.Note)
	if err != nil {
		return webErr(err)
	}
	return web.JSON(w, http.StatusOK, receiptJSON(rc))
}

func (h *Handlers) apiRejectVoid(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var b reasonBody
	if r.ContentLength != 0 {
		if err := web.DecodeJSON(r, &b); err != nil {
			return err
		}
	}
	if err := h.Svc.RejectVoid(r.Context(), web.User(r), web.ClientAddr(r), id, b.Note); err != nil {
		return webErr(err)
	}
	v, err := h.Svc.VoidRequest(r.Context(), id)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, voidJSON(v))
}

func (h *Handlers) apiSchedule(w http.ResponseWriter, r *http.Request) error {
	day, err := h.dayParam(r)
	if err != nil {
		return err
	}
	v, err := h.Svc.VersionOn(r.Context(), day)
	if err != nil {
		return webErr(err)
	}
	return web.JSON(w, http.StatusOK, v)
}

func (h *Handlers) apiVersions(w http.ResponseWriter, r *http.Request) error {
	sch, err := h.Svc.Schedule(r.Context())
	if err != nil {
		return err
	}
	type row struct {
		*Version
		Withdrawn bool `json:"withdrawn"`
	}
	out := []row{}
	for _, v := range sch.Versions {
		out = append(out, row{v, !v.WithdrawnAt.IsZero()})
	}
	return web.JSON(w, http.StatusOK, map[string]any{"versions": out})
}

// versionBody adds a version: the full item list, or changes (set/remove by
// code) to the newest version in force or scheduled, as in schedule.json.
type versionBody struct {
	Effective string   `json:"effective"`
	Basis     string   `json:"basis"`
	Note      string   `json:"note"`
	Items     []Item   `json:"items"`
	Set       []Item   `json:"set"`
	Remove    []string `json:"remove"`
}

func (h *Handlers) apiAddVersion(w http.ResponseWriter, r *http.Request) error {
	var b versionBody
	if err := web.DecodeJSON(r, &b); err != nil {
		return err
	}
	eff, err := civil.Parse(b.Effective)
	if err != nil {
		return web.BadRequest("effective：" + err.Error())
	}
	v := &Version{Effective: eff, Basis: b.Basis, Note: b.Note, Items: b.Items}
	if len(b.Items) == 0 {
		sch, err := h.Svc.Schedule(r.Context())
		if err != nil {
			return err
		}
		var base *Version
		for _, sv := range sch.Versions {
			if sv.WithdrawnAt.IsZero() {
				base = sv
			}
		}
		if base == nil {
			return web.BadRequest("尚無收費標準可供修改，請提供完整 items")
		}
		items := append([]Item(nil), base.Items...)
		for _, code := range b.Remove {
			found := false
			for i := range items {
				if items[i].Code == code {
					items = append(items[:i], items[i+1:]...)
					found = true
					break
				}
			}
			if !found {
				return web.BadRequest("remove：查無代碼 " + code)
			}
		}
		for _, it := range b.Set {
			replaced := false
			for i := range items {
				if items[i].Code == it.Code {
					items[i], replaced = it, true
				}
			}
			if !replaced {
				items = append(items, it)
			}
		}
		for i := range items {
			items[i].ID = 0
		}
		v.Items = items
	}
	if err := h.Svc.AddVersion(r.Context(), web.Actor(r), v); err != nil {
		return webErr(err)
	}
	stored, err := h.Svc.Version(r.Context(), v.ID)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusCreated, stored)
}

func (h *Handlers) apiSettlement(w http.ResponseWriter, r *http.Request) error {
	officeID, _, err := h.officeParam(r, false)
	if err != nil {
		return err
	}
	day, err := h.dayParam(r)
	if err != nil {
		return err
	}
	counter, err := h.counterParam(r, officeID)
	if err != nil {
		return err
	}
	rep, err := h.Svc.Day(r.Context(), officeID, day, counter)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, rep)
}

func (h *Handlers) apiClose(w http.ResponseWriter, r *http.Request) error {
	var b struct {
		Date     string `json:"date"`
		Receipts *int   `json:"receipts"`
		Total    *int64 `json:"total"`
	}
	if err := web.DecodeJSON(r, &b); err != nil {
		return err
	}
	if b.Receipts == nil || b.Total == nil {
		return web.BadRequest("請提供出納確認之 receipts（有效收據張數）與 total（合計金額）")
	}
	officeID, _, err := h.officeParam(r, false)
	if err != nil {
		return err
	}
	day, err := ParseDay(b.Date, h.Svc.now())
	if err != nil {
		return webErr(err)
	}
	rep, err := h.Svc.Close(r.Context(), web.User(r), web.ClientAddr(r), officeID, day, *b.Receipts, *b.Total)
	if err != nil {
		if errors.Is(err, ErrSettleMismatch) {
			return &web.Error{Status: http.StatusConflict, Msg: err.Error(), Err: err}
		}
		return webErr(err)
	}
	return web.JSON(w, http.StatusOK, rep)
}

func (h *Handlers) apiSummary(w http.ResponseWriter, r *http.Request) error {
	officeID, year, month, err := h.summaryParams(r)
	if err != nil {
		return err
	}
	sm, err := h.Svc.Summary(r.Context(), officeID, year, month)
	if err != nil {
		return webErr(err)
	}
	return web.JSON(w, http.StatusOK, sm)
}
