package fee

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/web"
)

// Tab is one entry of the fee pages' tab bar.
type Tab struct {
	Href, Label, Keys string
	Current           bool
}

func tabs(u *auth.User, current string) []Tab {
	all := []struct {
		key, href, label, keys string
		perm                   auth.Permission
	}{
		{"issue", "/fees", "開立收據", "", auth.FeeCollect},
		{"receipts", "/fees/receipts", "本日收據", "", auth.FeeCollect},
		{"voids", "/fees/voids", "作廢核准", "", auth.FeeVoidApprove},
		{"schedule", "/fees/schedule", "收費標準", "", auth.FeeCollect},
		{"settlement", "/fees/settlement", "出納日結", "", auth.FeeSettle},
		{"reports", "/fees/reports", "月報・年報", "", auth.ReportView},
	}
	var out []Tab
	for _, t := range all {
		if u.Can(t.perm) {
			out = append(out, Tab{Href: t.href, Label: t.label, Keys: t.keys, Current: t.key == current})
		}
	}
	return out
}

// IssueRow is one item row of the issue form.
type IssueRow struct {
	Item, Qty, Exempt string
}

// IssuePage is the data of fee_issue.html.
type IssuePage struct {
	Tabs      []Tab
	Script    string
	Version   *Version
	Payments  []struct{ Code, Label string }
	Rows      []IssueRow
	Payment   string
	PayerName string
	PayerIDNo string
	Note      string
	Date      string
	Key       string
	Counter   string
	Charge    *Charge // what another subsystem recorded as due, collected by this receipt
	Pending   []Charge
	// PendingCapped: more are pending than the form lists.
	PendingCapped bool
	Quote         *Quote
	Error         string
	Mine          []*Receipt
	MineTotal     int64
}

const formRows = 6

// ExemptionChoices lists every exemption code in the version, for the form.
func (v *Version) ExemptionChoices() []Exemption {
	seen := map[string]bool{}
	var out []Exemption
	for _, it := range v.Items {
		for _, e := range it.Exemptions {
			if !seen[e.Code] {
				seen[e.Code] = true
				out = append(out, e)
			}
		}
	}
	return out
}

func (h *Handlers) issuePage(r *http.Request, p *IssuePage) error {
	ctx := r.Context()
	u := web.User(r)
	today := h.Svc.today()
	v, err := h.Svc.VersionOn(ctx, today)
	if err != nil {
		return webErr(err)
	}
	p.Tabs, p.Script, p.Version, p.Payments = tabs(u, "issue"), ScriptURL(), v, Payments
	for len(p.Rows) < formRows {
		p.Rows = append(p.Rows, IssueRow{})
	}
	if p.Payment == "" {
		p.Payment = "cash"
	}
	if p.Key == "" {
		p.Key = auth.RandomToken(16)
	}
	p.Counter = "未設定工作櫃檯（請至首頁設定）"
	if s := web.Session(r); s != nil && s.CounterID != 0 {
		if c, err := h.Offices.CounterByID(ctx, s.CounterID); err == nil {
			p.Counter = c.Name
		}
	}
	if p.Pending, err = h.Svc.pendingCharges(ctx, u.OfficeID); err != nil {
		return err
	}
	p.PendingCapped = len(p.Pending) >= pendingShown
	mine, err := h.Svc.List(ctx, ListFilter{OfficeID: u.OfficeID, Day: today, ClerkID: u.ID})
	if err != nil {
		return err
	}
	for _, rc := range mine {
		if !rc.Voided() {
			p.MineTotal += rc.Total
		}
	}
	// Latest first, at most ten.
	for i := len(mine) - 1; i >= 0 && len(p.Mine) < 10; i-- {
		p.Mine = append(p.Mine, mine[i])
	}
	return nil
}

