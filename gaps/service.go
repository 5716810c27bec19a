package gaps

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"sync"
	"time"

	"github.com/gapwatch/gapwatch/crawler/extract"
	"github.com/gapwatch/gapwatch/notice"
)

// Store is what the gap service needs from the durable store; declared
// here, by its consumer.
type Store interface {
	SourceMap(ctx context.Context, tenant notice.TenantID) (map[string]string, error)
	TenantSettings(ctx context.Context, tenant notice.TenantID) ([]byte, error)
	SetTenantSettings(ctx context.Context, tenant notice.TenantID, settings []byte) error
	SaveGaps(ctx context.Context, tenant notice.TenantID, gs []notice.Gap) ([]notice.Gap, error)
	AllGaps(ctx context.Context) ([]notice.Gap, error)
	GapsStamp(ctx context.Context) (string, error)
	Notices(ctx context.Context, ids []notice.ID) ([]notice.Notice, error)
	SetGapLinks(ctx context.Context, gap notice.GapID, links []notice.Link) error
	SetLinksOf(ctx context.Context, byNotice map[notice.ID][]notice.Link, known func(notice.GapID) (notice.Gap, bool)) error
}

// WindowFinder finds notices with windows of a product or vendor in a
// range (the in-memory window lookup).
type WindowFinder interface {
	Lookup(product string, from, to time.Time) []notice.WindowHit
	LookupVendor(vendor string, from, to time.Time) []notice.WindowHit
}

// Settings are a tenant's gap settings, stored as JSON with the tenant.
type Settings struct {
	Detect DetectConfig `json:"detect"`
}

// Service imports and detects gaps and keeps gap–notice links current in
// both directions: a new gap is linked to the notices already known, and a
// new or revised notice is linked to the gaps of every tenant.
type Service struct {
	store   Store
	windows WindowFinder
	cat     *extract.Catalog
	linker  *Linker
	limits  Limits
	now     func() time.Time

	mu      sync.Mutex
	gapIdx  *GapIndex
	gapsVer string
}

// NewService returns a gap service.
func NewService(st Store, win WindowFinder, cat *extract.Catalog, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{store: st, windows: win, cat: cat, linker: NewLinker(cat), limits: Limits{MaxRows: 10000}, now: now}
}

// Import parses a CSV or JSON gap upload for a tenant (all-or-nothing),
// stores the gaps and links each to the notices that explain it.
func (s *Service) Import(ctx context.Context, t notice.Tenant, r io.Reader, csv bool) ([]notice.Gap, error) {
	res, loc, err := s.resolver(ctx, t)
	if err != nil {
		return nil, err
	}
	var gs []notice.Gap
	if csv {
		gs, err = ParseCSV(r, loc, res, s.limits, s.now())
	} else {
		gs, err = ParseJSON(r, loc, res, s.limits, s.now())
	}
	if err != nil {
		return nil, err
	}
	return s.save(ctx, t, gs)
}

