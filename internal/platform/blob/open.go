package blob

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
	"github.com/minio/minio-go/v7/pkg/s3utils"
)

// EnvSpec names the environment variable holding the store's spec (see Open);
// the --blobs flag sets it, so every subsystem's Default sees the same store.
const EnvSpec = "EBAZHAO_BLOBS"

// Open returns the store a spec names:
//
//	""                                   files under <dataDir>/blobs (FS)
//	s3://BUCKET[/PREFIX][?endpoint=HOST[:PORT]&region=REGION&insecure=1]
//	                                     objects in an S3-compatible bucket (S3)
//
// endpoint defaults to s3.amazonaws.com; insecure=1 speaks plain HTTP instead
// of HTTPS (a store on the same machine or a private network only). The keys
// come from EBAZHAO_S3_ACCESS_KEY and EBAZHAO_S3_SECRET_KEY, or else from
// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN); never from
// the spec. Open does not contact the store: see Check.
func Open(spec, dataDir string) (Verifier, error) {
	return open(spec, dataDir, os.Getenv)
}

// OpenDefault is Open of the spec in EBAZHAO_BLOBS.
func OpenDefault(dataDir string) (Verifier, error) {
	return Open(os.Getenv(EnvSpec), dataDir)
}

// Default is the store every subsystem uses: OpenDefault's. The spec was
// checked at start-up (CheckDefault); should it be wrong nonetheless, every
// call of the returned store fails with the reason.
func Default(dataDir string) Verifier {
	s, err := OpenDefault(dataDir)
	if err != nil {
		return broken{err}
	}
	return s
}

// CheckDefault opens the configured store and, for an object store, confirms
// the bucket answers: the start-up check behind "a bad spec fails at once".
func CheckDefault(ctx context.Context, dataDir string) error {
	s, err := OpenDefault(dataDir)
	if err != nil {
		return err
	}
	if s3, ok := s.(*S3); ok {
		ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		if err := s3.Check(ctx); err != nil {
			return fmt.Errorf("%s: %w", EnvSpec, err)
		}
	}
	return nil
}

func open(spec, dataDir string, getenv func(string) string) (Verifier, error) {
	if spec == "" {
		return DataFS(dataDir), nil
	}
	c, err := parseS3(spec, getenv)
	if err != nil {
		return nil, fmt.Errorf("%s=%q: %w", EnvSpec, redact(spec), err)
	}
	client, err := minio.New(c.endpoint, &minio.Options{
		Creds:  credentials.NewStaticV4(c.accessKey, c.secretKey, c.sessionToken),
		Secure: c.secure,
		Region: c.region,
		// A few quick retries, not the client's ten: a clerk is waiting.
		MaxRetries: 3,
	})
	if err != nil {
		return nil, fmt.Errorf("%s=%q: %w", EnvSpec, redact(spec), err)
	}
	return &S3{Client: client, Bucket: c.bucket, Prefix: c.prefix}, nil
}

type s3Config struct {
	bucket, prefix, endpoint, region   string
	secure                             bool
	accessKey, secretKey, sessionToken string
}

const specForm = "s3://BUCKET/PREFIX?endpoint=HOST:PORT&region=REGION&insecure=1"

func parseS3(spec string, getenv func(string) string) (s3Config, error) {
	var c s3Config
	u, err := url.Parse(spec)
	if err != nil || u.Scheme != "s3" || u.Opaque != "" {
		return c, fmt.Errorf("blob store: want empty (files under the data folder) or %s", specForm)
	}
	if u.User != nil {
		return c, fmt.Errorf("blob store: keys do not go in the spec: set EBAZHAO_S3_ACCESS_KEY and EBAZHAO_S3_SECRET_KEY")
	}
	c.bucket = u.Host
	if c.bucket == "" {
		return c, fmt.Errorf("blob store: no bucket: want %s", specForm)
	}
	if err := s3utils.CheckValidBucketNameStrict(c.bucket); err != nil {
		return c, fmt.Errorf("blob store: bucket %q: %w", c.bucket, err)
	}
	if p := strings.Trim(u.Path, "/"); p != "" {
		for _, part := range strings.Split(p, "/") {
			if part == "" || part == "." || part == ".." {
				return c, fmt.Errorf("blob store: prefix %q: empty, . or .. segment", p)
			}
		}
		c.prefix = p + "/"
	}
	c.endpoint, c.secure = "s3.amazonaws.com", true
	for k, vs := range u.Query() {
		if len(vs) != 1 {
			return c, fmt.Errorf("blob store: %s given %d times", k, len(vs))
		}
		v := vs[0]
		switch k {
		case "endpoint":
			if v == "" || strings.Contains(v, "/") {
				return c, fmt.Errorf("blob store: endpoint %q: want HOST or HOST:PORT, without http:// (insecure=1 for plain HTTP)", v)
			}
			c.endpoint = v
		case "region":
			c.region = v
		case "insecure":
			switch v {
			case "1", "true":
				c.secure = false
			case "0", "false":
			default:
				return c, fmt.Errorf("blob store: insecure=%q: want 1 or 0", v)
			}
		default:
			return c, fmt.Errorf("blob store: unknown setting %q: want endpoint, region or insecure", k)
		}
	}
	c.accessKey, c.secretKey = getenv("EBAZHAO_S3_ACCESS_KEY"), getenv("EBAZHAO_S3_SECRET_KEY")
	if c.accessKey == "" && c.secretKey == "" {
		c.accessKey, c.secretKey = getenv("AWS_ACCESS_KEY_ID"), getenv("AWS_SECRET_ACCESS_KEY")
		c.sessionToken = getenv("AWS_SESSION_TOKEN")
	}
	if c.accessKey == "" || c.secretKey == "" {
		return c, fmt.Errorf("blob store: no keys: set EBAZHAO_S3_ACCESS_KEY and EBAZHAO_S3_SECRET_KEY (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)")
	}
	return c, nil
}

// redact hides a password someone put in the spec against the advice.
func redact(spec string) string {
	if u, err := url.Parse(spec); err == nil && u.User != nil {
		u.User = url.User("…")
		return u.String()
	}
	return spec
}

// broken is the store Default returns for a spec that does not open.
type broken struct{ err error }

func (b broken) Put(context.Context, io.Reader, int64) (Ref, error)  { return Ref{}, b.err }
func (b broken) Open(context.Context, string) (io.ReadCloser, error) { return nil, b.err }
func (b broken) Stat(context.Context, string) (int64, error)         { return 0, b.err }
func (b broken) Walk(context.Context, func(string) error) error      { return b.err }
func (b broken) Verify(context.Context, func(string, error)) (int, error) {
	return 0, b.err
}
func (b broken) Location(h string) string { return h }
