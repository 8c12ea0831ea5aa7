package seal

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"ebazhao/internal/platform/blob"
)

// KeyEnv names the environment variable holding the seal image key
// (base64 of 32 bytes).
const KeyEnv = "EBAZHAO_SEAL_KEY"

// KeyFile is where the key is kept when the environment does not give one,
// relative to the data folder.
const KeyFile = "keys/seal.key"

// Vault keeps seal and signature images encrypted at rest (AES-256-GCM) in
// the content-addressed blob store: the store only ever sees ciphertext, and
// a blob copied off the disk or out of a backup is useless without the key.
type Vault struct {
	store blob.Store
	aead  cipher.AEAD
}

// vaultAAD binds ciphertexts to their use.
var vaultAAD = []byte("ebazhao/seal-image/v1")

// NewVault returns a vault over store with a 32-byte key.
func NewVault(store blob.Store, key []byte) (*Vault, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("seal key must be 32 bytes, got %d", len(key))
	}
	c, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	g, err := cipher.NewGCM(c)
	if err != nil {
		return nil, err
	}
	return &Vault{store: store, aead: g}, nil
}

// LoadKey returns the seal image key: from EBAZHAO_SEAL_KEY if set, else from
// <dataDir>/keys/seal.key, which is created with a new random key (0600, in a
// 0700 folder) on first start. Back the key file up apart from the data: the
// images cannot be read without it.
func LoadKey(dataDir string) ([]byte, error) {
	if v := strings.TrimSpace(os.Getenv(KeyEnv)); v != "" {
		k, err := decodeKey(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", KeyEnv, err)
		}
		return k, nil
	}
	path := filepath.Join(dataDir, KeyFile)
	b, err := os.ReadFile(path)
	if err == nil {
		k, err := decodeKey(strings.TrimSpace(string(b)))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return k, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return LoadKey(dataDir) // another process created it first
	}
	if err != nil {
		return nil, err
	}
	if _, err := f.WriteString(base64.StdEncoding.EncodeToString(k) + "\n"); err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, err
	}
	return k, f.Close()
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

// Put encrypts b and stores it; it returns the blob address of the ciphertext.
func (v *Vault) Put(ctx context.Context, b []byte) (string, error) {
	nonce := make([]byte, v.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	ct := v.aead.Seal(nonce, nonce, b, vaultAAD)
	ref, err := blob.PutBytes(ctx, v.store, ct)
	if err != nil {
		return "", err
	}
	return ref.Hash, nil
}

// ErrDecrypt: the blob is not a ciphertext of this key.
var ErrDecrypt = errors.New("seal image cannot be decrypted with the configured key")

// Get reads and decrypts a blob.
func (v *Vault) Get(ctx context.Context, hash string) ([]byte, error) {
	if !blob.ValidHash(hash) {
		return nil, blob.ErrBadHash
	}
	ct, err := blob.Get(ctx, v.store, hash)
	if err != nil {
		return nil, err
	}
	n := v.aead.NonceSize()
	if len(ct) < n {
		return nil, ErrDecrypt
	}
	pt, err := v.aead.Open(nil, ct[:n], ct[n:], vaultAAD)
	if err != nil {
		return nil, ErrDecrypt
	}
	return pt, nil
}
