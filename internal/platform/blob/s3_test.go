package blob

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/minio/minio-go/v7"

	"ebazhao/internal/platform/blob/s3test"
)

// newS3 returns an S3 store on a fresh loopback server, opened from its spec
// the way ebazhao opens it, and the server (to look behind the store's back).
func newS3(t *testing.T, prefix string) (*S3, *s3test.Server) {
	t.Helper()
	srv := s3test.Start(t, "ebazhao-blobs")
	v, err := open(srv.Spec(prefix), t.TempDir(), keys)
	if err != nil {
		t.Fatal(err)
	}
	s := v.(*S3)
	s.TempDir = t.TempDir()
	return s, srv
}

func keys(name string) string {
	return map[string]string{"EBAZHAO_S3_ACCESS_KEY": s3test.AccessKey, "EBAZHAO_S3_SECRET_KEY": s3test.SecretKey}[name]
}

// objects lists every key in the bucket.
func objects(t *testing.T, srv *s3test.Server) []string {
	t.Helper()
	var ks []string
	for o := range srv.Client.ListObjects(context.Background(), srv.Bucket, minio.ListObjectsOptions{Recursive: true}) {
		if o.Err != nil {
			t.Fatal(o.Err)
		}
		ks = append(ks, o.Key)
	}
	return ks
}

func emptyDir(t *testing.T, dir string) {
	t.Helper()
	if es, err := os.ReadDir(dir); err != nil || len(es) != 0 {
		t.Fatalf("spool folder %s: %d entries left, %v", dir, len(es), err)
	}
}

func TestS3PutOpenStatRoundTrip(t *testing.T) {
	ctx := context.Background()
	s, srv := newS3(t, "taichung/xitun")
	data := []byte("戶籍登記申請書 第1頁")
	ref, err := PutBytes(ctx, s, data)
	if err != nil {
		t.Fatal(err)
	}
	if ref.Hash != Sum(data) || ref.Size != int64(len(data)) {
		t.Fatalf("ref = %+v, want hash %s size %d", ref, Sum(data), len(data))
	}
	want := "taichung/xitun/" + ref.Hash[:2] + "/" + ref.Hash[2:4] + "/" + ref.Hash
	if ks := objects(t, srv); len(ks) != 1 || ks[0] != want {
		t.Fatalf("objects = %q, want [%s]", ks, want)
	}
	if loc := s.Location(ref.Hash); loc != "s3://ebazhao-blobs/"+want {
		t.Fatalf("Location = %s", loc)
	}
	got, err := Get(ctx, s, ref.Hash)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("Get = %q, %v", got, err)
	}
	if n, err := s.Stat(ctx, ref.Hash); err != nil || n != int64(len(data)) {
		t.Fatalf("Stat = %d, %v", n, err)
	}
	emptyDir(t, s.TempDir)
}

func TestS3LargeBlobIsOnePut(t *testing.T) {
	ctx := context.Background()
	s, _ := newS3(t, "")
	// > 16 MiB, where the client would switch to a multipart upload.
	data := bytes.Repeat([]byte("掃描影像0123456789"), 17<<20/22)
	ref, err := PutBytes(ctx, s, data)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Get(ctx, s, ref.Hash)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("Get: %d bytes, %v; want %d", len(got), err, len(data))
	}
}

