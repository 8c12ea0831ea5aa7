package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"ebazhao/internal/app"
	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/dbtest"
)

// TestMain gives the package's database tests the engine CI asks for (a
// throwaway PostgreSQL cluster with EBAZHAO_TEST_ENGINE=postgres) and the
// test audit key.
func TestMain(m *testing.M) { dbtest.Main(m) }

// runAudit runs `ebazhao audit ARGS…` and returns its exit code and output.
func runAudit(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errs bytes.Buffer
	err := auditCmd(context.Background(), args, &out, &errs)
	var ex exitError
	switch {
	case err == nil:
		return 0, out.String(), errs.String()
	case errors.As(err, &ex):
		return ex.code, out.String(), errs.String() + ex.msg
	}
	return 1, out.String(), errs.String() + err.Error()
}

func auditDB(t *testing.T, n int) (d *db.DB, flags []string) {
	t.Helper()
	url, dir := dbtest.URL(t)
	ctx := context.Background()
	d, err := app.OpenDB(ctx, app.Config{DBURL: url, DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	for i := 1; i <= n; i++ {
		if err := audit.Record(ctx, d, audit.Entry{Username: "clerk", Action: "person.view", ObjectKind: "person", ObjectID: fmt.Sprint(i), Client: "127.0.0.1"}); err != nil {
			t.Fatal(err)
		}
	}
	return d, []string{"--data", dir, "--db", url}
}

func mustExec(t *testing.T, d *db.DB, q string, args ...any) {
	t.Helper()
	if _, err := d.Exec(context.Background(), q, args...); err != nil {
		t.Fatal(err)
	}
}

func TestAuditVerifyAndCheckpointCLI(t *testing.T) {
	t.Setenv("EBAZHAO_BACKUP_DIR", "")
	d, flags := auditDB(t, 10)
	if code, out, errs := runAudit(t, append([]string{"verify"}, flags...)...); code != 0 || !strings.Contains(out, "audit chain intact: 10 entries") {
		t.Fatalf("verify: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs := runAudit(t, append([]string{"checkpoint"}, flags...)...)
	if code != 0 || !strings.Contains(out, "audit checkpoint written: ") || !strings.Contains(errs, "audit checkpoint written") || !strings.Contains(errs, "entries=10") {
		t.Fatalf("checkpoint: exit %d\n%s%s", code, out, errs)
	}
	files, _ := audit.Checkpoints(filepath.Join(flags[1], "backups"))
	if len(files) != 1 {
		t.Fatalf("checkpoint files in the backup folder: %v", files)
	}
	cpFile := files[0]
	var cp map[string]any
	b, _ := os.ReadFile(cpFile)
	if err := json.Unmarshal(b, &cp); err != nil || cp["entries"] != 10.0 || cp["format"] != audit.CheckpointFormat {
		t.Fatalf("checkpoint file: %v\n%s", err, b)
	}
	withCP := append([]string{"verify", "--checkpoint", cpFile}, flags...)
	if code, out, errs := runAudit(t, withCP...); code != 0 || !strings.Contains(out, "still contained") {
		t.Fatalf("verify --checkpoint: exit %d\n%s%s", code, out, errs)
	}
	// Only the public key, given apart from the installation's key.
	pubFile := filepath.Join(t.TempDir(), "audit.pub")
	os.WriteFile(pubFile, []byte(cp["public_key"].(string)+"\n"), 0o644)
	if code, out, errs := runAudit(t, append(withCP, "--public-key", pubFile)...); code != 0 {
		t.Fatalf("verify --public-key: exit %d\n%s%s", code, out, errs)
	}

	// Someone with the database but not the key deletes the last three entries
	// and rewinds the head: the chain alone looks whole …
	var h7 string
	d.QueryRow(context.Background(), `SELECT hash FROM audit_log WHERE seq = 7`).Scan(&h7)
	mustExec(t, d, `DELETE FROM audit_log WHERE seq > 7`)
	mustExec(t, d, `UPDATE audit_head SET seq = 7, hash = ? WHERE id = 1`, h7)
	if code, out, errs := runAudit(t, append([]string{"verify"}, flags...)...); code != 0 || !strings.Contains(out, "intact: 7 entries") {
		t.Fatalf("verify without a checkpoint: exit %d\n%s%s", code, out, errs)
	}
	// … the checkpoint taken before does not.
	code, out, errs = runAudit(t, withCP...)
	if code != 1 || !strings.Contains(errs, "audit chain BROKEN at entry 8: missing") {
		t.Fatalf("verify --checkpoint after truncation: exit %d\n%s%s", code, out, errs)
	}
	// The next checkpoint says so in the log (and is written all the same).
	os.Rename(cpFile, filepath.Join(filepath.Dir(cpFile), audit.CheckpointPrefix+"20000101T000000Z"+audit.CheckpointExt)) // an older name: no clash within the second
	code, out, errs = runAudit(t, append([]string{"checkpoint"}, flags...)...)
	if code != 0 || !strings.Contains(errs, "level=ERROR") || !strings.Contains(errs, "previous checkpoint does not match") || !strings.Contains(errs, "entry 8") {
		t.Fatalf("checkpoint after truncation: exit %d\n%s%s", code, out, errs)
	}
}

func TestAuditVerifyRefusesAForgedCheckpoint(t *testing.T) {
	t.Setenv("EBAZHAO_BACKUP_DIR", "")
	_, flags := auditDB(t, 5)
	if code, out, errs := runAudit(t, append([]string{"checkpoint"}, flags...)...); code != 0 {
		t.Fatalf("checkpoint: exit %d\n%s%s", code, out, errs)
	}
	files, _ := audit.Checkpoints(filepath.Join(flags[1], "backups"))
	cp, err := audit.ReadCheckpoint(files[0])
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name string, c audit.Checkpoint) string {
		f := filepath.Join(dir, name)
		if err := audit.WriteCheckpoint(f, c); err != nil {
			t.Fatal(err)
		}
		return f
	}
	altered := cp
	altered.Entries = 3
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	selfSigned := altered
	selfSigned.PublicKey = base64.StdEncoding.EncodeToString(pub)
	selfSigned.Signature = base64.StdEncoding.EncodeToString(ed25519.Sign(priv, selfSigned.SignedText()))
	garbage := filepath.Join(dir, "garbage.json")
	os.WriteFile(garbage, []byte(`{"format": "ebazhao-audit-checkpoint/1", "entries": "many"}`), 0o600)
	otherPub := filepath.Join(dir, "other.pub")
	os.WriteFile(otherPub, []byte(selfSigned.PublicKey), 0o600)
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"count altered", []string{"--checkpoint", write("altered.json", altered)}, "signature does not verify"},
		{"signed by another key", []string{"--checkpoint", write("self.json", selfSigned)}, "another key"},
		{"genuine, checked with another public key", []string{"--checkpoint", files[0], "--public-key", otherPub}, "another key"},
		{"not a checkpoint", []string{"--checkpoint", garbage}, "REFUSED"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := runAudit(t, append(append([]string{"verify"}, c.args...), flags...)...)
			if code != 1 || !strings.Contains(errs, "audit checkpoint REFUSED") || !strings.Contains(errs, c.want) {
				t.Fatalf("exit %d\n%s%s", code, out, errs)
			}
		})
	}
}

