package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"ebazhao/internal/platform/blob"
)

func TestScrubFindsACorruptedFile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	t.Setenv(blob.EnvSpec, "") // files under the data folder
	store := blob.DataFS(dir)
	var refs []blob.Ref
	for _, s := range []string{"申請書第1頁", "申請書第2頁", "印鑑條"} {
		ref, err := blob.PutBytes(ctx, store, []byte(s))
		if err != nil {
			t.Fatal(err)
		}
		refs = append(refs, ref)
	}
	var out bytes.Buffer
	if rc := scrub(ctx, []string{"--data", dir}, &out); rc != 0 || !strings.Contains(out.String(), "3 files checked, 0 corrupt") {
		t.Fatalf("intact store: rc %d, %s", rc, out.String())
	}
	// Flip a byte of one file, as a failing disk would.
	p := store.Path(refs[1].Hash)
	os.Chmod(p, 0o600)
	b, _ := os.ReadFile(p)
	b[0] ^= 0xff
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	rc := scrub(ctx, []string{"--data", dir}, &out)
	if rc != 1 || !strings.Contains(out.String(), "CORRUPT "+refs[1].Hash) || !strings.Contains(out.String(), "1 corrupt") {
		t.Fatalf("corrupted store: rc %d, %s", rc, out.String())
	}
}
