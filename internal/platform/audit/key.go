package audit

import (
	"context"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"ebazhao/internal/platform/atomicfile"
	"ebazhao/internal/platform/db"
)

// The audit key.
//
// Where audit.Log finds it: Log is a free function called from every package
// with only a transaction, so the key travels on the database handle, as the
// clock does (db.DB.AuditKey, read back through db.Tx.AuditKey). Whoever opens
// the database for the application sets it once (app.OpenDB, from LoadKey);
// no call site changes, there is no package-level variable, and two handles
// in one process (tests, a restore drill) can carry different keys. A handle
// without a key (a test that opens the database itself) falls back to
// EBAZHAO_AUDIT_KEY, as a handle without a clock falls back to the system
// clock; with neither, Log refuses to append rather than write an unkeyed
// entry.
//
// The one secret (32 random bytes) is never used directly: the chain's HMAC
// key, the key's public identifier and the Ed25519 seed that signs
// checkpoints are each derived from it with HMAC-SHA256 under their own
// label, so one file (or one variable) is all there is to back up.

// KeyEnv names the environment variable holding the audit key (base64 of 32
// bytes). When set it wins over the key file.
const KeyEnv = "EBAZHAO_AUDIT_KEY"

// KeyFile is where the key is kept when the environment does not give one,
// relative to the data folder.
const KeyFile = "keys/audit.key"

// ErrNoKey is returned when neither the handle nor the environment gives an
// audit key.
var ErrNoKey = errors.New("no audit key (set " + KeyEnv + " or keep DATA/" + KeyFile + ")")

// ErrWrongKey is returned when the key is not the one the chain is keyed with.
var ErrWrongKey = errors.New("the audit key is not the key this audit trail is keyed with")

// keys are the working keys derived from the audit secret.
type keys struct {
	chain []byte // HMAC-SHA256 key of the entries' hashes
	id    string // public identifier, recorded in audit_head.key_id
	raw   []byte
}

func derive(secret []byte, label string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(label))
	return m.Sum(nil)
}

func deriveKeys(secret []byte) keys {
	return keys{
		chain: derive(secret, "ebazhao/audit/chain/v1"),
		id:    hex.EncodeToString(derive(secret, "ebazhao/audit/key-id/v1")[:8]),
		raw:   secret,
	}
}

// signingKey is the Ed25519 key that signs checkpoints.
func (k keys) signingKey() ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(derive(k.raw, "ebazhao/audit/checkpoint-ed25519/v1"))
}

// resolveKey returns the keys of the handle's audit secret, or of
// EBAZHAO_AUDIT_KEY when the handle carries none.
func resolveKey(secret []byte) (keys, error) {
	if secret == nil {
		v := strings.TrimSpace(os.Getenv(KeyEnv))
		if v == "" {
			return keys{}, ErrNoKey
		}
		k, err := decodeKey(v)
		if err != nil {
			return keys{}, fmt.Errorf("%s: %w", KeyEnv, err)
		}
		secret = k
	}
	if len(secret) != 32 {
		return keys{}, fmt.Errorf("the audit key must be 32 bytes, got %d", len(secret))
	}
	return deriveKeys(secret), nil
}

// DerivedKey returns a 32-byte key for another purpose (label names it, e.g.
// "ebazhao/web/csrf/v1"), derived from the audit key d carries like the
// chain's own keys: servers sharing the audit key share it, and there is still
// one secret to back up. Knowing a derived key reveals nothing of the audit key.
func DerivedKey(d *db.DB, label string) ([]byte, error) {
	k, err := resolveKey(d.AuditKey)
	if err != nil {
		return nil, err
	}
	return derive(k.raw, label), nil
}

// PublicKey returns the Ed25519 public key that verifies the checkpoints
// signed with the audit key d carries.
func PublicKey(d *db.DB) (ed25519.PublicKey, error) {
	k, err := resolveKey(d.AuditKey)
	if err != nil {
		return nil, err
	}
	return k.signingKey().Public().(ed25519.PublicKey), nil
}

// ChainKeyID returns the identifier of the key the chain is keyed with, ""
// while no keyed entry has been written.
func ChainKeyID(ctx context.Context, q db.Querier) (string, error) {
	var id string
	err := q.QueryRow(ctx, `SELECT key_id FROM audit_head WHERE id = 1`).Scan(&id)
	return id, err
}

// OpenKey returns the audit key for the database d in dataDir: from
// EBAZHAO_AUDIT_KEY if set, else from DATA/keys/audit.key. The file is created
// (a new random key, 0600 in a 0700 folder) only while the chain has no keyed
// entry yet: a server moved to a new machine without its key file must not
// start appending under a fresh key. A key that is not the chain's is refused.
// Back the key up apart from the database: without it the keyed entries
// cannot be verified.
func OpenKey(ctx context.Context, d *db.DB, dataDir string) ([]byte, error) {
	chainID, err := ChainKeyID(ctx, d)
	if err != nil {
		return nil, fmt.Errorf("audit key: read the chain head: %w", err)
	}
	secret, err := LoadKey(dataDir, chainID == "")
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("audit key: the audit trail is keyed (key id %s) but %s is missing and %s is not set: restore the key file from its backup (%w)",
			chainID, filepath.Join(dataDir, KeyFile), KeyEnv, err)
	}
	if err != nil {
		return nil, fmt.Errorf("audit key: %w", err)
	}
	if id := deriveKeys(secret).id; chainID != "" && id != chainID {
		return nil, fmt.Errorf("audit key: %w: this key's id is %s, the chain records %s (a key from another installation, or audit_head.key_id was altered)",
			ErrWrongKey, id, chainID)
	}
	return secret, nil
}

// LoadKey returns the audit key: from EBAZHAO_AUDIT_KEY if set, else from
// <dataDir>/keys/audit.key. When the file does not exist it is created with a
// new random key if create is true; otherwise the error wraps fs.ErrNotExist.
func LoadKey(dataDir string, create bool) ([]byte, error) {
	if v := strings.TrimSpace(os.Getenv(KeyEnv)); v != "" {
		k, err := decodeKey(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", KeyEnv, err)
		}
		return k, nil
	}
	if dataDir == "" {
		return nil, errors.New("no data folder for " + KeyFile + " and " + KeyEnv + " is not set")
	}
	path := filepath.Join(dataDir, KeyFile)
	k, err := readKeyFile(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) || !create {
		return k, err
	}
	// Created atomically and never overwritten: written to a temporary file and
	// hard-linked into place, so two processes starting at once end with one key.
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	k = make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		return nil, err
	}
	if err := atomicfile.Create(path, []byte(base64.StdEncoding.EncodeToString(k)+"\n"), 0o600); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, err
	}
	return readKeyFile(path) // ours, or the one another process linked first
}

func readKeyFile(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	k, err := decodeKey(strings.TrimSpace(string(b)))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return k, nil
}

func decodeKey(s string) ([]byte, error) {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if k, err := enc.DecodeString(s); err == nil {
			if len(k) != 32 {
				return nil, fmt.Errorf("key must be 32 bytes, got %d", len(k))
			}
			return k, nil
		}
	}
	return nil, errors.New("key is not base64")
}