func TestS3SameBytesAreOneObjectNeverRewritten(t *testing.T) {
	ctx := context.Background()
	s, srv := newS3(t, "")
	a, err := PutBytes(ctx, s, []byte("same"))
	if err != nil {
		t.Fatal(err)
	}
	st1, err := srv.Client.StatObject(ctx, srv.Bucket, s.Key(a.Hash), minio.StatObjectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := PutBytes(ctx, s, []byte("same"))
	if err != nil || b != a {
		t.Fatalf("second put = %+v, %v; want %+v", b, err, a)
	}
	st2, err := srv.Client.StatObject(ctx, srv.Bucket, s.Key(a.Hash), minio.StatObjectOptions{})
	if err != nil || st2.ETag != st1.ETag || !st2.LastModified.Equal(st1.LastModified) || st2.VersionID != st1.VersionID {
		t.Fatalf("object rewritten: before %+v, after %+v, %v", st1, st2, err)
	}
	if ks := objects(t, srv); len(ks) != 1 {
		t.Fatalf("objects = %q", ks)
	}
}

func TestS3ConditionalPutRefusesToReplace(t *testing.T) {
	// What Put relies on when two of them race past the existence check: the
	// server refuses a second PUT with If-None-Match: *.
	ctx := context.Background()
	s, srv := newS3(t, "")
	ref, err := PutBytes(ctx, s, []byte("first"))
	if err != nil {
		t.Fatal(err)
	}
	opts := minio.PutObjectOptions{}
	opts.SetMatchETagExcept("*")
	_, err = srv.Client.PutObject(ctx, srv.Bucket, s.Key(ref.Hash), strings.NewReader("other"), 5, opts)
	if minio.ToErrorResponse(err).StatusCode != 412 {
		t.Fatalf("conditional overwrite: %v, want 412 Precondition Failed", err)
	}
	if got, err := Get(ctx, s, ref.Hash); err != nil || string(got) != "first" {
		t.Fatalf("after refused overwrite: %q, %v", got, err)
	}
}

func TestS3LimitStoresNothing(t *testing.T) {
	ctx := context.Background()
	s, srv := newS3(t, "")
	_, err := s.Put(ctx, strings.NewReader(strings.Repeat("x", 101)), 100)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
	if ks := objects(t, srv); len(ks) != 0 {
		t.Fatalf("objects after refused put: %q", ks)
	}
	emptyDir(t, s.TempDir)
	if _, err := s.Put(ctx, strings.NewReader(strings.Repeat("x", 100)), 100); err != nil {
		t.Fatalf("exactly at the limit: %v", err)
	}
}

func TestS3FailedReadStoresNothing(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	s, srv := newS3(t, "")
	r := io.MultiReader(strings.NewReader("half a scan"), readerFunc(func([]byte) (int, error) {
		cancel()
		return 0, errors.New("connection reset")
	}))
	if _, err := s.Put(ctx, r, 0); err == nil {
		t.Fatal("put of a failing reader succeeded")
	}
	if ks := objects(t, srv); len(ks) != 0 {
		t.Fatalf("objects after failed put: %q", ks)
	}
	emptyDir(t, s.TempDir)
}

type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }

func TestS3NotFoundAndBadHash(t *testing.T) {
	ctx := context.Background()
	s, _ := newS3(t, "p")
	missing := Sum([]byte("never stored"))
	if _, err := s.Open(ctx, missing); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Open missing: %v", err)
	}
	if _, err := s.Stat(ctx, missing); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Stat missing: %v", err)
	}
	for _, h := range []string{"../../etc/passwd", strings.ToUpper(missing), missing[:63], ""} {
		if _, err := s.Open(ctx, h); !errors.Is(err, ErrBadHash) {
			t.Errorf("Open(%q) = %v, want ErrBadHash", h, err)
		}
		if _, err := s.Stat(ctx, h); !errors.Is(err, ErrBadHash) {
			t.Errorf("Stat(%q) = %v, want ErrBadHash", h, err)
		}
	}
}

