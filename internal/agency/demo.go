package agency

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	mrand "math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"

	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
)

// DemoInfo tells the demo's user how partner agencies log in.
type DemoInfo struct {
	// Tokens are API credentials of two API agencies (demo values, fixed so a
	// demo script can use them; a real credential is random).
	Tokens map[string]string
	// SFTPUser and SFTPKey: the SFTP login of a file agency and its private key file.
	SFTPUser string
	SFTPKey  string
}

// Demo agencies: two pull over the API, one downloads daily files.
const (
	demoAPI1 = "tax_taichung"
	demoAPI2 = "nhi_central"
	demoSFTP = "taipower_taichung"
)

// SeedDemo adds demo credentials and about two months of history (sent
// applications, pulls, acknowledgements, rejections, overdue items) so the
// tracking and statistics pages have something to show. It needs the demo
// accounts "clerk" and "clerk2" and demo people, and is idempotent.
func SeedDemo(ctx context.Context, d *db.DB, dataDir string) (*DemoInfo, error) {
	s := New(d, dataDir, slog.Default())
	if err := s.Init(ctx); err != nil {
		return nil, err
	}
	info := &DemoInfo{Tokens: map[string]string{}, SFTPUser: demoSFTP}
	sys := audit.Actor{Username: "demo"}
	for _, code := range []string{demoAPI1, demoAPI2} {
		a, err := s.AgencyByCode(ctx, code)
		if err != nil {
			return nil, err
		}
		tok := TokenPrefix + "demo_" + code
		info.Tokens[code] = tok
		var n int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM agency_tokens WHERE token_hash = ?`, hashSecret(tok)).Scan(&n); err != nil {
			return nil, err
		}
		if n == 0 {
			if err := s.storeToken(ctx, sys, a.ID, "展示用", tok); err != nil {
				return nil, err
			}
		}
	}
	if dataDir != "" {
		keyFile, err := s.demoKey(ctx, sys)
		if err != nil {
			return nil, err
		}
		info.SFTPKey = keyFile
	}
	if err := s.demoHistory(ctx); err != nil {
		return nil, err
	}
	return info, nil
}

// demoKey writes (once) an SSH key pair for the SFTP demo agency under
// <data>/keys and registers its public half.
func (s *Service) demoKey(ctx context.Context, actor audit.Actor) (string, error) {
	dir, err := s.keysDir()
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "demo_agency_"+demoSFTP)
	var priv ed25519.PrivateKey
	if b, err := os.ReadFile(path); err == nil {
		k, err := ssh.ParseRawPrivateKey(b)
		if err != nil {
			return "", fmt.Errorf("demo key %s: %w", path, err)
		}
		p, ok := k.(*ed25519.PrivateKey)
		if !ok {
			return "", fmt.Errorf("demo key %s is not ed25519", path)
		}
		priv = *p
	} else if errors.Is(err, fs.ErrNotExist) {
		if _, priv, err = ed25519.GenerateKey(rand.Reader); err != nil {
			return "", err
		}
		blk, err := ssh.MarshalPrivateKey(priv, "ebazhao demo "+demoSFTP)
		if err != nil {
			return "", err
		}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return "", err
		}
		if err := os.WriteFile(path, pem.EncodeToMemory(blk), 0o600); err != nil {
			return "", err
		}
	} else {
		return "", err
	}
	signer, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		return "", err
	}
	a, err := s.AgencyByCode(ctx, demoSFTP)
	if err != nil {
		return "", err
	}
	var n int
	if err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM agency_ssh_keys WHERE agency_id = ? AND fingerprint = ? AND revoked_at = ''`,
		a.ID, ssh.FingerprintSHA256(signer.PublicKey())).Scan(&n); err != nil {
		return "", err
	}
	if n == 0 {
		line := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(signer.PublicKey()))) + " demo"
		if _, err := s.AddSSHKey(ctx, actor, a.ID, line); err != nil {
			return "", err
		}
	}
	return path, nil
}

