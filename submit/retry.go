package submit

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// do sends the request newReq makes, trying again after a network error or a
// 5xx answer, up to the configured number of attempts with exponential
// backoff. It returns the first answer below 500, body unread, or the last
// failure: the network error, or an *HTTPError for a 5xx answer. A cancelled
// ctx stops it at once, also during a wait.
//
// Retrying a POST after a network error may store a result twice when the
// server got the request but its answer was lost.
func (c *Client) do(ctx context.Context, newReq func() (*http.Request, error)) (*http.Response, error) {
	var last error
	for attempt := 1; ; attempt++ {
		req, err := newReq()
		if err != nil {
			return nil, fmt.Errorf("submit: %w", err)
		}
		c.opts.log.Debug("request", "method", req.Method, "url", req.URL.Redacted(), "attempt", attempt)
		resp, err := c.opts.hc.Do(req)
		switch {
		case err == nil && resp.StatusCode < 500:
			c.opts.log.Debug("answer", "method", req.Method, "url", req.URL.Redacted(), "status", resp.Status)
			return resp, nil
		case err == nil:
			last = newHTTPError(req, resp)
			drainClose(resp.Body)
		case ctx.Err() != nil:
			return nil, fmt.Errorf("submit: %w", err)
		case !retryable(err):
			return nil, fmt.Errorf("submit: %w", err)
		default:
			last = fmt.Errorf("submit: %w", err)
		}
		if attempt >= c.opts.attempts {
			if attempt > 1 {
				return nil, fmt.Errorf("%w (gave up after %d attempts)", last, attempt)
			}
			return nil, last
		}
		wait := c.backoff(attempt)
		c.opts.log.Warn("retrying", "method", req.Method, "url", req.URL.Redacted(), "error", last, "wait", wait, "attempt", attempt+1, "of", c.opts.attempts)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("submit: %s %s: %w (while waiting to retry after: %v)", req.Method, req.URL.Redacted(), context.Cause(ctx), last)
		case <-t.C:
		}
	}
}

// backoff is the wait after the given failed attempt (1-based): the base
// backoff doubled at each retry, at most maxBackoff.
func (c *Client) backoff(attempt int) time.Duration {
	d := c.opts.backoff
	for i := 1; i < attempt && d < maxBackoff; i++ {
		d *= 2
	}
	return min(d, maxBackoff)
}

// retryable reports whether a transport error may go away: anything but a
// certificate that does not verify.
func retryable(err error) bool {
	var cv *tls.CertificateVerificationError
	var ua x509.UnknownAuthorityError
	var he x509.HostnameError
	var ci x509.CertificateInvalidError
	return !errors.As(err, &cv) && !errors.As(err, &ua) && !errors.As(err, &he) && !errors.As(err, &ci)
}

// drainClose reads a little of what is left of body, so that the connection
// can be reused, and closes it.
func drainClose(body io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(body, 64<<10))
	_ = body.Close()
}
