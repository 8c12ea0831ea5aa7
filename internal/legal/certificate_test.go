package legal

import (
	"strings"
	"testing"
)

func TestCertificateExtendWindow(t *testing.T) {
	// MOICA: extension once, from 60 days before the 5-year expiry to 3 years after it,
	// for 3 years counted from the original expiry (seed 003/004).
	tests := []struct {
		name, on  string
		canExtend bool
		valid     bool
	}{
		{"61 days before expiry: too early", "2024-08-01", false, true},
		{"60 days before expiry: window opens", "2024-08-02", true, true},
		{"expiry day", "2024-10-01", true, true},
		{"day after expiry: invalid but extendable", "2024-10-02", true, false},
		{"3 years after expiry: last day", "2027-10-01", true, false},
		{"3 years and a day: too late", "2027-10-02", false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Certificate(Options{}, CertificateRequest{Expiry: D(d("2024-10-01")), On: D(d(tc.on))})
			if err != nil {
				t.Fatal(err)
			}
			if r.CanExtend != tc.canExtend || r.Valid != tc.valid {
				t.Errorf("can_extend %v valid %v\n%s", r.CanExtend, r.Valid, strings.Join(r.Steps, "\n"))
			}
			if r.ExtendWindow == nil || r.ExtendWindow.From.String() != "2024-08-02" || r.ExtendWindow.To.String() != "2027-10-01" {
				t.Errorf("window %+v", r.ExtendWindow)
			}
			if r.ExtendedExpiry.String() != "2027-10-01" {
				t.Errorf("extended expiry %s", r.ExtendedExpiry)
			}
			if r.CanRenewOnline {
				t.Error("an unextended certificate cannot be renewed online")
			}
		})
	}
}

func TestCertificateRenewOnlineWindow(t *testing.T) {
	// online renewal: 60 days before to 1 year after the 8-year end (含展期期間);
	// seed 003 example: expiry 2014/10/01 → from 2014/08/02
	tests := []struct {
		name, on string
		can      bool
		office   bool
	}{
		{"61 days before", "2014-08-01", false, false},
		{"60 days before (seed example)", "2014-08-02", true, false},
		{"8-year end", "2014-10-01", true, false},
		{"1 year after: last day", "2015-10-01", true, false},
		{"1 year and a day: apply at an office", "2015-10-02", false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Certificate(Options{}, CertificateRequest{Expiry: D(d("2014-10-01")), Extended: true, On: D(d(tc.on))})
			if err != nil {
				t.Fatal(err)
			}
			if r.CanRenewOnline != tc.can || r.CanExtend || r.ExtendWindow != nil || r.MustApplyAtOffice != tc.office {
				t.Errorf("%+v", r)
			}
			if r.RenewOnlineWindow.From.String() != "2014-08-02" || r.RenewOnlineWindow.To.String() != "2015-10-01" {
				t.Errorf("window %+v", r.RenewOnlineWindow)
			}
		})
	}
}

func TestCertificateLeapDayAndDelegation(t *testing.T) {
	r, err := Certificate(Options{}, CertificateRequest{Expiry: D(d("2024-02-29")), On: D(d("2024-01-01")), FirstIssued: D(d("2019-02-28"))})
	if err != nil {
		t.Fatal(err)
	}
	if r.ExtendWindow.From.String() != "2023-12-31" || r.ExtendWindow.To.String() != "2027-02-28" || r.ExtendedExpiry.String() != "2027-02-28" {
		t.Errorf("%+v %s", r.ExtendWindow, r.ExtendedExpiry)
	}
	for _, s := range []string{"憑證展期", "用戶代碼重設", "憑證停用", "憑證復用", "修改手機號碼", "修改憑證公佈狀態", "修改聯絡用電子信箱"} {
		if !strings.Contains(strings.Join(r.Delegable, ","), s) {
			t.Errorf("delegable lacks %s", s)
		}
	}
	for _, s := range []string{"憑證申請", "憑證廢止"} {
		if strings.Contains(strings.Join(r.Delegable, ","), s) {
			t.Errorf("%s must not be delegable", s)
		}
	}
	if _, err := Certificate(Options{}, CertificateRequest{}); !IsInputError(err) {
		t.Errorf("missing expiry: %v", err)
	}
	// `on` defaults to Options.Today
	r, _ = Certificate(Options{Today: d("2024-09-01")}, CertificateRequest{Expiry: D(d("2024-10-01"))})
	if r.On.String() != "2024-09-01" || !r.CanExtend {
		t.Errorf("default on: %+v", r)
	}
}
