# Sourced by every script: the Go toolchain ebazhao is built and tested with.
# go1.27.3 carries the standard-library security fixes that go1.26.8 lacks
# (govulncheck reports 14 reachable ones in net/http, crypto/tls, crypto/x509,
# html/template, mime/multipart and os). The go command fetches this toolchain
# from the module proxy on first use (about 76 MB, once per machine).
export GOTOOLCHAIN=go1.27.3
