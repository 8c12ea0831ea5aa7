package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"ebazhao/internal/app"
	"ebazhao/internal/platform/blob"
)

// scrub re-reads every file of the blob store (scans, seal images, uploaded
// forms), on disk or in an S3 bucket, and reports each whose content no
// longer matches its SHA-256 name.
// Exit 0: all intact; 1: corruption found; 2: the store could not be read.
func scrub(ctx context.Context, args []string, out io.Writer) int {
	var c app.Config
	fs := flag.NewFlagSet("blob scrub", flag.ContinueOnError)
	fs.SetOutput(out)
	app.DataFlags(fs, &c)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	store, err := blob.OpenDefault(c.DataDir)
	if err != nil {
		fmt.Fprintf(out, "blob scrub: %v\n", err)
		return 2
	}
	if fsStore, ok := store.(*blob.FS); ok {
		// Unfinished writes of a killed process; an hour leaves running uploads alone.
		removed, err := fsStore.RemoveStaleTemp(time.Hour)
		if err != nil {
			fmt.Fprintf(out, "blob scrub: %v\n", err)
			return 2
		}
		if removed > 0 {
			fmt.Fprintf(out, "blob scrub: removed %d unfinished temporary files (writes interrupted by a crash)\n", removed)
		}
	}
	var bad int
	n, err := store.Verify(ctx, func(hash string, err error) {
		bad++
		fmt.Fprintf(out, "CORRUPT %s (%s): %v\n", hash, store.Location(hash), err)
	})
	if err != nil {
		fmt.Fprintf(out, "blob scrub: %v\n", err)
		return 2
	}
	fmt.Fprintf(out, "blob scrub: %d files checked, %d corrupt\n", n, bad)
	if bad > 0 {
		return 1
	}
	return 0
}
