// Package s3test runs an S3-compatible object store on loopback for tests:
// gofakes3 with its in-memory backend behind an httptest server, reached by
// the same minio-go client the S3 blob store uses, over real HTTP.
package s3test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// Keys the server is given (it does not check signatures).
const (
	AccessKey = "ebazhao-test"
	SecretKey = "ebazhao-test-secret"
)

// Server is a running test object store with one bucket.
type Server struct {
	Endpoint string // HOST:PORT
	Bucket   string
	Client   *minio.Client // a client of its own, to look behind a store's back
	HTTP     *httptest.Server
	// Full makes every PUT fail as a full MinIO does (507, XMinioStorageFull).
	Full atomic.Bool
}

// Start starts a store with an empty bucket; it stops when the test ends.
func Start(t testing.TB, bucket string) *Server {
	t.Helper()
	backend := s3mem.New()
	if err := backend.CreateBucket(bucket); err != nil {
		t.Fatal(err)
	}
	srv := &Server{Bucket: bucket}
	fake := gofakes3.New(backend).Server()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut && srv.Full.Load() {
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusInsufficientStorage)
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>XMinioStorageFull</Code><Message>Storage backend has reached its minimum free drive threshold.</Message></Error>`)
			return
		}
		fake.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	u, _ := url.Parse(ts.URL)
	c, err := minio.New(u.Host, &minio.Options{Creds: credentials.NewStaticV4(AccessKey, SecretKey, "")})
	if err != nil {
		t.Fatal(err)
	}
	srv.Endpoint, srv.Client, srv.HTTP = u.Host, c, ts
	return srv
}

// Spec is the EBAZHAO_BLOBS spec of the bucket under prefix (may be "").
func (s *Server) Spec(prefix string) string {
	return "s3://" + s.Bucket + "/" + prefix + "?endpoint=" + s.Endpoint + "&insecure=1"
}

// SetEnv points EBAZHAO_BLOBS at the bucket under prefix and sets the keys,
// for the rest of the test.
func (s *Server) SetEnv(t *testing.T, prefix string) {
	t.Setenv("EBAZHAO_BLOBS", s.Spec(prefix))
	t.Setenv("EBAZHAO_S3_ACCESS_KEY", AccessKey)
	t.Setenv("EBAZHAO_S3_SECRET_KEY", SecretKey)
}