func (h *Handlers) issueForm(w http.ResponseWriter, r *http.Request) error {
	p := &IssuePage{}
	var refErr error
	if ref := r.URL.Query().Get("ref"); ref != "" {
		// A due charge (an archive copy, say): its item, quantity and payer,
		// from the subsystem that recorded it, not from the link.
		_, _, c, err := h.Svc.dueCharge(r.Context(), web.User(r).OfficeID, ref)
		if err != nil && !UserError(err) {
			return webErr(err)
		}
		if c != nil {
			p.Charge, p.PayerName, p.PayerIDNo = c, c.PayerName, c.PayerIDNo
			p.Rows = []IssueRow{{Item: c.Item, Qty: strconv.Itoa(c.Qty)}}
		}
		refErr = err
	}
	if err := h.issuePage(r, p); err != nil {
		return err
	}
	if refErr != nil {
		p.Error = refErr.Error()
		w.WriteHeader(http.StatusUnprocessableEntity)
	}
	if p.Charge != nil {
		if q, err := h.Svc.Quote(r.Context(), QuoteRequest{Items: []QuoteItem{{Item: p.Charge.Item, Qty: &p.Charge.Qty}}}); err == nil {
			p.Quote = q
		}
	}
	return h.Kit.Render(w, r, "fee_issue", "開立規費收據", p)
}

// formIssue reads the issue form.
func formIssue(r *http.Request) (IssueRequest, *IssuePage, error) {
	if err := r.ParseForm(); err != nil {
		return IssueRequest{}, nil, web.BadRequest("表單格式錯誤")
	}
	f := r.PostForm
	p := &IssuePage{Payment: f.Get("payment"), PayerName: f.Get("payer_name"), PayerIDNo: f.Get("payer_id_no"),
		Note: f.Get("note"), Date: f.Get("date"), Key: f.Get("idem")}
	itemsF, qtys, exempts := f["item"], f["qty"], f["exempt"]
	req := IssueRequest{Payment: p.Payment, PayerName: p.PayerName, PayerIDNo: p.PayerIDNo, Note: p.Note, Date: p.Date, IdempotencyKey: p.Key}
	for i, it := range itemsF {
		row := IssueRow{Item: it}
		if i < len(qtys) {
			row.Qty = qtys[i]
		}
		if i < len(exempts) {
			row.Exempt = exempts[i]
		}
		p.Rows = append(p.Rows, row)
		if strings.TrimSpace(it) == "" {
			continue
		}
		qi := QuoteItem{Item: it, Exempt: row.Exempt}
		if q := strings.TrimSpace(row.Qty); q != "" {
			n, err := strconv.Atoi(toHalfWidth(q))
			if err != nil {
				return req, p, &InputError{Field: "qty", Message: fmt.Sprintf("第%d列數量「%s」不是數字", i+1, q)}
			}
			qi.Qty = &n
		}
		req.Items = append(req.Items, qi)
	}
	return req, p, nil
}

