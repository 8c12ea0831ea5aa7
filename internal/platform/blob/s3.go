package blob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path"

	"github.com/minio/minio-go/v7"
)

// S3 stores blobs as objects of a bucket on an S3-compatible object store
// (Amazon S3, MinIO, Ceph RGW, …), keyed like FS's files: Prefix + ab/cd/abcd….
//
// Put spools the content to a temporary file first, because the key is the
// hash of the whole content. An object is written with one PUT, so a partial
// object is never visible, and with If-None-Match: * so an existing object is
// never replaced.
type S3 struct {
	Client  *minio.Client
	Bucket  string
	Prefix  string // "" or ending in "/"
	TempDir string // where Put spools; "": os.TempDir()
}

// Key is the object key of the blob with hash h (h must be valid).
func (s *S3) Key(h string) string { return s.Prefix + h[:2] + "/" + h[2:4] + "/" + h }

// Location implements Verifier: the blob's s3:// URL.
func (s *S3) Location(h string) string { return "s3://" + s.Bucket + "/" + s.Key(h) }

// Check confirms the bucket can be reached with the configured keys; it is
// run at start-up so a wrong endpoint, bucket or key fails then and not at the
// first upload.
func (s *S3) Check(ctx context.Context) error {
	ok, err := s.Client.BucketExists(ctx, s.Bucket)
	if err != nil {
		return fmt.Errorf("blob: s3 bucket %q at %s: %w", s.Bucket, s.Client.EndpointURL().Host, err)
	}
	if !ok {
		return fmt.Errorf("blob: s3 bucket %q does not exist at %s", s.Bucket, s.Client.EndpointURL().Host)
	}
	return nil
}

// Put implements Store. A full spool folder, or a store that says it is
// full, is reported as ErrNoSpace.
func (s *S3) Put(ctx context.Context, r io.Reader, limit int64) (_ Ref, err error) {
	defer func() { err = noSpace(err) }()
	if err := ctx.Err(); err != nil {
		return Ref{}, err
	}
	f, err := os.CreateTemp(s.TempDir, "ebazhao-blob-*")
	if err != nil {
		return Ref{}, fmt.Errorf("blob: create temporary file: %w", err)
	}
	defer func() {
		f.Close()
		os.Remove(f.Name())
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
	ref := Ref{Hash: hex.EncodeToString(h.Sum(nil)), Size: n}
	key := s.Key(ref.Hash)
	if done, err := s.existing(ctx, ref); err != nil {
		return Ref{}, err
	} else if done {
		return ref, nil // deduplicated: the same bytes are stored already
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return Ref{}, fmt.Errorf("blob: rewind temporary file: %w", err)
	}
	opts := minio.PutObjectOptions{
		ContentType: "application/octet-stream",
		// One PUT whatever the size (S3 takes up to 5 GiB so): the
		// condition below then holds for certain, which it does not for
		// every server's multipart uploads.
		DisableMultipart: true,
		// The server checks the bytes it received; S3 Object Lock also
		// requires the header.
		SendContentMd5: true,
	}
	opts.SetMatchETagExcept("*") // If-None-Match: * — never replace an object
	if _, err := s.Client.PutObject(ctx, s.Bucket, key, f, n, opts); err != nil {
		if minio.ToErrorResponse(err).StatusCode == http.StatusPreconditionFailed {
			// A concurrent Put of the same bytes won the race.
			if done, err := s.existing(ctx, ref); err != nil {
				return Ref{}, err
			} else if done {
				return ref, nil
			}
		}
		if e := minio.ToErrorResponse(err); e.StatusCode == http.StatusInsufficientStorage || e.Code == "XMinioStorageFull" {
			return Ref{}, fmt.Errorf("%w: s3 put %s: %w", ErrNoSpace, key, err)
		}
		return Ref{}, fmt.Errorf("blob: s3 put %s: %w", key, err)
	}
	return ref, nil
}

// existing reports whether ref is stored already (deduplicated), or
// ErrCorrupt if an object of another size sits under its key.
func (s *S3) existing(ctx context.Context, ref Ref) (bool, error) {
	size, err := s.Stat(ctx, ref.Hash)
	switch {
	case errors.Is(err, ErrNotFound):
		return false, nil
	case err != nil:
		return false, err
	case size != ref.Size:
		return false, fmt.Errorf("%w: %s has %d bytes in the bucket, expected %d", ErrCorrupt, ref.Hash, size, ref.Size)
	}
	return true, nil
}

// Open implements Store.
func (s *S3) Open(ctx context.Context, h string) (io.ReadCloser, error) {
	if !ValidHash(h) {
		return nil, ErrBadHash
	}
	obj, err := s.Client.GetObject(ctx, s.Bucket, s.Key(h), minio.GetObjectOptions{})
	if err != nil {
		return nil, s.fail("get", h, err)
	}
	if _, err := obj.Stat(); err != nil { // sends the GET: a missing object fails here
		obj.Close()
		return nil, s.fail("get", h, err)
	}
	return newVerifyingReader(obj, h), nil
}

// Stat implements Store.
func (s *S3) Stat(ctx context.Context, h string) (int64, error) {
	if !ValidHash(h) {
		return 0, ErrBadHash
	}
	info, err := s.Client.StatObject(ctx, s.Bucket, s.Key(h), minio.StatObjectOptions{})
	if err != nil {
		return 0, s.fail("stat", h, err)
	}
	return info.Size, nil
}

func (s *S3) fail(op, h string, err error) error {
	if minio.ToErrorResponse(err).Code == minio.NoSuchKey {
		return fmt.Errorf("%w: %s", ErrNotFound, h)
	}
	return fmt.Errorf("blob: s3 %s %s: %w", op, s.Location(h), err)
}

// Walk implements Verifier: it lists the bucket under Prefix and calls fn for
// every key laid out as a blob's.
func (s *S3) Walk(ctx context.Context, fn func(hash string) error) error {
	ctx, cancel := context.WithCancel(ctx) // stops the listing if fn fails
	defer cancel()
	for obj := range s.Client.ListObjects(ctx, s.Bucket, minio.ListObjectsOptions{Prefix: s.Prefix, Recursive: true}) {
		if obj.Err != nil {
			return fmt.Errorf("blob: s3 list s3://%s/%s: %w", s.Bucket, s.Prefix, obj.Err)
		}
		h := path.Base(obj.Key)
		if !ValidHash(h) || obj.Key != s.Key(h) {
			continue
		}
		if err := fn(h); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// Verify implements Verifier: it downloads every blob and checks its hash.
// A blob whose bytes are wrong, or that vanished after the listing, goes to
// bad; any other failure (network, permissions) stops the check with an error,
// because it says nothing of the blob.
func (s *S3) Verify(ctx context.Context, bad func(hash string, err error)) (int, error) {
	return verifyAll(ctx, s, bad, func(err error) bool {
		return !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrNotFound)
	})
}
