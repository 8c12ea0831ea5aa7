package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"ebazhao/internal/app"
	"ebazhao/internal/platform/blob"
)

const blobUsage = `usage: ebazhao blob scrub [--data DIR] [--blobs SPEC]
       ebazhao blob copy --to SPEC|DIR [--data DIR] [--blobs SPEC]`

// blobCmd runs `ebazhao blob scrub|copy` and returns the exit code.
func blobCmd(ctx context.Context, args []string, out, errOut io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "scrub":
			return scrub(ctx, args[1:], out)
		case "copy":
			return blobCopy(ctx, args[1:], out)
		}
	}
	fmt.Fprintln(errOut, blobUsage)
	return 2
}

// blobCopy copies every blob of the configured store (--blobs, EBAZHAO_BLOBS;
// by default DATA/blobs) to another: an s3:// spec, or a folder to hold blobs
// in FS's layout. Blobs already at the destination are skipped, so an
// interrupted copy is resumed by running it again; a source blob that fails
// its hash is reported and not copied.
// Exit 0: all copied; 1: some source blobs are corrupt; 2: the copy failed.
func blobCopy(ctx context.Context, args []string, out io.Writer) int {
	var c app.Config
	fs := flag.NewFlagSet("blob copy", flag.ContinueOnError)
	fs.SetOutput(out)
	app.DataFlags(fs, &c)
	to := fs.String("to", "", "destination: s3://BUCKET/PREFIX?endpoint=… (keys as for --blobs), or a folder")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *to == "" {
		fmt.Fprintln(out, "blob copy: --to SPEC|DIR is required")
		return 2
	}
	src, err := blob.OpenDefault(c.DataDir)
	if err != nil {
		fmt.Fprintf(out, "blob copy: source: %v\n", err)
		return 2
	}
	var dst blob.Verifier
	if strings.HasPrefix(*to, "s3://") {
		dst, err = blob.Open(*to, c.DataDir)
		if err == nil {
			err = dst.(*blob.S3).Check(ctx)
		}
	} else {
		dst = blob.NewFS(*to)
	}
	if err != nil {
		fmt.Fprintf(out, "blob copy: destination: %v\n", err)
		return 2
	}
	var copied, present, corrupt int
	err = src.Walk(ctx, func(h string) error {
		size, err := src.Stat(ctx, h)
		if err != nil {
			return err
		}
		if n, err := dst.Stat(ctx, h); err == nil && n == size {
			present++
			return nil
		} else if err != nil && !errors.Is(err, blob.ErrNotFound) {
			return err
		}
		rc, err := src.Open(ctx, h)
		if err != nil {
			return err
		}
		defer rc.Close()
		// The source reader checks the hash at its end, so a damaged
		// source makes Put fail and nothing is stored.
		ref, err := dst.Put(ctx, rc, 0)
		if errors.Is(err, blob.ErrCorrupt) {
			corrupt++
			fmt.Fprintf(out, "CORRUPT %s (%s): %v; not copied\n", h, src.Location(h), err)
			return nil
		}
		if err != nil {
			return err
		}
		if ref.Hash != h {
			return fmt.Errorf("%s arrived as %s", h, ref.Hash)
		}
		copied++
		return nil
	})
	fmt.Fprintf(out, "blob copy: %d copied, %d already there, %d corrupt\n", copied, present, corrupt)
	if err != nil {
		fmt.Fprintf(out, "blob copy: %v\n", err)
		return 2
	}
	if corrupt > 0 {
		return 1
	}
	return 0
}
