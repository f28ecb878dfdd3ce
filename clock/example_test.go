package clock_test

import (
	"fmt"
	"time"

	"github.com/tradepolicy/tradepolicy/clock"
)

func ExampleManual() {
	shanghai := clock.MustZone("Asia/Shanghai")
	c := clock.NewManual(time.Date(2024, 3, 1, 15, 4, 0, 0, shanghai))
	fmt.Println(c.Now())
	fmt.Println(c.Advance(36 * time.Hour))
	// Output:
	// 2024-03-01 15:04:00 +0800 CST
	// 2024-03-03 03:04:00 +0800 CST
}

func ExampleWindow_End() {
	shanghai := clock.MustZone("Asia/Shanghai")
	signed := time.Date(2024, 3, 1, 15, 4, 0, 0, shanghai)

	// Seven days counted from the day after signing.
	returns := clock.Days(7)
	fmt.Println(returns, "closes", returns.End(signed, shanghai).In(shanghai))

	// Ten times 24 hours from the instant of signing.
	confirm := clock.Exactly(240 * time.Hour)
	fmt.Println(confirm, "closes", confirm.End(signed, shanghai).In(shanghai))
	// Output:
	// days(7) closes 2024-03-09 00:00:00 +0800 CST
	// duration("240h") closes 2024-03-11 15:04:00 +0800 CST
}

func ExampleParseWindow() {
	for _, s := range []string{"days(7)", "7d", `duration("24h")`, "15m", "seven days"} {
		w, err := clock.ParseWindow(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%-16s -> %v (calendar: %t)\n", s, w, w.IsCalendar())
	}
	// Output:
	// days(7)          -> days(7) (calendar: true)
	// 7d               -> days(7) (calendar: true)
	// duration("24h")  -> duration("24h") (calendar: false)
	// 15m              -> duration("15m") (calendar: false)
	// clock: bad window "seven days": not days(N), Nd or a duration
}

func ExampleStartOfDay() {
	// In São Paulo the clocks went from 00:00 to 01:00 on 2018-11-04.
	saoPaulo := clock.MustZone("America/Sao_Paulo")
	fmt.Println(clock.StartOfDay(2018, time.November, 4, saoPaulo))
	// Output:
	// 2018-11-04 01:00:00 -0200 -02
}
