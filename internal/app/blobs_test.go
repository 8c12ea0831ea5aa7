package app_test

import (
	"context"
	"fmt"
	"image"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/minio/minio-go/v7"

	"ebazhao/internal/app"
	"ebazhao/internal/archive"
	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/blob/s3test"
	"ebazhao/internal/platform/dbtest"
)

// With EBAZHAO_BLOBS set, an archived scan uploaded through the web ends up in
// the bucket, and nothing under the data folder's blobs/.
func TestArchiveScansGoToTheS3Bucket(t *testing.T) {
	srv := s3test.Start(t, "ebazhao")
	srv.SetEnv(t, "taichung")
	e := newEnv(t)
	scanner := e.loggedIn("scanner")
	scanner.get("/archive/docs/new")
	tiff := archive.EncodeTIFF([]*image.Gray{scanPage(7)})
	fields := map[string]string{"office": fmt.Sprint(e.officeID("xitun")), "item": "birth", "reg_date": "69.5.28", "volume": "69-05", "page_ref": "9",
		"persons": "A123456789 王大明 當事人"}
	if st, body, _ := scanner.upload("/archive/docs", fields, "birth.tif", tiff); st != http.StatusSeeOther {
		t.Fatalf("upload: status %d: %.300s", st, body)
	}
	var keys []string
	for o := range srv.Client.ListObjects(context.Background(), srv.Bucket, minio.ListObjectsOptions{Prefix: "taichung/", Recursive: true}) {
		if o.Err != nil {
			t.Fatal(o.Err)
		}
		keys = append(keys, o.Key)
	}
	if len(keys) == 0 {
		t.Fatal("no object in the bucket after an archive upload")
	}
	if _, err := os.Stat(filepath.Join(e.App.Config.DataDir, "blobs")); !os.IsNotExist(err) {
		t.Fatalf("blobs written under the data folder: %v", err)
	}
}

// A store that cannot be reached stops the start, naming the setting.
func TestUnreachableBlobStoreFailsAtStartup(t *testing.T) {
	srv := s3test.Start(t, "ebazhao")
	srv.SetEnv(t, "")
	t.Setenv("EBAZHAO_BLOBS", "s3://not-created?endpoint="+srv.Endpoint+"&insecure=1")
	d := dbtest.New(t)
	_, err := app.New(context.Background(), app.Config{Policy: auth.DefaultPolicy(), DataDir: t.TempDir()}, d, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err == nil || !strings.Contains(err.Error(), "EBAZHAO_BLOBS") || !strings.Contains(err.Error(), `"not-created" does not exist`) {
		t.Fatalf("app.New = %v, want the missing bucket named", err)
	}
}
