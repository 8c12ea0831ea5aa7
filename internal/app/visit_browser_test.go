package app_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"ebazhao/internal/platform/clock"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// keys types s to whatever has the focus, as a keyboard would: no element is
// picked by a selector, nothing is clicked.
func keys(t *testing.T, ctx context.Context, s string, mods ...chromedp.Modifier) {
	t.Helper()
	var opts []chromedp.KeyOption
	if len(mods) > 0 {
		opts = append(opts, chromedp.KeyModifiers(mods...))
	}
	do(t, ctx, chromedp.KeyEvent(s, opts...))
}

// eval evaluates a JavaScript expression.
func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

// waitJS waits until the expression is true, across page loads.
func waitJS(t *testing.T, ctx context.Context, what, js string) {
	t.Helper()
	deadline := clock.After(15 * time.Second)
	for !clock.Passed(deadline) {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(function(){ try { return !!(`+js+`); } catch (e) { return false; } })()`))
		if err == nil && v {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	dump, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.getElementById("flash")||{}).innerHTML + " ### " + ((document.getElementById("work")||{}).innerHTML||"").slice(0, 1500)`))
	t.Fatalf("waited 15 s for %s (%s); focus on %q\n%s", what, js, focused(t, ctx), dump)
}

// focused names the element with the focus (its id, else tag and name).
func focused(t *testing.T, ctx context.Context) string {
	v, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(function(){ var a = document.activeElement; return a ? (a.id || a.tagName + ":" + (a.name || "")) : ""; })()`))
	return v
}

func wantFocus(t *testing.T, ctx context.Context, id string) {
	t.Helper()
	waitJS(t, ctx, "focus on #"+id, `document.activeElement && document.activeElement.id === "`+id+`"`)
}

// TestBrowserVisitByKeyboardAlone runs a whole move-in visit with the keyboard
// only: Alt+V, the ID, the registration (1 = move) and the counter; the N加e
// move notification (new address, agencies 1 and 2 by number, print, send);
// the 遷徙 tips sheet; one receipt for two items; the paired rating terminal
// wakes. Each step's result is checked on the screen and in the database.
func TestBrowserVisitByKeyboardAlone(t *testing.T) {
	e := newEnv(t)
	term, counter := pairTerminal(t, e, 0)
	events := stream(t, term, "/terminal/events")
	ctx := browser(t)
	loginBrowser(t, ctx, e.Srv.URL, "clerk")
	dbCount := func(q string, args ...any) int {
		var n int
		if err := e.DB.QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	// 1. Alt+V opens the workbench; the ID field has the focus.
	began := clock.Start()
	keys(t, ctx, "v", chromedp.ModifierAlt)
	wantFocus(t, ctx, "visit-q")
	shot(t, ctx, "visit-start")
	keys(t, ctx, "A123456789")
	keys(t, ctx, kb.Tab+"1")          // 本次辦理: 1 遷徙
	keys(t, ctx, kb.Tab+kb.ArrowDown) // the first counter (set once per login)
	if v := eval[string](t, ctx, `document.getElementById("visit-counter").value`); v != fmtInt(counter.ID) {
		t.Fatalf("counter picked %s, want %d", v, counter.ID)
	}
	keys(t, ctx, kb.Enter)
	waitJS(t, ctx, "the visit screen", `document.getElementById("visit")`)
	if h := text(t, ctx, "#who"); !strings.Contains(h, "王大明") || !strings.Contains(h, "A123456789") {
		t.Fatalf("visit heading %q", h)
	}
	// 2. The N加e move panel opened by itself, the cursor on the new address.
	wantFocus(t, ctx, "af-new_address")
	if v := eval[string](t, ctx, `document.getElementById("af-old_address").value`); v != "臺中市西屯區福科路100號" {
		t.Errorf("old address pre-filled %q", v)
	}
	keys(t, ctx, "臺中市北屯區崇德路三段1號")
	keys(t, ctx, kb.Enter) // the date is filled: on to the agency numbers
	wantFocus(t, ctx, "agency-pick")
	keys(t, ctx, "1 2")
	waitJS(t, ctx, "agencies 1 and 2 ticked", `document.querySelectorAll("#agency-form input[name=agency]:checked").length === 2 &&
		document.querySelector("#agency-form input[data-n='1']").checked && document.querySelector("#agency-form input[data-n='2']").checked`)
	shot(t, ctx, "visit-agency")
	keys(t, ctx, kb.Enter) // 產生申請書
	wantFocus(t, ctx, "agency-print")
	if n := dbCount(`SELECT COUNT(*) FROM agency_applications WHERE subject_id_no = 'A123456789' AND status = 'draft' AND kind = 'move'`); n != 1 {
		t.Fatalf("%d draft applications", n)
	}
	keys(t, ctx, kb.Enter) // print the application (a new tab); the focus moves to 送出
	wantFocus(t, ctx, "agency-send")
	keys(t, ctx, kb.Enter) // the citizen signed: send
	waitJS(t, ctx, "sent", `document.getElementById("agency-sent")`)
	if n := dbCount(`SELECT COUNT(*) FROM agency_items i JOIN agency_applications a ON a.id = i.application_id
		WHERE a.subject_id_no = 'A123456789' AND a.status = 'sent' AND i.seq IS NOT NULL`); n != 2 {
		t.Fatalf("%d items released to agencies, want 2", n)
	}
	if v := eval[string](t, ctx, `Array.from(document.querySelectorAll("#visit-agency-items tbody tr")).map(function(r){ return r.textContent; }).join("|")`); strings.Count(v, "已送出，待機關取件") != 2 {
		t.Errorf("agency items on screen: %s", v)
	}
	waitJS(t, ctx, "the agency's own status block refreshed", `document.getElementById("agency-status-box").textContent.indexOf("已送出，待機關取件") >= 0`)
	// 3. Next step has the focus: the 遷徙 tips sheet.
	wantFocus(t, ctx, "agency-next")
	keys(t, ctx, kb.Enter)
	wantFocus(t, ctx, "tips-print")
	if v := eval[string](t, ctx, `document.querySelector("#tips-form input[name=kind]").value`); v != "move" {
		t.Errorf("tips category %q", v)
	}
	shot(t, ctx, "visit-tips")
	keys(t, ctx, kb.Enter) // print (a new tab); then the fee panel opens with the focus on the first item
	waitJS(t, ctx, "the tips print recorded", `document.querySelector("#activity [data-action='tip.sheet.print']")`)
	if n := dbCount(`SELECT COUNT(*) FROM audit_log WHERE action = 'tip.sheet.print' AND person_id_no = 'A123456789'`); n != 1 {
		t.Fatalf("%d tips prints audited", n)
	}
	waitJS(t, ctx, "the fee panel", `document.getElementById("fee-form")`)
	waitJS(t, ctx, "focus on the first fee item", `document.activeElement && document.activeElement.name === "item"`)
	// 4. One receipt for two items: 02 戶籍謄本 ×2, 06 國民身分證換領.
	keys(t, ctx, "02"+kb.Tab+"2"+kb.Tab+"06")
	waitJS(t, ctx, "the quote", `(document.getElementById("quote-total")||{}).textContent === "80 元"`)
	shot(t, ctx, "visit-fees")
	keys(t, ctx, kb.Enter, chromedp.ModifierCtrl)
	waitJS(t, ctx, "the receipt", `document.getElementById("receipt-done")`)
	wantFocus(t, ctx, "receipt-pdf")
	if v := text(t, ctx, "#receipt-total"); v != "80" {
		t.Errorf("receipt total %q", v)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("#receipt-lines tbody tr").length`); n != 2 {
		t.Errorf("receipt has %d lines", n)
	}
	if n := dbCount(`SELECT COUNT(*) FROM fee_receipts r JOIN visit_receipts v ON v.receipt_id = r.id WHERE r.total = 80 AND r.payer_id_no = 'A123456789' AND r.counter_id = ?`, counter.ID); n != 1 {
		t.Fatalf("%d receipts of 80 for the visit at the counter", n)
	}
	// 5. The paired rating terminal wakes.
	waitFor(t, events, "open ")
	if v := text(t, ctx, "#rating-woke"); !strings.Contains(v, "評分機已啟動") {
		t.Errorf("rating note %q", v)
	}
	waitJS(t, ctx, "three steps ticked", `document.querySelectorAll("#steps li.done").length === 3`)
	act := text(t, ctx, "#activity")
	for _, w := range []string{"N加e 申請書（待簽名）", "N加e 通報送出", "列印貼心小叮嚀", "收取規費"} {
		if !strings.Contains(act, w) {
			t.Errorf("activity lacks %q: %s", w, act)
		}
	}
	shot(t, ctx, "visit-done")
	// 6. The palette: Ctrl+K, type, Esc.
	keys(t, ctx, "k", chromedp.ModifierCtrl)
	wantFocus(t, ctx, "pal-q")
	keys(t, ctx, "表單 戶籍")
	waitJS(t, ctx, "palette filtered", `document.querySelectorAll("#pal-list li:not([hidden])").length > 0 && document.querySelector("#pal-list li[aria-selected=true]")`)
	if v := eval[string](t, ctx, `document.querySelector("#pal-list li[aria-selected=true]").textContent`); !strings.Contains(v, "表單") {
		t.Errorf("palette selection %q", v)
	}
	shot(t, ctx, "visit-palette")
	keys(t, ctx, kb.Escape)
	waitJS(t, ctx, "palette closed", `!document.getElementById("palette").open`)
	// 7. Alt+X ends the visit: the start form again, the ID field focused.
	keys(t, ctx, "x", chromedp.ModifierAlt)
	wantFocus(t, ctx, "visit-q")
	if n := dbCount(`SELECT COUNT(*) FROM visits WHERE person_id_no = 'A123456789' AND status = 'closed'`); n != 1 {
		t.Fatalf("%d closed visits", n)
	}
	t.Logf("the whole visit, driven by keystrokes (with the checks in between): %s", began.Elapsed().Round(100*time.Millisecond))
}