func toHalfWidth(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '０' && r <= '９' {
			r = '0' + (r - '０')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// quoteFragment answers the issue form's live preview (htmx).
func (h *Handlers) quoteFragment(w http.ResponseWriter, r *http.Request) error {
	req, p, err := formIssue(r)
	if err == nil && len(req.Items) > 0 {
		p.Quote, err = h.Svc.Quote(r.Context(), QuoteRequest{Date: req.Date, Items: req.Items})
	}
	if err != nil {
		if !IsInputError(err) {
			return err
		}
		p.Error = err.Error()
	}
	return h.Kit.RenderFragment(w, r, "fee_issue", "quote", p)
}

func (h *Handlers) issue(w http.ResponseWriter, r *http.Request) error {
	req, p, err := formIssue(r)
	if ref := r.PostFormValue("ref"); err == nil && ref != "" {
		p.Charge, err = h.Svc.collect(r.Context(), web.User(r).OfficeID, ref, &req)
	}
	if err == nil {
		var rc *Receipt
		var replayed bool
		rc, replayed, err = h.Svc.Issue(r.Context(), h.clerkOf(r), req)
		if err == nil {
			msg := fmt.Sprintf("已開立收據 %s，合計 %s 元（%s）", rc.NumberText(), money(rc.Total), rc.PaymentLabel())
			if replayed {
				msg = fmt.Sprintf("收據 %s 已開立過（重複送出，未重複收費）", rc.NumberText())
			}
			return web.Redirect(w, r, fmt.Sprintf("/fees/receipts/%d?print=%d", rc.ID, 1), msg)
		}
	}
	if !UserError(err) {
		return webErr(err)
	}
	p.Error = err.Error()
	if errors.Is(err, ErrIdemMismatch) {
		p.Key = "" // a fresh form
	}
	if perr := h.issuePage(r, p); perr != nil {
		return perr
	}
	if q, qerr := h.Svc.Quote(r.Context(), QuoteRequest{Date: req.Date, Items: req.Items}); qerr == nil {
		p.Quote = q
	}
	w.WriteHeader(http.StatusUnprocessableEntity)
	return h.Kit.Render(w, r, "fee_issue", "開立規費收據", p)
}

// clerkOf is the issuing clerk: the user and the counter of their session.
func (h *Handlers) clerkOf(r *http.Request) Clerk {
	c := Clerk{User: web.User(r), Client: web.ClientAddr(r)}
	if s := web.Session(r); s != nil {
		c.CounterID = s.CounterID
	}
	return c
}

// ReceiptPage is the data of fee_receipt.html.
type ReceiptPage struct {
	Tabs       []Tab
	Script     string
	Receipt    *Receipt
	Prints     []Print
	Requests   []*VoidRequest
	Pending    bool
	CanApprove bool
	CanAct     bool
	PrintCopy  int
}

func (h *Handlers) receipt(w http.ResponseWriter, r *http.Request) error {
	rc, err := h.loadReceipt(r)
	if err != nil {
		return err
	}
	u := web.User(r)
	p := &ReceiptPage{Tabs: tabs(u, "receipts"), Script: ScriptURL(), Receipt: rc, CanApprove: u.Can(auth.FeeVoidApprove), CanAct: canAct(u, rc.OfficeID)}
	if p.Prints, err = h.Svc.Prints(r.Context(), rc.ID); err != nil {
		return err
	}
	if p.Requests, err = h.Svc.VoidRequestsOf(r.Context(), rc.ID); err != nil {
		return err
	}
	for _, q := range p.Requests {
		if q.State == "pending" {
			p.Pending = true
		}
	}
	if n, err := strconv.Atoi(r.URL.Query().Get("print")); err == nil && n >= 1 && n <= rc.Copies {
		p.PrintCopy = n
	}
	return h.Kit.Render(w, r, "fee_receipt", "規費收據 "+rc.NumberText(), p)
}

func (h *Handlers) reprint(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	n, err := h.Svc.Reprint(r.Context(), web.User(r), web.ClientAddr(r), id)
	if err != nil {
		return webErr(err)
	}
	return web.Redirect(w, r, fmt.Sprintf("/fees/receipts/%d?print=%d", id, n), fmt.Sprintf("已補印（第%d次補印），收據上印有「補印」字樣", n-1))
}

// void files a void request (clerk) or voids at once (supervisor).
func (h *Handlers) void(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	u := web.User(r)
	reason := r.PostFormValue("reason")
	if u.Can(auth.FeeVoidApprove) && r.PostFormValue("direct") == "1" {
		rc, err := h.Svc.Void(r.Context(), u, web.ClientAddr(r), id, reason)
		if err != nil {
			return webErr(err)
		}
		msg := "收據 " + rc.NumberText() + " 已作廢"
		if rc.Correction != nil {
			msg = "收據 " + rc.NumberText() + " 之日已結帳，已於今日更正沖銷"
		}
		return web.Redirect(w, r, fmt.Sprintf("/fees/receipts/%d", id), msg)
	}
	if _, err := h.Svc.RequestVoid(r.Context(), u, web.ClientAddr(r), id, reason); err != nil {
		return webErr(err)
	}
	return web.Redirect(w, r, fmt.Sprintf("/fees/receipts/%d", id), "已送出作廢申請，待主管核准")
}

// ReceiptsPage is the data of fee_receipts.html.
type ReceiptsPage struct {
	Tabs     []Tab
	Day      civil.Date
	DayInput string
	Counter  int64
	Counters []struct {
		ID   int64
		Name string
	}
	Receipts []*Receipt
	Valid    int
	Total    int64
	Voided   int
}

func (h *Handlers) receipts(w http.ResponseWriter, r *http.Request) error {
	u := web.User(r)
	day, err := h.dayParam(r)
	if err != nil {
		return err
	}
	counter, err := h.counterParam(r, u.OfficeID)
	if err != nil {
		return err
	}
	p := &ReceiptsPage{Tabs: tabs(u, "receipts"), Day: day, DayInput: day.ROCShort(), Counter: counter}
	cs, err := h.Offices.Counters(r.Context(), u.OfficeID)
	if err != nil {
		return err
	}
	for _, c := range cs {
		p.Counters = append(p.Counters, struct {
			ID   int64
			Name string
		}{c.ID, c.Name})
	}
	if p.Receipts, err = h.Svc.List(r.Context(), ListFilter{OfficeID: u.OfficeID, Day: day, CounterID: counter}); err != nil {
		return err
	}
	for _, rc := range p.Receipts {
		if rc.Voided() {
			p.Voided++
		} else {
			p.Valid++
			p.Total += rc.Total
		}
	}
	return h.Kit.Render(w, r, "fee_receipts", "收據查詢 "+day.ROC(), p)
}

// VoidsPage is the data of fee_voids.html.
type VoidsPage struct {
	Tabs    []Tab
	Pending []*VoidRequest
	Decided []*VoidRequest
}

func (h *Handlers) voids(w http.ResponseWriter, r *http.Request) error {
	u := web.User(r)
	p := &VoidsPage{Tabs: tabs(u, "voids")}
	var err error
	if p.Pending, err = h.Svc.VoidRequests(r.Context(), u.OfficeID, true, 0); err != nil {
		return err
	}
	if p.Decided, err = h.Svc.VoidRequests(r.Context(), u.OfficeID, false, 30); err != nil {
		return err
	}
	return h.Kit.Render(w, r, "fee_voids", "作廢核准", p)
}

func (h *Handlers) approveVoid(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	rc, err := h.Svc.ApproveVoid(r.Context(), web.User(r), web.ClientAddr(r), id, r.PostFormValue("note"))
	if err != nil {
		return webErr(err)
	}
	msg := "已核准作廢收據 " + rc.NumberText()
	if rc.Correction != nil {
		msg += "（原收據日已結帳，已於今日更正沖銷）"
	}
	return web.Redirect(w, r, "/fees/voids", msg)
}

func (h *Handlers) rejectVoid(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := h.Svc.RejectVoid(r.Context(), web.User(r), web.ClientAddr(r), id, r.PostFormValue("note")); err != nil {
		return webErr(err)
	}
	return web.Redirect(w, r, "/fees/voids", "已駁回作廢申請")
}

// VersionRow is a version in the schedule list.
type VersionRow struct {
	*Version
	State string // 施行中, 已停止適用, 將施行, 已撤回
	Until civil.Date
}

// SchedulePage is the data of fee_schedule.html.
type SchedulePage struct {
	Tabs      []Tab
	Versions  []VersionRow
	Shown     *VersionRow
	CanManage bool
}

func (h *Handlers) versionRows(r *http.Request) ([]VersionRow, error) {
	sch, err := h.Svc.Schedule(r.Context())
	if err != nil {
		return nil, err
	}
	today := h.Svc.today()
	inForce, _ := sch.On(today)
	var rows []VersionRow
	var live []*Version
	for _, v := range sch.Versions {
		if v.WithdrawnAt.IsZero() {
			live = append(live, v)
		}
	}
	for _, v := range sch.Versions {
		row := VersionRow{Version: v}
		switch {
		case !v.WithdrawnAt.IsZero():
			row.State = "已撤回"
		case inForce != nil && v.ID == inForce.ID:
			row.State = "施行中"
		case v.Effective.After(today):
			row.State = "將施行"
		default:
			row.State = "已停止適用"
		}
		if v.WithdrawnAt.IsZero() {
			for i, l := range live {
				if l.ID == v.ID && i+1 < len(live) {
					row.Until = live[i+1].Effective.AddDate(0, 0, -1)
				}
			}
		}
		rows = append(rows, row)
	}
	// Newest first.
	for i, j := 0, len(rows)-1; i < j; i, j = i+1, j-1 {
		rows[i], rows[j] = rows[j], rows[i]
	}
	return rows, nil
}

func (h *Handlers) schedule(w http.ResponseWriter, r *http.Request) error {
	u := web.User(r)
	rows, err := h.versionRows(r)
	if err != nil {
		return err
	}
	p := &SchedulePage{Tabs: tabs(u, "schedule"), Versions: rows, CanManage: u.Can(auth.FeeManage)}
	want, _ := strconv.ParseInt(r.URL.Query().Get("version"), 10, 64)
	for i := range rows {
		if (want != 0 && rows[i].ID == want) || (want == 0 && rows[i].State == "施行中") {
			p.Shown = &rows[i]
		}
	}
	return h.Kit.Render(w, r, "fee_schedule", "規費收費標準", p)
}

// VersionForm is the data of fee_schedule_new.html.
type VersionForm struct {
	Tabs      []Tab
	Base      *Version
	Effective string
	Basis     string
	Note      string
	Items     []VersionFormItem
	Error     string
}

// VersionFormItem is one editable item row.
type VersionFormItem struct {
	Code, Name, Measure, Amount, FurtherFrom, FurtherAmount, Article, Aliases, Exemptions string
	Remove                                                                                bool
}

func itemRow(it Item) VersionFormItem {
	ex, _ := json.Marshal(nonNilEx(it.Exemptions))
	row := VersionFormItem{Code: it.Code, Name: it.Name, Measure: it.Measure, Amount: fmt.Sprint(it.Amount), Article: it.Article,
		Aliases: strings.Join(it.Aliases, "、"), Exemptions: string(ex)}
	if it.FurtherFrom > 0 {
		row.FurtherFrom, row.FurtherAmount = fmt.Sprint(it.FurtherFrom), fmt.Sprint(it.FurtherAmount)
	}
	return row
}

func (h *Handlers) versionForm(w http.ResponseWriter, r *http.Request) error {
	u := web.User(r)
	sch, err := h.Svc.Schedule(r.Context())
	if err != nil {
		return err
	}
	// Start from the newest live version (in force or scheduled).
	var base *Version
	for _, v := range sch.Versions {
		if v.WithdrawnAt.IsZero() {
			base = v
		}
	}
	p := &VersionForm{Tabs: tabs(u, "schedule"), Base: base, Effective: h.Svc.today().AddDate(0, 0, 1).ROCShort()}
	if base != nil {
		for _, it := range base.Items {
			p.Items = append(p.Items, itemRow(it))
		}
	}
	for i := 0; i < 4; i++ {
		p.Items = append(p.Items, VersionFormItem{})
	}
	return h.Kit.Render(w, r, "fee_schedule_new", "新增收費標準版本", p)
}

func parseAmount(s string, field string) (int64, error) {
	s = strings.ReplaceAll(toHalfWidth(strings.TrimSpace(s)), ",", "")
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, &InputError{Field: "items", Message: fmt.Sprintf("%s「%s」不是整數", field, s)}
	}
	return n, nil
}

func (h *Handlers) addVersion(w http.ResponseWriter, r *http.Request) error {
	u := web.User(r)
	if err := r.ParseForm(); err != nil {
		return web.BadRequest("表單格式錯誤")
	}
	f := r.PostForm
	p := &VersionForm{Tabs: tabs(u, "schedule"), Effective: f.Get("effective"), Basis: f.Get("basis"), Note: f.Get("note")}
	col := func(name string, i int) string {
		if vs := f[name]; i < len(vs) {
			return vs[i]
		}
		return ""
	}
	removed := map[string]bool{}
	for _, idx := range f["remove"] {
		removed[idx] = true
	}
	v := &Version{Basis: p.Basis, Note: p.Note}
	var ferr error
	for i := range f["name"] {
		row := VersionFormItem{Code: col("code", i), Name: col("name", i), Measure: col("measure", i), Amount: col("amount", i),
			FurtherFrom: col("further_from", i), FurtherAmount: col("further_amount", i), Article: col("article", i),
			Aliases: col("aliases", i), Exemptions: col("exemptions", i), Remove: removed[strconv.Itoa(i)]}
		p.Items = append(p.Items, row)
		if row.Remove || (strings.TrimSpace(row.Name) == "" && strings.TrimSpace(row.Code) == "") {
			continue
		}
		it := Item{Code: row.Code, Name: row.Name, Measure: row.Measure, Article: strings.TrimSpace(row.Article)}
		var err error
		if it.Amount, err = parseAmount(row.Amount, it.Name+" 金額"); err != nil && ferr == nil {
			ferr = err
		}
		ff, err := parseAmount(row.FurtherFrom, it.Name+" 續份起算")
		if err != nil && ferr == nil {
			ferr = err
		}
		it.FurtherFrom = int(ff)
		if it.FurtherAmount, err = parseAmount(row.FurtherAmount, it.Name+" 續份金額"); err != nil && ferr == nil {
			ferr = err
		}
		for _, a := range strings.FieldsFunc(row.Aliases, func(r rune) bool { return r == '、' || r == ',' || r == '，' }) {
			if a = strings.TrimSpace(a); a != "" {
				it.Aliases = append(it.Aliases, a)
			}
		}
		if strings.TrimSpace(row.Exemptions) != "" && row.Exemptions != "[]" {
			if err := json.Unmarshal([]byte(row.Exemptions), &it.Exemptions); err != nil && ferr == nil {
				ferr = &InputError{Field: "items", Message: it.Name + "：減免事由格式錯誤"}
			}
		}
		v.Items = append(v.Items, it)
	}
	if ferr == nil {
		d, err := civil.Parse(p.Effective)
		if err != nil {
			ferr = &InputError{Field: "effective", Message: "施行日期：" + err.Error()}
		}
		v.Effective = d
	}
	if ferr == nil {
		ferr = h.Svc.AddVersion(r.Context(), web.Actor(r), v)
	}
	if ferr != nil {
		if !UserError(ferr) {
			return ferr
		}
		p.Error = ferr.Error()
		w.WriteHeader(http.StatusUnprocessableEntity)
		return h.Kit.Render(w, r, "fee_schedule_new", "新增收費標準版本", p)
	}
	return web.Redirect(w, r, fmt.Sprintf("/fees/schedule?version=%d", v.ID),
		fmt.Sprintf("已新增收費標準版本，自%s起施行（%d項）", v.Effective.ROC(), len(v.Items)))
}

func (h *Handlers) withdrawVersion(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := h.Svc.WithdrawVersion(r.Context(), web.Actor(r), id); err != nil {
		return webErr(err)
	}
	return web.Redirect(w, r, "/fees/schedule", "已撤回尚未施行之版本")
}

// SettlementPage is the data of fee_settlement.html.
type SettlementPage struct {
	Tabs     []Tab
	Report   *DayReport
	DayInput string
	Counter  int64
	Counters []struct {
		ID   int64
		Name string
	}
	OfficeCode string
	Query      string
	CanClose   bool
	Prev, Next string
}

func (h *Handlers) settlement(w http.ResponseWriter, r *http.Request) error {
	u := web.User(r)
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
	p := &SettlementPage{Tabs: tabs(u, "settlement"), Report: rep, DayInput: day.ROCShort(), Counter: counter,
		OfficeCode: r.URL.Query().Get("office"), Prev: day.AddDate(0, 0, -1).ISO(), Next: day.AddDate(0, 0, 1).ISO()}
	p.CanClose = !rep.Closed && counter == 0 && canAct(u, officeID) && !day.After(h.Svc.today())
	cs, err := h.Offices.Counters(r.Context(), officeID)
	if err != nil {
		return err
	}
	for _, c := range cs {
		p.Counters = append(p.Counters, struct {
			ID   int64
			Name string
		}{c.ID, c.Name})
	}
	q := url.Values{"date": {day.ISO()}}
	if counter != 0 {
		q.Set("counter", fmt.Sprint(counter))
	}
	if p.OfficeCode != "" {
		q.Set("office", p.OfficeCode)
	}
	p.Query = q.Encode()
	return h.Kit.Render(w, r, "fee_settlement", "出納日結 "+day.ROC(), p)
}

func (h *Handlers) closeDay(w http.ResponseWriter, r *http.Request) error {
	u := web.User(r)
	day, err := civil.Parse(r.PostFormValue("date"))
	if err != nil {
		return web.BadRequest("日期錯誤")
	}
	officeID := u.OfficeID
	if s := r.PostFormValue("office_id"); s != "" {
		if officeID, err = strconv.ParseInt(s, 10, 64); err != nil {
			return web.BadRequest("戶所錯誤")
		}
	}
	n, err1 := strconv.Atoi(r.PostFormValue("receipts"))
	total, err2 := strconv.ParseInt(r.PostFormValue("total"), 10, 64)
	if err1 != nil || err2 != nil {
		return web.BadRequest("請確認收據張數與金額")
	}
	back := "/fees/settlement?date=" + day.ISO()
	rep, err := h.Svc.Close(r.Context(), u, web.ClientAddr(r), officeID, day, n, total)
	if err != nil {
		if errors.Is(err, ErrSettleMismatch) || errors.Is(err, ErrPendingVoids) || errors.Is(err, ErrAlreadyClosed) {
			return web.Redirect(w, r, back, err.Error())
		}
		return webErr(err)
	}
	return web.Redirect(w, r, back, fmt.Sprintf("%s已結帳：有效收據 %d 張，合計 %s 元。當日收據已凍結。", day.ROC(), rep.Receipts, money(rep.Total)))
}

// ReportsPage is the data of fee_reports.html.
type ReportsPage struct {
	Tabs       []Tab
	Summary    *Summary
	Years      []int
	Months     []int
	OfficeCode string
	Offices    []struct{ Code, Name string }
	Query      string
}

func (h *Handlers) summaryParams(r *http.Request) (officeID int64, year, month int, err error) {
	officeID, _, err = h.officeParam(r, true)
	if err != nil {
		return 0, 0, 0, err
	}
	year = h.Svc.today().ROCYear()
	if s := r.URL.Query().Get("year"); s != "" {
		if year, err = strconv.Atoi(s); err != nil || year < 1 || year > 999 {
			return 0, 0, 0, web.BadRequest("年度錯誤（民國年）")
		}
	}
	if s := r.URL.Query().Get("month"); s != "" {
		if month, err = strconv.Atoi(s); err != nil || month < 0 || month > 12 {
			return 0, 0, 0, web.BadRequest("月份錯誤")
		}
	}
	return officeID, year, month, nil
}

func (h *Handlers) reports(w http.ResponseWriter, r *http.Request) error {
	u := web.User(r)
	officeID, year, month, err := h.summaryParams(r)
	if err != nil {
		return err
	}
	sm, err := h.Svc.Summary(r.Context(), officeID, year, month)
	if err != nil {
		return webErr(err)
	}
	p := &ReportsPage{Tabs: tabs(u, "reports"), Summary: sm, OfficeCode: r.URL.Query().Get("office")}
	cur := h.Svc.today().ROCYear()
	for y := cur; y >= cur-5; y-- {
		p.Years = append(p.Years, y)
	}
	for m := 1; m <= 12; m++ {
		p.Months = append(p.Months, m)
	}
	if u.Can(auth.CityWide) {
		all, err := h.Offices.All(r.Context())
		if err != nil {
			return err
		}
		for _, o := range all {
			p.Offices = append(p.Offices, struct{ Code, Name string }{o.Code, o.Name})
		}
	}
	q := url.Values{"year": {fmt.Sprint(year)}, "month": {fmt.Sprint(month)}}
	if p.OfficeCode != "" {
		q.Set("office", p.OfficeCode)
	}
	p.Query = q.Encode()
	title := fmt.Sprintf("規費%d年報", year)
	if month > 0 {
		title = fmt.Sprintf("規費%d年%d月報", year, month)
	}
	return h.Kit.Render(w, r, "fee_reports", title, p)
}
