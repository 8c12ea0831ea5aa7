package audit

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/x509"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"ebazhao/internal/platform/atomicfile"
	"ebazhao/internal/platform/db"
)

// A checkpoint anchors the chain outside the database: the number of entries
// and the head's hash at an instant, signed with an Ed25519 key derived from
// the audit key. The server writes one a day to the backup folder and logs it
// (app.RunAuditCheckpoints); `ebazhao audit checkpoint` writes one on demand.
// Later, VerifyCheckpoint checks that the chain still holds that entry with
// that hash: deleting the last entries and rewinding the head, or rewriting the
// chain behind the checkpoint, is then detected even though the database
// itself looks consistent. The public key alone checks a checkpoint's
// signature (CheckSignature), so a copy kept by an auditor can be trusted
// without the secret.

// CheckpointFormat names the checkpoint file format and is part of the signed text.
const CheckpointFormat = "ebazhao-audit-checkpoint/1"

// Checkpoint is the signed state of the chain at an instant.
type Checkpoint struct {
	Format    string `json:"format"`
	Entries   int64  `json:"entries"`    // the head's sequence number: entries 1…Entries
	HeadHash  string `json:"head_hash"`  // hash of entry Entries ("" when Entries is 0)
	KeyedFrom int64  `json:"keyed_from"` // first entry hashed with the audit key
	At        string `json:"at"`         // when it was taken, UTC (db.TimeLayout), on the database's clock
	PublicKey string `json:"public_key"` // base64 Ed25519 public key that signed it
	Signature string `json:"signature"`  // base64 Ed25519 signature of SignedText
}

// ErrBadCheckpoint is returned (wrapped) for a checkpoint that is malformed,
// signed by another key, or whose signature does not verify.
var ErrBadCheckpoint = errors.New("audit checkpoint refused")

// SignedText is what the signature covers: every field but the key and the
// signature, one per line, in a fixed order.
func (c Checkpoint) SignedText() []byte {
	return fmt.Appendf(nil, "%s\nentries=%d\nhead_hash=%s\nkeyed_from=%d\nat=%s\n", CheckpointFormat, c.Entries, c.HeadHash, c.KeyedFrom, c.At)
}

// Time returns when the checkpoint was taken.
func (c Checkpoint) Time() time.Time { return db.ParseTime(c.At) }

// TakeCheckpoint reads the chain's head and signs it with the key d carries.
// It refuses a head that does not match its last entry, or whose last entry's
// hash does not verify, rather than sign a chain already broken at its end
// (Verify names the entry).
func TakeCheckpoint(ctx context.Context, d *db.DB) (Checkpoint, error) {
	k, err := resolveKey(d.AuditKey)
	if err != nil {
		return Checkpoint{}, fmt.Errorf("audit checkpoint: %w", err)
	}
	var h head
	var e Entry
	var at string
	// One statement: the head and its entry from the same snapshot (entry seq 0: missing).
	err = d.QueryRow(ctx, `SELECT h.seq, h.hash, h.keyed_from, h.key_id, COALESCE(l.seq, 0), COALESCE(l.at, ''), COALESCE(l.user_id, 0),
		COALESCE(l.username, ''), COALESCE(l.office_id, 0), COALESCE(l.action, ''), COALESCE(l.object_kind, ''), COALESCE(l.object_id, ''),
		COALESCE(l.person_id_no, ''), COALESCE(l.client, ''), COALESCE(l.outcome, ''), COALESCE(l.detail, ''), COALESCE(l.prev_hash, ''), COALESCE(l.hash, '')
		FROM audit_head h LEFT JOIN audit_log l ON l.seq = h.seq WHERE h.id = 1`).Scan(&h.Seq, &h.Hash, &h.KeyedFrom, &h.KeyID,
		&e.Seq, &at, &e.UserID, &e.Username, &e.OfficeID, &e.Action, &e.ObjectKind, &e.ObjectID, &e.PersonIDNo, &e.Client, &e.Outcome, &e.Detail, &e.PrevHash, &e.Hash)
	if err != nil {
		return Checkpoint{}, fmt.Errorf("audit checkpoint: read the chain head: %w", err)
	}
	e.At = db.ParseTime(at)
	if h.Seq > 0 {
		if e.Seq == 0 {
			return Checkpoint{}, fmt.Errorf("audit checkpoint: the chain head says %d entries but entry %d is missing; run ebazhao audit verify", h.Seq, h.Seq)
		}
		hc := &hashChecker{keyedFrom: h.KeyedFrom, chainKeyID: h.KeyID, k: &k}
		reason, err := hc.check(&e)
		if err != nil {
			return Checkpoint{}, err
		}
		if reason == "" && e.Hash != h.Hash {
			reason = "does not match the chain head's hash"
		}
		if reason != "" {
			return Checkpoint{}, fmt.Errorf("audit checkpoint: not signing a broken chain: entry %d: %s; run ebazhao audit verify", e.Seq, reason)
		}
	}
	c := Checkpoint{Format: CheckpointFormat, Entries: h.Seq, HeadHash: h.Hash, KeyedFrom: h.KeyedFrom, At: db.FormatTime(d.Now())}
	priv := k.signingKey()
	c.PublicKey = base64.StdEncoding.EncodeToString(priv.Public().(ed25519.PublicKey))
	c.Signature = base64.StdEncoding.EncodeToString(ed25519.Sign(priv, c.SignedText()))
	return c, nil
}

