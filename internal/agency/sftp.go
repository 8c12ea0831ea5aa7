package agency

import (
	"bytes"
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"

	"ebazhao/internal/agency/sftpd"
	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/db"
)

// SSHKey is a public key allowed to log in to an agency's SFTP folder.
type SSHKey struct {
	ID          int64
	AgencyID    int64
	Fingerprint string
	Type        string
	Comment     string
	CreatedAt   time.Time
	LastUsedAt  time.Time
	RevokedAt   time.Time
}

// ParseSSHKey reads one authorized_keys line and refuses weak key types.
func ParseSSHKey(line string) (ssh.PublicKey, string, error) {
	key, comment, _, _, err := ssh.ParseAuthorizedKey([]byte(strings.TrimSpace(line)))
	if err != nil {
		return nil, "", errors.New("公鑰格式錯誤：請貼上 authorized_keys 格式的一行（如 ssh-ed25519 AAAA… 說明）")
	}
	switch key.Type() {
	case ssh.KeyAlgoED25519, ssh.KeyAlgoECDSA256, ssh.KeyAlgoECDSA384, ssh.KeyAlgoECDSA521:
	case ssh.KeyAlgoRSA:
		ck, ok := key.(ssh.CryptoPublicKey)
		if !ok {
			return nil, "", errors.New("無法讀取 RSA 公鑰")
		}
		if rk, ok := ck.CryptoPublicKey().(*rsa.PublicKey); !ok || rk.N.BitLen() < 3072 {
			return nil, "", errors.New("RSA 公鑰長度須至少 3072 位元；建議改用 ed25519")
		}
	default:
		return nil, "", fmt.Errorf("不接受 %s 金鑰；請使用 ed25519、ECDSA 或 3072 位元以上的 RSA", key.Type())
	}
	if len([]rune(comment)) > 100 {
		comment = string([]rune(comment)[:100])
	}
	return key, comment, nil
}

// AddSSHKey registers a public key for an agency's SFTP login.
func (s *Service) AddSSHKey(ctx context.Context, actor audit.Actor, agencyID int64, line string) (*SSHKey, error) {
	key, comment, err := ParseSSHKey(line)
	if err != nil {
		return nil, &ValidationError{Err: err}
	}
	fp := ssh.FingerprintSHA256(key)
	k := &SSHKey{AgencyID: agencyID, Fingerprint: fp, Type: key.Type(), Comment: comment}
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM agency_ssh_keys WHERE agency_id = ? AND fingerprint = ? AND revoked_at = ''`, agencyID, fp).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return invalid("此公鑰已登錄（%s）", fp)
		}
		var by any
		if actor.UserID != 0 {
			by = actor.UserID
		}
		if err := tx.QueryRow(ctx, `INSERT INTO agency_ssh_keys (agency_id, fingerprint, public_key, comment, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			agencyID, fp, strings.TrimSpace(string(ssh.MarshalAuthorizedKey(key))), comment, db.FormatTime(s.now()), by).Scan(&k.ID); err != nil {
			return err
		}
		e := audit.For(actor, "agency.sshkey.add", "agency", fmt.Sprint(agencyID))
		e.Detail = fmt.Sprintf("key %d %s %s", k.ID, key.Type(), fp)
		return audit.Log(ctx, tx, e)
	})
	if err != nil {
		return nil, err
	}
	return k, nil
}

