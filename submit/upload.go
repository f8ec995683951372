package submit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// UploadResult is the server's answer to a stored upload.
type UploadResult struct {
	ID  string // the result's id (test_id)
	URL string // where the result is shown (url)
}

// userAgent is sent with every request.
const userAgent = "refstack-go"

// maxAnswer is the most read of an expected answer.
const maxAnswer = 16 << 20

// Upload posts body, a results document (see Results.Body), to
// {base}/v1/results/. With sig, its signature and public key go in the
// X-Signature and X-Public-Key headers; with a nil sig, a Client made
// WithSigner signs body, and one without sends it unsigned. The body is sent
// byte for byte as given.
//
// A 201 answer gives the UploadResult. Network errors and 5xx answers are
// retried (see WithRetry); any other answer is an *HTTPError with the server's
// message, such as "400 Bad Request: Signature verification failed".
func (c *Client) Upload(ctx context.Context, body []byte, sig *Signature) (UploadResult, error) {
	if len(body) == 0 {
		return UploadResult{}, errors.New("submit: empty upload body")
	}
	if sig == nil && c.opts.signer != nil {
		var err error
		if sig, err = c.opts.signer.Sign(body); err != nil {
			return UploadResult{}, err
		}
	}
	endpoint := c.resultsEndpoint()
	resp, err := c.do(ctx, func() (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("User-Agent", userAgent)
		if sig != nil {
			req.Header.Set(HeaderSignature, sig.Hex)
			req.Header.Set(HeaderPublicKey, sig.PublicKey)
		}
		return req, nil
	})
	if err != nil {
		return UploadResult{}, err
	}
	defer drainClose(resp.Body)
	if resp.Request.Method != http.MethodPost {
		return UploadResult{}, fmt.Errorf("submit: POST %s was redirected to %s %s, which drops the body: use the final URL as the API URL",
			endpoint, resp.Request.Method, resp.Request.URL.Redacted())
	}
	if resp.StatusCode != http.StatusCreated {
		return UploadResult{}, newHTTPError(resp.Request, resp)
	}
	var ans struct {
		TestID string `json:"test_id"`
		URL    string `json:"url"`
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return UploadResult{}, fmt.Errorf("submit: POST %s: result stored (201) but its answer could not be read: %w", resp.Request.URL.Redacted(), err)
	}
	if err := json.Unmarshal(data, &ans); err != nil || ans.TestID == "" {
		return UploadResult{}, fmt.Errorf("submit: POST %s: result stored (201) but the answer has no test_id: %q", resp.Request.URL.Redacted(), truncate(data))
	}
	return UploadResult{ID: ans.TestID, URL: ans.URL}, nil
}

// truncate returns the start of data for an error message.
func truncate(data []byte) string {
	if len(data) > maxMessage {
		return string(data[:maxMessage]) + "..."
	}
	return string(data)
}
