package blob

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
	"testing"
)

func TestNoSpaceMarksAFullDiskOnly(t *testing.T) {
	// /dev/full answers every write with a real ENOSPC.
	f, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, werr := f.Write([]byte("scan"))
	err = noSpace(fmt.Errorf("blob: write: %w", werr))
	if !errors.Is(err, ErrNoSpace) || !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("a write to a full disk: %v (ErrNoSpace %v, ENOSPC kept %v)", err, errors.Is(err, ErrNoSpace), errors.Is(err, syscall.ENOSPC))
	}
	if again := noSpace(err); again != err {
		t.Errorf("marked twice: %v", again)
	}
	quota := noSpace(&fs.PathError{Op: "write", Path: "x", Err: syscall.EDQUOT})
	if !errors.Is(quota, ErrNoSpace) {
		t.Errorf("an exceeded quota is not ErrNoSpace: %v", quota)
	}
	for _, other := range []error{nil, ErrTooLarge, &fs.PathError{Op: "open", Path: "x", Err: syscall.EACCES}} {
		if got := noSpace(other); got != other {
			t.Errorf("noSpace(%v) = %v, want it unchanged", other, got)
		}
	}
}