// An entry edited and the later hashes recomputed with plain SHA-256 — how the
// trail could be rewritten before it was keyed — is named by audit verify.
func TestAuditVerifyNamesAnEntryRehashedWithSHA256(t *testing.T) {
	d, flags := auditDB(t, 8)
	ctx := context.Background()
	mustExec(t, d, `UPDATE audit_log SET object_id = '999' WHERE seq = 5`)
	prev := ""
	for seq := int64(1); seq <= 8; seq++ {
		var e audit.Entry
		var at string
		if err := d.QueryRow(ctx, `SELECT at, username, action, object_kind, object_id, client, outcome, hash FROM audit_log WHERE seq = ?`, seq).
			Scan(&at, &e.Username, &e.Action, &e.ObjectKind, &e.ObjectID, &e.Client, &e.Outcome, &e.Hash); err != nil {
			t.Fatal(err)
		}
		if seq >= 5 {
			h := sha256.New()
			for _, f := range []string{strconv.FormatInt(seq, 10), at, "0", e.Username, "0", e.Action, e.ObjectKind, e.ObjectID, "", e.Client, e.Outcome, "", prev} {
				fmt.Fprintf(h, "%d:%s;", len(f), f)
			}
			e.Hash = hex.EncodeToString(h.Sum(nil))
			mustExec(t, d, `UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?`, prev, e.Hash, seq)
		}
		prev = e.Hash
	}
	mustExec(t, d, `UPDATE audit_head SET hash = ? WHERE id = 1`, prev)
	code, out, errs := runAudit(t, append([]string{"verify"}, flags...)...)
	if code != 1 || !strings.Contains(errs, "audit chain BROKEN at entry 5: contents changed") || !strings.Contains(errs, "4 entries intact before it") {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	if code, _, errs := runAudit(t, "rewrite"); code != 2 || !strings.Contains(errs, "usage") {
		t.Fatalf("unknown subcommand: exit %d %s", code, errs)
	}
}
