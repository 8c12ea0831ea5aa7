package blob

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"ebazhao/internal/platform/clock"
)

func TestPutGetRoundTripAndAddress(t *testing.T) {
	ctx := context.Background()
	s := NewFS(t.TempDir())
	data := []byte("戶籍登記申請書 第1頁")
	ref, err := PutBytes(ctx, s, data)
	if err != nil {
		t.Fatal(err)
	}
	if ref.Hash != Sum(data) || ref.Size != int64(len(data)) {
		t.Fatalf("ref = %+v, want hash %s size %d", ref, Sum(data), len(data))
	}
	if _, err := os.Stat(filepath.Join(s.Root, ref.Hash[:2], ref.Hash[2:4], ref.Hash)); err != nil {
		t.Fatalf("blob not at its fan-out path: %v", err)
	}
	got, err := Get(ctx, s, ref.Hash)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("Get = %q, %v", got, err)
	}
	if n, err := s.Stat(ctx, ref.Hash); err != nil || n != int64(len(data)) {
		t.Fatalf("Stat = %d, %v", n, err)
	}
}

func TestPutSameBytesIsDeduplicatedAndNeverRewritten(t *testing.T) {
	ctx := context.Background()
	s := NewFS(t.TempDir())
	a, err := PutBytes(ctx, s, []byte("same"))
	if err != nil {
		t.Fatal(err)
	}
	p := s.Path(a.Hash)
	st1, _ := os.Stat(p)
	b, err := PutBytes(ctx, s, []byte("same"))
	if err != nil || b != a {
		t.Fatalf("second put = %+v, %v; want %+v", b, err, a)
	}
	st2, _ := os.Stat(p)
	if !os.SameFile(st1, st2) || !st1.ModTime().Equal(st2.ModTime()) {
		t.Fatal("an existing blob was replaced")
	}
	if st2.Mode().Perm()&0o222 != 0 {
		t.Fatalf("blob is writable: %v", st2.Mode())
	}
}

func TestCorruptBlobIsDetectedOnRead(t *testing.T) {
	ctx := context.Background()
	s := NewFS(t.TempDir())
	ref, _ := PutBytes(ctx, s, []byte("original content of the page"))
	p := s.Path(ref.Hash)
	os.Chmod(p, 0o640)
	if err := os.WriteFile(p, []byte("tampered content of the page"), 0o640); err != nil {
		t.Fatal(err)
	}
	if _, err := Get(ctx, s, ref.Hash); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("Get of a damaged blob: %v, want ErrCorrupt", err)
	}
	var bad []string
	n, err := s.Verify(ctx, func(h string, err error) { bad = append(bad, h) })
	if err != nil || n != 1 || len(bad) != 1 || bad[0] != ref.Hash {
		t.Fatalf("Verify = %d, %v, bad %v", n, err, bad)
	}
}

type failingReader struct{ n int }

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, errors.New("connection reset")
	}
	k := min(len(p), f.n)
	f.n -= k
	for i := range p[:k] {
		p[i] = 'x'
	}
	return k, nil
}

func TestFailedOrOversizedPutLeavesNothing(t *testing.T) {
	ctx := context.Background()
	s := NewFS(t.TempDir())
	if _, err := s.Put(ctx, &failingReader{n: 100000}, 0); err == nil {
		t.Fatal("a reader error must fail Put")
	}
	if _, err := s.Put(ctx, strings.NewReader(strings.Repeat("a", 1001)), 1000); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("oversized put: %v, want ErrTooLarge", err)
	}
	if ref, err := s.Put(ctx, strings.NewReader(strings.Repeat("a", 1000)), 1000); err != nil || ref.Size != 1000 {
		t.Fatalf("put at the limit: %+v %v", ref, err)
	}
	files := 0
	filepath.WalkDir(s.Root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files++
		}
		return nil
	})
	if files != 1 {
		t.Fatalf("store holds %d files, want only the one complete blob", files)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.Put(cctx, strings.NewReader("x"), 0); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled put: %v", err)
	}
}

func TestBadAndMissingHashes(t *testing.T) {
	ctx := context.Background()
	s := NewFS(t.TempDir())
	for _, h := range []string{"", "../../etc/passwd", strings.Repeat("A", 64), strings.Repeat("0", 63), strings.Repeat("g", 64)} {
		if _, err := s.Open(ctx, h); !errors.Is(err, ErrBadHash) {
			t.Errorf("Open(%q) = %v, want ErrBadHash", h, err)
		}
	}
	if _, err := s.Open(ctx, strings.Repeat("0", 64)); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing blob: %v", err)
	}
	if _, err := s.Stat(ctx, strings.Repeat("0", 64)); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing blob stat: %v", err)
	}
}

func TestConcurrentPutsOfSameContent(t *testing.T) {
	ctx := context.Background()
	s := NewFS(t.TempDir())
	data := bytes.Repeat([]byte("page"), 50000)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := PutBytes(ctx, s, data)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	got, err := Get(ctx, s, Sum(data))
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("after concurrent puts: %v", err)
	}
	tmp, _ := os.ReadDir(filepath.Join(s.Root, "tmp"))
	if len(tmp) != 0 {
		t.Fatalf("%d temporary files left behind", len(tmp))
	}
}

func FuzzValidHash(f *testing.F) {
	f.Add(strings.Repeat("a", 64))
	f.Add("../" + strings.Repeat("a", 61))
	f.Fuzz(func(t *testing.T, h string) {
		if ValidHash(h) && (strings.ContainsAny(h, "/\\.") || len(h) != 64) {
			t.Fatalf("unsafe name accepted: %q", h)
		}
	})
}

func BenchmarkPut(b *testing.B) {
	ctx := context.Background()
	s := NewFS(b.TempDir())
	data := make([]byte, 256<<10)
	b.SetBytes(int64(len(data)))
	for i := 0; b.Loop(); i++ {
		data[0], data[1], data[2] = byte(i), byte(i>>8), byte(i>>16)
		if _, err := s.Put(ctx, bytes.NewReader(data), 0); err != nil {
			b.Fatal(err)
		}
	}
}

func TestRemoveStaleTemp(t *testing.T) {
	s := NewFS(t.TempDir())
	if _, err := PutBytes(context.Background(), s, []byte("kept")); err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(s.Root, "tmp")
	old, fresh := filepath.Join(tmp, "killed-write"), filepath.Join(tmp, "running-write")
	for _, f := range []string{old, fresh} {
		if err := os.WriteFile(f, []byte("partial"), 0o640); err != nil {
			t.Fatal(err)
		}
	}
	past := clock.After(-2 * time.Hour)
	if err := os.Chtimes(old, past, past); err != nil {
		t.Fatal(err)
	}
	n, err := s.RemoveStaleTemp(time.Hour)
	if err != nil || n != 1 {
		t.Fatalf("removed %d, %v; want 1", n, err)
	}
	if _, err := os.Stat(old); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("stale temporary file still there: %v", err)
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("a running write's file was removed: %v", err)
	}
	if _, err := Get(context.Background(), s, Sum([]byte("kept"))); err != nil {
		t.Errorf("stored blob affected: %v", err)
	}
}
