/*
Package clock supplies time to the trade-policy machines: the [Clock] they
read "now" from, and the [Window] arithmetic that turns a policy period such
as "seven days counted from the day after signing" into an exact deadline.

Nothing in the module reads the wall clock except [System]. Machines take a
Clock in their options and read it once per call, so the same events and the
same clock readings always give the same results, and a test or a replay
drives time with a [Manual] clock.

# Clocks

[System] reads the machine's clock; [Manual] stands still until [Manual.Set]
or [Manual.Advance] moves it; [Func] adapts any function. Every clock here
strips the monotonic clock reading (see [time.Time.Round]), so instants
compare with == and serialise unchanged. Store instants in UTC.

# Windows

Rule files write a period either as an exact duration, duration("240h"), or
as calendar days, days(7). [ParseWindow] reads both (and the short forms
"240h" and "7d"); [Window.String] writes the canonical form back.

A calendar window counts civil dates in the policy's time zone: the day of
the event does not count, day 1 is the next day, and a window of n days
closes at the start of day n+1. Signed at 2024-03-01 15:04 in Asia/Shanghai,
a seven-day window is open through 2024-03-08 and closes at
2024-03-09 00:00 +08:00. An exact window ignores the calendar:
duration("48h") is always 48 hours, while days(1) lasts to the end of the
next calendar day however long that day is; across a daylight-saving
change it has 23 or 25 hours.

# Days that do not start at midnight

In some zones the clocks jump over midnight (America/Sao_Paulo on
2018-11-04 went from 00:00 straight to 01:00), and one zone skipped a whole
date (Pacific/Apia, 2011-12-30). [time.Date] does not promise a sensible
answer for such instants; [StartOfDay] finds the true first instant of a
civil date using [time.Time.ZoneBounds], and [Window.End] is built on it.

# Time zones

The package embeds [time/tzdata], so [Zone] loads any IANA zone on any
machine, including minimal containers without a zone database. The business
time zone is part of a policy; Asia/Shanghai is the default of the rule
files.
*/
package clock