// TestBrowserVisitScreenAccessibility: every control of the visit screen has
// an accessible name, nothing jumps the tab order, and Tab walks from the
// header into the work panel before the side column.
func TestBrowserVisitScreenAccessibility(t *testing.T) {
	e := newEnv(t)
	dueSealCertificate(t, e, "A123456789", 1)
	ctx := browser(t)
	loginBrowser(t, ctx, e.Srv.URL, "clerk")
	do(t, ctx, chromedp.Navigate(e.Srv.URL+"/visits"), chromedp.WaitVisible(chromedp.ID("visit-q")))
	keys(t, ctx, "A123456789"+kb.Tab+"1"+kb.Enter)
	waitJS(t, ctx, "the visit screen", `document.getElementById("visit")`)
	wantFocus(t, ctx, "af-new_address")
	check := func(where string) {
		t.Helper()
		unnamed := eval[[]string](t, ctx, `(function(){
			function named(el) {
				if (el.getAttribute("aria-label") || el.getAttribute("aria-labelledby") || el.title) return true;
				if (el.labels && el.labels.length && el.labels[0].textContent.trim()) return true;
				if ((el.tagName === "BUTTON" || el.tagName === "A") && el.textContent.trim()) return true;
				return false;
			}
			var out = [];
			document.querySelectorAll("input:not([type=hidden]), select, textarea, button, a[href], [role=option], [role=combobox]").forEach(function(el){
				if (el.getAttribute("role") === "option") { if (!el.textContent.trim()) out.push("option " + el.id); return; }
				if (!named(el)) out.push(el.tagName + "#" + el.id + "[" + (el.name||"") + "]");
			});
			return out;
		})()`)
		if len(unnamed) > 0 {
			t.Errorf("%s: controls without an accessible name: %v", where, unnamed)
		}
		if n := eval[int](t, ctx, `Array.from(document.querySelectorAll("[tabindex]")).filter(function(el){ return el.tabIndex > 0; }).length`); n != 0 {
			t.Errorf("%s: %d elements with a positive tabindex", where, n)
		}
		if n := eval[int](t, ctx, `document.querySelectorAll("img:not([alt])").length`); n != 0 {
			t.Errorf("%s: %d images without alt", where, n)
		}
	}
	check("agency panel")
	// The palette is a labelled dialog with a combobox driving a listbox.
	if v := eval[string](t, ctx, `[document.getElementById("palette").getAttribute("aria-label"), document.getElementById("pal-q").getAttribute("aria-controls"), document.getElementById("pal-list").getAttribute("role")].join(",")`); v != "指令面板,pal-list,listbox" {
		t.Errorf("palette roles %q", v)
	}
	// Tab order: from the registration picker the header's tools, then the
	// work panel, before the side column's links.
	do(t, ctx, chromedp.Focus(chromedp.ID("kind")))
	var order []string
	firstWork, firstSide := -1, -1
	for i := 0; i < 24 && firstSide < 0; i++ {
		keys(t, ctx, kb.Tab)
		order = append(order, focused(t, ctx))
		where := eval[string](t, ctx, `document.activeElement.closest("#work") ? "work" : document.activeElement.closest(".vside") ? "side" : ""`)
		if where == "work" && firstWork < 0 {
			firstWork = i
		}
		if where == "side" && firstSide < 0 {
			firstSide = i
		}
	}
	if !strings.HasPrefix(strings.Join(order, " "), "kind-set open-palette end-visit") {
		t.Errorf("header tab order: %v", order)
	}
	if firstWork < 0 || (firstSide >= 0 && firstSide < firstWork) {
		t.Errorf("Tab reached the side column (%d) before the work panel (%d): %v", firstSide, firstWork, order)
	}
	if !strings.Contains(strings.Join(order, " "), "af-new_address af-event_date agency-pick agency-submit") {
		t.Errorf("the agency form's fields are not in order: %v", order)
	}
	// The fee panel, then the palette open.
	keys(t, ctx, "f", chromedp.ModifierAlt)
	waitJS(t, ctx, "the fee panel", `document.getElementById("fee-form")`)
	check("fee panel")
	if v := eval[bool](t, ctx, `document.getElementById("charge-0").checked`); !v {
		t.Error("the due seal certificate is not ticked")
	}
	keys(t, ctx, kb.F2)
	wantFocus(t, ctx, "pal-q")
	check("palette")
	keys(t, ctx, kb.Escape)
	// A closed palette gives the focus back.
	waitJS(t, ctx, "focus back", `document.activeElement && document.activeElement.id !== "pal-q"`)
}

