package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/minio/minio-go/v7"

	"ebazhao/internal/platform/blob"
	"ebazhao/internal/platform/blob/s3test"
)

// With EBAZHAO_BLOBS pointing at a bucket, the store the subsystems get
// (blob.Default) is that bucket, and scrub checks it there.
func TestScrubChecksTheS3Bucket(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	srv := s3test.Start(t, "ebazhao")
	srv.SetEnv(t, "xitun")
	store := blob.Default(dir)
	if _, ok := store.(*blob.S3); !ok {
		t.Fatalf("Default with EBAZHAO_BLOBS set = %T, want *blob.S3", store)
	}
	var refs []blob.Ref
	for _, s := range []string{"申請書第1頁", "申請書第2頁", "印鑑條"} {
		ref, err := blob.PutBytes(ctx, store, []byte(s))
		if err != nil {
			t.Fatal(err)
		}
		refs = append(refs, ref)
	}
	if _, err := os.Stat(filepath.Join(dir, "blobs")); !os.IsNotExist(err) {
		t.Fatalf("files went to the data folder too: %v", err)
	}
	var out bytes.Buffer
	if rc := scrub(ctx, []string{"--data", dir}, &out); rc != 0 || !strings.Contains(out.String(), "3 files checked, 0 corrupt") {
		t.Fatalf("intact bucket: rc %d, %s", rc, out.String())
	}
	key := "xitun/" + refs[1].Hash[:2] + "/" + refs[1].Hash[2:4] + "/" + refs[1].Hash
	if _, err := srv.Client.PutObject(ctx, srv.Bucket, key, strings.NewReader(strings.Repeat("x", int(refs[1].Size))), refs[1].Size, minio.PutObjectOptions{}); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	rc := scrub(ctx, []string{"--data", dir}, &out)
	if rc != 1 || !strings.Contains(out.String(), "CORRUPT "+refs[1].Hash+" (s3://ebazhao/"+key+")") || !strings.Contains(out.String(), "1 corrupt") {
		t.Fatalf("corrupted bucket: rc %d, %s", rc, out.String())
	}
}

func TestScrubRejectsABadSpec(t *testing.T) {
	t.Setenv(blob.EnvSpec, "")
	var out bytes.Buffer
	rc := scrub(context.Background(), []string{"--data", t.TempDir(), "--blobs", "s3://ebazhao?endpoint=http://minio:9000"}, &out)
	if rc != 2 || !strings.Contains(out.String(), "without http://") {
		t.Fatalf("rc %d, %s", rc, out.String())
	}
	if os.Getenv(blob.EnvSpec) != "" {
		t.Fatalf("a rejected --blobs was kept: %q", os.Getenv(blob.EnvSpec))
	}
}

// Moving the files of a data folder into a bucket: corrupt files stay
// behind, a second run copies nothing, and --blobs then reads the bucket.
func TestBlobCopyFromDiskToS3AndBack(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	t.Setenv(blob.EnvSpec, "")
	srv := s3test.Start(t, "ebazhao")
	t.Setenv("EBAZHAO_S3_ACCESS_KEY", s3test.AccessKey)
	t.Setenv("EBAZHAO_S3_SECRET_KEY", s3test.SecretKey)
	disk := blob.DataFS(dir)
	var refs []blob.Ref
	for _, s := range []string{"掃描 1", "掃描 2", "掃描 3"} {
		ref, err := blob.PutBytes(ctx, disk, []byte(s))
		if err != nil {
			t.Fatal(err)
		}
		refs = append(refs, ref)
	}
	p := disk.Path(refs[2].Hash)
	os.Chmod(p, 0o600)
	if err := os.WriteFile(p, []byte("damaged!"), 0o600); err != nil {
		t.Fatal(err)
	}
	spec := srv.Spec("files")
	var out bytes.Buffer
	if rc := blobCopy(ctx, []string{"--data", dir, "--to", spec}, &out); rc != 1 ||
		!strings.Contains(out.String(), "2 copied, 0 already there, 1 corrupt") || !strings.Contains(out.String(), "CORRUPT "+refs[2].Hash) {
		t.Fatalf("first copy: rc %d, %s", rc, out.String())
	}
	out.Reset()
	if rc := blobCopy(ctx, []string{"--data", dir, "--to", spec}, &out); rc != 1 || !strings.Contains(out.String(), "0 copied, 2 already there, 1 corrupt") {
		t.Fatalf("second copy: rc %d, %s", rc, out.String())
	}
	out.Reset()
	if rc := scrub(ctx, []string{"--data", dir, "--blobs", spec}, &out); rc != 0 || !strings.Contains(out.String(), "2 files checked, 0 corrupt") {
		t.Fatalf("scrub of the bucket: rc %d, %s", rc, out.String())
	}
	// and back, from the bucket (--blobs, set above) into another folder
	back := t.TempDir()
	out.Reset()
	if rc := blobCopy(ctx, []string{"--data", dir, "--to", back}, &out); rc != 0 || !strings.Contains(out.String(), "2 copied, 0 already there, 0 corrupt") {
		t.Fatalf("copy back: rc %d, %s", rc, out.String())
	}
	for _, r := range refs[:2] {
		if b, err := blob.Get(ctx, blob.NewFS(back), r.Hash); err != nil || blob.Sum(b) != r.Hash {
			t.Fatalf("copied back %s: %v", r.Hash, err)
		}
	}
}

func TestBlobCopyNeedsAReachableDestination(t *testing.T) {
	t.Setenv(blob.EnvSpec, "")
	srv := s3test.Start(t, "ebazhao")
	t.Setenv("EBAZHAO_S3_ACCESS_KEY", s3test.AccessKey)
	t.Setenv("EBAZHAO_S3_SECRET_KEY", s3test.SecretKey)
	var out bytes.Buffer
	rc := blobCopy(context.Background(), []string{"--data", t.TempDir(), "--to", "s3://missing?endpoint=" + srv.Endpoint + "&insecure=1"}, &out)
	if rc != 2 || !strings.Contains(out.String(), `bucket "missing" does not exist`) {
		t.Fatalf("rc %d, %s", rc, out.String())
	}
	out.Reset()
	if rc := blobCmd(context.Background(), []string{"mirror"}, &out, &out); rc != 2 || !strings.Contains(out.String(), "usage:") {
		t.Fatalf("unknown subcommand: rc %d, %s", rc, out.String())
	}
}
