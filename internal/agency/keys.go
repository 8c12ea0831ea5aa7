package agency

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"ebazhao/internal/platform/atomicfile"

	"golang.org/x/crypto/ssh"
)

// Key files under <data>/keys. Both are ed25519 in PKCS#8 PEM, created on
// first use with mode 0600 and never replaced by ebazhao.
const (
	SigningKeyFile = "agency_signing_ed25519.pem" // signs the daily manifests
	HostKeyFile    = "sftp_host_ed25519.pem"      // the SFTP endpoint's host key
)

type signingKey struct {
	priv        ed25519.PrivateKey
	pub         ed25519.PublicKey
	fingerprint string
}

// signer returns the daily-file signing key, loading or creating it once.
func (s *Service) signer() (*signingKey, error) {
	s.keyMu.Lock()
	defer s.keyMu.Unlock()
	if s.signKey != nil {
		return s.signKey, nil
	}
	dir, err := s.keysDir()
	if err != nil {
		return nil, err
	}
	priv, err := loadOrCreateKey(filepath.Join(dir, SigningKeyFile))
	if err != nil {
		return nil, err
	}
	pub := priv.Public().(ed25519.PublicKey)
	fp, err := keyFingerprint(pub)
	if err != nil {
		return nil, err
	}
	s.signKey = &signingKey{priv: priv, pub: pub, fingerprint: fp}
	return s.signKey, nil
}

// keyFingerprint is SHA256:<base64> of the public key's PKIX encoding.
func keyFingerprint(pub ed25519.PublicKey) (string, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(der)
	return "SHA256:" + base64.RawStdEncoding.EncodeToString(sum[:]), nil
}

// SigningPublicKey returns the signing key's public half as PEM and its fingerprint,
// for agencies to verify the manifests' detached signatures.
func (s *Service) SigningPublicKey() (pemBytes []byte, fingerprint string, err error) {
	k, err := s.signer()
	if err != nil {
		return nil, "", err
	}
	der, err := x509.MarshalPKIXPublicKey(k.pub)
	if err != nil {
		return nil, "", err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), k.fingerprint, nil
}

// HostKey returns the SFTP endpoint's host key, creating it on first use.
func (s *Service) HostKey() (ssh.Signer, error) {
	dir, err := s.keysDir()
	if err != nil {
		return nil, err
	}
	priv, err := loadOrCreateKey(filepath.Join(dir, HostKeyFile))
	if err != nil {
		return nil, err
	}
	return ssh.NewSignerFromKey(priv)
}

// loadOrCreateKey reads an ed25519 PKCS#8 PEM key, or creates one. Creation is
// atomic and never overwrites: the key is written to a temporary file and
// hard-linked into place, so two processes starting at once end with one key.
func loadOrCreateKey(path string) (ed25519.PrivateKey, error) {
	if k, err := readKey(path); err == nil || !errors.Is(err, fs.ErrNotExist) {
		return k, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("agency keys: %w", err)
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, err
	}
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	if err := atomicfile.Create(path, pemBytes, 0o600); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("agency keys: %w", err)
	}
	return readKey(path)
}

func readKey(path string) (ed25519.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	blk, _ := pem.Decode(b)
	if blk == nil || blk.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("agency keys: %s is not a PEM private key", path)
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		return nil, fmt.Errorf("agency keys: %s: %w", path, err)
	}
	priv, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("agency keys: %s is not an ed25519 key", path)
	}
	return priv, nil
}