// TestBrowserOfficeViewRefreshes: the supervisor's page shows the office's
// day (a visit in progress, a receipt, a rating and its alarm) and polls: a
// receipt issued after it was opened appears without a reload.
func TestBrowserOfficeViewRefreshes(t *testing.T) {
	e := newEnv(t)
	term, counter := pairTerminal(t, e, 0)
	clerk := e.loggedIn("clerk")
	v := startVisit(t, clerk, url.Values{"q": {"A123456789"}, "kind": {"move"}, "counter_id": {fmtInt(counter.ID)}})
	issue := func(qty string) {
		t.Helper()
		_, body := clerk.get(v + "/fees")
		idem := strings.SplitN(strings.SplitN(body, `name="idem" value="`, 2)[1], `"`, 2)[0]
		if st, body, _ := clerk.post(v+"/fees", url.Values{"idem": {idem}, "item": {"02"}, "qty": {qty}}, true); st != 200 || !strings.Contains(body, "receipt-done") {
			t.Fatalf("issue: %d %s", st, body)
		}
	}
	issue("3")
	var window int64
	if err := e.DB.QueryRow(context.Background(), `SELECT id FROM rating_windows WHERE counter_id = ? AND status = 'open'`, counter.ID).Scan(&window); err != nil {
		t.Fatal(err)
	}
	if st, _, _ := term.post("/terminal/rate", url.Values{"window_id": {fmtInt(window)}, "level": {"1"}}, true); st != 200 {
		t.Fatalf("rate: %d", st)
	}
	ctx := browser(t)
	loginBrowser(t, ctx, e.Srv.URL, "supervisor")
	do(t, ctx, chromedp.Navigate(e.Srv.URL+"/visits/office"), chromedp.WaitVisible(chromedp.ID("t-receipts")))
	for id, want := range map[string]string{"#t-open": "1", "#t-receipts": "1", "#t-ratings": "1", "#t-alarms": "1"} {
		if got := text(t, ctx, id); got != want {
			t.Errorf("%s = %q, want %s", id, got, want)
		}
	}
	if body := text(t, ctx, "#open-visits"); !strings.Contains(body, "王大明") || !strings.Contains(body, "A******789") || !strings.Contains(body, "遷徙") {
		t.Errorf("open visits table %q", body)
	}
	shot(t, ctx, "visit-office")
	issue("1")
	waitJS(t, ctx, "the poll to show the second receipt", `document.getElementById("t-receipts").textContent === "2"`)
}
