package app_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"ebazhao/internal/rating"
)

// TestBrowserTour opens every subsystem's main page in a real browser, as the
// users who work there, and checks each renders its heading and no error page.
// With EBAZHAO_SCREENSHOTS set it leaves a screenshot of each to look at.
func TestBrowserTour(t *testing.T) {
	e := newEnv(t)
	if err := rating.SeedDemo(context.Background(), e.DB, "xitun", e.DB.Now()); err != nil {
		t.Fatal(err)
	}
	ctx := browser(t)
	tours := []struct {
		user  string
		pages map[string]string // path → text that must appear
	}{
		{"clerk", map[string]string{
			"/":             "今日概況",
			"/persons?q=王":  "王大明",
			"/documents":    "行政文書",
			"/calc":         "計算工具",
			"/fees":         "規費",
			"/seals":        "印鑑",
			"/archive":      "申請書",
			"/agency":       "N加e",
			"/forms":        "表單",
			"/tips/counter": "貼心小叮嚀",
		}},
		{"supervisor", map[string]string{
			"/rating":          "服務滿意度統計",
			"/rating/alerts":   "不滿意警示",
			"/admin/users":     "使用者管理",
			"/admin/audit":     "稽核紀錄",
			"/calc/calendar":   "辦公日曆",
			"/seals/approvals": "印鑑補登核准",
		}},
		{"admin", map[string]string{
			"/agency/register": "合作機關",
			"/fees/schedule":   "收費標準",
		}},
		{"cashier", map[string]string{"/fees/settlement": "日結"}},
	}
	for _, tour := range tours {
		loginBrowser(t, ctx, e.Srv.URL, tour.user)
		for path, want := range tour.pages {
			do(t, ctx, chromedp.Navigate(e.Srv.URL+path), chromedp.WaitVisible(chromedp.CSS("main h1")))
			body := text(t, ctx, "main")
			if !strings.Contains(body, want) {
				t.Errorf("%s as %s lacks %q", path, tour.user, want)
			}
			if strings.Contains(body, "無法完成") || strings.Contains(body, "系統發生錯誤") {
				t.Errorf("%s as %s shows an error page", path, tour.user)
			}
			shot(t, ctx, "tour-"+tour.user+strings.NewReplacer("/", "_", "?", "_", "=", "_").Replace(path))
		}
		do(t, ctx, chromedp.Navigate(e.Srv.URL+"/"), chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)), chromedp.WaitVisible(chromedp.ID("username")))
	}
}