// demoHistory creates applications over the past 60 days, once.
func (s *Service) demoHistory(ctx context.Context) error {
	var n int
	if err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM agency_applications WHERE idempotency_key LIKE 'demo-history-%'`).Scan(&n); err != nil || n > 0 {
		return err
	}
	a := auth.New(s.DB, auth.DefaultPolicy())
	var clerks []*auth.User
	for _, name := range []string{"clerk", "clerk2"} {
		u, err := a.UserByName(ctx, name)
		if err != nil {
			return fmt.Errorf("agency demo: account %s: %w", name, err)
		}
		clerks = append(clerks, u)
	}
	rows, err := s.DB.Query(ctx, `SELECT id_no, addr_household FROM persons WHERE id_no <> 'A123456789' ORDER BY id LIMIT 40`)
	if err != nil {
		return err
	}
	type who struct{ id, addr string }
	var people []who
	for rows.Next() {
		var w who
		if err := rows.Scan(&w.id, &w.addr); err != nil {
			rows.Close()
			return err
		}
		people = append(people, w)
	}
	rows.Close()
	if len(people) == 0 {
		return nil
	}
	all, err := s.Agencies(ctx, AgencyFilter{ActiveOnly: true, Kind: "move"})
	if err != nil {
		return err
	}
	rng := mrand.New(mrand.NewPCG(113, 7))
	realNow, saved := s.now(), s.Now
	defer func() { s.Now = saved }()
	streets := []string{"崇德路三段", "文心路四段", "太原路二段", "大墩十街", "中興路一段", "環中路四段"}
	for i := 0; i < 60; i++ {
		p := people[i%len(people)]
		at := realNow.AddDate(0, 0, -60+i).Add(time.Duration(rng.IntN(6)) * time.Hour)
		s.Now = func() time.Time { return at }
		clerk := clerks[rng.IntN(len(clerks))]
		in := NewApplication{IdempotencyKey: fmt.Sprintf("demo-history-%04d", i), Kind: "move", PersonIDNo: p.id,
			Fields: map[string]string{"old_address": p.addr, "new_address": fmt.Sprintf("臺中市北屯區%s%d號", streets[rng.IntN(len(streets))], 1+rng.IntN(300)),
				"event_date": civil.Of(at).ISO()}}
		picked := map[int64]bool{}
		for len(in.Agencies) < 2+rng.IntN(4) {
			ag := all[rng.IntN(len(all))]
			if picked[ag.ID] {
				continue
			}
			picked[ag.ID] = true
			sel := Selection{AgencyID: ag.ID}
			if ag.AccountLabel != "" {
				sel.AccountNo = fmt.Sprintf("%02d-%04d-%04d", rng.IntN(100), rng.IntN(10000), rng.IntN(10000))
			}
			in.Agencies = append(in.Agencies, sel)
		}
		if p.addr == in.Fields["new_address"] || p.addr == "" {
			continue
		}
		app, _, err := s.Create(ctx, clerk, 0, "demo", in)
		if err != nil {
			return fmt.Errorf("agency demo application %d: %w", i, err)
		}
		if _, err := s.Send(ctx, clerk, "demo", app.ID); err != nil {
			return err
		}
		app, err = s.Application(ctx, app.ID)
		if err != nil {
			return err
		}
		// Agencies fetch within a day; most answer within a few days, some
		// never did (overdue), the last few are not fetched yet.
		for _, it := range app.Items {
			if i > 57 {
				continue
			}
			fetched := at.Add(time.Duration(1+rng.IntN(20)) * time.Hour)
			via := "api"
			if ag, err := s.AgencyByID(ctx, it.AgencyID); err == nil && ag.Delivery == DeliverSFTP {
				via = "sftp"
				fetched = at.Add(time.Duration(16+rng.IntN(10)) * time.Hour) // the next morning's file
			}
			if _, err := s.DB.Exec(ctx, `UPDATE agency_items SET delivered_at = ?, delivered_via = ? WHERE id = ?`, db.FormatTime(fetched), via, it.ID); err != nil {
				return err
			}
			if rng.IntN(10) == 0 || i > 55 {
				continue
			}
			ackAt := fetched.Add(time.Duration(2+rng.IntN(100)) * time.Hour)
			s.Now = func() time.Time { return ackAt }
			ag, err := s.AgencyByID(ctx, it.AgencyID)
			if err != nil {
				return err
			}
			ack := Ack{Seq: it.Seq, Result: "applied"}
			if rng.IntN(15) == 0 {
				ack = Ack{Seq: it.Seq, Result: "rejected", Reason: "查無此用戶號碼，請民眾洽服務處"}
			}
			if _, err := s.Acknowledge(ctx, ag, "demo", "demo", []Ack{ack}); err != nil {
				return err
			}
		}
	}
	return nil
}
