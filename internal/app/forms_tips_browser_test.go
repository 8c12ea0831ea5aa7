package app_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ebazhao/internal/platform/clock"

	"github.com/chromedp/chromedp"
)

func waitCount(t *testing.T, e *env, q string, want int) {
	t.Helper()
	deadline := clock.After(15 * time.Second)
	var n int
	for !clock.Passed(deadline) {
		e.DB.QueryRow(t.Context(), q).Scan(&n)
		if n >= want {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s = %d, want %d", q, n, want)
}

func TestBrowserClerkFindsFormAndPrintsPrefilled(t *testing.T) {
	e := newEnv(t)
	ctx := browser(t)
	do(t, ctx, chromedp.Navigate(e.Srv.URL+"/login"), chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), "clerk"),
		chromedp.SendKeys(chromedp.ID("password"), "demo\n"),
		chromedp.WaitVisible(chromedp.ID("home-q")))
	start := clock.Start()
	// Type part of the name: the ranked list appears while typing.
	do(t, ctx, chromedp.Navigate(e.Srv.URL+"/forms"), chromedp.WaitVisible(chromedp.ID("form-q")),
		chromedp.SendKeys(chromedp.ID("form-q"), "戶籍登記申"),
		chromedp.WaitVisible(chromedp.CSS(`#results a[href="/forms/household-application"]`)))
	shot(t, ctx, "forms-search")
	first := text(t, ctx, "#results tbody tr")
	if !strings.Contains(first, "戶籍登記申請書") {
		t.Errorf("best match is %q", first)
	}
	// Enter opens the best match; the first ID field has the focus; ID + Enter prints pre-filled.
	do(t, ctx, chromedp.SendKeys(chromedp.ID("form-q"), "\n"), chromedp.WaitVisible(chromedp.ID("person_a")))
	shot(t, ctx, "form-household-application")
	do(t, ctx, chromedp.SendKeys(chromedp.ID("person_a"), "A123456789\n"))
	waitCount(t, e, `SELECT COALESCE(SUM(n), 0) FROM form_print_stats st JOIN forms f ON f.id = st.form_id WHERE f.code = 'household-application' AND st.mode = 'filled'`, 1)
	t.Logf("found and printed 戶籍登記申請書 pre-filled in %v", start.Elapsed().Round(time.Millisecond))

	// The consent form (同意書) of the seed's 陳小姐 example, the same way.
	do(t, ctx, chromedp.Navigate(e.Srv.URL+"/forms"), chromedp.WaitVisible(chromedp.ID("form-q")),
		chromedp.SendKeys(chromedp.ID("form-q"), "同意書 未成年"),
		chromedp.WaitVisible(chromedp.CSS(`#results a[href="/forms/consent-minor"]`)),
		chromedp.SendKeys(chromedp.ID("form-q"), "\n"), chromedp.WaitVisible(chromedp.ID("person_a")),
		chromedp.SendKeys(chromedp.ID("person_a"), "A123456789"),
		chromedp.SendKeys(chromedp.ID("case_matter"), "改名\n"))
	waitCount(t, e, `SELECT COALESCE(SUM(n), 0) FROM form_print_stats st JOIN forms f ON f.id = st.form_id WHERE f.code = 'consent-minor' AND st.mode = 'filled'`, 1)
	shot(t, ctx, "form-consent-minor")

	// The tip sheet for a newborn's parent.
	do(t, ctx, chromedp.Navigate(e.Srv.URL+"/tips/counter?kind=birth"), chromedp.WaitVisible(chromedp.ID("idno")))
	shot(t, ctx, "tips-counter")
	do(t, ctx, chromedp.SendKeys(chromedp.ID("idno"), "A123456789\n"))
	waitCount(t, e, `SELECT COALESCE(SUM(n), 0) FROM tip_print_stats st JOIN tip_categories c ON c.id = st.category_id WHERE c.code = 'birth'`, 1)
}

func TestBrowserPublicTipsOnPhone(t *testing.T) {
	e := newEnv(t)
	ctx := browser(t)
	do(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
		chromedp.Navigate(e.Srv.URL+"/tips"), chromedp.WaitVisible(chromedp.CSS(".tp-cats")))
	shot(t, ctx, "tips-phone")
	fits, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth`))
	if err != nil || !fits {
		t.Errorf("public tips page wider than a phone screen (%v)", err)
	}
	main := text(t, ctx, "main")
	for _, w := range []string{"戶政貼心小叮嚀", "出生", "改名", "遷徙", "結婚", "國籍", "護照親辦", "離婚", "死亡"} {
		if !strings.Contains(main, w) {
			t.Errorf("public tips page lacks %q", w)
		}
	}
	do(t, ctx, chromedp.Click(chromedp.CSS(`a[href="/tips/death"]`)), chromedp.WaitVisible(chromedp.CSS("article.tip")))
	shot(t, ctx, "tips-death-phone")
	viewShot(t, ctx, "tips-death-phone-screen")
	fits, _ = chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth`))
	if !fits {
		t.Error("category page wider than a phone screen")
	}
	body := text(t, ctx, "main")
	for _, w := range []string{"遺產稅申報", "被繼承人死亡之日起6個月內", "拋棄繼承"} {
		if !strings.Contains(body, w) {
			t.Errorf("death tips lack %q", w)
		}
	}
	do(t, ctx, chromedp.Navigate(e.Srv.URL+"/tips?q=護照"), chromedp.WaitVisible(chromedp.CSS("article.tip")))
	shot(t, ctx, "tips-search-phone")
}

// viewShot saves what the screen shows (not the whole page) when EBAZHAO_SCREENSHOTS is set.
func viewShot(t *testing.T, ctx context.Context, name string) {
	dir := os.Getenv("EBAZHAO_SCREENSHOTS")
	if dir == "" {
		return
	}
	buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644)
}
