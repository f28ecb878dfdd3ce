package clock_test

import (
	"sync"
	"testing"
	"time"

	"github.com/tradepolicy/tradepolicy/clock"
)

// Compile-time checks that every clock satisfies the interface.
var (
	_ clock.Clock = clock.System{}
	_ clock.Clock = clock.Func(nil)
	_ clock.Clock = (*clock.Manual)(nil)
)

func TestSystemStripsMonotonic(t *testing.T) {
	now := clock.System{}.Now()
	if now != now.Round(0) {
		t.Errorf("System.Now() = %v carries a monotonic reading", now)
	}
}

func TestFunc(t *testing.T) {
	at := time.Date(2024, 3, 1, 7, 4, 0, 0, time.UTC)
	f := clock.Func(func() time.Time { return at })
	if got := f.Now(); got != at {
		t.Errorf("Func.Now() = %v, want %v", got, at)
	}
}

func TestManual(t *testing.T) {
	shanghai := clock.MustZone("Asia/Shanghai")
	start := time.Date(2024, 3, 1, 15, 4, 0, 0, shanghai)
	m := clock.NewManual(start)
	if got := m.Now(); got != start {
		t.Errorf("NewManual(%v).Now() = %v", start, got)
	}
	if got, want := m.Advance(90*time.Minute), start.Add(90*time.Minute); got != want {
		t.Errorf("Advance(90m) = %v, want %v", got, want)
	}
	if got, want := m.Advance(-30*time.Minute), start.Add(time.Hour); got != want {
		t.Errorf("Advance(-30m) = %v, want %v", got, want)
	}
	later := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	m.Set(later)
	if got := m.Now(); got != later {
		t.Errorf("after Set(%v), Now() = %v", later, got)
	}
}

func TestManualStripsMonotonic(t *testing.T) {
	withMono := time.Now() // the only way to get a monotonic reading
	m := clock.NewManual(withMono)
	if got := m.Now(); got != got.Round(0) {
		t.Errorf("NewManual kept a monotonic reading: %v", got)
	}
	m.Set(withMono)
	if got := m.Now(); got != got.Round(0) {
		t.Errorf("Set kept a monotonic reading: %v", got)
	}
}

// TestManualConcurrent is meant for go test -race.
func TestManualConcurrent(t *testing.T) {
	start := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	m := clock.NewManual(start)
	const workers, steps = 8, 500
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range steps {
				before := m.Now()
				after := m.Advance(time.Second)
				if !after.After(before) {
					t.Errorf("Advance returned %v, not after %v", after, before)
					return
				}
			}
		}()
	}
	wg.Wait()
	if got, want := m.Now(), start.Add(workers*steps*time.Second); got != want {
		t.Errorf("after %d concurrent advances of 1s, Now() = %v, want %v", workers*steps, got, want)
	}
}

func TestZone(t *testing.T) {
	for _, name := range []string{"Asia/Shanghai", "UTC", "America/Sao_Paulo", "Pacific/Apia"} {
		loc, err := clock.Zone(name)
		if err != nil {
			t.Errorf("Zone(%q): %v", name, err)
			continue
		}
		if loc.String() != name {
			t.Errorf("Zone(%q) = %v", name, loc)
		}
	}
	for _, name := range []string{"Local", "Mars/Olympus_Mons"} {
		if loc, err := clock.Zone(name); err == nil {
			t.Errorf("Zone(%q) = %v, want an error", name, loc)
		}
	}
}

func TestMustZonePanics(t *testing.T) {
	defer func() {
		if _, ok := recover().(error); !ok {
			t.Error("MustZone(bad) did not panic with an error")
		}
	}()
	clock.MustZone("Nowhere/Never")
}
