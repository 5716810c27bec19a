package crawler

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	readability "codeberg.org/readeck/go-readability/v2"

	"github.com/gapwatch/gapwatch/notice"
)

// articleBudget bounds the linked pages fetched in one crawl of a source,
// so a slow news site cannot hold a worker for minutes; items past the
// budget get their article on a later crawl.
type articleBudget struct {
	left     int
	deadline time.Time
}

func (c *Crawler) newArticleBudget() *articleBudget {
	return &articleBudget{left: c.opts.ArticlesPerCrawl, deadline: c.opts.Now().Add(c.opts.ArticleTime)}
}

func (b *articleBudget) take(now time.Time) bool {
	if b.left <= 0 || now.After(b.deadline) {
		return false
	}
	b.left--
	return true
}

// wantsArticle reports whether an item is only a summary worth completing.
func (c *Crawler) wantsArticle(it notice.Item) bool {
	return it.URL != "" && len([]rune(it.Text)) < c.opts.ArticleMinText
}

// withArticle replaces a short feed item's text with the readable text of
// its linked page, keeping the feed's text as the summary. It reports
// false when the article could not be had (failure or budget spent): the
// item is then returned as it was, the summary still a notice.
func (c *Crawler) withArticle(ctx context.Context, it notice.Item, budget *articleBudget) (notice.Item, bool) {
	if !budget.take(c.opts.Now()) {
		return it, false
	}
	text, err := c.article(ctx, it.URL)
	if err != nil {
		c.log.Info("article not fetched", "source", it.Source, "url", it.URL, "error", err)
		return it, false
	}
	if len(text) <= len(it.Text) {
		return it, true // the page says no more than the feed
	}
	if it.Summary == "" {
		it.Summary = it.Text
	}
	it.Text = text
	return it, true
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
