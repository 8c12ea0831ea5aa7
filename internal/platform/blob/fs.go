package blob

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"ebazhao/internal/platform/clock"
)

// FS stores blobs as read-only files under Root, fanned out by the first two
// byte pairs of the hash: Root/ab/cd/abcd…; unfinished writes live in Root/tmp.
type FS struct {
	Root string
}

// NewFS returns a store rooted at root. Nothing is created until the first Put.
func NewFS(root string) *FS { return &FS{Root: root} }

// DataFS is the file store under a data folder: <dataDir>/blobs.
func DataFS(dataDir string) *FS {
	if dataDir == "" {
		dataDir = "data"
	}
	return NewFS(filepath.Join(dataDir, "blobs"))
}

// Path is where the blob with hash h lives (h must be valid).
func (s *FS) Path(h string) string { return filepath.Join(s.Root, h[:2], h[2:4], h) }

// Location implements Verifier: the blob's file name.
func (s *FS) Location(h string) string { return s.Path(h) }

// Put implements Store. A full disk is reported as ErrNoSpace; the partial
// temporary file is removed.
func (s *FS) Put(ctx context.Context, r io.Reader, limit int64) (ref Ref, err error) {
	defer func() { err = noSpace(err) }()
	if err := ctx.Err(); err != nil {
		return Ref{}, err
	}
	tmpDir := filepath.Join(s.Root, "tmp")
	if err := os.MkdirAll(tmpDir, 0o750); err != nil {
		return Ref{}, fmt.Errorf("blob: create %s: %w", tmpDir, err)
	}
	var rnd [12]byte
	rand.Read(rnd[:])
	tmp := filepath.Join(tmpDir, hex.EncodeToString(rnd[:]))
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return Ref{}, fmt.Errorf("blob: create temporary file: %w", err)
	}
	// Whatever happens, the temporary name is gone when Put returns.
	defer func() {
		if f != nil {
			f.Close()
		}
		os.Remove(tmp)
	}()
	h := sha256.New()
	src := r
	if limit > 0 {
		src = io.LimitReader(r, limit+1)
	}
	n, err := io.Copy(io.MultiWriter(f, h), &ctxReader{ctx: ctx, r: src})
	if err != nil {
		return Ref{}, fmt.Errorf("blob: write: %w", err)
	}
	if limit > 0 && n > limit {
		return Ref{}, ErrTooLarge
	}
	if err := f.Sync(); err != nil {
		return Ref{}, fmt.Errorf("blob: fsync: %w", err)
	}
	if err := f.Close(); err != nil {
		return Ref{}, fmt.Errorf("blob: close: %w", err)
	}
	f = nil
	ref = Ref{Hash: hex.EncodeToString(h.Sum(nil)), Size: n}
	final := s.Path(ref.Hash)
	if st, err := os.Stat(final); err == nil {
		if st.Size() != n {
			return Ref{}, fmt.Errorf("%w: %s has %d bytes on disk, expected %d", ErrCorrupt, ref.Hash, st.Size(), n)
		}
		return ref, nil // deduplicated: the same bytes are stored already
	}
	if err := s.mkdirs(filepath.Dir(final)); err != nil {
		return Ref{}, err
	}
	if err := os.Chmod(tmp, 0o440); err != nil {
		return Ref{}, fmt.Errorf("blob: chmod: %w", err)
	}
	// A hard link never replaces an existing file; a concurrent Put of the same
	// bytes that won the race leaves an identical blob, which is fine.
	if err := os.Link(tmp, final); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return ref, nil
		}
		// File systems without hard links: rename, after re-checking.
		if _, serr := os.Stat(final); serr == nil {
			return ref, nil
		}
		if err := os.Rename(tmp, final); err != nil {
			return Ref{}, fmt.Errorf("blob: move into place: %w", err)
		}
	}
	if err := syncDir(filepath.Dir(final)); err != nil {
		return Ref{}, err
	}
	return ref, nil
}

// mkdirs creates dir and its missing parents below Root, fsyncing each parent
// so a new folder entry survives a power cut.
func (s *FS) mkdirs(dir string) error {
	if _, err := os.Stat(dir); err == nil {
		return nil
	}
	parent := filepath.Dir(dir)
	if parent != dir && parent != s.Root {
		if err := s.mkdirs(parent); err != nil {
			return err
		}
	}
	if err := os.Mkdir(dir, 0o750); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("blob: create folder: %w", err)
	}
	return syncDir(parent)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("blob: open folder for fsync: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("blob: fsync folder %s: %w", dir, err)
	}
	return nil
}

// Open implements Store.
func (s *FS) Open(ctx context.Context, h string) (io.ReadCloser, error) {
	if !ValidHash(h) {
		return nil, ErrBadHash
	}
	f, err := os.Open(s.Path(h))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, h)
	}
	if err != nil {
		return nil, fmt.Errorf("blob: open: %w", err)
	}
	return newVerifyingReader(f, h), nil
}

// Stat implements Store.
func (s *FS) Stat(ctx context.Context, h string) (int64, error) {
	if !ValidHash(h) {
		return 0, ErrBadHash
	}
	st, err := os.Stat(s.Path(h))
	if errors.Is(err, fs.ErrNotExist) {
		return 0, fmt.Errorf("%w: %s", ErrNotFound, h)
	}
	if err != nil {
		return 0, fmt.Errorf("blob: stat: %w", err)
	}
	return st.Size(), nil
}

// Walk implements Verifier: it calls fn with the hash of every stored blob
// (skipping unfinished writes in tmp/) and stops at fn's first error.
func (s *FS) Walk(ctx context.Context, fn func(hash string) error) error {
	err := filepath.WalkDir(s.Root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == "tmp" {
				return filepath.SkipDir
			}
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if h := d.Name(); ValidHash(h) {
			return fn(h)
		}
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) {
		if _, serr := os.Stat(s.Root); errors.Is(serr, fs.ErrNotExist) {
			return nil // nothing stored yet
		}
	}
	return err
}

// Verify implements Verifier: it re-reads every blob and calls bad for each
// one whose content no longer matches its name (the store's fsck). It returns
// the number checked. Any error reading a file (a failing disk's EIO
// included) counts against that file.
func (s *FS) Verify(ctx context.Context, bad func(hash string, err error)) (int, error) {
	return verifyAll(ctx, s, bad, func(error) bool { return false })
}

type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// RemoveStaleTemp deletes unfinished writes left in Root/tmp by a process that
// was killed in the middle of a Put (a running Put's file is younger than
// olderThan). It returns how many it removed.
func (s *FS) RemoveStaleTemp(olderThan time.Duration) (int, error) {
	dir := filepath.Join(s.Root, "tmp")
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("blob: read %s: %w", dir, err)
	}
	n := 0
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || e.IsDir() || info.ModTime().After(clock.After(-olderThan)) { // file times are the machine's real time
			continue
		}
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return n, fmt.Errorf("blob: remove stale temporary file: %w", err)
		}
		n++
	}
	return n, nil
}
