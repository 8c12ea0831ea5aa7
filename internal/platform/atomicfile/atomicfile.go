// Package atomicfile creates files that appear whole or not at all and are
// never overwritten: keys and signed records that two processes may race to make.
package atomicfile

import (
	"io/fs"
	"os"
	"path/filepath"
)

// Create writes data to a new file at path with mode: written to a temporary
// file in the same folder, synced, then hard-linked into place, so a crash
// leaves no partial file and of two processes creating path at once exactly one
// wins. When path exists the error wraps fs.ErrExist and the file is untouched.
func Create(path string, data []byte, mode fs.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Link(tmp.Name(), path)
}
