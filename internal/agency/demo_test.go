package agency

import (
	"fmt"
	"os"
	"testing"

	"golang.org/x/crypto/ssh"

	"ebazhao/internal/person"
	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/idno"
)

func TestSeedDemoIsIdempotentAndUsable(t *testing.T) {
	f := newFixture(t)
	people := &person.Store{DB: f.d}
	for i := 0; i < 5; i++ {
		prefix := fmt.Sprintf("B1%07d", 1000+i)
		c, _ := idno.CheckDigit(prefix)
		p := &person.Person{IDNo: prefix + string(c), Name: "陳示範", AddrHousehold: fmt.Sprintf("臺中市西屯區福科路%d號", i+1), OfficeID: f.clerk.OfficeID}
		if err := people.Create(f.ctx, audit.Actor{Username: "t"}, p); err != nil {
			t.Fatal(err)
		}
	}
	info, err := SeedDemo(f.ctx, f.d, f.s.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	apps := f.count(`SELECT COUNT(*) FROM agency_applications`)
	items := f.count(`SELECT COUNT(*) FROM agency_items`)
	if apps < 50 || items < 2*apps {
		t.Errorf("demo history: %d applications, %d items", apps, items)
	}
	again, err := SeedDemo(f.ctx, f.d, f.s.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	if f.count(`SELECT COUNT(*) FROM agency_applications`) != apps || f.count(`SELECT COUNT(*) FROM agency_tokens`) != 2 ||
		f.count(`SELECT COUNT(*) FROM agency_ssh_keys`) != 1 || again.SFTPKey != info.SFTPKey {
		t.Error("a second demo seed added data")
	}
	for code, tok := range info.Tokens {
		a, _, err := f.s.AgencyByToken(f.ctx, tok)
		if err != nil || a.Code != code {
			t.Errorf("demo token of %s: %v", code, err)
		}
	}
	b, err := os.ReadFile(info.SFTPKey)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := ssh.ParsePrivateKey(b)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.AuthorizeSSH(f.ctx, info.SFTPUser, signer.PublicKey(), "127.0.0.1"); err != nil {
		t.Errorf("demo SFTP key refused: %v", err)
	}
	if n := f.count(`SELECT COUNT(*) FROM agency_items WHERE result = 'applied'`); n == 0 {
		t.Error("demo history has no acknowledged items")
	}
}
