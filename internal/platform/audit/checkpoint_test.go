package audit_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/dbtest"
)

func checkpoint(t *testing.T, d *db.DB) audit.Checkpoint {
	t.Helper()
	c, err := audit.TakeCheckpoint(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// truncate deletes the entries after keep and rewinds the head to match: a
// chain that verifies on its own.
func truncate(t *testing.T, d *db.DB, keep int64) {
	t.Helper()
	ctx := context.Background()
	var h string
	if err := d.QueryRow(ctx, `SELECT hash FROM audit_log WHERE seq = ?`, keep).Scan(&h); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DELETE FROM audit_log WHERE seq > ?`, `UPDATE audit_head SET seq = ?, hash = '` + h + `' WHERE id = 1`} {
		if _, err := d.Exec(ctx, q, keep); err != nil {
			t.Fatal(err)
		}
	}
}

func TestCheckpointRoundTrip(t *testing.T) {
	ctx := context.Background()
	d := dbtest.New(t)
	seed(t, d, 10)
	c := checkpoint(t, d)
	if c.Entries != 10 || c.KeyedFrom != 1 || len(c.HeadHash) != 64 || c.Time().IsZero() {
		t.Fatalf("checkpoint = %+v", c)
	}
	file := filepath.Join(t.TempDir(), "backups", audit.CheckpointName(c.Time()))
	if err := audit.WriteCheckpoint(file, c); err != nil {
		t.Fatal(err)
	}
	if err := audit.WriteCheckpoint(file, c); err == nil {
		t.Fatal("a checkpoint file was overwritten")
	}
	if files, _ := audit.Checkpoints(filepath.Dir(file)); len(files) != 1 || files[0] != file {
		t.Fatalf("Checkpoints = %v", files)
	}
	back, err := audit.ReadCheckpoint(file)
	if err != nil || back != c {
		t.Fatalf("read back %+v, %v", back, err)
	}
	seed(t, d, 5) // the chain goes on past the checkpoint
	n, p, err := audit.VerifyCheckpoint(ctx, d, back, nil)
	if err != nil || p != nil || n != 15 {
		t.Fatalf("VerifyCheckpoint = %d, %v, %v; want 15 intact", n, p, err)
	}
	// The public key alone checks the signature.
	pub, _ := audit.PublicKey(d)
	if k, err := audit.ParsePublicKey([]byte(c.PublicKey + "\n")); err != nil || !k.Equal(pub) {
		t.Fatalf("ParsePublicKey = %v, %v", k, err)
	}
	if err := back.CheckSignature(pub); err != nil {
		t.Fatal(err)
	}
	empty := checkpoint(t, dbtest.New(t))
	if empty.Entries != 0 || empty.HeadHash != "" || empty.CheckSignature(pub) != nil {
		t.Fatalf("checkpoint of an empty chain: %+v", empty)
	}
}

// Deleting the last entries and rewinding the head leaves a chain that
// verifies on its own; a checkpoint taken before names the first entry gone.
func TestTruncationBehindACheckpointIsDetected(t *testing.T) {
	ctx := context.Background()
	d := dbtest.New(t)
	seed(t, d, 10)
	c := checkpoint(t, d)
	seed(t, d, 3)
	truncate(t, d, 7)
	if n, p, err := audit.Verify(ctx, d); err != nil || p != nil || n != 7 {
		t.Fatalf("Verify = %d, %v, %v: the truncated chain should verify on its own (what checkpoints are for)", n, p, err)
	}
	n, p, err := audit.VerifyCheckpoint(ctx, d, c, nil)
	if err != nil || p == nil || p.Seq != 8 || !strings.Contains(p.Reason, "missing") {
		t.Fatalf("VerifyCheckpoint = %d, %v, %v; want entry 8 missing", n, p, err)
	}
	t.Logf("detected: %v", p)

	t.Run("and new entries appended to reach the count again", func(t *testing.T) {
		seed(t, d, 4) // entries 8–11 again, but not the ones the checkpoint saw
		_, p, err := audit.VerifyCheckpoint(ctx, d, c, nil)
		if err != nil || p == nil || p.Seq != 10 || !strings.Contains(p.Reason, "rewritten") {
			t.Fatalf("VerifyCheckpoint = %v, %v; want entry 10 differing", p, err)
		}
	})
}

// What a checkpoint does not cover: entries written after it can be removed
// (with the head rewound) and the chain still contains the checkpoint.
func TestTruncationAfterTheCheckpointIsNotDetected(t *testing.T) {
	ctx := context.Background()
	d := dbtest.New(t)
	seed(t, d, 10)
	c := checkpoint(t, d)
	seed(t, d, 5)
	truncate(t, d, 12)
	if _, p, err := audit.VerifyCheckpoint(ctx, d, c, nil); err != nil || p != nil {
		t.Fatalf("VerifyCheckpoint = %v, %v", p, err)
	}
}

func TestForgedCheckpointIsRefused(t *testing.T) {
	ctx := context.Background()
	d := dbtest.New(t)
	seed(t, d, 10)
	good := checkpoint(t, d)
	truncate(t, d, 6)
	// The attacker's own key pair, with its public key in the file.
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	selfSigned := good
	selfSigned.Entries, selfSigned.HeadHash = 6, ""
	d.QueryRow(ctx, `SELECT hash FROM audit_log WHERE seq = 6`).Scan(&selfSigned.HeadHash)
	selfSigned.PublicKey = base64.StdEncoding.EncodeToString(pub)
	selfSigned.Signature = base64.StdEncoding.EncodeToString(ed25519.Sign(priv, selfSigned.SignedText()))

	for _, c := range []struct {
		name   string
		cp     func() audit.Checkpoint
		reason string
	}{
		{"count lowered", func() audit.Checkpoint { c := good; c.Entries = 6; return c }, "signature"},
		{"head replaced", func() audit.Checkpoint { c := good; c.HeadHash = selfSigned.HeadHash; return c }, "signature"},
		{"time moved", func() audit.Checkpoint { c := good; c.At = "2001-01-01T00:00:00.000000Z"; return c }, "signature"},
		{"signature garbage", func() audit.Checkpoint { c := good; c.Signature = "bm90IGEgc2lnbmF0dXJl"; return c }, "signature"},
		{"signature of another checkpoint", func() audit.Checkpoint { c := good; c.Signature = selfSigned.Signature; return c }, "signature"},
		{"signed by another key", func() audit.Checkpoint { return selfSigned }, "another key"},
		{"unknown format", func() audit.Checkpoint { c := good; c.Format = "v0"; return c }, "format"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, p, err := audit.VerifyCheckpoint(ctx, d, c.cp(), nil)
			if !errors.Is(err, audit.ErrBadCheckpoint) || p != nil || !strings.Contains(err.Error(), c.reason) {
				t.Fatalf("VerifyCheckpoint = %v, %v; want refused (%s)", p, err, c.reason)
			}
		})
	}
	// Checked with the attacker's public key given on purpose, the self-signed
	// one is authentic — and still describes a chain ebazhao never signed; with
	// this installation's key it is refused above.
	if err := selfSigned.CheckSignature(pub); err != nil {
		t.Fatal(err)
	}
	// The genuine checkpoint still catches the truncation.
	if _, p, err := audit.VerifyCheckpoint(ctx, d, good, nil); err != nil || p == nil || p.Seq != 7 {
		t.Fatalf("genuine checkpoint: %v, %v", p, err)
	}
}

// A checkpoint is not signed over a chain whose end is already broken.
func TestCheckpointRefusesABrokenHead(t *testing.T) {
	ctx := context.Background()
	for _, tamper := range []string{
		`UPDATE audit_log SET detail = 'x' WHERE seq = 5`,
		`DELETE FROM audit_log WHERE seq = 5`,
		`UPDATE audit_head SET hash = 'abc'`,
	} {
		d := dbtest.New(t)
		seed(t, d, 5)
		d.Exec(ctx, tamper)
		if _, err := audit.TakeCheckpoint(ctx, d); err == nil {
			t.Errorf("%s: checkpoint signed", tamper)
		}
	}
}