// Telemetry detects gaps in a tenant's event counts (CSV
// timestamp,source,count), stores and links them.
func (s *Service) Telemetry(ctx context.Context, t notice.Tenant, r io.Reader) ([]notice.Gap, error) {
	res, loc, err := s.resolver(ctx, t)
	if err != nil {
		return nil, err
	}
	counts, err := ParseTelemetry(r, loc, s.limits)
	if err != nil {
		return nil, err
	}
	set, err := s.settings(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	gs := Detect(counts, set.Detect, loc)
	for i := range gs {
		gs[i].Product, gs[i].Vendor = res.Resolve(gs[i].Source, gs[i].Product)
	}
	return s.save(ctx, t, gs)
}

func (s *Service) save(ctx context.Context, t notice.Tenant, gs []notice.Gap) ([]notice.Gap, error) {
	saved, err := s.store.SaveGaps(ctx, t.ID, gs)
	if err != nil {
		return nil, err
	}
	for _, g := range saved {
		if err := s.LinkGap(ctx, g); err != nil {
			return nil, err
		}
	}
	s.GapsChanged()
	return saved, nil
}

func (s *Service) resolver(ctx context.Context, t notice.Tenant) (Resolver, *time.Location, error) {
	m, err := s.store.SourceMap(ctx, t.ID)
	if err != nil {
		return Resolver{}, nil, err
	}
	loc, err := time.LoadLocation(t.Timezone)
	if err != nil {
		loc = time.UTC
	}
	return Resolver{Catalog: s.cat, TenantMap: m}, loc, nil
}

func (s *Service) settings(ctx context.Context, id notice.TenantID) (Settings, error) {
	var set Settings
	b, err := s.store.TenantSettings(ctx, id)
	if err != nil {
		return set, err
	}
	if len(b) > 0 {
		if err := json.Unmarshal(b, &set); err != nil {
			return set, fmt.Errorf("gaps: tenant %d settings: %w", id, err)
		}
	}
	return set, nil
}

// LinkGap (re)computes one gap's links against the notices whose windows
// overlap it: candidates come from the window lookup by the gap's product,
// the product's family and the vendor.
func (s *Service) LinkGap(ctx context.Context, g notice.Gap) error {
	from, to := g.Start.Add(-48*time.Hour), g.End.Add(48*time.Hour)
	seen := map[notice.ID]bool{}
	var ids []notice.ID
	add := func(hits []notice.WindowHit) {
		for _, h := range hits {
			if !seen[h.NoticeID] {
				seen[h.NoticeID] = true
				ids = append(ids, h.NoticeID)
			}
		}
	}
	if g.Product != "" {
		add(s.windows.Lookup(g.Product, from, to))
		if p, ok := s.cat.Lookup(g.Product); ok && p.Family != "" {
			add(s.windows.Lookup(p.Family, from, to))
		}
	}
	if g.Vendor != "" {
		add(s.windows.LookupVendor(g.Vendor, from, to))
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	ns, err := s.store.Notices(ctx, ids)
	if err != nil {
		return err
	}
	return s.store.SetGapLinks(ctx, g.ID, s.linker.Links(g, ns))
}

// GapsChanged tells the service that gaps were added or deleted (by this
// or another process), so the next notice change is linked against the
// current set.
func (s *Service) GapsChanged() {
	s.mu.Lock()
	s.gapIdx = nil
	s.mu.Unlock()
}

// NoticesChanged links new or revised notices to the gaps of every tenant,
// replacing their previous links (a revised window drops links that no
// longer hold).
func (s *Service) NoticesChanged(ctx context.Context, ns []notice.Notice) error {
	idx, err := s.gapIndex(ctx)
	if err != nil {
		return err
	}
	if len(idx.gs) == 0 {
		return nil // no gaps, hence no links to set or clear
	}
	byNotice := make(map[notice.ID][]notice.Link, len(ns))
	for _, n := range ns {
		byNotice[n.ID] = idx.LinksFor(n)
	}
	// The store writes or removes a link only while its gap is still the
	// one the index holds: the index may be stale by the time the links
	// are set.
	return s.store.SetLinksOf(ctx, byNotice, idx.lookup)
}

// gapIndex returns the index of every tenant's gaps, rebuilding it when the
// stored set changed (another process may have imported gaps); the set is
// read again only when its stamp changed.
func (s *Service) gapIndex(ctx context.Context) (*GapIndex, error) {
	ver, err := s.store.GapsStamp(ctx)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.gapIdx != nil && s.gapsVer == ver {
		return s.gapIdx, nil
	}
	all, err := s.store.AllGaps(ctx)
	if err != nil {
		return nil, err
	}
	s.gapIdx, s.gapsVer = s.linker.IndexGaps(all), ver
	return s.gapIdx, nil
}

// BadRows lists every rejected row, for the API's problem answer.
func (e *ImportError) BadRows() any { return e.Rows }

// Settings returns a tenant's gap settings.
func (s *Service) Settings(ctx context.Context, t notice.Tenant) (Settings, error) {
	return s.settings(ctx, t.ID)
}

// SetSettings validates and stores a tenant's gap settings.
func (s *Service) SetSettings(ctx context.Context, t notice.Tenant, set Settings) error {
	if err := set.Detect.Validate(); err != nil {
		return &notice.ParamError{Param: "detect", Reason: err.Error()}
	}
	b, err := json.Marshal(set)
	if err != nil {
		return fmt.Errorf("gaps: encode settings: %w", err)
	}
	return s.store.SetTenantSettings(ctx, t.ID, b)
}
