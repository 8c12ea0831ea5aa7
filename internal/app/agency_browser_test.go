package app_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"ebazhao/internal/agency"
	"ebazhao/internal/platform/rocdate"
)

// TestBrowserAgencyTicksThreeAgenciesAndOpensThePDF: the clerk opens the N加e
// form for 王大明, types the new address, ticks three agencies (one with an
// electricity account number), creates the application and opens its PDF.
func TestBrowserAgencyTicksThreeAgenciesAndOpensThePDF(t *testing.T) {
	e := newEnv(t)
	ctx := browser(t)
	do(t, ctx, chromedp.Navigate(e.Srv.URL+"/login"), chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), "clerk"),
		chromedp.SendKeys(chromedp.ID("password"), "demo\n"),
		chromedp.WaitVisible(chromedp.ID("home-q")))
	do(t, ctx, chromedp.Navigate(e.Srv.URL+"/agency"), chromedp.WaitVisible(chromedp.ID("agency-idno")))
	shot(t, ctx, "agency-index")
	do(t, ctx, chromedp.SendKeys(chromedp.ID("agency-idno"), "A123456789\n"), chromedp.WaitVisible(chromedp.ID("agency-form")))
	if v := text(t, ctx, "h1"); !strings.Contains(v, "王大明") {
		t.Fatalf("form heading %q", v)
	}
	do(t, ctx,
		chromedp.SendKeys(chromedp.ID("f-new_address"), "臺中市北屯區崇德路三段1號"),
		chromedp.Click(chromedp.ID("ag-tax_taichung")),
		chromedp.Click(chromedp.ID("ag-nhi_central")),
		chromedp.Click(chromedp.ID("ag-taipower_taichung")),
		chromedp.SendKeys(chromedp.ID("acct-taipower_taichung"), "07-1234-5678"))
	checked, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('input[name=agency]:checked').length`))
	if err != nil || checked != 3 {
		t.Fatalf("%d agencies ticked (%v)", checked, err)
	}
	shot(t, ctx, "agency-form")
	do(t, ctx, chromedp.Click(chromedp.ID("agency-submit")), chromedp.WaitVisible(chromedp.ID("draft-actions")))
	shot(t, ctx, "agency-draft")
	items := text(t, ctx, "#items")
	for _, w := range []string{"臺中市政府地方稅務局", "衛生福利部中央健康保險署中區業務組", "台灣電力公司台中區營業處", "07-1234-5678"} {
		if !strings.Contains(items, w) {
			t.Errorf("application lacks %q", w)
		}
	}
	// Open the PDF the button links to, as the browser receives it.
	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('print-pdf').href`))
	if err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(`+"`"+href+"`"+`).then(r => r.arrayBuffer().then(b => r.headers.get('content-type') + ' ' + String.fromCharCode(...new Uint8Array(b.slice(0, 5))) + ' ' + b.byteLength))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(got, "application/pdf %PDF-") {
		t.Fatalf("PDF link answered %q", got)
	}
	do(t, ctx, chromedp.Click(chromedp.ID("send")), chromedp.WaitVisible(chromedp.ID("sent-note")))
	shot(t, ctx, "agency-sent")
	if v := text(t, ctx, "#items"); strings.Count(v, "已送出，待機關取件") != 3 {
		t.Errorf("after sending: %q", v)
	}
	// The person page loads each agency's status.
	do(t, ctx, chromedp.Navigate(e.Srv.URL+"/persons/A123456789"), chromedp.WaitVisible(chromedp.ID("agency-status")))
	shot(t, ctx, "agency-person")
	if v := text(t, ctx, "#agency-status"); strings.Count(v, "已送出，待機關取件") != 3 || !strings.Contains(v, "台灣電力公司台中區營業處") {
		t.Errorf("person page status: %q", v)
	}
}

// TestBrowserAgencySupervisorPages: with two months of demo history the
// supervisor sees the statistics and the overdue list; the city level (admin)
// the register.
func TestBrowserAgencySupervisorPages(t *testing.T) {
	e := newEnv(t)
	if _, err := agency.SeedDemo(context.Background(), e.DB, e.App.Config.DataDir); err != nil {
		t.Fatal(err)
	}
	ctx := browser(t)
	do(t, ctx, chromedp.Navigate(e.Srv.URL+"/login"), chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), "supervisor"),
		chromedp.SendKeys(chromedp.ID("password"), "demo\n"),
		chromedp.WaitVisible(chromedp.ID("home-q")))
	from := rocdate.ISO(rocdate.Today(e.DB.Now()).AddDate(0, 0, -70))
	do(t, ctx, chromedp.Navigate(e.Srv.URL+"/agency/stats?group=category&from="+from), chromedp.WaitVisible(chromedp.ID("stats")))
	shot(t, ctx, "agency-stats")
	if v := text(t, ctx, "#total-items"); v == "" || v == "0" {
		t.Errorf("statistics total %q", v)
	}
	do(t, ctx, chromedp.Navigate(e.Srv.URL+"/agency/overdue"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	shot(t, ctx, "agency-overdue")
	if v := text(t, ctx, "main"); !strings.Contains(v, "逾期") {
		t.Errorf("overdue page: %q", v)
	}
	if v := text(t, ctx, "nav.tabs"); strings.Contains(v, "合作機關") {
		t.Errorf("an office supervisor is offered the city's register: %q", v)
	}
	ctx = browser(t) // a fresh browser for the admin
	do(t, ctx, chromedp.Navigate(e.Srv.URL+"/login"), chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), "admin"),
		chromedp.SendKeys(chromedp.ID("password"), "demo\n"),
		chromedp.WaitVisible(chromedp.ID("home-q")))
	do(t, ctx, chromedp.Navigate(e.Srv.URL+"/agency/register"), chromedp.WaitVisible(chromedp.CSS("table.grid")))
	shot(t, ctx, "agency-register")
	do(t, ctx, chromedp.Click(chromedp.CSS(`a[href^="/agency/register/"]:not([href$="new"])`)), chromedp.WaitVisible(chromedp.ID("keys-h")))
	shot(t, ctx, "agency-edit")
}
