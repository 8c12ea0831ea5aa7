package auth

import (
	"errors"
	"testing"
)

func TestPasswordHashAndCheck(t *testing.T) {
	h, err := HashPassword("戶政e把罩2026")
	if err != nil {
		t.Fatal(err)
	}
	if !CheckPassword(h, "戶政e把罩2026") {
		t.Error("right password rejected")
	}
	for _, wrong := range []string{"", "戶政e把罩2025", "x"} {
		if CheckPassword(h, wrong) {
			t.Errorf("wrong password %q accepted", wrong)
		}
	}
	h2, _ := HashPassword("戶政e把罩2026")
	if h == h2 {
		t.Error("same hash twice: salt missing")
	}
	for _, bad := range []string{"", "$argon2id$v=19$m=1,t=1,p=1$!!$!!", "$bcrypt$x"} {
		if CheckPassword(bad, "x") {
			t.Errorf("malformed hash %q accepted", bad)
		}
	}
}

func TestCheckStrength(t *testing.T) {
	cases := map[string]bool{"short1": false, "onlyletters": false, "12345678": false, "abcd1234": true, "密碼很長很長很長1": true}
	for pw, ok := range cases {
		err := CheckStrength(pw, 8)
		if (err == nil) != ok || (err != nil && !errors.Is(err, ErrWeakPassword)) {
			t.Errorf("CheckStrength(%q) = %v, want ok=%v", pw, err, ok)
		}
	}
	if err := CheckStrength(OneTimePassword(), 8); err != nil {
		t.Errorf("one-time password fails the policy: %v", err)
	}
}

// Passwords guessed first are refused with any digits around them, and so is
// one containing the username (issue 17, item 10: password1, cashier21).
func TestCheckStrengthForRefusesTheGuessedFirst(t *testing.T) {
	cases := []struct {
		pw, user string
		ok       bool
	}{
		{"password1", "clerk", false},
		{"Password2026!", "clerk", false},
		{"cashier21", "cashier", false},
		{"clerk2026x", "clerk", false},
		{"xx-clerk2-99", "clerk2", false},
		{"abcd1234", "clerk", false},
		{"qwerty2026", "clerk", false},
		{"1qaz2wsx", "clerk", false},
		{"taichung2026", "clerk", false},
		{"new-pass-2026", "clerk", true},
		{"kq7mz2pw", "clerk", true},
		{"戶政e把罩2026", "clerk", true},
		{OneTimePassword(), "admin", true},
	}
	for _, c := range cases {
		err := CheckStrengthFor(c.pw, c.user, 8)
		if (err == nil) != c.ok || (err != nil && !errors.Is(err, ErrWeakPassword)) {
			t.Errorf("CheckStrengthFor(%q, %q) = %v, want ok=%v", c.pw, c.user, err, c.ok)
		}
	}
}

func TestRolePermissionsMirrorTheSeed(t *testing.T) {
	// 作業規範 肆.一(二): clerks issue documents and use the calculators; supervisors
	// also maintain templates; only 機房人員 do everything.
	if !Clerk.Can(DocumentIssue) || !Clerk.Can(CalcUse) || Clerk.Can(TemplateManage) {
		t.Error("clerk permissions")
	}
	if !Supervisor.Can(TemplateManage) || !Supervisor.Can(RatingView) || Supervisor.Can(CityWide) {
		t.Error("supervisor permissions")
	}
	// 肆.一(七): scanning staff scan and read archives but issue nothing.
	if !Scanner.Can(ArchiveScan) || Scanner.Can(DocumentIssue) || Scanner.Can(FeeCollect) {
		t.Error("scanner permissions")
	}
	// 肆.一(四): ratings only for the staff in charge and supervisors.
	if Clerk.Can(RatingView) || Cashier.Can(RatingView) {
		t.Error("rating visible to clerk or cashier")
	}
	for p := range map[Permission]bool{PersonRead: true, UserManage: true, CityWide: true, FeeSettle: true} {
		if !Admin.Can(p) {
			t.Errorf("admin lacks %s", p)
		}
	}
}
