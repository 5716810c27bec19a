package crawler

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	readability "codeberg.org/readeck/go-readability/v2"

	"github.com/gapwatch/gapwatch/notice"
)

// withArticle replaces a short feed item's text with the readable text of
// its linked page, keeping the feed's text as the summary. Any failure
// leaves the item as it was: the summary is still a notice.
func (c *Crawler) withArticle(ctx context.Context, it notice.Item) notice.Item {
	if it.URL == "" || len([]rune(it.Text)) >= c.opts.ArticleMinText {
		return it
	}
	text, err := c.article(ctx, it.URL)
	if err != nil {
		c.log.Info("article not fetched", "source", it.Source, "url", it.URL, "error", err)
		return it
	}
	if len(text) <= len(it.Text) {
		return it
	}
	if it.Summary == "" {
		it.Summary = it.Text
	}
	it.Text = text
	return it
}

// article returns the readable text of a page, from the cache when it is
// fresh, else with a conditional GET through the same fetcher (politeness,
// caps and SSRF guard included).
func (c *Crawler) article(ctx context.Context, u string) (string, error) {
	now := c.opts.Now()
	cached, err := c.store.Article(ctx, u)
	switch {
	case err == nil && now.Sub(cached.FetchedAt) < c.opts.ArticleMaxAge:
		return cached.Text, nil
	case err != nil && !errors.Is(err, notice.ErrNotFound):
		return "", err
	}
	resp, err := c.fetch.Fetch(ctx, u, cached.Validators)
	if err != nil {
		return "", err
	}
	text := cached.Text
	if !resp.NotModified {
		if text, err = readableText(resp.Body, resp.URL); err != nil {
			return "", err
		}
	}
	a := notice.Article{URL: u, Validators: resp.Validators, Text: text, FetchedAt: now.UTC()}
	if err := c.store.SaveArticle(ctx, a); err != nil {
		return "", err
	}
	return text, nil
}

// readableText extracts an article's main text from an HTML page.
func readableText(body []byte, pageURL string) (string, error) {
	base, err := url.Parse(pageURL)
	if err != nil {
		return "", fmt.Errorf("article url: %w", err)
	}
	art, err := readability.FromReader(bytes.NewReader(body), base)
	if err != nil {
		return "", fmt.Errorf("readability: %w", err)
	}
	var sb strings.Builder
	if err := art.RenderText(&sb); err != nil {
		return "", fmt.Errorf("readability: %w", err)
	}
	return strings.TrimSpace(sb.String()), nil
}
