package loadgen

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/refstack-go/refstack/submit"
)

// maxAnswer bounds what is read of an answer: the server's are a few
// hundred bytes, or a result's test names.
const maxAnswer = 16 << 20

// Register registers key's public key with the server at base (POST
// /v1/profile/pubkeys with its self-signature). A key the server already
// has (409) is no error.
func Register(ctx context.Context, hc *http.Client, base string, key *submit.Signer) error {
	sig, err := key.SelfSignature()
	if err != nil {
		return fmt.Errorf("register: %w", err)
	}
	body, err := json.Marshal(map[string]string{"raw_key": key.PublicKey(), "self_signature": sig})
	if err != nil {
		return fmt.Errorf("register: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/v1/profile/pubkeys", bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("register: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("register: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusConflict {
		return fmt.Errorf("register: %s", resp.Status)
	}
	return nil
}

// Upload signs body with key and posts it to base's /v1/results/; it
// returns the id of the acknowledged upload (201 with a test_id).
func Upload(ctx context.Context, hc *http.Client, base string, key *submit.Signer, body []byte) (string, error) {
	sig, err := key.Sign(body)
	if err != nil {
		return "", err
	}
	return UploadSigned(ctx, hc, base, body, sig)
}

// UploadSigned posts body with its signature, made beforehand (so that a
// benchmark measures the server, not the client's RSA signing), and returns
// the id of the acknowledged upload.
func UploadSigned(ctx context.Context, hc *http.Client, base string, body []byte, sig *submit.Signature) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/v1/results/", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(submit.HeaderSignature, sig.Hex)
	req.Header.Set(submit.HeaderPublicKey, sig.PublicKey)
	resp, err := hc.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return "", err
	}
	var ans struct {
		TestID string `json:"test_id"`
	}
	if resp.StatusCode != http.StatusCreated || json.Unmarshal(data, &ans) != nil || ans.TestID == "" {
		return "", fmt.Errorf("upload: %s: %s", resp.Status, data)
	}
	return ans.TestID, nil
}

// Clients are concurrent uploaders of signed results.
type Clients struct {
	HTTP *http.Client
	Base string // the server's URL, without /v1
	Key  *submit.Signer
	N    int // how many clients upload at once
	// Doc makes the i-th upload of a client (0 ≤ client < N).
	Doc func(client, i int) *submit.Results
	// Pause is how long a client waits after a failed upload: the server
	// may be restarting.
	Pause time.Duration
}

// Run uploads until ctx is done and returns when every client has stopped.
// acked is called for each acknowledged upload with its id and how long
// signing and uploading took; failed, when not nil, for each upload that
// failed while ctx was live. Both are called under one lock, so they need
// none of their own.
func (c Clients) Run(ctx context.Context, acked func(id string, took time.Duration), failed func(error)) {
	var (
		mu sync.Mutex
		wg sync.WaitGroup
	)
	for client := range c.N {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ctx.Err() == nil; i++ {
				body := c.Doc(client, i).Body()
				t0 := time.Now()
				id, err := Upload(ctx, c.HTTP, c.Base, c.Key, body)
				took := time.Since(t0)
				mu.Lock()
				switch {
				case err == nil:
					acked(id, took)
				case failed != nil && ctx.Err() == nil:
					failed(err)
				}
				mu.Unlock()
				if err != nil {
					time.Sleep(c.Pause)
				}
			}
		}()
	}
	wg.Wait()
}

// StoredTests fetches result id from base as the holder of token (a bearer
// token of the result's owner) and returns the server's status code and the
// number of passed tests the answer holds (0 when it holds no result). err
// is for a request that got no answer.
func StoredTests(ctx context.Context, hc *http.Client, base, token, id string) (code, tests int, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/v1/results/"+url.PathEscape(id), nil)
	if err != nil {
		return 0, 0, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := hc.Do(req)
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	var d struct {
		Results []string `json:"results"`
	}
	if resp.StatusCode != http.StatusOK || json.NewDecoder(io.LimitReader(resp.Body, maxAnswer)).Decode(&d) != nil {
		return resp.StatusCode, 0, nil
	}
	return resp.StatusCode, len(d.Results), nil
}