// CheckSignature checks that the checkpoint is well formed and signed by pub.
func (c Checkpoint) CheckSignature(pub ed25519.PublicKey) error {
	if c.Format != CheckpointFormat {
		return fmt.Errorf("%w: format %q, want %q", ErrBadCheckpoint, c.Format, CheckpointFormat)
	}
	if c.Entries < 0 || c.KeyedFrom < 1 || (c.Entries == 0) != (c.HeadHash == "") || c.Time().IsZero() {
		return fmt.Errorf("%w: malformed (entries %d, head_hash %q, keyed_from %d, at %q)", ErrBadCheckpoint, c.Entries, c.HeadHash, c.KeyedFrom, c.At)
	}
	if len(pub) != ed25519.PublicKeySize {
		return fmt.Errorf("%w: no public key to check it with", ErrBadCheckpoint)
	}
	if c.PublicKey != base64.StdEncoding.EncodeToString(pub) {
		return fmt.Errorf("%w: signed by another key (%s), not this installation's audit key (%s)", ErrBadCheckpoint, short(c.PublicKey), short(base64.StdEncoding.EncodeToString(pub)))
	}
	sig, err := base64.StdEncoding.DecodeString(c.Signature)
	if err != nil || !ed25519.Verify(pub, c.SignedText(), sig) {
		return fmt.Errorf("%w: the signature does not verify (the checkpoint was forged or altered)", ErrBadCheckpoint)
	}
	return nil
}

// Contains reports whether the chain still holds the checkpoint's state: the
// same first keyed entry, and entry Entries with the hash HeadHash. It does not
// check the signature (CheckSignature) nor the entries themselves (Verify).
func Contains(ctx context.Context, q db.Querier, c Checkpoint) (*Problem, error) {
	h, err := readHead(ctx, q)
	if err != nil {
		return nil, err
	}
	if h.KeyedFrom != c.KeyedFrom {
		return &Problem{Seq: min(h.KeyedFrom, c.KeyedFrom), Reason: fmt.Sprintf("the checkpoint of %s has entries keyed from %d, the chain head now from %d (audit_head.keyed_from was altered)",
			c.At, c.KeyedFrom, h.KeyedFrom)}, nil
	}
	if c.Entries == 0 {
		return nil, nil
	}
	var hash string
	err = q.QueryRow(ctx, `SELECT hash FROM audit_log WHERE seq = ?`, c.Entries).Scan(&hash)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if h.Seq < c.Entries {
			return &Problem{Seq: h.Seq + 1, Reason: fmt.Sprintf("missing: the checkpoint of %s counted %d entries, the chain now ends at %d (entries %d–%d were removed and the head rewound)",
				c.At, c.Entries, h.Seq, h.Seq+1, c.Entries)}, nil
		}
		return &Problem{Seq: c.Entries, Reason: fmt.Sprintf("missing: the checkpoint of %s ends at this entry", c.At)}, nil
	case err != nil:
		return nil, err
	case hash != c.HeadHash:
		return &Problem{Seq: c.Entries, Reason: fmt.Sprintf("differs from the checkpoint of %s (hash %s, the checkpoint says %s): the chain up to here was rewritten",
			c.At, short(hash), short(c.HeadHash))}, nil
	}
	return nil, nil
}