// RevokeSSHKey disables a key; sessions already open end at their next login.
func (s *Service) RevokeSSHKey(ctx context.Context, actor audit.Actor, agencyID, keyID int64) error {
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE agency_ssh_keys SET revoked_at = ? WHERE id = ? AND agency_id = ? AND revoked_at = ''`, db.FormatTime(s.now()), keyID, agencyID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return db.ErrNotFound
		}
		e := audit.For(actor, "agency.sshkey.revoke", "agency", fmt.Sprint(agencyID))
		e.Detail = fmt.Sprintf("key %d", keyID)
		return audit.Log(ctx, tx, e)
	})
}

// SSHKeys lists an agency's keys.
func (s *Service) SSHKeys(ctx context.Context, agencyID int64) ([]SSHKey, error) {
	rows, err := s.DB.Query(ctx, `SELECT id, agency_id, fingerprint, public_key, comment, created_at, last_used_at, revoked_at FROM agency_ssh_keys
		WHERE agency_id = ? ORDER BY id`, agencyID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SSHKey
	for rows.Next() {
		var k SSHKey
		var pub, c, u, r string
		if err := rows.Scan(&k.ID, &k.AgencyID, &k.Fingerprint, &pub, &k.Comment, &c, &u, &r); err != nil {
			return nil, err
		}
		k.Type, _, _ = strings.Cut(pub, " ")
		k.CreatedAt, k.LastUsedAt, k.RevokedAt = parseTime(c), parseTime(u), parseTime(r)
		out = append(out, k)
	}
	return out, rows.Err()
}

// errRefused is what a refused SFTP login is told (nothing more).
var errRefused = errors.New("not authorized")

// AuthorizeSSH decides an SFTP login: the user is an active agency's code that
// takes files, and the key is one of its registered, unrevoked keys. The
// principal's folder is created if missing and must not be a symbolic link.
func (s *Service) AuthorizeSSH(ctx context.Context, user string, key ssh.PublicKey, client string) (*sftpd.Principal, error) {
	if !ValidCode(user) {
		return nil, errRefused
	}
	a, err := s.AgencyByCode(ctx, user)
	if err != nil && !errors.Is(err, db.ErrNotFound) {
		s.Log.Error("sftp login: agency lookup", "user", user, "err", err)
	}
	if err != nil || !a.Active || !a.Files() {
		return nil, errRefused
	}
	fp := ssh.FingerprintSHA256(key)
	var id int64
	var stored string
	err = s.DB.QueryRow(ctx, `SELECT id, public_key FROM agency_ssh_keys WHERE agency_id = ? AND fingerprint = ? AND revoked_at = ''`, a.ID, fp).Scan(&id, &stored)
	if err != nil {
		return nil, errRefused
	}
	pk, _, _, _, err := ssh.ParseAuthorizedKey([]byte(stored))
	if err != nil || !bytes.Equal(pk.Marshal(), key.Marshal()) {
		return nil, errRefused
	}
	root, err := s.FilesRoot()
	if err != nil {
		return nil, errRefused
	}
	dir := filepath.Join(root, a.Code)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		s.Log.Error("sftp folder", "agency", a.Code, "err", err)
		return nil, errRefused
	}
	if fi, err := os.Lstat(dir); err != nil || !fi.IsDir() {
		s.Log.Error("sftp folder is not a plain folder", "agency", a.Code, "path", dir)
		return nil, errRefused
	}
	if _, err := s.DB.Exec(ctx, `UPDATE agency_ssh_keys SET last_used_at = ? WHERE id = ?`, db.FormatTime(s.now()), id); err != nil {
		s.Log.Warn("sftp key last use", "err", err)
	}
	return &sftpd.Principal{User: a.Code, Root: dir}, nil
}

// SFTPServer builds the SFTP endpoint with the host key under <data>/keys and
// the audit hooks.
func (s *Service) SFTPServer() (*sftpd.Server, error) {
	hk, err := s.HostKey()
	if err != nil {
		return nil, err
	}
	audited := func(ctx context.Context, actor audit.Actor, action, id, outcome, detail string) {
		e := audit.For(actor, action, "agency", id)
		e.Outcome, e.Detail = outcome, detail
		if err := audit.Record(context.WithoutCancel(ctx), s.DB, e); err != nil {
			s.Log.Error("audit", "action", action, "err", err)
		}
	}
	return &sftpd.Server{
		HostKey:   hk,
		Authorize: s.AuthorizeSSH,
		Log:       s.Log,
		LoggedIn: func(ctx context.Context, p *sftpd.Principal, client string) {
			audited(ctx, audit.Actor{Username: "agency:" + p.User, Client: client}, "agency.sftp.login", p.User, audit.OK, "key "+p.Fingerprint)
		},
		Refused: func(ctx context.Context, user, client, reason string) {
			if !ValidCode(user) {
				return
			}
			if _, err := s.AgencyByCode(ctx, user); err != nil {
				return // not an agency: scanners are logged, not audited
			}
			audited(ctx, audit.Actor{Username: "agency:" + user, Client: client}, "agency.sftp.login", user, audit.Denied, reason)
		},
		Denied: func(ctx context.Context, p *sftpd.Principal, op, path, client string) {
			audited(ctx, audit.Actor{Username: "agency:" + p.User, Client: client}, "agency.sftp.refused", p.User, audit.Denied, op+" "+path)
		},
		Downloaded: func(ctx context.Context, p *sftpd.Principal, name, client string) {
			if err := s.MarkDownloaded(context.WithoutCancel(ctx), p.User, name, client, p.Fingerprint); err != nil {
				s.Log.Error("sftp download record", "agency", p.User, "file", name, "err", err)
			}
		},
	}, nil
}

// ServeSFTP runs the SFTP endpoint on addr until ctx ends; it fails at once
// when the address cannot be listened on.
func (s *Service) ServeSFTP(ctx context.Context, addr string) error {
	srv, err := s.SFTPServer()
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("sftp: listen %s: %w", addr, err)
	}
	s.Log.Info("SFTP endpoint for partner agencies", "addr", ln.Addr().String(), "host_key", ssh.FingerprintSHA256(srv.HostKey.PublicKey()))
	return srv.ServeListener(ctx, ln)
}
