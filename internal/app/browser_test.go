package app_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromiumPath finds Debian's Chromium; the test command installs it.
func chromiumPath(t *testing.T) string {
	for _, p := range []string{os.Getenv("EBAZHAO_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"} {
		if p != "" {
			if _, err := os.Stat(p); err == nil {
				return p
			}
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	t.Fatal("headless Chromium not found: install Debian's chromium (scripts/test.sh does) or set EBAZHAO_CHROMIUM")
	return ""
}

// browser starts headless Chromium with the flags this sandboxed machine needs.
func browser(t *testing.T) context.Context {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "zh-TW"),
		chromedp.WindowSize(1366, 768),
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	return ctx
}

// shot saves a screenshot when EBAZHAO_SCREENSHOTS names a folder.
func shot(t *testing.T, ctx context.Context, name string) {
	dir := os.Getenv("EBAZHAO_SCREENSHOTS")
	if dir == "" {
		return
	}
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644)
}

// text returns the visible text of the first element matching css.
func text(t *testing.T, ctx context.Context, css string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(css)))
	if err != nil {
		t.Fatalf("text of %s: %v", css, err)
	}
	return s
}

func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

func TestBrowserClerkLogsInSearchesAndOpensPerson(t *testing.T) {
	e := newEnv(t)
	ctx := browser(t)
	do(t, ctx, chromedp.Navigate(e.Srv.URL+"/"), chromedp.WaitVisible(chromedp.ID("username")))
	shot(t, ctx, "login")
	title, err := chromedp.Run(ctx, chromedp.Title())
	if err != nil || !strings.Contains(title, "登入") {
		t.Errorf("login page title %q, %v", title, err)
	}
	do(t, ctx,
		chromedp.SendKeys(chromedp.ID("username"), "clerk"),
		chromedp.SendKeys(chromedp.ID("password"), "demo\n"),
		chromedp.WaitVisible(chromedp.ID("home-q")))
	shot(t, ctx, "home")
	home := text(t, ctx, "main")
	for _, w := range []string{"王小明，您好", "今日概況"} {
		if !strings.Contains(home, w) {
			t.Errorf("home lacks %q", w)
		}
	}
	// Keyboard only: the search field has focus; type a name prefix and press Enter.
	do(t, ctx, chromedp.SendKeys(chromedp.ID("home-q"), "王\n"), chromedp.WaitVisible(chromedp.CSS("table.grid")))
	shot(t, ctx, "search")
	results := text(t, ctx, "#results")
	if !strings.Contains(results, "A123456789") || !strings.Contains(results, "王大明") {
		t.Errorf("search results lack 王大明: %q", results)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS(`a[href="/persons/A123456789"]`)), chromedp.WaitVisible(chromedp.CSS("dl.facts")))
	shot(t, ctx, "person")
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	if !strings.HasSuffix(loc, "/persons/A123456789") {
		t.Errorf("person page at %s", loc)
	}
	person := text(t, ctx, "main")
	for _, w := range []string{"王大明", "A123456789", "民國69年5月20日", "臺中市西屯區福科路100號"} {
		if !strings.Contains(person, w) {
			t.Errorf("person page lacks %q", w)
		}
	}
}

// loginBrowser logs the demo user in through the login form.
func loginBrowser(t *testing.T, ctx context.Context, base, user string) {
	t.Helper()
	do(t, ctx, chromedp.Navigate(base+"/login"), chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), user), chromedp.SendKeys(chromedp.ID("password"), "demo\n"),
		chromedp.WaitVisible(chromedp.ID("home-q")))
}

func TestBrowserFineCalculator(t *testing.T) {
	e := newEnv(t)
	ctx := browser(t)
	loginBrowser(t, ctx, e.Srv.URL, "clerk")
	do(t, ctx, chromedp.Navigate(e.Srv.URL+"/calc/fine"), chromedp.WaitVisible(chromedp.ID("f-registration")),
		chromedp.SetValue(chromedp.ID("f-registration"), "死亡登記"),
		chromedp.SendKeys(chromedp.ID("f-event_date"), "113.1.10"),
		chromedp.SendKeys(chromedp.ID("f-application_date"), "113.5.20\n"),
		chromedp.WaitVisible(chromedp.CSS("section.result")))
	shot(t, ctx, "calc-fine")
	res := text(t, ctx, "section.result")
	for _, w := range []string{"逾期日數", "戶籍法第79條", "計算步驟", "民國113年"} {
		if !strings.Contains(res, w) {
			t.Errorf("fine result lacks %q:\n%s", w, res)
		}
	}
}