// VerifyCheckpoint checks the checkpoint's signature with pub (nil: the public
// key of the audit key d carries), then the whole chain (Verify), then that the
// chain still contains the checkpoint (Contains). A checkpoint that is not
// authentic is an error wrapping ErrBadCheckpoint; a chain that fails is a
// Problem naming the first broken or missing entry.
func VerifyCheckpoint(ctx context.Context, d *db.DB, c Checkpoint, pub ed25519.PublicKey) (checked int64, problem *Problem, err error) {
	if pub == nil {
		if pub, err = PublicKey(d); err != nil {
			return 0, nil, fmt.Errorf("audit checkpoint: %w", err)
		}
	}
	if err := c.CheckSignature(pub); err != nil {
		return 0, nil, err
	}
	checked, problem, err = Verify(ctx, d)
	if err != nil || problem != nil {
		return checked, problem, err
	}
	problem, err = Contains(ctx, d, c)
	return checked, problem, err
}

// CheckpointPrefix and CheckpointExt make a checkpoint file's name:
// audit-checkpoint-YYYYMMDDTHHMMSSZ.json.
const (
	CheckpointPrefix = "audit-checkpoint-"
	CheckpointExt    = ".json"
)

// CheckpointName is the file name of a checkpoint taken at t.
func CheckpointName(t time.Time) string {
	return CheckpointPrefix + t.UTC().Format("20060102T150405Z") + CheckpointExt
}

// Checkpoints lists the checkpoint files in dir, oldest first.
func Checkpoints(dir string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, CheckpointPrefix+"*"+CheckpointExt))
	sort.Strings(files) // the names sort by time
	return files, err
}

// WriteCheckpoint writes c as JSON to path, atomically: a reader sees the whole
// file or none, and an existing file is never replaced.
func WriteCheckpoint(path string, c Checkpoint) error {
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return err
	}
	if err := atomicfile.Create(path, append(b, '\n'), 0o640); err != nil {
		return fmt.Errorf("audit checkpoint: %w", err)
	}
	return nil
}

// ReadCheckpoint reads a checkpoint file. It does not check the signature.
func ReadCheckpoint(path string) (Checkpoint, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Checkpoint{}, err
	}
	var c Checkpoint
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return Checkpoint{}, fmt.Errorf("%w: not a checkpoint file: %v", ErrBadCheckpoint, err)
	}
	return c, nil
}

// ParsePublicKey reads an Ed25519 public key given as base64 (as in a
// checkpoint's public_key) or as a PEM "PUBLIC KEY" block.
func ParsePublicKey(b []byte) (ed25519.PublicKey, error) {
	if blk, _ := pem.Decode(b); blk != nil {
		k, err := x509.ParsePKIXPublicKey(blk.Bytes)
		if err != nil {
			return nil, err
		}
		pub, ok := k.(ed25519.PublicKey)
		if !ok {
			return nil, errors.New("not an Ed25519 public key")
		}
		return pub, nil
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(raw) != ed25519.PublicKeySize {
		return nil, errors.New("not an Ed25519 public key (base64 of " + strconv.Itoa(ed25519.PublicKeySize) + " bytes, or PEM)")
	}
	return ed25519.PublicKey(raw), nil
}

func short(s string) string {
	if len(s) > 12 {
		return s[:12] + "…"
	}
	return s
}