func TestS3CorruptionIsDetected(t *testing.T) {
	ctx := context.Background()
	s, srv := newS3(t, "scans")
	good, err := PutBytes(ctx, s, []byte("印鑑條 intact"))
	if err != nil {
		t.Fatal(err)
	}
	victim, err := PutBytes(ctx, s, []byte("申請書 page 2"))
	if err != nil {
		t.Fatal(err)
	}
	// Something rewrites the object behind the store's back: same length,
	// other bytes, so only the hash can tell.
	if _, err := srv.Client.PutObject(ctx, srv.Bucket, s.Key(victim.Hash), strings.NewReader(strings.Repeat("X", int(victim.Size))), victim.Size, minio.PutObjectOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := Get(ctx, s, victim.Hash); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("Get of a rewritten object: %v, want ErrCorrupt", err)
	}
	// Stray keys are not blobs: ignored by Verify, like files outside the
	// fan-out folders of FS.
	for _, k := range []string{"scans/README", "other/" + good.Hash[:2] + "/" + good.Hash[2:4] + "/" + good.Hash, "scans/" + good.Hash} {
		if _, err := srv.Client.PutObject(ctx, srv.Bucket, k, strings.NewReader("x"), 1, minio.PutObjectOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	var bad []string
	n, err := s.Verify(ctx, func(h string, err error) {
		if !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: %v, want ErrCorrupt", h, err)
		}
		bad = append(bad, h)
	})
	if err != nil || n != 2 || len(bad) != 1 || bad[0] != victim.Hash {
		t.Fatalf("Verify = %d, %v; bad %q, want 2 checked and %s bad", n, err, bad, victim.Hash)
	}
	// An object of another size under the key: Put says so instead of
	// reporting the damaged blob as stored.
	if _, err := srv.Client.PutObject(ctx, srv.Bucket, s.Key(good.Hash), strings.NewReader("short"), 5, minio.PutObjectOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := PutBytes(ctx, s, []byte("印鑑條 intact")); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("put over a truncated object: %v, want ErrCorrupt", err)
	}
}

func TestS3VerifyStopsWhenTheStoreIsUnreachable(t *testing.T) {
	ctx := context.Background()
	srv := s3test.Start(t, "ebazhao-blobs")
	v, err := open("s3://no-such-bucket?endpoint="+srv.Endpoint+"&insecure=1", t.TempDir(), keys)
	if err != nil {
		t.Fatal(err)
	}
	n, err := v.Verify(ctx, func(h string, err error) { t.Errorf("bad %s: %v", h, err) })
	if err == nil {
		t.Fatalf("Verify of a missing bucket = %d, nil", n)
	}
	if err := v.(*S3).Check(ctx); err == nil || !strings.Contains(err.Error(), "no-such-bucket") {
		t.Fatalf("Check of a missing bucket: %v", err)
	}
	ok, _ := open(srv.Spec(""), t.TempDir(), keys)
	if err := ok.(*S3).Check(ctx); err != nil {
		t.Fatalf("Check of the bucket: %v", err)
	}
}

func TestS3ConcurrentPuts(t *testing.T) {
	ctx := context.Background()
	s, srv := newS3(t, "")
	const n = 8
	var wg sync.WaitGroup
	errs := make(chan error, 2*n)
	for i := 0; i < n; i++ {
		wg.Add(2)
		go func() {
			defer wg.Done()
			ref, err := PutBytes(ctx, s, []byte("the same scan"))
			if err == nil && ref.Hash != Sum([]byte("the same scan")) {
				err = fmt.Errorf("ref %+v", ref)
			}
			errs <- err
		}()
		go func(i int) {
			defer wg.Done()
			b := []byte(fmt.Sprintf("scan %d", i))
			ref, err := PutBytes(ctx, s, b)
			if err == nil && ref.Hash != Sum(b) {
				err = fmt.Errorf("ref %+v", ref)
			}
			errs <- err
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if ks := objects(t, srv); len(ks) != n+1 {
		t.Fatalf("%d objects, want %d", len(ks), n+1)
	}
	checked, err := s.Verify(ctx, func(h string, err error) { t.Errorf("bad %s: %v", h, err) })
	if err != nil || checked != n+1 {
		t.Fatalf("Verify = %d, %v", checked, err)
	}
	emptyDir(t, s.TempDir)
}

func TestOpenSpec(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	ours := env(map[string]string{"EBAZHAO_S3_ACCESS_KEY": "a", "EBAZHAO_S3_SECRET_KEY": "s"})
	aws := env(map[string]string{"AWS_ACCESS_KEY_ID": "A", "AWS_SECRET_ACCESS_KEY": "S", "AWS_SESSION_TOKEN": "T"})
	none := env(nil)

	if v, err := open("", "/srv/ebazhao", none); err != nil || v.(*FS).Root != "/srv/ebazhao/blobs" {
		t.Fatalf("empty spec: %#v, %v", v, err)
	}
	good := []struct {
		spec   string
		getenv func(string) string
		want   s3Config
	}{
		{"s3://ebazhao", ours, s3Config{bucket: "ebazhao", endpoint: "s3.amazonaws.com", secure: true, accessKey: "a", secretKey: "s"}},
		{"s3://ebazhao/taichung/xitun/?region=ap-northeast-1", aws,
			s3Config{bucket: "ebazhao", prefix: "taichung/xitun/", endpoint: "s3.amazonaws.com", region: "ap-northeast-1", secure: true, accessKey: "A", secretKey: "S", sessionToken: "T"}},
		{"s3://files/p?endpoint=10.0.0.5:9000&insecure=1", ours, s3Config{bucket: "files", prefix: "p/", endpoint: "10.0.0.5:9000", accessKey: "a", secretKey: "s"}},
		{"s3://files?endpoint=minio.lan&insecure=0", ours, s3Config{bucket: "files", endpoint: "minio.lan", secure: true, accessKey: "a", secretKey: "s"}},
	}
	for _, g := range good {
		got, err := parseS3(g.spec, g.getenv)
		if err != nil || got != g.want {
			t.Errorf("parseS3(%q) = %+v, %v; want %+v", g.spec, got, err, g.want)
		}
	}
	bad := []struct{ spec, why string }{
		{"/mnt/blobs", "want empty"},
		{"https://bucket.s3.amazonaws.com", "want empty"},
		{"s3:bucket", "want empty"},
		{"s3:///prefix", "no bucket"},
		{"s3://Bad_Bucket", "bucket"},
		{"s3://ebazhao/a//b", "empty, . or .."},
		{"s3://ebazhao/a/../b", "empty, . or .."},
		{"s3://key:secret@ebazhao", "keys do not go in the spec"},
		{"s3://ebazhao?endpoint=http://minio:9000", "without http://"},
		{"s3://ebazhao?endpoint=", "want HOST"},
		{"s3://ebazhao?insecure=yes", "want 1 or 0"},
		{"s3://ebazhao?regoin=x", `unknown setting "regoin"`},
		{"s3://ebazhao?region=a&region=b", "given 2 times"},
		{"s3://ebazhao%zz", "want empty"},
	}
	for _, b := range bad {
		_, err := open(b.spec, "", ours)
		if err == nil || !strings.Contains(err.Error(), b.why) {
			t.Errorf("open(%q) = %v, want an error saying %q", b.spec, err, b.why)
		}
		if err != nil && strings.Contains(err.Error(), "secret") {
			t.Errorf("open(%q): error shows the secret: %v", b.spec, err)
		}
	}
	for _, getenv := range []func(string) string{none, env(map[string]string{"EBAZHAO_S3_ACCESS_KEY": "a"}), env(map[string]string{"AWS_SECRET_ACCESS_KEY": "s"})} {
		if _, err := open("s3://ebazhao", "", getenv); err == nil || !strings.Contains(err.Error(), "no keys") {
			t.Errorf("missing keys: %v", err)
		}
	}
}

func FuzzParseS3(f *testing.F) {
	for _, s := range []string{"s3://ebazhao", "s3://b/p/q?endpoint=h:1&insecure=1&region=r", "s3://a:b@c", "s3://x/../y", "s3:x"} {
		f.Add(s)
	}
	getenv := func(k string) string { return k }
	f.Fuzz(func(t *testing.T, spec string) {
		c, err := parseS3(spec, getenv)
		if err != nil {
			return
		}
		if c.bucket == "" || c.endpoint == "" || strings.Contains(c.endpoint, "/") {
			t.Fatalf("%q parsed to %+v", spec, c)
		}
		if c.prefix != "" && (!strings.HasSuffix(c.prefix, "/") || strings.HasPrefix(c.prefix, "/") || strings.Contains(c.prefix, "//")) {
			t.Fatalf("%q: prefix %q", spec, c.prefix)
		}
	})
}

func TestS3UnreachableStoreIsAnErrorNotAMissingBlob(t *testing.T) {
	ctx := context.Background()
	s, srv := newS3(t, "")
	ref, err := PutBytes(ctx, s, []byte("stored before the outage"))
	if err != nil {
		t.Fatal(err)
	}
	srv.HTTP.Close()
	if _, err := PutBytes(ctx, s, []byte("during the outage")); err == nil {
		t.Fatal("put to a stopped server succeeded")
	}
	for name, err := range map[string]error{
		"Open": func() error { _, err := s.Open(ctx, ref.Hash); return err }(),
		"Stat": func() error { _, err := s.Stat(ctx, ref.Hash); return err }(),
	} {
		if err == nil || errors.Is(err, ErrNotFound) || errors.Is(err, ErrCorrupt) {
			t.Errorf("%s on a stopped server: %v, want a plain error", name, err)
		}
	}
	if _, err := s.Verify(ctx, func(h string, err error) { t.Errorf("bad %s: %v", h, err) }); err == nil {
		t.Error("Verify on a stopped server: no error")
	}
	emptyDir(t, s.TempDir)
}

func TestS3FullStoreIsErrNoSpace(t *testing.T) {
	ctx := context.Background()
	s, srv := newS3(t, "")
	srv.Full.Store(true)
	_, err := PutBytes(ctx, s, []byte("a scan too many"))
	if !errors.Is(err, ErrNoSpace) {
		t.Fatalf("put to a full store: %v, want ErrNoSpace", err)
	}
	if ks := objects(t, srv); len(ks) != 0 {
		t.Fatalf("objects after a refused put: %q", ks)
	}
	emptyDir(t, s.TempDir)
	srv.Full.Store(false)
	if _, err := PutBytes(ctx, s, []byte("a scan too many")); err != nil {
		t.Fatalf("put once there is room: %v", err)
	}
}
