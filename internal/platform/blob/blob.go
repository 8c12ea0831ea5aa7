// Package blob is ebazhao's content-addressed file store: scanned pages, seal
// images and generated files are kept under the SHA-256 of their bytes.
//
// A blob is immutable. Put writes a new file atomically (temporary file, fsync,
// link into place, fsync of the folder) and never replaces an existing one: the
// same bytes stored twice are one blob, different bytes are a different blob.
// Every read is verified against the address, so a file damaged on disk is
// reported as ErrCorrupt instead of being served.
//
// Store is the interface the subsystems use. FS keeps blobs on a local disk
// (the default, under <data dir>/blobs); S3 keeps them in a bucket of an
// S3-compatible object store with the same key layout, written with a
// conditional put (If-None-Match: *) so an object is never overwritten.
// Default picks one from the EBAZHAO_BLOBS setting (see Open).
package blob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
)

// Ref names a stored blob.
type Ref struct {
	Hash string // lowercase hex SHA-256 of the content
	Size int64
}

// Errors.
var (
	// ErrNotFound: no blob has that hash.
	ErrNotFound = errors.New("blob: not found")
	// ErrCorrupt: the stored bytes no longer hash to their address.
	ErrCorrupt = errors.New("blob: stored content does not match its hash")
	// ErrTooLarge: the content exceeded the limit given to Put.
	ErrTooLarge = errors.New("blob: content exceeds the size limit")
	// ErrBadHash: the string is not a SHA-256 hex digest.
	ErrBadHash = errors.New("blob: not a SHA-256 hex digest")
)

// Store keeps immutable blobs addressed by their SHA-256.
type Store interface {
	// Put stores the content of r (at most limit bytes; limit <= 0: no limit)
	// and returns its address. Storing content that exists already returns the
	// existing blob's Ref and changes nothing. On any error nothing is stored.
	Put(ctx context.Context, r io.Reader, limit int64) (Ref, error)
	// Open returns a reader of the blob; it returns ErrCorrupt instead of
	// io.EOF when the bytes read do not hash to the address.
	Open(ctx context.Context, hash string) (io.ReadCloser, error)
	// Stat reports the size of a blob, or ErrNotFound.
	Stat(ctx context.Context, hash string) (int64, error)
}

// Verifier is a Store that can list its blobs and re-read them all: what
// `ebazhao blob scrub` and `ebazhao blob copy` need. FS and S3 are Verifiers.
type Verifier interface {
	Store
	// Walk calls fn with the hash of every stored blob, stopping at fn's
	// first error.
	Walk(ctx context.Context, fn func(hash string) error) error
	// Verify re-reads every blob and calls bad for each one that cannot be
	// read or no longer hashes to its address. It returns the number checked.
	Verify(ctx context.Context, bad func(hash string, err error)) (int, error)
	// Location names where a blob is kept (a file name, an s3:// URL), for
	// an operator's report.
	Location(hash string) string
}

// verifyAll is Verify in terms of Walk and Open. An error for which fatal
// reports true stops the walk (the store cannot be read, which says nothing
// of the blob); any other error is the blob's and goes to bad.
func verifyAll(ctx context.Context, s Verifier, bad func(hash string, err error), fatal func(error) bool) (int, error) {
	n := 0
	err := s.Walk(ctx, func(h string) error {
		n++
		rc, err := s.Open(ctx, h)
		if err == nil {
			_, err = io.Copy(io.Discard, rc)
			rc.Close()
		}
		if err != nil {
			if cerr := ctx.Err(); cerr != nil {
				return cerr
			}
			if fatal(err) {
				return fmt.Errorf("blob: read %s: %w", h, err)
			}
			bad(h, err)
		}
		return nil
	})
	return n, err
}

// Get reads a whole blob and verifies it.
func Get(ctx context.Context, s Store, hash string) ([]byte, error) {
	rc, err := s.Open(ctx, hash)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// PutBytes stores b.
func PutBytes(ctx context.Context, s Store, b []byte) (Ref, error) {
	return s.Put(ctx, bytesReader(b), 0)
}

// Sum returns the address b would be stored under.
func Sum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// ValidHash reports whether h is a lowercase hex SHA-256 digest (and so safe to
// use as a file or object name).
func ValidHash(h string) bool {
	if len(h) != 64 {
		return false
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// verifyingReader hashes what it reads and checks the digest at EOF.
type verifyingReader struct {
	r    io.ReadCloser
	h    hash.Hash
	want string
	done bool
}

func newVerifyingReader(r io.ReadCloser, want string) *verifyingReader {
	return &verifyingReader{r: r, h: sha256.New(), want: want}
}

func (v *verifyingReader) Read(p []byte) (int, error) {
	n, err := v.r.Read(p)
	v.h.Write(p[:n])
	if err == io.EOF && !v.done {
		v.done = true
		if got := hex.EncodeToString(v.h.Sum(nil)); got != v.want {
			return n, fmt.Errorf("%w: %s reads as %s", ErrCorrupt, v.want, got)
		}
	}
	return n, err
}

func (v *verifyingReader) Close() error { return v.r.Close() }

type byteReader struct {
	b []byte
	i int
}

func bytesReader(b []byte) *byteReader { return &byteReader{b: b} }

func (r *byteReader) Read(p []byte) (int, error) {
	if r.i >= len(r.b) {
		return 0, io.EOF
	}
	n := copy(p, r.b[r.i:])
	r.i += n
	return n, nil
}
